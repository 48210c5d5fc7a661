"""Page geometry records: boxes, characters, ruling segments, text lines, pictures of pages.

Pure, like `records` (which re-exports them): no I/O and no imports.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import TypeVar

T = TypeVar("T")


def _quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an `__init__` that sets each slot through its descriptor.

    The generated one looks up `object.__setattr__` for every field (a frozen
    class cannot assign), which makes a box cost three times a plain object;
    every page makes thousands of boxes and characters. Same signature,
    defaults, and frozenness after construction.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    scope: dict[str, object] = {f"_set_{n}": cls.__dict__[n].__set__ for n in names}
    params = []
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default is MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names)
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", scope)  # noqa: S102 - as dataclasses builds its own
    cls.__init__ = scope["__init__"]  # type: ignore[misc,assignment]
    return cls


@_quick_init
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


@_quick_init
@dataclass(frozen=True, slots=True)
class Char:
    text: str
    bbox: BBox
    confidence: float = 1.0
    """1.0 for a text layer; the recogniser's confidence for OCR."""


@_quick_init
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


@_quick_init
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
