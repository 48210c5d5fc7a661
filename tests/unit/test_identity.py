"""Document identity: region, normalized name, code, entity_id; the batch checks' small parsers."""

from __future__ import annotations

import pytest

from disclosure_etl.normalize.identity import Region, code_of, cover_heading, document_identity, split_region
from disclosure_etl.reconcile.crossdoc import claim_basis
from disclosure_etl.reconcile.rollup import row_label_key, units_expected
from disclosure_etl.records import Section


@pytest.mark.parametrize(("name", "region", "rest"), [
    ("上海市普陀区人民政府办公室", Region("上海市", None, "普陀区"), "人民政府办公室"),
    ("南昌市东湖区政务服务数据管理局", Region(None, "南昌市", "东湖区"), "政务服务数据管理局"),
    ("江西省南昌市东湖区政务服务数据管理局", Region("江西省", "南昌市", "东湖区"), "政务服务数据管理局"),
    ("中共上海市普陀区委社会工作部", Region("上海市", None, "普陀区"), "中共区委社会工作部"),
    ("上海市普陀区城市管理行政执法局", Region("上海市", None, "普陀区"), "城市管理行政执法局"),
    ("普陀区市场监督管理局", Region(None, None, "普陀区"), "市场监督管理局"),
    ("社区服务中心", Region(), "社区服务中心"),
    ("内蒙古自治区呼和浩特市新城区教育局", Region("内蒙古自治区", "呼和浩特市", "新城区"), "教育局"),
])
def test_split_region(name, region, rest):
    assert split_region(name) == (region, rest)


def test_same_department_however_printed():
    a = document_identity("上海市普陀区人民政府办公室", "", [])
    b = document_identity("普陀区人民政府办公室（本级）", "上海市普陀区2025年区级单位预算\n预算单位：普陀区人民政府办公室", [])
    c = document_identity("上海市普陀区 人民政府办公室本级", "", [])
    assert a.entity_id == b.entity_id == c.entity_id and a.entity_name == "人民政府办公室"
    assert document_identity("浙江省舟山市普陀区人民政府办公室", "", []).entity_id != a.entity_id


def test_cover_region_does_not_override_the_name():
    who = document_identity("南昌市东湖区财政局", "上海市普陀区2024年区级部门预算", [])
    assert who.region == Region(None, "南昌市", "东湖区")


def test_codes_and_placeholders():
    assert code_of(["[134]南昌市东湖区政务服务数据管理局"]) == "134"
    assert code_of(["［134001］南昌市东湖区行政审批服务保障中心"]) == "134001"
    assert code_of(["部门编码：201 部门名称：某局"]) == "201"
    assert code_of(["上海市普陀区人民政府办公室"]) is None
    assert document_identity("上海市XX局", "", []).entity_id == ""


def test_cover_heading_joins_a_wrapped_name():
    assert cover_heading("中共上海市普陀区委\n社会工作部2024年度\n部门决算") == "中共上海市普陀区委社会工作部"
    assert cover_heading("上海市普陀区2024年区级部门预算\n预算主管部门：x") == "上海市普陀区"


@pytest.mark.parametrize(("text", "want"), [
    ("2024年预算", ("budget", 2024)),
    ("上年预算安排", ("budget", 2024)),
    ("上年决算", ("final", 2024)),
    ("上年", ("unstated", 2024)),
    ("2024年预算执行数", ("execution", 2024)),
    ("年初预算", ("budget", None)),
    ("2025年预算", ("budget", None)),
])
def test_claim_basis(text, want):
    assert claim_basis(text, 2025) == want


@pytest.mark.parametrize(("text", "want"), [
    ("共有预算单位 2 个，包括本级和中心。", 2),
    ("包括万里街道本部以及下属 5 家预算单位的综合收支计划。本部门中，行政单位 1 家，参公单位1家，事业单位 4 家", 6),
    ("本部门中，行政单位1家，事业单位1家，具体包括：1.本部。2.下属事业单位某中心不单列预算，并入本部。", 1),
    ("本部门中，行政单位一家，事业单位两家。", 3),
    ("设10个内设机构，包括：秘书科。", None),
])
def test_units_expected(text, want):
    assert units_expected([Section("organization", "机构设置", text, (4,))]) == want


def test_row_label_key():
    assert row_label_key("一、一般公共服务支出") == row_label_key("三、一般公共服务支出") == "一般公共服务支出"
    assert row_label_key("1.一般公共预算资金") == row_label_key("1、一般公共预算资金") == "一般公共预算资金"
    assert row_label_key("其中：一般公共预算") == "一般公共预算"
