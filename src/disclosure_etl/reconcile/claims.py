"""Pure: amounts the narrative states, read as clauses of their own sentence.

A clause is `<subject> [为] <amount>万元 [，较/比上年…增加/减少 <change>万元] [，增长/下降 <pct>%] [，占…<share>%]`.
Every figure belongs to its own sentence (up to 。！？): a change or a share is
read only from the rest of its clause's sentence; a bare '占X%' is of the head
of the list it belongs to ('…合计307.82万元，其中：…') in the same sentence; a
change stated on its own ('比2023年度减少0.30万元') is no amount and heads no
list. Which table figure a subject names is decided in subjects.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..records import Section
from .subjects import class_names_of, clean_subject, resolve_ref, table_value  # noqa: F401  (re-exported)

@dataclass(frozen=True, slots=True)
class Claim:
    """An amount the narrative states, with what it refers to."""

    section_key: str
    page_no: int
    sentence: str
    subject: str
    amount_yuan: Decimal
    amount_text: str
    decimals: int
    change_yuan: Decimal | None = None
    direction: str | None = None
    percent: Decimal | None = None
    share: Decimal | None = None  # '占 60.48%'
    share_base_yuan: Decimal | None = None  # the figure the share is of
    share_base_decimals: int = 2
    change_basis: str = ""
    """What the change is against, as printed between 较/比 and the verb: '2024年预算', '上年预算安排'."""
    share_of: str = ""
    """What a share is said to be of, as printed ('本年支出合计' in '占本年支出合计的34.30%'); empty for a bare '占X%'."""
    code_hint: str | None = None
    """A subject code printed in parentheses in the clause's sentence ('小学教育（2050202），…决算数为…')."""


_NUM = r"\d[\d,，]*(?:\.\d+)?"
_CLAUSE_RE = re.compile(
    rf"(?P<subject>[\u4e00-\u9fa5“”\"（）()]{{2,40}}?)\s*(?:为|预算|安排|合计)?\s*(?P<amount>{_NUM})\s*万元"
)
_CHANGE_RE = re.compile(rf"^[^。；;万]*?(?:较|比)(?P<basis>[^。；;，,]*?)(?P<dir>增加|减少|增长|下降)\s*(?P<change>{_NUM})\s*万元")
# '与上年持平', '比2024年预算持平' (corpus: 普陀区人民政府办公室25年预算, p.6), or a bare '持平'.
_FLAT_RE = re.compile(r"^[^。；;]{0,6}?(?:(?:与|比|较)(?P<basis>上年[^。；;，,]{0,6}?|\d{4}年[^。；;，,]{0,8}?)持平|持平)")
_SHARE_RE = re.compile(rf"^[，,]?占(?P<of>[^，。；;%\d]{{0,20}}?)的?(?P<pct>{_NUM})%")
_HEAD_RE = re.compile(r"其中|以下方面|包括")
_PCT_RE = re.compile(rf"^[^。；;万]*?(?:增长|下降|上升|减少|增加|降低)\s*(?P<pct>{_NUM})\s*%")
# A clause whose subject holds a change verb or gives a reason states a change, not an amount
# ('比2023年度减少0.30万元', '主要原因是基本支出增加人员经费1408.29万元').
_CHANGE_SUBJECT_RE = re.compile(r"增加|减少|增长|下降|降低|上升|新增|节约|节省|超支|持平|原因|^(较|比)")
_SENTENCE_END_RE = re.compile(r"[。！？!?]")
# Every clause ends in '<digits>万元', and its subject and verb reach at most 40 + 2 characters before
# those digits (the text is compact, so `\s*` matches nothing): searching only those windows finds
# the clauses a scan of the whole text finds, and skips the long runs of text without an amount
# where the lazy 40-character subject is tried at every position (a fifth of the time this took).
_AMOUNT_END_RE = re.compile(r"\d[\d,，.]*万元")
_SUBJECT_REACH = 42
_SPACE_RE = re.compile(r"\s+")
_QUOTE_RE = re.compile(r"“[^”]{2,80}”")
_CODE_HINT_RE = re.compile(r"[（(](\d{3}|\d{5}|\d{7})[)）]")
# A share of one of these is of the head of the sentence's list, when it has one.
GENERIC_BASE_RE = re.compile(r"^(总额|合计|总计|总(支出|收入)|(收入|支出)(总额|合计|总计))$")


@dataclass(frozen=True, slots=True)
class _Text:
    """A section's text without whitespace, cut into sentences."""

    text: str
    ends: tuple[int, ...]  # offset just past each sentence's end mark

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.ends, pos)
        start = self.ends[i - 1] if i else 0
        end = self.ends[i] if i < len(self.ends) else len(self.text)
        return start, end


@lru_cache(maxsize=1024)
def compact(text: str) -> str:
    """`text` without whitespace; every rule reading a section asks it of the same texts."""
    return _SPACE_RE.sub("", text)


def sections_to_read(sections: Sequence[Section]) -> list[Section]:
    """Every section once: a subsection whose text its parent's text already holds is skipped
    (a parent printed with no text of its own, like a central 决算's '三、决算报表说明', is not)."""
    parents = [p for s in sections if s.level != 2 and (p := compact(s.text))]
    return [s for s in sections if s.level != 2 or not any(compact(s.text) in p for p in parents)]


def compact_text(section: Section) -> _Text:
    return _sentences(section.text)


@lru_cache(maxsize=256)
def _sentences(text: str) -> _Text:
    # Remembered: the claims, the completion statements and the list entries each cut the same text.
    text = compact(text)
    return _Text(text, tuple(m.end() for m in _SENTENCE_END_RE.finditer(text)))


