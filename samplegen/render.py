"""Draw a DocSpec as a text PDF with reportlab's canvas; return where things went."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from samplegen import grid
from samplegen.model import Block, DocSpec, PageMap, Part, TableSpec
from samplegen.text import FONT_NAME, register_font, text_width, wrap

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 50.0
BODY_SIZE = 11.0
BODY_LEADING = 20.0
TITLE_SIZE = 16.0
# Height of the lines printed above a table grid on its first page.
NOTE_H, TITLE_H, SUBTITLE_H, FILER_H = 18.0, 26.0, 18.0, 20.0
# Tables wider than this many leaf columns go on landscape pages.
LANDSCAPE_COLS = 6


class Pages:
    """The canvas, the current page number and size, and the baseline y of the text flow."""

    def __init__(self, spec: DocSpec):
        self.buf = io.BytesIO()
        self.canvas = Canvas(self.buf, pagesize=PORTRAIT, invariant=1)
        self.canvas.setTitle(spec.title)
        self.canvas.setAuthor(spec.department)
        self.canvas.setCreator("samplegen")
        self.page_no = 0
        self.size = PORTRAIT
        self.y = 0.0

    def new_page(self, size: tuple[float, float] = PORTRAIT) -> None:
        if self.page_no:
            self._footer()
            self.canvas.showPage()
        self.page_no += 1
        self.size = size
        self.canvas.setPageSize(size)
        self.y = size[1] - MARGIN

    def _footer(self) -> None:
        if self.page_no > 1:
            draw(self, str(self.page_no), self.size[0] / 2, MARGIN / 2, 8, "center")

    def finish(self) -> bytes:
        self._footer()
        self.canvas.showPage()
        self.canvas.save()
        return self.buf.getvalue()


def draw(p: Pages, text: str, x: float, y: float, size: float, align: str = "left", bold: bool = False) -> None:
    """One line of text; bold is emulated by filling and stroking the glyphs."""
    if align == "center":
        x -= text_width(text, size) / 2
    elif align == "right":
        x -= text_width(text, size)
    c = p.canvas
    c.saveState()
    t = c.beginText(x, y)
    t.setFont(FONT_NAME, size)
    if bold:
        c.setLineWidth(size / 30)
        t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def draw_cover(p: Pages, spec: DocSpec) -> None:
    p.new_page()
    w, h = p.size
    rest = spec.title.removeprefix(spec.department)
    draw(p, spec.department, w / 2, h * 0.62, 24, "center", bold=True)
    draw(p, rest, w / 2, h * 0.62 - 48, 24, "center", bold=True)


def draw_toc(p: Pages, spec: DocSpec) -> None:
    p.new_page()
    draw(p, "目 录", p.size[0] / 2, p.y - 20, 18, "center", bold=True)
    p.y -= 60
    for entry in spec.toc:
        indent = 2 * BODY_SIZE * entry.level
        for line in wrap(entry.text, p.size[0] - 2 * MARGIN - indent, BODY_SIZE + 1):
            draw(p, line, MARGIN + indent, p.y, BODY_SIZE + 1, bold=entry.level == 0)
            p.y -= BODY_LEADING + 4


BLOCK_STYLE = {  # kind -> (size, bold, first-line indent in characters, space before)
    "heading": (13.0, True, 0, 10.0),
    "subheading": (BODY_SIZE, True, 2, 4.0),
    "para": (BODY_SIZE, False, 2, 0.0),
}


def draw_block(p: Pages, block: Block) -> tuple[int, int]:
    """Flow one block onto the pages; return its first and last page."""
    size, bold, indent, before = BLOCK_STYLE[block.kind]
    width = p.size[0] - 2 * MARGIN
    lines = wrap(block.text, width, size, first_indent=indent * size)
    keep = BODY_LEADING * (3 if block.kind != "para" else 1)
    p.y -= before
    if p.y - keep < MARGIN:
        p.new_page()
    first = p.page_no
    for i, line in enumerate(lines):
        if p.y - BODY_LEADING < MARGIN - 6:
            p.new_page()
        p.y -= BODY_LEADING
        draw(p, line, MARGIN + (indent * size if i == 0 else 0), p.y, size, bold=bold)
    return first, p.page_no


def draw_part(p: Pages, part: Part, sections: dict[str, tuple[int, int]]) -> None:
    """A part starts a page; keyed blocks open sections that run until the
    next block of the same or a higher rank."""
    p.new_page()
    if not part.blocks:
        p.y = p.size[1] * 0.6  # a part without text is a divider page, heading mid-page
    for line in wrap(part.heading, p.size[0] - 2 * MARGIN, TITLE_SIZE):
        draw(p, line, p.size[0] / 2, p.y - 10, TITLE_SIZE, "center", bold=True)
        p.y -= TITLE_SIZE * 1.6
    p.y -= 14
    first_page = p.page_no
    rank = {"heading": 0, "subheading": 1, "para": 2}
    open_key, open_rank = "", 0
    for block in part.blocks:
        if open_key and rank[block.kind] <= open_rank:
            open_key = ""
        first, last = draw_block(p, block)
        if block.key:
            open_key, open_rank = block.key, rank[block.kind]
            sections[open_key] = (first, last)
        elif open_key:
            sections[open_key] = (sections[open_key][0], last)
    if part.key:
        sections[part.key] = (first_page, p.page_no)


def heading_height(spec: TableSpec) -> float:
    return (NOTE_H if spec.empty_note else 0) + TITLE_H + (SUBTITLE_H if spec.subtitle else 0) + FILER_H


def draw_table_heading(p: Pages, spec: TableSpec, width: float) -> None:
    """Note, title, subtitle and the 填报单位 / 单位 line above the grid."""
    x0, mid = (p.size[0] - width) / 2, p.size[0] / 2
    if spec.empty_note:
        p.y -= NOTE_H
        draw(p, spec.empty_note, x0, p.y + 4, 9)
    p.y -= TITLE_H
    draw(p, spec.title, mid, p.y + 6, TITLE_SIZE, "center", bold=True)
    if spec.subtitle:
        p.y -= SUBTITLE_H
        draw(p, spec.subtitle, mid, p.y + 5, 10, "center")
    p.y -= FILER_H
    draw(p, spec.filer_text, x0, p.y + 6, 9)
    draw(p, spec.unit_text, x0 + width, p.y + 6, 9, "right")


def layout_table(spec: TableSpec) -> tuple[tuple[float, float], grid.Geometry, list[range]]:
    """Page size, geometry and page breaks; the compact style is used when it
    needs fewer pages, or when some unbreakable group of rows needs it to fit."""
    size = LANDSCAPE if spec.n_cols > LANDSCAPE_COLS else PORTRAIT
    avail_w = size[0] - 2 * MARGIN
    first = size[1] - 2 * MARGIN - heading_height(spec)
    rest = size[1] - 2 * MARGIN
    compact = grid.table_geometry(spec, avail_w, grid.COMPACT)
    compact_pages = grid.paginate(spec, compact, first, rest)
    normal = grid.table_geometry(spec, avail_w, grid.NORMAL)
    if grid.fits_one_group(spec, normal, first):
        normal_pages = grid.paginate(spec, normal, first, rest)
        if len(normal_pages) <= len(compact_pages):
            return size, normal, normal_pages
    return size, compact, compact_pages


def draw_table(p: Pages, spec: TableSpec, rows: dict[tuple[int, int], int]) -> tuple[int, int]:
    """Draw a table over one or more pages; record each body row's page."""
    size, geo, pages = layout_table(spec)
    first = p.page_no + 1
    for i, body_rows in enumerate(pages):
        p.new_page(size)
        if i == 0:
            draw_table_heading(p, spec, geo.width)
        boxes, heights = grid.page_grid(geo, body_rows)
        draw_grid(p, boxes, heights, geo, (p.size[0] - geo.width) / 2, p.y)
        rows.update({(spec.no, r): p.page_no for r in body_rows})
    return first, p.page_no


