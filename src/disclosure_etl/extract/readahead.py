"""Pages read on worker threads ahead of the one handed on, handed on in page order.

A scanned page is rendered on the caller's thread (PDFium is not thread-safe)
and read from its pixels on a worker (OCR: NumPy, OpenCV and ONNX Runtime,
which let go of the interpreter's lock while they work). `workers` pages are
read at once, and AHEAD x `workers` pages at most are rendered and not yet
handed on, so that a worker done with a quick page takes a next one while a
slow page before it is still being read (with no page waiting, on the
scanned sample, one worker stood idle 4.5 s of 24 behind one slow page); a
rendered page waiting is a few megabytes of pixels.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeAlias, TypeVar

T = TypeVar("T")
AHEAD = 2
Job: TypeAlias = "T | Callable[[], T]"  # a page already read, or the call that reads it


def in_order(jobs: Iterable[Job[T]], workers: int) -> Iterator[T]:
    """Each job's page in the jobs' order: a read page as it is, a call run on one of `workers` threads.

    At most AHEAD x `workers` calls are submitted and not yet handed on.
    With one worker every call runs on this thread, as if there were no pool.
    A call's exception is raised here, at its page. When the consumer stops
    early, calls not yet started are cancelled and running ones finished.
    """
    if workers <= 1:
        yield from (job() if callable(job) else job for job in jobs)
        return
    pending: deque[Future[T] | T] = deque()
    running, ahead = 0, AHEAD * workers  # futures in `pending`, and how many may be
    with ThreadPoolExecutor(workers, thread_name_prefix="disclosure-etl-ocr") as pool:
        try:
            for job in jobs:
                if callable(job):
                    pending.append(pool.submit(job))
                    running += 1
                else:
                    pending.append(job)
                while pending and (running >= ahead or not isinstance(pending[0], Future)):
                    running -= isinstance(pending[0], Future)
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _result(item: Future[T] | T) -> T:
    return item.result() if isinstance(item, Future) else item
