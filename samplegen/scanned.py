"""The seed document as a scanner would give it: page images, no text layer.

Each page of the clean sample is rendered, turned by a small seeded angle,
given seeded noise and written back as one grayscale image per page at the
page's own size, so the pipeline can only read it through OCR.
"""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SLUG = "dh_2024_department_budget_scanned"
DPI = 150
SEED = 20240601
MAX_ANGLE = 0.8  # degrees; a sheet fed slightly askew
MIN_ANGLE = 0.4
NOISE_SIGMA = 10.0  # grey levels of sensor noise
SPECKLE_RATE = 0.0004  # share of pixels turned to dust specks
JPEG_QUALITY = 70


def pdf_to_scanned(pdf: bytes, dpi: int = DPI, seed: int = SEED) -> bytes:
    """The pages of `pdf` as noisy, slightly rotated images in a new PDF (deterministic)."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        images = [_scan(doc[i], dpi, rng) for i in range(len(doc))]
    finally:
        doc.close()
    return images_to_pdf(images, dpi)


def _scan(page, dpi: int, rng: np.random.Generator) -> Image.Image:  # type: ignore[no-untyped-def]
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    image = bitmap.to_pil().convert("L")
    page.close()
    sign = 1 if rng.random() < 0.5 else -1
    angle = sign * (MIN_ANGLE + (MAX_ANGLE - MIN_ANGLE) * rng.random())
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels + rng.normal(0.0, NOISE_SIGMA, pixels.shape)
    pixels[rng.random(pixels.shape) < SPECKLE_RATE] = 40.0
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def images_to_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """One page per image, sized image ÷ dpi; no dates, so the bytes only depend on the images."""
    doc = pdfium.PdfDocument.new()
    try:
        for image in images:
            width, height = image.width * 72 / dpi, image.height * 72 / dpi
            page = doc.new_page(width, height)
            obj = pdfium.PdfImage.new(doc)
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
            buf.seek(0)
            obj.load_jpeg(buf, inline=True)
            obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(obj)
            page.gen_content()
            page.close()
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()
