"""Pure: printed table titles -> canonical `TableKind`.

Titles vary by province and year; the variants are rows of one alias table
(data/table_aliases.csv). A title is reduced to its core — no spaces, quotes
or punctuation, no leading number (`一、`, `表1：`, `公开01表`), no year, no
trailing parenthesis (`（功能科目）`, `（2023年度）`, `（续）`) — and the longest
alias the core ends with names the table; whatever precedes it is the
department's name. When that prefix ends with a word that changes a table's
identity (data/title_qualifiers.csv: '财政拨款', '基本', …) the alias does not
apply. A title no alias fits gets no id: never a guess. Row order in the data
files never changes the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..catalogue import data_rows
from ..records import TableKind

K = TableKind
# A title's leading number, read before spaces are dropped ('表1 2024年…' must not become '表12024年…'):
# 表1、 公开表一 附表1-2： 附件3-1 公开01表 一、 （一） 1. 1.1 and '01 ' before the title.
_NUMBER_PREFIX_RE = re.compile(
    r"^\s*(?:"
    r"(?:(?:部门)?公开|附)?表\s*[0-9一二三四五六七八九十]+(?:\s*[-—–.．]\s*[0-9]+)*\s*[:：、.．]?"
    r"|附件\s*[0-9一二三四五六七八九十]+(?:\s*[-—–.．]\s*[0-9]+)*\s*[:：、.．]?"
    r"|公开[0-9]+表"
    r"|[一二三四五六七八九十]+\s*[、.．]"
    r"|[(（][一二三四五六七八九十\d]+[)）]"
    r"|\d+(?:[-—–.．]\d+)*\s+"
    r"|\d+(?:[-—–.．]\d+)*\s*[、.．:：]"
    r")"
)
_YEAR_RE = re.compile(r"\d{4}年度?")
_TRAILING_PAREN_RE = re.compile(r"[(（][^()（）]*[)）]$")
_SPACE_QUOTE_RE = re.compile(r"[\s“”\"'‘’《》〈〉「」]")
_PUNCT_RE = re.compile(r"[、，,·・：:]")


@dataclass(frozen=True, slots=True)
class TitleVocabulary:
    aliases: dict[str, TableKind]
    qualifiers: tuple[str, ...]


@lru_cache(maxsize=1)
def title_vocabulary() -> TitleVocabulary:
    aliases = {title_core(r["alias"]): TableKind(r["table_id"]) for r in data_rows("table_aliases.csv")}
    qualifiers = tuple(r["qualifier"] for r in data_rows("title_qualifiers.csv"))
    return TitleVocabulary(aliases, qualifiers)


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
    """Full-width to half-width, no spaces or quotes."""
    return _SPACE_QUOTE_RE.sub("", unicodedata.normalize("NFKC", title))


def title_core(title: str) -> str:
    """The title without its number, year and trailing parentheses."""
    t = normalize_title(_NUMBER_PREFIX_RE.sub("", unicodedata.normalize("NFKC", title), count=1))
    while (m := _TRAILING_PAREN_RE.search(t)) and m.start() > 0:
        t = t[: m.start()]
    return _PUNCT_RE.sub("", _YEAR_RE.sub("", t))


def title_parts(title: str, vocabulary: TitleVocabulary | None = None) -> tuple[str, TableKind | None]:
    """The text before the alias (the department's name, as some titles print it) and the table's kind.

    '一、2017年度江苏省高级人民法院部门收支预算总表' → ('江苏省高级人民法院部门', REVENUE_EXPENDITURE_SUMMARY).
    """
    return _parts(title, vocabulary) if vocabulary is not None else _default_parts(title)


@lru_cache(maxsize=8192)
def _default_parts(title: str) -> tuple[str, TableKind | None]:
    """`title_parts` with the data files' vocabulary: asked of the same titles and 目录 entries over and over."""
    return _parts(title, title_vocabulary())


def _parts(title: str, vocabulary: TitleVocabulary) -> tuple[str, TableKind | None]:
    core = title_core(title)
    if not core.endswith("表"):
        return "", None
    best = max((a for a in vocabulary.aliases if core.endswith(a)), key=len, default=None)
    if best is None:
        return "", None
    prefix = core[: -len(best)]
    if prefix.endswith(vocabulary.qualifiers):
        return "", None
    return prefix, vocabulary.aliases[best]


def title_to_kind(title: str, vocabulary: TitleVocabulary | None = None) -> TableKind | None:
    """The canonical kind of a printed title, or None if it names no known table."""
    return title_parts(title, vocabulary)[1]
