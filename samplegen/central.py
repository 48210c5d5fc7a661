"""Family `central`: a university's budget as central-level units print it (corpus/central/).

Four budget tables titled with the unit's name ('东湖大学收支预算总表'), each
with its unit line only: a two-sided 收支预算总表 (项目 | 预算数 on each side,
其中：捐赠收入, 使用非财政拨款结余, 上年结转, 结转下年); a 收入预算表 whose 事业收入
is a group of 金额 and its part 其中：教育收费; a 支出预算表 with the unit's own
row (105998 东湖大学, a unit code, not a subject code); and a 财政拨款支出预算表
whose 合计 row comes last, merged over code and name. Then project 绩效目标表
forms (`central_forms`), one of them running onto the next page.
"""

from __future__ import annotations

from samplegen import central_data as d
from samplegen.central_forms import forms
from samplegen.model import Block, DocSpec, Flow, HeadLine, Merge, Part, SideSpec, TableSpec, TocEntry
from samplegen.model import HeaderCell as H

SLUG = "central_2023_department_budget"
UNIT = "单位：万元"


def _table(no: int, table_id: str, name: str, header, keys, rows, **kw) -> TableSpec:  # type: ignore[no-untyped-def]
    title = f"{d.UNIVERSITY}{name}"
    return TableSpec(
        no=no, table_id=table_id, title=title, unit_text=UNIT, filer_text="", header=header, column_keys=keys,
        rows=tuple(rows), head=(HeadLine("title", title), HeadLine("line", right=UNIT)), repeat_head=False, **kw,
    )


def summary_table() -> TableSpec:
    w = d.wan
    income = d.total("fiscal") + d.total("business") + d.total("other")
    grand = d.total("revenue")
    revenue = [("一、财政拨款", w(d.total("fiscal"))), ("二、事业收入", w(d.total("business"))), ("三、事业单位经营收入", ""),
               ("四、其他收入", w(d.total("other"))), ("其中：捐赠收入", w(d.DONATIONS)), ("", ""), ("", ""),
               ("本年收入合计", w(income)), ("使用非财政拨款结余", w(d.total("balance"))), ("上年结转", w(d.total("prior"))),
               ("", ""), ("收入总计", w(grand))]
    numerals = "一二三四五六七八九十"
    spending = [(f"{numerals[i]}、{name}", w(v)) for i, (name, v) in enumerate(d.class_totals("spending"))]
    spending += [("", "")] * (7 - len(spending))
    spending += [("本年支出合计", w(d.total("spending"))), ("结转下年", w(d.carryover_next())), ("", ""), ("", ""),
                 ("支出总计", w(grand))]
    header = ((H("收 入", col_span=2), H("支 出", col_span=2)), (H("项目"), H("预算数"), H("项目"), H("预算数")))
    return _table(1, "revenue_expenditure_summary", "收支预算总表", header, ("label", "amount", "label", "amount"),
                  [r + s for r, s in zip(revenue, spending)],
                  sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 3)))


def revenue_table() -> TableSpec:
    header = (
        (H("科目编码", row_span=2), H("科目名称", row_span=2), H("收入合计", row_span=2), H("上年结转", row_span=2),
         H("财政拨款收入", row_span=2), H("事业收入", col_span=2), H("其他收入", row_span=2), H("使用非财政拨款结余", row_span=2)),
        (H("金额"), H("其中：教育收费")),
    )
    fields = ("revenue", "prior", "fiscal", "business", "tuition", "other", "balance")
    rows = [("", "合计", *(d.wan(d.total(f), False) if f == "revenue" else d.wan(d.total(f)) for f in fields))]
    return _table(2, "revenue_summary", "收入预算表", header,
                  ("code", "name", "total", "prior_carryover", "fiscal_appropriation", "business_income",
                   "business_income_of_which_tuition", "other_income", "use_of_non_fiscal_balance"),
                  rows + d.subject_rows(fields))


def expenditure_table() -> TableSpec:
    header = ((H("科目编码"), H("科目名称"), H("合计"), H("基本支出"), H("项目支出"), H("上缴上级支出"), H("经营支出"),
               H("对下级单位补助支出")),)
    fields = ("spending", "basic", "project")
    sums = tuple(d.wan(d.total(f)) for f in fields)
    rows = [("", "合计", *sums, "", "", ""), (d.UNIT_CODE, d.UNIVERSITY, *sums, "", "", "")]
    rows += [r + ("", "", "") for r in d.subject_rows(fields)]
    return _table(3, "expenditure_summary", "支出预算表", header,
                  ("code", "name", "total", "basic", "project", "remit_to_superior", "operating_expenditure",
                   "subsidy_to_subsidiaries"), rows)


