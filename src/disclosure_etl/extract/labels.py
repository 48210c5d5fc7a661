"""Pure: the text lines above a grid -> its title, unit, 填报单位 and number.

Between a title and its grid producers print, in any order and however spaced:
a unit (`单位：万元`, `金额单位：元`), a filer (`填报单位：…`, `部门：江苏省…` with
the unit far to its right on the same baseline, a bare `[134]南昌市…，[134001]…`
that may wrap onto a second line, an empty `单位名称：`), a table number
(`公开表一`, `公开01表`, `表1`) and a year line (`（2023年度）`). Each row of text
in the zone above the grid is classified first; the title is the nearest block
of rows above the grid that is none of these and reads as a table title.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import TextLine

UNIT_RE = re.compile(r"单\s*位\s*[:：]\s*(人民币)?\s*([千万亿]\s*元|元)")
_SPACES_RE = re.compile(r"\s+")
_FILER_LABELS = r"填报单位|编制单位|编制部门|预算单位|预算部门|主管部门|单位名称|部门名称|部门|单位"
FILER_RE = re.compile(rf"(?<![\u4e00-\u9fff])({_FILER_LABELS})\s*[:：]\s*(.*)")
_CODED_FILER_RE = re.compile(r"^\s*[\[【［]\s*\d{2,}\s*[\]】］]")
_EMPTY_LABEL_RE = re.compile(rf"^\s*(金额)?({_FILER_LABELS})\s*[:：]\s*$")
NUMBER_RE = re.compile(
    r"^\s*(公开|部门公开|附)?\s*表\s*[0-9０-９一二三四五六七八九十]+(\s*[-—－]\s*[0-9０-９]+)?\s*[:：]?\s*$"
    r"|^\s*(公开|附)\s*[0-9０-９]+\s*表\s*$|^\s*附件\s*[0-9０-９]+(\s*[-—－]\s*[0-9０-９]+)?\s*[:：]?\s*$"
)
YEAR_RE = re.compile(r"^\s*[（(]?\s*\d{4}\s*年\s*度?\s*[）)]?\s*$")
PAREN_RE = re.compile(r"^\s*[（(][^（()）]{1,16}[）)]\s*$")
NOTE_RE = re.compile(r"^\s*(注|说明|备注)\s*\d?\s*[:：]")
PAGE_NO_RE = re.compile(r"^[\s\-—–第页共/]*\d{1,4}[\s\-—–页/]*(\d{1,4}\s*页?)?$")
_ENUMERATED_RE = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|第[一二三四五六七八九十\d]+部分)")
_PART_RE = re.compile(r"^\s*第[一二三四五六七八九十\d]+部分")
# '2017年度部门预算表' under '第二部分 …' names the part holding the tables, not a table.
COLLECTION_RE = re.compile(r"(部门|单位)(预算|决算)(公开)?报?表$")
_SENTENCE_END = ("。", "：", ":", "；", "，", ",")
MAX_TITLE_CHARS = 80


class RowKind(str, enum.Enum):
    """What a row of text near a grid is."""

    UNIT = "unit"
    FILER = "filer"
    NUMBER = "number"
    YEAR = "year"
    PAREN = "paren"
    NOTE = "note"
    PAGE_NO = "page_no"
    TEXT = "text"

    @property
    def is_label(self) -> bool:
        return self is not RowKind.TEXT and self is not RowKind.NOTE


@dataclass(frozen=True, slots=True)
class LabelRow:
    """The text lines sharing one baseline, left to right, and what they say."""

    lines: tuple[TextLine, ...]
    kind: RowKind
    unit: str = ""
    filer: str = ""

    @property
    def text(self) -> str:
        return " ".join(ln.text.strip() for ln in self.lines)

    @property
    def top(self) -> float:
        return min(ln.bbox.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bbox.bottom for ln in self.lines)

    @property
    def x0(self) -> float:
        return min(ln.bbox.x0 for ln in self.lines)

    @property
    def size(self) -> float:
        return max(ln.size for ln in self.lines)


@dataclass(frozen=True, slots=True)
class Labels:
    """What the rows above one grid say about it."""

    title: str
    unit_text: str
    filer: str
    notes: tuple[str, ...]
    used: tuple[TextLine, ...]
    """Every line read as title, unit, filer, number or note (not narrative)."""


def lines_to_rows(lines: Sequence[TextLine]) -> list[LabelRow]:
    """Group lines on one baseline (`部门：` … `江苏省…` … `单位：万元`) into rows, top to bottom."""
    rows: list[list[TextLine]] = []
    for ln in sorted(lines, key=lambda ln: (ln.bbox.yc, ln.bbox.x0)):
        if rows and abs(ln.bbox.yc - rows[-1][0].bbox.yc) <= 0.5 * min(ln.size, rows[-1][0].size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return _classify([tuple(sorted(r, key=lambda ln: ln.bbox.x0)) for r in rows])


def _classify(rows: list[tuple[TextLine, ...]]) -> list[LabelRow]:
    """Classify top to bottom: a short row right under a filer row is the filer wrapped."""
    out: list[LabelRow] = []
    last_filer: int | None = None
    for lines in rows:
        row = classify_row(lines)
        if row.kind is RowKind.FILER:
            last_filer = len(out)
        elif row.kind is RowKind.TEXT and last_filer is not None and _wraps_filer(out[last_filer], row):
            filer_row = out[last_filer]
            out[last_filer] = LabelRow(filer_row.lines, RowKind.FILER, filer_row.unit, filer_row.filer + row.text.replace(" ", ""))
            row = LabelRow(lines, RowKind.FILER, row.unit)
        elif row.kind is not RowKind.UNIT:
            last_filer = None
        out.append(row)
    return out


def _wraps_filer(filer: LabelRow, row: LabelRow) -> bool:
    close = row.top - filer.bottom <= 1.5 * filer.size
    aligned = abs(row.x0 - filer.x0) <= 2 * filer.size or row.x0 >= filer.x0
    return close and aligned and bool(filer.filer) and not title_like(row.text) and len(row.text) <= 40


def classify_row(lines: tuple[TextLine, ...]) -> LabelRow:
    text = " ".join(ln.text.strip() for ln in lines)
    # A unit, a labelled filer, an empty label and a note all print a colon: most rows are searched for none.
    colon = ":" in text or "：" in text
    unit = m.group(0) if colon and (m := UNIT_RE.search(text)) else ""
    filer_m = next((m for ln in lines if (m := FILER_RE.search(ln.text)) and not UNIT_RE.match(m.group(0))), None) if colon else None
    if filer_m is not None or _CODED_FILER_RE.match(text) or colon and _EMPTY_LABEL_RE.match(text):
        return LabelRow(lines, RowKind.FILER, unit, _filer_name(lines, filer_m))
    if unit:
        return LabelRow(lines, RowKind.UNIT, unit)
    for kind, pattern in ((RowKind.NUMBER, NUMBER_RE), (RowKind.YEAR, YEAR_RE), (RowKind.PAREN, PAREN_RE),
                          (RowKind.PAGE_NO, PAGE_NO_RE), (RowKind.NOTE, NOTE_RE)):
        if pattern.match(text):
            return LabelRow(lines, kind)
    return LabelRow(lines, RowKind.TEXT)


def _filer_name(lines: tuple[TextLine, ...], m: re.Match[str] | None) -> str:
    """The filer's name: after its label, or the whole row when printed without one; never the unit."""
    if m is None:
        parts = [ln.text for ln in lines]
    else:
        label_line = next(i for i, ln in enumerate(lines) if m.string == ln.text)
        parts = [m.group(2)] + [ln.text for ln in lines[label_line + 1:]]
    name = " ".join(UNIT_RE.split(p)[0] for p in parts if not UNIT_RE.match(p.strip()))
    return _SPACES_RE.sub("", name.split("单位：")[0].split("单位:")[0])


