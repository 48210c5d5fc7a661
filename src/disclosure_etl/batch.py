"""The batch: find the PDFs, run each in a worker, commit its output, write the report.

Workers run `extract_to_staging` (a document in, its staged files out) in
separate processes — locally through a process pool, or on a Dask cluster —
so a crash or a hang costs one document, never the batch. Only the committer
(this process) moves staged files into the datasets, so a batch killed at any
moment leaves the previous output intact and a re-run adds what is missing.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .crossdoc_io import run_batch_checks
from .errors import ErrorCode, SourceError
from .pipeline import iter_pdf_paths, process_document, sha256_of
from .records import DocType, DocumentInfo, DocumentResult, ErrorItem, Status
from .settings import ExtractSettings
from .write.dataset import Staged, clean_staging, commit, completed_doc_ids, stage_document
from .write.output import write_document_page, write_index

log = logging.getLogger(__name__)


class Executor(str, enum.Enum):
    LOCAL = "local"
    DASK = "dask"


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """How a batch runs."""

    workers: int = 1
    """Worker processes on this machine (1 runs in this process)."""
    executor: Executor = Executor.LOCAL
    scheduler: str | None = None
    """Dask scheduler address (tcp://host:port); None starts nothing and needs `client`."""
    force: bool = False
    """Re-extract documents already in the output (same sha256)."""
    timeout_s: float | None = None
    """Wall-clock limit per document in seconds; the worker is killed past it."""
    max_crops: int = 100
    """Page crops rendered per document for the report."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "executor", Executor(self.executor))
        if self.workers < 1:
            raise ValueError("BatchSettings.workers must be >= 1")
        if self.timeout_s is not None and self.timeout_s <= 0:
            raise ValueError("BatchSettings.timeout_s must be > 0")


@dataclass(frozen=True, slots=True)
class DocSummary:
    """What a worker sends back: small, whatever the document's size."""

    path: str
    doc_id: str
    status: Status
    n_pages: int
    errors: tuple[ErrorItem, ...]
    staged: Staged | None


@dataclass(frozen=True, slots=True)
class BatchResult:
    summaries: tuple[DocSummary, ...]
    skipped: tuple[str, ...]
    outputs: dict[str, str] = field(default_factory=dict)


def extract_to_staging(path: str, out_dir: str, settings: ExtractSettings, max_crops: int, sha: str = "") -> DocSummary:
    """The worker's task: one PDF to staged Parquet parts and its report page."""
    try:
        result = process_document(path, settings, max_crops, sha)  # hashed once, by the planner
    except Exception as exc:
        # A defect must not take the batch down: the document is reported with the
        # defect's name (and logged with its traceback) and the batch goes on.
        log.exception("internal error on %s", path)
        doc_id = sha256_of(path) if os.path.isfile(path) else ""
        return failed_summary(path, doc_id, "internal_error", f"bug in disclosure-etl ({type(exc).__name__}: {exc}); please report it", out_dir)
    staged = stage_document(result, out_dir)
    write_document_page(result, out_dir)
    return DocSummary(path, result.info.doc_id, result.status, result.info.n_pages, result.errors, staged)


def failed_summary(path: str, doc_id: str, code: str, message: str, out_dir: str) -> DocSummary:
    """A document the worker could not finish (killed on timeout, or the worker died)."""
    import hashlib

    doc_id = doc_id or hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
    info = DocumentInfo(doc_id, path, os.path.basename(path), "", None, DocType.UNKNOWN, 0)
    error = ErrorItem(ErrorCode(code).value, f"{path}: {message}")
    result = DocumentResult(info=info, status=Status.ERROR, errors=(error,))
    return DocSummary(path, doc_id, Status.ERROR, 0, (error,), stage_document(result, out_dir))


def _plan(paths: Iterable[str], out_dir: str, force: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """(path, sha256) of each PDF to extract, and the paths skipped as already extracted."""
    done = set() if force else completed_doc_ids(out_dir)
    todo, skipped, seen = [], [], set()
    for path in iter_pdf_paths(paths):
        try:
            sha = sha256_of(path)
        except OSError:
            sha = ""
        if sha and (sha in done or sha in seen):
            skipped.append(path)
            continue
        seen.add(sha)
        todo.append((path, sha))
    return todo, skipped


Progress = Callable[[DocSummary], None]


def run_batch(
    paths: Iterable[str],
    out_dir: str,
    settings: ExtractSettings | None = None,
    batch: BatchSettings | None = None,
    progress: Progress | None = None,
    plan: Callable[[int, int], None] | None = None,
    client=None,  # type: ignore[no-untyped-def]  # a dask.distributed.Client
    max_crops: int | None = None,
) -> BatchResult:
    """Extract every PDF under `paths` into the datasets in `out_dir`, then write the report index."""
    settings = ExtractSettings.resolve(settings)
    batch = batch or BatchSettings()
    if max_crops is not None:
        batch = BatchSettings(batch.workers, batch.executor, batch.scheduler, batch.force, batch.timeout_s, max_crops)
    os.makedirs(out_dir, exist_ok=True)
    clean_staging(out_dir)
    todo, skipped = _plan(paths, out_dir, batch.force)
    if plan:
        plan(len(todo), len(skipped))
    summaries = []
    for summary in _execute(todo, out_dir, settings, batch, client):
        if summary.staged is not None:
            commit(summary.staged, out_dir)
        summaries.append(summary)
        if progress:
            progress(summary)
    clean_staging(out_dir)
    run_batch_checks(out_dir)  # documents against each other, over the whole output
    outputs = write_index(out_dir)
    return BatchResult(tuple(summaries), tuple(skipped), outputs)


def _execute(todo, out_dir, settings, batch, client) -> Iterator[DocSummary]:  # type: ignore[no-untyped-def]
    from .executors import run_dask, run_pool, run_serial

    if batch.executor is Executor.DASK:
        yield from run_dask(todo, out_dir, settings, batch, client)
    elif batch.workers > 1 or batch.timeout_s:
        yield from run_pool(todo, out_dir, settings, batch)
    else:
        yield from run_serial(todo, out_dir, settings, batch)


__all__ = ["BatchResult", "BatchSettings", "DocSummary", "Executor", "SourceError", "extract_to_staging", "run_batch"]
