"""What runs in a worker process: hash a file, extract it to staged files, or read it for `check`.

A worker is a separate process with a memory limit (`limit_memory`, set once
when it starts) and a time limit (its executor kills it past `--timeout`), so
whatever a file does to the parser costs that document only. Files are opened
with O_NONBLOCK and checked with fstat before any read: a file swapped for a
FIFO or a device after planning is still refused.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import resource
import secrets
import sys
from contextlib import nullcontext
from dataclasses import replace

from ..collector import collected_after
from ..display import display_path
from ..errors import ErrorCode
from ..extract.document import PageProgress as OnPage
from ..pipeline import failed_result, process_document
from ..records import DocumentResult
from ..settings import ExtractSettings
from ..stageclock import StageClock, stage
from ..terminal import PageProgress
from ..write.dataset import stage_document
from ..write.output import write_document_page
from .model import DocSummary, Failure, WorkerJob
from .plan import refusal_of_mode

log = logging.getLogger(__name__)
MAX_IMAGE_PIXELS = 100_000_000
"""Pillow refuses images larger than this before decoding them (its own default is 89 M)."""


def start_worker(max_memory_mb: int) -> None:
    """Set up a fresh worker process: its memory ceiling and image limits."""
    limit_memory(max_memory_mb)
    import PIL.Image

    PIL.Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    gc.freeze()  # what the worker was forked with (libraries, the catalogue) is never garbage: never traversed again


def limit_memory(max_memory_mb: int) -> None:
    """Let this process allocate at most `max_memory_mb` more than it holds now (RLIMIT_DATA).

    RLIMIT_DATA rather than RLIMIT_AS: the address space also counts what is
    only reserved (a malloc arena per thread, ONNX Runtime's pools) and grows
    with the number of cores; the data limit counts writable memory. It is set
    above what the worker already holds when it starts, because that differs
    by library (importing pyarrow.dataset alone maps about 1 GB). Past the
    limit Python raises MemoryError (`too_large`); PDFium aborts (`worker_died`).
    """
    limit = current_data_bytes() + (max_memory_mb << 20)
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def current_data_bytes() -> int:
    """This process's data segment now (Linux: VmData); 0 where the system does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


def release_memory() -> None:
    """After a MemoryError: collect what the failed document left and hand freed pages back
    to the system, so this worker's next document starts under its limit again."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def open_regular(path: str) -> int:
    """A read-only descriptor on a regular file; refuses anything else without reading it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    refused = refusal_of_mode(path, os.fstat(fd).st_mode)
    if refused is not None:
        os.close(fd)
        raise _Refused(refused)
    return fd


class _Refused(Exception):
    def __init__(self, failure: Failure):
        super().__init__(failure.message)
        self.failure = failure


def hash_file(path: str) -> str | Failure:
    """The file's sha256 (its document id), or why it could not be read."""
    try:
        fd = open_regular(path)
    except _Refused as exc:
        return exc.failure
    except OSError as exc:
        return Failure(_os_code(exc), f"cannot read the file ({exc.strerror})")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        return Failure(ErrorCode.UNREADABLE_FILE, f"cannot read the file ({exc.strerror})")
    return digest.hexdigest()


def _os_code(exc: OSError) -> ErrorCode:
    return ErrorCode.FILE_NOT_FOUND if isinstance(exc, FileNotFoundError) else ErrorCode.UNREADABLE_FILE


def extract_file(path: str, sha: str, job: WorkerJob) -> DocSummary:
    """The worker's task: one PDF to staged Parquet parts and its report page (its stages timed if the job says so)."""
    clock = StageClock() if job.timed else None
    with collected_after():
        summary = _extract_file(path, sha, job, clock)
    return replace(summary, stages=tuple(sorted(clock.seconds.items()))) if clock is not None else summary


def _extract_file(path: str, sha: str, job: WorkerJob, clock: StageClock | None) -> DocSummary:
    with _ocr_progress(path) as pages:
        result = read_document(path, sha, job.settings, job.max_crops, pages.update, clock)
    try:
        with stage(clock, "write"):
            return stage_result(result, job.out_dir)
    except OSError:
        raise  # the output folder itself (disk full, permissions): the batch stops and says so
    except Exception as exc:  # rows the writer refuses are a defect too: this document's, not the batch's
        log.exception("internal error writing %s", display_path(path))
        message = f"{path}: bug in disclosure-etl while writing ({type(exc).__name__}: {exc}); please report it"
        return stage_result(failed_result(path, sha, ErrorCode.INTERNAL_ERROR, message), job.out_dir)


def read_file(path: str, settings: ExtractSettings, pages: PageProgress | None = None) -> DocumentResult:
    """The task of `disclosure-etl check`: one PDF opened, hashed and read in this worker; nothing written.

    `pages` hears of each page read and is closed here, in the worker, which is where it prints from."""
    sha = hash_file(path)
    if isinstance(sha, Failure):
        return failed_result(path, "", sha.code, f"{path}: {sha.message}")
    with collected_after(), pages or nullcontext():
        return read_document(path, sha, settings, 0, pages.update if pages else None)


def read_document(path: str, sha: str, settings: ExtractSettings, max_crops: int, on_page: OnPage | None = None,
                  clock: StageClock | None = None) -> DocumentResult:
    """One regular file through the pipeline; whatever goes wrong is this document's result, never an exception."""
    try:
        os.close(open_regular(path))  # still a regular file?
        return process_document(path, settings, max_crops, sha, on_page=on_page, clock=clock)
    except _Refused as exc:
        return failed_result(path, sha, exc.failure.code, f"{path}: {exc.failure.message}")
    except MemoryError:
        release_memory()
        return failed_result(path, sha, ErrorCode.TOO_LARGE, f"{path}: needs more memory than the worker's limit")
    except Exception as exc:
        # A defect must not take the batch down: the document is reported with the
        # defect's name (and logged with its traceback) and the batch goes on.
        log.exception("internal error on %s", display_path(path))
        message = f"{path}: bug in disclosure-etl ({type(exc).__name__}: {exc}); please report it"
        return failed_result(path, sha, ErrorCode.INTERNAL_ERROR, message)


def _ocr_progress(path: str) -> PageProgress:
    """Lines on stderr while a scanned document is read by OCR (a page takes a second or more):
    the first page, every tenth and the last. Text pages are quick and say nothing."""

    def emit(text: str, newline: bool) -> None:
        if text:
            sys.stderr.write(text + ("\n" if newline else ""))
            sys.stderr.flush()

    return PageProgress(display_path(path), tty=False, emit=emit)


def stage_result(result: DocumentResult, out_dir: str) -> DocSummary:
    """Stage a result's datasets and report page for the committer."""
    staged = stage_document(result, out_dir, secrets.token_hex(4))
    staged = replace(staged, files=staged.files + write_document_page(result, staged.folder, out_dir))
    return DocSummary(result.info.source, result.info.doc_id, result.status, result.info.n_pages, result.errors, staged)


def failure_summary(path: str, doc_id: str, failure: Failure, out_dir: str) -> DocSummary:
    """A document without a worker's result (refused, stopped, or its worker died): its error row, staged."""
    return stage_result(failed_result(path, doc_id, failure.code, f"{path}: {failure.message}"), out_dir)
