import pytest

from disclosure_etl.normalize.headers import path_to_key, path_to_phase
from disclosure_etl.normalize.titles import title_to_kind
from disclosure_etl.records import TableKind as K


@pytest.mark.parametrize(
    "path,kind,key",
    [
        (["2024年预算数", "合计"], K.GENERAL_BUDGET_EXPENDITURE, "total"),
        (["一般公共预算支出", "合计"], K.GENERAL_BUDGET_EXPENDITURE, "total"),
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
    ],
)
def test_title_to_kind(title, kind):
    assert title_to_kind(title) is kind


def test_fiscal_year_from_a_two_digit_file_name():
    from disclosure_etl.normalize.document import fiscal_year_of

    assert fiscal_year_of("上海市普陀区人民政府办公室", [], "上海市普陀区人民政府办公室25年预算.pdf") == 2025
    assert fiscal_year_of("2024年部门预算", [], "25年预算.pdf") == 2024  # the cover wins
    assert fiscal_year_of("", [], "budget.pdf") is None