def find_clauses(text: str) -> Iterator[re.Match[str]]:
    """`_CLAUSE_RE.finditer(text)` of a compact text, searched only near each '<digits>万元'."""
    pos = 0
    for anchor in _AMOUNT_END_RE.finditer(text):
        m = _CLAUSE_RE.search(text, max(pos, anchor.start() - _SUBJECT_REACH), anchor.end())
        if m is not None:
            yield m
            pos = m.end()


def _first_clause(text: str) -> re.Match[str] | None:
    return next(find_clauses(text), None)


def claim_subject(claim: Claim) -> str:
    """The clause's subject; a quoted subject chain is taken whole from the sentence:
    '“A-B-C”科目' or '“A（类）B（款）C（项）”'."""
    sentence, tail = claim.sentence, claim.amount_text + "万元"
    # A pattern built per claim ('“…”(科目)?(?=<amount>万元)') filled the re module's cache: the
    # same search, by hand, at every opening quote.
    start = sentence.find("“")
    while start >= 0:
        m = _QUOTE_RE.match(sentence, start)
        if m is not None:
            end = m.end()
            if sentence.startswith("科目" + tail, end):
                return sentence[start:end + 2]
            if sentence.startswith(tail, end):
                return m.group(0)
        start = sentence.find("“", start + 1)
    return claim.subject


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def section_to_claims(section: Section) -> list[Claim]:
    """Every `<subject> <amount>万元` clause of a section, with its change, percentage and share."""
    doc = compact_text(section)
    text = doc.text
    claims: list[Claim] = []
    consumed = 0  # a change amount ('减少5.21万元') is part of its clause, not a clause
    head: tuple[Claim, int] | None = None  # the figure a following '其中…占X%' list is a share of, and its sentence
    for m in find_clauses(text):
        subject = _clean_subject(m.group("subject"))
        if m.start("amount") < consumed or _CHANGE_SUBJECT_RE.search(subject):
            continue
        start, end = doc.sentence_of(m.start("amount"))
        rest = text[m.end():end]
        nxt = _first_clause(rest)
        change, direction, pct, used, basis = _change_after(rest, nxt)
        share, share_of, share_used = _share_after(rest)
        consumed = m.end() + max(used, share_used)
        base = head[0] if share is not None and head is not None and head[1] == start and (not share_of or GENERIC_BASE_RE.match(share_of)) else None
        hints = set(_CODE_HINT_RE.findall(text[start:m.start("amount")]))
        claim = Claim(
            section.key, section.page_at(m.start()), text[start:end], subject,
            _num(m.group("amount")) * 10000, m.group("amount"), _decimals(m.group("amount")),
            change, direction, pct, share, base.amount_yuan if base else None, base.decimals if base else 2, basis,
            share_of, hints.pop() if len(hints) == 1 else None,
        )
        claims.append(claim)
        # '…总计457,676.75万元，其中基本支出…': the list word may open the next clause's subject.
        if _HEAD_RE.search(rest[: nxt.end("subject") if nxt else len(rest)]):
            head = (claim, start)
    return claims


def _clean_subject(subject: str) -> str:
    """'年部门机关运行费' (after '2024') → '部门机关运行费'; '）一般公共预算收入' (after '（1') → '一般公共预算收入'."""
    subject = re.sub(r"^[）)]+", "", subject)
    return re.sub(r"^(年度?|度)", "", subject)


def _share_after(rest: str) -> tuple[Decimal | None, str, int]:
    m = _SHARE_RE.match(rest)
    if not m:
        return None, "", 0
    return _num(m.group("pct")), clean_subject(m.group("of") or ""), m.end()


def _change_after(rest: str, nxt: re.Match[str] | None) -> tuple[Decimal | None, str | None, Decimal | None, int, str]:
    """The change and percentage stated right after an amount (in its sentence), how much text
    they take, and what the change is against ('2024年预算' in '比2024年预算减少…'); `nxt`: the
    next clause of `rest`."""
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


# ------------------------------------------------------------------ completion statements

_BUDGET_RE = re.compile(rf"(?P<which>年初|全年|调整)?预算(?:数)?(?:为|是)?(?P<a>{_NUM})万元")
_FINAL_RE = re.compile(rf"决算(?:数)?(?:为|是)?(?P<b>{_NUM})万元")
_DONE_RE = re.compile(rf"完成(?P<which>年初|全年|调整)?预算(?:数)?的(?P<c>{_NUM})%")


@dataclass(frozen=True, slots=True)
class Completion:
    """'年初预算为A万元，…决算为B万元，完成年初预算的C%': C should be B ÷ A."""

    page_no: int
    sentence: str
    which: str
    budget_text: str
    final_text: str
    percent: Decimal


def section_to_completions(section: Section) -> list[Completion]:
    """Every '完成…预算的C%' with the budget it names and the 决算 figure before it, in its own sentence."""
    doc = compact_text(section)
    out: list[Completion] = []
    if "完成" not in doc.text:  # every statement holds it: no search over the text
        return out
    for m in _DONE_RE.finditer(doc.text):
        start, end = doc.sentence_of(m.start())
        before = doc.text[start:m.start()]
        budgets = list(_BUDGET_RE.finditer(before))
        finals = list(_FINAL_RE.finditer(before))
        which = m.group("which") or ""
        named = [b for b in budgets if (b.group("which") or "") == which] if which else budgets
        if not finals or len(named) != 1 and not (which and named):
            continue
        out.append(Completion(section.page_at(m.start()), doc.text[start:end], which or "预算",
                              named[-1].group("a"), finals[-1].group("b"), _num(m.group("c"))))
    return out
