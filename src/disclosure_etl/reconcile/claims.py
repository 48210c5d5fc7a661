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

from ..records import Claim, LineItem, Section, Side, TableKind
from .tables import EXPANSIONS

_NUM = r"\d[\d,，]*(?:\.\d+)?"
_CLAUSE_RE = re.compile(
    rf"(?P<subject>[\u4e00-\u9fa5“”\"（）()]{{2,40}}?)\s*(?:为|预算|安排|合计)?\s*(?P<amount>{_NUM})\s*万元"
)
_CHANGE_RE = re.compile(rf"^[^。；;万]*?(?:较|比)(?P<basis>[^。；;，,]*?)(?P<dir>增加|减少|增长|下降)\s*(?P<change>{_NUM})\s*万元")
# '与上年持平', '比2024年预算持平' (corpus: 普陀区人民政府办公室25年预算, p.6), or a bare '持平'.
_FLAT_RE = re.compile(r"^[^。；;]{0,6}?(?:(?:与|比|较)(?P<basis>上年[^。；;，,]{0,6}?|\d{4}年[^。；;，,]{0,8}?)持平|持平)")
_SHARE_RE = re.compile(rf"^[，,]?占(?P<of>[^，。；;%\d]{{0,20}}?)的?(?P<pct>{_NUM})%")
_HEAD_RE = re.compile(r"其中|以下方面|包括")
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


def _side_total(side: Side) -> Callable[[LineItem], bool]:
    return lambda it: it.side is side and _total_row(it)


def _any_row(it: LineItem) -> bool:
    return True


# '收入'/'支出' alone, or right after the owner's name or the year, is the whole budget
# ('…办公室收入9,101.68万元'); after any other word it is a part ('工资福利支出').
_WHOLE = r"(^|(?<=[年局室处部委办会院所站心队司厅]))"
K = TableKind
_FAS = (K.FISCAL_APPROPRIATION_SUMMARY,)
_TPE = (K.THREE_PUBLIC_EXPENSES,)
SUBJECT_RULES: tuple[tuple[str, Ref], ...] = (
    (r"财政拨款支出预算总额|财政拨款支出(预算)?$", Ref("fiscal_expenditure_total", _FAS, "total", _side_total(Side.EXPENDITURE))),
    (r"一般公共预算(拨款)?支出(预算)?$", Ref("general_budget_total", _FAS, "general_budget", _side_total(Side.EXPENDITURE))),
    (r"政府性基金(预算)?(拨款)?支出(预算)?$", Ref("government_fund_total", _FAS, "government_fund", _side_total(Side.EXPENDITURE))),
    (r"国有资本经营(预算)?(拨款)?支出(预算)?$", Ref("state_capital_total", _FAS, "state_capital", _side_total(Side.EXPENDITURE))),
    (r"财政拨款收入$", Ref("fiscal_revenue", (K.REVENUE_SUMMARY,), "fiscal_appropriation", _total_row)),
    (r"事业单位经营收入$", Ref("operating_income", (K.REVENUE_SUMMARY,), "operating_income", _total_row)),
    (r"事业收入$", Ref("business_income", (K.REVENUE_SUMMARY,), "business_income", _total_row)),
    (r"其他收入$", Ref("other_income", (K.REVENUE_SUMMARY,), "other_income", _total_row)),
    (r"收入预算总额|收入总计$|" + _WHOLE + r"收入(预算)?$", Ref("revenue_total", (K.REVENUE_SUMMARY,), "total", _total_row)),
    (r"基本支出$", Ref("basic_total", (K.EXPENDITURE_SUMMARY,), "basic", _total_row)),
    (r"项目支出$", Ref("project_total", (K.EXPENDITURE_SUMMARY,), "project", _total_row)),
    (r"三公.{0,2}经费(财政拨款)?(安排|预算数?)?$", Ref("three_public_total", _TPE, "three_public_total", _any_row)),
    (r"因公出国[（(]境[)）]费$", Ref("overseas_travel", _TPE, "overseas_travel", _any_row)),
    (r"公务接待费$", Ref("reception", _TPE, "reception", _any_row)),
    (r"公务用车购置及运行(维护)?费$", Ref("vehicle_total", _TPE, "vehicle_total", _any_row)),
    (r"公务用车运行(维护)?费$", Ref("vehicle_operation", _TPE, "vehicle_operation", _any_row)),
    (r"公务用车购置(费)?$", Ref("vehicle_purchase", _TPE, "vehicle_purchase", _any_row)),
    (r"机关运行(经)?费(预算)?$", Ref("office_operation", _TPE, "office_operation", _any_row)),
    # Generic totals last: '…办公室收入9,101.68万元' / '支出预算9,101.68万元'.
    (r"支出预算总额|支出总计$|" + _WHOLE + r"支出(预算)?$", Ref("expenditure_total", (K.EXPENDITURE_SUMMARY,), "total", _total_row)),
)
_CHAIN_RE = re.compile(r"“(?P<chain>[^”]{2,80})”(科目)?$")
_CHAIN_SPLIT_RE = re.compile(r"[-－—]|[（(][类款项][）)]")


