"""I/O: read each page of a PDF into a `PageText` (characters and rulings).

Two engines give the same records. pdfium (the default) reads characters and
path objects straight from PDFium, which pdfplumber itself rests on; the
pdfplumber engine goes through pdfminer's layout and is kept as a cross-check.
Everything after this module works on plain geometry and is engine-blind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..errors import ErrorCode, SourceError
from ..records import BBox, Char, ErrorItem, PageText, Plain, Rule
from ..settings import Engine, ExtractSettings
from .charboxes import BLANK, boxes_to_page_chars, inked_indexes
from .limits import PageLimits, check_limits
from .ocr import ocr_available, ocr_workers, render_for_ocr
from .unmapped import is_garbled
from .pdfium_calls import address, loose_boxes, pdfium_text
from .readahead import Job, in_order
from .paths import PageFrame, pdfium_rules, polyline_rules, rect_outline



def read_pages(path: str, settings: ExtractSettings, limits: PageLimits | None = None,
               source: PdfSource | None = None) -> Iterator[PageText]:
    """Yield every page of `path`; raises SourceError (with its code) if it cannot be opened.

    A page that cannot be read, or is too large to read safely, is yielded with
    its `issue` set and nothing on it, so the rest of the document is still read.
    `source`: the caller's open document, kept open after the pages (the pictures
    are rendered from it); without one the document is opened and closed here.
    """
    check_file(path)
    limits = limits if limits is not None else check_limits(path, settings)
    if settings.engine is Engine.PDFPLUMBER:
        yield from _read_pdfplumber(path, settings, limits)
    elif source is not None:
        yield from _read_pdfium(path, settings, limits, source.document())
    else:
        with PdfSource(path) as own:
            yield from _read_pdfium(path, settings, limits, own.document())


class PdfSource:
    """One file's PDFium document, opened on first use and closed by its owner (`with`).

    The pipeline holds one for a document's every stage: the pages are read from
    it, then the pictures rendered from it. Opening the file again for the
    pictures, and reloading the fonts of the pages they show, cost 0.021 s of the
    corpus's 0.245 s of crops (CPU time, same process). Opened only when first
    asked for, so `check_file` and `check_limits` still see the file before PDFium.
    Pages are closed as they are read; the document alone stays open.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._doc: Any = None

    def document(self) -> Any:
        """The open `pypdfium2.PdfDocument`; raises SourceError (with its code) if it cannot be opened."""
        if self._doc is None:
            self._doc = _open_pdfium(self.path)
        return self._doc

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_file(path: str) -> None:
    """Refuse what is not a PDF before any parser sees it."""
    if not os.path.isfile(path):
        raise SourceError(path, "file not found", code=ErrorCode.FILE_NOT_FOUND)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise SourceError(path, f"cannot read the file ({exc.strerror})") from None
    if size == 0:
        raise SourceError(path, "the file is empty", code=ErrorCode.EMPTY_FILE)
    if b"%PDF-" not in head[:1024]:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise SourceError(path, f"the file is {kind}, not a PDF (no %PDF header)", code=ErrorCode.NOT_A_PDF)


