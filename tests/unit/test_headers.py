import pytest

from disclosure_etl.normalize.headers import map_columns, path_to_key, path_to_phase
from disclosure_etl.normalize.titles import title_to_kind
from disclosure_etl.records import BBox, Cell, RawRow
from disclosure_etl.records import TableKind as K


@pytest.mark.parametrize(
    "path,kind,key",
    [
        (["2024年预算数", "合计"], K.GENERAL_BUDGET_EXPENDITURE, "total"),
        (["事业收入", "金额"], K.REVENUE_SUMMARY, "business_income"),
        (["事业收入", "其中：教育收费"], K.FINAL_REVENUE, "business_income_of_which_tuition"),
        (["本年支出", "项目支出", "小计"], K.FINAL_FISCAL_APPROPRIATION_EXPENDITURE, "project"),
        (["本年支出", "项目支出", "其中：基本建设资金支出"], K.FINAL_FISCAL_APPROPRIATION_EXPENDITURE, "project_of_which_capital_construction"),
        (["“三公”经费", "小计"], K.THREE_PUBLIC_EXPENSES, "three_public_total"),
        (["会议费"], K.THREE_PUBLIC_EXPENSES, "meeting"),
        (["培训费"], K.THREE_PUBLIC_EXPENSES, "training"),
        (["单位预留机动经费"], K.EXPENDITURE_SUMMARY, "reserve_fund"),
        (["对下级单位补助支出"], K.EXPENDITURE_SUMMARY, "subsidy_to_subsidiaries"),
        (["使用非财政拨款结余"], K.REVENUE_SUMMARY, "use_of_non_fiscal_balance"),
        (["支出用途", "金额"], K.REVENUE_EXPENDITURE_SUMMARY, "amount_by_use"),
        (["一般公共预算支出", "基本支出"], K.GENERAL_BUDGET_EXPENDITURE, "basic"),
        (["合计"], K.THREE_PUBLIC_EXPENSES, "three_public_total"),
        (["因公出国(境)费", "小计"], K.THREE_PUBLIC_EXPENSES, "overseas_travel"),
        (["公务用车购置及运行维护费", "小计"], K.THREE_PUBLIC_EXPENSES, "vehicle_total"),
        (["公务用车购置及运行费", "购置费"], K.THREE_PUBLIC_EXPENSES, "vehicle_purchase"),
        (["公务用车购置及运行费", "运行费"], K.THREE_PUBLIC_EXPENSES, "vehicle_operation"),
        (["财政拨款“三公”经费", "合计", "预算数"], K.FINAL_THREE_PUBLIC_EXPENSES, "three_public_total"),
        (["收入预算", "事业单位经营收入"], K.REVENUE_SUMMARY, "operating_income"),
        (["决算数"], K.FINAL_REVENUE_EXPENDITURE_SUMMARY, "amount"),
        (["年初结转和结余"], K.FINAL_GOVERNMENT_FUND, "opening_balance"),
    ],
)
def test_path_to_key(path, kind, key):
    assert path_to_key(path, kind) == key


def _header(*rows):
    """Header rows from (col, col_span, text) triples."""
    return [RawRow(tuple(Cell(i, c, 1, span, t, BBox(0, 0, 1, 1), 1) for c, span, t in row), 1) for i, row in enumerate(rows)]


def test_a_banner_over_every_amount_column_names_the_table_not_a_column():
    header = _header([(0, 1, "科目编码"), (1, 1, "科目名称"), (2, 3, "一般公共预算支出")], [(2, 1, "合计"), (3, 1, "基本支出"), (4, 1, "项目支出")])
    keys = [s.key for s in map_columns(header, 5, K.GENERAL_BUDGET_EXPENDITURE, "budget")]
    assert keys == ["code", "name", "total", "basic", "project"]