def claim_subject(claim: Claim) -> str:
    """The clause's subject; a quoted subject chain is taken whole from the sentence:
    '“A-B-C”科目' or '“A（类）B（款）C（项）”'."""
    m = re.search(r"“[^”]{2,80}”(科目)?(?=" + re.escape(claim.amount_text) + r"万元)", claim.sentence)
    return m.group(0) if m else claim.subject


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def section_to_claims(section: Section) -> list[Claim]:
    """Every `<subject> <amount>万元` clause of a section, with its change, percentage and share."""
    claims: list[Claim] = []
    text = re.sub(r"\s+", "", section.text)
    consumed = 0  # a change amount ('减少5.21万元') is part of its clause, not a clause
    head: Claim | None = None  # the figure a following '其中…占X%' list is a share of
    for m in _CLAUSE_RE.finditer(text):
        if m.start("amount") < consumed:
            continue
        rest = text[m.end():]
        change, direction, pct, used, basis = _change_after(rest)
        share, share_of, share_used = _share_after(rest)
        consumed = m.end() + max(used, share_used)
        base = _share_base(share_of, claims, head) if share is not None else None
        claim = Claim(
            section.key, section.page_at(m.start()), _sentence(text, m.start(), m.end()),
            _clean_subject(m.group("subject")), _num(m.group("amount")) * 10000, m.group("amount"), _decimals(m.group("amount")),
            change, direction, pct, share,
            base.amount_yuan if base else None, base.decimals if base else 2, basis,
        )
        claims.append(claim)
        nxt = _CLAUSE_RE.search(rest)
        if _HEAD_RE.search(rest[: nxt.start() if nxt else len(rest)]):
            head = claim
    return claims


def _clean_subject(subject: str) -> str:
    """'年部门机关运行费' (after '2024') → '部门机关运行费'."""
    return re.sub(r"^(年度?|度)", "", subject)


def _share_after(rest: str) -> tuple[Decimal | None, str, int]:
    m = _SHARE_RE.match(rest)
    if not m:
        return None, "", 0
    return _num(m.group("pct")), m.group("of") or "", m.end()


def _share_base(share_of: str, claims: list[Claim], head: Claim | None) -> Claim | None:
    """'占本年支出合计的34.30%' names its base; a bare '占34.30%' is of the list's head."""
    if share_of:
        named = [c for c in claims if c.subject.endswith(share_of) or share_of.endswith(c.subject[-6:])]
        if named:
            return named[-1]
    return head


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in "。；;") + 1
    stops = [i for c in "。；;" if (i := text.find(c, end)) >= 0]
    return text[left : min(stops) + 1 if stops else len(text)]


