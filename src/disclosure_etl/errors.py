"""Exception hierarchy.

`DisclosureError` and its subclasses mean *bad input*: the message names the
file (and page where known) and the CLI turns it into one line. Any other
exception escaping a stage is a defect in this package and propagates.
"""

from __future__ import annotations


class DisclosureError(Exception):
    """Base of every error caused by the input rather than by a bug."""

    code = "error"

    def __init__(self, source: str, reason: str, page_no: int | None = None):
        self.source = source
        self.reason = reason
        self.page_no = page_no
        where = f"{source}, page {page_no}" if page_no else source
        super().__init__(f"{where}: {reason}")


class SourceError(DisclosureError):
    """The file cannot be opened or read as a PDF."""

    code = "unreadable_pdf"


class LayoutError(DisclosureError):
    """A page or table is laid out in a way the extractor cannot follow."""

    code = "layout"


class SchemaError(DisclosureError):
    """A table's header or cells cannot be mapped to the canonical schema."""

    code = "schema"
