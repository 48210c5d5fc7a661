"""Pure: identities across the tables of one document, declared as data.

Each identity says `left = right₁ + right₂ + …`, every term a figure picked by
(table, row, column, side). An identity is checked only when every table it
names is printed and prints the columns it needs, so a province that leaves a
column out is not accused of a mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..records import Finding, LineItem, Severity, Side, TableKind
from .tolerance import classify, tolerance_for

K = TableKind
Row = Callable[[LineItem], bool]


def label(pattern: str) -> Row:
    rx = re.compile(pattern)
    return lambda it: it.subject_code is None and bool(rx.search(re.sub(r"\s+", "", it.row_label)))


def code(value: str) -> Row:
    return lambda it: it.subject_code == value


def code_len(n: int) -> Row:
    return lambda it: it.subject_code is not None and len(it.subject_code) == n


TOTAL = label(r"^(合计|总计)$")
REV_TOTAL = label(r"^(收入总计|总计)$")
EXP_TOTAL = label(r"^(支出总计|总计)$")


@dataclass(frozen=True, slots=True)
class Term:
    table: TableKind
    row: Row
    column: str
    side: Side | None = None
    sign: int = 1


@dataclass(frozen=True, slots=True)
class Identity:
    rule_id: str
    description: str
    left: Term
    right: tuple[Term, ...]
    severity: Severity = Severity.ERROR


R, E = Side.REVENUE, Side.EXPENDITURE
IDENTITIES: tuple[Identity, ...] = (
    Identity("x_summary_revenue_vs_revenue_table", "收支总表 收入总计 = 收入总表 合计",
             Term(K.REVENUE_EXPENDITURE_SUMMARY, REV_TOTAL, "amount", R), (Term(K.REVENUE_SUMMARY, TOTAL, "total"),)),
    Identity("x_summary_expenditure_vs_expenditure_table", "收支总表 支出总计 = 支出总表 合计",
             Term(K.REVENUE_EXPENDITURE_SUMMARY, EXP_TOTAL, "total", E), (Term(K.EXPENDITURE_SUMMARY, TOTAL, "total"),)),
    Identity("x_summary_expenditure_vs_expenditure_table", "收支总表 支出总计 = 支出总表 合计",
             Term(K.REVENUE_EXPENDITURE_SUMMARY, EXP_TOTAL, "amount", E), (Term(K.EXPENDITURE_SUMMARY, TOTAL, "total"),)),
    Identity("x_revenue_vs_expenditure_table", "收入总表 合计 = 支出总表 合计",
             Term(K.REVENUE_SUMMARY, TOTAL, "total"), (Term(K.EXPENDITURE_SUMMARY, TOTAL, "total"),)),
    Identity("x_fiscal_revenue_vs_summary", "财政拨款收支总表 收入总计 = 收支总表 财政拨款收入",
             Term(K.FISCAL_APPROPRIATION_SUMMARY, REV_TOTAL, "amount", R),
             (Term(K.REVENUE_EXPENDITURE_SUMMARY, label(r"财政拨款收入$|^一、财政拨款"), "amount", R),)),
    Identity("x_general_budget_vs_fiscal_summary", "一般公共预算支出表 合计 = 财政拨款收支总表 一般公共预算 支出总计",
             Term(K.GENERAL_BUDGET_EXPENDITURE, TOTAL, "total"), (Term(K.FISCAL_APPROPRIATION_SUMMARY, EXP_TOTAL, "general_budget", E),)),
    Identity("x_basic_vs_basic_table", "一般公共预算支出表 基本支出合计 = 基本支出表 合计",
             Term(K.GENERAL_BUDGET_EXPENDITURE, TOTAL, "basic"), (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, TOTAL, "total"),)),
    Identity("x_basic_vs_basic_table", "一般公共预算支出表 基本支出合计 = 基本支出表 合计",
             Term(K.GENERAL_BUDGET_EXPENDITURE, TOTAL, "basic"), (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, TOTAL, "basic"),)),
    Identity("x_personnel_vs_summary", "基本支出表 人员经费合计 = 收支总表 人员经费",
             Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, TOTAL, "personnel"), (Term(K.REVENUE_EXPENDITURE_SUMMARY, EXP_TOTAL, "personnel", E),)),
    Identity("x_public_funds_vs_summary", "基本支出表 公用经费合计 = 收支总表 公用经费",
             Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, TOTAL, "public_funds"), (Term(K.REVENUE_EXPENDITURE_SUMMARY, EXP_TOTAL, "public_funds", E),)),
    Identity("x_personnel_is_301_303", "基本支出表 人员经费 = Σ 301 + 303",
             Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, TOTAL, "personnel"),
             (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, code("301"), "personnel"), Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, code("303"), "personnel"))),
    Identity("x_reception_vs_30217", "三公 公务接待费 = 经济科目 30217 公务接待费 (基本支出表只含基本支出；项目支出中的接待费使二者不同)",
             Term(K.THREE_PUBLIC_EXPENSES, lambda it: True, "reception"), (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, code("30217"), "total"),), Severity.WARNING),
    Identity("x_reception_vs_30217", "三公 公务接待费 = 经济科目 30217 公务接待费 (基本支出表只含基本支出；项目支出中的接待费使二者不同)",
             Term(K.THREE_PUBLIC_EXPENSES, lambda it: True, "reception"), (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, code("30217"), "basic"),), Severity.WARNING),
    Identity("x_vehicle_operation_vs_30231", "三公 公务用车运行维护费 = 经济科目 30231",
             Term(K.THREE_PUBLIC_EXPENSES, lambda it: True, "vehicle_operation"), (Term(K.GENERAL_BUDGET_BASIC_EXPENDITURE, code("30231"), "total"),), Severity.WARNING),
    # Final accounts (决算).
    Identity("x_final_revenue_total", "收入支出决算总表 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
             Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"^总计$"), "amount", R),
             (Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"本年收入合计"), "amount", R),
              Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"使用非财政拨款结余"), "amount", R),
              Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"年初结转和结余"), "amount", R))),
    Identity("x_final_expenditure_total", "收入支出决算总表 总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
             Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"^总计$"), "amount", E),
             (Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"本年支出合计"), "amount", E),
              Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"结余分配"), "amount", E),
              Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"年末结转和结余"), "amount", E))),
    Identity("x_final_revenue_vs_revenue_table", "收入支出决算总表 本年收入合计 = 收入决算表 合计",
             Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"本年收入合计"), "amount", R), (Term(K.FINAL_REVENUE, TOTAL, "total"),)),
    Identity("x_final_expenditure_vs_expenditure_table", "收入支出决算总表 本年支出合计 = 支出决算表 合计",
             Term(K.FINAL_REVENUE_EXPENDITURE_SUMMARY, label(r"本年支出合计"), "amount", E), (Term(K.FINAL_EXPENDITURE, TOTAL, "total"),)),
    Identity("x_final_general_budget_vs_fiscal", "一般公共预算财政拨款支出决算表 合计 = 财政拨款收入支出决算总表 一般公共预算 本年支出合计",
             Term(K.FINAL_GENERAL_BUDGET_EXPENDITURE, TOTAL, "total"),
             (Term(K.FINAL_FISCAL_APPROPRIATION_SUMMARY, label(r"本年支出合计"), "general_budget", E),)),
    Identity("x_final_basic_vs_basic_table", "一般公共预算财政拨款支出决算表 基本支出 = 基本支出决算表 人员经费合计 + 公用经费合计",
             Term(K.FINAL_GENERAL_BUDGET_EXPENDITURE, TOTAL, "basic"),
             (Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, label(r"人员经费合计"), "amount"),
              Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, label(r"公用经费合计"), "amount"))),
    Identity("x_final_personnel_is_301_303", "基本支出决算表 人员经费合计 = Σ 301 + 303",
             Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, label(r"人员经费合计"), "amount"),
             (Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, code("301"), "amount"), Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, code("303"), "amount"))),
    Identity("x_final_public_is_302_310", "基本支出决算表 公用经费合计 = Σ 302 + 310",
             Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, label(r"公用经费合计"), "amount"),
             (Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, code("302"), "amount"), Term(K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, code("310"), "amount"))),
)


def _pick(term: Term, items: Sequence[LineItem]) -> list[LineItem] | None:
    """The items a term names; None when its table or column is not printed."""
    in_table = [it for it in items if it.table_id is term.table and (term.side is None or it.side is term.side)]
    if not in_table or term.column not in {it.column_key for it in in_table}:
        return None
    return [it for it in in_table if it.column_key == term.column and term.row(it)]


def check_identity(identity: Identity, items: Sequence[LineItem]) -> Finding | None:
    left = _pick(identity.left, items)
    rights = [_pick(t, items) for t in identity.right]
    if left is None or not left or any(r is None for r in rights) or not any(rights):
        return None
    involved = left + [it for r in rights for it in (r or [])]
    actual = sum((it.amount_yuan for it in left), Decimal(0))
    expected = sum((t.sign * it.amount_yuan for t, r in zip(identity.right, rights) for it in (r or [])), Decimal(0))
    diff = actual - expected
    tol = tolerance_for(involved)
    severity = classify(diff, tol)
    if severity is None:
        return None
    if severity is Severity.ERROR:
        severity = identity.severity
    first = left[0]
    return Finding(
        first.doc_id, identity.rule_id, severity, identity.description, first.table_id.value,
        expected, actual, diff, tol, tuple(sorted({it.page_no for it in involved})),
        first.subject_code, first.column_key, tuple(it.bbox for it in involved), tuple(it.page_no for it in involved),
        tuple(f"{it.amount_text} ({it.table_id.value}: {it.row_label or it.subject_code or 'row ' + str(it.row_index)}/{it.column_key}, p.{it.page_no})" for it in involved),
    )


def check_cross_tables(items: Sequence[LineItem]) -> list[Finding]:
    """Every identity of the catalogue that the document's tables allow."""
    out = []
    seen: set[tuple[str, str]] = set()
    for identity in IDENTITIES:
        f = check_identity(identity, items)
        if f is not None and (identity.rule_id, f.message) not in seen:
            seen.add((identity.rule_id, f.message))
            out.append(f)
    return out
