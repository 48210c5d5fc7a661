"""Family `seed`: the seed document laid out as its own text shows it.

The seed text (南昌市东湖区政务服务数据管理局2024年部门预算.txt) prints table
titles without numbers; under them a 填报单位 line that wraps onto a second
line, or is printed without its label (`[134]…， [134001]…， [134002]南昌市东`
then `湖区行政审批服务保障中心`); `单位：万元` on a line of its own; and the
`注：若为空表，则为…` note above the titles of the 三公 and fund tables. The
figures are the seed's (`seed_tables`), so the truth is the foundation
sample's amounts on this layout's pages.
"""

from __future__ import annotations

from dataclasses import replace

from samplegen.model import DocSpec, HeadLine, TableSpec
from samplegen.seed_data import seed_doc
from samplegen.seed_tables import UNIT

SLUG = "dh_2024_seed_layout"
UNITS = ("[134]南昌市东湖区政务服务数据管理局，", "[134001]南昌市东湖区政务服务数据管理局，", "[134002]南昌市东湖区行政审批服务保障中心")
LABEL = "填报单位："


def _split(text: str, after: str) -> tuple[str, str]:
    """`text` cut after the first occurrence of `after`, as a cell wraps it."""
    at = text.index(after) + len(after)
    return text[:at], text[at:]


def wrapped_units(after: str, label: bool, spaced: bool) -> tuple[HeadLine, ...]:
    """The 填报单位 line wrapping onto a second line (with or without its label,
    with the seed's space after each '，' or without), then the unit alone."""
    units = (" " if spaced else "").join(UNITS)
    first, rest = _split((LABEL if label else "") + units, after)
    return (HeadLine("line", first.rstrip()), HeadLine("line", rest), HeadLine("line", right=UNIT))


def unit_alone() -> tuple[HeadLine, ...]:
    return (HeadLine("line", right=UNIT),)


def units_with_unit(after: str = "") -> tuple[HeadLine, ...]:
    """The labelled 填报单位 line with the unit at its right; cut after `after`
    with the rest on a second line when given."""
    text = LABEL + "".join(UNITS)
    if not after:
        return (HeadLine("line", text, right=UNIT),)
    first, rest = _split(text, after)
    return (HeadLine("line", first, right=UNIT), HeadLine("line", rest))


# Table number -> the lines under its title, as the seed text prints them
# (tables 五–九) or in the same manner (一–四, which the seed text does not hold).
UNDER_TITLE = {
    1: wrapped_units("[134002]南昌市东", label=False, spaced=True),
    2: units_with_unit(),
    3: wrapped_units("[134002]南昌市东湖区", label=True, spaced=False),
    4: wrapped_units("[134002]南昌市东湖区", label=False, spaced=True),
    5: wrapped_units("[134002]南昌市东", label=False, spaced=True),
    6: wrapped_units("[134002]南昌市东湖区", label=False, spaced=True),
    7: units_with_unit(),
    8: unit_alone(),
    9: units_with_unit("[134002]南昌市"),
}
# The seed text titles its project form 项目支出绩效目标表 (its 目录 says 项目绩效目标表).
TITLES = {11: "项目支出绩效目标表"}


def seed_layout_table(spec: TableSpec) -> TableSpec:
    title = TITLES.get(spec.no, spec.title)
    note = (HeadLine("note", spec.empty_note),) if spec.empty_note else ()
    if spec.no in UNDER_TITLE:
        lines = (*note, HeadLine("title", title), *UNDER_TITLE[spec.no])
    else:  # the performance forms: title and year only
        lines = (HeadLine("title", title), HeadLine("subtitle", spec.subtitle))
    return replace(spec, title=title, head=lines)


def seed_layout_doc() -> DocSpec:
    doc = seed_doc()
    return replace(doc, slug=SLUG, tables=tuple(seed_layout_table(t) for t in doc.tables))