def _change_after(rest: str) -> tuple[Decimal | None, str | None, Decimal | None, int, str]:
    """The change and percentage stated right after an amount, how much text they take, and what
    the change is against ('2024年预算' in '比2024年预算减少…')."""
    nxt = _CLAUSE_RE.search(rest)
    window = rest[: nxt.start() if nxt else len(rest)]
    m = _CHANGE_RE.match(rest)
    if m:
        sign = 1 if m.group("dir") in ("增加", "增长") else -1
        pct_m = _PCT_RE.match(rest[m.end():])
        pct = _num(pct_m.group("pct")) if pct_m else None
        used = m.end() + (pct_m.end() if pct_m else 0)
        return sign * _num(m.group("change")) * 10000, m.group("dir"), pct, used, m.group("basis")
    flat = _FLAT_RE.match(window)
    if flat:
        return Decimal(0), "持平", None, 0, flat.group("basis") or ""
    return None, None, None, 0, ""


def resolve_ref(subject: str, class_names: dict[str, str], items: Sequence[LineItem] = ()) -> Ref | None:
    """What table figure a clause's subject names, or None when the text ties it to none."""
    chain = _CHAIN_RE.search(subject)
    if chain:
        names = [n for n in _CHAIN_SPLIT_RE.split(chain.group("chain")) if n]
        return _chain_ref(names, items) if len(names) > 1 else None
    subject = subject.replace("“", "").replace("”", "").replace('"', "")
    subject = re.sub(r"^(其中|按支出功能科目划分|按支出项目类别划分)[:：]?", "", subject)
    for pattern, ref in SUBJECT_RULES:
        if re.search(pattern, subject):
            return ref
    for code, name in class_names.items():
        if subject.endswith(name):
            return Ref(f"class_{code}", (K.EXPENDITURE_SUMMARY, K.GENERAL_BUDGET_EXPENDITURE), "total", _class_row(code))
    return None


def _chain_ref(names: list[str], items: Sequence[LineItem]) -> Ref | None:
    """'一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行' → the 项 under that 类 and 款."""
    by_code = {it.subject_code: it.subject_name for it in items if it.subject_code and it.subject_name}
    for code, name in by_code.items():
        if len(code) != 2 * len(names) + 1 or name != names[-1]:
            continue
        parents = [code[:3], code[:5]][: len(names) - 1]
        if all(by_code.get(p) == n for p, n in zip(parents, names)):
            return Ref(f"subject_{code}", (K.GENERAL_BUDGET_EXPENDITURE, K.EXPENDITURE_SUMMARY), "total", _class_row(code))
    return None


def table_value(ref: Ref, items: Sequence[LineItem]) -> tuple[Decimal, list[LineItem]] | None:
    """The printed figure for a reference; 0 when its table exists but has no such row."""
    for kind in ref.tables:
        in_table = [it for it in items if it.table_id is kind]
        if not in_table:
            continue
        columns = {it.column_key for it in in_table}
        if not columns & ({ref.column, "general_budget", "amount"} | set(EXPANSIONS.get(ref.column, ()))):
            return None  # the table does not print this figure (no 机关运行经费 column)
        hits = [it for it in in_table if it.column_key == ref.column and ref.row(it)]
        if not hits and ref.column == "total":
            hits = [it for it in in_table if it.column_key in ("general_budget", "amount") and ref.row(it)][:1]
        if not hits and ref.column in EXPANSIONS:
            # 财政拨款收入 printed only as its funds (一般公共预算 | 政府性基金 | 国有资本经营).
            hits = [it for it in in_table if it.column_key in EXPANSIONS[ref.column] and ref.row(it)]
        return sum((h.amount_yuan for h in hits), Decimal(0)), hits[:3]
    return None


def class_names_of(names: dict[str, str]) -> dict[str, str]:
    """Functional 类 names the text may name; a name shared with an economic class
    ('其他支出' is also 399) says nothing about which table it means."""
    economic = {name for code, name in names.items() if code.startswith("3")}
    return {code: name for code, name in names.items() if len(code) == 3 and code.startswith("2") and name not in economic}
