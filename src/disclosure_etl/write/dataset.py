"""I/O: the output as Parquet datasets, one file per document, committed atomically.

Layout (`out/`):
    documents/<doc>.parquet                               one row per input file
    <name>/fiscal_year=<year>/<doc>.parquet               tables, line_items, performance_targets, sections, findings

A worker stages a document's files under `out/_staging/<doc>/`; the committer
moves them into place with `os.replace`, the `documents` row last, so a
document is either wholly in the output or not at all. A new batch adds files
and never rewrites another document's; re-extracting a document replaces its
own files, so rows are never duplicated.
"""

from __future__ import annotations

import glob
import os
import shutil
from dataclasses import dataclass

import pyarrow.parquet as pq

from ..read.datasets import read_dataset  # noqa: F401  (re-exported: the one reader of the output is read/)
from ..records import DocumentResult
from .parquet import document_rows, rows_to_table, write_table_atomic

PARTITIONED = ("tables", "line_items", "performance_targets", "sections", "findings")
STAGING = "_staging"
UNKNOWN_YEAR = 0  # partition of a document whose year is not printed


@dataclass(frozen=True, slots=True)
class Staged:
    """A document's files written under `_staging`, waiting to be committed."""

    doc_id: str
    fiscal_year: int
    files: tuple[tuple[str, str], ...]  # (dataset name, staged path)


def doc_file(doc_id: str) -> str:
    """File name of a document's part: from its sha256, never from its content or name."""
    return f"{doc_id[:24]}.parquet"


def stage_document(result: DocumentResult, out_dir: str) -> Staged:
    doc_id = result.info.doc_id
    folder = os.path.join(out_dir, STAGING, doc_id[:24])
    os.makedirs(folder, exist_ok=True)
    rows = document_rows([result])
    files = []
    # A document that could not be read has only its documents row.
    names = PARTITIONED if result.info.n_pages else ()
    for name in (*names, "documents"):
        path = os.path.join(folder, f"{name}.parquet")
        write_table_atomic(rows_to_table(name, rows[name]), path)
        files.append((name, path))
    return Staged(doc_id, result.info.fiscal_year or UNKNOWN_YEAR, tuple(files))


def commit(staged: Staged, out_dir: str) -> None:
    """Move a staged document into the datasets; its documents row goes last."""
    for name, path in staged.files:
        if name == "documents":
            continue
        for old in glob.glob(os.path.join(out_dir, name, "fiscal_year=*", doc_file(staged.doc_id))):
            os.unlink(old)  # the same document re-extracted, perhaps with another year
        target = os.path.join(out_dir, name, f"fiscal_year={staged.fiscal_year}", doc_file(staged.doc_id))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(path, target)
    for name, path in staged.files:
        if name == "documents":
            target = os.path.join(out_dir, "documents", doc_file(staged.doc_id))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(path, target)
    shutil.rmtree(os.path.join(out_dir, STAGING, staged.doc_id[:24]), ignore_errors=True)


def clean_staging(out_dir: str) -> None:
    """Drop what an interrupted run staged but never committed."""
    shutil.rmtree(os.path.join(out_dir, STAGING), ignore_errors=True)


def completed_doc_ids(out_dir: str) -> set[str]:
    """Documents already extracted (status ok or partial): a re-run skips them."""
    folder = os.path.join(out_dir, "documents")
    if not os.path.isdir(folder):
        return set()
    done: set[str] = set()
    for path in glob.glob(os.path.join(folder, "*.parquet")):
        table = pq.read_table(path, columns=["doc_id", "status"])
        done.update(d for d, s in zip(table.column("doc_id").to_pylist(), table.column("status").to_pylist()) if s in ("ok", "partial"))
    return done
