"""`disclosure-etl check FILE`: one document read in a worker with the limits of `extract`.

A FIFO or a device named *.pdf is refused unopened, a document past `--timeout` or `--max-memory`
ends as a status with the batch's error code, and a good document reads as the pipeline reads it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from batchkit import SAMPLE, content_bomb
from conftest import ROOT

from disclosure_etl.batch.one import read_one
from disclosure_etl.cli import EXIT_ALL_FAILED, EXIT_OK, run
from disclosure_etl.pipeline import process_document


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process; the timeout only keeps a hang from stopping the suite."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "disclosure_etl", "check", *args, "--no-progress"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_fifo_or_a_device_named_pdf_is_refused_unopened(tmp_path):
    os.mkfifo(tmp_path / "x.pdf")  # opening it would wait for a writer forever
    os.symlink("/dev/zero", tmp_path / "zero.pdf")  # reading it never ends
    for name, kind in (("x.pdf", "a FIFO (named pipe)"), ("zero.pdf", "a character device")):
        proc = _check(str(tmp_path / name))
        assert proc.returncode == EXIT_ALL_FAILED, proc.stderr
        assert "status error" in proc.stdout and f"not_a_file: {tmp_path / name}: {kind}, not a PDF file; not opened" in proc.stdout


def test_a_document_past_the_timeout_is_stopped(capsys):
    assert run(["check", str(SAMPLE), "--timeout", "0.001", "--no-progress"]) == EXIT_ALL_FAILED
    out = capsys.readouterr().out
    assert "status error" in out and "timeout: " in out and "not finished within 0.001 s; the worker was stopped" in out


def test_a_decompression_bomb_is_too_large(tmp_path, capsys):
    (tmp_path / "bomb.pdf").write_bytes(content_bomb(1024))  # 2 MB inflating to 1 GiB of path operators
    assert run(["check", str(tmp_path / "bomb.pdf"), "--no-progress"]) == EXIT_ALL_FAILED
    out = capsys.readouterr().out
    assert "too_large: " in out and "inflates past the 256 MB limit" in out


def test_a_document_past_the_memory_limit_costs_only_its_worker(tmp_path):
    (tmp_path / "dense.pdf").write_bytes(content_bomb(15))  # under the page limit, ~1.2 M path objects to parse
    proc = _check(str(tmp_path / "dense.pdf"), "--max-memory", "256")
    assert proc.returncode == EXIT_ALL_FAILED, proc.stderr
    assert "status error" in proc.stdout and ("worker_died: " in proc.stdout or "too_large: " in proc.stdout), proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_good_document_reads_as_the_pipeline_reads_it(capsys):
    got, expected = read_one(str(SAMPLE)), process_document(str(SAMPLE))
    assert (got.status, got.info, got.tables, got.items, got.findings, got.errors) == (
        expected.status, expected.info, expected.tables, expected.items, expected.findings, expected.errors)
    assert run(["check", str(SAMPLE), "--timeout", "600", "--max-memory", "1024"]) == EXIT_OK
    assert "status ok" in capsys.readouterr().out