def test_three_public_with_meeting_and_training_has_a_grand_total():
    # jiangsu/江苏省人大常委会办公厅2019年部门预算公开表 p.9
    header = _header(
        [(0, 1, "合计"), (1, 6, "“三公”经费"), (7, 1, "会议费"), (8, 1, "培训费")],
        [(1, 1, "小计"), (2, 1, "因公出国（境）费"), (3, 3, "公务用车购置及运行维护费"), (6, 1, "公务接待费")],
        [(3, 1, "小计"), (4, 1, "公务用车购置费"), (5, 1, "公务用车运行维护费")],
    )
    keys = [s.key for s in map_columns(header, 9, K.THREE_PUBLIC_EXPENSES, "budget")]
    assert keys == ["total", "three_public_total", "overseas_travel", "vehicle_total", "vehicle_purchase", "vehicle_operation",
                    "reception", "meeting", "training"]


def test_columns_of_text_under_unknown_headers_are_text():
    header = _header([(0, 1, "采购品目大类"), (1, 1, "专项名称"), (2, 1, "采购组织形式"), (3, 1, "总计")])
    body = [RawRow((Cell(1, 0, 1, 1, "货物", BBox(0, 0, 1, 1), 1), Cell(1, 2, 1, 1, "分散自行组织", BBox(0, 0, 1, 1), 1),
                    Cell(1, 3, 1, 1, "59.00", BBox(0, 0, 1, 1), 1)), 1)]
    specs = map_columns(header, 4, K.GOVERNMENT_PROCUREMENT, "budget", body)
    assert [(s.role, s.key) for s in specs] == [("text", "text"), ("name", "name"), ("text", "text"), ("amount", "total")]


def test_phase_ignores_fund_names():
    assert path_to_phase(["支出", "一般公共预算财政拨款"], "final") == "final"
    assert path_to_phase(["合计", "预算数"], "final") == "budget"
    assert path_to_phase(["上年预算数"], "budget") == "prior_year"


