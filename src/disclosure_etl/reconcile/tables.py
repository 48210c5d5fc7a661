"""Pure: checks inside one table.

Each check computes `Relation`s — every sum the table states, held or not — so
the baseline (structure.py) can ask how many of a table's own sums hold; the
findings are the relations that do not. Row rules come from the registry
(data/rules.csv); the hierarchy and total-row checks follow from the subject codes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence  # noqa: F401
from dataclasses import dataclass, field
from decimal import Decimal

from ..records import Finding, LineItem, Severity, Side
from .registry import RowRule, expansions, new_finding, row_rules, rule
from .terms import compact_label
from .tolerance import classify, tolerance_for

_TOTAL_LABEL_RE = re.compile(r"^(合\s*计|总\s*计|收入总计|支出总计|本年(收入|支出)合计)$")


@dataclass(frozen=True, slots=True)
class Relation:
    """One sum a table states: `actual` (printed) against `expected` (computed from other figures)."""

    rule_id: str
    items: tuple[LineItem, ...]
    expected: Decimal
    actual: Decimal
    message: str
    subject: str | None = None
    # Computed once: the baseline and the table's findings both ask every relation for them.
    tolerance: Decimal = field(init=False, repr=False, compare=False)
    severity: Severity | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tol = tolerance_for(self.items)
        object.__setattr__(self, "tolerance", tol)
        object.__setattr__(self, "severity", classify(self.actual - self.expected, tol, rule(self.rule_id).severity))

    def to_finding(self) -> Finding | None:
        severity = self.severity
        if severity is None:
            return None
        first = self.items[0]
        return new_finding(
            self.rule_id, first.doc_id, self.message, severity=severity, table_id=first.table_id.value,
            expected=self.expected, actual=self.actual, difference=self.actual - self.expected, tolerance=self.tolerance,
            pages=tuple(sorted({i.page_no for i in self.items})),
            subject_code=self.subject if self.subject is not None else first.subject_code, column_key=first.column_key,
            bboxes=tuple(i.bbox for i in self.items), bbox_pages=tuple(i.page_no for i in self.items),
            printed=tuple(describe(i) for i in self.items),
        )


def describe(i: LineItem) -> str:
    """'613.05 (一般公共服务支出/total, p.9)'."""
    return f"{i.amount_text} ({i.row_label or i.subject_code or 'row ' + str(i.row_index)}/{i.column_key}, p.{i.page_no})"


def _parts_for(parts: Sequence[tuple[str, int]], present: set[str]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    exp = expansions()
    for p, sign in parts:
        if p in present:
            out.append((p, sign))
        elif p in exp and any(q in present for q in exp[p]):
            out.extend((q, sign) for q in exp[p] if q in present)
    return out


RowKey = tuple[int, Side | None, str]


def _phased(items: Iterable[LineItem]) -> bool:
    """A table printing one column key in two phases (a 三公 决算 table's 预算数 | 决算数)."""
    phases: dict[str, set[str]] = defaultdict(set)
    for it in items:
        phases[it.column_key].add(it.phase)
    return any(len(p) > 1 for p in phases.values())


def _by_row(items: Sequence[LineItem], phased: bool) -> dict[RowKey, dict[str, LineItem]]:
    """Figures of each printed row, by column key; a 决算 三公 row's 预算数 and 决算数 are two rows."""
    rows: dict[RowKey, dict[str, LineItem]] = defaultdict(dict)
    for it in items:
        rows[(it.row_index, it.side, it.phase if phased else "")][it.column_key] = it
    return rows


def _applies(rr: RowRule, items: Sequence[LineItem]) -> bool:
    return not rr.rule.tables or items[0].table_id.value in rr.rule.tables


@dataclass(frozen=True, slots=True)
class _RowPlan:
    """A row rule as it applies to one side and phase of a table: the same for each of its rows."""

    rule: RowRule
    parts: tuple[tuple[str, int], ...]
    keys: frozenset[str]
    signs: str


def _row_plans(rules: Sequence[RowRule], here: set[str]) -> list[_RowPlan]:
    """The rules whose total and some part the side prints, with the parts it prints."""
    out = []
    for rr in rules:
        parts = _parts_for(rr.parts, here)
        if rr.total not in here or not parts:
            continue
        signs = " ".join(("+ " if s > 0 else "− ") + k for k, s in parts)[2:]
        out.append(_RowPlan(rr, tuple(parts), frozenset({k for k, _ in parts} | {rr.total}), signs))
    return out


def row_relations(items: Sequence[LineItem]) -> list[Relation]:
    """Within each row: 合计 = 基本支出 + 项目支出, 三公 total = its parts, …"""
    if not items:
        return []
    phased = _phased(items)
    present: dict[tuple[Side | None, str], set[str]] = defaultdict(set)
    for it in items:
        present[(it.side, it.phase if phased else "")].add(it.column_key)
    rules = [rr for rr in row_rules() if _applies(rr, items)]
    # Which rules apply, and with which parts, depends on the side and phase only: planned once
    # per side instead of per row (the rows' _parts_for took a fifth of the document checks).
    plans = {key: _row_plans(rules, here) for key, here in present.items()}
    out = []
    for (_row, side, phase), cols in sorted(_by_row(items, phased).items(), key=lambda kv: (kv[0][0], str(kv[0][1]), kv[0][2])):
        for plan in plans[(side, phase)]:
            if plan.keys.isdisjoint(cols):
                continue
            total_key = plan.rule.total
            printed = [(cols[k], s) for k, s in plan.parts if k in cols]
            total = cols.get(total_key)
            involved = ([total] if total else []) + [p for p, _ in printed]
            expected = sum((s * p.amount_yuan for p, s in printed), Decimal(0))
            msg = f"{total_key} ≠ {plan.signs} in row '{involved[0].row_label}'"
            out.append(Relation(plan.rule.rule.rule_id, tuple(involved), expected, total.amount_yuan if total else Decimal(0), msg))
    return out


def hierarchy_relations(items: Sequence[LineItem]) -> list[Relation]:
    """Each parent subject (类, 款) equals the sum of its children, column by column."""
    by_key: dict[tuple[Side | None, str, str], LineItem] = {}
    coded_cols: dict[tuple[Side | None, str], set[str]] = defaultdict(set)
    for it in items:
        if it.subject_code:
            by_key[(it.side, it.column_key, it.subject_code)] = it
            coded_cols[(it.side, it.subject_code)].add(it.column_key)
    codes = {(s, c) for s, _, c in by_key}
    by_side: dict[Side | None, list[str]] = defaultdict(list)
    for s, c in sorted(codes, key=lambda k: k[1]):
        by_side[s].append(c)
    out = []
    for (side, parent) in sorted(codes, key=lambda k: (str(k[0]), k[1])):
        kids = [c for c in _with_prefix(by_side[side], parent) if len(c) > len(parent) and _direct(parent, c, codes, side)]
        if not kids:
            continue
        cols = coded_cols[(side, parent)] | {k for kid in kids for k in coded_cols[(side, kid)]}
        for col in sorted(cols):
            parent_item = by_key.get((side, col, parent))
            kid_items = [by_key[(side, col, k)] for k in kids if (side, col, k) in by_key]
            involved = ([parent_item] if parent_item else []) + kid_items
            expected = sum((k.amount_yuan for k in kid_items), Decimal(0))
            actual = parent_item.amount_yuan if parent_item else Decimal(0)
            out.append(Relation("hierarchy_sum", tuple(involved), expected, actual, f"{parent} ≠ Σ {', '.join(kids)} in column {col}", parent))
    return out


def _with_prefix(ordered: list[str], prefix: str) -> list[str]:
    """The codes of a sorted list that start with `prefix` (they stand together, from where `prefix` would go)."""
    start = end = bisect_left(ordered, prefix)
    while end < len(ordered) and ordered[end].startswith(prefix):
        end += 1
    return ordered[start:end]


def _direct(parent: str, child: str, codes: set[tuple[Side | None, str]], side: Side | None) -> bool:
    """`child` is a direct child: the next level down that is printed (款 under 类, 项 under 款)."""
    step = 2 if len(parent) >= 3 else 3
    if len(child) == len(parent) + step:
        return True
    mid = child[: len(parent) + step]
    return (side, mid) not in codes and len(child) == len(parent) + 2 * step


def total_row_relations(items: Sequence[LineItem]) -> list[Relation]:
    """The 合计 row equals the sum of the top-level (类) rows, column by column."""
    out = []
    for side in sorted({it.side for it in items}, key=str):
        side_items = [it for it in items if it.side == side]
        codes = [it for it in side_items if it.subject_code]
        if not codes:
            continue
        top_len = min(len(it.subject_code or "") for it in codes)
        totals = [it for it in side_items if not it.subject_code and _TOTAL_LABEL_RE.match(it.row_label)]
        for total in totals:
            tops = [it for it in codes if len(it.subject_code or "") == top_len and it.column_key == total.column_key and it.phase == total.phase]
            expected = sum((t.amount_yuan for t in tops), Decimal(0))
            msg = f"{total.row_label} ≠ Σ top-level rows in column {total.column_key}"
            out.append(Relation("total_row_sum", (total, *tops), expected, total.amount_yuan, msg))
    return out


_REV_TOTAL_RE = re.compile(r"^(收入总计|总计)$")
_EXP_TOTAL_RE = re.compile(r"^(支出总计|总计)$")
_REV_SUM_RE = re.compile(r"^收入合计$")
_EXP_SUM_RE = re.compile(r"^支出合计$")


def _side_total(items: Sequence[LineItem], side: Side, rx: re.Pattern[str]) -> LineItem | None:
    got = [it for it in items if it.side is side and rx.match(compact_label(it.row_label))]
    return next((i for i in got if i.column_key in ("amount", "total")), got[0] if got else None)


def balance_relations(items: Sequence[LineItem]) -> list[Relation]:
    """A two-sided summary balances: 收入总计 = 支出总计 (Jiangsu prints 收入合计 / 支出合计 only)."""
    r = _side_total(items, Side.REVENUE, _REV_TOTAL_RE)
    e = _side_total(items, Side.EXPENDITURE, _EXP_TOTAL_RE)
    if r is None or e is None:
        r, e = _side_total(items, Side.REVENUE, _REV_SUM_RE), _side_total(items, Side.EXPENDITURE, _EXP_SUM_RE)
    if r is None or e is None or r.table_id.value not in rule("two_sided_balance").tables:
        return []
    return [Relation("two_sided_balance", (r, e), e.amount_yuan, r.amount_yuan, f"{r.row_label} ≠ {e.row_label}")]


def table_relations(items: Sequence[LineItem]) -> list[Relation]:
    """Every sum the table states."""
    return row_relations(items) + hierarchy_relations(items) + total_row_relations(items) + balance_relations(items)


def check_table(items: Sequence[LineItem], relations: Sequence[Relation] | None = None) -> list[Finding]:
    """The table's sums that do not hold, and its 三公 决算 above 预算 (`relations`: its `table_relations`, when known)."""
    relations = table_relations(items) if relations is None else relations
    out = [f for r in relations if (f := r.to_finding()) is not None]
    return out + check_over_budget(items)


def check_over_budget(items: Sequence[LineItem]) -> list[Finding]:
    """三公 决算 table: each item's 决算数 against its own 预算数 (above the budget: a warning to explain)."""
    if not items or items[0].table_id.value not in rule("final_three_public_over_budget").tables:
        return []
    budget = {(it.row_index, it.column_key): it for it in items if it.phase == "budget"}
    out = []
    for it in items:
        b = budget.get((it.row_index, it.column_key))
        if it.phase != "final" or b is None:
            continue
        over = it.amount_yuan - b.amount_yuan
        if classify(over, tolerance_for([it, b])) is Severity.ERROR and over > 0:
            out.append(new_finding(
                "final_three_public_over_budget", it.doc_id, f"{it.column_label}: 决算数 {it.amount_text} exceeds 预算数 {b.amount_text}",
                table_id=it.table_id.value, expected=b.amount_yuan, actual=it.amount_yuan, difference=over,
                tolerance=tolerance_for([it, b]), pages=(it.page_no,), column_key=it.column_key,
                bboxes=(b.bbox, it.bbox), bbox_pages=(b.page_no, it.page_no), printed=(describe(b), describe(it)),
            ))
    return out
