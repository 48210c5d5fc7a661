"""Run documents through the stages: extract -> normalize -> reconcile -> write."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .catalogue import load_catalogue
from .errors import DisclosureError, SourceError
from .extract.document import extract_document
from .normalize.document import normalize_document
from .reconcile.document import reconcile_document
from .records import DocType, DocumentInfo, DocumentResult, ErrorItem, Status
from .settings import ExtractSettings
from .write.parquet import write_results, write_text_atomic
from .write.report import render_html, render_markdown


@dataclass(frozen=True, slots=True)
class BatchResult:
    results: tuple[DocumentResult, ...]
    outputs: dict[str, str]


def iter_pdf_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, and every *.pdf under the given folders, in sorted order."""
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, _dirs, files in os.walk(path):
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(".pdf"))
            yield from sorted(found)
        else:
            yield path


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_document(path: str, settings: ExtractSettings | None = None) -> DocumentResult:
    """One PDF through every stage; bad input gives an error result, never an exception."""
    settings = ExtractSettings.resolve(settings)
    name = os.path.basename(path)
    try:
        doc_id = sha256_of(path)
    except OSError as exc:
        return _failed(path, "", SourceError(path, f"cannot read file ({exc.strerror})"))
    try:
        extracted = extract_document(path, settings)
    except DisclosureError as exc:
        return _failed(path, doc_id, exc)
    catalogue = load_catalogue()
    norm = normalize_document(extracted, doc_id, name, catalogue)
    findings = reconcile_document(norm, extracted.toc, extracted.sections, catalogue, extracted.cover_text)
    targets = tuple(t for table in norm.tables for t in table.targets)
    status = Status.PARTIAL if norm.errors else Status.OK
    return DocumentResult(
        info=norm.info, status=status, tables=tuple(t.info for t in norm.tables), items=norm.items,
        targets=targets, sections=extracted.sections, findings=tuple(findings), errors=norm.errors,
    )


def _failed(path: str, doc_id: str, exc: DisclosureError) -> DocumentResult:
    info = DocumentInfo(doc_id or hashlib.sha256(path.encode()).hexdigest(), path, os.path.basename(path), "", None, DocType.UNKNOWN, 0)
    return DocumentResult(info=info, status=Status.ERROR, errors=(ErrorItem(exc.code, str(exc), exc.page_no),))


def run_batch(paths: Iterable[str], out_dir: str, settings: ExtractSettings | None = None) -> BatchResult:
    """Extract every PDF, then write the datasets and the report into `out_dir`."""
    results = tuple(process_document(p, settings) for p in iter_pdf_paths(paths))
    outputs = write_results(results, out_dir)
    html_path = os.path.join(out_dir, "report.html")
    md_path = os.path.join(out_dir, "report.md")
    write_text_atomic(render_html(results), html_path)
    write_text_atomic(render_markdown(results), md_path)
    outputs.update({"report_html": html_path, "report_md": md_path})
    return BatchResult(results, outputs)
