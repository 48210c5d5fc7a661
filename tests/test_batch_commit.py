"""The commit protocol under kills: a kill before any filesystem step of a commit leaves each document
either its old extraction whole or its new one whole, with or without --force; the next run removes
what the kill left half-done. A failed re-extraction keeps the old one and says so.

Kills are real (SIGKILL of a forked child, or of a CLI run) and land exactly where the commit's
`before_step` hook says: no sleeps.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from batchkit import PLANTED, SAMPLE, canonical, long_pdf, rows_of
from conftest import ROOT

from disclosure_etl.batch import run_batch
from disclosure_etl.batch.commit import Committer
from disclosure_etl.batch.model import Failure
from disclosure_etl.batch.worker import failure_summary, stage_result
from disclosure_etl.errors import ErrorCode
from disclosure_etl.pipeline import process_document
from disclosure_etl.write.dataset import STAGING, commit, recover


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """An output holding an old extraction of the sample (fewer rows, no year) and the planted
    variant, and a new extraction of the sample staged: the commit every test interrupts."""
    out = tmp_path_factory.mktemp("scene") / "out"
    full = process_document(str(SAMPLE), max_crops=3)
    old = replace(full, items=full.items[:40], info=replace(full.info, fiscal_year=None))
    committer = Committer(str(out))
    committer.commit(stage_result(old, str(out)))
    committer.commit(stage_result(process_document(str(PLANTED)), str(out)))
    old_state = canonical(out)
    staged = stage_result(full, str(out)).staged
    assert staged is not None
    done = tmp_path_factory.mktemp("done") / "out"
    shutil.copytree(out, done)
    steps: list[str] = []
    commit(_rebase(staged, out, done), str(done), steps.append)
    return out, staged, full.info.doc_id, old_state, canonical(done), steps


def _rebase(staged, old_root: Path, new_root: Path):  # type: ignore[no-untyped-def]
    move = lambda p: str(new_root / Path(p).relative_to(old_root))  # noqa: E731
    return replace(staged, folder=move(staged.folder), files=tuple((n, move(p)) for n, p in staged.files))


def _commit_killed_at(step: int, out: Path, staged) -> int:  # type: ignore[no-untyped-def]
    """Commit in a forked child that SIGKILLs itself before filesystem step `step`; its wait status."""
    pid = os.fork()
    if pid == 0:
        calls = iter(range(10**6))

        def before(label: str) -> None:
            if next(calls) == step:
                os.kill(os.getpid(), signal.SIGKILL)

        try:
            commit(staged, str(out), before)
        finally:
            os._exit(0)
    return os.waitpid(pid, 0)[1]


def test_the_commit_has_the_steps_we_enumerate(scene):
    *_, steps = scene
    assert steps.count("flip documents") == 1
    flip = steps.index("flip documents")
    assert all(s.startswith(("mkdir", "place ")) for s in steps[:flip])  # new generation in, beside the old
    assert sum(s.startswith("remove old ") for s in steps) == 5  # the old generation, after the flip
    assert steps[-1] == "remove staging"
    assert len(steps) >= 20


def test_a_kill_before_any_step_leaves_old_or_new_whole(scene, tmp_path):
    out, staged, doc_id, old_state, new_state, steps = scene
    flip = steps.index("flip documents")
    other = {name: [r for r in rows if doc_id not in r] for name, rows in old_state.items()}
    for step in range(len(steps)):
        trial = tmp_path / f"kill-{step}"
        shutil.copytree(out, trial)
        status = _commit_killed_at(step, trial, _rebase(staged, out, trial))
        assert os.WIFSIGNALED(status), steps[step]
        got = canonical(trial)
        expected = old_state if step <= flip else new_state
        assert rows_of(got, doc_id) == rows_of(expected, doc_id), f"killed before {steps[step]!r}"
        assert {n: [r for r in rows if doc_id not in r] for n, rows in got.items()} == other, steps[step]
        recover(str(trial))  # what the next run does first
        assert not (trial / STAGING).exists()
        assert canonical(trial, raw=True) == got, f"orphans after a kill before {steps[step]!r}"


def test_a_killed_cli_run_resumes_without_loss_or_duplicates(tmp_path):
    """Kills inside real runs (with --force over an earlier output): the next run completes it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in (SAMPLE, PLANTED):
        shutil.copy(pdf, folder / pdf.name)
    expected = tmp_path / "expected"
    run_batch([str(folder)], str(expected))
    want = canonical(expected)
    script = ("import os, signal, sys\nfrom disclosure_etl.batch import BatchSettings, run_batch\ncalls = iter(range(10**6))\n"
              "def before(label):\n    if next(calls) == int(sys.argv[3]):\n        os.kill(os.getpid(), signal.SIGKILL)\n"
              "run_batch([sys.argv[1]], sys.argv[2], batch=BatchSettings(force=True), before_step=before)\n")
    for step in (0, 11, 25, 40):  # first step of the first commit … inside the second one
        out = tmp_path / f"o{step}"
        shutil.copytree(expected, out)
        proc = subprocess.run([sys.executable, "-c", script, str(folder), str(out), str(step)], cwd=ROOT, env=_env(), capture_output=True)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert canonical(out) == want  # --force over equal content: old and new are the same rows
        rerun = run_batch([str(folder)], str(out))
        assert len(rerun.skipped) == 2
        assert canonical(out, raw=True) == want


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_failed_reextraction_keeps_the_earlier_one(tmp_path):
    out = tmp_path / "o"
    committer = Committer(str(out))
    result = process_document(str(SAMPLE))
    committer.commit(stage_result(result, str(out)))
    before = canonical(out)
    for code in (ErrorCode.TIMEOUT, ErrorCode.WORKER_DIED, ErrorCode.TOO_LARGE):
        failed = failure_summary(str(SAMPLE), result.info.doc_id, Failure(code, "stopped"), str(out))
        kept = committer.commit(failed)
        assert kept.note.startswith("kept the earlier extraction (status ok, 161 line items)"), kept.note
        assert kept.status.value == "error" and kept.errors[0].code == code.value
        assert canonical(out) == before
    recover(str(out))
    assert not (out / STAGING).exists()


def test_force_with_a_timeout_keeps_the_earlier_extraction(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf(SAMPLE, 40, folder / "long.pdf")
    out = tmp_path / "o"
    run_batch([str(folder)], str(out))
    items = len(pd.read_parquet(out / "line_items"))
    cmd = [sys.executable, "-m", "disclosure_etl", "extract", str(folder), "--out", str(out), "--force", "--timeout", "0.5", "--no-progress"]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert "timeout" in proc.stderr and "kept the earlier extraction (status ok" in proc.stderr, proc.stderr
    docs = pd.read_parquet(out / "documents")
    assert list(docs.status) == ["ok"] and docs.n_line_items[0] == items == len(pd.read_parquet(out / "line_items"))