def title_like(text: str) -> bool:
    """Reads as a table title: names a 表, is not a sentence, a part heading or a long paragraph."""
    t = _SPACES_RE.sub("", text)
    return (
        "表" in t and len(t) <= MAX_TITLE_CHARS and not t.endswith(_SENTENCE_END)
        and "。" not in t and not _PART_RE.match(t) and not NUMBER_RE.match(t) and not COLLECTION_RE.search(t)
    )


def rows_to_labels(rows: Sequence[LabelRow], grid_top: float, first_on_page: bool) -> Labels:
    """Walk up from the grid: labels, then the title block, then a number or year line over it."""
    above = [r for r in rows if r.bottom <= grid_top + 1]
    i, anchor = len(above) - 1, grid_top
    used: list[LabelRow] = []
    tails: list[LabelRow] = []
    while i >= 0 and above[i].kind.is_label and anchor - above[i].bottom <= _gap_limit(above[i]):
        (tails if above[i].kind in (RowKind.YEAR, RowKind.PAREN) else used).insert(0, above[i])
        anchor, i = above[i].top, i - 1
    block, i = _title_block(above, i, anchor)
    # A year or parenthesis line under the title ('(2023年度)') is a label, not part of the title.
    title = _join_title(block)
    while block and i >= 0 and above[i].kind in (RowKind.NUMBER, RowKind.YEAR) and block[0].top - above[i].bottom <= _gap_limit(above[i]):
        used.insert(0, above[i])
        i -= 1
    notes = [r for r in above[: i + 1] if r.kind is RowKind.NOTE] if first_on_page else []
    unit = next((r.unit for r in used + block if r.unit), "")
    filer = next((r.filer for r in used if r.kind is RowKind.FILER and r.filer), "")
    consumed = [ln for r in used + block + tails + notes for ln in r.lines]
    return Labels(title, unit, filer, tuple(r.text for r in notes), tuple(consumed))


def _gap_limit(row: LabelRow) -> float:
    return max(3.0 * row.size, 50.0)


def _title_block(above: Sequence[LabelRow], i: int, anchor: float) -> tuple[list[LabelRow], int]:
    """The title's rows (at most two: a wrapped title) ending at row i, or none."""
    if i < 0 or above[i].kind is not RowKind.TEXT or anchor - above[i].bottom > _gap_limit(above[i]):
        return [], i
    block = [above[i]]
    j = i - 1
    if j >= 0 and _heads_title(above[j], block[0]):
        block.insert(0, above[j])
        j -= 1
    if not title_like("".join(r.text for r in block)):
        return [], i
    return block, j


def _heads_title(upper: LabelRow, lower: LabelRow) -> bool:
    """Is `upper` the first line of a title wrapped onto `lower`?"""
    u, low = _SPACES_RE.sub("", upper.text), _SPACES_RE.sub("", lower.text)
    if upper.kind is not RowKind.TEXT or lower.top - upper.bottom > 1.5 * max(upper.size, lower.size):
        return False
    if u.endswith(_SENTENCE_END) or len(u) > MAX_TITLE_CHARS or (u.endswith("表") and not PAREN_RE.match(low)):
        return False
    # An enumerated line over a complete title is a heading ('（一）236…专项' over
    # '236…专项绩效目标表'); over a fragment ('表', '支出预算表') it is the title's head.
    return not _ENUMERATED_RE.match(u) or not title_like(low) or len(low) <= 3


def _join_title(block: Sequence[LabelRow]) -> str:
    """The title's lines joined; whitespace inside a title is layout, not text."""
    return "".join(_SPACES_RE.sub("", row.text) for row in block)
