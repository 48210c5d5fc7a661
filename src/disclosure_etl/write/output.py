"""I/O: the report files.

A worker writes its document's page (`report/<doc>.html`) and crops
(`report/img/*.png`) as it finishes; the index (`report.html`) and the
Markdown summary (`report.md`) are rebuilt from the datasets at the end of
every batch, so they cover every document in the output, old and new.
"""

from __future__ import annotations

import os
from collections import Counter
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc

from ..read.datasets import read_dataset
from ..records import DocumentResult
from .atomic import write_text_atomic
from .dataset import REPORT
from .report import CropRefs, CrossRow, IndexRow, crop_name, doc_page_name, page_image_name, render_index, render_markdown
from .report_page import render_document


def pdf_href(source: str, report_dir: str) -> str:
    """A link from the report's pages to the PDF: relative, so the folders can move together."""
    if not source:
        return ""
    target = os.path.abspath(source)
    try:
        path = os.path.relpath(target, os.path.abspath(report_dir))
    except ValueError:  # another drive (Windows)
        return "file://" + quote(target.replace(os.sep, "/"))
    return quote(path.replace(os.sep, "/"))


def write_document_page(result: DocumentResult, staging: str, out_dir: str) -> tuple[tuple[str, str], ...]:
    """The document's page and its pictures (a whole page once, however many findings name it),
    written in place in the document's staging folder (`write.dataset.stage_document`), beside its
    Parquet parts; returns (path under `out_dir`, staged path) of each, pictures first."""
    doc_id = result.info.doc_id
    refs: CropRefs = {}
    written = []
    for crop in result.crops:
        names = [page_image_name(doc_id, crop.page_no)] if crop.whole_page else [crop_name(doc_id, i, crop.page_no) for i in crop.findings]
        for name in dict.fromkeys(names):
            written.append((f"{REPORT}/img/{name}", _write_new(crop.png, os.path.join(staging, name))))
        for i, name in zip(crop.findings, names * len(crop.findings) if crop.whole_page else names):
            refs.setdefault(i, []).append((crop.page_no, name))
    # The link to the PDF is relative to where the page is committed, not to the staging folder.
    page = render_document(result, refs, pdf_href(result.info.source, os.path.join(out_dir, REPORT)))
    name = doc_page_name(doc_id)
    written.append((f"{REPORT}/{name}", _write_new(page.encode("utf-8"), os.path.join(staging, name))))
    return tuple(written)


def _write_new(data: bytes, path: str) -> str:
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def _of_scope(findings: pa.Table, batch: bool) -> pa.Table:
    """Batch findings, or those of one document (older files, without `scope`, hold only these)."""
    is_batch = pc.fill_null(pc.equal(findings["scope"], "batch"), False)
    return findings.filter(is_batch if batch else pc.invert(is_batch))


_FINDING_COLUMNS = ["doc_id", "severity", "kind", "rule_id", "message", "pages", "scope", "other_doc_id", "other_pages"]
"""What the index shows of the findings (`index_rows`, `cross_rows`)."""


def _read_findings(out_dir: str) -> pa.Table:
    return read_dataset(out_dir, "findings", _FINDING_COLUMNS)


def index_rows(out_dir: str, findings: pa.Table | None = None) -> tuple[list[IndexRow], list[tuple[str, str, str, str, str]]]:
    """One row per document in the output, and its error/warning findings for the Markdown
    (findings of one document only: the batch's own are `cross_rows`); `findings` as read, if they were."""
    columns = ["doc_id", "file_name", "department", "status", "doc_type", "fiscal_year", "n_tables", "n_line_items", "error"]
    docs = read_dataset(out_dir, "documents", columns)
    findings = _of_scope(_read_findings(out_dir) if findings is None else findings, batch=False)
    counts: Counter[tuple[str, str]] = Counter()
    notable = []
    names = dict(zip(docs.column("doc_id").to_pylist(), docs.column("file_name").to_pylist()))
    wanted = ("doc_id", "severity", "kind", "rule_id", "message", "pages")
    for d, sev, kind, rule, msg, pages in zip(*(findings.column(c).to_pylist() for c in wanted)):
        counts[(d, sev)] += 1
        counts[(d, kind or "document")] += 1
        if sev in ("error", "warning"):
            notable.append((names.get(d, d), sev, rule, ",".join(map(str, pages or [])), msg))
    rows = []
    for rec in docs.to_pylist():
        severities = {s: counts[(rec["doc_id"], s)] for s in ("error", "warning", "rounding", "info")}
        rows.append(IndexRow(**rec, severities=severities, unsure=counts[(rec["doc_id"], "extraction")]))
    rows.sort(key=lambda r: (r.file_name, r.doc_id))
    return rows, sorted(notable)


def cross_rows(out_dir: str, rows: list[IndexRow], findings: pa.Table | None = None) -> list[CrossRow]:
    """The batch's findings (documents against each other), most severe first."""
    names = {r.doc_id: r.file_name for r in rows}
    found = _of_scope(_read_findings(out_dir) if findings is None else findings, batch=True).to_pylist()
    cross = [
        CrossRow(f["severity"], f["rule_id"], f["doc_id"], names.get(f["doc_id"], f["doc_id"]), tuple(f["pages"] or ()),
                 f["other_doc_id"], names.get(f["other_doc_id"] or "", f["other_doc_id"] or ""), tuple(f["other_pages"] or ()), f["message"] or "")
        for f in found
    ]
    rank = {"error": 0, "warning": 1, "rounding": 2, "info": 3}
    return sorted(cross, key=lambda c: (rank.get(c.severity, 4), c.rule_id, c.file_name, c.pages, c.message))


def write_index(out_dir: str) -> dict[str, str]:
    findings = _read_findings(out_dir)  # once for both: each read lists the datasets and opens every file
    rows, notable = index_rows(out_dir, findings)
    cross = cross_rows(out_dir, rows, findings)
    html_path = os.path.join(out_dir, "report.html")
    md_path = os.path.join(out_dir, "report.md")
    write_text_atomic(render_markdown(rows, notable, cross), md_path)
    write_text_atomic(render_index(rows, cross), html_path)
    return {"report_html": html_path, "report_md": md_path}