def is_truncated(path: str) -> bool:
    """A complete PDF ends with %%EOF (within its last kilobyte)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, os.path.getsize(path) - 1024))
        return b"%%EOF" not in fh.read()


# ------------------------------------------------------------------ pdfium


_PDFIUM_CODES = {2: ErrorCode.UNREADABLE_FILE, 3: ErrorCode.CORRUPT_PDF, 4: ErrorCode.ENCRYPTED, 5: ErrorCode.ENCRYPTED}


def _open_pdfium(path: str):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        # An empty user password opens files protected by an owner password only.
        return pdfium.PdfDocument(path, password=None)
    except pdfium.PdfiumError as exc:
        code = _PDFIUM_CODES.get(getattr(exc, "err_code", 0), ErrorCode.CORRUPT_PDF)
        if code is ErrorCode.CORRUPT_PDF and is_truncated(path):
            code = ErrorCode.TRUNCATED_PDF
        reason = {
            ErrorCode.ENCRYPTED: "encrypted with a password we do not have",
            ErrorCode.TRUNCATED_PDF: "truncated (no %%EOF) and beyond repair",
        }.get(code, f"not a readable PDF ({exc})")
        raise SourceError(path, reason, code=code) from None


def _read_pdfium(path: str, settings: ExtractSettings, limits: PageLimits, doc: Any) -> Iterator[PageText]:
    """The pages of `doc` (open; its owner closes it)."""
    if len(doc) > settings.max_pages:
        raise SourceError(path, f"{len(doc)} pages, more than the limit of {settings.max_pages}", code=ErrorCode.TOO_MANY_PAGES)
    jobs = (_refused_page(path, index, limits) or _pdfium_page_safely(doc, index, path, settings, limits.unmapped.get(index, ()))
            for index in range(len(doc)))
    yield from in_order(jobs, ocr_workers(settings))


def _pdfium_page_safely(doc, index: int, path: str, settings: ExtractSettings,  # type: ignore[no-untyped-def]
                        unmapped_fonts: tuple[str, ...] = ()) -> Job[PageText]:
    """One page, or for a page read by OCR the call that reads its image (`in_order` runs it).

    `unmapped_fonts`: fonts it draws with that PDFium cannot map to Unicode (the pre-scan's).
    """
    import pypdfium2 as pdfium

    page_no = index + 1
    try:
        page = doc[index]
    except pdfium.PdfiumError as exc:
        return _empty_page(page_no, ErrorItem(ErrorCode.PAGE_UNREADABLE.value, f"{path}, page {page_no}: cannot be read ({exc})", page_no))
    try:
        width, height = page.get_size()
        if max(width, height) > settings.max_page_pt:
            reason = f"{path}, page {page_no}: {width:.0f} × {height:.0f} pt exceeds the {settings.max_page_pt:.0f} pt limit; not read"
            return _empty_page(page_no, ErrorItem(ErrorCode.PAGE_TOO_LARGE.value, reason, page_no), width, height)
        built = _pdfium_page(page, page_no, settings, path, unmapped_fonts)
        unreadable = not built.chars and built.has_images or built.issue is not None
        if unreadable and settings.ocr and ocr_available():
            return render_for_ocr(page, page_no, settings)  # read from the image, like a scan
        return built
    finally:
        page.close()


def _refused_page(path: str, index: int, limits: PageLimits) -> PageText | None:
    """A page `check_limits` found too costly to parse: reported, never loaded."""
    reason = limits.refused.get(index)
    if reason is None:
        return None
    return _empty_page(index + 1, ErrorItem(ErrorCode.PAGE_TOO_LARGE.value, f"{path}, page {index + 1}: {reason}; not read", index + 1))


def _empty_page(page_no: int, issue: ErrorItem, width: float = 0.0, height: float = 0.0) -> PageText:
    return PageText(page_no, width, height, (), (), issue)


def _pdfium_page(page, page_no: int, settings: ExtractSettings, path: str,  # type: ignore[no-untyped-def]
                 unmapped_fonts: tuple[str, ...] = ()) -> PageText:
    left, bottom, right, top = page.get_cropbox()
    frame = PageFrame(left, bottom, right - left, top - bottom, page.get_rotation() % 360)
    chars, plain, garbled = _pdfium_chars(page, frame)
    rules, has_image = pdfium_rules(page, frame, settings)
    width, height = frame.size
    issue = _unmapped_issue(path, page_no, unmapped_fonts) if garbled or chars and unmapped_fonts else None
    return PageText(page_no, width, height, chars, rules, issue, not chars and has_image, plain=plain)


def _unmapped_issue(path: str, page_no: int, fonts: tuple[str, ...]) -> ErrorItem:
    """The page's text is glyph numbers: seen in its characters, or known from the fonts it draws with."""
    which = f"font {', '.join(fonts[:3])} embedded without its ToUnicode map" if fonts else "a font without its ToUnicode map"
    reason = f"{path}, page {page_no}: its text does not map to the characters printed ({which}); needs OCR"
    return ErrorItem(ErrorCode.TEXT_UNMAPPED.value, reason, page_no)


def _pdfium_chars(page, frame: PageFrame) -> tuple[Sequence[Char], tuple[Plain, ...], bool]:  # type: ignore[no-untyped-def]
    """Every inked character with its loose box (as records and as `Plain` tuples), through raw PDFium calls;
    and whether the text is garbled.

    The hot path of the whole pipeline (every character of every page): the
    text comes in one call, the boxes in one pass of calls driven from C
    (`loose_boxes`), and the records are built a page at a time (charboxes.py).
    """
    from pypdfium2 import raw

    handle = raw.FPDFText_LoadPage(page.raw)
    try:
        text = pdfium_text(handle, raw.FPDFText_CountChars(handle))
        garbled = is_garbled(text)
        keep = inked_indexes(text)
        boxes = loose_boxes(address(handle), keep)
    finally:
        raw.FPDFText_ClosePage(handle)
    return (*boxes_to_page_chars(text, keep, boxes, frame), garbled)


# ---------------------------------------------------------------- pdfplumber


def _read_pdfplumber(path: str, settings: ExtractSettings, limits: PageLimits) -> Iterator[PageText]:
    import pdfplumber

    # Open through pdfium first: the same refusal codes for both engines.
    probe = _open_pdfium(path)
    n_pages = len(probe)
    probe.close()
    if n_pages > settings.max_pages:
        raise SourceError(path, f"{n_pages} pages, more than the limit of {settings.max_pages}", code=ErrorCode.TOO_MANY_PAGES)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many unrelated types on bad files
        raise SourceError(path, f"not a readable PDF ({type(exc).__name__})", code=ErrorCode.CORRUPT_PDF) from None
    with pdf:
        for index, page in enumerate(pdf.pages):
            read = _refused_page(path, index, limits) or _plumber_page_safely(page, index + 1, path, settings)
            if index in limits.unmapped and read.chars and read.issue is None:
                read = replace(read, issue=_unmapped_issue(path, index + 1, limits.unmapped[index]))
            yield read
            page.close()


def _plumber_page_safely(page, page_no: int, path: str, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    if max(page.width, page.height) > settings.max_page_pt:
        reason = f"{path}, page {page_no}: {page.width:.0f} × {page.height:.0f} pt exceeds the {settings.max_page_pt:.0f} pt limit; not read"
        return _empty_page(page_no, ErrorItem(ErrorCode.PAGE_TOO_LARGE.value, reason, page_no), page.width, page.height)
    try:
        return _plumber_page(page, page_no, settings)
    except Exception as exc:  # noqa: BLE001 - a broken content stream costs one page
        return _empty_page(page_no, ErrorItem(ErrorCode.PAGE_UNREADABLE.value, f"{path}, page {page_no}: cannot be read ({type(exc).__name__})", page_no))


def _plumber_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    x_off, y_off = page.bbox[0], page.bbox[1]
    chars = tuple(
        Char(c["text"], BBox(c["x0"] - x_off, c["top"] - y_off, c["x1"] - x_off, c["bottom"] - y_off))
        for c in page.chars
        if c["text"] not in BLANK and c["text"].isprintable() and c["x1"] > c["x0"]
    )
    rules: list[Rule] = []
    for obj in page.lines + page.rects + page.curves:
        pts = [(x - x_off, y - y_off) for x, y in obj["pts"]]
        if obj["object_type"] == "rect":
            pts = rect_outline(pts)
        rules.extend(polyline_rules(pts, bool(obj["stroke"]), bool(obj["fill"]), settings))
    return PageText(page_no, page.width, page.height, chars, tuple(rules), None, not chars and bool(page.images))
