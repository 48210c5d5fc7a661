"""Pure: performance-target tables -> indicator rows and their money block.

These tables are forms, not grids of amounts: a key-value block (收入预算合计
679.18, 年度资金总额 268.388) and then 一级/二级/三级指标 | 目标值 rows whose
first two levels are merged down over several rows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..records import LineItem, PerformanceTarget, RawRow
from .amounts import storable, try_parse_amount
from .rows import TableContext

_TARGET_RE = re.compile(r"^(?P<op>[≥≤=<>＞＜≧≦＝])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d]{0,8})$")
_OPS = {"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "＝": "="}
_LEVEL_HEADS = ("一级指标", "二级指标", "三级指标")
_VALUE_HEAD = re.compile(r"目标值|指标值")
_SPACE_RE = re.compile(r"\s+")


def parse_target(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """`≥300种` → ('≥', 300, '种'); `100%` → (None, 100, '%'); prose → (None, None, None)."""
    t = _SPACE_RE.sub("", text)
    m = _TARGET_RE.match(t)
    if not m:
        return None, None, None
    try:
        value = Decimal(m.group("num"))
    except InvalidOperation:  # pragma: no cover
        return None, None, None
    op = m.group("op")
    return _OPS.get(op, op) if op else None, value, m.group("unit") or None


def _clean(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _header_columns(row: RawRow) -> dict[str, tuple[float, float]] | None:
    """Where each level and the target value are printed: the x-range of their header cells."""
    cols: dict[str, tuple[float, float]] = {}
    for cell in row.cells:
        t = _clean(cell.text)
        for head in _LEVEL_HEADS:
            if t == head:
                cols[head] = (cell.bbox.x0, cell.bbox.x1)
        if _VALUE_HEAD.search(t):
            cols["value"] = (cell.bbox.x0, cell.bbox.x1)
    return cols if len(cols) == 4 else None


def _under(row: RawRow, span: tuple[float, float]) -> str:
    """The text of the cell printed under a header cell.

    By position, not column index: a form's next page draws its own columns
    (central/西南大学2023年部门预算 p.20 continues p.19 with one column fewer).
    """
    x0, x1 = span
    return next((_clean(c.text) for c in row.cells if x0 - 1 <= c.bbox.xc <= x1 + 1), "")


def performance_rows(rows: list[RawRow], ctx: TableContext) -> tuple[list[PerformanceTarget], list[LineItem]]:
    targets: list[PerformanceTarget] = []
    items: list[LineItem] = []
    cols: dict[str, tuple[float, float]] | None = None
    levels = ["", ""]
    project = ""
    for index, row in enumerate(rows):
        if cols is None:
            cols = _header_columns(row)
            if cols is None:
                project = _project_name({c.col: _clean(c.text) for c in row.cells}) or project
                items.extend(_money_items(row, index, ctx))
            continue
        for k, head in enumerate(_LEVEL_HEADS[:2]):
            levels[k] = _under(row, cols[head]) or levels[k]
        level3 = _under(row, cols["三级指标"])
        value = _under(row, cols["value"])
        if not level3 and not value:
            continue
        op, num, unit = parse_target(value)
        targets.append(
            PerformanceTarget(ctx.doc_id, ctx.kind, row.page_no, index, project, levels[0], levels[1], level3, value, op, num, unit)
        )
    return targets, items


def _project_name(by_col: dict[int, str]) -> str:
    cells = [by_col[k] for k in sorted(by_col)]
    for a, b in zip(cells, cells[1:]):
        if a == "项目名称" and b:
            return b
    return ""


def _money_items(row: RawRow, index: int, ctx: TableContext) -> list[LineItem]:
    """Amounts of the key-value block: each number printed right of its label."""
    out: list[LineItem] = []
    cells = sorted(row.cells, key=lambda c: c.col)
    for label_cell, cell in zip(cells, cells[1:]):
        label = _clean(label_cell.text)
        amount = try_parse_amount(cell.text) if label and not try_parse_amount(label) else None
        if amount is None or not storable(amount.to_yuan(ctx.unit)):
            continue
        out.append(
            LineItem(
                ctx.doc_id, ctx.kind, cell.page_no, cell.bbox, index, None, None, None, None,
                label, None, "amount", label, "budget", amount.to_yuan(ctx.unit), cell.text.strip(), ctx.unit,
                source=cell.source, confidence=cell.confidence,
            )
        )
    return out
