"""Pure: a class's stated change against the changes its items state one by one.

Jiangsu narratives state each functional class with its change
('1．公共安全（类）支出16,593.12万元。主要用于…。与上年相比增加134.37万元') and
then, under the class's heading, each of its 项 with its own change
('（一）公共安全（类）1．检察（款）行政运行（项）支出12,268.62万元，与上年相比
增加1385.26万元…'); the items' changes should add up to the class's change
(corpus: 江苏省高级人民法院2017 p.19–22).

The text is read as a list: each marker ('一、', '（一）', '1．', '（1）') opens an
entry that runs to the next marker. An entry's figures are read only from the
entry itself: its amount right after its subject, its change from the first
clause that begins with 与上年相比 / 比上年 / 较上年 (a sentence that states only
a change refers back to its entry's subject), 持平 / 一致 / 相同 as 0, an item
new this year (今年新增, 上年…无此项) as its whole amount. The items are the
entries numbered '1．' (or '（1）') right after the class's '（一）' heading whose
subject names a 项. A class is checked only where every item states its change
against what the class's change is against (last year's budget, or its 执行数),
and the items' amounts add up to the amount stated with the class's change:
items of another scope (the fiscal items of a class whose stated amount
includes other money) or a list that leaves an item out are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..records import Finding, Section
from .claims import compact_text, sections_to_read
from .memo import same_arguments
from .registry import new_finding
from .tolerance import WAN, classify, half_unit, sum_tolerance

_NUM = r"\d[\d,，]*(?:\.\d+)?"
# A list marker at the start of the text or after a clause or heading ends; a digit marker
# is never the integer part of a decimal ('6.59%').
_MARKER_RE = re.compile(r"(?:^|(?<=[。：:；;）)]))(?P<m>[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[．.、](?!\d)|[（(]\d{1,2}[）)])")
_HEAD_RE = re.compile(rf"^(?P<subject>[^\d。；;，,：:]{{2,60}}?)(?:支出|预算数?|为|安排)*(?P<amount>{_NUM})万元")
_BARE_HEAD_RE = re.compile(r"^(?P<subject>[^\d。；;，,：:]{2,40})[：:]?$")
_CHANGE_RE = re.compile(
    rf"(?:^|(?<=[，,。；;]))(?:与上年(?:相比|比较)?|比上年|较上年|同比)[，,]?(?P<basis>[^。；;，,\d]{{0,16}}?)"
    rf"(?P<dir>增加|减少|增长|下降|上升|降低)了?(?P<change>{_NUM})万元"
)
_FLAT_RE = re.compile(r"(?:^|(?<=[，,。；;]))(?:与上年(?:相比)?|比上年|较上年)(?:保持)?(?:持平|一致|相同|不变)")
# New this year: '此项支出是今年新增支出', '上年《财政拨款支出预算表》（表5）无此项级科目' — not a reason
# that names something new ('主要原因是新增项目经费'), which says nothing of last year's amount.
_NEW_RE = re.compile(r"(?:今年|本年)新增[^。；;，,]*|此项(?:支出)?(?:为|是)新增[^。；;，,]*|上年[^。；;]{0,30}无此[^。；;，,]*")
_ITEM_RE = re.compile(r"[（(]项[）)]")
_SECTION_RE = re.compile(r"[（(]款[）)]")
_CLASS_MARK_RE = re.compile(r"[（(]类[）)]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a narrative list: what its marker opens, up to the next marker."""

    marker: str
    subject: str
    amount_text: str | None
    change_text: str | None
    """The change as printed ('-1311.6', '0' for 持平); None when the entry states none."""
    new: bool
    basis: str
    """What the change is against when the text says ('执行数': last year's outturn); '' for last year's budget."""
    page_no: int
    quote: str
    """The entry as printed, up to the end of what states its change (or of its amount)."""

    @property
    def amount(self) -> Decimal | None:
        return _num(self.amount_text) * WAN if self.amount_text else None

    @property
    def change(self) -> Decimal | None:
        """The change in yuan: stated, 0 for 持平, the whole amount for an item new this year."""
        if self.change_text is not None:
            return _num(self.change_text) * WAN
        return self.amount if self.new else None

    @property
    def change_half(self) -> Decimal:
        """Half a unit of the change's last printed digit (0 for 持平, which is exact)."""
        text = self.change_text if self.change_text is not None else self.amount_text if self.new else None
        if text is None or text == "0":
            return Decimal(0)
        return half_unit(len(text.partition(".")[2]), WAN)

    @property
    def is_item(self) -> bool:
        return bool(_ITEM_RE.search(self.subject))


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _marker_kind(marker: str) -> str:
    if marker.endswith("、") and not marker[0].isdigit():
        return "part"
    if marker[0] in "（(":
        return "number" if marker[1].isdigit() else "class"
    return "item"


class _Said(NamedTuple):
    change: str | None
    new: bool
    end: int
    basis: str = ""


def _basis(text: str) -> str:
    return "执行数" if "执行" in text else "决算" if "决算" in text else ""


def _change_of(rest: str) -> _Said:
    """The entry's own change (signed, as printed), whether it says the entry is new this year, where what
    says so ends in `rest` (the entry's text after its amount), and what the change is against."""
    change, flat = _CHANGE_RE.search(rest), _FLAT_RE.search(rest)
    if change and not (flat and flat.start() < change.start()):
        sign = "" if change.group("dir") in ("增加", "增长", "上升") else "-"
        return _Said(sign + change.group("change").replace(",", "").replace("，", ""), False, change.end(), _basis(change.group("basis")))
    if flat:
        return _Said("0", False, flat.end())
    new = _NEW_RE.search(rest)
    return _Said(None, new is not None, new.end() if new else 0)


