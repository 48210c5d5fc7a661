"""The batch: lock the output, plan, hash and extract in workers, commit as they finish, report.

This process only plans (names and `stat`), commits (renames) and reports:
every file is opened, hashed and parsed in a worker process with a time and
a memory limit — locally through a process pool, or on a Dask cluster — so a
crash, a hang or a bomb costs one document, never the batch. A batch killed
at any moment keeps every document committed before it, and the next run
(which first removes whatever the kill left half-done) completes the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from ..crossdoc_io import run_batch_checks
from ..display import display_path
from ..settings import ExtractSettings
from ..stageclock import StageClock, stage
from ..write.dataset import Step, completed_doc_ids, recover
from ..write.output import write_index
from .commit import Committer
from .executors import open_executor
from .lock import OutputLock
from .model import BatchResult, BatchSettings, DocSummary, Failure, Input, WorkerJob
from .plan import Plan, find_inputs, split_hashed
from .worker import extract_file, failure_summary, hash_file

Progress = Callable[[DocSummary], None]


def run_batch(
    paths: Iterable[str],
    out_dir: str,
    settings: ExtractSettings | None = None,
    batch: BatchSettings | None = None,
    progress: Progress | None = None,
    plan: Callable[[int, int], None] | None = None,
    client: Any = None,  # a dask.distributed.Client
    max_crops: int | None = None,
    before_step: Step | None = None,
    clock: StageClock | None = None,
) -> BatchResult:
    """Extract every PDF under `paths` into the datasets in `out_dir`, then write the report index.

    `before_step` is called before each filesystem step of every commit (tests inject kills there).
    `clock` (the benchmark's) gathers seconds per stage: the workers time each document's and
    send them back, this process times committing, the batch checks and the index.
    """
    settings = ExtractSettings.resolve(settings)
    batch = batch or BatchSettings()
    crops = batch.max_crops if max_crops is None else max_crops
    os.makedirs(out_dir, exist_ok=True)
    with OutputLock(out_dir, batch.lock_wait_s):
        recover(out_dir)
        inputs = find_inputs(paths)
        executor = open_executor(batch, client)
        try:
            summaries, skipped = _extract(inputs, executor, WorkerJob(out_dir, settings, crops, clock is not None), batch,
                                          Committer(out_dir, before_step), progress, plan, clock)
        except BaseException:
            executor.close(interrupted=True)
            raise
        with _closing(executor):
            recover(out_dir)  # staging of documents whose worker was stopped
            with stage(clock, "batch_checks"):
                run_batch_checks(out_dir)  # documents against each other, over the whole output
            with stage(clock, "write"):
                outputs = write_index(out_dir)
    return BatchResult(tuple(summaries), tuple(skipped), outputs)


@contextmanager
def _closing(executor) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The executor closed in a thread while the body runs, and waited for (its error raised) after.

    Every task has finished: the workers are idle and write nothing more, and one
    stopped at its time limit was killed before its task was reported. Closing a
    local pool waits for its threads' polls and its workers' exits, 8 to 18 ms of
    the corpus's batch; this process checks and indexes the output meanwhile.
    """
    with ThreadPoolExecutor(max_workers=1) as closer:
        closed = closer.submit(executor.close)
        yield
        closed.result()


def _extract(inputs: list[Input], executor, job: WorkerJob, batch: BatchSettings, committer: Committer,  # type: ignore[no-untyped-def]
             progress: Progress | None, plan: Callable[[int, int], None] | None,
             clock: StageClock | None = None) -> tuple[list[DocSummary], list[str]]:
    to_hash = [(i.index, (i.path,)) for i in inputs if i.refusal is None]
    hashes: dict[int, str | Failure] = dict(executor.run(hash_file, to_hash))
    decided = split_hashed(inputs, hashes, completed_doc_ids(job.out_dir), batch.force)
    if plan:
        plan(len(decided.todo) + len(decided.failed), len(decided.done) + len(decided.duplicates))
    summaries = []

    def done(summary: DocSummary) -> None:
        if clock is not None:
            clock.add(summary.stages)
        with stage(clock, "write"):
            summary = committer.commit(summary)
        summaries.append(summary)
        if progress:
            progress(summary)

    for item, failure in decided.failed:
        done(failure_summary(item.path, "", failure, job.out_dir))
    by_index = {item.index: (item, sha) for item, sha in decided.todo}
    job = _with_threads(job, executor.inference_threads(len(decided.todo)))
    jobs = [(item.index, (item.path, sha, job)) for item, sha in decided.todo]
    for index, outcome in executor.run(extract_file, jobs):
        item, sha = by_index[index]
        done(outcome if isinstance(outcome, DocSummary) else failure_summary(item.path, sha, outcome, job.out_dir))
    return summaries, _skipped(decided)


def _with_threads(job: WorkerJob, share: int) -> WorkerJob:
    """The job with OCR's pages read at once (one per core) set to the worker's share of the cores, unless the settings fix them."""
    if job.settings.ocr_threads:
        return job
    return replace(job, settings=replace(job.settings, ocr_threads=share))


def _skipped(decided: Plan) -> list[str]:
    return [display_path(i.path) for i in decided.done] + [display_path(i.path) for i, _ in decided.duplicates]
