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

from ..records import Cell, PageText, RawRow, TextLine
from ..settings import ExtractSettings
from .grid import Grid, confidences, plain_to_cells, rules_to_grids, split_by_grids
from .labels import NOTE_RE, Labels, PAGE_NO_RE, RowKind, classify_row, lines_to_rows, rows_to_labels, title_like
from .layout import page_plain, plain_to_lines
from .openframe import open_grid_to_grid

AMOUNT_RE = re.compile(r"^[-−(（]?\d{1,3}(,\d{3})*(\.\d+)?[)）]?$|^[-−(（]?\d+(\.\d+)?[)）]?$|^\.\d+$")
COLNUM_TOKEN_RE = re.compile(r"^(\*+|栏次|行次|\d{1,2}|[甲乙丙丁])$")
BODY_LABEL_RE = re.compile(r"^(合\s*计|总\s*计|无$|[一二三四五六七八九十]+、|\d+[.．、])")
_NOTE_START_RE = re.compile(r"本表|空表|无数据|无.{0,12}(收支|支出|经费)")
_CODE_LIKE_RE = re.compile(r"\d{3,7}|[\dX×xＸ]{2,}")


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
    opens_page: bool = False
    """The first grid of its page, with no text above it but labels and page marks."""
    title_page: int | None = None
    """The page its title is printed on, when that is the page before (a title left at a page foot)."""


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One page: its labelled grids, the text outside them, and a title left at its foot."""

    page_no: int
    fragments: tuple[Fragment, ...]
    lines: tuple[TextLine, ...]
    trailing: Labels | None = None
    """A title (with its unit and filer lines) printed below the last grid, whose grid begins on the next page."""


def page_to_fragments(page: PageText, settings: ExtractSettings) -> PageLayout:
    """The grids of one page with their labels, and the text lines outside every grid."""
    grids = rules_to_grids(page.rules, settings)
    plain = page_plain(page)
    outside, inside = split_by_grids(grids, plain)
    scores = confidences(page.chars) if grids else None
    lines = plain_to_lines(outside, page.page_no)
    fragments = []
    for k, ruled in enumerate(grids):
        above_limit = grids[k - 1].ys[-1] if k else -1.0
        below_limit = grids[k + 1].ys[0] if k + 1 < len(grids) else page.height + 1
        grid = open_grid_to_grid(ruled, page.chars)
        own = inside[k] if grid.bbox == ruled.bbox else plain  # columns found in the text: the frame may move
        cells = plain_to_cells(grid, own, scores, page.page_no, settings.snap_tolerance, page.source)
        frag = _label_fragment(page.page_no, grid, cells, lines, above_limit, below_limit, k == 0)
        fragments.append(replace(frag, opens_page=k == 0 and _nothing_above(frag, lines)))
    return PageLayout(page.page_no, tuple(fragments), tuple(lines), _trailing_title(fragments, lines, page.height))


def _nothing_above(frag: Fragment, lines: Sequence[TextLine]) -> bool:
    used = {id(ln) for ln in frag.label_lines}
    top = frag.grid.ys[0]
    return all(id(ln) in used or PAGE_NO_RE.match(ln.text) for ln in lines if ln.bbox.yc < top)


def _trailing_title(fragments: Sequence[Fragment], lines: Sequence[TextLine], height: float) -> Labels | None:
    """A title at the foot of the page with nothing but labels after it (its grid is overleaf)."""
    last_bottom = fragments[-1].grid.ys[-1] if fragments else -1.0
    taken = {id(ln) for f in fragments for ln in f.label_lines}
    candidates = [ln for ln in lines if ln.bbox.yc > last_bottom and id(ln) not in taken]
    if not any("表" in ln.text for ln in candidates):
        return None  # no title without a 表 (`title_like`): the page's rows need no classifying
    rows = [r for r in lines_to_rows(candidates) if r.kind is not RowKind.PAGE_NO]
    if not rows:
        return None
    labels = rows_to_labels(rows, rows[-1].bottom + 0.5, first_on_page=False)
    return labels if labels.title else None


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
    rows = lines_to_rows([ln for ln in lines if above_limit < ln.bbox.yc < top])
    labels = rows_to_labels(rows, top, first_on_page)
    below = [ln for ln in lines if bottom < ln.bbox.yc < below_limit]
    notes_below, note_lines = _notes_below(below, bottom)
    grid, cells, inside = _labels_inside(grid, cells)
    return Fragment(
        page_no, grid, tuple(cells), labels.title or inside.get("title", ""), labels.unit_text or inside.get("unit", ""),
        labels.filer or inside.get("filer", ""), labels.notes + notes_below, labels.used + tuple(note_lines),
    )


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
        label = classify_row((TextLine(row[0].page_no, row[0].text.strip(), row[0].bbox, row[0].bbox.bottom - row[0].bbox.top),))
        if label.kind in (RowKind.UNIT, RowKind.FILER):
            found.setdefault("unit", label.unit)
            if label.filer:
                found["filer"] = label.filer
        elif title_like(label.text) and "title" not in found:
            found["title"] = label.text
        else:
            break
        drop += 1
    if not drop:
        return grid, cells, found
    kept = [replace(c, row=c.row - drop) for c in cells if c.row >= drop]
    return replace(grid, ys=grid.ys[drop:]), kept, found


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
    return bool(_NOTE_START_RE.search(text))


# ------------------------------------------------------------- header/body


def cell_is_amount(text: str) -> bool:
    return bool(AMOUNT_RE.match(text.replace(" ", "")))


def _row_cells(cells: Sequence[Cell], row: int) -> list[Cell]:
    return [c for c in cells if c.row == row]


def cells_by_row(cells: Sequence[Cell], n_rows: int) -> list[list[Cell]]:
    """`_row_cells` of each row 0 .. n_rows - 1, in one pass over the cells (not one per row)."""
    rows: list[list[Cell]] = [[] for _ in range(n_rows)]
    for c in cells:
        if 0 <= c.row < n_rows:
            rows[c.row].append(c)
    return rows


def is_column_number_row(row: Sequence[Cell]) -> bool:
    """The `** ** 1 2 3` / `栏次 1 2 3` row that numbers the columns."""
    texts = [c.text.replace(" ", "") for c in row if c.text.strip()]
    return len(texts) >= 3 and all(COLNUM_TOKEN_RE.match(t) for t in texts) and any(t.isdigit() for t in texts)


def _is_header_row(row: Sequence[Cell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if any(cell_is_amount(t) or _CODE_LIKE_RE.fullmatch(t.replace(" ", "")) for t in texts):
        return False
    # A body label row (合计 / 一、… with blank amounts) has text in its first
    # cell only; a header row that starts with 合计 goes on to name more columns.
    # A body row of a blank form holds only row labels (一、… | 合计); a header
    # row names columns, even one that starts with 合计 (三公 决算 tables).
    return not all(BODY_LABEL_RE.match(t) for t in texts)


def split_header(cells: Sequence[Cell], n_rows: int) -> tuple[int, int | None]:
    """Number of header rows, and the index of a column-number row if any."""
    header_end, colnum = _header_end(cells, n_rows)
    # A row of 预算数 / 决算数 under the items names each column's phase, wherever
    # it sits (before or after the column numbers): header, never amounts.
    while header_end < n_rows and is_phase_row(_row_cells(cells, header_end)):
        header_end += 1
    return header_end, colnum


def _header_end(cells: Sequence[Cell], n_rows: int) -> tuple[int, int | None]:
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


_PHASE_WORD_RE = re.compile(r"^(\d{4}年度?)?(预算数|决算数|执行数|调整预算数|年初预算数|全年预算数)$")


def is_phase_row(row: Sequence[Cell]) -> bool:
    """The `预算数 | 决算数 | 预算数 | 决算数 …` row under a 决算 table's items."""
    texts = [c.text.replace(" ", "") for c in row if c.text.strip()]
    return len(texts) >= 2 and all(_PHASE_WORD_RE.match(t) for t in texts)


def fragment_rows(fragment: Fragment) -> tuple[list[RawRow], list[RawRow]]:
    n_rows = len(fragment.grid.ys) - 1
    header_end, colnum = split_header(fragment.cells, n_rows)
    rows = [RawRow(tuple(cells), fragment.page_no) for cells in cells_by_row(fragment.cells, n_rows)]
    header = [r for i, r in enumerate(rows[:header_end]) if i != colnum]
    return header, rows[header_end:]
