"""A batch for the cross-document checks: a department, its two units, 2023 and 2024.

The units' tables sum to the department's, and each 2024 text's
'较上年预算安排增加/减少…' agrees with the 2023 documents — except the plants of
`BATCH_PLANTS`: one unit figure that does not sum into the department, and one
wrong '较上年' figure. `batch_docs()` gives the six DocSpecs, `build_batch()`
renders them; `plant_pages()` says where each plant must be reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from samplegen.batch_tables import Budget, add, budget_tables, unit_budget, wan
from samplegen.model import Block, DocSpec, PageMap, Part, TocEntry
from samplegen.planted import Edit, edit_table, edit_text
from samplegen.render import render_pdf

YEARS = (2023, 2024)
TABLE_TITLES = ("收支预算总表", "部门收入总表", "部门支出总表", "财政拨款收支总表", "一般公共预算支出表",
                "一般公共预算基本支出表", "财政拨款“三公”经费支出表", "政府性基金预算支出表", "国有资本经营预算支出表")
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Entity:
    """A department or unit: name as printed, code, name in its text; a unit's 项 for its basic spending."""

    key: str
    name: str
    code: str
    short: str
    main_item: str = ""

    @property
    def is_unit(self) -> bool:
        return bool(self.main_item)


DEPT = Entity("dept", "南昌市东湖区政务服务数据管理局", "134", "东湖区政务服务数据管理局")
OWN = Entity("own", "南昌市东湖区政务服务数据管理局本级", "134001", "区政务服务数据管理局本级", "2010301")
CENTER = Entity("center", "南昌市东湖区行政审批服务保障中心", "134002", "东湖区行政审批服务保障中心", "2010350")
UNITS = (OWN, CENTER)

# Basic spending by economic 款 and project spending by 项, in hundredths of 万元.
# 2022 is not rendered: it gives the 2023 texts their '较上年' figures.
FIGURES: dict[tuple[str, int], tuple[dict[str, int], dict[str, int]]] = {
    ("own", 2022): ({"30101": 5800, "30102": 3900, "30108": 1950, "30113": 1460, "30201": 1100, "30217": 200, "30309": 100},
                    {"2010399": 18000}),
    ("own", 2023): ({"30101": 6000, "30102": 4000, "30108": 2000, "30113": 1500, "30201": 1000, "30217": 200, "30309": 100},
                    {"2010399": 20000}),
    ("own", 2024): ({"30101": 6250, "30102": 4120, "30108": 2130, "30113": 1580, "30201": 960, "30217": 180, "30309": 90},
                    {"2010399": 23000}),
    ("center", 2022): ({"30101": 4900, "30102": 2950, "30108": 1470, "30113": 1180, "30201": 640}, {}),
    ("center", 2023): ({"30101": 5000, "30102": 3000, "30108": 1500, "30113": 1200, "30201": 600}, {}),
    ("center", 2024): ({"30101": 5240, "30102": 3110, "30108": 1620, "30113": 1260, "30201": 570, "30309": 50}, {}),
}


def budget(entity: Entity, year: int) -> Budget:
    if entity.is_unit:
        return unit_budget(*FIGURES[(entity.key, year)], entity.main_item)
    return add([budget(u, year) for u in UNITS])


def slug(entity: Entity, year: int) -> str:
    return f"dh_{year}_{entity.key}_budget"


def _change(now: int, before: int) -> str:
    if now == before:
        return "与上年预算持平"
    return f"较上年预算安排{'增加' if now > before else '减少'}{wan(abs(now - before), False)}万元"


def _money(value: int) -> str:
    return f"{wan(value, False)}万元"


def explanation(entity: Entity, year: int) -> tuple[Block, ...]:
    """收支情况说明: every figure with its change against last year's budget of the same entity."""
    b, p = budget(entity, year), budget(entity, year - 1)
    who = f"{year}年{entity.short}"
    before = {code: total for code, _, total in p.class_totals()}
    classes = ";".join(f"{name}{_money(v)},{_change(v, before.get(code, 0))}" for code, name, v in b.class_totals())
    kind = "单位" if entity.is_unit else "部门"
    return (
        Block("heading", f"一、{year}年{kind}预算收支情况说明", key="budget_explanation"),
        Block("para", f"{who}收入预算总额为{_money(b.total)},{_change(b.total, p.total)},其中:财政拨款收入"
                      f"{_money(b.total)},{_change(b.total, p.total)};其他收入0万元。"),
        Block("para", f"{who}支出预算总额为{_money(b.total)},{_change(b.total, p.total)}。"),
        Block("para", f"按支出项目类别划分:基本支出{_money(b.basic)},{_change(b.basic, p.basic)};"
                      f"项目支出{_money(b.projects)},{_change(b.projects, p.projects)}。"),
        Block("para", f"按支出功能科目划分:{classes}。"),
        Block("para", f"{year}年“三公”经费预算{_money(b.reception)},{_change(b.reception, p.reception)},全部为公务接待费。"),
    )


def organization(entity: Entity, year: int) -> str:
    if entity.is_unit:
        return f"{entity.short}是{DEPT.short}所属的预算单位，执行政府会计制度。"
    names = "和".join(u.name if u is CENTER else u.short for u in UNITS)
    return f"{year}年{entity.short}共有预算单位 {len(UNITS)} 个，包括{names}。"