def section_to_entries(section: Section) -> list[Entry]:
    """Every list entry of a section, with the subject, amount and change it states."""
    doc = compact_text(section)
    text = doc.text
    marks = list(_MARKER_RE.finditer(text))
    out = []
    for n, m in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        body = text[m.end():end]
        head = _HEAD_RE.match(body)
        bare = None if head else _BARE_HEAD_RE.match(body)
        if head is None and bare is None:
            continue
        subject = (head or bare).group("subject")  # type: ignore[union-attr]
        said = _change_of(body[head.end():]) if head else _Said(None, False, 0)
        quote = m.group("m") + body[: head.end() + said.end] if head else m.group("m") + body
        out.append(Entry(m.group("m"), subject, head.group("amount") if head else None, said.change, said.new, said.basis,
                         section.page_at(m.start()), quote))
    return out


def class_of(subject: str, class_names: dict[str, str]) -> str | None:
    """The functional class an entry's subject names ('公共安全（类）支出', '一般公共服务（类）'), if it names one
    and no 款 or 项 within it."""
    if _ITEM_RE.search(subject) or _SECTION_RE.search(subject):
        return None
    name = _CLASS_MARK_RE.sub("", subject)
    name = name if name.endswith("支出") else name + "支出"
    return _codes_by_name(class_names).get(name)


@same_arguments
def _codes_by_name(class_names: dict[str, str]) -> dict[str, str]:
    """The first code of each class name (each entry looked its name up among all of them)."""
    out: dict[str, str] = {}
    for code, official in class_names.items():
        out.setdefault(official, code)
    return out


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A class's heading entry and the item entries listed under it."""

    code: str
    head: Entry
    items: tuple[Entry, ...]


def entries_to_breakdowns(entries: Sequence[Entry], class_names: dict[str, str]) -> list[Breakdown]:
    """Each '（一）<class>' entry with the numbered 项 entries that follow it."""
    out = []
    for n, entry in enumerate(entries):
        code = class_of(entry.subject, class_names)
        if code is None or _marker_kind(entry.marker) != "class":
            continue
        items: list[Entry] = []
        for nxt in entries[n + 1:]:
            kind = _marker_kind(nxt.marker)
            if kind not in ("item", "number") or not nxt.is_item or (items and kind != _marker_kind(items[0].marker)):
                break
            items.append(nxt)
        if items:
            out.append(Breakdown(code, entry, tuple(items)))
    return out


def _stated_change(b: Breakdown, statements: Sequence[tuple[str, Entry]]) -> Entry | None:
    """The entry stating the class's change for these items: its heading, else the one statement of that
    class elsewhere whose amount the items add up to."""
    total = sum((i.amount or Decimal(0) for i in b.items), Decimal(0))
    tol = sum_tolerance(half_unit(len((i.amount_text or "").partition(".")[2]), WAN) for i in b.items)

    def adds_up(e: Entry) -> bool:
        return e.amount is not None and abs(e.amount - total) <= tol + half_unit(len((e.amount_text or "").partition(".")[2]), WAN)

    if b.head.change is not None:
        return b.head if adds_up(b.head) else None
    found = {e.change: e for code, e in statements if code == b.code and e.change is not None and adds_up(e)}
    return next(iter(found.values())) if len(found) == 1 else None


def _signed(value: Decimal) -> str:
    return f"{'+' if value >= 0 else '−'}{abs(value) / WAN:f}"


def check_item_changes(doc_id: str, sections: Sequence[Section], class_names: dict[str, str]) -> list[Finding]:
    """Σ the items' stated changes = the class's stated change, for every class the text breaks down."""
    entries = [e for s in sections_to_read(sections) for e in section_to_entries(s)]
    statements = [(code, e) for e in entries if e.amount is not None and (code := class_of(e.subject, class_names))]
    out = []
    for b in entries_to_breakdowns(entries, class_names):
        if any(i.change is None for i in b.items):
            continue  # an item whose change the text does not state: the sum is not known
        stated = _stated_change(b, statements)
        if stated is None or stated.change is None or any(i.basis != stated.basis for i in b.items):
            continue  # no one stated change of the class, or changes against different things
        total = sum((i.change or Decimal(0) for i in b.items), Decimal(0))
        tol = sum_tolerance([stated.change_half, *(i.change_half for i in b.items)])
        if classify(stated.change - total, tol) is None:
            continue
        parts = " ".join(_signed(i.change or Decimal(0)) + (" (new)" if i.change_text is None else "") for i in b.items)
        out.append(new_finding(
            "narrative_item_changes", doc_id,
            f"{class_names[b.code]} ({b.code}): the items' changes add up to {_signed(total)}万元 ({parts}); the class's change "
            f"is stated as {_signed(stated.change)}万元 — 「{stated.quote}」",
            severity=classify(stated.change - total, tol), expected=total, actual=stated.change, difference=stated.change - total,
            tolerance=tol, pages=tuple(sorted({stated.page_no} | {i.page_no for i in b.items})), subject_code=b.code,
            printed=tuple(f"{e.quote} (p.{e.page_no})" for e in (stated, *b.items)),
        ))
    return out
