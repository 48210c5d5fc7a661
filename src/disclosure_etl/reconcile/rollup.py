"""Pure: what the roll-up check needs — a document's figures by row, its units, how many it should have.

A department budget consolidates its units' budgets: each printed figure of
the department equals the sum of the same figure over its units. Figures are
matched by (table, side, row, column); a row is its subject code, or for rows
without one its label stripped of numbering ('一、一般公共服务支出' and
'三、一般公共服务支出' are one row: units number only the 类 they have).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..normalize.identity import compact
from ..numerals import cn_to_int
from ..records import DocType, DocumentInfo, LineItem, Section

_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[.、]|\([一二三四五六七八九十\d]+\)|其中:?)+")
_TOTAL_RE = re.compile(r"^(合计|总计)$")
TOTAL_ROWS = frozenset({"合计", "总计", "收入总计", "支出总计"})
_N = r"(\d+|[一二两三四五六七八九十]+)"
# '共有预算单位 2 个' (seed: 东湖区政务服务数据管理局2024年部门预算, p.4) counts budget units.
_BUDGET_UNITS_RE = re.compile(rf"(?:预算|决算)单位(?:共计|共有|共|有)?{_N}[个家]")
# '包括…本部以及下属1家事业单位' and '本部门中，行政单位1家，事业单位1家' count institutions
# (corpus: 上海市普陀区人民政府办公室25年预算, p.4; '参公单位1家': 万里街道办事处24年预算, p.4) ...
_KIND_UNITS_RE = re.compile(rf"(?:行政|事业|参公)单位{_N}[个家]")
_SUBORDINATE_RE = re.compile(rf"本部(?:以及|及|和)下属{_N}[个家]")
# ... some of which publish no budget of their own: '…不单列预算，并入本部' (same page).
_MERGED_RE = re.compile(r"不单列预算|不单独编制预算|不单独编报|并入本部")


@dataclass(frozen=True, slots=True)
class BatchDoc:
    """One document of the output as the batch checks see it."""

    info: DocumentInfo
    items: tuple[LineItem, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.info.doc_id


FigureKey = tuple[str, str, str, str]  # table_id, side, row, column_key


@dataclass(frozen=True, slots=True)
class Figure:
    value: Decimal
    items: tuple[LineItem, ...]


def row_label_key(label: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '1.一般公共预算资金' → '一般公共预算资金'."""
    return _NUMBERING_RE.sub("", compact(label))


def _row(it: LineItem, coded: set[str]) -> str | None:
    """The row an item is matched by; None for a per-unit row of a table without codes (三公)."""
    if it.subject_code:
        return it.subject_code
    if it.side is not None or it.table_id.value in coded:
        return row_label_key(it.row_label)
    return None


def document_figures(items: Sequence[LineItem]) -> dict[FigureKey, Figure]:
    """Each printed figure of a document by (table, side, row, column), budget or final phase only.

    Rows of a table with neither codes nor sides (the 三公 table prints a row per
    department or unit code) count as one row, 合计: the printed 合计 row when
    there is one, else their sum."""
    # Performance forms print per-project figures, which do not add up over units.
    items = [it for it in items if it.phase in ("budget", "final") and not it.table_id.is_performance]
    coded = {it.table_id.value for it in items if it.subject_code}
    totals = {it.table_id.value for it in items if _row(it, coded) is None and _TOTAL_RE.match(compact(it.row_label))}
    groups: dict[FigureKey, list[LineItem]] = {}
    for it in items:
        row = _row(it, coded)
        if row is None and it.table_id.value in totals and not _TOTAL_RE.match(compact(it.row_label)):
            continue
        key = (it.table_id.value, it.side.value if it.side else "", row if row is not None else "合计", it.column_key)
        groups.setdefault(key, []).append(it)
    return {k: Figure(sum((i.amount_yuan for i in v), Decimal(0)), tuple(v)) for k, v in groups.items()}


