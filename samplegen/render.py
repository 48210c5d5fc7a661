"""Draw a DocSpec as a text PDF with reportlab's canvas; return where things went."""

from __future__ import annotations

from samplegen.canvas import BODY_LEADING, BODY_SIZE, MARGIN, PORTRAIT, TITLE_SIZE, Pages, draw
from samplegen.model import Block, DocSpec, Flow, PageMap, Part, SpecError
from samplegen.render_table import draw_table
from samplegen.text import register_font, text_width, wrap

TOC_LEADING = BODY_LEADING + 4


def cover_lines(spec: DocSpec) -> tuple[str, ...]:
    return spec.flow.cover_lines or (spec.department, spec.title.removeprefix(spec.department))


def draw_cover(p: Pages, spec: DocSpec) -> None:
    """The cover: its lines mid-page, or at the top when the 目录 follows on the same page."""
    p.new_page()
    w, h = p.size
    y = h - MARGIN - 40 if spec.flow.toc_on_cover else h * 0.62
    for line in cover_lines(spec):
        draw(p, line, w / 2, y, 24, "center", bold=True)
        y -= 48
    p.y = y


def draw_toc(p: Pages, spec: DocSpec, heading_pages: dict[str, int]) -> None:
    """The 目录 on a page of its own (or below the cover's lines), running on
    to the next page when it is long; with `heading_pages`, each line ends in
    a dot leader and the page its heading is printed on."""
    if not spec.flow.toc_on_cover:
        p.new_page()
    draw(p, "目 录", p.size[0] / 2, p.y - 20, 18, "center", bold=True)
    p.y -= 60
    size = BODY_SIZE + 1
    for entry in spec.toc:
        indent = 2 * BODY_SIZE * entry.level
        for line in wrap(entry.text, p.size[0] - 2 * MARGIN - indent, size):
            if p.y - TOC_LEADING < MARGIN - 6:
                p.new_page()
            draw(p, line, MARGIN + indent, p.y, size, bold=entry.level == 0)
            if entry.text in heading_pages and entry.text.endswith(line):
                draw_leader(p, MARGIN + indent + text_width(line, size), str(heading_pages[entry.text]), size)
            p.y -= TOC_LEADING


def draw_leader(p: Pages, x: float, number: str, size: float) -> None:
    """Dots from x to the page number at the right margin."""
    right = p.size[0] - MARGIN
    room = right - text_width(number, size) - x - 2 * size
    draw(p, " " + "." * max(int(room / text_width(".", size)), 3), x, p.y, size)
    draw(p, number, right, p.y, size, "right")


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


def start_part(p: Pages, part: Part, flow: Flow) -> None:
    """A part starts a page, or (when parts flow) continues the page it is on."""
    if flow.parts_flow and p.size == PORTRAIT and p.y - 4 * BODY_LEADING > MARGIN:
        p.y -= 24
    else:
        p.new_page()
        if not part.blocks and not flow.tables_flow:
            p.y = p.size[1] * 0.6  # a part without text is a divider page, heading mid-page
    width = p.size[0] - 2 * MARGIN
    for line in wrap(part.heading, width, TITLE_SIZE):
        if flow.part_align == "left":
            draw(p, line, MARGIN, p.y - 10, TITLE_SIZE, bold=True)
        else:
            draw(p, line, p.size[0] / 2, p.y - 10, TITLE_SIZE, "center", bold=True)
        p.y -= TITLE_SIZE * 1.6
    p.y -= 14


def draw_part(p: Pages, part: Part, sections: dict[str, tuple[int, int]], headings: dict[str, int], flow: Flow) -> None:
    """Keyed blocks open sections that run until the next block of the same or a higher rank;
    `headings` gets the page of the part's heading and of each heading block."""
    start_part(p, part, flow)
    first_page = p.page_no
    headings.setdefault(part.heading, first_page)
    rank = {"heading": 0, "subheading": 1, "para": 2}
    open_key, open_rank = "", 0
    for block in part.blocks:
        if open_key and rank[block.kind] <= open_rank:
            open_key = ""
        first, last = draw_block(p, block)
        if block.kind != "para":
            headings.setdefault(block.text, first)
        if block.key:
            open_key, open_rank = block.key, rank[block.kind]
            sections[open_key] = (first, last)
        elif open_key:
            sections[open_key] = (sections[open_key][0], last)
    if part.key:
        sections[part.key] = (first_page, p.page_no)


def render_pages(spec: DocSpec, toc_pages: dict[str, int]) -> tuple[bytes, PageMap, dict[str, int]]:
    """One rendering: the PDF, its page map and the page of every heading."""
    p = Pages(spec)
    draw_cover(p, spec)
    draw_toc(p, spec, toc_pages)
    tables: dict[int, tuple[int, int]] = {}
    rows: dict[tuple[int, int], int] = {}
    sections: dict[str, tuple[int, int]] = {}
    headings: dict[str, int] = {}
    for part in spec.parts:
        draw_part(p, part, sections, headings, spec.flow)
        if part.holds_tables:
            for table in spec.tables:
                if not part.table_nos or table.no in part.table_nos:
                    tables[table.no] = draw_table(p, table, rows, spec.flow)
    return p.finish(), PageMap(tables=tables, rows=rows, sections=sections), headings


def render_pdf(spec: DocSpec, font_path: str) -> tuple[bytes, PageMap]:
    """The PDF bytes and the page map the ground truth is built from. A 目录
    with page numbers takes a second rendering, once the pages are known."""
    register_font(font_path)
    pdf, pages, headings = render_pages(spec, {})
    if spec.flow.toc_page_numbers:
        pdf, pages, again = render_pages(spec, headings)
        if again != headings:
            raise SpecError("the 目录's page numbers moved the headings")
    return pdf, pages
