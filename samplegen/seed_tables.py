"""The eleven tables of the seed document (南昌市东湖区政务服务数据管理局, 2024, 万元).

Tables 五–十一 are as the seed prints them, including its rounding
(145.14 + 199.53 + 268.39 = 613.06 against a printed 613.05). Tables 一–四 are
not in the seed text; they are built from the seed's own figures.
"""

from __future__ import annotations

from samplegen.model import HeaderCell as H
from samplegen.model import Merge, SideSpec, TableSpec

FILER = "填报单位：[134]南昌市东湖区政务服务数据管理局"
UNIT = "单位：万元"
DEPT = "南昌市东湖区政务服务数据管理局"

# 一般公共预算支出表 rows: code as printed (款 rows show two digits), name as
# printed (the seed truncates 2010399), 合计, 基本支出, 项目支出.
FUNCTIONAL = (
    ("", "合计", "679.18", "410.80", "268.39"),
    ("201", "一般公共服务支出", "613.05", "344.67", "268.39"),
    ("03", "政府办公厅（室）及相关机构事务", "613.05", "344.67", "268.39"),
    ("2010301", "行政运行", "145.14", "145.14", ""),
    ("2010350", "事业运行", "199.53", "199.53", ""),
    ("2010399", "其他政府办公厅（室）及相关机构事", "268.39", "", "268.39"),
    ("208", "社会保障和就业支出", "34.72", "34.72", ""),
    ("05", "行政事业单位养老支出", "34.72", "34.72", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "34.72", "34.72", ""),
    ("221", "住房保障支出", "31.41", "31.41", ""),
    ("02", "住房改革支出", "31.41", "31.41", ""),
    ("2210201", "住房公积金", "31.41", "31.41", ""),
)

# 一般公共预算基本支出表 rows: code, name, 合计, 人员经费, 公用经费.
ECONOMIC = (
    ("", "合计", "410.80", "388.37", "22.43"),
    ("301", "工资福利支出", "387.09", "387.09", ""),
    ("30101", "基本工资", "77.64", "77.64", ""),
    ("30102", "津贴补贴", "20.68", "20.68", ""),
    ("30103", "奖金", "60.39", "60.39", ""),
    ("30106", "伙食补助费", "7.75", "7.75", ""),
    ("30107", "绩效工资", "123.59", "123.59", ""),
    ("30108", "机关事业单位基本养老保险缴费", "34.72", "34.72", ""),
    ("30110", "职工基本医疗保险缴费", "20.86", "20.86", ""),
    ("30111", "公务员医疗补助缴费", "4.63", "4.63", ""),
    ("30112", "其他社会保障缴费", "5.41", "5.41", ""),
    ("30113", "住房公积金", "31.41", "31.41", ""),
    ("302", "商品和服务支出", "22.43", "", "22.43"),
    ("30201", "办公费", "5.75", "", "5.75"),
    ("30202", "印刷费", "1.60", "", "1.60"),
    ("30206", "电费", "1.00", "", "1.00"),
    ("30207", "邮电费", "0.60", "", "0.60"),
    ("30208", "取暖费", "2.29", "", "2.29"),
    ("30213", "维修（护）费", "0.50", "", "0.50"),
    ("30217", "公务接待费", "1.80", "", "1.80"),
    ("30227", "委托业务费", "4.11", "", "4.11"),
    ("30228", "工会经费", "3.99", "", "3.99"),
    ("30229", "福利费", "0.80", "", "0.80"),
    ("303", "对个人和家庭的补助", "1.27", "1.27", ""),
    ("30309", "奖励金", "0.55", "0.55", ""),
    ("30399", "其他对个人和家庭的补助", "0.72", "0.72", ""),
)

BASIC_PROJECT_KEYS = ("code", "name", "total", "basic", "project")


def functional_header(group: str) -> tuple[tuple[H, ...], ...]:
    return (
        (H("支出功能分类科目", col_span=2), H(group, col_span=3)),
        (H("科目编码"), H("科目名称"), H("合计"), H("基本支出"), H("项目支出")),
    )


def _table(no: int, table_id: str, title: str, **kw) -> TableSpec:
    return TableSpec(no=no, table_id=table_id, title=title, unit_text=UNIT, filer_text=FILER, **kw)


