"""Pure: which picture of which page shows the evidence of each finding.

Every page a finding names gets a picture:
- a page holding cells of the finding: the full width of the page (so the row
  labels show) around those rows, with the table's column headers above them —
  from the same page, or from the table's first page when a continuation page
  does not repeat them (two strips, stacked);
- a page of the narrative: the finding's sentence, quoted in 「」 in its message,
  found on the page by render.py, its numbers marked;
- any other page (a placeholder on the cover, a table missing from the 目录):
  the whole page, one picture shared by every finding naming that page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import BBox, Finding, FindingKind, RawTable, Severity

MARGIN_PT = 4.0
JOIN_GAP_PT = 160.0
"""Header and rows closer than this are shown as one strip; farther apart, as two."""
_QUOTE_RE = re.compile(r"「([^「」]{4,})」")
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ROUNDING: 2, Severity.INFO: 3}


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal strip of a page, the page's full width, in points from the top."""

    page_no: int
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class CropRequest:
    """One picture: strips stacked top to bottom (none: the whole page) with `boxes` outlined
    and `marks` highlighted, or the sentence `quote` found on `page_no` with its numbers marked."""

    page_no: int
    bands: tuple[Band, ...] = ()
    boxes: tuple[BBox, ...] = ()
    quote: str = ""
    marks: tuple[BBox, ...] = ()

    @property
    def whole_page(self) -> bool:
        return not self.bands and not self.quote


@dataclass(frozen=True, slots=True)
class TableFrame:
    """Where one table prints its column headers and its body rows, page by page."""

    table_id: str | None
    header: tuple[Band, ...]
    body: tuple[Band, ...]

    def body_on(self, page_no: int) -> Band | None:
        return next((b for b in self.body if b.page_no == page_no), None)

    def header_for(self, page_no: int) -> Band | None:
        """The header printed on this page, else the one on the table's first page."""
        return next((h for h in self.header if h.page_no == page_no), self.header[0] if self.header else None)


def _bands(rows: Sequence, page_nos: Sequence[int]) -> tuple[Band, ...]:  # type: ignore[type-arg]
    out = []
    for page in page_nos:
        boxes = [c.bbox for r in rows if r.page_no == page for c in r.cells]
        if boxes:
            out.append(Band(page, min(b.top for b in boxes), max(b.bottom for b in boxes)))
    return tuple(out)


def table_frame(raw: RawTable, table_id: str | None) -> TableFrame:
    return TableFrame(table_id, _bands(raw.header_rows, raw.pages), _bands(raw.body_rows, raw.pages))


def quote_of(f: Finding) -> str:
    """The sentence a narrative finding quotes in 「」 (the last one), or ''."""
    found = _QUOTE_RE.findall(f.message)
    return found[-1] if found else ""


def boxes_by_page(f: Finding) -> dict[int, list[BBox]]:
    """The finding's cells page by page (boxes without pages belong to its most named page)."""
    if not f.bboxes:
        return {}
    if f.bbox_pages:
        out: dict[int, list[BBox]] = {}
        for box, page in zip(f.bboxes, f.bbox_pages):
            out.setdefault(page, []).append(box)
        return out
    pages = list(f.pages)
    return {max(set(pages), key=lambda p: (pages.count(p), -p)): list(f.bboxes)} if pages else {}


def _frame_of(boxes: Sequence[BBox], page: int, f: Finding, frames: Sequence[TableFrame]) -> TableFrame | None:
    middle = sum((b.top + b.bottom) / 2 for b in boxes) / len(boxes)
    for frame in frames:
        body = frame.body_on(page)
        if body is not None and body.top - 1 <= middle <= body.bottom + 1:
            return frame
    return next((fr for fr in frames if fr.table_id == f.table_id and fr.body_on(page)), None)


def table_request(page: int, boxes: Sequence[BBox], frame: TableFrame | None) -> CropRequest:
    """The rows of `boxes` with the table's column headers above them."""
    rows = Band(page, min(b.top for b in boxes) - MARGIN_PT, max(b.bottom for b in boxes) + MARGIN_PT)
    header = frame.header_for(page) if frame else None
    if header is None or (header.page_no == page and header.top >= rows.top):
        bands: tuple[Band, ...] = (rows,)
    elif header.page_no == page and rows.top - header.bottom <= JOIN_GAP_PT:
        bands = (Band(page, header.top - MARGIN_PT, rows.bottom),)
    else:
        bands = (Band(header.page_no, header.top - MARGIN_PT, header.bottom + 2), rows)
    return CropRequest(page, bands, tuple(boxes))


def finding_requests(f: Finding, frames: Sequence[TableFrame]) -> list[CropRequest]:
    """One request per page the finding names (and per page holding its cells)."""
    cells = boxes_by_page(f)
    quote = quote_of(f)
    out = []
    for page in sorted(set(f.pages) | set(cells)):
        if page in cells:
            out.append(table_request(page, cells[page], _frame_of(cells[page], page, f, frames)))
        elif quote:
            out.append(CropRequest(page, quote=quote))
        else:
            out.append(CropRequest(page))
    return out


def plan_crops(findings: Sequence[Finding], frames: Sequence[TableFrame], limit: int) -> list[tuple[CropRequest, tuple[int, ...]]]:
    """Distinct pictures and the findings each serves, at most `limit`: document findings
    before extraction ones, most severe first; a whole page is one picture for all."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].kind is not FindingKind.DOCUMENT, _RANK[findings[i].severity], i))
    planned: dict[CropRequest, list[int]] = {}
    for i in order:
        for req in finding_requests(findings[i], frames):
            if req in planned:
                planned[req].append(i)
            elif len(planned) < limit:
                planned[req] = [i]
    return [(req, tuple(sorted(users))) for req, users in planned.items()]
