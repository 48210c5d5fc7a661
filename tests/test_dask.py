"""The Dask executor on a real cluster: `dask scheduler` and `dask worker` started as separate processes,
workers killed in the middle of a batch. The batch finishes; every document is committed whole, re-run
by the scheduler or reported `worker_died`; nothing half-written is left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from batchkit import PLANTED, SAMPLE, canonical, long_pdf, rows_of
from conftest import ROOT

from disclosure_etl.batch import BatchSettings, run_batch
from disclosure_etl.write.dataset import STAGING

pytest.importorskip("distributed")
DASK = str(Path(sys.executable).parent / "dask")
LONG = ("a_long1.pdf", "a_long2.pdf")


def _until(condition, what: str, limit_s: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for a condition of the cluster (a deadline, not a pause)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


class Cluster:
    """A scheduler and workers, each its own OS process."""

    def __init__(self, folder: Path, allowed_failures: int):
        self.file = folder / "scheduler.json"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures)}
        self.log = open(folder / "cluster.log", "w")  # noqa: SIM115 - closed in stop()
        self.procs = [self._start("scheduler", "--port", "0", "--no-dashboard")]
        _until(self.file.exists, "the scheduler file")

    def _start(self, *args: str) -> subprocess.Popen:  # type: ignore[type-arg]
        cmd = [DASK, *args, "--scheduler-file", str(self.file), "--host", "127.0.0.1"]
        return subprocess.Popen(cmd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)

    def worker(self, name: str) -> subprocess.Popen:  # type: ignore[type-arg]
        proc = self._start("worker", "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.kill()
            proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for i, name in enumerate(LONG):
        long_pdf(SAMPLE, 30 + i, folder / name)  # each takes seconds: in progress when the workers die
    shutil.copy(SAMPLE, folder / "b_sample.pdf")
    shutil.copy(PLANTED, folder / "c_planted.pdf")
    for i in (2, 3):
        long_pdf(SAMPLE, i, folder / f"d_sample_x{i}.pdf")
    return folder


@pytest.fixture(scope="module")
def local_out(tmp_path_factory, inputs) -> Path:
    out = tmp_path_factory.mktemp("local")
    run_batch([str(inputs)], str(out), batch=BatchSettings(workers=2))
    return out


@pytest.mark.parametrize("allowed_failures", [0, 3])
def test_workers_killed_mid_batch(tmp_path, inputs, local_out, allowed_failures):
    from dask.distributed import Client

    cluster = Cluster(tmp_path, allowed_failures)
    try:
        workers = [cluster.worker("a"), cluster.worker("b")]
        with Client(scheduler_file=str(cluster.file)) as client:
            client.wait_for_workers(2, timeout=120)

            def kill_both_once_busy() -> None:
                _until(lambda: sum(1 for tasks in client.processing().values() if tasks) == 2, "both workers busy")
                for proc in workers:
                    proc.send_signal(signal.SIGKILL)
                cluster.worker("c")  # a fresh worker finishes the batch

            killer = threading.Thread(target=kill_both_once_busy)
            out = tmp_path / "out"
            result = run_batch([str(inputs)], str(out), batch=BatchSettings(executor="dask"), client=client,
                               plan=lambda todo, skipped: killer.start())
            killer.join()
    finally:
        cluster.stop()
    status = {Path(s.path).name: (s.status.value, s.errors[0].code if s.errors else "") for s in result.summaries}
    assert set(status) == {p.name for p in inputs.glob("*.pdf")}
    if allowed_failures == 0:  # the documents the dead workers were reading: reported, not re-run
        assert all(status[name] == ("error", "worker_died") for name in LONG), status
    else:  # re-run on the new worker
        assert all(v == ("ok", "") for v in status.values()), status
    assert all(v in (("ok", ""), ("error", "worker_died")) for v in status.values()), status
    got, want = canonical(out), canonical(local_out)
    for s in result.summaries:
        if s.status.value == "ok":
            assert rows_of(got, s.doc_id) == rows_of(want, s.doc_id), s.path
    assert not (out / STAGING).exists()
    assert canonical(out, raw=True) == got  # no generation left beside a committed one