@pytest.mark.parametrize(
    "title,kind",
    [
        ("收支预算总表", K.REVENUE_EXPENDITURE_SUMMARY),
        ("2025年部门财务收支预算总表", K.REVENUE_EXPENDITURE_SUMMARY),
        ("2024年部门收入预算总表", K.REVENUE_SUMMARY),
        ("部门支出总表", K.EXPENDITURE_SUMMARY),
        ("2025年预算单位财政拨款收支预算总表", K.FISCAL_APPROPRIATION_SUMMARY),
        ("部门一般公共预算支出功能分类预算表", K.GENERAL_BUDGET_EXPENDITURE),
        ("2024年部门一般公共预算基本支出部门预算经济分类预算表", K.GENERAL_BUDGET_BASIC_EXPENDITURE),
        ("财政拨款“三公”经费支出表", K.THREE_PUBLIC_EXPENSES),
        ("政府性基金预算支出表", K.GOVERNMENT_FUND_EXPENDITURE),
        ("项目支出绩效目标表", K.PROJECT_PERFORMANCE_TARGETS),
        ("部门整体支出绩效目标表", K.DEPARTMENT_PERFORMANCE_TARGETS),
        ("收入支出决算总表", K.FINAL_REVENUE_EXPENDITURE_SUMMARY),
        ("财政拨款收入支出决算总表", K.FINAL_FISCAL_APPROPRIATION_SUMMARY),
        ("一般公共预算财政拨款基本支出决算表", K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE),
        ("国有资本经营预算财政拨款收入支出决算表", K.FINAL_STATE_CAPITAL),
        ("单位基本情况表", None),
        # Jiangsu provincial departments, 2017-2019: number lines, years and department names around the alias.
        ("一、2017年度江苏省高级人民法院部门收支预算总表", K.REVENUE_EXPENDITURE_SUMMARY),
        ("财政拨款支出预算表（功能科目）", K.FISCAL_APPROPRIATION_EXPENDITURE),
        ("财政拨款基本支出预算表（经济科目）", K.FISCAL_APPROPRIATION_BASIC_EXPENDITURE),
        ("一般公共预算机关运行经费支出预算表", K.AGENCY_OPERATING_EXPENDITURE),
        ("十一、2017年江苏省高级人民法院部门一般公共预算“三公”经费、会议费、培训费支出预算表", K.THREE_PUBLIC_EXPENSES),
        ("2019年政府采购预算表", K.GOVERNMENT_PROCUREMENT),
        ("政府性基金预算财政拨款支出预算表", K.GOVERNMENT_FUND_EXPENDITURE),
        # Central level (a university): the unit's name before the alias, 表N： before the 决算 titles.
        ("西南大学收入预算表", K.REVENUE_SUMMARY),
        ("西南大学财政拨款支出预算表", K.FISCAL_APPROPRIATION_EXPENDITURE),
        ("表1：高等学校收支决算总表", K.FINAL_REVENUE_EXPENDITURE_SUMMARY),
        ("表4：高等学校财政拨款支出决算表", K.FINAL_FISCAL_APPROPRIATION_EXPENDITURE),
        ("236出国留学经费（项目）绩效目标表 (2023年度)", K.PROJECT_PERFORMANCE_TARGETS),
        # A word that changes the table before a shorter alias: no id rather than a wrong one.
        ("基本支出预算表", None),
        ("国有资本经营财政拨款基本支出预算表", None),
        ("部门预算报表", None),
        # Numbers before the title in any of the ways producers print them; the year after a number stays a year.
        ("表1-1 部门收支总表", K.REVENUE_EXPENDITURE_SUMMARY),
        ("附件3-1 收支预算总表", K.REVENUE_EXPENDITURE_SUMMARY),
        ("1.1 部门收入总表", K.REVENUE_SUMMARY),
        # 收入 before a 支出 alias names another table (a fund's or an account's 收入支出 table).
        ("收入支出决算表", None),
        ("财政专户管理资金收入支出决算表", None),
        ("一般公共预算财政拨款收入支出决算表", K.FINAL_GENERAL_BUDGET_EXPENDITURE),
        ("一般公共预算财政拨款基本支出预算表", K.GENERAL_BUDGET_BASIC_EXPENDITURE),
        ("表7 一般公共预算财政拨款项目支出决算表", K.FINAL_GENERAL_BUDGET_PROJECT_EXPENDITURE),
        ("2024年部门一般公共预算“三公”经费和机关运行经费预算表", K.THREE_PUBLIC_EXPENSES),
        ("一般公共预算财政拨款“三公”经费及机关运行经费支出决算表", K.FINAL_THREE_PUBLIC_EXPENSES),
    ],
)
def test_title_to_kind(title, kind):
    assert title_to_kind(title) is kind


def test_fiscal_year_from_a_two_digit_file_name():
    from disclosure_etl.normalize.metadata import fiscal_year_of

    assert fiscal_year_of("上海市普陀区人民政府办公室", [], "上海市普陀区人民政府办公室25年预算.pdf") == 2025
    assert fiscal_year_of("2024年部门预算", [], "25年预算.pdf") == 2024  # the cover wins
    assert fiscal_year_of("", [], "budget.pdf") is None


def test_the_alias_table_is_well_formed():
    """Every alias names a known table, ends with 表 once reduced to its core, and is listed once."""
    from disclosure_etl.catalogue import data_rows
    from disclosure_etl.normalize.titles import title_core

    rows = data_rows("table_aliases.csv")
    cores = [title_core(r["alias"]) for r in rows]
    assert all(K(r["table_id"]) for r in rows)
    assert all(c.endswith("表") for c in cores)
    assert len(cores) == len(set(cores))
    # Each alias read as a title gives its own table: no longer alias shadows it with another id.
    assert all(title_to_kind(r["alias"]) is K(r["table_id"]) for r in rows)


