"""Pure: cut the narrative text into the sections the 目录 names.

Headings are found by their printed text; the 目录 and the page may differ
in wording ('第一部分 X概况' vs '第一部分 X 2024 年概况', '一、单位主要职能'
vs 'X主要职能'), so a heading matches by similarity or by its core words.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Section, TextLine, TocEntry
from .toc import entry_level, strip_enumerator

_SENTENCE_END = ("。", "；", "，", ";", ",")
_SUBHEAD_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*[^。；，]{2,30}$")
_OWNER_RE = re.compile(r"^(部门|单位|本部门|本单位)")
_SPACE_RE = re.compile(r"\s+")
_MAX_HEADING = 60

# (word in the heading, key); the most specific first.
SECTION_KEYS: tuple[tuple[str, str], ...] = (
    ("三公", "three_public_explanation"),
    ("名词解释", "glossary"),
    ("财政拨款收入支出决算总体", "final_fiscal_overview"),
    ("收入支出决算总体", "final_overview"),
    ("基本支出决算", "final_basic_expenditure_explanation"),
    ("一般公共预算财政拨款支出决算", "final_general_budget_explanation"),
    ("政府性基金", "government_fund_explanation"),
    ("国有资本经营", "state_capital_explanation"),
    ("收入决算", "final_revenue_explanation"),
    ("支出决算", "final_expenditure_explanation"),
    ("决算情况说明", "final_explanation"),
    ("预算绩效", "performance_explanation"),
    ("绩效", "performance_explanation"),
    ("其他重要事项", "other_explanation"),
    ("其他相关情况", "other_explanation"),
    ("项目经费", "project_explanation"),
    ("主要职责", "main_duties"),
    ("主要职能", "main_duties"),
    ("机构设置", "organization"),
    ("单位构成", "organization"),
    ("编制说明", "budget_explanation"),
    ("情况说明", "budget_explanation"),
    ("概况", "overview"),
)


@dataclass(frozen=True, slots=True)
class _Mark:
    index: int  # position in the line stream
    heading: str
    level: int
    n_lines: int = 1  # a heading wrapped over two lines takes both
    number: int | None = None  # the enumerator's number in the 目录 (第三部分 → 3)


@functools.lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """No spaces; full-width quotes and parentheses as ASCII (cached: `find_headings` asks it of each line for each entry)."""
    text = _SPACE_RE.sub("", text)
    return text.replace("“", '"').replace("”", '"').replace("（", "(").replace("）", ")")


def section_key(heading: str) -> str | None:
    core = strip_enumerator(heading)
    for word, key in SECTION_KEYS:
        if word in core:
            return key
    return None


def _core(heading: str) -> str:
    core = norm(strip_enumerator(heading))
    return _OWNER_RE.sub("", core)


def _matches(line: str, heading: str) -> bool:
    a, b = norm(line), norm(heading)
    if a == b or (a.startswith(b) and a[len(b):].startswith("(")):
        return True  # a heading may carry a remark: '二、部门决算单位构成（仅有一个单位的…'
    if len(a) > _MAX_HEADING or a.endswith(_SENTENCE_END):
        return False
    # Similar wording counts only with the same enumerator ('第一部分', '一、'),
    # so a wrapped sentence that happens to repeat the heading does not match.
    same_enum = entry_level(a) == entry_level(b) and entry_level(a)[0] < 4
    if same_enum and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8:
        return True
    core = _core(heading)
    return len(core) >= 2 and a.endswith(core) and len(a) <= len(core) + 30


def find_headings(stream: Sequence[TextLine], toc: Sequence[TocEntry]) -> list[_Mark]:
    """Positions of the 目录's non-table headings, in document order."""
    marks: list[_Mark] = []
    start = 0
    for entry in toc:
        if entry.is_table:
            continue
        for i in range(start, len(stream)):
            if _matches(stream[i].text, entry.title):
                heading, used = _absorb_wrap(stream, i, entry.title)
            elif _wrapped_heading_matches(stream, i, entry.title):
                heading, used = stream[i].text.strip() + stream[i + 1].text.strip(), 2
            else:
                continue
            level, number = entry_level(entry.title)
            marks.append(_Mark(i, heading, level, used, number))
            start = i + used
            break
    return marks


def _wrapped_heading_matches(stream: Sequence[TextLine], i: int, heading: str) -> bool:
    """A heading set over two lines whose first line alone is too far from the 目录's wording
    ('第三部分 江苏省人大常委会办公厅' / '2017年度部门预算情况说明', corpus: jiangsu/江苏省人大办公厅2017…, p.23)."""
    if i + 1 >= len(stream) or stream[i + 1].page_no != stream[i].page_no:
        return False
    first = norm(stream[i].text)
    if len(first) > 30 or first.endswith(_SENTENCE_END) or entry_level(first)[0] != entry_level(norm(heading))[0]:
        return False
    return _matches(stream[i].text.strip() + stream[i + 1].text.strip(), heading)


