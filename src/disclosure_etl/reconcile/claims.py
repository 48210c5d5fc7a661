"""Pure: amounts the narrative states, read as clauses, checked against the tables.

A clause is `<subject> [为] <amount>万元 [，较/比上年…增加/减少 <change>万元] [，增长/下降 <pct>%]`.
The subject decides which table figure it refers to (`SUBJECT_RULES`);
figures the text does not tie to a table (工资福利支出 across basic and
project spending, 政府采购…) are left alone rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..records import Claim, Finding, LineItem, Section, Severity, Side, TableKind
from .tables import EXPANSIONS
from .tolerance import HALF

_NUM = r"\d[\d,，]*(?:\.\d+)?"
_CLAUSE_RE = re.compile(
    rf"(?P<subject>[\u4e00-\u9fa5“”\"（）()]{{2,40}}?)\s*(?:为|预算|安排|合计)?\s*(?P<amount>{_NUM})\s*万元"
)
_CHANGE_RE = re.compile(rf"^[^。；;万]*?(?:较|比)[^。；;，,]*?(?P<dir>增加|减少|增长|下降)\s*(?P<change>{_NUM})\s*万元")
_FLAT_RE = re.compile(r"^[^。；;]{0,6}?(与上年持平|比上年持平|与\d{4}年预算持平|持平)")
_PCT_RE = re.compile(rf"^[^。；;万]*?(?:增长|下降|上升|减少|增加)\s*(?P<pct>{_NUM})\s*%")


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a subject's figure lives: table, column, and the row chooser."""

    key: str
    tables: tuple[TableKind, ...]
    column: str
    row: Callable[[LineItem], bool]


def _total_row(it: LineItem) -> bool:
    return not it.subject_code and bool(re.match(r"^(合\s*计|总\s*计|支出总计|收入总计)$", it.row_label))


def _class_row(code: str) -> Callable[[LineItem], bool]:
    return lambda it: it.subject_code == code


K = TableKind
SUBJECT_RULES: tuple[tuple[str, Ref], ...] = (
    (r"收入预算总额|收入预算$|收入总计", Ref("revenue_total", (K.REVENUE_SUMMARY,), "total", _total_row)),
    (r"财政拨款支出预算总额|财政拨款支出预算$", Ref("fiscal_expenditure_total", (K.FISCAL_APPROPRIATION_SUMMARY,), "total", lambda it: it.side is Side.EXPENDITURE and _total_row(it))),
    (r"支出预算总额|支出预算$|支出总计", Ref("expenditure_total", (K.EXPENDITURE_SUMMARY,), "total", _total_row)),
    (r"财政拨款收入$", Ref("fiscal_revenue", (K.REVENUE_SUMMARY,), "fiscal_appropriation", _total_row)),
    (r"基本支出$", Ref("basic_total", (K.EXPENDITURE_SUMMARY,), "basic", _total_row)),
    (r"项目支出$", Ref("project_total", (K.EXPENDITURE_SUMMARY,), "project", _total_row)),
    (r"三公.{0,2}经费(财政拨款)?(安排|预算数?)?$", Ref("three_public_total", (K.THREE_PUBLIC_EXPENSES,), "three_public_total", lambda it: True)),
    (r"因公出国[（(]境[)）]费$", Ref("overseas_travel", (K.THREE_PUBLIC_EXPENSES,), "overseas_travel", lambda it: True)),
    (r"公务接待费$", Ref("reception", (K.THREE_PUBLIC_EXPENSES,), "reception", lambda it: True)),
    (r"公务用车运行(维护)?费$", Ref("vehicle_operation", (K.THREE_PUBLIC_EXPENSES,), "vehicle_operation", lambda it: True)),
    (r"公务用车购置(费)?$", Ref("vehicle_purchase", (K.THREE_PUBLIC_EXPENSES,), "vehicle_purchase", lambda it: True)),
)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def section_to_claims(section: Section) -> list[Claim]:
    """Every `<subject> <amount>万元` clause of a section, with its change and percentage."""
    claims = []
    text = re.sub(r"\s+", "", section.text)
    consumed = 0  # a change amount ('减少5.21万元') is part of its clause, not a clause
    for m in _CLAUSE_RE.finditer(text):
        if m.start("amount") < consumed:
            continue
        change, direction, pct, used = _change_after(text[m.end():])
        consumed = m.end() + used
        claims.append(
            Claim(
                section.key, section.pages[0] if section.pages else 0, _sentence(text, m.start(), m.end()),
                m.group("subject"), _num(m.group("amount")) * 10000, m.group("amount"), _decimals(m.group("amount")),
                change, direction, pct,
            )
        )
    return claims


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in "。；;") + 1
    stops = [i for c in "。；;" if (i := text.find(c, end)) >= 0]
    return text[left : min(stops) + 1 if stops else len(text)]


