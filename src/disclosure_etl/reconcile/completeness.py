"""Pure: completeness — tables listed vs found, required tables, placeholders, unreadable
cells, empty-table notes. One root cause gives one finding with its occurrences."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..normalize.document import NormalizedTable
from ..normalize.titles import title_to_kind
from ..records import BBox, DocType, Finding, Section, Severity, TableKind, TocEntry
from .claims import sections_to_read
from .registry import new_finding

_SPACE_RE = re.compile(r"\s+")

# XX, XXX, ××, ＸＸ standing where a name, an amount or a percentage belongs.
PLACEHOLDER_RE = re.compile(r"[XＸ×]{2,}")
# A note saying this table is empty ('故本表为空表', '故本表无数据', '本部门无相关收支项目',
# '此表为空'), not the template's instruction for when it is ('若为空表…', '无…的，仍保留该表格式').
_EMPTY_RE = re.compile(r"(本|此|该)表(为|是)?空表?|本表无数据|故本表|无相关收支|没有.{0,40}(收入|支出|经费).{0,6}本表")
_CONDITIONAL_RE = re.compile(r"若|如果|如无|如没有|仍保留|的[，,]")


def _kind_of(t: NormalizedTable) -> str | None:
    return t.info.table_id.value if t.info.table_id else None


def check_toc_tables(doc_id: str, toc: Sequence[TocEntry], tables: Sequence[NormalizedTable], unplaced: bool = False,
                     damaged: bool = False) -> list[Finding]:
    """The 目录 against the printed tables: entries naming no known table; tables it lists that are
    not printed (one finding: an extraction finding when some grid has no recognised title or the
    file is damaged, a warning when the file prints no table at all — the tables published as a file
    of their own); printed tables it does not list, where it lists tables one by one (one finding)."""
    found = {t.info.table_id for t in tables if t.info.table_id is not None}
    out, listed, missing = [], set(), []
    for entry in (e for e in toc if e.is_table):
        kind = title_to_kind(entry.title)
        listed.add(kind)
        if kind is None:
            out.append(new_finding("toc_unknown_table", doc_id, f"目录 lists '{entry.title}', which names no known table", pages=(entry.page_no,)))
        elif kind not in found:
            missing.append((entry, kind))
    if missing:
        out.append(_toc_missing(doc_id, missing, _unplaced_why(unplaced, damaged), bool(found)))
    unlisted = [t for t in tables if t.info.table_id is not None and t.info.table_id not in listed and not t.info.table_id.is_performance]
    if unlisted and any(k is not None and not k.is_performance for k in listed):
        names = "; ".join(f"'{t.info.title}' p.{t.info.first_page}" for t in unlisted)
        out.append(new_finding("table_not_in_toc", doc_id, f"{len(unlisted)} printed table(s) the 目录 does not list: {names}",
                               table_id=_kind_of(unlisted[0]) if len(unlisted) == 1 else None,
                               pages=tuple(sorted({p for t in unlisted for p in t.info.pages}))))
    return out


def _unplaced_why(unplaced: bool, damaged: bool) -> str:
    """Why a missing table may be our failure to read it, '' when nothing suggests so."""
    if unplaced:
        return " (grids of the document have no recognised title: they may be these)"
    return " (the file is damaged — see its status: they may be on pages we could not read whole)" if damaged else ""


def _toc_missing(doc_id: str, missing: list[tuple[TocEntry, TableKind]], unplaced_why: str, any_table: bool) -> Finding:
    unplaced = bool(unplaced_why)
    rule_id = "toc_table_unplaced" if unplaced else "toc_table_missing"
    names = "; ".join(f"{e.no}. '{e.title}'" for e, _ in missing)
    why = unplaced_why or ("" if any_table else " — the file prints no table at all: the tables may be published as a file of their own")
    return new_finding(rule_id, doc_id, f"目录 lists {len(missing)} table(s) not found: {names}{why}",
                       severity=None if unplaced or any_table else Severity.WARNING,
                       table_id=missing[0][1].value if len(missing) == 1 else None, pages=tuple(sorted({e.page_no for e, _ in missing})))


# Tables every producer's template prints for the document type (the rest vary by family:
# Jiangsu's 2017-2019 budgets print no 国有资本经营 table, a central university's budget four tables).
CORE_TABLES: dict[DocType, tuple[TableKind, ...]] = {
    DocType.DEPARTMENT_BUDGET: (TableKind.REVENUE_EXPENDITURE_SUMMARY, TableKind.REVENUE_SUMMARY, TableKind.EXPENDITURE_SUMMARY),
    DocType.UNIT_BUDGET: (TableKind.REVENUE_EXPENDITURE_SUMMARY, TableKind.REVENUE_SUMMARY, TableKind.EXPENDITURE_SUMMARY),
    DocType.DEPARTMENT_FINAL_ACCOUNTS: (TableKind.FINAL_REVENUE_EXPENDITURE_SUMMARY, TableKind.FINAL_REVENUE, TableKind.FINAL_EXPENDITURE),
}


def check_required_tables(doc_id: str, doc_type: DocType, tables: Sequence[NormalizedTable], has_toc: bool = False) -> list[Finding]:
    """One finding naming the core tables of the document type the document lacks. Not when the
    file prints no table and has a 目录: the 目录 check says so once."""
    found = {t.info.table_id for t in tables if t.info.table_id is not None}
    missing = [k for k in CORE_TABLES.get(doc_type, ()) if k not in found]
    if not missing or (not found and has_toc):
        return []
    where = "" if found else " — the file prints no table at all"
    return [new_finding("required_table_missing", doc_id, f"a {doc_type.value} must publish {', '.join(k.value for k in missing)}{where}",
                        severity=None if found else Severity.WARNING, table_id=missing[0].value if len(missing) == 1 else None)]


def check_unreadable_cells(doc_id: str, tables: Sequence[NormalizedTable]) -> list[Finding]:
    """Text where an amount belongs: one finding per table column, every cell boxed."""
    out = []
    for t in tables:
        by_column = defaultdict(list)
        for bad in t.bad_cells:
            if not bad.placeholder:
                by_column[bad.column_key].append(bad)
        for column, cells in sorted(by_column.items()):
            texts = "、".join(dict.fromkeys(f"'{b.text}'" for b in cells[:5]))
            rows = ", ".join(str(b.row_index) for b in cells)
            out.append(new_finding(
                "unreadable_amount", doc_id, f"{len(cells)} cell(s) of column {column} hold text that is not an amount ({texts}; rows {rows})",
                table_id=_kind_of(t), pages=tuple(sorted({b.page_no for b in cells})), column_key=column,
                bboxes=tuple(b.cell.bbox for b in cells), bbox_pages=tuple(b.page_no for b in cells), printed=tuple(b.text for b in cells),
            ))
    return out


def check_placeholders(doc_id: str, cover: str, sections: Sequence[Section], tables: Sequence[NormalizedTable]) -> list[Finding]:
    """Template placeholders: once for the cover, once per section, once per table (every cell boxed)."""
    out = []
    if hits := list(PLACEHOLDER_RE.finditer(cover)):
        out.append(new_finding("placeholder", doc_id, f"{len(hits)} placeholder(s) on the cover: {_around(cover, hits[0])}", pages=(1,)))
    for section in sections_to_read(sections):
        if hits := list(PLACEHOLDER_RE.finditer(section.text)):
            page = section.pages[0] if section.pages else None
            out.append(new_finding("placeholder", doc_id, f"{len(hits)} placeholder(s) in {section.key}: {_around(section.text, hits[0])}",
                                   pages=(page,) if page else ()))
    for t in tables:
        cells = _placeholder_cells(t)
        cells += [(b.cell.bbox, b.page_no, b.text) for b in t.bad_cells if b.placeholder and not PLACEHOLDER_RE.search(b.text)]
        if cells:
            shown = "、".join(dict.fromkeys(f"'{x}'" for _, _, x in cells[:4]))
            out.append(new_finding(
                "placeholder", doc_id, f"{len(cells)} placeholder cell(s) in '{t.info.title}' ({shown})", table_id=_kind_of(t),
                pages=tuple(sorted({p for _, p, _ in cells})), bboxes=tuple(b for b, _, _ in cells), bbox_pages=tuple(p for _, p, _ in cells),
                printed=tuple(x for _, _, x in cells),
            ))
    return out


def _placeholder_cells(t: NormalizedTable) -> list[tuple[BBox, int, str]]:
    rows = t.raw.header_rows + t.raw.body_rows
    # One search over the table's text first: most tables have no placeholder, and a search per
    # cell cost more than the check's other work (a match never spans cells: '\n' is no placeholder).
    if not PLACEHOLDER_RE.search("\n".join(c.text for row in rows for c in row.cells)):
        return []
    return [(c.bbox, c.page_no, c.text) for row in rows for c in row.cells if PLACEHOLDER_RE.search(c.text)]


def _around(text: str, m: re.Match[str]) -> str:
    return text[max(0, m.start() - 12) : m.end() + 12].replace("\n", " ")


def empty_statement(t: NormalizedTable) -> str:
    """The note (or cell) saying this table is empty, if one is printed."""
    texts = list(t.raw.notes) + [c.text for row in t.raw.body_rows for c in row.cells]
    if not _EMPTY_RE.search(_SPACE_RE.sub("", "".join(texts))):
        return ""  # one search over the whole table: a cell with a match puts that match in it
    return next((n.strip() for n in texts if _EMPTY_RE.search(_SPACE_RE.sub("", n)) and not _CONDITIONAL_RE.search(n)), "")


def check_empty_notes(doc_id: str, tables: Sequence[NormalizedTable]) -> list[Finding]:
    """A table printed under a note saying it is empty that still prints non-zero amounts."""
    out = []
    for t in tables:
        note = empty_statement(t) if t.items else ""
        printed = [i for i in t.items if i.amount_yuan != 0]
        if not note or not printed:
            continue
        shown = "、".join(i.amount_text for i in printed[:6])
        out.append(new_finding(
            "empty_table_with_amounts", doc_id, f"'{t.info.title}' says 「{note}」 but prints {len(printed)} non-zero amount(s): {shown}",
            table_id=_kind_of(t), pages=tuple(sorted({i.page_no for i in printed})),
            bboxes=tuple(i.bbox for i in printed), bbox_pages=tuple(i.page_no for i in printed), printed=tuple(i.amount_text for i in printed),
        ))
    return out


def check_low_confidence(doc_id: str, tables: Sequence[NormalizedTable], threshold: float = 0.9) -> list[Finding]:
    """Every amount read by OCR whose least certain character is below `threshold`: check it against the page."""
    out = []
    for t in tables:
        for item in t.items:
            if item.source != "ocr" or item.confidence >= threshold:
                continue
            out.append(new_finding(
                "ocr_low_confidence", doc_id,
                f"'{item.amount_text}' in column {item.column_key}, row {item.row_index} was read by OCR "
                f"with confidence {item.confidence:.2f} (< {threshold:.2f})",
                table_id=item.table_id.value, actual=item.amount_yuan, pages=(item.page_no,),
                subject_code=item.subject_code, column_key=item.column_key,
                bboxes=(item.bbox,), bbox_pages=(item.page_no,), printed=(item.amount_text,),
            ))
    return out
