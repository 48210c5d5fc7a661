"""Batches on generated documents: append, skip, force, the same output with any executor, time limits,
commits in completion order, determinism. (Kills inside a commit: test_batch_commit.py; the lock:
test_batch_lock.py; a real Dask cluster: test_dask.py.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from batchkit import SAMPLE, canonical, generated_inputs, long_pdf
from conftest import ROOT

from disclosure_etl.batch import BatchSettings, run_batch


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return generated_inputs(tmp_path_factory.mktemp("in"))


@pytest.fixture(scope="module")
def n_inputs(inputs) -> int:
    return len(list(inputs.glob("*.pdf")))


@pytest.fixture(scope="module")
def serial_out(tmp_path_factory, inputs) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run_batch([str(inputs)], str(out))
    return out


def test_second_run_skips_and_adds_nothing(serial_out, inputs, n_inputs):
    before = canonical(serial_out)
    result = run_batch([str(inputs)], str(serial_out))
    assert result.summaries == () and len(result.skipped) == n_inputs
    assert canonical(serial_out) == before


def test_force_reextracts_without_duplicating(tmp_path, serial_out, inputs, n_inputs):
    out = tmp_path / "o"
    shutil.copytree(serial_out, out)
    result = run_batch([str(inputs)], str(out), batch=BatchSettings(force=True))
    assert len(result.summaries) == n_inputs
    assert canonical(out) == canonical(serial_out)
    assert canonical(out, raw=True) == canonical(serial_out, raw=True)  # no generation left behind


def test_new_batch_adds_files_and_keeps_earlier_ones(tmp_path, inputs, serial_out):
    out = tmp_path / "o"
    first = sorted(inputs.glob("*.pdf"))[:2]
    run_batch([str(p) for p in first], str(out))
    # batch.parquet holds the checks across documents: rewritten by design on every run.
    files_before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet") if p.name != "batch.parquet"}
    run_batch([str(inputs)], str(out))
    for path, mtime in files_before.items():
        assert path.stat().st_mtime_ns == mtime, f"rewritten: {path}"
    assert canonical(out) == canonical(serial_out)


def test_process_pool_gives_the_same_output(tmp_path, inputs, serial_out):
    out = tmp_path / "o"
    run_batch([str(inputs)], str(out), batch=BatchSettings(workers=2))
    assert canonical(out) == canonical(serial_out)


def test_dask_local_cluster_gives_the_same_output(tmp_path, inputs, serial_out):
    from dask.distributed import Client, LocalCluster

    out = tmp_path / "o"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        run_batch([str(inputs)], str(out), batch=BatchSettings(executor="dask", scheduler=cluster.scheduler_address))
        del client
    assert canonical(out) == canonical(serial_out)


def test_time_limit_kills_the_worker_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf(SAMPLE, 100, folder / "long.pdf")  # 1,900 pages: far past 3 s
    shutil.copy(SAMPLE, folder / "short.pdf")
    out = tmp_path / "o"
    result = run_batch([str(folder)], str(out), batch=BatchSettings(workers=2, timeout_s=3.0))
    status = {Path(s.path).name: s.status.value for s in result.summaries}
    assert status == {"long.pdf": "error", "short.pdf": "ok"}
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["long.pdf", "error_code"] == "timeout"
    assert "not finished within 3 s" in docs.loc["long.pdf", "error"]
    assert docs.loc["long.pdf", "doc_id"] != docs.loc["short.pdf", "doc_id"]  # keyed by its sha256, hashed in a worker


def test_one_worker_runs_documents_in_a_worker_process(tmp_path):
    """--workers 1 too: a document past its time limit is stopped and the batch goes on."""
    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf(SAMPLE, 100, folder / "a_long.pdf")
    shutil.copy(SAMPLE, folder / "b_short.pdf")
    result = run_batch([str(folder)], str(tmp_path / "o"), batch=BatchSettings(workers=1, timeout_s=3.0))
    assert {Path(s.path).name: (s.status.value, s.errors[0].code if s.errors else "") for s in result.summaries} == {
        "a_long.pdf": ("error", "timeout"), "b_short.pdf": ("ok", "")}


def test_commits_in_completion_order_and_a_kill_keeps_the_finished(tmp_path):
    """One slow document first: the fast ones are committed as they finish, and survive a kill of the batch."""
    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf(SAMPLE, 100, folder / "a_slow.pdf")
    fast = [f"b_fast{i}.pdf" for i in range(3)]
    for i, name in enumerate(fast):
        long_pdf(SAMPLE, 1 + i, folder / name)  # distinct bytes: three documents
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "disclosure_etl", "extract", str(folder), "--out", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    seen = []
    assert proc.stderr is not None
    for line in proc.stderr:
        if "] ok " in line or "] error " in line:
            seen.append(line)
        if len(seen) == len(fast):
            break
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-way through the slow one
    proc.wait()
    assert all("b_fast" in line for line in seen), seen
    docs = pd.read_parquet(out / "documents")
    assert sorted(docs.file_name) == fast
    assert (docs.status == "ok").all()


def test_same_inputs_give_identical_parquet_bytes(tmp_path, inputs, serial_out):
    """Determinism: rows sorted, ids and generations from content, no timestamps in the files."""
    out = tmp_path / "o"
    run_batch([str(inputs)], str(out), batch=BatchSettings(workers=2))
    files = sorted(p.relative_to(serial_out) for p in serial_out.rglob("*.parquet"))
    assert files == sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    for rel in files:
        assert (out / rel).read_bytes() == (serial_out / rel).read_bytes(), rel
