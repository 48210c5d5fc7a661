"""Pure: labelled grids of every page -> tables, stitched over page breaks.

A grid continues the table before it only when it has no title of its own (or
repeats that title marked 续) and its columns line up with that table's; its
rows are then appended. At the top of a continuation only rows that repeat the
table's own header (or number its columns) are dropped — a page's first body
row is never taken for a header — and a first row holding nothing but the rest
of a label cut by the page break is joined to the row it completes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..records import Cell, RawRow, RawTable
from .tables import Fragment, PageLayout, cell_is_amount, cells_by_row, fragment_rows, is_column_number_row

_TOTAL_WORD_RE = re.compile(r"^(合计|小计|总计)$")
_SPACES_RE = re.compile(r"\s+")
_CONTINUED_RE = re.compile(r"[（(]?\s*续(表)?\s*[)）]?\s*$")
_STARTS_ROW_RE = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|\d{3,}|合\s*计|总\s*计|小\s*计)")


def attach_trailing_titles(layouts: Sequence[PageLayout]) -> list[PageLayout]:
    """Give a title printed at the foot of a page to the untitled grid that opens the next page."""
    out = list(layouts)
    for k in range(len(out) - 1):
        trailing, nxt = out[k].trailing, out[k + 1]
        if trailing is None:
            continue
        if not nxt.fragments or nxt.fragments[0].title:
            out[k] = replace(out[k], trailing=None)  # no grid takes it: its lines stay narrative
            continue
        first = nxt.fragments[0]
        adopted = replace(first, title=trailing.title, unit_text=first.unit_text or trailing.unit_text,
                          filer=first.filer or trailing.filer, notes=trailing.notes + first.notes, title_page=out[k].page_no)
        out[k + 1] = replace(nxt, fragments=(adopted,) + nxt.fragments[1:])
    return out


def fragments_to_tables(fragments: Sequence[Fragment]) -> list[RawTable]:
    """Stitch fragments into tables: an untitled grid — or one titled '…（续）' — whose columns match continues the one before."""
    tables: list[RawTable] = []
    for frag in fragments:
        if not frag.title and not any(c.text.strip() for c in frag.cells):
            continue  # an empty frame with no title: a box drawn around a chart, not a table
        if tables and _is_continuation_title(frag.title, tables[-1].title) and _continues(tables[-1], frag):
            tables[-1] = _append(tables[-1], frag)
            continue
        header, body = fragment_rows(frag)
        tables.append(
            RawTable(
                title=frag.title,
                unit_text=frag.unit_text,
                filer=frag.filer,
                header_rows=tuple(header),
                body_rows=tuple(body),
                pages=(frag.title_page, frag.page_no) if frag.title_page else (frag.page_no,),
                n_cols=len(frag.grid.xs) - 1,
                col_edges=frag.grid.xs,
                notes=frag.notes,
            )
        )
    return tables


def _is_continuation_title(title: str, previous: str) -> bool:
    """No title, or the previous table's title marked 续 / 续表."""
    if not title:
        return True
    marked = _CONTINUED_RE.search(title)
    if marked is None:
        return False
    return _SPACES_RE.sub("", title[: marked.start()]) == _SPACES_RE.sub("", previous)


def _continues(table: RawTable, frag: Fragment) -> bool:
    """On the same or the next page, same outer width, and every column line on one of the table's."""
    last = table.pages[-1]
    if frag.page_no not in (last, last + 1):
        return False
    edges, other = table.col_edges, frag.grid.xs
    width = edges[-1] - edges[0]
    tol = max(6.0, 0.02 * width)
    if abs(width - (other[-1] - other[0])) > max(12.0, 0.05 * width):
        return False
    if frag.opens_page and frag.page_no == last + 1:
        return True  # an untitled grid heading the next page, as wide as the table: a form's next page
    shifted = [x - other[0] + edges[0] for x in other]
    fits = sum(any(abs(x - e) <= tol for e in edges) for x in shifted)
    return fits == len(shifted) or (len(other) == len(edges) and fits >= len(shifted) - 1)


def _append(table: RawTable, frag: Fragment) -> RawTable:
    """Add a continuation's rows, re-indexing its columns onto the table's edges."""
    remap = _column_map(table.col_edges, frag.grid.xs)
    n_rows = len(frag.grid.ys) - 1
    rows = [_remap_row(RawRow(tuple(cells), frag.page_no), remap) for cells in cells_by_row(frag.cells, n_rows)]
    rows = _drop_repeated_header(rows, table.header_rows)
    header_rows = table.header_rows
    if not header_rows and not table.body_rows:
        header, body = fragment_rows(frag)
        header_rows, rows = tuple(_remap_row(r, remap) for r in header), [_remap_row(r, remap) for r in body]
    body_rows = _join_cut_row(table.body_rows, rows)
    pages = table.pages if frag.page_no in table.pages else table.pages + (frag.page_no,)
    return replace(
        table,
        header_rows=header_rows,
        body_rows=body_rows,
        pages=pages,
        notes=table.notes + frag.notes,
        unit_text=table.unit_text or frag.unit_text,
    )


