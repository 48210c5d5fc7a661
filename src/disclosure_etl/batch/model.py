"""The batch's records: settings, what the planner finds, what a worker sends back."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ErrorCode
from ..records import ErrorItem, Status
from ..settings import BatchSettings, Executor, ExtractSettings
from ..write.dataset import Staged

__all__ = ["BatchResult", "BatchSettings", "DocSummary", "Executor", "Failure", "Input", "WorkerJob"]


@dataclass(frozen=True, slots=True)
class Input:
    """One file the planner found, in plan order; `refusal` when it must not be opened."""

    index: int
    path: str
    """As the OS gave it: undecodable bytes of the name are carried as surrogates."""
    refusal: Failure | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a task gave no result: the worker was stopped, died, or ran out of memory."""

    code: ErrorCode
    message: str


@dataclass(frozen=True, slots=True)
class WorkerJob:
    """What a worker needs besides the file: the same for every document of a batch."""

    out_dir: str
    settings: ExtractSettings
    max_crops: int
    timed: bool = False
    """Time the document's stages (the benchmark): the worker sends them back in `DocSummary.stages`."""


@dataclass(frozen=True, slots=True)
class DocSummary:
    """What a worker sends back: small, whatever the document's size."""

    path: str
    """The file name as shown (escaped)."""
    doc_id: str
    status: Status
    n_pages: int
    errors: tuple[ErrorItem, ...]
    staged: Staged | None
    note: str = ""
    """What the committer did beyond the status, e.g. kept the earlier extraction."""
    stages: tuple[tuple[str, float], ...] = ()
    """Seconds per pipeline stage in the worker, when the job was timed (stageclock.STAGES)."""


@dataclass(frozen=True, slots=True)
class BatchResult:
    summaries: tuple[DocSummary, ...]
    skipped: tuple[str, ...]
    outputs: dict[str, str] = field(default_factory=dict)
