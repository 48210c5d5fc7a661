"""One run per output folder: a second run exits 1 naming the holder, or waits with --wait; the lock of a
killed run is taken over; two runs started together never corrupt the output."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import PLANTED, SAMPLE, canonical
from conftest import ROOT

from disclosure_etl.batch import run_batch
from disclosure_etl.batch.lock import LOCK_FILE, OutputLock, OutputLocked


@pytest.fixture()
def folder(tmp_path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for pdf in (SAMPLE, PLANTED):
        shutil.copy(pdf, src / pdf.name)
    return src


def _extract(folder: Path, out: Path, *extra: str, **popen) -> subprocess.Popen:  # type: ignore[type-arg]
    cmd = [sys.executable, "-m", "disclosure_etl", "extract", str(folder), "--out", str(out), "--workers", "1", "--no-progress", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def test_a_second_run_exits_1_naming_the_holder(folder, tmp_path):
    out = tmp_path / "o"
    with OutputLock(str(out)):
        proc = _extract(folder, out)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert f"in use by another disclosure-etl run: pid {os.getpid()} on host {socket.gethostname()}" in err
    assert "Traceback" not in err
    assert not (out / "documents").exists()


def test_a_second_run_waits_with_wait_then_runs(folder, tmp_path):
    out = tmp_path / "o"
    lock = OutputLock(str(out)).__enter__()
    proc = _extract(folder, out, "--wait", "300")
    assert proc.stderr is not None
    for line in proc.stderr:  # the run says it waits; then the holder finishes
        if "waiting up to 300 s for another run" in line:
            break
    lock.__exit__(None, None, None)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert len(canonical(out)["documents"]) == 2


def test_the_lock_of_a_killed_run_is_taken_over(folder, tmp_path):
    out = tmp_path / "o"
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from disclosure_etl.batch.lock import OutputLock\n"
                               f"lock = OutputLock({str(out)!r}).__enter__(); print('locked', flush=True); sys.stdin.read()"],
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(OutputLocked):
        OutputLock(str(out)).__enter__()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert f"pid {holder.pid} on host" in (out / LOCK_FILE).read_text()  # what the dead run left
    proc = _extract(folder, out)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"taking over the lock of a run that ended without releasing it (pid {holder.pid}" in err
    assert (out / LOCK_FILE).read_text() == ""  # released


def test_two_runs_started_together_never_corrupt_the_output(folder, tmp_path):
    out = tmp_path / "o"
    expected = tmp_path / "expected"
    run_batch([str(folder)], str(expected))
    for trial in range(3):
        target = out / str(trial)
        runs = [_extract(folder, target, "--force") for _ in range(2)]
        results = [(p.wait(timeout=300), p.communicate()[1]) for p in runs]
        assert sorted(code for code, _ in results) in ([0, 0], [0, 1]), results
        for code, err in results:
            assert "Traceback" not in err
            if code == 1:
                assert "in use by another disclosure-etl run" in err
        assert canonical(target) == canonical(expected) and canonical(target, raw=True) == canonical(expected)


def test_report_exits_1_while_a_run_holds_the_folder(folder, tmp_path):
    """`report` rewrites the report files from the datasets: not while an extract is writing them."""
    from disclosure_etl.cli import run

    out = tmp_path / "o"
    run_batch([str(folder / SAMPLE.name)], str(out))
    with OutputLock(str(out)):
        proc = subprocess.run([sys.executable, "-m", "disclosure_etl", "report", str(out)], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=300)
    assert proc.returncode == 1 and str(os.getpid()) in proc.stderr
    assert run(["report", str(out)]) == 0  # free again
