"""Batch checks at scale: a 1,000- and a 10,000-document output checked, each in a fresh process (time, peak RSS).

Each size is its own output, built from one real extraction of the given PDFs: each
document's Parquet files are copied under a new doc_id, a new entity (name,
id) and a year shifted along a chain, so that the copies of one department
form a run of years (the prior-year rule has last year's document to read)
and a department's copy sits with its units' copies of the same year (the
roll-up rule has units to add up). No PDF is copied; the files are written
the way the pipeline writes them (dataset/fiscal_year=<year>/<doc>.parquet).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.parquet as pq

from .bench_env import in_fresh_process, peak_rss_mb
from .read.datasets import GENERATION_KEY
from .write.dataset import PARTITIONED, UNKNOWN_YEAR, doc_file

CHAIN = 3  # consecutive copies of a document are one entity's consecutive years


def run_batch_scale(pdfs: Sequence[str], bench_dir: str, sizes: Sequence[int] = (1000, 10000), repeats: int = 3) -> dict[str, object]:
    """Extract `pdfs` once, build an output of each of `sizes` documents, time the batch checks of each (best of `repeats`)."""
    from .batch import BatchSettings, run_batch

    scratch = tempfile.mkdtemp(prefix="batchscale-", dir=bench_dir)
    try:
        base = os.path.join(scratch, "base")
        run_batch(list(pdfs), base, batch=BatchSettings(workers=1, max_crops=0))
        parts = load_parts(base)
        outs, builds = {}, {}
        for n in sorted(sizes):
            start = time.perf_counter()
            outs[n] = os.path.join(scratch, f"out-{n}")
            grow_output(parts, outs[n], 0, n)
            builds[n] = time.perf_counter() - start
        checks = _checks_taking_turns(outs, repeats)
        runs = {n: {"documents": n, "seconds": round(min(c[0] for c in checks[n]), 3), "peak_rss_mb": round(max(c[1] for c in checks[n]), 1),
                    "findings": checks[n][0][2], "build_seconds": round(builds[n], 1)} for n in sorted(sizes)}
        small, large = runs[min(sizes)], runs[max(sizes)]
        ratio = large["seconds"] / small["seconds"] if small["seconds"] else 0.0
        return {"base_documents": len(parts), "runs": [runs[n] for n in sorted(sizes)], "time_ratio": round(ratio, 2),
                "size_ratio": round(max(sizes) / min(sizes), 2), "repeats": max(repeats, 1)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _checks_taking_turns(outs: dict[int, str], repeats: int) -> dict[int, list[tuple[float, float, int]]]:
    """Each output checked `repeats` times, each check in a fresh process, the sizes taking turns (1,000, 10,000,
    1,000, ...) as the engines do: checked one size after the other, a slow spell of the shared machine fell on one
    size only (the 10,000's check swung from 10x to 16x the 1,000's)."""
    checks: dict[int, list[tuple[float, float, int]]] = {n: [] for n in outs}
    for _ in range(max(repeats, 1)):
        for n, out in sorted(outs.items()):
            checks[n].append(in_fresh_process(_checks_in_child, out))
    return checks


def _checks_in_child(out: str) -> tuple[float, float, int]:
    from .crossdoc_io import run_batch_checks

    start = time.perf_counter()
    findings = run_batch_checks(out)
    return time.perf_counter() - start, peak_rss_mb(), len(findings)


Parts = list[dict[str, pa.Table]]  # per base document: dataset name -> its rows


def load_parts(out: str) -> Parts:
    """Each document of an output with its rows of every dataset (the batch's own findings left out)."""
    parts = []
    for path in sorted(os.listdir(os.path.join(out, "documents"))):
        row = pq.read_table(os.path.join(out, "documents", path))
        doc_id = row.column("doc_id")[0].as_py()
        year = row.column("fiscal_year")[0].as_py() or UNKNOWN_YEAR
        generation = (row.schema.metadata or {}).get(GENERATION_KEY, b"").decode()
        mine = {"documents": row}
        for name in PARTITIONED:
            file = os.path.join(out, name, f"fiscal_year={year}", doc_file(doc_id, generation))
            if os.path.exists(file):
                mine[name] = pq.read_table(file)
        parts.append(mine)
    return parts


def grow_output(parts: Parts, out: str, have: int, want: int) -> int:
    """Add documents `have`..`want`-1 to `out`, the k-th a re-identified copy of base document k mod len(parts)."""
    with ThreadPoolExecutor(max_workers=2) as pool:  # Parquet writing releases the GIL
        list(pool.map(lambda k: _write_copy(parts[k % len(parts)], k // len(parts), out), range(have, want)))
    return want


def _write_copy(base: dict[str, pa.Table], copy: int, out: str) -> None:
    info = base["documents"].to_pylist()[0]
    doc_id = hashlib.sha256(f"{copy}:{info['doc_id']}".encode()).hexdigest()
    chain, step = divmod(copy, CHAIN)
    year = info["fiscal_year"] + step if info["fiscal_year"] else None
    changed = {
        "doc_id": doc_id, "fiscal_year": year, "file_name": f"{copy:05d}-{info['file_name']}", "source": f"copy-{copy}/{info['source']}",
        "entity_id": f"{info['entity_id']}-{chain}" if info["entity_id"] else None,
        "entity_name": f"{info['entity_name']}{chain}" if info["entity_name"] else None,
        "department": f"{info['department']}{chain}" if info["department"] else None,
    }
    # A new generation for the copy's files, named in its documents file as the pipeline names it (write/dataset.py).
    generation = hashlib.sha256(doc_id.encode()).hexdigest()[:12]
    row = pa.Table.from_pylist([{**info, **changed}], schema=base["documents"].schema)
    row = row.replace_schema_metadata({**(row.schema.metadata or {}), GENERATION_KEY: generation.encode()})
    for name in PARTITIONED:
        if name in base:
            table = base[name]
            field = table.schema.field("doc_id")
            table = table.set_column(table.schema.get_field_index("doc_id"), field, pa.array([doc_id] * table.num_rows, field.type))
            pq.write_table(table, os.path.join(_folder(out, name, year or UNKNOWN_YEAR), doc_file(doc_id, generation)))
    pq.write_table(row, os.path.join(_folder(out, "documents", None), doc_file(doc_id)))  # the documents row last


def _folder(out: str, name: str, year: int | None) -> str:
    folder = os.path.join(out, name) if year is None else os.path.join(out, name, f"fiscal_year={year}")
    os.makedirs(folder, exist_ok=True)
    return folder