def summary_table() -> TableSpec:
    revenue = (
        ("一、财政拨款收入", "679.18"),
        ("其中：一般公共预算", "679.18"),
        ("政府性基金预算", ""),
        ("国有资本经营预算", ""),
        ("二、事业收入", ""),
        ("三、事业单位经营收入", ""),
        ("四、其他收入", ""),
    )
    spending = (("一、一般公共服务支出", "613.05"), ("二、社会保障和就业支出", "34.72"), ("三、住房保障支出", "31.41"))
    rows = [rev + (spending[i] if i < len(spending) else ("", "")) for i, rev in enumerate(revenue)]
    rows.append(("收入总计", "679.18", "支出总计", "679.18"))
    return _table(
        1, "revenue_expenditure_summary", "收支预算总表",
        header=((H("收 入", col_span=2), H("支 出", col_span=2)), (H("项目"), H("预算数"), H("项目"), H("预算数"))),
        column_keys=("label", "amount", "label", "amount"),
        sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 3)),
        rows=tuple(rows),
    )


def revenue_table() -> TableSpec:
    header = (
        (H("支出功能分类科目", col_span=2), H("合计", row_span=2), H("财政拨款收入", col_span=3),
         H("事业收入", row_span=2), H("事业单位经营收入", row_span=2), H("其他收入", row_span=2)),
        (H("科目编码"), H("科目名称"), H("一般公共预算"), H("政府性基金预算"), H("国有资本经营预算")),
    )
    rows = tuple((code, name, total, total, "", "", "", "", "") for code, name, total, _, _ in FUNCTIONAL)
    return _table(
        2, "revenue_summary", "部门收入总表", header=header,
        column_keys=("code", "name", "total", "general_budget", "government_fund", "state_capital",
                     "business_income", "operating_income", "other_income"),
        rows=rows, number_row=True,
    )


def expenditure_table() -> TableSpec:
    return _table(
        3, "expenditure_summary", "部门支出总表", header=functional_header("2024年预算数"),
        column_keys=BASIC_PROJECT_KEYS, rows=FUNCTIONAL, number_row=True,
    )


def fiscal_table() -> TableSpec:
    revenue = (("一、本年收入", "679.18"), ("一般公共预算", "679.18"), ("政府性基金预算", ""), ("国有资本经营预算", ""))
    spending = (
        ("一、一般公共服务支出", "613.05", "613.05", "", ""),
        ("二、社会保障和就业支出", "34.72", "34.72", "", ""),
        ("三、住房保障支出", "31.41", "31.41", "", ""),
    )
    rows = [rev + (spending[i] if i < len(spending) else ("",) * 5) for i, rev in enumerate(revenue)]
    rows.append(("收入总计", "679.18", "支出总计", "679.18", "679.18", "", ""))
    header = (
        (H("收 入", col_span=2), H("支 出", col_span=5)),
        (H("项目"), H("预算数"), H("项目"), H("合计"), H("一般公共预算"), H("政府性基金预算"), H("国有资本经营预算")),
    )
    return _table(
        4, "fiscal_appropriation_summary", "财政拨款收支总表", header=header,
        column_keys=("label", "amount", "label", "total", "general_budget", "government_fund", "state_capital"),
        sides=(SideSpec("revenue", 0, 1), SideSpec("expenditure", 2, 6)),
        rows=tuple(rows),
    )


def general_budget_table() -> TableSpec:
    return _table(
        5, "general_budget_expenditure", "一般公共预算支出表", header=functional_header("2024年预算数"),
        column_keys=BASIC_PROJECT_KEYS, rows=FUNCTIONAL, number_row=True,
    )


def basic_table() -> TableSpec:
    header = (
        (H("支出经济分类科目", col_span=2), H("2024年基本支出", col_span=3)),
        (H("科目编码"), H("科目名称"), H("合计"), H("人员经费"), H("公用经费")),
    )
    return _table(
        6, "general_budget_basic_expenditure", "一般公共预算基本支出表", header=header,
        column_keys=("code", "name", "total", "personnel", "public_funds"), rows=ECONOMIC,
        number_row=True, continue_after_row=11,  # break after 30113 住房公积金
    )


