"""Where documents run: in this process, in a local process pool, or on a Dask cluster.

Each yields one `DocSummary` per document as it finishes; order does not
matter because every document has its own output files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout

from .batch import BatchSettings, DocSummary, extract_to_staging, failed_summary
from .settings import ExtractSettings

Todo = Sequence[tuple[str, str]]


def run_serial(todo: Todo, out_dir: str, settings: ExtractSettings, batch: BatchSettings) -> Iterator[DocSummary]:
    for path, _sha in todo:
        yield extract_to_staging(path, out_dir, settings, batch.max_crops, _sha)


def run_pool(todo: Todo, out_dir: str, settings: ExtractSettings, batch: BatchSettings) -> Iterator[DocSummary]:
    """A pebble process pool: a document past its time limit has its worker killed."""
    from pebble import ProcessExpired, ProcessPool

    _preload()
    with ProcessPool(max_workers=batch.workers, context=_fork_context()) as pool:
        futures = [
            (path, sha, pool.schedule(extract_to_staging, args=(path, out_dir, settings, batch.max_crops, sha), timeout=batch.timeout_s))
            for path, sha in todo
        ]
        for path, sha, future in futures:
            try:
                yield future.result()
            except FutureTimeout:
                yield failed_summary(path, sha, "timeout", f"not finished within {batch.timeout_s:g} s; the worker was stopped", out_dir)
            except ProcessExpired as exc:
                yield failed_summary(path, sha, "worker_died", f"the worker process died (exit code {exc.exitcode})", out_dir)


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

    from .catalogue import load_catalogue
    from .extract import preload

    preload()
    load_catalogue()


def run_dask(todo: Todo, out_dir: str, settings: ExtractSettings, batch: BatchSettings, client=None) -> Iterator[DocSummary]:  # type: ignore[no-untyped-def]
    """The same task on a Dask cluster; workers stage their parts in `out_dir`, this process commits."""
    from dask.distributed import Client, as_completed

    own = client is None
    if own:
        if not batch.scheduler:
            raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
        client = Client(batch.scheduler)
    try:
        futures = {client.submit(extract_to_staging, path, out_dir, settings, batch.max_crops, sha, pure=False): (path, sha) for path, sha in todo}
        for future in as_completed(futures):
            path, sha = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a worker's failure is this document's, not the batch's
                yield failed_summary(path, sha, "worker_failed", f"the Dask worker failed: {type(exc).__name__}: {exc}", out_dir)
    finally:
        if own:
            client.close()
