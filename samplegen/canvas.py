"""The page canvas: reportlab pages, the text-flow position and one-line text drawing."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from samplegen.model import DocSpec
from samplegen.text import FONT_NAME, text_width

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 50.0
BODY_SIZE = 11.0
BODY_LEADING = 20.0
TITLE_SIZE = 16.0


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