def fiscal_table() -> TableSpec:
    header = ((H("科目代码"), H("科目名称"), H("财政拨款支出"), H("基本支出"), H("项目支出")),)
    fields = ("fiscal", "fiscal_basic", "fiscal_project")
    rows = d.subject_rows(fields)
    rows.append(("合计", "", *(d.wan(d.total(f)) for f in fields)))
    return _table(4, "fiscal_appropriation_expenditure", "财政拨款支出预算表", header,
                  ("code", "name", "total", "basic", "project"), rows,
                  body_merges=(Merge(len(rows) - 1, 0, col_span=2),))


def P(text: str, key: str = "") -> Block:
    return Block("para", text, key)


def S(text: str, key: str = "") -> Block:
    return Block("heading", text, key)


def m(value: int) -> str:
    return f"{d.wan(value, False)}万元"


EXPLANATION = (
    S("（一）收支预算情况说明", "budget_explanation"),
    P(f"我校{d.YEAR}年收支总预算{m(d.total('revenue'))}，其中本年收入预算"
      f"{m(d.total('fiscal') + d.total('business') + d.total('other'))}，使用非财政拨款结余{m(d.total('balance'))}，"
      f"上年结转{m(d.total('prior'))}；本年支出预算{m(d.total('spending'))}，结转下年{m(d.carryover_next())}。"),
    S("（二）收入预算情况说明"),
    P(f"我校{d.YEAR}年收入预算{m(d.total('revenue'))}，其中：财政拨款收入{m(d.total('fiscal'))}；"
      f"事业收入{m(d.total('business'))}；其他收入{m(d.total('other'))}。"),
    S("（三）支出预算情况说明"),
    P(f"我校本年支出预算{m(d.total('spending'))}，其中：基本支出{m(d.total('basic'))}，"
      f"项目支出{m(d.total('project'))}。"),
    S("（四）财政拨款支出预算情况说明"),
    P(f"我校{d.YEAR}年当年财政拨款支出预算{m(d.total('fiscal'))}，其中："
      + "；".join(f"{name}{m(v)}" for name, v in d.class_totals("fiscal")) + "。"),
)
TOC = (
    TocEntry("一、学校基本情况", 0), TocEntry("（一）基本情况", 1), TocEntry("（二）预算单位构成", 1),
    TocEntry("二、部门预算报表", 0),
    TocEntry("三、部门预算情况说明", 0), *(TocEntry(b.text, 1) for b in EXPLANATION if b.kind == "heading"),
    TocEntry("四、名词解释", 0), TocEntry("（一）收入科目", 1), TocEntry("（二）支出科目", 1),
    TocEntry("五、项目绩效目标表", 0),
)
PARTS = (
    Part("一、学校基本情况", (
        S("（一）基本情况"),
        P(f"{d.UNIVERSITY}是教育部直属的综合性大学，学校坚持以人才培养为根本，现有在校学生约三万人，专任教师两千余人。"),
        S("（二）预算单位构成", "organization"),
        P(f"我校{d.YEAR}年度部门预算包括大学本级及附属中学的预算收支情况。"),
    )),
    Part("二、部门预算报表", holds_tables=True, table_nos=(1, 2, 3, 4)),
    Part("三、部门预算情况说明", EXPLANATION),
    Part("四、名词解释", (
        S("（一）收入科目"),
        P("1.财政拨款收入：指中央财政当年通过部门预算拨付的资金。"),
        P("2.事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。"),
        P("3.使用非财政拨款结余：指事业单位使用以前年度积累的非财政拨款结余弥补本年度收支缺口的资金。"),
        S("（二）支出科目"),
        P("1.教育支出：反映教育部直属高校的日常运行支出以及为完成事业发展目标的项目支出。"),
    ), key="glossary"),
    Part("五、项目绩效目标表", holds_tables=True, table_nos=(5, 6, 7)),
)


def central_doc() -> DocSpec:
    return DocSpec(
        slug=SLUG, title=f"{d.UNIVERSITY}{d.YEAR}年度部门预算", department=d.UNIVERSITY, year=d.YEAR, unit="万元",
        filer="", toc=TOC, parts=PARTS,
        tables=(summary_table(), revenue_table(), expenditure_table(), fiscal_table(), *forms(5)),
        flow=Flow(tables_flow=True, landscape_above=99, part_align="left", toc_page_numbers=True,
                  cover_lines=(d.UNIVERSITY, f"{d.YEAR}年度部门预算", f"{d.YEAR}年4月")),
    )
