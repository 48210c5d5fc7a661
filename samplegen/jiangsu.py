"""Family `jiangsu`: a provincial department budget laid out as Jiangsu's 2017–2019 files.

Twelve tables in 万元 (corpus/jiangsu/): each title is followed by a `公开01表`
number line and by `部门：` with the department's name and `单位：万元` far to
its right on one baseline. Tables flow one after another; continuation pages
repeat no header. Three page breaks are shaped as the corpus shows them: the
收支预算总表 cuts '八、社会保障和就业支出' after '就' (its amount stays on the
first page, 江苏省人大办公厅2017 p.7–8); the 一般公共预算基本支出预算表 goes on
with no ruling above its next page's first row (省法院2017 p.11–12); and the
一般公共预算支出预算表's title and labels sit at a page foot with the grid
overleaf (江苏省人大办公厅2017 p.12–13: titles may be orphaned). The title page's 目录 runs onto page 2.
"""

from __future__ import annotations

from samplegen import jiangsu_data as d
from samplegen.jiangsu_text import PARTS, TOC
from samplegen.model import DocSpec, Flow, HeadLine, Merge, RowCut, SideSpec, TableSpec
from samplegen.model import HeaderCell as H

SLUG = "jiangsu_2019_department_budget"
UNIT = "单位：万元"
LEDGER = ("code", "name", "amount")


def heads(no: int, title: str) -> tuple[HeadLine, ...]:
    return (HeadLine("title", title), HeadLine("number", f"公开{no:02d}表"),
            HeadLine("line", "部门：", tab=d.DEPT, right=UNIT))


def _table(no: int, table_id: str, title: str, header, keys, rows, **kw) -> TableSpec:  # type: ignore[no-untyped-def]
    return TableSpec(
        no=no, table_id=table_id, title=title, unit_text=UNIT, filer_text=f"部门：{d.DEPT}", header=header,
        column_keys=keys, rows=tuple(rows), head=heads(no, title), repeat_head=False, **kw,
    )


def side_totals(rows: range, col: int) -> tuple[tuple[int, int, str], ...]:
    """The expenditure side's totals (当年支出小计, 支出合计) sit under 支出用途/金额
    but total the whole side: their key is 'amount', as the Jiangsu corpus goldens (tests/golden/jiangsu/) read them."""
    return tuple((r, col, "amount") for r in rows)


def summary_table() -> TableSpec:
    t, classes = d.wan(d.grand_total()), d.class_totals()
    revenue = [("一、财政拨款", t), ("1.一般公共预算", t), ("2.政府性基金预算", ""), ("二、财政专户管理资金", ""),
               ("三、其他资金", "")]
    spending = [(f"{d.NUMERALS[i]}、{name}", d.wan(classes.get(code, 0))) for i, (code, name) in enumerate(d.CLASSES_2019)]
    use = [("一、基本支出", d.wan(d.basic_total())), ("二、项目支出", d.wan(d.project_total())),
           ("三、单位预留机动经费", d.wan(d.RESERVE))]
    blank = ("", "")
    rows = [(revenue[i] if i < len(revenue) else blank) + spending[i] + (use[i] if i < len(use) else blank)
            for i in range(len(spending))]
    n = len(rows)
    rows += [("当年收入小计", t, "当年支出小计", "", "", t), ("上年结转资金", "", "结转下年资金", "", "", ""),
             ("收入合计", t, "支出合计", "", "", t)]
    header = (
        (H("收入", col_span=2), H("支出", col_span=4)),
        (H("项目名称", row_span=2), H("金额", row_span=2), H("功能分类", col_span=2), H("支出用途", col_span=2)),
        (H("功能科目名称"), H("金额"), H("项目名称"), H("金额")),
    )
    cut_row = next(i for i, row in enumerate(rows) if row[2] == "八、社会保障和就业支出")
    return _table(
        1, "revenue_expenditure_summary", "收支预算总表", header,
        ("label", "amount", "label", "amount", "label", "amount_by_use"), rows,
        sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 3), SideSpec("expenditure", 4, 5)),
        body_merges=tuple(Merge(r, 2, col_span=3) for r in range(n, n + 3)),
        cut=RowCut(cut_row, 2, len("八、社会保障和就")),
        cell_keys=side_totals(range(n, n + 3), 5),
    )



# 收入预算总表: (group, (items…)); the first group line is its 小计.
REVENUE_GROUPS = (
    ("一般公共预算资金", ("小计", "公共财政拨款（补助）资金", "专项收入")),
    ("政府性基金", ("小计",)),
    ("财政专户管理资金", ("小计", "专户管理教育收费", "其他非税收入")),
    ("其他资金", ("小计", "事业收入", "经营收入", "其他收入")),
    ("上年结转和结余资金", ("小计", "其中：动用上年结转和结余资金")),
)


