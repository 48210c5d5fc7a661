"""Table geometry: cell boxes, column widths, row heights, page breaks, rulings.

Pure: works in points and grid units and draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from samplegen.model import TEXT_KEYS, Merge, SpecError, TableSpec
from samplegen.text import text_width, wrap


@dataclass(frozen=True)
class Style:
    """Type size and spacing of a table, in points."""

    size: float
    leading: float
    min_row: float
    pad_x: float
    pad_y: float


NORMAL = Style(size=9, leading=11.5, min_row=18, pad_x=4, pad_y=3)
COMPACT = Style(size=8, leading=10, min_row=14, pad_x=3, pad_y=2)


@dataclass(frozen=True)
class Box:
    """A cell on the grid (row/col in grid units) with its text and alignment."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    align: str


@dataclass(frozen=True)
class Body:
    """The body rows as printed: a cut row prints as two rows (the head of its
    cut cell with the other cells, then the tail alone). `source` maps each
    printed row to its row in the spec; `breaks` are printed rows that must
    begin a page."""

    rows: tuple[tuple[str, ...], ...]
    merges: tuple[Merge, ...]
    source: tuple[int, ...]
    breaks: frozenset[int]


@dataclass(frozen=True)
class Geometry:
    """A table laid out once for all its pages: head = header + number rows;
    body rows are the printed rows of `Body`."""

    style: Style
    col_widths: tuple[float, ...]
    head: tuple[Box, ...]
    head_heights: tuple[float, ...]
    body: tuple[Box, ...]
    body_heights: tuple[float, ...]
    source: tuple[int, ...] = ()
    breaks: frozenset[int] = frozenset()
    split_from: int | None = None

    @property
    def width(self) -> float:
        return sum(self.col_widths)


def header_boxes(spec: TableSpec) -> list[Box]:
    """Place header cells on the grid, skipping positions covered from above."""
    covered: set[tuple[int, int]] = set()
    boxes = []
    for r, cells in enumerate(spec.header):
        c = 0
        for cell in cells:
            while (r, c) in covered:
                c += 1
            boxes.append(Box(r, c, cell.row_span, cell.col_span, cell.text, "center"))
            covered.update((r + i, c + j) for i in range(cell.row_span) for j in range(cell.col_span))
            c += cell.col_span
        if c > spec.n_cols or any((r, j) not in covered for j in range(spec.n_cols)):
            raise SpecError(f"table {spec.no}: header row {r} does not fill {spec.n_cols} columns")
    if spec.number_row:
        r = len(spec.header)
        boxes += [Box(r, c, 1, 1, t, "center") for c, t in enumerate(spec.number_row_cells())]
    return boxes


def printed_body(spec: TableSpec) -> Body:
    """The spec's body rows as the page prints them (see `Body`)."""
    cut = spec.cut
    rows: list[tuple[str, ...]] = []
    source: list[int] = []
    for r, row in enumerate(spec.rows):
        if cut is not None and cut.row == r:
            text = row[cut.col]
            tail = tuple(text[cut.keep :] if c == cut.col else "" for c in range(len(row)))
            rows += [row[: cut.col] + (text[: cut.keep],) + row[cut.col + 1 :], tail]
            source += [r, r]
        else:
            rows.append(row)
            source.append(r)
    first = {r: source.index(r) for r in set(source)}
    if cut is not None and any(m.row <= cut.row < m.row + m.row_span for m in spec.body_merges):
        raise SpecError(f"table {spec.no}: a cut row cannot be part of a merged cell")
    merges = tuple(replace(m, row=first[m.row], row_span=first[m.row + m.row_span - 1] - first[m.row] + 1)
                   for m in spec.body_merges)
    breaks = {first[cut.row] + 1} if cut is not None else set()
    if spec.continue_after_row is not None:
        breaks.add(first[spec.continue_after_row + 1])
    return Body(tuple(rows), merges, tuple(source), frozenset(breaks))


