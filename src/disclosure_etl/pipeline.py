"""One document through the stages: extract -> normalize -> reconcile (no output written here)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from .catalogue import load_budget_terms, load_catalogue
from .display import escape_text
from .errors import DisclosureError, ErrorCode, SourceError
from .extract.document import PageProgress, extract_document
from .extract.crops import plan_crops, table_frame
from .extract.render import render_crops
from .extract.source import PdfSource
from .normalize.document import NormalizedDocument, normalize_document
from .normalize.metadata import declares_budget
from .reconcile.document import reconcile_document
from .records import Crop, DocContents, DocType, DocumentInfo, DocumentResult, ErrorItem, ExtractedDocument, Finding, Status
from .settings import ExtractSettings
from .stageclock import StageClock, stage


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
                     on_page: PageProgress | None = None, clock: StageClock | None = None) -> DocumentResult:
    """One PDF through every stage; bad input gives an error result, never an exception.

    `doc_id` is the file's sha256 when the caller has already hashed it (the batch planner);
    `on_page` hears of each page read (OCR makes a page take a second or more); `clock`
    times the stages for the benchmark.
    """
    settings = ExtractSettings.resolve(settings)
    name = os.path.basename(path)
    try:
        doc_id = doc_id or sha256_of(path)
    except OSError as exc:
        return _failed(path, "", SourceError(path, f"cannot read file ({exc.strerror})"))
    with PdfSource(path) as source:  # one open document for the pages and the pictures
        try:
            extracted = extract_document(path, settings, on_page, clock, source)
        except DisclosureError as exc:
            return _failed(path, doc_id, exc)
        catalogue = load_catalogue()
        with stage(clock, "normalize"):
            norm = normalize_document(extracted, doc_id, name, catalogue)
            read_as_budget = any(t.info.table_id for t in norm.tables) or narrative_half(extracted, norm)
            norm = replace(norm, errors=norm.errors + _no_table_reason(path, extracted, norm, read_as_budget) + _unread_amounts(path, norm))
        with stage(clock, "reconcile"):
            findings = reconcile_document(norm, extracted.toc, extracted.sections, catalogue, extracted.cover_text)
        with stage(clock, "crops"):
            crops = _crops(source, findings, norm, max_crops)
    targets = tuple(t for table in norm.tables for t in table.targets)
    result = DocumentResult(
        info=norm.info, status=document_status(norm, read_as_budget), tables=tuple(t.info for t in norm.tables), items=norm.items,
        targets=targets, sections=extracted.sections, findings=tuple(findings), errors=norm.errors,
        crops=crops,
    )
    return displayable(result)


def _no_table_reason(path: str, extracted: ExtractedDocument, norm: NormalizedDocument, read_as_budget: bool) -> tuple[ErrorItem, ...]:
    """Why a document gave no known table: not a budget at all, or a budget we could not read.

    `not_a_budget` only when every page was read and nothing says budget: no 目录,
    no table title, none of the budget terms (data/budget_terms.csv). A damaged
    budget is `tables_not_found` (partial); a document with unreadable pages and
    nothing else is an error with those pages' codes.
    """
    if read_as_budget:
        return ()
    evidence = budget_evidence(extracted)
    if evidence:
        return (ErrorItem(ErrorCode.TABLES_NOT_FOUND.value, f"{path}: {evidence}, but no budget table could be read"),)
    if norm.errors:  # pages we could not read may hold the tables: no verdict on what the document is
        return ()
    return (ErrorItem(ErrorCode.NOT_A_BUDGET.value, f"{path}: no budget or final-accounts table was found"),)


def _unread_amounts(path: str, norm: NormalizedDocument) -> tuple[ErrorItem, ...]:
    """Cells where an amount belongs that hold something else: the document was not wholly read.

    Each is also an `unreadable_amount` finding; this makes the status say it
    (a damaged font loses digits and leaves the rest of the table readable).
    """
    bad = [b for t in norm.tables for b in t.bad_cells if not b.placeholder]
    if not bad:
        return ()
    pages = ", ".join(map(str, sorted({b.page_no for b in bad})))
    return (ErrorItem(ErrorCode.AMOUNTS_UNREADABLE.value, f"{path}: {len(bad)} cell(s) where an amount belongs could not be read as one (pages {pages})",
                      bad[0].page_no),)


def narrative_half(extracted: ExtractedDocument, norm: NormalizedDocument) -> bool:
    """The 说明 half of a publication that prints its tables in another PDF: its 目录 lists
    known tables, it holds the narrative and no table at all (a budget, read whole)."""
    return norm.info.contents is DocContents.NARRATIVE_ONLY and declares_budget((), extracted.toc)


def budget_evidence(extracted: ExtractedDocument) -> str:
    """What in the document says it is a budget ('' when nothing does)."""
    listed = sum(1 for e in extracted.toc if e.is_table)
    if extracted.toc:
        return f"its 目录 lists {listed} table(s)" if listed else "it has a 目录"
    titles = [t.title for t in extracted.tables if t.title]
    if titles:
        return f"it prints table titles ({titles[0]!r} …)"
    figures = [t for t in extracted.tables if sum(_is_figure(c.text) for r in t.body_rows for c in r.cells) >= _MIN_FIGURES]
    if figures:  # a budget whose fonts are damaged keeps its ruled grids of amounts and loses every word
        return f"it prints {len(figures)} ruled table(s) of figures that no readable title names"
    text = "".join([extracted.cover_text, *(s.heading + s.text for s in extracted.sections)]).replace(" ", "")
    found = [term for term in load_budget_terms() if term in text]
    return f"it prints budget terms ({', '.join(found[:3])})" if found else ""


_MIN_FIGURES = 4
_FIGURE = re.compile(r"^-?[\d,，]+(\.\d+)?$")


def _is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.replace(" ", "")))


def document_status(norm: NormalizedDocument, read_as_budget: bool) -> Status:
    """ok; partial when some pages, amounts or all tables could not be read; skipped when it is not a budget.

    `read_as_budget`: a known table was read, or the document is a publication's narrative half.
    """
    codes = {e.code for e in norm.errors}
    if ErrorCode.NOT_A_BUDGET.value in codes:
        return Status.SKIPPED
    if read_as_budget:
        return Status.PARTIAL if norm.errors else Status.OK
    return Status.PARTIAL if ErrorCode.TABLES_NOT_FOUND.value in codes else Status.ERROR


def displayable(result: DocumentResult) -> DocumentResult:
    """File names and messages as printable UTF-8: names may hold bytes that are not UTF-8."""
    info = replace(result.info, source=escape_text(result.info.source), file_name=escape_text(result.info.file_name))
    errors = tuple(replace(e, message=escape_text(e.message)) for e in result.errors)
    return replace(result, info=info, errors=errors)


def _crops(source: PdfSource, findings: list[Finding], norm: NormalizedDocument, limit: int) -> tuple[Crop, ...]:
    """Pictures of the pages the findings name (extract/crops.py), at most `limit`, from the document read."""
    if not limit or not findings:
        return ()
    frames = [table_frame(t.raw, t.info.table_id.value if t.info.table_id else None) for t in norm.tables]
    planned = plan_crops(findings, frames, limit)
    images = render_crops(source.path, [req for req, _ in planned], source.document())
    return tuple(Crop(req.page_no, png, users, req.whole_page) for (req, users), png in zip(planned, images) if png)


def path_id(path: str) -> str:
    """The id of a file that could not be hashed: from its name's bytes."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()


def failed_result(path: str, doc_id: str, code: ErrorCode, message: str, page_no: int | None = None) -> DocumentResult:
    """The result of a document that could not be read at all."""
    info = DocumentInfo(doc_id or path_id(path), path, os.path.basename(path), "", None, DocType.UNKNOWN, 0)
    return displayable(DocumentResult(info=info, status=Status.ERROR, errors=(ErrorItem(code.value, message, page_no),)))


def _failed(path: str, doc_id: str, exc: DisclosureError) -> DocumentResult:
    return failed_result(path, doc_id, exc.code, str(exc), exc.page_no)
