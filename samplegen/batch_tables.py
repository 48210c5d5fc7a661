"""The budget tables of one department or unit, built from its figures (for the batch sample).

Figures are integers in hundredths of 万元 (100 元), so a department's figures
are exactly the sums of its units' and every printed total adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samplegen.model import HeaderCell as H
from samplegen.model import SideSpec, TableSpec
from samplegen.seed_tables import BASIC_PROJECT_KEYS, functional_header

UNIT_TEXT = "单位：万元"
CLASSES = (("201", "一般公共服务支出", "03", "政府办公厅（室）及相关机构事务"),
           ("208", "社会保障和就业支出", "05", "行政事业单位养老支出"),
           ("221", "住房保障支出", "02", "住房改革支出"))
ITEM_NAMES = {
    "2010301": "行政运行", "2010350": "事业运行", "2010399": "其他政府办公厅（室）及相关机构事",
    "2080505": "机关事业单位基本养老保险缴费支出", "2210201": "住房公积金",
}
ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30108": "机关事业单位基本养老保险缴费",
    "30113": "住房公积金", "302": "商品和服务支出", "30201": "办公费", "30217": "公务接待费",
    "303": "对个人和家庭的补助", "30309": "奖励金",
}
# Basic spending on pensions and housing funds is booked to their own 项.
BOOKED_TO = {"30108": "2080505", "30113": "2210201"}
NUMERALS = "一二三四五六七八九十"


def _sum(dicts: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for code, amount in d.items():
            out[code] = out.get(code, 0) + amount
    return out


@dataclass(frozen=True)
class Budget:
    """One budget's figures: basic spending by economic 款 and by functional 项, project spending by 项."""

    economic: dict[str, int]
    basic_items: dict[str, int]
    project: dict[str, int] = field(default_factory=dict)

    def items(self) -> dict[str, tuple[int, int]]:
        """项 code -> (basic, project)."""
        codes = sorted(set(self.basic_items) | set(self.project))
        return {c: (self.basic_items.get(c, 0), self.project.get(c, 0)) for c in codes}

    @property
    def basic(self) -> int:
        return sum(self.economic.values())

    @property
    def projects(self) -> int:
        return sum(self.project.values())

    @property
    def total(self) -> int:
        return self.basic + self.projects

    @property
    def reception(self) -> int:
        return self.economic.get("30217", 0)

    def class_totals(self) -> list[tuple[str, str, int]]:
        """(code, name, total) of each 类 with spending, in order."""
        out = []
        for code, name, _, _ in CLASSES:
            total = sum(b + p for c, (b, p) in self.items().items() if c.startswith(code))
            if total:
                out.append((code, name, total))
        return out


def unit_budget(economic: dict[str, int], project: dict[str, int], main_item: str) -> Budget:
    """A unit's budget: basic spending goes to its 项 by `BOOKED_TO`, the rest to `main_item`
    (行政运行 for an administrative unit, 事业运行 for a public institution)."""
    basic = _sum([{BOOKED_TO.get(code, main_item): amount} for code, amount in economic.items()])
    return Budget(dict(economic), basic, dict(project))


def add(budgets: list[Budget]) -> Budget:
    """The consolidated budget: every figure the sum over `budgets`."""
    return Budget(_sum([b.economic for b in budgets]), _sum([b.basic_items for b in budgets]), _sum([b.project for b in budgets]))


def wan(value: int, blank: bool = True) -> str:
    """Hundredths of 万元 as printed: '62.50'; 0 prints blank unless `blank` is False."""
    return "" if blank and not value else f"{value / 100:.2f}"


def _table(no: int, table_id: str, title: str, filer: str, **kw) -> TableSpec:  # type: ignore[no-untyped-def]
    return TableSpec(no=no, table_id=table_id, title=title, unit_text=UNIT_TEXT, filer_text=filer, **kw)


def functional_rows(b: Budget) -> tuple[tuple[str, ...], ...]:
    """合计, then 类 / 款 (two digits) / 项 rows: code, name, 合计, 基本支出, 项目支出."""
    items = b.items()
    rows = [("", "合计", wan(b.total, False), wan(b.basic), wan(b.projects))]
    for code, name, section, section_name in CLASSES:
        mine = {c: v for c, v in items.items() if c.startswith(code)}
        if not any(x + y for x, y in mine.values()):
            continue
        basic, project = sum(x for x, _ in mine.values()), sum(y for _, y in mine.values())
        rows.append((code, name, wan(basic + project), wan(basic), wan(project)))
        rows.append((section, section_name, wan(basic + project), wan(basic), wan(project)))
        rows += [(c, ITEM_NAMES[c], wan(x + y), wan(x), wan(y)) for c, (x, y) in mine.items() if x + y]
    return tuple(rows)


def economic_rows(b: Budget) -> tuple[tuple[str, ...], ...]:
    """合计, then 类 and 款 rows: code, name, 合计, 人员经费 (301, 303), 公用经费 (302)."""
    personnel = sum(v for c, v in b.economic.items() if not c.startswith("302"))
    rows = [("", "合计", wan(b.basic, False), wan(personnel), wan(b.basic - personnel))]
    for cls in ("301", "302", "303"):
        mine = {c: v for c, v in sorted(b.economic.items()) if c.startswith(cls) and v}
        if not mine:
            continue
        public = cls == "302"
        total = sum(mine.values())
        rows.append((cls, ECONOMIC_NAMES[cls], wan(total), wan(0 if public else total), wan(total if public else 0)))
        rows += [(c, ECONOMIC_NAMES[c], wan(v), wan(0 if public else v), wan(v if public else 0)) for c, v in mine.items()]
    return tuple(rows)