def _norm(text: str) -> str:
    return _SPACES_RE.sub("", text)


def _drop_repeated_header(rows: list[RawRow], header: Sequence[RawRow]) -> list[RawRow]:
    """Leading rows that repeat the table's header, or number its columns, are not body rows."""
    known = {_norm(c.text) for r in header for c in r.cells if _norm(c.text)}
    k = 0
    while k < len(rows):
        texts = [_norm(c.text) for c in rows[k].cells if _norm(c.text)]
        repeats = bool(texts) and bool(known) and all(t in known for t in texts)
        if not (repeats or is_column_number_row(rows[k].cells)):
            break
        k += 1
    return rows[k:]


def _join_cut_row(body: tuple[RawRow, ...], rows: list[RawRow]) -> tuple[RawRow, ...]:
    """A first row holding only the rest of labels cut by the page break completes the row before it."""
    if not body or not rows or not _is_cut_remainder(rows[0], body):
        return body + tuple(rows)
    prev, rest = body[-1], rows[0]
    extra = {c.col: c.text for c in rest.cells if c.text.strip()}
    cells = tuple(replace(c, text=c.text + extra[c.col]) if c.col in extra else c for c in prev.cells)
    return body[:-1] + (replace(prev, cells=cells),) + tuple(rows[1:])


def _is_cut_remainder(row: RawRow, body: tuple[RawRow, ...]) -> bool:
    """Text only, in cells whose label above is unfinished and finished by it.

    Unfinished and finished are read off the table's own labels: '八、社会保障和就'
    ends unlike any other and '…就业支出' ends like many (corpus:
    jiangsu/江苏省人大办公厅2017年度预算公开, p.7-8; 省法院2017…, p.18: '信息网络及软件购' /
    '置更新'); '小计' over '事业收入' is two
    rows, '小计' ending like other labels of its column (jiangsu/省法院2017…, p.12-13).
    """
    filled = [c for c in row.cells if c.text.strip()]
    prev = {c.col: _norm(c.text) for c in body[-1].cells}
    if not filled or any(cell_is_amount(c.text) or (_STARTS_ROW_RE.match(c.text) and not _ends_a_neighbour(c, prev)) for c in filled):
        return False
    endings = Counter(t[-2:] for r in body for c in r.cells if len(t := _norm(c.text)) >= 2 and not cell_is_amount(t))
    for cell in filled:
        above = prev.get(cell.col, "")
        if not above or endings[above[-2:]] >= 2 or endings[(above + _norm(cell.text))[-2:]] < 1:
            return False
    return True


def _ends_a_neighbour(cell: Cell, prev: dict[int, str]) -> bool:
    """'小计' under '当年收入' whose neighbour reads '当年支出小计': the rest of a cut label, not a 小计 row
    (corpus: jiangsu/江苏省人大办公厅2017年度预算公开, p.8-9)."""
    text = _norm(cell.text)
    return bool(_TOTAL_WORD_RE.match(text)) and any(col != cell.col and t.endswith(text) and len(t) > len(text) for col, t in prev.items())


def _column_map(edges: Sequence[float], other: Sequence[float]) -> dict[int, tuple[int, int]]:
    """Map each column of `other` to the columns of `edges` it covers (first, last).

    A continuation page can merge columns the first page keeps apart (a bottom row
    whose label spans a two-column block, corpus: jiangsu/江苏省人大办公厅2017…, p.9).
    """
    out = {}
    shift = edges[0] - other[0]
    centres = [(edges[k] + edges[k + 1]) / 2 for k in range(len(edges) - 1)]
    for j in range(len(other) - 1):
        lo, hi = other[j] + shift, other[j + 1] + shift
        inside = [k for k, xc in enumerate(centres) if lo <= xc <= hi]
        if not inside:
            mid = (lo + hi) / 2
            inside = [min(range(len(centres)), key=lambda k: abs(centres[k] - mid))]
        out[j] = (inside[0], inside[-1])
    return out


def _remap_row(row: RawRow, remap: dict[int, tuple[int, int]]) -> RawRow:
    if all(remap.get(c.col) == (c.col, c.col) and remap.get(end := c.col + c.col_span - 1) == (end, end) for c in row.cells):
        return row  # the table's own columns (most continuations): no cell moves
    cells: list[Cell] = []
    for c in row.cells:
        start = remap.get(c.col, (c.col, c.col))[0]
        end = remap.get(c.col + c.col_span - 1, (start, start))[1]
        span = max(1, end - start + 1)
        # Most continuations keep the table's columns: a cell that does not move is kept as it is.
        cells.append(c if start == c.col and span == c.col_span else replace(c, col=start, col_span=span))
    return RawRow(tuple(cells), row.page_no)
