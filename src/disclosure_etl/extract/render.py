"""I/O: render the pictures extract/crops.py plans — strips of a page with cells outlined,
a sentence with its numbers marked, or a whole page.

Rendering is bounded: a picture is at most `MAX_SIDE_PX` on its longest side, so a
huge page or a tall stack never makes a huge image; pages larger than
`MAX_PAGE_PT` are not rendered at all.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..records import BBox
from .crops import MARGIN_PT, Band, CropRequest

SCALE = 2.0
MAX_SIDE_PX = 1400
MAX_PAGE_PT = 5000.0  # pages larger than this (in points) are not rendered
SEPARATOR_PX = 8
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_OUTLINE = (220, 30, 30)
_HIGHLIGHT = (255, 214, 0, 110)


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_chars(page: Any) -> list[tuple[str, BBox]]:
    """The page's characters (NFKC, no whitespace) with their boxes, top-left origin."""
    import pypdfium2.raw as raw

    height = page.get_size()[1]
    text = page.get_textpage()
    out: list[tuple[str, BBox]] = []
    try:
        for i in range(text.count_chars()):
            char = _normal(chr(raw.FPDFText_GetUnicode(text.raw, i)))
            if not char:
                continue
            left, bottom, right, top = text.get_charbox(i)
            out.extend((c, BBox(left, height - top, right, height - bottom)) for c in char)
    finally:
        text.close()
    return out


def find_sentence(chars: Sequence[tuple[str, BBox]], sentence: str) -> tuple[list[BBox], list[BBox]] | None:
    """Boxes of the sentence's characters on the page, and of its numbers; None when it is not there.

    A sentence cut by a page break is found by its longest part on this page."""
    text = "".join(c for c, _ in chars)
    wanted = _normal(sentence)
    start = text.find(wanted)
    if start < 0:
        for part in (wanted[: len(wanted) // 2], wanted[len(wanted) // 2 :]):
            if len(part) >= 8 and (start := text.find(part)) >= 0:
                wanted = part
                break
        else:
            return None
    span = chars[start : start + len(wanted)]
    numbers = [b for m in _NUMBER_RE.finditer(wanted) for b in _union(span[m.start() : m.end()])]
    return [b for _, b in span], numbers


def _union(chars: Sequence[tuple[str, BBox]]) -> list[BBox]:
    """One box per line the characters run over."""
    lines: list[BBox] = []
    for _, b in chars:
        if lines and b.top < lines[-1].bottom and b.bottom > lines[-1].top and b.x0 >= lines[-1].x0:
            lines[-1] = lines[-1].union(b)
        else:
            lines.append(b)
    return lines


def _sentence_request(page: Any, req: CropRequest) -> CropRequest:
    """The strip of the page the sentence runs over, its numbers to outline; the whole page if not found."""
    found = find_sentence(page_chars(page), req.quote)
    if found is None:
        return CropRequest(req.page_no)
    boxes, numbers = found
    band = Band(req.page_no, min(b.top for b in boxes) - 2 * MARGIN_PT, max(b.bottom for b in boxes) + 2 * MARGIN_PT)
    return CropRequest(req.page_no, (band,), marks=tuple(numbers))


def _render_band(doc: Any, band: Band, scale: float) -> tuple[Any, float]:
    """The strip as an image, and the page position (points from the top) of its first row of pixels."""
    page = doc[band.page_no - 1]
    try:
        width, height = page.get_size()
        top, bottom = max(0.0, band.top), min(height, band.bottom)
        return page.render(scale=scale, crop=(0, height - bottom, 0, top)).to_pil().convert("RGB"), top
    finally:
        page.close()


def _stack(images: list[Any]) -> Any:
    from PIL import Image

    width = max(i.width for i in images)
    out = Image.new("RGB", (width, sum(i.height for i in images) + SEPARATOR_PX * (len(images) - 1)), (200, 200, 200))
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height + SEPARATOR_PX
    return out


def _draw(doc: Any, req: CropRequest, width: float) -> Any:
    from PIL import ImageDraw

    bands = req.bands
    tallest = sum(b.bottom - b.top for b in bands)
    scale = min(SCALE, MAX_SIDE_PX / max(width, tallest, 1.0))
    parts = [_render_band(doc, b, scale) for b in bands]
    for (image, top), band in zip(parts, bands):
        if band.page_no != req.page_no:
            continue
        draw = ImageDraw.Draw(image, "RGBA")
        for b in req.boxes:
            draw.rectangle([b.x0 * scale - 2, (b.top - top) * scale - 2, b.x1 * scale + 2, (b.bottom - top) * scale + 2], outline=_OUTLINE, width=3)
        for b in req.marks:  # numbers of a sentence: highlighted and underlined, still legible
            draw.rectangle([b.x0 * scale - 1, (b.top - top) * scale - 1, b.x1 * scale + 1, (b.bottom - top) * scale + 1], fill=_HIGHLIGHT)
            draw.line([b.x0 * scale, (b.bottom - top) * scale + 2, b.x1 * scale, (b.bottom - top) * scale + 2], fill=_OUTLINE, width=2)
    return _stack([image for image, _ in parts])


def _render_one(doc: Any, req: CropRequest) -> bytes | None:
    if not 1 <= req.page_no <= len(doc) or any(not 1 <= b.page_no <= len(doc) for b in req.bands):
        return None
    page = doc[req.page_no - 1]
    try:
        width, height = page.get_size()
        if max(width, height) > MAX_PAGE_PT:
            return None
        if req.quote:
            req = _sentence_request(page, req)
        if not req.bands:
            req = CropRequest(req.page_no, (Band(req.page_no, 0.0, height),), req.boxes)
    finally:
        page.close()
    image = _draw(doc, req, width)
    buf = io.BytesIO()
    # Fast compression: crops are many and small; optimize=True costs 10× the time.
    image.save(buf, format="PNG", compress_level=3)
    return buf.getvalue()


def render_crops(path: str, requests: Sequence[CropRequest]) -> list[bytes | None]:
    """PNG bytes per request (None where the page cannot be rendered); opens the PDF once."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return [_render_one(doc, req) for req in requests]
    finally:
        doc.close()