def body_boxes(spec: TableSpec, body: Body) -> list[Box]:
    """Body cells, printed rows numbered from 0; merged cells as one box."""
    spans = {(m.row, m.col): m for m in body.merges}
    covered = {
        (m.row + i, m.col + j)
        for m in body.merges
        for i in range(m.row_span)
        for j in range(m.col_span)
    } - set(spans)
    boxes = []
    for r, row in enumerate(body.rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            m = spans.get((r, c))
            align = "left" if spec.column_keys[c] in TEXT_KEYS or m else "right"
            boxes.append(Box(r, c, m.row_span if m else 1, m.col_span if m else 1, text, align))
    return boxes


def natural_widths(spec: TableSpec, boxes: list[Box], avail: float, st: Style) -> list[float]:
    """Fit each column to its widest single-column text, within bounds;
    header texts count only up to five characters since they may wrap."""
    widths = [40.0] * spec.n_cols
    for b in boxes:
        if b.col_span == 1:
            w = text_width(b.text, st.size)
            if b.align == "center":
                w = min(w, 5 * st.size)
            widths[b.col] = max(widths[b.col], w + 2 * st.pad_x)
    return [min(w, 0.4 * avail) for w in widths]


def fit_widths(spec: TableSpec, natural: list[float], avail: float) -> tuple[float, ...]:
    """Stretch all columns to the available width, or shrink only the columns
    of words (which wrap; codes never do) when the natural widths are too wide."""
    total = sum(natural)
    if total <= avail:
        return tuple(w * avail / total for w in natural)
    text_cols = [i for i, k in enumerate(spec.column_keys) if k in TEXT_KEYS and k not in ("code", "dept_code")]
    fixed = sum(w for i, w in enumerate(natural) if i not in text_cols)
    flexible = total - fixed
    scale = max(avail - fixed, 0.0) / flexible if flexible else 1.0
    return tuple(w * scale if i in text_cols else w for i, w in enumerate(natural))


def cell_lines(box: Box, widths: tuple[float, ...], st: Style) -> list[str]:
    inner = sum(widths[box.col : box.col + box.col_span]) - 2 * st.pad_x
    return wrap(box.text, inner, st.size) if box.text else []


def row_heights(boxes: list[Box], n_rows: int, widths: tuple[float, ...], st: Style) -> list[float]:
    """Each row as tall as its tallest single-row cell; a spanning cell that
    needs more grows the last row it spans."""
    heights = [st.min_row] * n_rows
    need = {b: len(cell_lines(b, widths, st)) * st.leading + 2 * st.pad_y for b in boxes}
    for b in boxes:
        if b.row_span == 1:
            heights[b.row] = max(heights[b.row], need[b])
    for b in boxes:
        if b.row_span > 1:
            short = need[b] - sum(heights[b.row : b.row + b.row_span])
            if short > 0:
                heights[b.row + b.row_span - 1] += short
    return heights


def table_geometry(spec: TableSpec, avail: float, st: Style) -> Geometry:
    printed = printed_body(spec)
    head, body = header_boxes(spec), body_boxes(spec, printed)
    if spec.col_weights:
        widths = tuple(w * avail / sum(spec.col_weights) for w in spec.col_weights)
    else:
        widths = fit_widths(spec, natural_widths(spec, head + body, avail, st), avail)
    n_head = len(spec.header) + (1 if spec.number_row else 0)
    return Geometry(
        style=st,
        col_widths=widths,
        head=tuple(head),
        head_heights=tuple(row_heights(head, n_head, widths, st)),
        body=tuple(body),
        body_heights=tuple(row_heights(body, len(printed.rows), widths, st)),
        source=printed.source,
        breaks=printed.breaks,
        split_from=None if spec.split_from is None else printed.source.index(spec.split_from),
    )


def row_groups(geo: Geometry) -> list[range]:
    """Printed rows that must stay on one page: rows tied by a row_span, except
    from `split_from` on, where a page break may fall inside a merged cell."""
    free = len(geo.body_heights) if geo.split_from is None else geo.split_from + 1
    tied = {r for b in geo.body for r in range(b.row + 1, b.row + b.row_span) if r < free}
    groups: list[range] = []
    for r in range(len(geo.body_heights)):
        if r in tied and groups:
            groups[-1] = range(groups[-1].start, r + 1)
        else:
            groups.append(range(r, r + 1))
    return groups


def paginate(geo: Geometry, first: float, rest: float, repeat_head: bool = True, name: str = "") -> list[range]:
    """Split the printed rows over pages: `first`/`rest` are the heights available
    below the page heading; the head rows come first on the first page and, when
    `repeat_head`, on every page."""
    head_h = sum(geo.head_heights)
    pages: list[range] = []
    start, used, avail = 0, head_h, first
    for g in row_groups(geo):
        h = sum(geo.body_heights[g.start : g.stop])
        if g.start > start and (g.start in geo.breaks or used + h > avail):
            pages.append(range(start, g.start))
            start, used, avail = g.start, head_h if repeat_head else 0.0, rest
        if used + h > avail:
            raise SpecError(f"table {name}: rows {g.start}..{g.stop - 1} do not fit on a page")
        used += h
    pages.append(range(start, len(geo.body_heights)))
    return pages


def fits_one_group(geo: Geometry, first: float) -> bool:
    """Whether every unbreakable row group fits on a first page with its head."""
    head_h = sum(geo.head_heights)
    return all(head_h + sum(geo.body_heights[g.start : g.stop]) <= first for g in row_groups(geo))


def page_grid(geo: Geometry, rows: range, with_head: bool = True) -> tuple[list[Box], list[float]]:
    """Head boxes (when `with_head`) plus the body boxes of `rows`, renumbered into
    one grid; a merged cell cut by the page keeps its text on its first page."""
    n_head = len(geo.head_heights) if with_head else 0
    body = []
    for b in geo.body:
        top, bottom = max(b.row, rows.start), min(b.row + b.row_span, rows.stop)
        if top < bottom:
            text = b.text if b.row >= rows.start else ""
            body.append(Box(top - rows.start + n_head, b.col, bottom - top, b.col_span, text, b.align))
    heights = list(geo.head_heights[:n_head]) + list(geo.body_heights[rows.start : rows.stop])
    return list(geo.head[: len(geo.head) if with_head else 0]) + body, heights


def rulings(boxes: list[Box], n_rows: int, n_cols: int, open_top: bool = False) -> tuple[list, list]:
    """Grid lines between different cells, merged into maximal segments; with
    `open_top` no line above the first row (a page break cut the table there).
    Horizontal: (boundary_row, col_from, col_to); vertical: (boundary_col, row_from, row_to)."""
    owner = {}
    for i, b in enumerate(boxes):
        for r in range(b.row, b.row + b.row_span):
            for c in range(b.col, b.col + b.col_span):
                owner[(r, c)] = i
    horiz = _segments(n_rows + 1, n_cols, lambda r, c: owner.get((r - 1, c)) != owner.get((r, c)))
    if open_top:
        horiz = [seg for seg in horiz if seg[0] != 0]
    vert = _segments(n_cols + 1, n_rows, lambda c, r: owner.get((r, c - 1)) != owner.get((r, c)))
    return horiz, vert


def _segments(n_lines: int, n_units: int, drawn) -> list[tuple[int, int, int]]:
    out = []
    for k in range(n_lines):
        start = None
        for u in range(n_units + 1):
            on = u < n_units and drawn(k, u)
            if on and start is None:
                start = u
            elif not on and start is not None:
                out.append((k, start, u))
                start = None
    return out
