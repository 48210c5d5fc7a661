"""Pure: what a document is — its department, year, type and which parts it holds.

Read from what the document declares, most explicit first: a labelled field on
the cover (`预算主管部门：…`, `部 门:中共江苏省委办公厅`), the 填报单位 lines of
its tables, the name its table titles carry (`一、2017年度江苏省高级人民法院部门
收支预算总表`), the cover's heading, and the file name only as the last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..records import DocContents, DocType, ExtractedDocument, TableKind, TocEntry
from .identity import compact, cover_heading, split_region
from .titles import title_parts

_YEAR_RE = re.compile(r"(20\d{2})\s*年")
_BARE_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_SHORT_YEAR_RE = re.compile(r"(?<!\d)(\d{2})\s*年度?(?:部门|单位)?(?:预算|决算)")
_DEPT_RE = re.compile(r"(预算主管部门|主管部门|预算单位|部门名称|单位名称|部门)[:：]([^:：\n]+)")
# What follows a department's name in a heading: '…2017年度部门预算公开', '…部门决算', '…单位预算'.
_DOC_WORDS_RE = re.compile(r"(\d{2,4}年度?)?(省级|市级|区级|县级)?(部门|单位)?(预算|决算)(公开)?(报?表)?$")
_NAME_END_RE = re.compile(r"(部门|单位)$")
_UNIT_TAIL_RE = re.compile(r"单位[:：].*$")


def department_of(cover: str, filers: Sequence[str], titles: Sequence[str], file_name: str = "") -> str:
    """The department (or unit) the document is about, as printed."""
    labelled = next((v for ln in cover.splitlines() if (m := _DEPT_RE.search(compact(ln))) and (v := _UNIT_TAIL_RE.sub("", m.group(2)))), "")
    if labelled:
        return labelled
    filer = Counter(f for f in filers if f).most_common(1)
    if filer:
        return re.sub(r"^(\[\d+\])", "", filer[0][0].split("，")[0].split(",")[0]).strip()
    # A name can wrap on the cover: '中共上海市普陀区委' / '社会工作部2024年度' / '部门决算'
    # (corpus: 中共上海市普陀区委社会工作部 2024 年度部门决算, p.1).
    heading = cover_heading(cover) if _YEAR_RE.search(cover) else ""
    if heading and split_region(heading)[1]:
        return heading
    named = Counter(p for t in titles if (p := _NAME_END_RE.sub("", title_parts(t)[0]))).most_common(1)
    if named:
        return named[0][0]
    return _heading_without_year(cover) or heading or _heading_without_year(re.sub(r"\.pdf$", "", file_name))


def _heading_without_year(text: str) -> str:
    """'2017年度江苏省高级人民法院部门预算公开' → '江苏省高级人民法院'."""
    first = next((compact(ln) for ln in text.splitlines() if _YEAR_RE.search(ln) or _BARE_YEAR_RE.search(ln)), "")
    name = re.sub(r"(?<!\d)20\d{2}(?!\d)\s*(年度?)?", "", first)
    return _NAME_END_RE.sub("", _DOC_WORDS_RE.sub("", name))


def doc_type_of(cover: str, titles: Sequence[str]) -> DocType:
    text = re.sub(r"\s+", "", cover + " ".join(titles))
    if "决算" in text:
        return DocType.DEPARTMENT_FINAL_ACCOUNTS
    if "单位预算" in text or "预算单位" in text:
        return DocType.UNIT_BUDGET
    if "预算" in text:
        return DocType.DEPARTMENT_BUDGET
    return DocType.UNKNOWN


def fiscal_year_of(cover: str, titles: Sequence[str], file_name: str = "") -> int | None:
    """The year on the cover or in a table title; else a year in the file name ('25年预算', '2019部门预算')."""
    for text in [cover, *titles, file_name]:
        m = _YEAR_RE.search(text)
        if m:
            return int(m.group(1))
    m = _SHORT_YEAR_RE.search(file_name) or _BARE_YEAR_RE.search(file_name)
    if m is None:
        return None
    return int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))


def contents_of(doc: ExtractedDocument, n_amounts: int) -> DocContents:
    """Tables and narrative, or only one of them: some publish the tables and the 说明 as two PDFs."""
    has_tables = n_amounts > 0 or any(t.body_rows for t in doc.tables)
    has_text = any(len(re.sub(r"\s+", "", s.text)) >= 200 for s in doc.sections)
    if has_tables and not has_text:
        return DocContents.TABLES_ONLY
    if has_text and not has_tables:
        return DocContents.NARRATIVE_ONLY
    return DocContents.FULL if has_tables else DocContents.EMPTY


def declares_budget(table_ids: Iterable[TableKind | None], toc: Iterable[TocEntry]) -> bool:
    """A budget or final-accounts document: a known table, or a 目录 listing one (a narrative-only half)."""
    return any(table_ids) or any(e.is_table and title_parts(e.title)[1] is not None for e in toc)
