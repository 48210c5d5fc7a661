"""I/O: render the pictures extract/crops.py plans — strips of pages with cells outlined,
a sentence with its numbers marked, or a whole page.

Each page a picture needs is rendered once, in greyscale, over the band its
pictures cover; every strip is cut from that image. Pictures are 8-bit palette
PNGs (the page's greys and one red for the marks): small, and quick to compress.
Rendering is bounded: a picture is at most `MAX_SIDE_PX` on its longest side,
and pages larger than `MAX_PAGE_PT` are not rendered at all. Each page is
loaded once for all its pictures, and its text read once for all the
sentences on it (the boxes of a sentence's own characters only).
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..records import BBox
from .crops import MARGIN_PT, Band, CropRequest
from .pdfium_calls import address, pdfium_text, tight_boxes

SCALE = 2.0
MAX_SIDE_PX = 1400
MAX_PAGE_PT = 5000.0  # pages larger than this (in points) are not rendered
SEPARATOR_PX = 8
RED = 255  # palette index of the marks; the page's greys are 0..254
_PALETTE = [v for g in range(255) for v in (g, g, g)] + [220, 30, 30]
_CLIP = [min(v, RED - 1) for v in range(256)]  # white becomes grey 254, so index 255 is free for the marks
_SEPARATOR_GREY = 200
# A figure of the sentence; a list marker ('1．', '2、', '（3）') is no figure and stays unmarked.
_NUMBER_RE = re.compile(r"(?<![\d(（])\d[\d,]*(?:\.\d+)?%?(?![\d．、.)）])")


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=4096)
def _normal_char(char: str) -> str:
    return _normal(char)  # a page repeats few distinct characters


class _PageText:
    """One page's characters (NFKC, no whitespace) with PDFium's tight boxes (top-left origin), each box
    read only when a sentence needs it."""

    def __init__(self, page: Any) -> None:
        self.height = page.get_size()[1]
        self.textpage = page.get_textpage()
        self.normal = [_normal_char(ch) for ch in pdfium_text(self.textpage.raw, self.textpage.count_chars())]
        self.ends = list(itertools.accumulate(map(len, self.normal)))  # ends[i]: where character i ends in `text`
        self.text = "".join(self.normal)

    def span(self, start: int, stop: int) -> list[tuple[str, BBox]]:
        """The characters `text[start:stop]` with their boxes, reading the boxes of those characters only: a page holds
        about 1,200, a sentence a few dozen (finding the 20 sentences of the corpus: 44 → 36 ms)."""
        first, last = bisect.bisect_right(self.ends, start), bisect.bisect_right(self.ends, stop - 1)
        keep = [i for i in range(first, last + 1) if self.normal[i]]
        boxes = tight_boxes(address(self.textpage.raw), keep)
        if boxes is None:
            import pypdfium2 as pdfium

            raise pdfium.PdfiumError("Failed to get charbox.")
        out: list[tuple[str, BBox]] = []
        for i, x0, x1, y0, y1 in zip(keep, boxes[0::4], boxes[1::4], boxes[2::4], boxes[3::4]):
            box = BBox(x0, self.height - y1, x1, self.height - y0)
            begin = self.ends[i] - len(self.normal[i])
            out.extend((self.text[k], box) for k in range(max(begin, start), min(self.ends[i], stop)))
        return out


def page_chars(page: Any) -> list[tuple[str, BBox]]:
    """The page's characters (NFKC, no whitespace) with their boxes (PDFium's tight char box), top-left origin."""
    text = _PageText(page)
    try:
        return text.span(0, len(text.text))
    finally:
        text.textpage.close()


class _Pages:
    """The document's pages loaded on first use and kept for every picture of the call, with their characters."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._pages: dict[int, Any] = {}
        self._texts: dict[int, _PageText] = {}

    def __len__(self) -> int:
        return len(self.doc)

    def page(self, page_no: int) -> Any:
        if page_no not in self._pages:
            self._pages[page_no] = self.doc[page_no - 1]
        return self._pages[page_no]

    def sentence(self, page_no: int, sentence: str) -> tuple[list[BBox], list[BBox]] | None:
        """`find_sentence` over the page's characters, reading only the found characters' boxes."""
        if page_no not in self._texts:
            self._texts[page_no] = _PageText(self.page(page_no))
        text = self._texts[page_no]
        found = _locate(text.text, sentence)
        if found is None:
            return None
        start, wanted = found
        return _marked(text.span(start, start + len(wanted)), wanted)

    def close(self) -> None:
        for text in self._texts.values():
            text.textpage.close()
        for page in self._pages.values():
            page.close()
        self._texts.clear()
        self._pages.clear()


