"""The seed document as a scanner would give it: page images, no text layer.

Each page is rendered, turned by a small seeded angle, given seeded noise and
written back as one image per page at the page's own size, so the pipeline
can only read it through OCR. The committed variant is bilevel (CCITT G4, as
office scanners file it: ~20 KB a page); grayscale JPEG is kept for tests
that build their scans at test time.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Collection

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SLUG = "dh_2024_department_budget_scanned"
DPI = 200
SEED = 20240601
MIN_ANGLE, MAX_ANGLE = 0.4, 0.8  # degrees either way: a sheet fed slightly askew
NOISE_SIGMA = 12.0  # grey levels of sensor noise (ragged edges once thresholded)
SPECKLE_RATE = 0.0003  # share of pixels turned to dust specks
THRESHOLD = 160  # grey level below which a bilevel scan prints black
JPEG_QUALITY = 75


def pdf_to_scanned(pdf: bytes, dpi: int = DPI, seed: int = SEED, bilevel: bool = True) -> bytes:
    """Every page of `pdf` as a noisy, slightly rotated image in a new PDF; same input, same bytes."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [_scan(doc[i], dpi, rng, bilevel) for i in range(len(doc))]
    finally:
        doc.close()
    return images_to_pdf(pages)


def pdf_pages_to_scanned(pdf: bytes, pages: Collection[int], dpi: int = DPI, seed: int = SEED) -> bytes:
    """Only `pages` (1-based) scanned, in grayscale; every other page left blank, so page numbers hold.

    The metadata PDFium writes carries the time: for test-time fixtures, not for committed files.
    """
    source = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    rng = np.random.default_rng(seed)
    try:
        for index in range(len(source)):
            if index + 1 not in pages:
                out.new_page(*source[index].get_size()).close()
                continue
            scan = pdfium.PdfDocument(images_to_pdf([_scan(source[index], dpi, rng, False)]))
            out.import_pages(scan, [0], index)
            scan.close()
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        source.close()


def _scan(page, dpi: int, rng: np.random.Generator, bilevel: bool) -> tuple[Image.Image, tuple[float, float]]:  # type: ignore[no-untyped-def]
    size = page.get_size()
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    page.close()
    sign = 1 if rng.random() < 0.5 else -1
    angle = sign * (MIN_ANGLE + (MAX_ANGLE - MIN_ANGLE) * rng.random())
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, NOISE_SIGMA, (image.height, image.width))
    pixels[rng.random(pixels.shape) < SPECKLE_RATE] = 0.0
    grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if bilevel:
        return grey.point(lambda v: 255 if v >= THRESHOLD else 0).convert("1"), size
    return grey, size


def images_to_pdf(pages: list[tuple[Image.Image, tuple[float, float]]]) -> bytes:
    """One page per image at its page size (points), written by Pillow without dates or title.

    Pillow gives all pages of one save the same resolution, so each run of
    same-sized pages is one save, appended to the file as an incremental update.
    """
    if not pages:
        raise ValueError("no pages to write")
    buf = io.BytesIO()
    for k, ((width, height), run) in enumerate(itertools.groupby(pages, key=lambda p: p[1])):
        images = [im for im, _ in run]
        dpi = (images[0].width * 72 / width, images[0].height * 72 / height)
        extra = {"append": True} if k else {"title": None, "creationDate": None, "modDate": None}
        images[0].save(buf, "PDF", save_all=True, append_images=images[1:], dpi=dpi, **extra, **_quality(images[0]))
    return buf.getvalue()


def _quality(image: Image.Image) -> dict[str, int]:
    """JPEG quality for greyscale pages; bilevel pages go to G4, which takes no quality."""
    return {} if image.mode == "1" else {"quality": JPEG_QUALITY}