def summary_table(b: Budget, filer: str) -> TableSpec:
    t = wan(b.total, False)
    revenue = [("一、财政拨款收入", t), ("其中：一般公共预算", t), ("政府性基金预算", ""), ("国有资本经营预算", ""),
               ("二、事业收入", ""), ("三、事业单位经营收入", ""), ("四、其他收入", "")]
    spending = [(f"{NUMERALS[i]}、{name}", wan(v)) for i, (_, name, v) in enumerate(b.class_totals())]
    rows = [rev + (spending[i] if i < len(spending) else ("", "")) for i, rev in enumerate(revenue)]
    rows.append(("收入总计", t, "支出总计", t))
    return _table(
        1, "revenue_expenditure_summary", "收支预算总表", filer,
        header=((H("收 入", col_span=2), H("支 出", col_span=2)), (H("项目"), H("预算数"), H("项目"), H("预算数"))),
        column_keys=("label", "amount", "label", "amount"), sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 3)),
        rows=tuple(rows),
    )


def revenue_table(b: Budget, filer: str) -> TableSpec:
    header = (
        (H("支出功能分类科目", col_span=2), H("合计", row_span=2), H("财政拨款收入", col_span=3),
         H("事业收入", row_span=2), H("事业单位经营收入", row_span=2), H("其他收入", row_span=2)),
        (H("科目编码"), H("科目名称"), H("一般公共预算"), H("政府性基金预算"), H("国有资本经营预算")),
    )
    rows = tuple((code, name, total, total, "", "", "", "", "") for code, name, total, _, _ in functional_rows(b))
    return _table(
        2, "revenue_summary", "部门收入总表", filer, header=header,
        column_keys=("code", "name", "total", "general_budget", "government_fund", "state_capital",
                     "business_income", "operating_income", "other_income"),
        rows=rows, number_row=True,
    )


def fiscal_table(b: Budget, filer: str) -> TableSpec:
    t = wan(b.total, False)
    revenue = [("一、本年收入", t), ("一般公共预算", t), ("政府性基金预算", ""), ("国有资本经营预算", "")]
    spending = [(f"{NUMERALS[i]}、{name}", wan(v), wan(v), "", "") for i, (_, name, v) in enumerate(b.class_totals())]
    rows = [rev + (spending[i] if i < len(spending) else ("",) * 5) for i, rev in enumerate(revenue)]
    rows.append(("收入总计", t, "支出总计", t, t, "", ""))
    header = (
        (H("收 入", col_span=2), H("支 出", col_span=5)),
        (H("项目"), H("预算数"), H("项目"), H("合计"), H("一般公共预算"), H("政府性基金预算"), H("国有资本经营预算")),
    )
    return _table(
        4, "fiscal_appropriation_summary", "财政拨款收支总表", filer, header=header,
        column_keys=("label", "amount", "label", "total", "general_budget", "government_fund", "state_capital"),
        sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 6)), rows=tuple(rows),
    )


def three_public_table(b: Budget, filer: str, code: str, name: str) -> TableSpec:
    header = (
        (H("部门编码", row_span=2), H("部门名称", row_span=2), H("合计", row_span=2),
         H("因公出国(境)费", row_span=2), H("公务接待费", row_span=2), H("公务用车购置及运行维护费", col_span=3)),
        (H("小计"), H("公务用车运行维护费"), H("公务用车购置")),
    )
    return _table(
        7, "three_public_expenses", "财政拨款“三公”经费支出表", filer, header=header,
        column_keys=("dept_code", "name", "three_public_total", "overseas_travel", "reception",
                     "vehicle_total", "vehicle_operation", "vehicle_purchase"),
        rows=((code, name, wan(b.reception, False), "", wan(b.reception), "", "", ""),), number_row=True,
    )


def budget_tables(b: Budget, year: int, filer: str, code: str, name: str) -> tuple[TableSpec, ...]:
    """Tables 一–九 of a department or unit budget (no performance forms)."""
    group = f"{year}年预算数"

    def functional(no: int, table_id: str, title: str, rows: tuple[tuple[str, ...], ...], note: str = "") -> TableSpec:
        return _table(no, table_id, title, filer, header=functional_header(group), column_keys=BASIC_PROJECT_KEYS,
                      rows=rows, number_row=True, empty_note=note)

    basic_header = (
        (H("支出经济分类科目", col_span=2), H(f"{year}年基本支出", col_span=3)),
        (H("科目编码"), H("科目名称"), H("合计"), H("人员经费"), H("公用经费")),
    )
    return (
        summary_table(b, filer), revenue_table(b, filer),
        functional(3, "expenditure_summary", "部门支出总表", functional_rows(b)),
        fiscal_table(b, filer),
        functional(5, "general_budget_expenditure", "一般公共预算支出表", functional_rows(b)),
        _table(6, "general_budget_basic_expenditure", "一般公共预算基本支出表", filer, header=basic_header,
               column_keys=("code", "name", "total", "personnel", "public_funds"), rows=economic_rows(b), number_row=True),
        three_public_table(b, filer, code, name),
        functional(8, "government_fund_expenditure", "政府性基金预算支出表", (), "注：若为空表，则为该部门（单位）无政府性基金收支"),
        functional(9, "state_capital_expenditure", "国有资本经营预算支出表", (), "注：若为空表，则为该部门（单位）无国有资本经营预算收支"),
    )
