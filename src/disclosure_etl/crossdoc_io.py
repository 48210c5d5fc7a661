"""I/O for the batch checks: read the output's datasets back as records, write the batch findings.

The checks run over the whole output folder, old and new documents alike, at
the end of every batch. Their findings go to `findings/fiscal_year=<year>/batch.parquet`
(the year of the finding's first document), each file replaced atomically;
a year left without batch findings loses its file.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from typing import Any

from .catalogue import load_catalogue
from .records import BBox, DocType, DocumentInfo, Finding, LineItem, Section, Side, SubjectLevel, TableKind, Unit
from .reconcile.claims import class_names_of
from .reconcile.crossdoc import check_batch
from .reconcile.rollup import BatchDoc
from .write.dataset import UNKNOWN_YEAR, read_dataset
from .write.parquet import finding_rows, rows_to_table, write_table_atomic

BATCH_FILE = "batch.parquet"
_READY = ("ok", "partial")


def _info(r: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        r["doc_id"], r["source"], r["file_name"], r["department"] or "", r["fiscal_year"], DocType(r["doc_type"] or "unknown"),
        r["n_pages"] or 0, r["entity_id"] or "", r["entity_name"] or "", r["entity_code"], r["province"], r["city"], r["district"],
    )


def _item(r: dict[str, Any]) -> LineItem:
    return LineItem(
        r["doc_id"], TableKind(r["table_id"]), r["page"], BBox(r["x0"] or 0.0, r["top"] or 0.0, r["x1"] or 0.0, r["bottom"] or 0.0),
        r["row_index"], r["subject_code"], SubjectLevel(r["subject_level"]) if r["subject_level"] else None, r["parent_code"],
        r["subject_name"], r["row_label"] or "", Side(r["side"]) if r["side"] else None, r["column_key"], r["column_label"] or "",
        r["phase"], r["amount_yuan"], r["amount_text"], Unit(r["unit"]), r["department_code"], r["source"], r["confidence"],
    )


def _section(r: dict[str, Any]) -> Section:
    first, last = r["first_page"], r["last_page"]
    pages = tuple(range(first, last + 1)) if first and last else ()
    marks = tuple((m["offset"], m["page"]) for m in r["page_marks"] or ())
    return Section(r["key"], r["heading"] or "", r["text"] or "", pages, r["level"] if r["level"] is not None else 1, marks)


def read_batch_docs(out_dir: str) -> list[BatchDoc]:
    """Every readable document of the output with its line items and sections."""
    infos = [_info(r) for r in read_dataset(out_dir, "documents").to_pylist() if r["status"] in _READY]
    wanted = {i.doc_id for i in infos}
    items: dict[str, list[LineItem]] = {}
    for r in read_dataset(out_dir, "line_items").to_pylist():
        if r["doc_id"] in wanted:
            items.setdefault(r["doc_id"], []).append(_item(r))
    sections: dict[str, list[Section]] = {}
    for r in read_dataset(out_dir, "sections").to_pylist():
        if r["doc_id"] in wanted:
            sections.setdefault(r["doc_id"], []).append(_section(r))
    return [BatchDoc(i, tuple(items.get(i.doc_id, ())), tuple(sections.get(i.doc_id, ()))) for i in infos]


def write_batch_findings(out_dir: str, findings: Sequence[Finding], years: dict[str, int | None]) -> list[str]:
    """One `batch.parquet` per fiscal year holding batch findings; stale ones removed."""
    by_year: dict[int, list[Finding]] = {}
    for f in findings:
        by_year.setdefault(years.get(f.doc_id) or UNKNOWN_YEAR, []).append(f)
    written = []
    for year, group in sorted(by_year.items()):
        path = os.path.join(out_dir, "findings", f"fiscal_year={year}", BATCH_FILE)
        write_table_atomic(rows_to_table("findings", finding_rows(group)), path)
        written.append(path)
    for stale in glob.glob(os.path.join(out_dir, "findings", "fiscal_year=*", BATCH_FILE)):
        if stale not in written:
            os.unlink(stale)
    return written


def run_batch_checks(out_dir: str) -> list[Finding]:
    """Read the output folder, run the batch checks, write their findings; returns them."""
    docs = read_batch_docs(out_dir)
    findings = check_batch(docs, class_names_of(load_catalogue().names))
    write_batch_findings(out_dir, findings, {d.doc_id: d.info.fiscal_year for d in docs})
    return findings
