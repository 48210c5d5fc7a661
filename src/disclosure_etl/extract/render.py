"""I/O: crop page images around the cells a finding concerns, with those cells outlined.

Rendering is bounded: a crop is at most `MAX_SIDE_PX` on its longest side, so a
huge page or a wide region never makes a huge image.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import BBox

MARGIN_PT = 24.0
SCALE = 2.0
MAX_SIDE_PX = 1400
MAX_PAGE_PT = 5000.0  # pages larger than this (in points) are not rendered


@dataclass(frozen=True, slots=True)
class CropRequest:
    """One picture: a page region around `boxes`, which are outlined."""

    page_no: int
    boxes: tuple[BBox, ...]


def _region(boxes: Sequence[BBox], width: float, height: float) -> BBox:
    """The full width of the page (so row labels show) around the rows of the boxes."""
    top = min(b.top for b in boxes) - MARGIN_PT
    bottom = max(b.bottom for b in boxes) + MARGIN_PT
    return BBox(0.0, max(0.0, top), width, min(height, bottom))


def render_crops(path: str, requests: Sequence[CropRequest]) -> list[bytes | None]:
    """PNG bytes per request (None where the page cannot be rendered); opens the PDF once."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    out: list[bytes | None] = []
    doc = pdfium.PdfDocument(path)
    try:
        for req in requests:
            if not req.boxes or not 1 <= req.page_no <= len(doc):
                out.append(None)
                continue
            page = doc[req.page_no - 1]
            width, height = page.get_size()
            if max(width, height) > MAX_PAGE_PT:
                out.append(None)
                continue
            region = _region(req.boxes, width, height)
            scale = min(SCALE, MAX_SIDE_PX / max(region.x1 - region.x0, region.bottom - region.top, 1.0))
            crop = (region.x0, height - region.bottom, width - region.x1, region.top)
            image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for b in req.boxes:
                draw.rectangle(
                    [(b.x0 - region.x0) * scale, (b.top - region.top) * scale, (b.x1 - region.x0) * scale, (b.bottom - region.top) * scale],
                    outline=(220, 30, 30), width=3,
                )
            buf = io.BytesIO()
            # Fast compression: crops are many and small; optimize=True costs 10× the time.
            image.save(buf, format="PNG", compress_level=3)
            out.append(buf.getvalue())
            page.close()
    finally:
        doc.close()
    return out
