"""Builders for the smallest tables, sentences and documents a rule can be shown on."""

from __future__ import annotations

import re
from decimal import Decimal

from disclosure_etl.catalogue import load_catalogue
from disclosure_etl.normalize.document import NormalizedDocument, NormalizedTable
from disclosure_etl.normalize.rows import BadCell
from disclosure_etl.records import (
    BBox,
    Cell,
    DocContents,
    DocType,
    DocumentInfo,
    LineItem,
    RawRow,
    RawTable,
    Section,
    Side,
    TableInfo,
    TableKind,
    TocEntry,
    Unit,
)

DOC = "d" * 12
# Each table on a page of its own, so a finding's pages say which tables it involves.
PAGES = {kind: 3 + n for n, kind in enumerate(TableKind)}


def box(row: int, col: int) -> BBox:
    """The cell box of (row, column): distinct for every cell of a table."""
    return BBox(100.0 + 60 * col, 100.0 + 20 * row, 150.0 + 60 * col, 115.0 + 20 * row)


def item(
    kind: TableKind, row: int, column: str, text: str, *, code: str | None = None, label: str = "", side: Side | None = None,
    col: int = 0, phase: str = "budget", unit: Unit = Unit.YUAN, page: int | None = None,
) -> LineItem:
    """One printed amount: `text` as printed ('1,200.50'), in `unit`."""
    value = Decimal(text.replace(",", "") or "0") * unit.factor
    return LineItem(
        DOC, kind, page or PAGES[kind], box(row, col), row, code, None, code[:-2] if code and len(code) > 3 else None,
        label or None, label, side, column, column, phase, value, text, unit,
    )


def cell(text: str, row: int, col: int, page: int) -> Cell:
    return Cell(row, col, 1, 1, text, box(row, col), page)


def table(
    kind: TableKind | None, items: list[LineItem] = (), *, title: str = "表", bad: list[tuple[int, str, str]] = (),
    notes: tuple[str, ...] = (), rows: list[list[str]] | None = None, page: int | None = None,
) -> NormalizedTable:
    """A normalized table from its items; `bad` = (row, column key, text) cells that are not amounts;
    `rows` = the printed body rows (default: each item's label and amount)."""
    page = page or (PAGES[kind] if kind else 2)
    items = tuple(items)
    body = rows if rows is not None else _rows_of(items)
    raw_rows = tuple(RawRow(tuple(cell(t, r, c, page) for c, t in enumerate(texts)), page) for r, texts in enumerate(body))
    pages = tuple(sorted({i.page_no for i in items} | {page}))
    raw = RawTable(title, "单位：元", "", (), raw_rows, pages, max((len(r) for r in body), default=1), (), notes)
    bad_cells = tuple(BadCell(page, r, key, text, bool(re.search(r"[XＸ×]{2,}", text)), cell(text, r, 9, page)) for r, key, text in bad)
    info = TableInfo(DOC, kind, None, title, "", pages[0], pages[-1], pages, Unit.YUAN, "", not items, "", len(body), len(items))
    return NormalizedTable(info, raw, items, (), bad_cells)


def _rows_of(items: tuple[LineItem, ...]) -> list[list[str]]:
    rows: dict[int, list[str]] = {}
    for it in items:
        rows.setdefault(it.row_index, [it.subject_code or "", it.row_label]).append(it.amount_text)
    return [rows.get(r, []) for r in range(max(rows, default=-1) + 1)]


def document(tables: list[NormalizedTable], doc_type: DocType = DocType.DEPARTMENT_BUDGET, contents: DocContents = DocContents.FULL) -> NormalizedDocument:
    info = DocumentInfo(DOC, "x.pdf", "x.pdf", "某局", 2024, doc_type, 20, contents=contents)
    return NormalizedDocument(info, tuple(tables), ())


def section(text: str, heading: str = "说明", key: str = "budget_explanation", page: int = 17) -> Section:
    return Section(key, heading, text, (page,))


def toc(*titles: str) -> list[TocEntry]:
    return [TocEntry(n + 1, t, 2, True) for n, t in enumerate(titles)]


def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue()
