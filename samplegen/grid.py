"""Table geometry: cell boxes, column widths, row heights, page breaks, rulings.

Pure: works in points and grid units and draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from samplegen.model import TEXT_KEYS, SpecError, TableSpec
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
class Geometry:
    """A table laid out once for all its pages: head = header + number rows."""

    style: Style
    col_widths: tuple[float, ...]
    head: tuple[Box, ...]
    head_heights: tuple[float, ...]
    body: tuple[Box, ...]
    body_heights: tuple[float, ...]

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


def body_boxes(spec: TableSpec) -> list[Box]:
    """Body cells, body rows numbered from 0; merged cells as one box."""
    spans = {(m.row, m.col): m for m in spec.body_merges}
    covered = {
        (m.row + i, m.col + j)
        for m in spec.body_merges
        for i in range(m.row_span)
        for j in range(m.col_span)
    } - set(spans)
    boxes = []
    for r, row in enumerate(spec.rows):
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
    """Stretch all columns to the available width, or shrink only the text
    columns (which wrap) when the natural widths are too wide."""
    total = sum(natural)
    if total <= avail:
        return tuple(w * avail / total for w in natural)
    text_cols = [i for i, k in enumerate(spec.column_keys) if k in TEXT_KEYS]
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
    head, body = header_boxes(spec), body_boxes(spec)
    widths = fit_widths(spec, natural_widths(spec, head + body, avail, st), avail)
    n_head = len(spec.header) + (1 if spec.number_row else 0)
    return Geometry(
        style=st,
        col_widths=widths,
        head=tuple(head),
        head_heights=tuple(row_heights(head, n_head, widths, st)),
        body=tuple(body),
        body_heights=tuple(row_heights(body, len(spec.rows), widths, st)),
    )


def row_groups(spec: TableSpec) -> list[range]:
    """Body rows that must stay on one page: rows tied by a row_span."""
    tied = {m.row + i for m in spec.body_merges for i in range(1, m.row_span)}
    groups: list[range] = []
    for r in range(len(spec.rows)):
        if r in tied and groups:
            groups[-1] = range(groups[-1].start, r + 1)
        else:
            groups.append(range(r, r + 1))
    return groups


def paginate(spec: TableSpec, geo: Geometry, first: float, rest: float) -> list[range]:
    """Split the body rows over pages: `first`/`rest` are the heights available
    below the page heading; the head rows repeat on every page."""
    head_h = sum(geo.head_heights)
    pages: list[range] = []
    start, used, avail = 0, head_h, first
    for g in row_groups(spec):
        h = sum(geo.body_heights[g.start : g.stop])
        forced = spec.continue_after_row is not None and g.start == spec.continue_after_row + 1
        if g.start > start and (forced or used + h > avail):
            pages.append(range(start, g.start))
            start, used, avail = g.start, head_h, rest
        if used + h > avail:
            raise SpecError(f"table {spec.no}: rows {g.start}..{g.stop - 1} do not fit on a page")
        used += h
    pages.append(range(start, len(spec.rows)))
    return pages


def fits_one_group(spec: TableSpec, geo: Geometry, first: float) -> bool:
    """Whether every unbreakable row group fits on a first page with its head."""
    head_h = sum(geo.head_heights)
    return all(head_h + sum(geo.body_heights[g.start : g.stop]) <= first for g in row_groups(spec))


def page_grid(geo: Geometry, rows: range) -> tuple[list[Box], list[float]]:
    """Head boxes plus the body boxes of `rows`, renumbered into one grid."""
    n_head = len(geo.head_heights)
    shift = n_head - rows.start
    body = [
        Box(b.row + shift, b.col, b.row_span, b.col_span, b.text, b.align)
        for b in geo.body
        if rows.start <= b.row < rows.stop
    ]
    heights = list(geo.head_heights) + list(geo.body_heights[rows.start : rows.stop])
    return list(geo.head) + body, heights


def rulings(boxes: list[Box], n_rows: int, n_cols: int) -> tuple[list, list]:
    """Grid lines between different cells, merged into maximal segments.
    Horizontal: (boundary_row, col_from, col_to); vertical: (boundary_col, row_from, row_to)."""
    owner = {}
    for i, b in enumerate(boxes):
        for r in range(b.row, b.row + b.row_span):
            for c in range(b.col, b.col + b.col_span):
                owner[(r, c)] = i
    horiz = _segments(n_rows + 1, n_cols, lambda r, c: owner.get((r - 1, c)) != owner.get((r, c)))
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
