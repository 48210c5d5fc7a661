"""I/O: rebuild the report from the Parquet datasets alone (`disclosure-etl report OUT_DIR`).

Document pages are rendered from the `documents`, `tables` and `findings`
rows; the pictures already in `report/img/` are reused (they are named by
document, finding index and page, or by document and page for a whole page,
and the findings keep their order in the files).
"""

from __future__ import annotations

import os
from decimal import Decimal

from ..read.datasets import read_dataset
from ..records import DocType, DocumentInfo, DocumentResult, ErrorItem, Finding, FindingKind, Severity, Status, TableInfo, TableKind, Unit
from .atomic import write_text_atomic
from .output import pdf_href, write_index
from .report import CropRefs, crop_name, doc_page_name, page_image_name
from .report_page import render_document


def _tables(rows: list[dict]) -> tuple[TableInfo, ...]:
    return tuple(
        TableInfo(
            r["doc_id"], TableKind(r["table_id"]) if r["table_id"] else None, r["toc_no"], r["title"], r["toc_title"] or "",
            r["first_page"], r["last_page"], (r["first_page"], r["last_page"]), Unit(r["unit"]) if r["unit"] else None,
            r["filer"] or "", r["is_empty"], r["empty_note"] or "", r["n_rows"], r["n_amounts"],
        )
        for r in rows
    )


def _findings(rows: list[dict]) -> tuple[Finding, ...]:
    def dec(v: object) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    return tuple(
        Finding(r["doc_id"], r["rule_id"], Severity(r["severity"]), r["message"] or "", r["table_id"], dec(r["expected"]),
                dec(r["actual"]), dec(r["difference"]), dec(r["tolerance"]), tuple(r["pages"] or ()), r["subject_code"], r["column_key"],
                kind=FindingKind(r.get("kind") or "document"))
        for r in rows
    )


def _result(doc: dict, tables: list[dict], findings: list[dict]) -> DocumentResult:
    info = DocumentInfo(doc["doc_id"], doc["source"], doc["file_name"], doc["department"] or "", doc["fiscal_year"],
                        DocType(doc["doc_type"] or "unknown"), doc["n_pages"] or 0)
    errors = (ErrorItem(doc["error_code"], doc["error"] or ""),) if doc["error_code"] else ()
    return DocumentResult(info=info, status=Status(doc["status"]), tables=_tables(tables), findings=_findings(findings), errors=errors)


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["doc_id"], []).append(r)
    return out


def pictures_on_disk(doc_id: str, findings: tuple[Finding, ...], img_dir: str) -> CropRefs:
    """The pictures `write_document_page` wrote: one made for the finding on a page, else the page's whole-page one."""
    refs: CropRefs = {}
    for i, f in enumerate(findings):
        for page in sorted(set(f.pages)):
            name = next((n for n in (crop_name(doc_id, i, page), page_image_name(doc_id, page)) if os.path.exists(os.path.join(img_dir, n))), None)
            if name:
                refs.setdefault(i, []).append((page, name))
    return refs


def rerender_report(out_dir: str) -> dict[str, str]:
    docs = read_dataset(out_dir, "documents").to_pylist()
    tables = _by_doc(read_dataset(out_dir, "tables").to_pylist())
    # A document's page shows its own findings; the batch's (scope batch) are in the index.
    findings = _by_doc([r for r in read_dataset(out_dir, "findings").to_pylist() if r["scope"] != "batch"])
    paths = {}
    img_dir = os.path.join(out_dir, "report", "img")
    for doc in docs:
        result = _result(doc, tables.get(doc["doc_id"], []), findings.get(doc["doc_id"], []))
        crops = pictures_on_disk(doc["doc_id"], result.findings, img_dir)
        path = os.path.join(out_dir, "report", doc_page_name(doc["doc_id"]))
        write_text_atomic(render_document(result, crops, pdf_href(doc["source"], os.path.dirname(path))), path)
        paths[doc["doc_id"]] = path
    paths.update(write_index(out_dir))
    return paths
