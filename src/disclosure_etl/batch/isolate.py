"""One call in a forked child with a time and a memory limit.

The Dask executor runs every task through `call_isolated`, so a document on a
Dask worker has the same limits as in the local pool, and a crash in a native
library costs the child, not the Dask worker and its other tasks. `check`
reads its one document the same way (`one.read_one`). A plain
`os.fork` rather than multiprocessing: Dask's worker processes are daemonic,
and multiprocessing refuses children to those.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from ..errors import ErrorCode
from .model import Failure
from .worker import start_worker


def call_isolated(fn: Callable[..., Any], args: tuple[Any, ...], timeout_s: float, max_memory_mb: int) -> Any:
    """`fn(*args)` in a child process; its value, or a `Failure` (timeout, died, out of memory)."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _die_with(parent)
        _child(write_end, fn, args, max_memory_mb)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + timeout_s)
    finally:
        os.close(read_end)
    if data is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return Failure(ErrorCode.TIMEOUT, f"not finished within {timeout_s:g} s; the worker was stopped")
    _, status = os.waitpid(pid, 0)
    if not data:
        return Failure(ErrorCode.WORKER_DIED, death_message(status, max_memory_mb))
    return pickle.loads(data)


def _child(write_end: int, fn: Callable[..., Any], args: tuple[Any, ...], max_memory_mb: int) -> None:
    code = 0
    try:
        start_worker(max_memory_mb)
        try:
            value = fn(*args)
        except MemoryError:
            value = Failure(ErrorCode.TOO_LARGE, f"needs more than the worker's {max_memory_mb} MB memory limit")
        data = pickle.dumps(value)
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Linux: end this child when its Dask worker dies, so nothing of a lost task writes on."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(70)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None if it is still writing at the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def death_message(status: int, max_memory_mb: int) -> str:
    """How a worker ended, for a document that got no result from it."""
    if os.WIFSIGNALED(status):
        return signal_message(os.WTERMSIG(status), max_memory_mb)
    return f"the worker process exited with code {os.WEXITSTATUS(status)} before finishing"


def signal_message(signum: int, max_memory_mb: int) -> str:
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    # PDFium aborts when an allocation fails, which is how the memory limit shows in native code.
    return (f"the worker process died ({name}): a crash in a native library, or the document needed more than "
            f"the {max_memory_mb} MB memory limit")