def find_sentence(chars: Sequence[tuple[str, BBox]], sentence: str) -> tuple[list[BBox], list[BBox]] | None:
    """Boxes of the sentence's characters on the page, and of its numbers; None when it is not there.

    A sentence cut by a page break is found by its longest part on this page."""
    found = _locate("".join(c for c, _ in chars), sentence)
    if found is None:
        return None
    start, wanted = found
    return _marked(chars[start : start + len(wanted)], wanted)


def _locate(text: str, sentence: str) -> tuple[int, str] | None:
    """Where the sentence (or its longer half found on the page) starts in the page's text, and that text."""
    wanted = _normal(sentence)
    if not wanted:
        return None  # a quote of blanks: nothing to find (nothing to frame)
    start = text.find(wanted)
    if start >= 0:
        return start, wanted
    for part in (wanted[: len(wanted) // 2], wanted[len(wanted) // 2 :]):
        if len(part) >= 8 and (start := text.find(part)) >= 0:
            return start, part
    return None


def _marked(span: Sequence[tuple[str, BBox]], wanted: str) -> tuple[list[BBox], list[BBox]]:
    numbers = [b for m in _NUMBER_RE.finditer(wanted) for b in _lines(span[m.start() : m.end()])]
    return [b for _, b in span], numbers


def _lines(chars: Sequence[tuple[str, BBox]]) -> list[BBox]:
    """One box per line the characters run over (a decimal point is short, yet on the line)."""
    lines: list[BBox] = []
    for _, b in chars:
        if lines and b.top < lines[-1].bottom and b.bottom > lines[-1].top and b.x0 >= lines[-1].x0:
            lines[-1] = lines[-1].union(b)
        else:
            lines.append(b)
    return lines


def _resolve(pages: _Pages, req: CropRequest) -> CropRequest | None:
    """Strips for every request: a sentence located on its page, a whole page as one strip; None if unrenderable."""
    if not 1 <= req.page_no <= len(pages) or any(not 1 <= b.page_no <= len(pages) for b in req.bands):
        return None
    width, height = pages.page(req.page_no).get_size()
    if max(width, height) > MAX_PAGE_PT:
        return None
    if any(b.bottom <= 0 or b.top >= pages.page(b.page_no).get_size()[1] for b in req.bands):
        return None  # a strip off its page (cell boxes of a damaged file): nothing there to show
    found = pages.sentence(req.page_no, req.quote) if req.quote else None
    if found is not None:
        boxes, numbers = found
        band = Band(req.page_no, min(b.top for b in boxes) - 2 * MARGIN_PT, max(b.bottom for b in boxes) + 2 * MARGIN_PT)
        return CropRequest(req.page_no, (band,), marks=tuple(numbers))
    if not req.bands:
        return CropRequest(req.page_no, (Band(req.page_no, 0.0, height),), req.boxes)
    return req


def _render_pages(pages: _Pages, requests: Sequence[CropRequest]) -> dict[int, tuple[Any, float, float]]:
    """page -> (greyscale image of the band its strips cover, the band's top in points, the scale)."""
    spans: dict[int, tuple[float, float]] = {}
    whole: dict[int, bool] = {}  # every picture using the page is the whole page alone
    for req in requests:
        for b in req.bands:
            top, bottom = spans.get(b.page_no, (b.top, b.bottom))
            spans[b.page_no] = (min(top, b.top), max(bottom, b.bottom))
            alone = len(req.bands) == 1 and b.top <= 0.0 and b.bottom >= pages.page(b.page_no).get_size()[1]
            whole[b.page_no] = whole.get(b.page_no, True) and alone
    out = {}
    for page_no, (top, bottom) in sorted(spans.items()):
        page = pages.page(page_no)
        width, height = page.get_size()
        top, bottom = max(0.0, top), min(height, bottom)
        scale = min(SCALE, MAX_SIDE_PX / max(width, 1.0))  # every strip spans the page's width
        if whole[page_no]:
            scale = _fit(scale, width, height)
        bitmap = page.render(scale=scale, grayscale=True, crop=(0.0, height - bottom, 0.0, top))
        pixels = bitmap.to_numpy()  # the bitmap's own buffer, which Python allocated
        np.minimum(pixels, RED - 1, out=pixels)  # _CLIP in place: no image made by point(), none by convert()
        out[page_no] = (bitmap.to_pil(), top, scale)  # mode L over the same buffer, which it keeps alive
    return out


def _fit(scale: float, width: float, height: float) -> float:
    """The scale at which a whole page is rendered at its picture's final size (longest side at most
    MAX_SIDE_PX): sharper than rendering it larger and shrinking it, and a third of the pixels to draw."""
    longest = max(width, height, 1.0)
    fitted = min(scale, MAX_SIDE_PX / longest)
    while math.ceil(longest * fitted) > MAX_SIDE_PX:  # PDFium's bitmap is ceil(size × scale)
        fitted = math.nextafter(fitted, 0.0)
    return fitted


def _strip(pages: dict[int, tuple[Any, float, float]], band: Band) -> tuple[Any, float, float]:
    """The band cut from its page's image, the page position (points) of its first row, and its scale."""
    image, top, scale = pages[band.page_no]
    y0 = max(0, round((band.top - top) * scale))
    y1 = min(image.height, max(y0 + 1, round((band.bottom - top) * scale)))
    return image.crop((0, y0, image.width, y1)), top + y0 / scale, scale


def _mark(image: Any, req: CropRequest, origin: float, f: float, dy: float) -> None:
    """Cells outlined; a sentence's numbers boxed clear of their digits and underlined, still legible."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)

    def box(b: BBox, pad: float) -> list[float]:
        return [b.x0 * f - pad, dy + (b.top - origin) * f - pad, b.x1 * f + pad, dy + (b.bottom - origin) * f + pad]

    for b in req.boxes:
        draw.rectangle(box(b, 2), outline=RED, width=3)
    for b in req.marks:
        draw.rectangle(box(b, 3), outline=RED, width=1)
        draw.line([b.x0 * f, dy + (b.bottom - origin) * f + 3, b.x1 * f, dy + (b.bottom - origin) * f + 3], fill=RED, width=2)


def _stack(strips: Sequence[tuple[Any, float, float]]) -> tuple[Any, list[int]]:
    """The strips one above the other with a grey rule between them, and each one's top row.
    A single strip is the picture itself (it is already a copy of its page's image)."""
    from PIL import Image

    if len(strips) == 1:
        return strips[0][0], [0]
    width = max(s.width for s, _, _ in strips)
    image = Image.new("L", (width, sum(s.height for s, _, _ in strips) + SEPARATOR_PX * (len(strips) - 1)), _SEPARATOR_GREY)
    offsets = []
    y = 0
    for s, _, _ in strips:
        image.paste(s, (0, y))
        offsets.append(y)
        y += s.height + SEPARATOR_PX
    return image, offsets


def _picture(pages: dict[int, tuple[Any, float, float]], req: CropRequest) -> bytes:
    from PIL import Image

    strips = [_strip(pages, b) for b in req.bands]
    image, offsets = _stack(strips)
    shrink = min(1.0, MAX_SIDE_PX / max(image.width, image.height, 1))
    if shrink < 1.0:  # a tall stack or a whole portrait page
        image = image.resize((max(1, round(image.width * shrink)), max(1, round(image.height * shrink))), Image.Resampling.BILINEAR)
        image = image.point(_CLIP)
    for band, (_, origin, scale), dy in zip(req.bands, strips, offsets):
        if band.page_no == req.page_no:
            _mark(image, req, origin, scale * shrink, dy * shrink)
    image.putpalette(_PALETTE)  # the grey image becomes the palette one in place: its bytes are the indexes
    buf = io.BytesIO()
    # Fast compression: zlib's run-length strategy (Z_RLE) suits a page's long runs of paper and
    # costs two thirds of level 3's time for 8% more bytes (corpus); optimize=True costs 10× the time.
    image.save(buf, format="PNG", compress_level=3, compress_type=zlib.Z_RLE)
    return buf.getvalue()


def render_crops(path: str, requests: Sequence[CropRequest], doc: Any = None) -> list[bytes | None]:
    """PNG bytes per request (None where the page cannot be rendered); opens the PDF once, renders each page once.

    `doc`: the caller's open `PdfDocument` of `path` (left open), instead of opening the file again.
    """
    import pypdfium2 as pdfium

    own = doc is None
    doc = pdfium.PdfDocument(path) if own else doc
    pages = _Pages(doc)
    try:
        resolved = [_resolve(pages, req) for req in requests]
        images = _render_pages(pages, [r for r in resolved if r is not None])
    finally:
        pages.close()
        if own:
            doc.close()
    return [_picture(images, r) if r is not None else None for r in resolved]
