"""Where tasks run: a local process pool, or a Dask cluster.

Both run a task function over jobs and yield `(key, value)` as each finishes
— completion order, so one slow document never holds back the commits of
those done after it — with a `Failure` as the value when the task was
stopped at its time limit, its process died, or it ran out of memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import as_completed
from typing import Any

from ..errors import ErrorCode
from ..settings import usable_cores
from .isolate import call_isolated, signal_message
from .model import BatchSettings, Executor, Failure
from .worker import start_worker

Job = tuple[int, tuple[Any, ...]]  # (key, arguments)
POLL_S = 0.01
"""How often pebble's pool threads look at their workers (its default, 0.1 s, is also how long closing
a pool waits for them: a tenth of a second on every batch, 5% of the corpus's)."""


class LocalPool:
    """A pebble process pool: each task has a time limit; a worker past it is killed."""

    def __init__(self, batch: BatchSettings):
        import pebble.common
        from pebble import ProcessPool

        pebble.common.CONSTS.sleep_unit = min(pebble.common.CONSTS.sleep_unit, POLL_S)
        _preload()
        self.batch = batch
        self._pool = ProcessPool(max_workers=batch.workers, context=_fork_context(), initializer=start_worker, initargs=(batch.max_memory_mb,))

    def run(self, fn: Callable[..., Any], jobs: Sequence[Job]) -> Iterator[tuple[int, Any]]:
        futures: dict[Any, int] = {self._pool.schedule(fn, args=args, timeout=self.batch.timeout_s): key for key, args in jobs}
        for future in as_completed(futures):
            yield futures[future], self._outcome(future)

    def inference_threads(self, n_jobs: int) -> int:
        """Each worker's share of this machine's cores for `n_jobs` tasks."""
        return core_share(usable_cores(), self.batch.workers, n_jobs)

    def _outcome(self, future) -> Any:  # type: ignore[no-untyped-def]
        from pebble import ProcessExpired

        try:
            return future.result()
        except FutureTimeout:
            return Failure(ErrorCode.TIMEOUT, f"not finished within {self.batch.timeout_s:g} s; the worker was stopped")
        except ProcessExpired as exc:
            return Failure(ErrorCode.WORKER_DIED, _expired_message(exc.exitcode, self.batch.max_memory_mb))
        except MemoryError:
            return Failure(ErrorCode.TOO_LARGE, f"needs more than the worker's {self.batch.max_memory_mb} MB memory limit")
        except Exception as exc:  # noqa: BLE001 - whatever a task raises is its document's, never the batch's
            return _task_failure(exc)

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            self._pool.stop()  # kills the workers: nothing they stage is committed
        else:
            self._pool.close()
        self._pool.join()


def core_share(cores: int, workers: int, tasks: int) -> int:
    """Cores per busy worker when `tasks` run on `workers`: all of them for a lone document, one each on a full pool."""
    return max(1, cores // max(1, min(workers, tasks)))


def _task_failure(exc: Exception) -> Failure:
    if isinstance(exc, OSError):
        return Failure(ErrorCode.UNREADABLE_FILE, f"the worker could not read or write ({exc})")
    return Failure(ErrorCode.INTERNAL_ERROR, f"bug in disclosure-etl ({type(exc).__name__}: {exc}); please report it")


def _expired_message(exitcode: int | None, max_memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        return signal_message(-exitcode, max_memory_mb)
    return f"the worker process exited with code {exitcode} before finishing"


def _fork_context():  # type: ignore[no-untyped-def]
    """Fork where the platform has it: workers start at once with the libraries already
    imported. (A process that was itself spawned would otherwise spawn its workers too.)"""
    import multiprocessing
    import sys

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def _preload() -> None:
    """Import the heavy libraries and load the catalogue once, before the workers fork,
    so each worker does not pay for them again."""
    import pyarrow.parquet  # noqa: F401

    from ..catalogue import load_catalogue
    from ..extract import preload

    preload()
    load_catalogue()


class DaskCluster:
    """The same tasks on a Dask cluster, each in a child of the Dask worker with the same limits.

    Workers read the input files and stage their output in `--out` by path,
    so both must be on a folder every worker sees. A Dask worker that dies is
    replaced and its tasks re-run by the scheduler; a task that cannot finish
    after the scheduler's retries is reported as `worker_died`.
    """

    def __init__(self, batch: BatchSettings, client=None):  # type: ignore[no-untyped-def]
        from dask.distributed import Client

        self.batch = batch
        self._own = client is None
        if self._own and not batch.scheduler:
            raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
        self.client = Client(batch.scheduler) if self._own else client

    def run(self, fn: Callable[..., Any], jobs: Sequence[Job]) -> Iterator[tuple[int, Any]]:
        from dask.distributed import as_completed as dask_completed

        limits = (self.batch.timeout_s, self.batch.max_memory_mb)
        futures = {self.client.submit(call_isolated, fn, args, *limits, pure=False): key for key, args in jobs}
        for future in dask_completed(futures):
            yield futures[future], self._outcome(future)

    def inference_threads(self, n_jobs: int) -> int:
        """One: a Dask worker's cores are shared with its other tasks and cannot be seen from here."""
        return 1

    def _outcome(self, future) -> Any:  # type: ignore[no-untyped-def]
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - a worker's failure is this document's, not the batch's
            return Failure(ErrorCode.WORKER_DIED, f"the Dask worker running it failed ({type(exc).__name__}: {exc})")

    def close(self, interrupted: bool = False) -> None:
        if self._own:
            self.client.close()


def open_executor(batch: BatchSettings, client=None) -> LocalPool | DaskCluster:  # type: ignore[no-untyped-def]
    if batch.executor is Executor.DASK:
        return DaskCluster(batch, client)
    return LocalPool(batch)

