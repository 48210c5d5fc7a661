"""Pure: the ruled grids of each page -> numbered tables, stitched over pages.

A page holds zero or more grids. The text lines above a grid give its title,
unit and 填报单位; `注`/`说明` lines next to it are its notes. A grid with no
title above it continues the table before it, and repeated header rows on
the continuation page are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import BBox, Cell, PageText, RawRow, RawTable, TextLine
from ..settings import ExtractSettings
from .grid import Grid, grid_to_cells, in_grid, rules_to_grids
from .layout import chars_to_lines
from .openframe import open_grid_to_grid

UNIT_RE = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元)")
FILER_RE = re.compile(r"(填报单位|编制单位|编制部门|预算单位|单位名称|部门名称)\s*[:：]\s*(.*)")
NOTE_RE = re.compile(r"^\s*(注|说明|备注)\s*\d?\s*[:：]")
PAGE_NO_RE = re.compile(r"^[\s\-—–第页共/]*\d{1,4}[\s\-—–页/]*(\d{1,4}\s*页?)?$")
AMOUNT_RE = re.compile(r"^[-−(（]?\d{1,3}(,\d{3})*(\.\d+)?[)）]?$|^[-−(（]?\d+(\.\d+)?[)）]?$|^\.\d+$")
COLNUM_TOKEN_RE = re.compile(r"^(\*+|栏次|行次|\d{1,2}|[甲乙丙丁])$")
BODY_LABEL_RE = re.compile(r"^(合\s*计|总\s*计|无$|[一二三四五六七八九十]+、|\d+[.．、])")
YEAR_LINE_RE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*度?\s*[）)]?$")
TITLE_GAP = 60.0  # points: a title sits this close above its grid (or its unit line)


@dataclass(frozen=True, slots=True)
class Fragment:
    """One grid on one page with the text that labels it."""

    page_no: int
    grid: Grid
    cells: tuple[Cell, ...]
    title: str
    unit_text: str
    filer: str
    notes: tuple[str, ...]
    label_lines: tuple[TextLine, ...] = ()
    """Lines consumed as title, unit, 填报单位 or notes (not narrative)."""


def page_to_fragments(page: PageText, settings: ExtractSettings) -> tuple[list[Fragment], list[TextLine]]:
    """The grids of one page with their labels, and the text lines outside every grid."""
    grids = rules_to_grids(page.rules, settings)
    outside = [c for c in page.chars if not any(in_grid(g, c) for g in grids)]
    lines = chars_to_lines(outside, page.page_no)
    fragments = []
    for k, ruled in enumerate(grids):
        above_limit = grids[k - 1].ys[-1] if k else -1.0
        below_limit = grids[k + 1].ys[0] if k + 1 < len(grids) else page.height + 1
        grid = open_grid_to_grid(ruled, page.chars)
        cells = grid_to_cells(grid, page.chars, page.page_no, settings.snap_tolerance, page.source)
        fragments.append(_label_fragment(page.page_no, grid, cells, lines, above_limit, below_limit, k == 0))
    return fragments, lines


def _label_fragment(
    page_no: int,
    grid: Grid,
    cells: list[Cell],
    lines: list[TextLine],
    above_limit: float,
    below_limit: float,
    first_on_page: bool,
) -> Fragment:
    top, bottom = grid.ys[0], grid.ys[-1]
    above = [ln for ln in lines if above_limit < ln.bbox.yc < top]
    below = [ln for ln in lines if bottom < ln.bbox.yc < below_limit]
    unit = next((m.group(0) for ln in above if (m := UNIT_RE.search(ln.text))), "")
    filer = next((_filer_name(ln.text) for ln in above if FILER_RE.search(ln.text)), "")
    notes_above = [ln.text for ln in above if NOTE_RE.match(ln.text)] if first_on_page else []
    title, title_lines = _title_from(above, top)
    notes_below, note_lines = _notes_below(below, bottom)
    used = [ln for ln in above if _is_label_line(ln)] + title_lines + note_lines
    grid, cells, inside = _labels_inside(grid, cells)
    title = title or inside.get("title", "")
    unit = unit or inside.get("unit", "")
    filer = filer or inside.get("filer", "")
    return Fragment(page_no, grid, tuple(cells), title, unit, filer, tuple(notes_above) + notes_below, tuple(used))


def _labels_inside(grid: Grid, cells: list[Cell]) -> tuple[Grid, list[Cell], dict[str, str]]:
    """Title, unit and 填报单位 printed in full-width rows at the top of the grid itself.

    Some producers draw the title inside the ruled area (DOMAIN: 'a table title can
    sit inside the grid'); those rows are labels, not header or body.
    """
    found: dict[str, str] = {}
    n_cols = len(grid.xs) - 1
    drop = 0
    while drop < len(grid.ys) - 2:
        row = [c for c in cells if c.row == drop and c.text.strip()]
        if len(row) != 1 or row[0].col_span < n_cols:
            break
        text = row[0].text.strip()
        if UNIT_RE.search(text) or FILER_RE.search(text):
            found.setdefault("unit", m.group(0) if (m := UNIT_RE.search(text)) else "")
            if FILER_RE.search(text):
                found["filer"] = _filer_name(text)
        elif _title_like(text) and "title" not in found:
            found["title"] = text
        else:
            break
        drop += 1
    if not drop:
        return grid, cells, found
    kept = [replace(c, row=c.row - drop) for c in cells if c.row >= drop]
    return replace(grid, ys=grid.ys[drop:]), kept, found


def _filer_name(text: str) -> str:
    m = FILER_RE.search(text)
    if not m:
        return ""
    return UNIT_RE.split(m.group(2))[0].strip()


def _is_label_line(line: TextLine) -> bool:
    t = line.text
    return bool(UNIT_RE.search(t) or FILER_RE.search(t) or NOTE_RE.match(t) or PAGE_NO_RE.match(t))


def _title_from(above: list[TextLine], grid_top: float) -> tuple[str, list[TextLine]]:
    """The title printed just above the grid (wrapped or with its 年度 line)."""
    candidates = sorted((ln for ln in above if not _is_label_line(ln)), key=lambda ln: ln.bbox.top)
    if not candidates:
        return "", []
    block = [candidates[-1]]
    for ln in reversed(candidates[:-1]):
        gap = block[0].bbox.top - ln.bbox.bottom
        if gap > 2.5 * ln.size or len(block) >= 3 or not _continues_title(ln.text, block):
            break
        block.insert(0, ln)
    labels_below = [ln.bbox.top for ln in above if _is_label_line(ln) and ln.bbox.top > block[-1].bbox.top]
    anchor = min(labels_below, default=grid_top)
    text = " ".join(ln.text.strip() for ln in block)
    if anchor - block[-1].bbox.bottom > TITLE_GAP or not _title_like(text):
        return "", []
    return text, block


def _continues_title(upper: str, block: list[TextLine]) -> bool:
    """Join a line above only when it is the head of a wrapped title or a 年度 line."""
    upper = upper.strip()
    if YEAR_LINE_RE.match(block[0].text.strip()) and len(block) == 1:
        return len(upper) <= 40  # '部门整体支出绩效目标表' over '（2024 年度）'
    if upper.endswith("表") or upper.endswith(("。", "：", ":", "；")) or len(upper) > 40:
        return False
    return not block[0].text.strip().startswith(("（", "(")) or YEAR_LINE_RE.match(block[0].text) is not None


def _title_like(text: str) -> bool:
    return "表" in text and not text.rstrip().endswith(("。", "：", ":", "；", "，"))


def _notes_below(below: list[TextLine], grid_bottom: float) -> tuple[tuple[str, ...], list[TextLine]]:
    """`注：…` paragraphs printed right under the grid (with their wrapped lines)."""
    notes: list[str] = []
    used: list[TextLine] = []
    prev_bottom = grid_bottom
    for ln in sorted(below, key=lambda ln: ln.bbox.top):
        if ln.bbox.top - prev_bottom > 2.5 * ln.size or PAGE_NO_RE.match(ln.text):
            break
        if not notes and not NOTE_RE.match(ln.text) and not _looks_like_note_start(ln.text):
            break  # the first line under the grid is not a note: there are none
        if NOTE_RE.match(ln.text) or not notes:
            notes.append(ln.text.strip())
        else:
            notes[-1] += ln.text.strip()  # a note wrapped onto the next line
        used.append(ln)
        prev_bottom = ln.bbox.bottom
    return tuple(notes), used


def _looks_like_note_start(text: str) -> bool:
    return bool(re.search(r"本表|空表|无数据|无.{0,12}(收支|支出|经费)", text))


# ------------------------------------------------------------- header/body


def cell_is_amount(text: str) -> bool:
    return bool(AMOUNT_RE.match(text.replace(" ", "")))


def _row_cells(cells: Sequence[Cell], row: int) -> list[Cell]:
    return [c for c in cells if c.row == row]


def is_column_number_row(row: Sequence[Cell]) -> bool:
    """The `** ** 1 2 3` / `栏次 1 2 3` row that numbers the columns."""
    texts = [c.text.replace(" ", "") for c in row if c.text.strip()]
    return len(texts) >= 3 and all(COLNUM_TOKEN_RE.match(t) for t in texts) and any(t.isdigit() for t in texts)


def _is_header_row(row: Sequence[Cell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if any(cell_is_amount(t) or re.fullmatch(r"\d{3,7}|[\dX×xＸ]{2,}", t.replace(" ", "")) for t in texts):
        return False
    # A body label row (合计 / 一、… with blank amounts) has text in its first
    # cell only; a header row that starts with 合计 goes on to name more columns.
    # A body row of a blank form holds only row labels (一、… | 合计); a header
    # row names columns, even one that starts with 合计 (三公 决算 tables).
    return not all(BODY_LABEL_RE.match(t) for t in texts)


def split_header(cells: Sequence[Cell], n_rows: int) -> tuple[int, int | None]:
    """Number of header rows, and the index of a column-number row if any."""
    header_end = 0
    for i in range(n_rows):
        row = _row_cells(cells, i)
        if is_column_number_row(row):
            return i + 1, i
        if not _is_header_row(row):
            break
        header_end = i + 1
    # A header cell spanning down pulls the rows it covers into the header.
    for c in cells:
        if c.row < header_end:
            header_end = max(header_end, c.row + c.row_span)
    if header_end < n_rows and is_column_number_row(_row_cells(cells, header_end)):
        return header_end + 1, header_end
    return header_end, None


def fragment_rows(fragment: Fragment) -> tuple[list[RawRow], list[RawRow]]:
    n_rows = len(fragment.grid.ys) - 1
    header_end, colnum = split_header(fragment.cells, n_rows)
    rows = [RawRow(tuple(_row_cells(fragment.cells, i)), fragment.page_no) for i in range(n_rows)]
    header = [r for i, r in enumerate(rows[:header_end]) if i != colnum]
    return header, rows[header_end:]


# ----------------------------------------------------------------- stitching


def fragments_to_tables(fragments: Sequence[Fragment]) -> list[RawTable]:
    """Stitch fragments into tables: an untitled grid — or one titled '…（续）' — continues the one before."""
    tables: list[RawTable] = []
    for frag in fragments:
        header, body = fragment_rows(frag)
        if tables and _is_continuation_title(frag.title, tables[-1].title) and _continues(tables[-1], frag):
            tables[-1] = _append(tables[-1], frag, header, body)
            continue
        tables.append(
            RawTable(
                title=frag.title,
                unit_text=frag.unit_text,
                filer=frag.filer,
                header_rows=tuple(header),
                body_rows=tuple(body),
                pages=(frag.page_no,),
                n_cols=len(frag.grid.xs) - 1,
                col_edges=frag.grid.xs,
                notes=frag.notes,
            )
        )
    return tables


_CONTINUED_RE = re.compile(r"[（(]?\s*续(表)?\s*[)）]?\s*$")


def _is_continuation_title(title: str, previous: str) -> bool:
    """No title, or the previous table's title marked 续 / 续表."""
    if not title:
        return True
    marked = _CONTINUED_RE.search(title)
    if marked is None:
        return False
    return re.sub(r"\s+", "", title[: marked.start()]) == re.sub(r"\s+", "", previous)


def _continues(table: RawTable, frag: Fragment) -> bool:
    last = table.pages[-1]
    if frag.page_no not in (last, last + 1):
        return False
    width = table.col_edges[-1] - table.col_edges[0]
    frag_width = frag.grid.xs[-1] - frag.grid.xs[0]
    return abs(width - frag_width) <= max(12.0, 0.05 * width)


def _append(table: RawTable, frag: Fragment, header: list[RawRow], body: list[RawRow]) -> RawTable:
    """Add a continuation's rows, re-indexing its columns onto the table's edges."""
    remap = _column_map(table.col_edges, frag.grid.xs)
    body_rows = tuple(_remap_row(r, remap) for r in body)
    if not table.header_rows and header:
        new_header = tuple(_remap_row(r, remap) for r in header)
    else:
        new_header = table.header_rows
    pages = table.pages if frag.page_no in table.pages else table.pages + (frag.page_no,)
    return replace(
        table,
        header_rows=new_header,
        body_rows=table.body_rows + body_rows,
        pages=pages,
        notes=table.notes + frag.notes,
        unit_text=table.unit_text or frag.unit_text,
    )


def _column_map(edges: Sequence[float], other: Sequence[float]) -> dict[int, int]:
    """Map each column of `other` to the column of `edges` holding its centre."""
    out = {}
    for j in range(len(other) - 1):
        xc = (other[j] + other[j + 1]) / 2 - other[0] + edges[0]
        best = min(range(len(edges) - 1), key=lambda k: abs((edges[k] + edges[k + 1]) / 2 - xc))
        out[j] = best
    return out


def _remap_row(row: RawRow, remap: dict[int, int]) -> RawRow:
    cells = []
    for c in row.cells:
        start = remap.get(c.col, c.col)
        end = remap.get(c.col + c.col_span - 1, start)
        cells.append(replace(c, col=start, col_span=max(1, end - start + 1)))
    return replace(row, cells=tuple(cells))


def table_bbox(table: RawTable) -> BBox | None:
    boxes = [c.bbox for r in table.body_rows for c in r.cells]
    if not boxes:
        return None
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out
