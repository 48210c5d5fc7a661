"""Page geometry records: boxes, characters, ruling segments, text lines, pictures of pages.

Pure, like `records` (which re-exports them): no I/O and no imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BBox:
    """A box in PDF points, origin top-left of the page (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    bbox: BBox
    confidence: float = 1.0
    """1.0 for a text layer; the recogniser's confidence for OCR."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling segment: horizontal when `top == bottom`, else vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class TextLine:
    """Characters sharing a baseline, in reading order."""

    page_no: int
    text: str
    bbox: BBox
    size: float


@dataclass(frozen=True, slots=True)
class Crop:
    """A picture of (part of) a page, shown beside the findings that name the page."""

    page_no: int
    png: bytes
    findings: tuple[int, ...]
    """Indexes into `DocumentResult.findings`."""
    whole_page: bool = False
    """The whole page, shared by every finding naming it without pointing at cells or a sentence."""
