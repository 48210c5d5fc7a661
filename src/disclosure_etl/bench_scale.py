"""Scaling benchmark: memory flat from 20 to 200 documents, speed-up from 1 to N workers.

Inputs are distinct copies of the given PDFs (a comment appended after %%EOF
changes the sha256 and nothing else), so no document is skipped as a duplicate.
Each batch runs in a fresh "spawn" process whose peak RSS is read on exit.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence

from .bench_env import in_fresh_process, peak_rss_mb


def make_variants(pdfs: list[str], n: int, folder: str) -> list[str]:
    """`n` distinct PDFs cycling through `pdfs`."""
    os.makedirs(folder, exist_ok=True)
    out = []
    for i in range(n):
        src = pdfs[i % len(pdfs)]
        dest = os.path.join(folder, f"doc-{i:04d}.pdf")
        shutil.copyfile(src, dest)
        with open(dest, "ab") as fh:
            fh.write(f"\n%variant {i}\n".encode())
        out.append(dest)
    return out


def _batch_in_child(folder: str, out_dir: str, workers: int) -> tuple[float, float]:
    """Runs in a spawned child: one batch, its wall time and the peak RSS (MB) of this process or
    of any of its workers (documents are read in the workers)."""
    import resource

    from .batch import BatchSettings, run_batch

    start = time.perf_counter()
    run_batch([folder], out_dir, batch=BatchSettings(workers=workers, max_crops=100))
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return time.perf_counter() - start, max(peak_rss_mb(), workers_mb)


def _run_child(folder: str, out_dir: str, workers: int) -> tuple[float, float]:
    return in_fresh_process(_batch_in_child, folder, out_dir, workers)


def run_scaling(pdfs: Sequence[str], bench_dir: str, small: int = 20, large: int = 200, parallel_docs: int = 40, workers: int = 2) -> dict[str, object]:
    """Peak RSS of a `small` and a `large` batch (one worker), and the speed-up of `workers` workers."""
    pdfs = list(pdfs)
    scratch = tempfile.mkdtemp(prefix="scale-", dir=bench_dir)
    try:
        result: dict[str, object] = {}
        for n in (small, large):
            folder = os.path.join(scratch, f"in-{n}")
            make_variants(pdfs, n, folder)
            seconds, rss = _run_child(folder, os.path.join(scratch, f"out-{n}"), 1)
            result[f"batch_{n}"] = {"documents": n, "seconds": round(seconds, 3), "peak_rss_mb": round(rss, 1)}
        folder = os.path.join(scratch, "in-par")
        make_variants(pdfs, parallel_docs, folder)
        t1, _ = _run_child(folder, os.path.join(scratch, "out-w1"), 1)
        tn, _ = _run_child(folder, os.path.join(scratch, "out-wn"), workers)
        result["parallel"] = {"documents": parallel_docs, "workers": workers, "seconds_1": round(t1, 3), "seconds_n": round(tn, 3), "speedup": round(t1 / tn, 3)}
        large_rss = result[f"batch_{large}"]["peak_rss_mb"]  # type: ignore[index]
        small_rss = result[f"batch_{small}"]["peak_rss_mb"]  # type: ignore[index]
        result["rss_growth"] = round(large_rss / small_rss, 3)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result
