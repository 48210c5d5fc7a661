"""Pure: completeness checks — tables listed vs found, required tables, unreadable cells."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..normalize.document import NormalizedTable
from ..normalize.titles import REQUIRED_BUDGET, REQUIRED_FINAL, title_to_kind
from ..records import DocType, Finding, Section, Severity, TocEntry

# XX, XXX, ××, ＸＸ standing where a name, an amount or a percentage belongs.
PLACEHOLDER_RE = re.compile(r"[XＸ×]{2,}")


def _finding(doc_id: str, rule: str, severity: Severity, message: str, table_id: str | None, pages: tuple[int, ...] = ()) -> Finding:
    return Finding(doc_id, rule, severity, message, table_id, None, None, None, None, pages)


def check_toc_tables(doc_id: str, toc: Sequence[TocEntry], tables: Sequence[NormalizedTable]) -> list[Finding]:
    """Every table the 目录 lists is printed, and every printed table is listed."""
    found = {t.info.table_id for t in tables if t.info.table_id is not None}
    out = []
    listed = set()
    for entry in toc:
        if not entry.is_table:
            continue
        kind = title_to_kind(entry.title)
        listed.add(kind)
        if kind is None:
            out.append(_finding(doc_id, "toc_unknown_table", Severity.WARNING, f"目录 lists '{entry.title}', which names no known table", None, (entry.page_no,)))
        elif kind not in found:
            out.append(_finding(doc_id, "toc_table_missing", Severity.ERROR, f"目录 lists {entry.no}. '{entry.title}' but no such table was found", kind.value, (entry.page_no,)))
    if toc:
        for t in tables:
            if t.info.table_id is not None and t.info.table_id not in listed:
                out.append(_finding(doc_id, "table_not_in_toc", Severity.WARNING, f"'{t.info.title}' is printed but not listed in the 目录", t.info.table_id.value, t.info.pages))
    return out


def check_required_tables(doc_id: str, doc_type: DocType, tables: Sequence[NormalizedTable]) -> list[Finding]:
    required = {DocType.DEPARTMENT_FINAL_ACCOUNTS: REQUIRED_FINAL}.get(doc_type, REQUIRED_BUDGET if doc_type is not DocType.UNKNOWN else ())
    found = {t.info.table_id for t in tables}
    return [
        _finding(doc_id, "required_table_missing", Severity.ERROR, f"a {doc_type.value} must publish {kind.value}", kind.value)
        for kind in required
        if kind not in found
    ]


def check_unreadable_cells(doc_id: str, tables: Sequence[NormalizedTable]) -> list[Finding]:
    """Placeholders (XX) and text where an amount belongs."""
    out = []
    for t in tables:
        for bad in t.bad_cells:
            rule = "placeholder" if bad.placeholder else "unreadable_amount"
            severity = Severity.WARNING if bad.placeholder else Severity.ERROR
            what = "placeholder" if bad.placeholder else "text that is not an amount"
            out.append(Finding(
                doc_id, rule, severity, f"{what} '{bad.text}' in column {bad.column_key}, row {bad.row_index}",
                t.info.table_id.value if t.info.table_id else None, None, None, None, None,
                (bad.page_no,), None, bad.column_key, (bad.cell.bbox,), (bad.page_no,),
            ))
    return out


def check_placeholders(doc_id: str, cover: str, sections: Sequence[Section], tables: Sequence[NormalizedTable]) -> list[Finding]:
    """Every template placeholder left in the cover, the narrative or a table cell."""
    out = []
    for n in PLACEHOLDER_RE.finditer(cover):
        out.append(_finding(doc_id, "placeholder", Severity.WARNING, f"placeholder '{n.group(0)}' on the cover: {_around(cover, n)}", None, (1,)))
    for section in sections:
        if section.level == 2:
            continue  # inside its parent's text already
        for n in PLACEHOLDER_RE.finditer(section.text):
            page = section.pages[0] if section.pages else None
            out.append(_finding(doc_id, "placeholder", Severity.WARNING, f"placeholder '{n.group(0)}' in {section.key}: {_around(section.text, n)}", None, (page,) if page else ()))
    amount_cells = {id(b.cell) for t in tables for b in t.bad_cells}
    for t in tables:
        for row in t.raw.header_rows + t.raw.body_rows:
            for cell in row.cells:
                if id(cell) not in amount_cells and PLACEHOLDER_RE.search(cell.text):
                    out.append(Finding(
                        doc_id, "placeholder", Severity.WARNING, f"placeholder in a table cell: '{cell.text}'",
                        t.info.table_id.value if t.info.table_id else None, None, None, None, None,
                        (cell.page_no,), None, None, (cell.bbox,), (cell.page_no,),
                    ))
    return out


def _around(text: str, m: re.Match[str]) -> str:
    return text[max(0, m.start() - 12) : m.end() + 12].replace("\n", " ")


def check_low_confidence(doc_id: str, tables: Sequence[NormalizedTable], threshold: float = 0.9) -> list[Finding]:
    """Every amount read by OCR whose least certain character is below `threshold`: check it against the page."""
    out = []
    for t in tables:
        for item in t.items:
            if item.source != "ocr" or item.confidence >= threshold:
                continue
            out.append(Finding(
                doc_id, "ocr_low_confidence", Severity.WARNING,
                f"'{item.amount_text}' in column {item.column_key}, row {item.row_index} was read by OCR "
                f"with confidence {item.confidence:.2f} (< {threshold:.2f})",
                item.table_id.value, None, item.amount_yuan, None, None, (item.page_no,),
                subject_code=item.subject_code, column_key=item.column_key,
                bboxes=(item.bbox,), bbox_pages=(item.page_no,), printed=(item.amount_text,),
            ))
    return out
