"""Pure: body rows of a mapped table -> `LineItem`s, one per printed amount."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ..catalogue import Catalogue
from ..records import Cell, ColumnSpec, LineItem, RawRow, Side, SubjectLevel, TableKind, Unit
from .amounts import cell_amount, is_placeholder, storable
from .codes import CodeContext, code_level, complete_name, embedded_code, parent_code, parts_to_code


@dataclass(frozen=True, slots=True)
class BadCell:
    """A cell where an amount belongs but none could be read (a placeholder or garbage)."""

    page_no: int
    row_index: int
    column_key: str
    text: str
    placeholder: bool
    cell: Cell


@dataclass(frozen=True, slots=True)
class TableContext:
    doc_id: str
    kind: TableKind
    unit: Unit
    catalogue: Catalogue


_SPACE_RE = re.compile(r"\s+")


def _groups(specs: Sequence[ColumnSpec]) -> list[list[ColumnSpec]]:
    """Columns of each half (one group for an ordinary table)."""
    slots: list[tuple[Side | None, int]] = []
    for s in specs:
        if (s.side, s.half) not in slots:
            slots.append((s.side, s.half))
    return [[s for s in specs if (s.side, s.half) == slot] for slot in slots]


@dataclass(frozen=True, slots=True)
class _Columns:
    """A group's column indexes by role, sorted out once per table rather than once per row."""

    code: tuple[int, ...]
    name: tuple[int, ...]
    dept: tuple[int, ...]
    text: tuple[int, ...]
    amounts: tuple[ColumnSpec, ...]

    @property
    def labels(self) -> frozenset[int]:
        return frozenset(self.code + self.name + self.dept + self.text)


def _columns(group: Sequence[ColumnSpec]) -> _Columns:
    def of(role: str) -> tuple[int, ...]:
        return tuple(s.index for s in group if s.role == role)
    return _Columns(of("code"), of("name"), of("dept_code"), of("text"), tuple(s for s in group if s.role == "amount"))


class _RowCells(NamedTuple):
    """One row's cells by column: the cell covering each column and the cell starting at each (first wins).

    Named tuples, not dataclasses, for the records made once per row: a frozen dataclass costs
    a microsecond to build."""

    covering: dict[int, Cell]
    starting: dict[int, Cell]

    def text(self, col: int) -> str:
        cell = self.covering.get(col)
        return _SPACE_RE.sub("", cell.text) if cell else ""


def _row_cells(row: RawRow, labels: frozenset[int]) -> _RowCells:
    """The row's cells by column, for the label columns `labels` and every column a cell starts at."""
    # Indexed once per row instead of a scan of its cells for each column asked; the first cell
    # wins, as in a scan (the dict below is built from the last cell to the first).
    covering = {j: cell for j in labels if (cell := _covering(row.cells, j)) is not None}
    return _RowCells(covering, {cell.col: cell for cell in reversed(row.cells)})


def _covering(cells: Sequence[Cell], col: int) -> Cell | None:
    for c in cells:
        if c.col <= col < c.col + c.col_span:
            return c
    return None


def rows_to_items(
    rows: Sequence[RawRow], specs: Sequence[ColumnSpec], ctx: TableContext
) -> tuple[list[LineItem], list[BadCell]]:
    items: list[LineItem] = []
    bad: list[BadCell] = []
    for group in _groups(specs):
        code_ctx = CodeContext()
        cols = _columns(group)
        labels = cols.labels
        merged: dict[int, tuple[Cell, int]] = {}
        for index, row in enumerate(rows):
            cells = _row_cells(row, labels)
            carry_merged_labels(cells, row.page_no, cols.name, merged)
            got, errs, code_ctx = _row_items(cells, index, cols, ctx, code_ctx)
            items.extend(got)
            bad.extend(errs)
    items.sort(key=lambda it: (it.row_index, it.bbox.x0))
    return items, bad


class _RowLabel(NamedTuple):
    code: str | None
    name: str | None
    label: str
    dept_code: str | None
    level: SubjectLevel | None = None
    parent: str | None = None


def carry_merged_labels(cells: _RowCells, page_no: int, cols: Sequence[int], active: dict[int, tuple[Cell, int]]) -> None:
    """A label cell merged down over several rows labels each of them (收入预算总表: '一般公共预算资金' over its items).

    `cols`: the name columns; `active`: the merged cells met so far by column, with how many rows
    below they still cover (updated). A row under one reads its text in that column: the cell is
    set in `cells.covering`, where only its text is read (not copied to the column: that and the
    row copied with it took a tenth of reading the rows).
    """
    for col in cols:
        cell = cells.covering.get(col)
        if cell is not None:
            active[col] = (cell, cell.row_span - 1)
        elif col in active and active[col][1] > 0 and active[col][0].page_no == page_no:
            merged, left = active[col]
            cells.covering[col] = merged
            active[col] = (merged, left - 1)


