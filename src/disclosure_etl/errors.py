"""Exception hierarchy and the stable error codes of `documents.error_code`.

`DisclosureError` and its subclasses mean *bad input*: the message names the
file (and page where known) and the CLI turns it into one line. Any other
exception escaping a stage is a defect in this package; the batch records it
as `internal_error` for that document and goes on.
"""

from __future__ import annotations

import enum


class ErrorCode(str, enum.Enum):
    """Stable codes users can filter on (docs/errors.md)."""

    FILE_NOT_FOUND = "file_not_found"
    NOT_A_FILE = "not_a_file"
    UNREADABLE_FILE = "unreadable_file"
    EMPTY_FILE = "empty_file"
    NOT_A_PDF = "not_a_pdf"
    CORRUPT_PDF = "corrupt_pdf"
    TRUNCATED_PDF = "truncated_pdf"
    ENCRYPTED = "encrypted"
    PAGE_UNREADABLE = "page_unreadable"
    PAGE_TOO_LARGE = "page_too_large"
    TOO_MANY_PAGES = "too_many_pages"
    TOO_LARGE = "too_large"
    NEEDS_OCR = "needs_ocr"
    TEXT_UNMAPPED = "text_unmapped"
    NOT_A_BUDGET = "not_a_budget"
    TABLES_NOT_FOUND = "tables_not_found"
    AMOUNTS_UNREADABLE = "amounts_unreadable"
    DAMAGED_OBJECTS = "damaged_objects"
    TIMEOUT = "timeout"
    WORKER_DIED = "worker_died"
    INTERNAL_ERROR = "internal_error"


class DisclosureError(Exception):
    """Base of every error caused by the input rather than by a bug."""

    code: ErrorCode = ErrorCode.UNREADABLE_FILE

    def __init__(self, source: str, reason: str, page_no: int | None = None, code: ErrorCode | None = None):
        self.source = source
        self.reason = reason
        self.page_no = page_no
        if code is not None:
            self.code = code
        where = f"{source}, page {page_no}" if page_no else source
        super().__init__(f"{where}: {reason}")


class SourceError(DisclosureError):
    """The file cannot be opened or read as a PDF."""

    code = ErrorCode.UNREADABLE_FILE


class LayoutError(DisclosureError):
    """A page or table is laid out in a way the extractor cannot follow."""

    code = ErrorCode.PAGE_UNREADABLE


class SchemaError(DisclosureError):
    """A table's header or cells cannot be mapped to the canonical schema."""

    code = ErrorCode.NOT_A_BUDGET
