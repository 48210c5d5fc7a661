"""Settings of each stage: one frozen, validated dataclass each.

Build them with `resolve(None | dict | instance)`, so a misspelled key fails
loudly instead of being ignored.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class Engine(str, enum.Enum):
    """Which library reads characters and rulings off the page."""

    PDFIUM = "pdfium"
    PDFPLUMBER = "pdfplumber"


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the platform tells): what `ocr_threads=0` means."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
    max_stream_mb: int = 256
    """A stream (font, profile, content) inflating past this (MB) refuses the document as too_large."""
    max_page_content_mb: int = 16
    """A page whose content and forms inflate past this (MB; PDFium needs ~50× in memory) is not read."""
    max_image_pixels: int = 100_000_000
    """A page holding an image with more pixels than this is not read (a 600 dpi A3 scan is 35 M)."""
    ocr: bool = True
    """Read image-only pages with OCR when rapidocr-onnxruntime is installed."""
    ocr_cells: bool = True
    """OCR reads each ruled cell's line straight away and runs the text detector only outside
    the grids; False runs the detector over the whole page (slower: the benchmark's reference)."""
    ocr_threads: int = 0
    """Scanned pages OCR reads at once, each on one core (its models run one inference thread);
    0: every core this process may use. A batch sets each worker's share of the cores (one each
    when it runs a document per core)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "engine", Engine(self.engine))
        for name in ("rule_max_width", "snap_tolerance", "join_tolerance", "max_page_pt", "max_pages", "max_stream_mb",
                     "max_page_content_mb", "max_image_pixels"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ExtractSettings.{name} must be > 0")
        if self.ocr_threads < 0:
            raise ValueError("ExtractSettings.ocr_threads must be >= 0")

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


DEFAULT_TIMEOUT_S = 900.0
"""Per-document time limit of a batch (seconds): a 3,000-page document, or a few hundred pages of OCR."""
DEFAULT_MAX_MEMORY_MB = 3072
"""Per-worker memory limit (MB, beyond what the worker holds at start): OCR of a large scanned page needs about 1 GB."""


class Executor(str, enum.Enum):
    LOCAL = "local"
    DASK = "dask"


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """How a batch runs."""

    workers: int = 1
    """Worker processes on this machine; every document runs in one, even with 1."""
    executor: Executor = Executor.LOCAL
    scheduler: str | None = None
    """Dask scheduler address (tcp://host:port); None starts nothing and needs `client`."""
    force: bool = False
    """Re-extract documents already in the output (same sha256)."""
    timeout_s: float = DEFAULT_TIMEOUT_S
    """Wall-clock limit per document in seconds; the worker is killed past it."""
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    """Memory a worker may allocate beyond its start-up footprint (MB, RLIMIT_DATA); a document needing more is `too_large`."""
    max_crops: int = 100
    """Page crops rendered per document for the report."""
    lock_wait_s: float = 0.0
    """How long to wait for another run holding the output folder (seconds); 0 fails at once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "executor", Executor(self.executor))
        if self.workers < 1:
            raise ValueError("BatchSettings.workers must be >= 1")
        if self.timeout_s <= 0:
            raise ValueError("BatchSettings.timeout_s must be > 0")
        if self.max_memory_mb < 256:
            raise ValueError("BatchSettings.max_memory_mb must be >= 256")
        if self.lock_wait_s < 0:
            raise ValueError("BatchSettings.lock_wait_s must be >= 0")

    @classmethod
    def resolve(cls, value: None | dict[str, Any] | BatchSettings = None) -> BatchSettings:
        return _resolve(cls, value)
