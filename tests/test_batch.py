"""Batches: append, skip, force, equal output with any executor, time limits, a killed run."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SAMPLES

from disclosure_etl.batch import BatchSettings, run_batch

NAMES = ("documents", "tables", "line_items", "performance_targets", "sections", "findings")


def _canonical(out: Path) -> dict[str, list]:
    """Every row of every dataset as sorted tuples (order-free comparison)."""
    got = {}
    for name in NAMES:
        df = pd.read_parquet(out / name).drop(columns=["source"], errors="ignore")
        got[name] = sorted(tuple(str(v) for v in row) for row in df[sorted(df.columns)].itertuples(index=False))
    return got


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, corpus) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for pdf in list(SAMPLES.glob("*.pdf")) + sorted(corpus.glob("*.pdf")):
        shutil.copy(pdf, folder / pdf.name)
    return folder


@pytest.fixture(scope="module")
def serial_out(tmp_path_factory, inputs) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run_batch([str(inputs)], str(out))
    return out


def test_second_run_skips_and_adds_nothing(serial_out, inputs):
    before = _canonical(serial_out)
    result = run_batch([str(inputs)], str(serial_out))
    assert result.summaries == () and len(result.skipped) == len(list(inputs.glob("*.pdf")))
    assert _canonical(serial_out) == before


def test_force_reextracts_without_duplicating(tmp_path, serial_out, inputs):
    out = tmp_path / "o"
    shutil.copytree(serial_out, out)
    result = run_batch([str(inputs)], str(out), batch=BatchSettings(force=True))
    assert len(result.summaries) == len(list(inputs.glob("*.pdf")))
    assert _canonical(out) == _canonical(serial_out)


def test_new_batch_adds_files_and_keeps_earlier_ones(tmp_path, inputs, serial_out):
    out = tmp_path / "o"
    first = sorted(inputs.glob("*.pdf"))[:2]
    run_batch([str(p) for p in first], str(out))
    # batch.parquet holds the checks across documents: rewritten by design on every run.
    files_before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet") if p.name != "batch.parquet"}
    run_batch([str(inputs)], str(out))
    for path, mtime in files_before.items():
        assert path.stat().st_mtime_ns == mtime, f"rewritten: {path}"
    assert _canonical(out) == _canonical(serial_out)


def test_process_pool_gives_the_same_output(tmp_path, inputs, serial_out):
    out = tmp_path / "o"
    run_batch([str(inputs)], str(out), batch=BatchSettings(workers=2))
    assert _canonical(out) == _canonical(serial_out)


def test_dask_local_cluster_gives_the_same_output(tmp_path, inputs, serial_out):
    from dask.distributed import Client, LocalCluster

    out = tmp_path / "o"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        run_batch([str(inputs)], str(out), batch=BatchSettings(executor="dask", scheduler=cluster.scheduler_address))
        del client
    assert _canonical(out) == _canonical(serial_out)


def _long_pdf(src: Path, copies: int, dest: Path) -> Path:
    """A document that takes many seconds: one corpus PDF's pages repeated."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    part = pdfium.PdfDocument(str(src))
    for _ in range(copies):
        out.import_pages(part)
    out.save(str(dest))
    return dest


def test_time_limit_kills_the_worker_and_the_batch_goes_on(tmp_path, corpus, sample_pdf):
    folder = tmp_path / "in"
    folder.mkdir()
    _long_pdf(max(corpus.glob("*.pdf"), key=lambda p: p.stat().st_size), 40, folder / "long.pdf")
    shutil.copy(sample_pdf, folder / "short.pdf")
    out = tmp_path / "o"
    result = run_batch([str(folder)], str(out), batch=BatchSettings(workers=2, timeout_s=3.0))
    status = {Path(s.path).name: s.status.value for s in result.summaries}
    assert status == {"long.pdf": "error", "short.pdf": "ok"}
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["long.pdf", "error_code"] == "timeout"
    assert "not finished within 3 s" in docs.loc["long.pdf", "error"]


def test_killed_run_leaves_previous_output_and_rerun_completes(tmp_path, inputs, serial_out):
    out = tmp_path / "o"
    first = sorted(inputs.glob("*.pdf"))[:3]
    run_batch([str(p) for p in first], str(out))
    before = _canonical(out)
    cmd = [sys.executable, "-m", "disclosure_etl", "extract", str(inputs), "--out", str(out), "--workers", "1", "--force"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Whatever the kill interrupted, every dataset still reads, and holds no half document.
    ids_before = set(pd.read_parquet(out / "documents").doc_id) if before else set()
    for name in NAMES:
        pd.read_parquet(out / name)
    ids_after = set(pd.read_parquet(out / "documents").doc_id)
    assert ids_after >= ids_before
    run_batch([str(inputs)], str(out))
    assert _canonical(out) == _canonical(serial_out)
    assert not (out / "_staging").exists()


def test_same_inputs_give_identical_parquet_bytes(tmp_path, inputs, serial_out):
    """Determinism: rows sorted, ids from content, no timestamps in the files."""
    out = tmp_path / "o"
    run_batch([str(inputs)], str(out), batch=BatchSettings(workers=2))
    files = sorted(p.relative_to(serial_out) for p in serial_out.rglob("*.parquet"))
    assert files == sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    for rel in files:
        assert (out / rel).read_bytes() == (serial_out / rel).read_bytes(), rel