def three_public_table() -> TableSpec:
    header = (
        (H("部门编码", row_span=2), H("部门名称", row_span=2), H("合计", row_span=2),
         H("因公出国(境)费", col_span=3), H("公务接待费", row_span=2), H("公务用车购置及运行维护费", col_span=3)),
        (H("小计"), H("一般公务出国(境)费"), H("高等院校和科研院所学术交流合作出国(境)费"),
         H("小计"), H("公务用车运行维护费"), H("公务用车购置")),
    )
    return _table(
        7, "three_public_expenses", "财政拨款“三公”经费支出表", header=header,
        column_keys=("dept_code", "name", "three_public_total", "overseas_travel", "overseas_general",
                     "overseas_academic", "reception", "vehicle_total", "vehicle_operation", "vehicle_purchase"),
        rows=(("134", DEPT, "1.80", "", "", "", "1.80", "", "", ""),),
        number_row=True, empty_note="注：若为空表，则为该部门（单位）无“三公”经费支出",
    )


def empty_fund_table(no: int, table_id: str, title: str, what: str) -> TableSpec:
    return _table(
        no, table_id, title, header=functional_header("2024年预算数"),
        column_keys=BASIC_PROJECT_KEYS, rows=(), number_row=True,
        empty_note=f"注：若为空表，则为该部门（单位）无{what}",
    )


def indicator_rows(first_row: int, tree) -> tuple[list[tuple[str, ...]], list[Merge]]:
    """Rows 一级 | 二级 | 三级 | 目标值 with 一级/二级 merged over their rows.
    `tree` is ((一级, ((二级, ((三级, 值), ...)), ...)), ...)."""
    rows: list[tuple[str, ...]] = []
    merges: list[Merge] = []
    for level1, groups in tree:
        start1 = first_row + len(rows)
        for level2, items in groups:
            start2 = first_row + len(rows)
            for i, (name, value) in enumerate(items):
                top1 = first_row + len(rows) == start1
                rows.append((level1 if top1 else "", level2 if i == 0 else "", name, value))
            if len(items) > 1:
                merges.append(Merge(start2, 1, row_span=len(items)))
        span1 = first_row + len(rows) - start1
        if span1 > 1:
            merges.append(Merge(start1, 0, row_span=span1))
    return rows, merges


DEPT_GOAL = (
    "推动区直相关部门整合各类政务服务系统，统一接入“一窗式”综合服务平台。通过综窗改革整合压减单位政务服务事项窗口及工作人员，"
    "一体化政务服务平台再优化。按照省市“统一平台、一体在线、协同高效”原则，启动“赣政通”平台建设，“赣政通”服务功能持续拓展。"
    "加强电子证照异地通办场景应用推广力度，实现更多政务服务事项“免证办理”。完善惠企政策快速兑现服务，"
    "推动更多关联性强、办事需求量大的跨部门政务服务事项实现“一件事一次办”，切实提升政务服务办事效能，"
    "增强企业群众的获得感和满意度。按照《国家“互联网+监管”系统监管事项目录清单、检查实施清单及监管行为行为信息要素要求》要求，"
    "完善“互联网+监管”系统功能。"
)

DEPT_INDICATORS = (
    ("产出指标", (
        ("数量指标", (
            ("推出即办事项", "≥300种"), ("运维服务项目", "≥61项"), ("制作电子证照数量", "≥40种"),
            ("推行秒批秒办事项", "≤51项"), ("办理政务服务事项", "≥100000件"), ("综合窗口设置数", "≥6个"),
            ("惠企政策事项上线数", "≥10个"), ("互联网+监管发布事项", "≥360条"),
        )),
        ("质量指标", (
            ("赣政通工作日平台日均活跃率", "≥70%"), ("政务服务事项办结率", "≥95%"),
            ("赣政通应接入单位覆盖率", "≥95%"), ("监管行为覆盖率", "100%"), ("政务服务事项进驻率", "≥90%"),
            ("综窗窗口及人员压减比率", "≥20%"), ("电子证照使用率", "≥70%"),
        )),
        ("时效指标", (
            ("互联网+监管任务完成时限", "2024年12月31日前"), ("政务服务事项办理及时率", "100%"),
            ("政务外网网络及网络安全监测覆盖期限", "2024年全年"),
        )),
        ("成本指标", (("成本控制率", "≤100%"),)),
    )),
    ("效益指标", (
        ("社会效益指标", (
            ("惠企政策兑现累计惠及企业数", "≥500家"), ("政务服务办事效能", "≥80家"),
            ("政务服务事项全程网办率", "≥85%"), ("政务服务事项“一次不跑”或“只跑一次”实现率", "≥95%"),
            ("咨询问题解决率", "100%"), ("“惠企通”平台企业注册数", "显著提升"),
            ("赣政通平台接入单位办公效率", "100%"), ("投诉整改率", "100%"),
        )),
    )),
    ("满意度指标", (
        ("服务对象满意度指标", (("区直单位满意度", "≥90%"), ("政务服务“好差评”满意度", "≥90%"))),
    )),
)


