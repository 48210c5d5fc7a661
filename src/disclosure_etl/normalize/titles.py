"""Pure: printed table titles -> canonical `TableKind`.

The one alias table for every province's wording. A rule matches when the
normalised title holds all its `need` words and none of its `avoid` words;
rules are tried in order, the most specific first.
"""

from __future__ import annotations

import re

from ..records import TableKind

K = TableKind
# (kind, need, avoid)
TITLE_RULES: tuple[tuple[TableKind, tuple[str, ...], tuple[str, ...]], ...] = (
    (K.FINAL_FISCAL_APPROPRIATION_SUMMARY, ("财政拨款收入支出决算总表",), ()),
    (K.FINAL_REVENUE_EXPENDITURE_SUMMARY, ("收入支出决算总表",), ()),
    (K.FINAL_THREE_PUBLIC_EXPENSES, ("三公", "决算"), ()),
    (K.FINAL_GOVERNMENT_FUND, ("政府性基金", "决算"), ()),
    (K.FINAL_STATE_CAPITAL, ("国有资本经营", "决算"), ()),
    (K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, ("一般公共预算", "基本支出", "决算"), ()),
    (K.FINAL_GENERAL_BUDGET_EXPENDITURE, ("一般公共预算", "支出决算"), ()),
    (K.FINAL_REVENUE, ("收入决算表",), ()),
    (K.FINAL_EXPENDITURE, ("支出决算表",), ()),
    (K.PROJECT_PERFORMANCE_TARGETS, ("项目", "绩效"), ()),
    (K.DEPARTMENT_PERFORMANCE_TARGETS, ("绩效",), ()),
    (K.THREE_PUBLIC_EXPENSES, ("三公",), ()),
    (K.FISCAL_APPROPRIATION_SUMMARY, ("财政拨款收支",), ()),
    (K.REVENUE_EXPENDITURE_SUMMARY, ("收支",), ()),
    (K.GOVERNMENT_FUND_EXPENDITURE, ("政府性基金",), ()),
    (K.STATE_CAPITAL_EXPENDITURE, ("国有资本经营",), ()),
    (K.GENERAL_BUDGET_BASIC_EXPENDITURE, ("基本支出",), ()),
    (K.GENERAL_BUDGET_EXPENDITURE, ("一般公共预算",), ()),
    (K.REVENUE_SUMMARY, ("收入",), ("支出",)),
    (K.EXPENDITURE_SUMMARY, ("支出",), ("收入",)),
)

# Tables every document of a type must publish (the performance tables are
# provincial additions and not required).
REQUIRED_BUDGET = (
    K.REVENUE_EXPENDITURE_SUMMARY, K.REVENUE_SUMMARY, K.EXPENDITURE_SUMMARY,
    K.FISCAL_APPROPRIATION_SUMMARY, K.GENERAL_BUDGET_EXPENDITURE,
    K.GENERAL_BUDGET_BASIC_EXPENDITURE, K.THREE_PUBLIC_EXPENSES,
    K.GOVERNMENT_FUND_EXPENDITURE, K.STATE_CAPITAL_EXPENDITURE,
)
REQUIRED_FINAL = (
    K.FINAL_REVENUE_EXPENDITURE_SUMMARY, K.FINAL_REVENUE, K.FINAL_EXPENDITURE,
    K.FINAL_FISCAL_APPROPRIATION_SUMMARY, K.FINAL_GENERAL_BUDGET_EXPENDITURE,
    K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, K.FINAL_THREE_PUBLIC_EXPENSES,
    K.FINAL_GOVERNMENT_FUND, K.FINAL_STATE_CAPITAL,
)


def normalize_title(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    t = t.replace("“", "").replace("”", "").replace('"', "").replace("《", "").replace("》", "")
    return re.sub(r"^\d{4}年度?", "", t)


def title_to_kind(title: str) -> TableKind | None:
    """The canonical kind of a printed title, or None if it names no known table."""
    t = normalize_title(title)
    if "表" not in t:
        return None
    for kind, need, avoid in TITLE_RULES:
        if all(w in t for w in need) and not any(w in t for w in avoid):
            return kind
    return None
