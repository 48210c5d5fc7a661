"""Pure: body rows of a mapped table -> `LineItem`s, one per printed amount."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ..catalogue import Catalogue
from ..records import Cell, ColumnSpec, LineItem, RawRow, Side, TableKind, Unit
from .amounts import is_blank, is_placeholder, storable, try_parse_amount
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


def cell_covering(row: RawRow, col: int) -> Cell | None:
    for cell in row.cells:
        if cell.col <= col < cell.col + cell.col_span:
            return cell
    return None


def _text(row: RawRow, col: int) -> str:
    cell = cell_covering(row, col)
    return re.sub(r"\s+", "", cell.text) if cell else ""


def _groups(specs: Sequence[ColumnSpec]) -> list[list[ColumnSpec]]:
    """Columns of each half (one group for an ordinary table)."""
    slots: list[tuple[Side | None, int]] = []
    for s in specs:
        if (s.side, s.half) not in slots:
            slots.append((s.side, s.half))
    return [[s for s in specs if (s.side, s.half) == slot] for slot in slots]


def rows_to_items(
    rows: Sequence[RawRow], specs: Sequence[ColumnSpec], ctx: TableContext
) -> tuple[list[LineItem], list[BadCell]]:
    items: list[LineItem] = []
    bad: list[BadCell] = []
    for group in _groups(specs):
        code_ctx = CodeContext()
        names = [s.index for s in group if s.role == "name"]
        for index, row in enumerate(carry_merged_labels(rows, names)):
            got, errs, code_ctx = _row_items(row, index, group, ctx, code_ctx)
            items.extend(got)
            bad.extend(errs)
    items.sort(key=lambda it: (it.row_index, it.bbox.x0))
    return items, bad


@dataclass(frozen=True, slots=True)
class _RowLabel:
    code: str | None
    name: str | None
    label: str
    dept_code: str | None


def carry_merged_labels(rows: Sequence[RawRow], cols: Sequence[int]) -> list[RawRow]:
    """A label cell merged down over several rows labels each of them (收入预算总表: '一般公共预算资金' over its items)."""
    out: list[RawRow] = []
    active: dict[int, tuple[Cell, int]] = {}
    for row in rows:
        extra: list[Cell] = []
        for col in cols:
            cell = cell_covering(row, col)
            if cell is not None:
                active[col] = (cell, cell.row_span - 1)
            elif col in active and active[col][1] > 0 and active[col][0].page_no == row.page_no:
                merged, left = active[col]
                extra.append(replace(merged, col_span=1, col=col, row_span=1))
                active[col] = (merged, left - 1)
        out.append(replace(row, cells=row.cells + tuple(extra)) if extra else row)
    return out


def _row_label(row: RawRow, group: Sequence[ColumnSpec], ctx: TableContext, code_ctx: CodeContext) -> tuple[_RowLabel, CodeContext]:
    code_cols = [s.index for s in group if s.role == "code"]
    name_cols = [s.index for s in group if s.role == "name"]
    dept_cols = [s.index for s in group if s.role == "dept_code"]
    parts = _code_parts(row, code_cols)
    code, code_ctx = parts_to_code(parts, code_ctx) if code_cols else (None, code_ctx)
    printed = "/".join(dict.fromkeys(t for j in name_cols if (t := _text(row, j))))
    # One column headed 科目名称 (or 科目编码及名称) may print code and name together.
    both = printed or next((t for j in code_cols if (t := _text(row, j))), "")
    if code is None and both and (embedded := embedded_code(both, ctx.catalogue)):
        code, printed = embedded
        code_ctx = CodeContext(code[:3], code[:5] if len(code) >= 5 else None)
    text_cols = [s.index for s in group if s.role == "text"]
    label = printed or next((t for j in code_cols + dept_cols + text_cols if (t := _text(row, j)) and not t.isdigit()), "")
    name = complete_name(code, printed, ctx.catalogue) if code else None
    dept = next((t for j in dept_cols if (t := _text(row, j))), None)
    return _RowLabel(code, name, label, dept), code_ctx


def _code_parts(row: RawRow, cols: Sequence[int]) -> list[str]:
    """The code printed over the code columns; one cell spanning 类|款|项 is one code (central/西南大学2023年部门决算 表4)."""
    cells = [cell_covering(row, j) for j in cols]
    if len(cols) > 1 and cells[0] is not None and all(c is cells[0] for c in cells):
        return [_own_text(row, cols[0]) if cells[0].text.strip().isdigit() else ""]
    return [_own_text(row, j) for j in cols]


def _own_text(row: RawRow, col: int) -> str:
    """Text of a code cell only when the cell is that column's own (not a wide label)."""
    cell = cell_covering(row, col)
    if cell is None or (cell.col_span > 1 and not cell.text.strip().isdigit()):
        return ""
    return re.sub(r"\s+", "", cell.text)


def _row_items(
    row: RawRow, index: int, group: Sequence[ColumnSpec], ctx: TableContext, code_ctx: CodeContext
) -> tuple[list[LineItem], list[BadCell], CodeContext]:
    label, code_ctx = _row_label(row, group, ctx, code_ctx)
    items: list[LineItem] = []
    bad: list[BadCell] = []
    for spec in group:
        if spec.role != "amount":
            continue
        cell = next((c for c in row.cells if c.col == spec.index), None)
        if cell is None or is_blank(cell.text):
            continue
        amount = try_parse_amount(cell.text)
        if amount is None or not storable(amount.to_yuan(ctx.unit)):
            bad.append(BadCell(cell.page_no, index, spec.key, cell.text, is_placeholder(cell.text), cell))
        else:
            items.append(_line_item(ctx, cell, index, label, side_total(spec, label.label), amount.to_yuan(ctx.unit)))
    return items, bad, code_ctx


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
    code = label.code
    return LineItem(
        doc_id=ctx.doc_id, table_id=ctx.kind, page_no=cell.page_no, bbox=cell.bbox, row_index=index,
        subject_code=code, subject_level=code_level(code) if code else None, parent_code=parent_code(code) if code else None,
        subject_name=label.name, row_label=label.label, side=spec.side, column_key=spec.key, column_label=spec.label,
        phase=spec.phase, amount_yuan=amount_yuan, amount_text=cell.text.strip(), unit=ctx.unit,
        department_code=label.dept_code, source=cell.source, confidence=cell.confidence,
    )
