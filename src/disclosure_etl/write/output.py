"""I/O: the report files.

A worker writes its document's page (`report/<doc>.html`) and crops
(`report/img/*.png`) as it finishes; the index (`report.html`) and the
Markdown summary (`report.md`) are rebuilt from the datasets at the end of
every batch, so they cover every document in the output, old and new.
"""

from __future__ import annotations

import glob
import os
from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq

from ..records import DocumentResult
from .atomic import write_bytes_atomic, write_text_atomic
from .report import IndexRow, crop_name, doc_page_name, render_document, render_index, render_markdown


def write_document_page(result: DocumentResult, out_dir: str) -> None:
    report_dir = os.path.join(out_dir, "report")
    names = {}
    for index, png in result.crops:
        names[index] = crop_name(result.info.doc_id, index)
        write_bytes_atomic(png, os.path.join(report_dir, "img", names[index]))
    write_text_atomic(render_document(result, names), os.path.join(report_dir, doc_page_name(result.info.doc_id)))


def _read(out_dir: str, name: str, columns: list[str]) -> pa.Table | None:
    files = glob.glob(os.path.join(out_dir, name, "**", "*.parquet"), recursive=True)
    if not files:
        return None
    return pa.concat_tables([pq.read_table(f, columns=columns) for f in sorted(files)])


def index_rows(out_dir: str) -> tuple[list[IndexRow], list[tuple[str, str, str, str, str]]]:
    """One row per document in the output, and its error/warning findings for the Markdown."""
    docs = _read(out_dir, "documents", ["doc_id", "file_name", "department", "status", "doc_type", "fiscal_year", "n_tables", "n_line_items"])
    findings = _read(out_dir, "findings", ["doc_id", "severity", "rule_id", "message", "pages"])
    counts: Counter[tuple[str, str]] = Counter()
    notable = []
    names = {}
    if docs is not None:
        names = dict(zip(docs.column("doc_id").to_pylist(), docs.column("file_name").to_pylist()))
    if findings is not None:
        for d, sev, rule, msg, pages in zip(*(findings.column(c).to_pylist() for c in ("doc_id", "severity", "rule_id", "message", "pages"))):
            counts[(d, sev)] += 1
            if sev in ("error", "warning"):
                notable.append((names.get(d, d), sev, rule, ",".join(map(str, pages or [])), msg))
    rows = []
    if docs is not None:
        for rec in docs.to_pylist():
            severities = {s: counts[(rec["doc_id"], s)] for s in ("error", "warning", "rounding", "info")}
            rows.append(IndexRow(**rec, severities=severities))
    rows.sort(key=lambda r: (r.file_name, r.doc_id))
    return rows, sorted(notable)


def write_index(out_dir: str) -> dict[str, str]:
    rows, notable = index_rows(out_dir)
    html_path = os.path.join(out_dir, "report.html")
    md_path = os.path.join(out_dir, "report.md")
    write_text_atomic(render_markdown(rows, notable), md_path)
    write_text_atomic(render_index(rows), html_path)
    return {"report_html": html_path, "report_md": md_path}
