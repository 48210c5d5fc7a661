"""One document through the stages: extract -> normalize -> reconcile (no output written here)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace

from .catalogue import load_catalogue
from .errors import DisclosureError, ErrorCode, SourceError
from .extract.document import PageProgress, extract_document
from .extract.crops import plan_crops, table_frame
from .extract.render import render_crops
from .normalize.document import NormalizedDocument, normalize_document
from .normalize.metadata import declares_budget
from .reconcile.document import reconcile_document
from .records import Crop, DocType, DocumentInfo, DocumentResult, ErrorItem, Finding, Status
from .settings import ExtractSettings


def iter_pdf_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, and every *.pdf under the given folders, in sorted order."""
    for path in paths:
        if os.path.isdir(path):
            found: list[str] = []
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


def process_document(path: str, settings: ExtractSettings | None = None, max_crops: int = 0, doc_id: str = "",
                     on_page: PageProgress | None = None) -> DocumentResult:
    """One PDF through every stage; bad input gives an error result, never an exception.

    `doc_id` is the file's sha256 when the caller has already hashed it (the batch planner);
    `on_page` hears of each page read (OCR makes a page take a second or more).
    """
    settings = ExtractSettings.resolve(settings)
    name = os.path.basename(path)
    try:
        doc_id = doc_id or sha256_of(path)
    except OSError as exc:
        return _failed(path, "", SourceError(path, f"cannot read file ({exc.strerror})"))
    try:
        extracted = extract_document(path, settings, on_page)
    except DisclosureError as exc:
        return _failed(path, doc_id, exc)
    catalogue = load_catalogue()
    norm = normalize_document(extracted, doc_id, name, catalogue)
    if not declares_budget((t.info.table_id for t in norm.tables), extracted.toc) and not _only_ocr(norm.errors):
        reason = ErrorItem(ErrorCode.NOT_A_BUDGET.value, f"{path}: no budget or final-accounts table was found")
        norm = replace(norm, errors=norm.errors + (reason,))
    findings = reconcile_document(norm, extracted.toc, extracted.sections, catalogue, extracted.cover_text)
    targets = tuple(t for table in norm.tables for t in table.targets)
    status = document_status(norm, declares_budget((t.info.table_id for t in norm.tables), extracted.toc))
    return DocumentResult(
        info=norm.info, status=status, tables=tuple(t.info for t in norm.tables), items=norm.items,
        targets=targets, sections=extracted.sections, findings=tuple(findings), errors=norm.errors,
        crops=_crops(path, findings, norm, max_crops),
    )


def document_status(norm: NormalizedDocument, is_budget: bool | None = None) -> Status:
    """ok; partial when some pages could not be read; skipped when the file is no budget document."""
    if not (any(t.info.table_id for t in norm.tables) if is_budget is None else is_budget):
        return Status.SKIPPED if not _only_ocr(norm.errors) else Status.ERROR
    return Status.PARTIAL if norm.errors else Status.OK


def _only_ocr(errors: tuple[ErrorItem, ...]) -> bool:
    return bool(errors) and all(e.code == ErrorCode.NEEDS_OCR.value for e in errors)


def _crops(path: str, findings: list[Finding], norm: NormalizedDocument, limit: int) -> tuple[Crop, ...]:
    """Pictures of the pages the findings name (extract/crops.py), at most `limit`."""
    if not limit or not findings:
        return ()
    frames = [table_frame(t.raw, t.info.table_id.value if t.info.table_id else None) for t in norm.tables]
    planned = plan_crops(findings, frames, limit)
    images = render_crops(path, [req for req, _ in planned])
    return tuple(Crop(req.page_no, png, users, req.whole_page) for (req, users), png in zip(planned, images) if png)


def _failed(path: str, doc_id: str, exc: DisclosureError) -> DocumentResult:
    info = DocumentInfo(doc_id or hashlib.sha256(path.encode()).hexdigest(), path, os.path.basename(path), "", None, DocType.UNKNOWN, 0)
    return DocumentResult(info=info, status=Status.ERROR, errors=(ErrorItem(exc.code.value, str(exc), exc.page_no),))