def test_change_and_percentage_columns_beside_last_years_outturn():
    """'2023年执行数 | 2024年预算数 | 增减额 | 增减%': last year is prior_year, the change an amount, the percentage no amount."""
    header = _header([(0, 1, "科目编码"), (1, 1, "科目名称"), (2, 1, "2023年执行数"), (3, 1, "2024年预算数"), (4, 1, "增减额"), (5, 1, "增减%")])
    specs = map_columns(header, 6, K.GENERAL_BUDGET_EXPENDITURE, "budget")
    assert [(s.role, s.key, s.phase) for s in specs[2:]] == [
        ("amount", "amount", "prior_year"), ("amount", "amount", "budget"), ("amount", "change", "budget"), ("ratio", "ratio", "budget"),
    ]


def test_two_years_of_budget_figures_keep_their_years_apart():
    header = _header([(0, 1, "项目"), (1, 1, "2023年预算数"), (2, 1, "2024年预算数"), (3, 1, "增长率")])
    specs = map_columns(header, 4, K.THREE_PUBLIC_EXPENSES, "budget")
    assert [(s.role, s.phase) for s in specs[1:]] == [("amount", "prior_year"), ("amount", "budget"), ("ratio", "budget")]


@pytest.mark.parametrize("leaf,key", [
    ("用事业基金弥补收支差额", "business_fund_offset"), ("比上年增减", "change"), ("增减", "change"),
    ("非财政拨款", "non_fiscal"), ("财政拨款（补助）", "fiscal_appropriation"), ("经营性收入", "operating_income"),
    ("单位自有资金", "unit_funds"), ("本年预算", "amount"), ("调整预算数", "adjusted_budget"), ("年初预算数", "amount"),
])
def test_more_column_keys(leaf, key):
    assert path_to_key([leaf], K.REVENUE_SUMMARY) == key


@pytest.mark.parametrize("head", ["功能分类科目名称", "科目编码及名称"])
def test_one_subject_column_holding_code_and_name_gives_coded_rows(head):
    """One column printing '201 一般公共服务支出' in each cell: the rows get their codes and bare names."""
    from disclosure_etl.catalogue import load_catalogue
    from disclosure_etl.normalize.rows import TableContext, rows_to_items
    from disclosure_etl.records import Unit

    header = _header([(0, 1, head), (1, 1, "合计")])
    body = [
        RawRow((Cell(i + 1, 0, 1, 1, label, BBox(0, 0, 1, 1), 1), Cell(i + 1, 1, 1, 1, amount, BBox(1, 0, 2, 1), 1)), 1)
        for i, (label, amount) in enumerate([("合计", "12.00"), ("201 一般公共服务支出", "12.00"), ("20103 政府办公厅（室）及相关机构事务", "12.00"),
                                             ("2010301 行政运行", "12.00")])
    ]
    specs = map_columns(header, 2, K.GENERAL_BUDGET_EXPENDITURE, "budget", body)
    items, bad = rows_to_items(body, specs, TableContext("d", K.GENERAL_BUDGET_EXPENDITURE, Unit.WAN_YUAN, load_catalogue()))
    assert not bad
    assert [(i.subject_code, i.subject_name) for i in items] == [
        (None, None), ("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"), ("2010301", "行政运行"),
    ]


@pytest.mark.parametrize("title", ["表1-1 部门收支总表", "附表1-2：部门收支总表", "附件1：部门收支总表", "01 部门收支总表", "表1 2024年部门收支总表", "1.1 部门收支总表"])
def test_a_titles_number_is_never_taken_for_the_department(title):
    from disclosure_etl.normalize.titles import title_parts

    assert title_parts(title) == ("", K.REVENUE_EXPENDITURE_SUMMARY)


def test_an_items_opening_and_adjusted_budget_keep_the_item():
    assert path_to_key(["因公出国（境）费", "调整预算数"], K.FINAL_THREE_PUBLIC_EXPENSES) == "overseas_travel"
    assert path_to_phase(["因公出国（境）费", "调整预算数"], "final") == "budget"
