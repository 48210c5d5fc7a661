"""I/O: the output as Parquet datasets, one file per document, committed atomically per document.

Layout (`out/`):
    documents/<doc>.parquet                               one row per input file: the commit record
    <name>/fiscal_year=<year>/<doc>-<gen>.parquet         tables, line_items, performance_targets, sections, findings

A document's files form a *generation* `<gen>`: a hash of their bytes, so the
same input gives the same names and bytes on every run. The `documents` file
names its generation (Parquet metadata `disclosure_etl.generation`) and is
the one file replaced in place. A commit moves the new generation in beside
the old one, replaces the `documents` file (the flip), then removes the old
generation: a process killed before any step leaves either the old document
whole or the new one whole. Files of any other generation are not part of the
output: `read.datasets.dataset_files` leaves them out and `recover` deletes them.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from ..read.datasets import DOC_FILE, GENERATION_KEY, committed_generations, is_committed, read_dataset
from ..records import DocumentResult
from .atomic import TEMP_PREFIX
from .parquet import document_tables
from .schema import arrow_schema

PARTITIONED = ("tables", "line_items", "performance_targets", "sections", "findings")
STAGING = "_staging"
REPORT = "report"
UNKNOWN_YEAR = 0  # partition of a document whose year is not printed

Step = Callable[[str], None]
"""Called with a label before each filesystem step of a commit (tests kill the process there)."""


def _no_hook(label: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Staged:
    """A document's files written under `_staging`, waiting to be committed.

    `files` are (dataset name, staged path) for the Parquet parts and `documents`, and
    (path under the output, staged path) for the report page and pictures (`report/...`),
    all staged side by side in `folder`."""

    doc_id: str
    fiscal_year: int
    generation: str
    folder: str
    files: tuple[tuple[str, str], ...]


def doc_key(doc_id: str) -> str:
    return doc_id[:24]


def doc_file(doc_id: str, generation: str = "") -> str:
    """File name of a document's part: from its sha256 and generation, never from its content or name."""
    return f"{doc_key(doc_id)}-{generation}.parquet" if generation else f"{doc_key(doc_id)}.parquet"


def stage_document(result: DocumentResult, out_dir: str, token: str) -> Staged:
    """Write a document's rows under `_staging/<doc>-<token>/`; `token` keeps two attempts apart.

    The staging folder is the worker's own until the committer moves its files
    (only once the worker has returned), and `recover` removes what a stopped
    worker left there: its files are written in place, without temporary names.
    """
    doc_id = result.info.doc_id
    folder = os.path.join(out_dir, STAGING, f"{doc_key(doc_id)}-{token}")
    os.makedirs(folder, exist_ok=True)
    tables = document_tables(result)
    files = []
    digest = hashlib.sha256()  # the generation: a hash of the parts' bytes
    # A document that could not be read has only its documents row.
    for name in PARTITIONED if result.info.n_pages else ():
        path = os.path.join(folder, f"{name}.parquet")
        digest.update(_write_staged(tables[name], path, name))
        files.append((name, path))
    generation = digest.hexdigest()[:12]
    documents = tables["documents"]
    documents = documents.replace_schema_metadata({**(documents.schema.metadata or {}), GENERATION_KEY: generation.encode()})
    path = os.path.join(folder, "documents.parquet")
    _write_staged(documents, path)
    files.append(("documents", path))
    return Staged(doc_id, result.info.fiscal_year or UNKNOWN_YEAR, generation, folder, tuple(files))


def _write_staged(table: pa.Table, path: str, name: str = "") -> pa.Buffer:
    """The table as Parquet at `path` (a new file in a staging folder); returns the bytes written."""
    data = _empty_part(name) if name and not table.num_rows else _parquet(table)
    with open(path, "wb") as fh:
        fh.write(data)
    return data


