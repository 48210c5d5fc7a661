"""Planted variants of the layout families: the errors the rules of each family's tables and text catch.

Jiangsu (`jiangsu_doc`): the 三公 table's grand total with 会议费 and 培训费, the
支出预算总表's 单位预留机动经费, the 财政拨款支出预算表 and 财政拨款基本支出预算表
against the 财政拨款收支预算总表, the 机关运行经费 the text states, a share and a percentage of the
text, and a 项 whose change no longer adds up to its class's. Central
(`central_doc`): the 收入预算表's 使用非财政拨款结余 and its 其中：教育收费 part,
a 项 of the 支出预算表, the 收支预算总表's 本年支出合计 and 结转下年, and an
amount of the text. Pages are those of the rendered variants (the edits keep
every line's length, so nothing moves).
"""

from __future__ import annotations

from samplegen.central import central_doc
from samplegen.jiangsu import jiangsu_doc
from samplegen.planted import Edit, Plant, Planting, on

RES, RS, ES = "revenue_expenditure_summary", "revenue_summary", "expenditure_summary"

JIANGSU_PLANTS = (
    Plant("three_public_grand_total", on("three_public_expenses", "row_three_public_grand_total"), "three_public_expenses", 8,
          "320.00", "三公、会议费、培训费表 合计 320.00 against 三公 132.00 + 会议费 62.00 + 培训费 36.00 = 230.00"),
    Plant("reserve_fund", on(ES, "row_total_basic_project"), ES, 5, "1,348.70",
          "支出预算总表 单位预留机动经费 1,348.70: 合计 13,734.34 is 基本 6,981.84 + 项目 5,367.80 + 预留 1,384.70"),
    Plant("fiscal_expenditure_vs_summary", on("fiscal_appropriation_expenditure", "x_fiscal_expenditure_table_vs_summary"),
          "fiscal_appropriation_expenditure", 5, "13,743.34",
          "财政拨款支出预算表 2010399 and its 款, 类 and 合计 +9.00 (self-consistent): 合计 13,743.34 against the "
          "财政拨款收支预算总表's 支出合计 13,734.34"),
    Plant("fiscal_basic_vs_summary", on("fiscal_appropriation_basic_expenditure", "x_fiscal_basic_table_vs_summary", "narrative_amount"),
          "fiscal_appropriation_basic_expenditure", 6, "7,017.84",
          "财政拨款基本支出预算表 30201 and its 类 and 合计 +36.00 (self-consistent): 合计 7,017.84 against the 财政拨款收支预算总表's "
          "基本支出 6,981.84 and the text's 财政拨款基本支出预算 6981.84万元"),
    Plant("agency_operating_text", on("agency_operating_expenditure", "narrative_amount"), None, 11,
          "机关运行经费预算支出747.80万元", "the text says 机关运行经费 747.80万元; the 机关运行经费支出预算表 prints 774.80"),
    Plant("narrative_share", on(None, "narrative_share"), None, 10, "占38.09%",
          "项目支出 5367.80万元 is 39.08% of the 支出预算合计 13734.34万元, not 38.09%"),
    Plant("narrative_percentage", on(None, "narrative_percentage"), None, 11, "增长11.00%",
          "住房公积金（项） 628.20万元, 增加57.10万元: 57.10 / 571.10 is 10.00%, not 11.00%"),
    Plant("item_changes", on(None, "narrative_item_changes"), None, 10, "与上年相比增加14.60万元",
          "社会保障和就业（类） +307.76万元 (p.10) while its 项 now state −11.60, +14.60 and 277.76 new this year (+280.76); "
          "the planted 14.60 and 2.15% agree with each other (694.40 − 14.60 = 679.80), so only the sum fails"),
)

