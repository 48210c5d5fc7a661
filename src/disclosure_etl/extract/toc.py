"""Pure: find the 目录 and parse its entries (parts, sections, tables)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..numerals import cn_to_int
from ..records import TextLine, TocEntry
from .labels import COLLECTION_RE  # '二、部门预算报表' names the collection of tables (central/西南大学2023年部门预算, p.2)

TOC_HEAD_RE = re.compile(r"^目\s*录$")
_PAGE_MARK_RE = re.compile(r"^[\s\-—–]*\d{1,4}[\s\-—–]*$")
_LEADER_RE = re.compile(r"[\.·…\-—_ ]{3,}\s*\d*\s*$|\s+\d{1,3}\s*$")
_ENUM_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^第([一二三四五六七八九十]+)部分")),
    (1, re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")),
    (3, re.compile(r"^(\d{1,2})\s*[、.．]")),
)
def entry_level(text: str) -> tuple[int, int | None]:
    """Enumerator depth of a heading (0 = 第X部分, 4 = none) and its number."""
    for level, pattern in _ENUM_RES:
        m = pattern.match(text)
        if m:
            number = cn_to_int(m.group(1)) if m.groups() else None
            return level, number
    return 4, None


def clean_entry(text: str) -> str:
    text = text.strip().lstrip("-•·●").strip()
    return _LEADER_RE.sub("", text).strip()


def strip_enumerator(text: str) -> str:
    for _, pattern in _ENUM_RES:
        text = pattern.sub("", text, count=1)
    return text.strip().strip("《》").strip()


def find_toc_page(pages_lines: Sequence[Sequence[TextLine]]) -> int | None:
    """Index (0-based) of the page whose first lines hold 目录."""
    for index, lines in enumerate(pages_lines[:6]):
        if any(TOC_HEAD_RE.match(ln.text.replace(" ", "")) for ln in lines[:4]):
            return index
    return None


def lines_to_toc(lines: Sequence[TextLine]) -> list[TocEntry]:
    """Entries of a 目录 page; wrapped entries are joined to the line above."""
    entries: list[tuple[str, int]] = []
    # The cover can share the page: what stands above '目录' is the document's title, not an entry
    # (corpus: jiangsu/江苏省人大办公厅2017年度预算公开, p.1).
    head = next((i for i, ln in enumerate(lines) if TOC_HEAD_RE.match(clean_entry(ln.text).replace(" ", ""))), -1)
    for ln in lines[head + 1:]:
        text = clean_entry(ln.text)
        if not text or TOC_HEAD_RE.match(text.replace(" ", "")) or _PAGE_MARK_RE.match(text):
            continue
        level, _ = entry_level(text)
        if level == 4 and entries and not entries[-1][0].endswith(("表", "》")):
            entries[-1] = (entries[-1][0] + text, entries[-1][1])
        else:
            entries.append((text, ln.page_no))
    return _classify([t for t, _ in entries], [p for _, p in entries])


def _classify(texts: list[str], pages: list[int]) -> list[TocEntry]:
    out = []
    for i, text in enumerate(texts):
        level, number = entry_level(text)
        title = strip_enumerator(text)
        is_table = title.endswith("表") and not _is_group(texts, i, level) and not COLLECTION_RE.search(title.replace(" ", ""))
        out.append(TocEntry(number if is_table else None, text if not is_table else title, pages[i], is_table))
    return out


def _is_group(texts: list[str], i: int, level: int) -> bool:
    """'五、单位预算表' followed by deeper '1. …表' entries is a group heading."""
    if i + 1 >= len(texts):
        return False
    next_level, _ = entry_level(texts[i + 1])
    return next_level > level and strip_enumerator(texts[i + 1]).endswith("表")


def toc_continuation(lines: Sequence[TextLine], listed: Sequence[TextLine]) -> list[TextLine]:
    """The leading lines of the page after the 目录 that still belong to it.

    A 目录 can run onto the next page with the narrative starting right below
    (corpus: jiangsu/江苏省人大办公厅2017年度预算公开, p.2: '出预算表', '十二、…',
    '第三部分 …', '第四部分 …', then '第一部分 部门概况'). A line continues the
    目录 when it is the short tail of an entry cut at the page foot, or an entry
    whose number follows the last one of its level; the first other line ends it.
    """
    last: dict[int, int] = {}
    for ln in listed:
        level, number = entry_level(clean_entry(ln.text))
        if number is not None:
            last = {k: v for k, v in last.items() if k < level} | {level: number}
    previous = clean_entry(listed[-1].text) if listed else ""
    out: list[TextLine] = []
    for ln in lines:
        text = clean_entry(ln.text)
        if not text or _PAGE_MARK_RE.match(text):
            out.append(ln)
            continue
        level, number = entry_level(text)
        tail = level == 4 and len(text) <= 8 and text.endswith("表") and not previous.endswith("表")
        follows = number is not None and number == last.get(level, 0) + 1
        if not (tail or follows):
            break
        if number is not None:
            last = {k: v for k, v in last.items() if k < level} | {level: number}
        previous = text
        out.append(ln)
    return out