def _parquet(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue()


@functools.cache
def _empty_part(name: str) -> pa.Buffer:
    """An empty part of a dataset: the same bytes for every document (a quarter of the parts, corpus)."""
    return _parquet(arrow_schema(name).empty_table())


def commit(staged: Staged, out_dir: str, before: Step = _no_hook) -> None:
    """Move a staged document into the datasets: new generation in, flip, old generation out;
    then its report page and pictures."""
    old = _document_parts(out_dir, staged.doc_id)
    placed = set()
    for name, path in staged.files:
        if name in PARTITIONED:
            target = os.path.join(out_dir, name, f"fiscal_year={staged.fiscal_year}", doc_file(staged.doc_id, staged.generation))
            _move(path, target, f"place {name}", before)
            placed.add(target)
    _move(dict(staged.files)["documents"], os.path.join(out_dir, "documents", doc_file(staged.doc_id)), "flip documents", before)
    for path in sorted(set(old) - placed):
        before(f"remove old {os.path.relpath(path, out_dir)}")
        os.unlink(path)
    for name, path in staged.files:
        if name.startswith(REPORT + "/"):
            _move(path, os.path.join(out_dir, name), f"place {name}", before)
    before("remove staging")
    _remove_folder(staged.folder)


def _move(source: str, target: str, label: str, before: Step) -> None:
    before(f"mkdir for {label}")
    before(label)
    try:
        os.replace(source, target)
    except FileNotFoundError:  # the target's folder is new (the first document of a year, of a batch)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)


def _remove_folder(folder: str) -> None:
    """The staging folder, empty once its files are moved: one rmdir (a tree walk only if something stayed)."""
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        pass
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def discard(staged: Staged) -> None:
    """Drop a staged document that is not to be committed."""
    shutil.rmtree(staged.folder, ignore_errors=True)


def _document_parts(out_dir: str, doc_id: str) -> list[str]:
    """Every partitioned file of one document, of any generation; none for a document never committed
    (what a killed run placed of it is no generation's that counts, and `recover` removes it): a
    new document's commit lists no folder, whose size grows with the output."""
    if not os.path.exists(os.path.join(out_dir, "documents", doc_file(doc_id))):
        return []
    key = doc_key(doc_id)
    return sorted(p for name in PARTITIONED for p in glob.glob(os.path.join(out_dir, name, "fiscal_year=*", f"{key}*.parquet"))
                  if (m := DOC_FILE.match(os.path.basename(p))) and m.group(1) == key)


# ------------------------------------------------------------------ reading


def completed_doc_ids(out_dir: str) -> set[str]:
    """Documents already extracted (status ok or partial): a re-run skips them."""
    table = read_dataset(out_dir, "documents")
    return {d for d, s in zip(table.column("doc_id").to_pylist(), table.column("status").to_pylist()) if s in ("ok", "partial")}


def committed_row(out_dir: str, doc_id: str) -> dict | None:
    """The committed documents row of one document, or None."""
    path = os.path.join(out_dir, "documents", doc_file(doc_id))
    if not os.path.exists(path):
        return None
    rows = pq.read_table(path).to_pylist()
    return rows[0] if rows else None


# ------------------------------------------------------------------ recovery


def recover(out_dir: str) -> list[str]:
    """Remove what a killed run left that is not part of the output; returns what was removed.

    Staged documents, temporary files of interrupted writes, and dataset files
    of a generation that no `documents` file names (written before a flip that
    never happened, or left behind after one).
    """
    removed = []
    if os.path.isdir(os.path.join(out_dir, STAGING)):
        shutil.rmtree(os.path.join(out_dir, STAGING), ignore_errors=True)
        removed.append(STAGING)
    committed = committed_generations(out_dir)
    for name in ("documents", *PARTITIONED, REPORT):
        for folder, _dirs, files in os.walk(os.path.join(out_dir, name)):
            for file_name in files:
                stale = file_name.startswith(TEMP_PREFIX) or (name in PARTITIONED and not is_committed(file_name, committed))
                if stale:
                    os.unlink(os.path.join(folder, file_name))
                    removed.append(os.path.relpath(os.path.join(folder, file_name), out_dir))
    return removed