def revenue_table() -> TableSpec:
    """Two name columns: a group merged down over its items, then the item."""
    t = d.wan(d.grand_total())
    rows, merges = [("收入总计", "", t)], [Merge(0, 0, col_span=2)]
    for group, items in REVENUE_GROUPS:
        if len(items) > 1:
            merges.append(Merge(len(rows), 0, row_span=len(items)))
        for i, item in enumerate(items):
            money = t if group == "一般公共预算资金" and item != "专项收入" else ""
            rows.append((group if i == 0 else "", item, money))
    return _table(
        2, "revenue_summary", "收入预算总表", ((H("项目名称", col_span=2), H("金额")),), ("name", "name", "amount"), rows,
        body_merges=tuple(merges),
    )


def expenditure_table() -> TableSpec:
    header = ((H("合计"), H("基本支出"), H("项目支出"), H("单位预留机动经费"), H("结转下年资金")),)
    row = (d.wan(d.grand_total()), d.wan(d.basic_total()), d.wan(d.project_total()), d.wan(d.RESERVE), "")
    return _table(3, "expenditure_summary", "支出预算总表", header,
                  ("total", "basic", "project", "reserve_fund", "carryover_to_next_year"), [row])


def fiscal_table() -> TableSpec:
    t = d.wan(d.grand_total())
    rows = [("一、一般公共预算", t, "一、基本支出", d.wan(d.basic_total())), ("二、政府性基金预算", "", "二、项目支出", d.wan(d.project_total())),
            ("", "", "三、单位预留机动经费", d.wan(d.RESERVE)), ("收入合计", t, "支出合计", t)]
    header = (
        (H("收入", col_span=2), H("支出", col_span=2)),
        (H("项目名称", row_span=2), H("金额", row_span=2), H("支出用途", col_span=2)),
        (H("项目名称"), H("金额")),
    )
    return _table(4, "fiscal_appropriation_summary", "财政拨款收支预算总表", header,
                  ("label", "amount", "label", "amount_by_use"), rows,
                  sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 3)),
                  cell_keys=side_totals(range(3, 4), 3))


FUNCTIONAL_HEADER = ((H("功能科目编码"), H("功能科目名称"), H("金额")),)
ECONOMIC_HEADER = ((H("科目编码"), H("科目名称"), H("金额")),)


def three_public_table() -> TableSpec:
    header = (
        (H("合计", row_span=3), H("“三公”经费", col_span=6), H("会议费", row_span=3), H("培训费", row_span=3)),
        (H("小计", row_span=2), H("因公出国（境）费", row_span=2), H("公务用车购置及运行维护费", col_span=3),
         H("公务接待费", row_span=2)),
        (H("小计"), H("公务用车购置费"), H("公务用车运行维护费")),
    )
    keys = ("total", "three_public_total", "overseas_travel", "vehicle_total", "vehicle_purchase", "vehicle_operation",
            "reception", "meeting", "training")
    figures = d.three_public()
    return _table(9, "three_public_expenses", "“三公”经费、会议费、培训费支出预算表", header, keys,
                  [tuple(d.wan(figures[k]) for k in keys)])


def jiangsu_tables() -> tuple[TableSpec, ...]:
    office = d.economic_rows(("302",))
    procurement_header = ((H("采购品目大类"), H("专项名称"), H("经济科目"), H("采购物品名称"), H("采购组织形式"), H("总计")),)
    basic_rows = d.economic_rows()
    return (
        summary_table(), revenue_table(), expenditure_table(), fiscal_table(),
        _table(5, "fiscal_appropriation_expenditure", "财政拨款支出预算表（功能科目）", FUNCTIONAL_HEADER, LEDGER,
               d.functional_rows()),
        _table(6, "fiscal_appropriation_basic_expenditure", "财政拨款基本支出预算表（经济科目）", ECONOMIC_HEADER, LEDGER,
               basic_rows),
        _table(7, "general_budget_expenditure", "一般公共预算支出预算表", FUNCTIONAL_HEADER, LEDGER, d.functional_rows()),
        _table(8, "general_budget_basic_expenditure", "一般公共预算基本支出预算表", ECONOMIC_HEADER, LEDGER, basic_rows,
               open_top=True, continue_after_row=next(i for i, r in enumerate(basic_rows) if r[0] == "30211")),
        three_public_table(),
        _table(10, "government_fund_expenditure", "政府性基金预算财政拨款支出预算表", FUNCTIONAL_HEADER, LEDGER,
               [("", "合计", "")], foot=(HeadLine("note", "注：本部门无相关收支项目"),)),
        _table(11, "agency_operating_expenditure", "一般公共预算机关运行经费支出预算表",
               ((H("科目编码"), H("科目名称"), H("机关运行经费支出")),), ("code", "name", "office_operation"), office),
        _table(12, "government_procurement", "政府采购预算表", procurement_header,
               ("text", "name", "text", "name", "text", "total"), d.procurement_rows()),
    )


def jiangsu_doc() -> DocSpec:
    return DocSpec(
        slug=SLUG, title=f"{d.DEPT}{d.YEAR}年度部门预算公开", department=d.DEPT, year=d.YEAR, unit="万元",
        filer=f"部门：{d.DEPT}", toc=TOC, parts=PARTS, tables=jiangsu_tables(),
        flow=Flow(toc_on_cover=True, parts_flow=True, tables_flow=True, orphan_titles=True, landscape_above=99,
                  cover_lines=(d.DEPT, f"{d.YEAR}年度部门预算公开")),
    )