def draw_grid(p: Pages, boxes: list[grid.Box], heights: list[float], geo: grid.Geometry, x0: float, top: float) -> None:
    xs = [x0]
    for w in geo.col_widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for box in boxes:
        draw_cell(p, box, geo, xs, ys)
    horiz, vert = grid.rulings(boxes, len(heights), len(geo.col_widths))
    p.canvas.setLineWidth(0.6)
    for r, c0, c1 in horiz:
        p.canvas.line(xs[c0], ys[r], xs[c1], ys[r])
    for c, r0, r1 in vert:
        p.canvas.line(xs[c], ys[r0], xs[c], ys[r1])


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


def render_pdf(spec: DocSpec, font_path: str) -> tuple[bytes, PageMap]:
    """The PDF bytes and the page map the ground truth is built from."""
    register_font(font_path)
    p = Pages(spec)
    draw_cover(p, spec)
    draw_toc(p, spec)
    tables: dict[int, tuple[int, int]] = {}
    rows: dict[tuple[int, int], int] = {}
    sections: dict[str, tuple[int, int]] = {}
    for part in spec.parts:
        draw_part(p, part, sections)
        if part.holds_tables:
            for table in spec.tables:
                tables[table.no] = draw_table(p, table, rows)
    return p.finish(), PageMap(tables=tables, rows=rows, sections=sections)
