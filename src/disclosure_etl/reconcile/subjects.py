"""Pure: which table figure a narrative subject names (data/narrative_subjects.csv).

A row of the data says: a subject matching `pattern` (in a section whose
heading matches `context`, when given) names the figure of the first of its
`terms` whose table and column the document prints. Budget and final-accounts
tables sit in one row's terms: a document prints only its own kind. A 类
named by its official name, a chain 'A（类）B（款）C（项）' or '“A-B-C”', and a
code printed in parentheses ('小学教育（2050202）') name that subject's row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from ..records import LineItem, TableKind
from .memo import same_arguments
from .terms import RowTexts, Term, parse_term, pick

_PAREN_SPACE_RE = re.compile(r"[（）()\s]")

K = TableKind


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a subject's figure lives: the terms tried in order."""

    key: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class SubjectRule:
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None
    ref: Ref


@lru_cache(maxsize=1)
def subject_rules() -> tuple[SubjectRule, ...]:
    text = resources.files("disclosure_etl.data").joinpath("narrative_subjects.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        terms = tuple(parse_term(t) for t in row["terms"].split(";"))
        context = re.compile(row["context"]) if row["context"] else None
        out.append(SubjectRule(re.compile(row["pattern"]), context, Ref(row["key"], terms)))
    return tuple(out)


# Where a 类/款/项 named in the text is looked up, by the section it is said in.
_CODE_TABLES: tuple[tuple[str, tuple[TableKind, ...]], ...] = (
    ("一般公共预算", (K.FINAL_GENERAL_BUDGET_EXPENDITURE, K.GENERAL_BUDGET_EXPENDITURE)),
    ("财政拨款", (K.FINAL_FISCAL_APPROPRIATION_EXPENDITURE, K.FISCAL_APPROPRIATION_EXPENDITURE, K.FINAL_GENERAL_BUDGET_EXPENDITURE, K.GENERAL_BUDGET_EXPENDITURE)),
    ("", (K.FINAL_EXPENDITURE, K.EXPENDITURE_SUMMARY, K.GENERAL_BUDGET_EXPENDITURE, K.FINAL_GENERAL_BUDGET_EXPENDITURE)),
)
_CHAIN_QUOTED_RE = re.compile(r"“(?P<chain>[^”]{2,80})”(科目)?$")
_CHAIN_SPLIT_RE = re.compile(r"[-－—]|[（(][类款项][）)]")
_MARKED_RE = re.compile(r"(?P<name>[\u4e00-\u9fa5、]+?)[（(](?P<level>[类款项])[）)]")
_PREFIX_RE = re.compile(r"^([）)\]】、.．\d]+|其中[:：]?|按支出功能科目划分[:：]?|按支出项目类别划分[:：]?|主要用于[:：]?)+")


def code_ref(code: str, context: str = "") -> Ref:
    """The row of a subject code in the expenditure tables the section's context points at."""
    tables = next(t for word, t in _CODE_TABLES if word in context)
    kind = "class" if len(code) == 3 else "subject"
    return Ref(f"{kind}_{code}", tuple(parse_term(f"{t.value}.total|amount@code={code}") for t in tables))


def clean_subject(subject: str) -> str:
    subject = subject.replace("“", "").replace("”", "").replace('"', "")
    return _PREFIX_RE.sub("", subject)


def resolve_ref(subject: str, class_names: dict[str, str], items: Sequence[LineItem] = (), context: str = "", code_hint: str | None = None) -> Ref | None:
    """What table figure a clause's subject names, or None when the text ties it to none."""
    quoted = _CHAIN_QUOTED_RE.search(subject)
    if quoted:
        names = [n for n in _CHAIN_SPLIT_RE.split(quoted.group("chain")) if n]
        return _chain_ref(names, items, context) if len(names) > 1 else None
    marked = [m.group("name") for m in _MARKED_RE.finditer(subject)]
    if len(marked) > 1 or (marked and subject.rstrip("支出").endswith(("（项）", "(项)", "（款）", "(款)"))):
        return _chain_ref(marked, items, context)
    plain = clean_subject(re.sub(r"[（(]类[）)]$", "", subject))
    ref = _rule_ref(plain, context)
    if ref is not None:
        return ref
    for code, name in class_names.items():
        if plain.endswith(name):
            return code_ref(code, context)
    if code_hint:
        return code_ref(code_hint, context)
    return None


@lru_cache(maxsize=4096)
def _rule_ref(plain: str, context: str) -> Ref | None:
    """The first subject rule naming `plain` in `context` (remembered: documents name the same subjects
    under the same headings, and the rules are tried one by one)."""
    for rule in subject_rules():
        if rule.pattern.search(plain) and (rule.context is None or rule.context.search(context)):
            return rule.ref
    return None


def _chain_ref(names: list[str], items: Sequence[LineItem], context: str) -> Ref | None:
    """'一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行' (or its tail) → that subject's row."""
    names = [re.sub(r"支出$", "", n) if i == len(names) - 1 and len(names) > 1 else n for i, n in enumerate(names)]
    wanted = [_bare(n) for n in names]
    by_code = _bare_names(items)
    found = []
    for code, name in by_code.items():
        if len(code) < 2 * len(names) + 1 or not _same(name, wanted[-1]):
            continue
        parents = [code[: len(code) - 2 * k] for k in range(len(names) - 1, 0, -1)]
        if all(_same(by_code.get(p, ""), n) for p, n in zip(parents, wanted[:-1])):
            found.append(code)
    return code_ref(found[0], context) if len(set(found)) == 1 else None


def _bare(name: str) -> str:
    return _PAREN_SPACE_RE.sub("", name)


def _bare_names(items: Sequence[LineItem]) -> dict[str, str]:
    """Each printed subject's name, without brackets and spaces, by code (the last printed wins)."""
    if isinstance(items, tuple):  # unchangeable: one document's items, asked again for each chain it names
        return _bare_names_of(items)
    return _names_to_bare(items)


def _names_to_bare(items: Sequence[LineItem]) -> dict[str, str]:
    by_code = {it.subject_code: it.subject_name for it in items if it.subject_code and it.subject_name}
    return {code: _bare(name) for code, name in by_code.items() if code is not None and name is not None}


_bare_names_of = same_arguments(_names_to_bare)


def _same(a: str, b: str) -> bool:
    """Two bare names of one subject, the one with 支出 or without."""
    return a == b or a == b + "支出" or b == a + "支出"


def table_value(ref: Ref, items: Sequence[LineItem], row_texts: RowTexts | None = None) -> tuple[Decimal, list[LineItem]] | None:
    """The printed figure a reference names (0 when its table prints the column but not the row); None when no
    table of its terms prints it."""
    for term in ref.terms:
        got = pick(term, items, row_texts)
        if got is not None:
            return sum((h.amount_yuan for h in got), Decimal(0)), got[:3]
    return None


@same_arguments
def class_names_of(names: dict[str, str]) -> dict[str, str]:
    """Functional 类 names the text may name; a name shared with an economic class
    ('其他支出' is also 399) says nothing about which table it means."""
    economic = {name for code, name in names.items() if code.startswith("3")}
    return {code: name for code, name in names.items() if len(code) == 3 and code.startswith("2") and name not in economic}
