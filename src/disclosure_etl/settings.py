"""Settings of each stage: one frozen, validated dataclass each.

Build them with `resolve(None | dict | instance)`, so a misspelled key fails
loudly instead of being ignored.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class Engine(str, enum.Enum):
    """Which library reads characters and rulings off the page."""

    PDFIUM = "pdfium"
    PDFPLUMBER = "pdfplumber"


def _resolve(cls: type[T], value: None | dict[str, Any] | T) -> T:
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    if isinstance(value, dict):
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {cls.__name__} keys: {', '.join(unknown)}")
        return cls(**value)
    raise TypeError(f"cannot build {cls.__name__} from {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """How pages are read and tables are found."""

    engine: Engine = Engine.PDFIUM
    """Character/ruling reader; both give the same records."""
    rule_max_width: float = 2.0
    """A filled rectangle thinner than this (points) is a ruling line."""
    snap_tolerance: float = 2.0
    """Ruling coordinates closer than this (points) are the same grid line."""
    join_tolerance: float = 3.0
    """Gap (points) across which collinear ruling segments are joined."""
    min_grid_cells: int = 2
    """A ruled region with fewer cells than this is decoration, not a table."""
    max_page_pt: float = 14400.0
    """Pages wider or taller than this (points; PDF's own limit) are refused, not read."""
    max_pages: int = 3000
    """Documents with more pages are refused."""
    ocr: bool = True
    """Read image-only pages with OCR when rapidocr-onnxruntime is installed."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "engine", Engine(self.engine))
        for name in ("rule_max_width", "snap_tolerance", "join_tolerance", "max_page_pt", "max_pages"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ExtractSettings.{name} must be > 0")

    @classmethod
    def resolve(cls, value: None | dict[str, Any] | ExtractSettings = None) -> ExtractSettings:
        return _resolve(cls, value)


@dataclass(frozen=True, slots=True)
class ReconcileSettings:
    """How strict the reconciliation checks are."""

    rounding_units_per_term: int = 1
    """A sum of N printed parts may miss its printed total by N units of the last printed digit."""

    def __post_init__(self) -> None:
        if self.rounding_units_per_term < 0:
            raise ValueError("ReconcileSettings.rounding_units_per_term must be >= 0")

    @classmethod
    def resolve(cls, value: None | dict[str, Any] | ReconcileSettings = None) -> ReconcileSettings:
        return _resolve(cls, value)
