"""Tables on the page: the lines around a grid, and the grid over one or more pages."""

from __future__ import annotations

from samplegen import grid
from samplegen.canvas import LANDSCAPE, MARGIN, PORTRAIT, TITLE_SIZE, Pages, draw
from samplegen.model import Flow, HeadLine, TableSpec

# kind -> (height taken, baseline lift above the bottom of that height, size, bold)
HEAD_STYLE = {
    "note": (18.0, 4.0, 9.0, False),
    "title": (26.0, 6.0, TITLE_SIZE, True),
    "subtitle": (18.0, 5.0, 10.0, False),
    "line": (20.0, 6.0, 9.0, False),
    "number": (20.0, 6.0, 10.0, True),
    "heading": (30.0, 8.0, 13.0, False),
}
TAB = 60.0  # where `HeadLine.tab` starts, right of the line's left edge
TABLE_GAP = 24.0  # space below a table when the next one follows on the same page
SLACK = 0.5  # keeps float rounding from moving a planned page break


def head_lines(spec: TableSpec) -> tuple[HeadLine, ...]:
    """The lines above the grid: the spec's own, or note, title, subtitle and
    the 填报单位 line with the unit at its right."""
    if spec.head:
        return spec.head
    lines = [HeadLine("note", spec.empty_note)] if spec.empty_note else []
    lines.append(HeadLine("title", spec.title))
    if spec.subtitle:
        lines.append(HeadLine("subtitle", spec.subtitle))
    lines.append(HeadLine("line", spec.filer_text, right=spec.unit_text))
    return tuple(lines)


def lines_height(lines: tuple[HeadLine, ...]) -> float:
    return sum(HEAD_STYLE[line.kind][0] for line in lines)


def draw_lines(p: Pages, lines: tuple[HeadLine, ...], x0: float, width: float) -> None:
    """Each line below the last, from p.y down; p.y ends at the last baseline's foot."""
    for line in lines:
        height, lift, size, bold = HEAD_STYLE[line.kind]
        p.y -= height
        y = p.y + lift
        if line.kind in ("title", "subtitle"):
            draw(p, line.text, x0 + width / 2, y, size, "center", bold=bold)
        else:
            draw(p, line.text, x0, y, size, bold=bold)
        if line.tab:
            draw(p, line.tab, x0 + TAB, y, size)
        if line.right or line.kind == "line":
            draw(p, line.right, x0 + width, y, size, "right")


def page_size(spec: TableSpec, flow: Flow) -> tuple[float, float]:
    return LANDSCAPE if spec.n_cols > flow.landscape_above else PORTRAIT


def choose_geometry(spec: TableSpec, size: tuple[float, float], heading: float, flow: Flow) -> grid.Geometry:
    """The compact style when some unbreakable group of rows needs it to fit,
    or (one table per page) when it needs fewer pages; the normal style otherwise."""
    avail_w = size[0] - 2 * MARGIN
    first = size[1] - 2 * MARGIN - heading
    rest = size[1] - 2 * MARGIN
    compact = grid.table_geometry(spec, avail_w, grid.COMPACT)
    normal = grid.table_geometry(spec, avail_w, grid.NORMAL)
    if flow.tables_flow:
        return normal if grid.fits_one_group(normal, first) else compact
    if grid.fits_one_group(normal, first):
        pages = grid.paginate(normal, first, rest, spec.repeat_head, spec.title)
        if len(pages) <= len(grid.paginate(compact, first, rest, spec.repeat_head, spec.title)):
            return normal
    return compact


def place(p: Pages, geo: grid.Geometry, size: tuple[float, float], heading: float, flow: Flow) -> bool:
    """Start the table: on a new page, or below what is already on this one.
    A planned page break (a cut row, `continue_after_row`) is made to fall at
    the page foot. Returns whether the grid goes overleaf, leaving the lines
    above it at this page's foot (`Flow.orphan_titles`)."""
    if not flow.tables_flow or p.page_no == 0 or p.size != size:
        p.new_page(size)
    head_rows = sum(geo.head_heights)
    if flow.tables_flow and geo.breaks:
        to_break = heading + head_rows + sum(geo.body_heights[: min(geo.breaks)])
        if p.y - to_break < MARGIN:
            p.new_page(size)
        p.y = MARGIN + to_break + SLACK
        return False
    need = heading + head_rows + (geo.body_heights[0] if geo.body_heights else 0.0)
    if p.y - need >= MARGIN:
        return False
    if flow.orphan_titles and p.y - heading >= MARGIN:
        return True
    p.new_page(size)
    return False


def draw_table(p: Pages, spec: TableSpec, rows: dict[tuple[int, int], int], flow: Flow) -> tuple[int, int]:
    """Draw a table over one or more pages; record the page of each body row
    (a cut row is on the page that prints its amounts)."""
    size = page_size(spec, flow)
    lines = head_lines(spec)
    geo = choose_geometry(spec, size, lines_height(lines), flow)
    overleaf = place(p, geo, size, lines_height(lines), flow)
    first = p.page_no
    x0 = (p.size[0] - geo.width) / 2
    draw_lines(p, lines, x0, geo.width)
    if overleaf:
        p.new_page(size)
    pages = grid.paginate(geo, p.y - MARGIN, size[1] - 2 * MARGIN, spec.repeat_head, spec.title)
    for i, body_rows in enumerate(pages):
        if i:
            p.new_page(size)
        boxes, heights = grid.page_grid(geo, body_rows, with_head=i == 0 or spec.repeat_head)
        p.y = draw_grid(p, boxes, heights, geo, x0, p.y, open_top=i > 0 and spec.open_top)
        for r in body_rows:
            rows.setdefault((spec.no, geo.source[r]), p.page_no)
    if spec.foot:
        if p.y - lines_height(spec.foot) < MARGIN:
            p.new_page(size)
        draw_lines(p, spec.foot, x0, geo.width)
    p.y -= TABLE_GAP
    return first, p.page_no


def draw_grid(
    p: Pages, boxes: list[grid.Box], heights: list[float], geo: grid.Geometry, x0: float, top: float, open_top: bool = False
) -> float:
    """Cells and rulings from `top` down; returns the grid's bottom."""
    xs = [x0]
    for w in geo.col_widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for box in boxes:
        draw_cell(p, box, geo, xs, ys)
    horiz, vert = grid.rulings(boxes, len(heights), len(geo.col_widths), open_top)
    p.canvas.setLineWidth(0.6)
    for r, c0, c1 in horiz:
        p.canvas.line(xs[c0], ys[r], xs[c1], ys[r])
    for c, r0, r1 in vert:
        p.canvas.line(xs[c], ys[r0], xs[c], ys[r1])
    return ys[-1]


def draw_cell(p: Pages, box: grid.Box, geo: grid.Geometry, xs: list[float], ys: list[float]) -> None:
    """Cell text vertically centred, aligned as the box says."""
    st = geo.style
    lines = grid.cell_lines(box, geo.col_widths, st)
    left, right = xs[box.col] + st.pad_x, xs[box.col + box.col_span] - st.pad_x
    top, bottom = ys[box.row], ys[box.row + box.row_span]
    # Baseline of the first line: centre the block of lines, then drop by the cap height.
    y = (top + bottom) / 2 + (len(lines) - 1) * st.leading / 2 - st.size * 0.36
    x = {"left": left, "right": right, "center": (left + right) / 2}[box.align]
    for line in lines:
        draw(p, line, x, y, st.size, box.align)
        y -= st.leading
