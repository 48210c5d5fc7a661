"""Pure: an `ExtractedDocument` -> canonical records for the writer and checks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..catalogue import Catalogue, load_catalogue
from ..records import (
    DocType,
    DocumentInfo,
    ErrorItem,
    ExtractedDocument,
    LineItem,
    PerformanceTarget,
    RawTable,
    TableInfo,
    TableKind,
    Unit,
)
from .amounts import parse_unit, unit_named
from .headers import map_columns
from .identity import document_identity, publication_id_of
from .metadata import contents_of, department_of, doc_type_of, fiscal_year_of
from .performance import performance_rows
from .rows import BadCell, TableContext, rows_to_items
from .titles import title_to_kind

_CELL_UNIT_RE = re.compile(r"[（(]\s*(?P<a>([千万亿]\s*)?元)\s*[)）]|单\s*位\s*[:：]\s*(?P<b>([千万亿]\s*)?元)")
_EMPTY_NOTE_RE = re.compile(r"空表|无数据|没有.{0,20}(收入|支出|经费)|无.{0,20}(安排|收支|支出)")


@dataclass(frozen=True, slots=True)
class NormalizedTable:
    info: TableInfo
    raw: RawTable
    items: tuple[LineItem, ...]
    targets: tuple[PerformanceTarget, ...]
    bad_cells: tuple[BadCell, ...]


@dataclass(frozen=True, slots=True)
class NormalizedDocument:
    info: DocumentInfo
    tables: tuple[NormalizedTable, ...]
    errors: tuple[ErrorItem, ...]

    @property
    def items(self) -> tuple[LineItem, ...]:
        return tuple(it for t in self.tables for it in t.items)


def normalize_document(doc: ExtractedDocument, doc_id: str, file_name: str, catalogue: Catalogue | None = None) -> NormalizedDocument:
    catalogue = catalogue or load_catalogue()
    titles = [t.title for t in doc.tables]
    toc_titles = [e.title for e in doc.toc if e.is_table]
    doc_type = doc_type_of(doc.cover_text, titles + toc_titles)
    filers = [t.filer for t in doc.tables]
    department = department_of(doc.cover_text, filers, titles, file_name)
    who = document_identity(department, doc.cover_text, filers)
    year = fiscal_year_of(doc.cover_text, titles, file_name)
    default_unit = _dominant_unit(doc.tables)
    phase = "final" if doc_type is DocType.DEPARTMENT_FINAL_ACCOUNTS else "budget"
    kinds = [title_to_kind(raw.title) for raw in doc.tables]
    listed = _toc_entries(doc, Counter(kinds))
    tables = tuple(
        _normalize_table(raw, kind, listed, doc_id, default_unit, phase, catalogue)
        for raw, kind in zip(doc.tables, kinds)
    )
    info = DocumentInfo(
        doc_id, doc.source, file_name, department, year, doc_type, doc.n_pages,
        who.entity_id, who.entity_name, who.entity_code, *who.region.levels,
        contents=contents_of(doc, sum(len(t.items) for t in tables)),
        publication_id=publication_id_of(who.entity_id, year, doc_type),
    )
    return NormalizedDocument(info, tables, doc.errors)


def _dominant_unit(tables: tuple[RawTable, ...]) -> Unit:
    units = Counter(u for t in tables if (u := parse_unit(t.unit_text)))
    return units.most_common(1)[0][0] if units else Unit.YUAN


def _table_unit(raw: RawTable, default: Unit) -> Unit:
    unit = parse_unit(raw.unit_text)
    if unit:
        return unit
    # Some print the unit inside a cell: 当年预算情况（万元）, 金额（元）, a header 单位：万元.
    for row in raw.header_rows + raw.body_rows:
        for cell in row.cells:
            m = _CELL_UNIT_RE.search(cell.text)
            if m:
                return unit_named(m.group("a") or m.group("b"))
    return default


def _toc_entries(doc: ExtractedDocument, tables: Counter[TableKind | None]) -> dict[TableKind, tuple[int | None, str]]:
    """The first 目录 entry naming each kind, for the kinds printed as one table only; none when the entry
    heads several tables of the kind ('五、项目绩效目标表' over one form per project, corpus:
    central/西南大学2023年部门预算). Found once per document, not once per table."""
    out: dict[TableKind, tuple[int | None, str]] = {}
    for entry in doc.toc:
        if entry.is_table and (kind := title_to_kind(entry.title)) is not None and tables[kind] == 1:
            out.setdefault(kind, (entry.no, entry.title))
    return out


def _normalize_table(
    raw: RawTable, kind: TableKind | None, listed: dict[TableKind, tuple[int | None, str]], doc_id: str, default_unit: Unit,
    phase: str, catalogue: Catalogue,
) -> NormalizedTable:
    unit = _table_unit(raw, default_unit)
    items: list[LineItem] = []
    targets: list[PerformanceTarget] = []
    bad: list[BadCell] = []
    if kind is not None:
        ctx = TableContext(doc_id, kind, unit, catalogue)
        if kind.is_performance:
            targets, items = performance_rows(list(raw.header_rows + raw.body_rows), ctx)
        else:
            specs = map_columns(raw.header_rows, raw.n_cols, kind, phase, raw.body_rows)
            items, bad = rows_to_items(raw.body_rows, specs, ctx)
    toc_no, toc_title = listed.get(kind, (None, "")) if kind is not None else (None, "")
    empty_note = next((n for n in raw.notes if _EMPTY_NOTE_RE.search(n)), "")
    info = TableInfo(
        doc_id, kind, toc_no, raw.title, toc_title, raw.pages[0], raw.pages[-1], raw.pages,
        unit if parse_unit(raw.unit_text) or kind is not None else None, raw.filer,
        is_empty=not items and not targets and not bad, empty_note=empty_note,
        n_rows=len(raw.body_rows), n_amounts=len(items),
    )
    return NormalizedTable(info, raw, tuple(items), tuple(targets), tuple(bad))
