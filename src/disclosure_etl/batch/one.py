"""One document read the way the batch reads it, and nothing written: `disclosure-etl check`.

The file is looked at with `stat` here (a FIFO or a device is refused
unopened), then opened, hashed and read in a forked worker with the batch's
time and memory limits (`isolate.call_isolated`), so a hang, a bomb or a
crash in a native library ends as a status — `timeout`, `too_large`,
`worker_died` — instead of taking the command down with it.
"""

from __future__ import annotations

from ..pipeline import failed_result
from ..records import DocumentResult
from ..settings import ExtractSettings
from ..terminal import PageProgress
from .isolate import call_isolated
from .model import BatchSettings, Failure
from .plan import refusal
from .worker import read_file


def read_one(path: str, settings: ExtractSettings | None = None, batch: BatchSettings | None = None,
             pages: PageProgress | None = None) -> DocumentResult:
    """`path` read in a worker with `batch.timeout_s` and `batch.max_memory_mb`; bad input gives an error result.

    `pages` reports the pages OCR reads; it runs (and prints) in the worker."""
    settings = ExtractSettings.resolve(settings)
    batch = batch or BatchSettings()
    outcome = refusal(path) or call_isolated(read_file, (path, settings, pages), batch.timeout_s, batch.max_memory_mb)
    if isinstance(outcome, Failure):
        return failed_result(path, "", outcome.code, f"{path}: {outcome.message}")
    return outcome