def batch_doc(entity: Entity, year: int) -> DocSpec:
    kind = "单位" if entity.is_unit else "部门"
    title = f"{entity.name}{year}年{kind}预算"
    filer = f"填报单位：[{entity.code}]{entity.name}"
    toc = (
        TocEntry(f"第一部分 {entity.name}概况", 0), TocEntry("一、机构设置", 1),
        TocEntry(f"第二部分 {entity.name}{year}年{kind}预算表", 0),
        *(TocEntry(f"{NUMERALS[i]}、《{t}》", 1) for i, t in enumerate(TABLE_TITLES)),
        TocEntry(f"第三部分 {entity.name}{year}年{kind}预算情况说明", 0), TocEntry(f"一、{year}年{kind}预算收支情况说明", 1),
    )
    parts = (
        Part(f"第一部分 {entity.name}概况", (Block("heading", "一、机构设置", key="organization"),
                                               Block("para", organization(entity, year)))),
        Part(f"第二部分 {entity.name}{year}年{kind}预算表", holds_tables=True),
        Part(f"第三部分 {entity.name}{year}年{kind}预算情况说明", explanation(entity, year)),
    )
    tables = budget_tables(budget(entity, year), year, filer, entity.code, entity.name)
    return DocSpec(slug(entity, year), title, entity.name, year, "万元", filer, toc, parts, tables)


@dataclass(frozen=True)
class BatchPlant:
    """One planted error: the finding it must cause, on which documents, about which printed figure."""

    rule_id: str
    doc: str  # slug of the finding's document
    other: str  # slug of its second document
    table_id: str  # the table holding the figure the finding compares
    row: str  # that figure's row: subject code or label
    column_keys: tuple[str, ...]  # the columns it must be reported in
    text: str  # the planted cell, or the planted sentence's fragment
    why: str


_DEPT24, _DEPT23, _CENTER24 = slug(DEPT, 2024), slug(DEPT, 2023), slug(CENTER, 2024)
_BASIC_CHANGE = wan(budget(DEPT, 2024).basic - budget(DEPT, 2023).basic, False)
_WRONG_CHANGE = wan(budget(DEPT, 2024).basic - budget(DEPT, 2023).basic + 1000, False)
_EVENTS = wan(budget(CENTER, 2024).basic_items["2010350"], False)
_EVENTS_PLANTED = wan(budget(CENTER, 2024).basic_items["2010350"] + 100, False)

BATCH_PLANTS = (
    BatchPlant("batch_rollup", _DEPT24, _CENTER24, "general_budget_expenditure", "2010350", ("total", "basic"), _EVENTS_PLANTED,
               f"the 中心's 2024 一般公共预算支出表 prints 事业运行 (2010350) {_EVENTS_PLANTED} in 合计 and 基本支出; the "
               f"department consolidates {_EVENTS} — only the 中心 spends on 2010350, so it is the unit to look at"),
    BatchPlant("batch_prior_year", _DEPT24, _DEPT23, "expenditure_summary", "合计", ("basic",), f"较上年预算安排增加{_WRONG_CHANGE}万元",
               f"the department's 2024 text says 基本支出 rose by {_WRONG_CHANGE}万元; its 2023 部门支出总表 prints "
               f"基本支出 合计 that puts the rise at {_BASIC_CHANGE}万元"),
)


def _plant(doc: DocSpec) -> DocSpec:
    if doc.slug == _CENTER24:
        table = next(t for t in doc.tables if t.table_id == "general_budget_expenditure")
        for column in ("total", "basic"):
            table = edit_table(table, Edit("2010350", column, _EVENTS, _EVENTS_PLANTED))
        return replace(doc, tables=tuple(table if t.table_id == table.table_id else t for t in doc.tables))
    if doc.slug == _DEPT24:
        old = f"基本支出{_money(budget(DEPT, 2024).basic)},较上年预算安排增加{_BASIC_CHANGE}万元"
        return replace(doc, parts=edit_text(doc.parts, old, old.replace(_BASIC_CHANGE, _WRONG_CHANGE)))
    return doc


def batch_docs(planted: bool = True) -> tuple[DocSpec, ...]:
    """The six documents; with `planted`, the plants of `BATCH_PLANTS` applied."""
    docs = tuple(batch_doc(e, y) for y in YEARS for e in (DEPT, *UNITS))
    return tuple(_plant(d) for d in docs) if planted else docs


def build_batch(font_path: str, planted: bool = True) -> dict[str, tuple[DocSpec, bytes, PageMap]]:
    """slug -> (spec, PDF bytes, where the renderer put things)."""
    out = {}
    for doc in batch_docs(planted):
        pdf, pages = render_pdf(doc, font_path)
        out[doc.slug] = (doc, pdf, pages)
    return out


def row_page(doc: DocSpec, pages: PageMap, table_id: str, row: str) -> int:
    """The page a table row is printed on (its code, or its label, in the row)."""
    table = next(t for t in doc.tables if t.table_id == table_id)
    index = next(i for i, cells in enumerate(table.rows) if row in cells)
    return pages.rows[(table.no, index)]


def plant_pages(plant: BatchPlant, built: dict[str, tuple[DocSpec, bytes, PageMap]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(pages of `plant.doc`, pages of `plant.other`) the finding must name."""
    doc, _, pages = built[plant.doc]
    other, _, other_pages = built[plant.other]
    if plant.rule_id == "batch_prior_year":
        first, last = pages.sections["budget_explanation"]
        return tuple(range(first, last + 1)), (row_page(other, other_pages, plant.table_id, plant.row),)
    return (row_page(doc, pages, plant.table_id, plant.row),), (row_page(other, other_pages, plant.table_id, plant.row),)