def printed_columns(figures: dict[FigureKey, Figure]) -> set[tuple[str, str, str]]:
    """(table, side, column) a document prints: a row it lacks there is a blank, 0."""
    return {(t, s, c) for t, s, _, c in figures}


def _cn_number(text: str) -> int:
    return cn_to_int(text) or 0


def units_expected(sections: Sequence[Section]) -> int | None:
    """How many budget units the department's 机构设置 / 单位构成 text says it has; None when it does not say."""
    text = compact("".join(s.text for s in sections if s.key == "organization"))
    if not text:
        return None
    m = _BUDGET_UNITS_RE.search(text)
    if m:
        return _cn_number(m.group(1))
    sub = _SUBORDINATE_RE.search(text)
    kinds = [_cn_number(k) for k in _KIND_UNITS_RE.findall(text)]
    count = 1 + _cn_number(sub.group(1)) if sub else (sum(kinds) if kinds else None)
    if count is None:
        return None
    merged = sum(1 for part in re.split(r"[。;\n]", text) if _MERGED_RE.search(part))
    return max(count - merged, 1)


NAME_KEY = 4  # a unit's name is looked for in a department's text only from this many characters on


def is_unit_of(unit: DocumentInfo, dept: DocumentInfo, dept_text: str) -> bool:
    """A unit budget belongs to a department budget of the same year when it is the
    department's own level (same entity: '…局本级'), its code extends the
    department's ([134] → [134001]), or the department's 机构设置 text names it."""
    if unit.doc_type is not DocType.UNIT_BUDGET or unit.fiscal_year != dept.fiscal_year:
        return False
    if unit.entity_id and unit.entity_id == dept.entity_id:
        return True
    if unit.entity_code and dept.entity_code and len(unit.entity_code) > len(dept.entity_code):
        return unit.entity_code.startswith(dept.entity_code)
    same_region = (unit.province, unit.city, unit.district) == (dept.province, dept.city, dept.district)
    return same_region and len(unit.entity_name) >= NAME_KEY and unit.entity_name in dept_text


class UnitIndex:
    """Unit budgets indexed by what `is_unit_of` matches on, so a department's units are found
    without trying every unit of the output (a province holds thousands of departments and units
    a year: trying every pair made `load(DIR).figures` take 46 s at 1,000 documents, 173 s at 2,000).

    A unit can match a department only by its entity_id, by a code that extends the
    department's, or by its name in the department's text; the index finds the units
    that share one of these and `is_unit_of` decides, so the answer is the same.
    """

    def __init__(self, units: Sequence[DocumentInfo]) -> None:
        self.units = list(units)
        self._by_entity: dict[str, list[int]] = {}
        self._by_name_key: dict[str, list[int]] = {}
        for k, u in enumerate(self.units):
            if u.entity_id:
                self._by_entity.setdefault(u.entity_id, []).append(k)
            if len(u.entity_name) >= NAME_KEY:
                self._by_name_key.setdefault(u.entity_name[:NAME_KEY], []).append(k)
        self._codes = sorted((u.entity_code, k) for k, u in enumerate(self.units) if u.entity_code)

    def units_of(self, dept: DocumentInfo, dept_text: str) -> list[int]:
        """Indices (ascending) of the units `is_unit_of` the department; `dept_text` its compacted 机构设置 text."""
        found = set(self._by_entity.get(dept.entity_id, ())) if dept.entity_id else set()
        if dept.entity_code:
            start = bisect.bisect_left(self._codes, (dept.entity_code, -1))
            extending = itertools.takewhile(lambda ck: ck[0].startswith(dept.entity_code or ""), itertools.islice(self._codes, start, None))
            found.update(k for _code, k in extending)
        for i in range(len(dept_text) - NAME_KEY + 1):
            found.update(self._by_name_key.get(dept_text[i : i + NAME_KEY], ()))
        return sorted(k for k in found if is_unit_of(self.units[k], dept, dept_text))
