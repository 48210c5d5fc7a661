"""Run the extractor over one PDF: pages -> 目录, tables, narrative sections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..errors import ErrorCode
from ..records import ErrorItem, ExtractedDocument, PageText, TextLine
from ..settings import ExtractSettings
from ..stageclock import StageClock, iterate, stage
from .narrative import lines_to_sections
from .limits import PageLimits, check_limits
from .source import PdfSource, check_file, is_truncated, read_pages
from .stitch import attach_trailing_titles, fragments_to_tables
from .tables import PAGE_NO_RE, PageLayout, page_to_fragments
from .toc import find_toc_page, lines_to_toc, toc_continuation


PageProgress = Callable[[int, int, str], None]
"""Called after each page is read: (pages done, pages in the file, how the page was read: text | ocr)."""


def extract_document(
    path: str, settings: ExtractSettings | None = None, on_page: PageProgress | None = None, clock: StageClock | None = None,
    source: PdfSource | None = None,
) -> ExtractedDocument:
    """Read `path` once and return its tables and sections as printed (`clock`: the bench's stage timer;
    `source`: the caller's document, left open for the pictures — see `read_pages`)."""
    settings = ExtractSettings.resolve(settings)
    with stage(clock, "read"):
        check_file(path)
        limits = check_limits(path, settings)
    pages = iterate(clock, "read", read_pages(path, settings, limits, source))
    with stage(clock, "grids"):  # the layout pulls pages one by one; reading them is charged to "read"
        doc = pages_to_document(path, _reporting(pages, path, on_page) if on_page else pages, settings)
    if limits.damaged or limits.missing or limits.syntax or limits.unresolved:
        doc = replace(doc, errors=(damage_note(path, limits),) + doc.errors)
    if is_truncated(path):
        note = ErrorItem(ErrorCode.TRUNCATED_PDF.value, f"{path}: the file is truncated (no %%EOF); what could be recovered was read")
        doc = replace(doc, errors=(note,) + doc.errors)
    return doc


def damage_note(path: str, limits: PageLimits) -> ErrorItem:
    """Objects damaged or missing: what PDFium reads without saying so is incomplete."""
    parts = []
    for what, objects in (("stream(s) cannot be decoded whole (data failing its checks, or its filter damaged)", limits.damaged), ("object(s) referred to are missing", limits.missing)):
        if objects:
            parts.append(f"{len(objects)} {what} ({', '.join(map(str, objects[:5]))}{' …' if len(objects) > 5 else ''})")
    if limits.syntax:
        parts.append(f"objects could not be parsed as written ({'; '.join(limits.syntax)})")
    if limits.unresolved:
        pages = ", ".join(str(i + 1) for i in sorted(limits.unresolved)[:5]) + (" …" if len(limits.unresolved) > 5 else "")
        names = sorted({n for gaps in limits.unresolved.values() for n in gaps})
        parts.append(f"page(s) {pages} draw what they do not hold ({'; '.join(names[:3])}{' …' if len(names) > 3 else ''})")
    return ErrorItem(ErrorCode.DAMAGED_OBJECTS.value, f"{path}: {'; '.join(parts)}; text, fonts or drawings may be missing or misread")


def _reporting(pages: Iterable[PageText], path: str, on_page: PageProgress) -> Iterator[PageText]:
    total = 0
    for done, page in enumerate(pages, start=1):
        total = total or count_pages(path)  # the file opened: counting it cannot fail now
        on_page(done, total, page.source)
        yield page


def count_pages(path: str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def page_issues(page: PageText, path: str) -> list[ErrorItem]:
    """Why a page gave nothing: unreadable, too large, or an image with no text layer."""
    if page.issue is not None:
        return [page.issue]
    if not page.chars and page.has_images:
        return [ErrorItem(ErrorCode.NEEDS_OCR.value, f"{path}, page {page.page_no}: an image with no text layer (needs OCR)", page.page_no)]
    return []


def pages_to_document(path: str, pages, settings: ExtractSettings) -> ExtractedDocument:  # type: ignore[no-untyped-def]
    per_page: list[PageLayout] = []
    issues: list[ErrorItem] = []
    for page in pages:
        issues.extend(page_issues(page, path))
        per_page.append(page_to_fragments(page, settings))
    per_page = attach_trailing_titles(per_page)
    fragments = [f for layout in per_page for f in layout.fragments]
    page_lines = [list(layout.lines) for layout in per_page]
    toc_lines, narrative_from = _toc_lines(page_lines, [bool(layout.fragments) for layout in per_page])
    toc = lines_to_toc(toc_lines)
    stream, stops = _narrative_stream(per_page, narrative_from, {id(ln) for ln in toc_lines})
    return ExtractedDocument(
        source=path,
        n_pages=len(per_page),
        cover_text="\n".join(ln.text for ln in page_lines[0]) if page_lines else "",
        toc=tuple(toc),
        tables=tuple(fragments_to_tables(fragments)),
        sections=tuple(lines_to_sections(stream, toc, stops)),
        errors=tuple(issues),
    )


def _toc_lines(page_lines: list[list[TextLine]], has_grid: list[bool]) -> tuple[list[TextLine], int]:
    """The lines of the 目录 (it may run onto following pages), and the page index the narrative starts on."""
    first = find_toc_page(page_lines)
    if first is None:
        return [], 1
    lines = list(page_lines[first])
    k = first + 1
    while k < len(page_lines) and not has_grid[k]:
        more = toc_continuation(page_lines[k], lines)
        lines += more
        if not more or len(more) < len(page_lines[k]):
            break
        k += 1
    return lines, k


def _narrative_stream(pages: list[PageLayout], first: int, excluded: set[int]) -> tuple[list[TextLine], list[int]]:
    """Text lines outside the tables in reading order (from page index `first`), and where each table begins."""
    stream: list[TextLine] = []
    stops: list[int] = []
    for layout in pages[first:]:
        frags, lines = layout.fragments, layout.lines
        labels = {id(ln) for f in frags for ln in f.label_lines} | excluded
        if layout.trailing is not None:
            labels |= {id(ln) for ln in layout.trailing.used}
        starts = sorted((f.grid.ys[0] for f in frags if f.title), reverse=True)
        for ln in lines:
            while starts and starts[-1] <= ln.bbox.top:
                stops.append(len(stream))
                starts.pop()
            if id(ln) not in labels and not PAGE_NO_RE.match(ln.text):
                stream.append(ln)
        stops.extend(len(stream) for _ in starts)
    return stream, stops