def _row_label(cells: _RowCells, cols: _Columns, ctx: TableContext, code_ctx: CodeContext) -> tuple[_RowLabel, CodeContext]:
    parts = _code_parts(cells, cols.code)
    code, code_ctx = parts_to_code(parts, code_ctx) if cols.code else (None, code_ctx)
    if len(cols.name) == 1:  # the common case, without the generator and dict below
        printed = cells.text(cols.name[0])
    else:
        printed = "/".join(dict.fromkeys(t for j in cols.name if (t := cells.text(j))))
    # One column headed 科目名称 (or 科目编码及名称) may print code and name together.
    both = printed or next((t for j in cols.code if (t := cells.text(j))), "")
    if code is None and both and (embedded := embedded_code(both, ctx.catalogue)):
        code, printed = embedded
        code_ctx = CodeContext(code[:3], code[:5] if len(code) >= 5 else None)
    label = printed or next((t for j in cols.code + cols.dept + cols.text if (t := cells.text(j)) and not t.isdigit()), "")
    name = complete_name(code, printed, ctx.catalogue) if code else None
    dept = next((t for j in cols.dept if (t := cells.text(j))), None) if cols.dept else None
    if code:
        return _RowLabel(code, name, label, dept, code_level(code), parent_code(code)), code_ctx
    return _RowLabel(code, name, label, dept), code_ctx


def _code_parts(cells: _RowCells, cols: Sequence[int]) -> list[str]:
    """The code printed over the code columns; one cell spanning 类|款|项 is one code (central/西南大学2023年部门决算 表4)."""
    first = cells.covering.get(cols[0]) if cols else None
    if len(cols) > 1 and first is not None and all(cells.covering.get(j) is first for j in cols):
        return [_own_text(cells, cols[0]) if first.text.strip().isdigit() else ""]
    return [_own_text(cells, j) for j in cols]


def _own_text(cells: _RowCells, col: int) -> str:
    """Text of a code cell only when the cell is that column's own (not a wide label)."""
    cell = cells.covering.get(col)
    if cell is None or (cell.col_span > 1 and not cell.text.strip().isdigit()):
        return ""
    return _SPACE_RE.sub("", cell.text)


def _row_items(
    cells: _RowCells, index: int, cols: _Columns, ctx: TableContext, code_ctx: CodeContext
) -> tuple[list[LineItem], list[BadCell], CodeContext]:
    label, code_ctx = _row_label(cells, cols, ctx, code_ctx)
    items: list[LineItem] = []
    bad: list[BadCell] = []
    for spec in cols.amounts:
        cell = cells.starting.get(spec.index)
        if cell is None:
            continue
        printed, yuan = _cell_yuan(cell.text, ctx.unit)
        if not printed:
            continue
        if yuan is None:
            bad.append(BadCell(cell.page_no, index, spec.key, cell.text, is_placeholder(cell.text), cell))
        else:
            items.append(_line_item(ctx, cell, index, label, side_total(spec, label.label), yuan))
    return items, bad, code_ctx


@lru_cache(maxsize=8192)
def _cell_yuan(text: str, unit: Unit) -> tuple[bool, Decimal | None]:
    """(whether an amount cell prints anything, its amount in yuan when it reads as one we can store).

    Remembered: most amount cells print a text seen before ('0.00', a total printed again in
    the next table): 88% of them over the corpus.
    """
    printed, amount = cell_amount(text)
    if not printed:
        return False, None
    yuan = amount.to_yuan(unit) if amount is not None else None
    return True, yuan if yuan is not None and storable(yuan) else None


_SIDE_TOTAL_RE = re.compile(r"(合计|小计|总计)$")


def side_total(spec: ColumnSpec, label: str) -> ColumnSpec:
    """A side's 合计 row printed in its 支出用途 block is the side's total (`amount`), not one use's.

    Jiangsu 收支预算总表: '当年支出小计' / '支出合计' span the functional and the
    by-use blocks and print their amount under 支出用途 (corpus: jiangsu/…2019 p.1).
    """
    if spec.key == "amount_by_use" and _SIDE_TOTAL_RE.search(label):
        return replace(spec, key="amount")
    return spec


def _line_item(ctx: TableContext, cell: Cell, index: int, label: _RowLabel, spec: ColumnSpec, amount_yuan: Decimal) -> LineItem:
    # Positional, in LineItem's field order (doc_id, table_id, page_no, bbox, row_index, subject_code,
    # subject_level, parent_code, subject_name, row_label, side, column_key, column_label, phase,
    # amount_yuan, amount_text, unit, department_code, source, confidence): keywords cost a sixth more.
    return LineItem(
        ctx.doc_id, ctx.kind, cell.page_no, cell.bbox, index, label.code, label.level, label.parent, label.name, label.label,
        spec.side, spec.key, spec.label, spec.phase, amount_yuan, cell.text.strip(), ctx.unit, label.dept_code, cell.source,
        cell.confidence,
    )