def _change_after(rest: str) -> tuple[Decimal | None, str | None, Decimal | None, int]:
    """The change and percentage stated right after an amount, and how much text they take."""
    nxt = _CLAUSE_RE.search(rest)
    window = rest[: nxt.start() if nxt else len(rest)]
    m = _CHANGE_RE.match(rest)
    if m:
        sign = 1 if m.group("dir") in ("增加", "增长") else -1
        pct_m = _PCT_RE.match(rest[m.end():])
        pct = _num(pct_m.group("pct")) if pct_m else None
        used = m.end() + (pct_m.end() if pct_m else 0)
        return sign * _num(m.group("change")) * 10000, m.group("dir"), pct, used
    if _FLAT_RE.match(window):
        return Decimal(0), "持平", None, 0
    return None, None, None, 0


def resolve_ref(subject: str, class_names: dict[str, str]) -> Ref | None:
    subject = subject.replace("“", "").replace("”", "").replace('"', "")
    subject = re.sub(r"^(其中|按支出功能科目划分|按支出项目类别划分)[:：]?", "", subject)
    for pattern, ref in SUBJECT_RULES:
        if re.search(pattern, subject):
            return ref
    for code, name in class_names.items():
        if subject.endswith(name) or subject.endswith(name.removesuffix("支出")):
            tables = (K.EXPENDITURE_SUMMARY, K.GENERAL_BUDGET_EXPENDITURE)
            return Ref(f"class_{code}", tables, "total", _class_row(code))
    return None


def table_value(ref: Ref, items: Sequence[LineItem]) -> tuple[Decimal, list[LineItem]] | None:
    """The printed figure for a reference; 0 when its table exists but has no such row."""
    for kind in ref.tables:
        in_table = [it for it in items if it.table_id is kind]
        if not in_table:
            continue
        hits = [it for it in in_table if it.column_key == ref.column and ref.row(it)]
        if not hits and ref.column == "total":
            hits = [it for it in in_table if it.column_key in ("general_budget", "amount") and ref.row(it)][:1]
        if not hits and ref.column in EXPANSIONS:
            # 财政拨款收入 printed only as its funds (一般公共预算 | 政府性基金 | 国有资本经营).
            hits = [it for it in in_table if it.column_key in EXPANSIONS[ref.column] and ref.row(it)]
        return sum((h.amount_yuan for h in hits), Decimal(0)), hits[:3]
    return None


def check_claims(doc_id: str, sections: Sequence[Section], items: Sequence[LineItem], class_names: dict[str, str]) -> list[Finding]:
    """Narrative amounts against the tables, and each year-over-year statement against itself."""
    out: list[Finding] = []
    for section in sections:
        if section.level == 2:
            continue  # its text is already inside its parent section
        for claim in section_to_claims(section):
            ref = resolve_ref(claim.subject, class_names)
            if ref is not None:
                out.extend(_check_amount(doc_id, claim, ref, items))
            out.extend(_check_change(doc_id, claim))
    return out


def _claim_half_unit(claim: Claim) -> Decimal:
    return HALF * Decimal(1).scaleb(-claim.decimals) * 10000


def _check_amount(doc_id: str, claim: Claim, ref: Ref, items: Sequence[LineItem]) -> list[Finding]:
    got = table_value(ref, items)
    if got is None:
        return []
    value, hits = got
    diff = claim.amount_yuan - value
    tol = _claim_half_unit(claim) + sum((HALF * Decimal(1).scaleb(-len(h.amount_text.partition(".")[2])) * h.unit.factor for h in hits), Decimal(0))
    if abs(diff) <= tol:
        return []
    table = hits[0].table_id.value if hits else ref.tables[0].value
    return [Finding(
        doc_id, "narrative_amount", Severity.ERROR,
        f"text says {claim.subject} {claim.amount_text}万元; {table} prints {value / 10000:f}万元 — 「{claim.sentence}」",
        table, value, claim.amount_yuan, diff, tol,
        tuple(sorted({claim.page_no} | {h.page_no for h in hits})), None, ref.column, tuple(h.bbox for h in hits),
    )]


def _check_change(doc_id: str, claim: Claim) -> list[Finding]:
    """current, change and percentage of one statement must agree: pct = change / prior."""
    if claim.change_yuan is None or claim.percent is None:
        return []
    prior = claim.amount_yuan - claim.change_yuan
    if prior == 0:
        return []
    implied = (abs(claim.change_yuan) / prior * 100).quantize(Decimal("0.01"))
    decimals = len(str(claim.percent).partition(".")[2])
    # The text's figures are rounded: allow the percentage their rounding explains.
    tol = HALF * Decimal(1).scaleb(-decimals) + abs(implied) * 2 * _claim_half_unit(claim) / max(abs(claim.change_yuan), Decimal(1))
    diff = claim.percent - implied
    if abs(diff) <= tol:
        return []
    return [Finding(
        doc_id, "narrative_percentage", Severity.ERROR,
        f"{claim.subject}: change {claim.change_yuan / 10000:f}万元 on a prior of {prior / 10000:f}万元 is {implied}%, text says {claim.percent}% — 「{claim.sentence}」",
        None, implied, claim.percent, diff, tol, (claim.page_no,),
    )]