JIANGSU = Planting(
    "jiangsu_2019_department_budget_planted", jiangsu_doc, JIANGSU_PLANTS,
    table_edits={
        "three_public_expenses": (Edit("230.00", "total", "230.00", "320.00"),),
        ES: (Edit("13,734.34", "reserve_fund", "1,384.70", "1,348.70"),),
        "fiscal_appropriation_expenditure": (
            Edit("2010399", "amount", "5,367.80", "5,376.80"), Edit("20103", "amount", "11,905.58", "11,914.58"),
            Edit("201", "amount", "11,905.58", "11,914.58"), Edit("合计", "amount", "13,734.34", "13,743.34"),
        ),
        "fiscal_appropriation_basic_expenditure": (
            Edit("30201", "amount", "115.00", "151.00"), Edit("302", "amount", "774.80", "810.80"),
            Edit("合计", "amount", "6,981.84", "7,017.84"),
        ),
    },
    text_edits=(
        ("机关运行经费预算支出774.80万元", "机关运行经费预算支出747.80万元"),
        ("占39.08%", "占38.09%"),
        ("住房公积金（项）支出628.20万元，与上年相比增加57.10万元，增长10.00%",
         "住房公积金（项）支出628.20万元，与上年相比增加57.10万元，增长11.00%"),
        ("缴费支出（项）694.40万元，与上年相比增加41.60万元，增长6.37%", "缴费支出（项）694.40万元，与上年相比增加14.60万元，增长2.15%"),
    ),
)

CENTRAL_PLANTS = (
    Plant("non_fiscal_balance", on(RS, "row_total_revenue_sources", "hierarchy_sum"), RS, 5, "618.04",
          "收入预算表 2210203 使用非财政拨款结余 618.04: its 收入合计 861.63 is 180.59 + 681.04, and 22102 (7,172.79) "
          "is 6,491.75 + 681.04"),
    Plant("of_which_part", on(RS, "hierarchy_sum"), RS, 4, "590.00",
          "收入预算表 2050204 其中：教育收费 590.00 where 20502 prints 74,162.23 = 950.00 + 73,212.23; a 其中 part is no "
          "term of the row's 收入合计, so only the hierarchy fails"),
    Plant("hierarchy", on(ES, "hierarchy_sum"), ES, 5, "4,575.66",
          "支出预算表 2080506 4,575.66 in 合计 and 基本支出 (the row holds) while 20805 prints 14,616.30 = 9,860.64 + 4,755.66"),
    Plant("carryover_next_year", on(RS, "x_revenue_vs_expenditure_table") + on(RES, "x_summary_expenditure_total"), RES, 4,
          "88,645.73", "收支预算总表 结转下年 88,645.73: 收入预算表 合计 543,889.62 = 支出预算表 合计 455,423.89 + 88,465.73, "
          "and the 收支预算总表's 支出总计 is 本年支出合计 + 结转下年"),
    Plant("current_expenditure", on(RES, "x_summary_expenditure_vs_expenditure_table", "x_summary_expenditure_total", "narrative_amount"),
          RES, 4, "455,432.89", "收支预算总表 本年支出合计 455,432.89 against the 支出预算表's 合计 455,423.89, its own 支出总计 "
          "and the text's 本年支出预算 455,423.89万元"),
    Plant("narrative_amount", on(RS, "narrative_amount"), None, 7, "事业收入122,432.23万元",
          "the text says 事业收入 122,432.23万元; the 收入预算表 prints 122,342.23"),
)

CENTRAL = Planting(
    "central_2023_department_budget_planted", central_doc, CENTRAL_PLANTS,
    table_edits={
        RS: (Edit("2210203", "use_of_non_fiscal_balance", "681.04", "618.04"),
             Edit("2050204", "business_income_of_which_tuition", "950.00", "590.00")),
        ES: (Edit("2080506", "total", "4,755.66", "4,575.66"), Edit("2080506", "basic", "4,755.66", "4,575.66")),
        RES: (Edit("结转下年", "amount", "88,465.73", "88,645.73"), Edit("本年支出合计", "amount", "455,423.89", "455,432.89")),
    },
    text_edits=(("事业收入122,342.23万元", "事业收入122,432.23万元"),),
)

# Family name -> its planted variant (`python -m samplegen DIR --variant planted --family NAME`).
PLANTINGS = {"jiangsu": JIANGSU, "central": CENTRAL}
