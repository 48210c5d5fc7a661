"""Pure: checks inside one table (one `check_*` per rule, each returns Findings).

Rules are declared as data where they can be: `ROW_RULES` says which column
is the sum of which others within a row; the hierarchy and total-row checks
follow from the subject codes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..records import Finding, LineItem, Side
from .tolerance import classify, tolerance_for

# (rule id, total column, part columns). A part missing from the table is
# replaced by its own parts when those are printed (the 基本支出 group may
# print only 人员经费 | 公用经费 leaves).
ROW_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("row_total_basic_project", "total", ("basic", "project", "remit_to_superior", "operating_expenditure", "subsidy_to_subsidiaries")),
    ("row_total_revenue_sources", "total", (
        "fiscal_appropriation", "business_income", "operating_income", "other_income", "superior_subsidy",
        "subsidiary_remittance", "special_account", "unit_funds", "prior_carryover",
    )),
    ("row_basic_personnel_public", "basic", ("personnel", "public_funds")),
    ("row_fiscal_funds", "fiscal_appropriation", ("general_budget", "government_fund", "state_capital")),
    ("row_three_public_total", "three_public_total", ("overseas_travel", "reception", "vehicle_total")),
    ("row_overseas_subtotal", "overseas_travel", ("overseas_general", "overseas_academic")),
    ("row_vehicle_subtotal", "vehicle_total", ("vehicle_operation", "vehicle_purchase")),
)
EXPANSIONS = {total: parts for _, total, parts in ROW_RULES[2:]}
_TOTAL_LABEL_RE = re.compile(r"^(合\s*计|总\s*计|收入总计|支出总计|本年(收入|支出)合计)$")


def finding(rule: str, items: Sequence[LineItem], expected: Decimal, actual: Decimal, tol: Decimal, message: str, subject: str | None = None) -> Finding | None:
    diff = actual - expected
    severity = classify(diff, tol)
    if severity is None:
        return None
    first = items[0]
    return Finding(
        doc_id=first.doc_id, rule_id=rule, severity=severity, message=message,
        table_id=first.table_id.value, expected=expected, actual=actual, difference=diff,
        tolerance=tol, pages=tuple(sorted({i.page_no for i in items})),
        subject_code=subject if subject is not None else first.subject_code,
        column_key=first.column_key, bboxes=tuple(i.bbox for i in items), bbox_pages=tuple(i.page_no for i in items),
        printed=tuple(f"{i.amount_text} ({i.row_label or i.subject_code or 'row ' + str(i.row_index)}/{i.column_key}, p.{i.page_no})" for i in items),
    )


def _parts_for(parts: Sequence[str], present: set[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if p in present:
            out.append(p)
        elif p in EXPANSIONS and any(q in present for q in EXPANSIONS[p]):
            out.extend(q for q in EXPANSIONS[p] if q in present)
    return out


def _by_row(items: Iterable[LineItem]) -> dict[tuple[int, Side | None], dict[str, LineItem]]:
    rows: dict[tuple[int, Side | None], dict[str, LineItem]] = defaultdict(dict)
    for it in items:
        rows[(it.row_index, it.side)][it.column_key] = it
    return rows


def check_row_sums(items: Sequence[LineItem]) -> list[Finding]:
    """Within each row: 合计 = 基本支出 + 项目支出, 三公 total = its parts, …"""
    present_by_side: dict[Side | None, set[str]] = defaultdict(set)
    for it in items:
        present_by_side[it.side].add(it.column_key)
    out = []
    for (_row, side), cols in sorted(_by_row(items).items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        present = present_by_side[side]
        for rule, total_key, parts in ROW_RULES:
            part_keys = _parts_for(parts, present)
            if total_key not in present or not part_keys or not (set(part_keys) | {total_key}) & set(cols):
                continue
            printed = [cols[k] for k in part_keys if k in cols]
            total = cols.get(total_key)
            expected = sum((p.amount_yuan for p in printed), Decimal(0))
            actual = total.amount_yuan if total else Decimal(0)
            involved = ([total] if total else []) + printed
            msg = f"{total_key} ≠ {' + '.join(part_keys)} in row '{involved[0].row_label}'"
            f = finding(rule, involved, expected, actual, tolerance_for(involved), msg)
            if f:
                out.append(f)
    return out


def check_hierarchy(items: Sequence[LineItem]) -> list[Finding]:
    """Each parent subject (类, 款) equals the sum of its children, column by column."""
    by_key: dict[tuple[Side | None, str, str], LineItem] = {}
    coded_cols: dict[tuple[Side | None, str], set[str]] = defaultdict(set)
    for it in items:
        if it.subject_code:
            by_key[(it.side, it.column_key, it.subject_code)] = it
            coded_cols[(it.side, it.subject_code)].add(it.column_key)
    codes = {(s, c) for s, _, c in by_key}
    out = []
    for (side, parent) in sorted(codes, key=lambda k: (str(k[0]), k[1])):
        kids = sorted(c for s, c in codes if s == side and len(c) > len(parent) and c.startswith(parent) and _direct(parent, c, codes, side))
        if not kids:
            continue
        cols = coded_cols[(side, parent)] | {k for kid in kids for k in coded_cols[(side, kid)]}
        for col in sorted(cols):
            parent_item = by_key.get((side, col, parent))
            kid_items = [by_key[(side, col, k)] for k in kids if (side, col, k) in by_key]
            involved = ([parent_item] if parent_item else []) + kid_items
            expected = sum((k.amount_yuan for k in kid_items), Decimal(0))
            actual = parent_item.amount_yuan if parent_item else Decimal(0)
            msg = f"{parent} ≠ Σ {', '.join(kids)} in column {col}"
            f = finding("hierarchy_sum", involved, expected, actual, tolerance_for(involved), msg, subject=parent)
            if f:
                out.append(f)
    return out


def _direct(parent: str, child: str, codes: set[tuple[Side | None, str]], side: Side | None) -> bool:
    """`child` is a direct child: the next level down that is printed (款 under 类, 项 under 款)."""
    step = 2 if len(parent) >= 3 else 3
    if len(child) == len(parent) + step:
        return True
    mid = child[: len(parent) + step]
    return (side, mid) not in codes and len(child) == len(parent) + 2 * step


def check_total_row(items: Sequence[LineItem]) -> list[Finding]:
    """The 合计 row equals the sum of the top-level (类) rows, column by column."""
    out = []
    for side in {it.side for it in items}:
        side_items = [it for it in items if it.side == side]
        codes = [it for it in side_items if it.subject_code]
        if not codes:
            continue
        top_len = min(len(it.subject_code or "") for it in codes)
        totals = [it for it in side_items if not it.subject_code and _TOTAL_LABEL_RE.match(it.row_label)]
        for total in totals:
            tops = [it for it in codes if len(it.subject_code or "") == top_len and it.column_key == total.column_key]
            involved = [total] + tops
            expected = sum((t.amount_yuan for t in tops), Decimal(0))
            msg = f"{total.row_label} ≠ Σ top-level rows in column {total.column_key}"
            f = finding("total_row_sum", involved, expected, total.amount_yuan, tolerance_for(involved), msg)
            if f:
                out.append(f)
    return out


def check_balance(items: Sequence[LineItem]) -> list[Finding]:
    """A two-sided summary balances: 收入总计 = 支出总计."""
    rev = [it for it in items if it.side is Side.REVENUE and re.search(r"收入总计|^总计$", it.row_label)]
    exp = [it for it in items if it.side is Side.EXPENDITURE and re.search(r"支出总计|^总计$", it.row_label)]
    if not rev or not exp:
        return []
    r = next((i for i in rev if i.column_key in ("amount", "total")), rev[0])
    e = next((i for i in exp if i.column_key in ("amount", "total")), exp[0])
    f = finding("two_sided_balance", [r, e], e.amount_yuan, r.amount_yuan, tolerance_for([r, e]), "收入总计 ≠ 支出总计", subject=None)
    return [f] if f else []


TABLE_CHECKS = (check_row_sums, check_hierarchy, check_total_row, check_balance)


def check_table(items: Sequence[LineItem]) -> list[Finding]:
    out: list[Finding] = []
    for check in TABLE_CHECKS:
        out.extend(check(items))
    return out