def department_performance_table() -> TableSpec:
    head = [
        ("部门名称", DEPT, "", ""),
        ("当年预算情况（万元）", "", "", ""),
        ("收入预算合计", "679.18", "", ""),
        ("其中：财政拨款", "679.18", "其他经费", "0"),
        ("支出预算合计", "679.18", "", ""),
        ("其中：基本支出", "410.8", "项目支出", "268.39"),
        ("年度总体目标", DEPT_GOAL, "", ""),
        ("年度绩效指标", "", "", ""),
        ("一级指标", "二级指标", "三级指标", "目标值"),
    ]
    merges = [Merge(r, 1, col_span=3) for r in (0, 2, 4, 6)] + [Merge(r, 0, col_span=4) for r in (1, 7)]
    body, body_merges = indicator_rows(len(head), DEPT_INDICATORS)
    return _table(
        10, "department_performance_targets", "部门整体支出绩效目标表", subtitle="（2024 年度）",
        header=(), column_keys=("text",) * 4, rows=tuple(head + body),
        body_merges=tuple(merges + body_merges), money_rows=(2, 3, 4, 5),
    )


PROJECT_INDICATORS = (
    ("成本指标", (("经济成本指标", (("窗口工作人员工资", "=8.2万元/人"),)),)),
    ("产出指标", (
        ("数量指标", (("窗口工作人员聘用人数", "=27人"),)),
        ("质量指标", (("窗口工作人员在岗率", "≥90%"), ("窗口工作人员考核通过率", "≥90%"))),
        ("时效指标", (("窗口工作人员待遇发放及时率", "=100%"),)),
    )),
    ("效益指标", (
        ("社会效益指标", (("保障行政审批服务工作正常开展", "有所保障"), ("聘用人员队伍稳定性", "有所保障"))),
    )),
    ("满意度指标", (("服务对象满意度", (("办事人员满意度", "≥90%"),)),)),
)


def project_performance_table() -> TableSpec:
    head = [
        ("项目名称", "服务外包工资项目", "", ""),
        ("主管部门及代码", "134-" + DEPT, "实施单位", DEPT),
        ("项目资金 (万元)", "年度资金总额", "268.388", ""),
        ("", "其中：财政拨款", "0", ""),
        ("", "其他资金", "0", ""),
        ("", "上年结转", "0", ""),
        ("年度绩效目标", "", "", ""),
        ("做好聘用人员的管理工作，行政审批服务质量，同时按时发放工资，确保人员队伍稳定性。", "", "", ""),
        ("一级指标", "二级指标", "三级指标", "指标值"),
    ]
    merges = [Merge(0, 1, col_span=3), Merge(2, 0, row_span=4), Merge(6, 0, col_span=4), Merge(7, 0, col_span=4)]
    merges += [Merge(r, 2, col_span=2) for r in (2, 3, 4, 5)]
    body, body_merges = indicator_rows(len(head), PROJECT_INDICATORS)
    return _table(
        11, "project_performance_targets", "项目绩效目标表", subtitle="(2024年度)",
        header=(), column_keys=("text",) * 4, rows=tuple(head + body),
        body_merges=tuple(merges + body_merges), money_rows=(2, 3, 4, 5),
    )


def seed_tables() -> tuple[TableSpec, ...]:
    return (
        summary_table(),
        revenue_table(),
        expenditure_table(),
        fiscal_table(),
        general_budget_table(),
        basic_table(),
        three_public_table(),
        empty_fund_table(8, "government_fund_expenditure", "政府性基金预算支出表", "政府性基金收支"),
        empty_fund_table(9, "state_capital_expenditure", "国有资本经营预算支出表", "国有资本经营预算收支"),
        department_performance_table(),
        project_performance_table(),
    )