def _absorb_wrap(stream: Sequence[TextLine], i: int, heading: str) -> tuple[str, int]:
    """Take the next line into the heading when that makes it closer to the 目录 text."""
    one = stream[i].text.strip()
    if i + 1 >= len(stream) or stream[i + 1].page_no != stream[i].page_no:
        return one, 1
    two = one + stream[i + 1].text.strip()
    if one.count("（") + one.count("(") > one.count("）") + one.count(")"):
        return two, 2  # an open remark runs on to the next line
    def ratio(text: str) -> float:
        return difflib.SequenceMatcher(None, norm(text), norm(heading)).ratio()

    return (two, 2) if ratio(two) > ratio(one) + 0.02 else (one, 1)


def headings_in_stream(stream: Sequence[TextLine]) -> list[TocEntry]:
    """Pseudo-目录 entries: '第一部分 …' / '一、…' lines of heading length that name a known section."""
    entries = []
    for ln in stream:
        text = ln.text.strip()
        level, _ = entry_level(text)
        if level > 1 or len(norm(text)) > 30 or norm(text).endswith(_SENTENCE_END) or "。" in text:
            continue
        if section_key(text) is not None:
            entries.append(TocEntry(None, text, ln.page_no, False))
    return entries


def lines_to_sections(
    stream: Sequence[TextLine], toc: Sequence[TocEntry], stops: Sequence[int] = ()
) -> list[Section]:
    """Sections between consecutive headings; `stops` are stream positions where tables begin.

    Without a 目录 (or one listing no section), headings are recognised on the
    page instead: short enumerated lines naming a known section.
    """
    if not any(not e.is_table for e in toc):
        toc = headings_in_stream(stream)
    marks = find_headings(stream, toc)
    bounds = sorted({m.index for m in marks} | set(stops) | {len(stream)})
    sections: list[Section] = []
    used: dict[str, int] = {}
    for mark in marks:
        end = next(b for b in bounds if b > mark.index)
        body = stream[mark.index + mark.n_lines : end]
        key = _unique_key(_key_for(mark, len(sections) + 1), used)
        pages = tuple(sorted({stream[mark.index].page_no} | {ln.page_no for ln in body}))
        sections.append(Section(key, mark.heading, _body_text(body), pages, level=mark.level, page_marks=_page_marks(body)))
        sections.extend(_subsections(key, body))
    return sections


def _key_for(mark: _Mark, ordinal: int) -> str:
    """Parts (第X部分) are containers: they get `part_N` unless they are the glossary."""
    key = section_key(mark.heading)
    if mark.level == 0 and key != "glossary":
        return f"part_{mark.number or ordinal}"
    return key or f"section_{ordinal}"


def _unique_key(key: str, used: dict[str, int]) -> str:
    used[key] = used.get(key, 0) + 1
    return key if used[key] == 1 else f"{key}_{used[key]}"


def _page_marks(lines: Sequence[TextLine]) -> tuple[tuple[int, int], ...]:
    marks: list[tuple[int, int]] = []
    offset = 0
    for ln in lines:
        if not marks or marks[-1][1] != ln.page_no:
            marks.append((offset, ln.page_no))
        offset += len(re.sub(r"\s+", "", ln.text))
    return tuple(marks)


def _body_text(lines: Sequence[TextLine]) -> str:
    """Join wrapped lines; a line ending a sentence or a short line ends a paragraph."""
    out: list[str] = []
    for ln in lines:
        text = ln.text.strip()
        if out and not out[-1].endswith(("。", "：", ":", "；")) and not _SUBHEAD_RE.match(text):
            out[-1] += text
        else:
            out.append(text)
    return "\n".join(out)


def _is_subhead(line: TextLine, right_margin: float) -> bool:
    """A '（一）…' line that stands alone: not an item of a list whose text runs on to the next line
    ('（四）讨论、决定本省行政区域内的政治、经济、教育、' fills its line, corpus: jiangsu/江苏省人大办公厅2017…, p.2)."""
    text = line.text.strip()
    if not _SUBHEAD_RE.match(text) or text.endswith(("、", "和", "的", "及", "与")):
        return False
    return line.bbox.x1 < right_margin - 1.5 * line.size


def _subsections(parent: str, body: Sequence[TextLine]) -> list[Section]:
    """(一)/(二) headings inside a section, each with its own text."""
    right: dict[int, float] = {}
    for ln in body:
        right[ln.page_no] = max(right.get(ln.page_no, 0.0), ln.bbox.x1)
    heads = [i for i, ln in enumerate(body) if _is_subhead(ln, right[ln.page_no])]
    out = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(body)
        part = body[i + 1 : end]
        pages = tuple(sorted({body[i].page_no} | {ln.page_no for ln in part}))
        out.append(Section(f"{parent}.{n + 1}", body[i].text.strip(), _body_text(part), pages, level=2, page_marks=_page_marks(part)))
    return out
