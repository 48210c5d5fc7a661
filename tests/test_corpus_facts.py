"""Facts of the real documents: where their printed numbers do not add up, and the template.

Each finding below was checked against the rendered page; they are facts of
the documents, not bugs. On the Shanghai family (the top of the corpus) any
other document finding, and any extraction finding, fails this test. The
families in the subfolders (jiangsu/, central/) are still being read right
(issue 11): their facts below must be found, and the list is finished once
they are.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, corpus_dir

from disclosure_etl.pipeline import process_document
from disclosure_etl.records import FindingKind

# (file stem, rule_id, severity, table_id, subject_code, column_key, expected, printed): every document
# finding of the Shanghai family (yuan for amounts, percent for percentages).
KNOWN = {
    # 社会工作部 2024 决算, p.13: the 302 items sum to 10.22 万元; 302 prints 10.23.
    ("中共上海市普陀区委社会工作部 2024 年度部门决算", "hierarchy_sum", "rounding", "final_general_budget_basic_expenditure", "302", "amount", Decimal(102200), Decimal(102300)),
    # Same document, p.12 vs p.13: 基本支出 105.58 against 人员经费合计 95.36 + 公用经费合计 10.23 = 105.59.
    ("中共上海市普陀区委社会工作部 2024 年度部门决算", "x_final_basic_vs_basic_table", "rounding", "final_general_budget_expenditure", None, "basic", Decimal(1055900), Decimal(1055800)),
    # Same document, p.18: 29.42 / 307.82 = 9.56%; the text says 9.55% so the list sums to 100% (rounding).
    ("中共上海市普陀区委社会工作部 2024 年度部门决算", "narrative_share", "rounding", None, None, None, Decimal("9.56"), Decimal("9.55")),
    # Same document, p.18: '年初预算为 0 万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%' —
    # nothing can be 95.89% of a zero budget (307.82 / 321.02 is the share of the 全年预算): a warning.
    ("中共上海市普陀区委社会工作部 2024 年度部门决算", "narrative_completion", "warning", None, None, None, None, Decimal("95.89")),
    # 办公室 2025 (department and unit), p.20 vs p.19: the 三公 table prints 公务接待费 28.50 万元,
    # the basic-expenditure table 30217 公务接待费 185,000.00 元. 三公 also covers project
    # spending, so this is a warning, not an error.
    ("上海市普陀区人民政府办公室25年预算", "x_reception_vs_30217", "warning", "three_public_expenses", None, "reception", Decimal(185000), Decimal(285000)),
    ("上海市普陀区人民政府办公室单位25年预算", "x_reception_vs_30217", "warning", "three_public_expenses", None, "reception", Decimal(185000), Decimal(285000)),
    # 万里街道 2024, p.7: '2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%'
    # — a change from zero has no percentage (warning).
    ("上海市普陀区人民政府万里街道办事处24年预算", "narrative_percentage", "warning", None, None, None, None, Decimal("100.00")),
    # 万里街道 2024, p.9: 348.52 → 352.67 万元 is +1.19%; the text says 增加0.53%.
    ("上海市普陀区人民政府万里街道办事处24年预算", "narrative_percentage", "error", None, None, None, Decimal("1.19"), Decimal("0.53")),
    # 万里街道 2024, p.31: the 三公 table prints 47.91 (合计), 1.35, 46.56, 25, 21.56 and 机关运行经费 443.18 under
    # '注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。'
    ("上海市普陀区人民政府万里街道办事处24年预算", "empty_table_with_amounts", "error", "three_public_expenses", None, None, None, None),
}

# (subfolder/file stem, rule_id, severity, table_id, subject_code, expected, printed): facts of the other
# families, each seen on the page.
FAMILY_FACTS = {
    # 西南大学 2023 预算 p.8 (收入预算表): 2050202 小学教育 收入合计 9,645.51 against 上年结转 14.33 + 财政拨款 8,201.15
    # + 事业收入 0.50 + 其他收入 1,430.03 = 9,646.01; and 20502 普通教育 520,603.91 against its 项 9,645.51 +
    # 27,109.72 + 483,848.18 = 520,603.41.
    ("central/西南大学2023年部门预算", "row_total_revenue_sources", "error", "revenue_summary", "2050202", Decimal("96460100.00"), Decimal("96455100.00")),
    ("central/西南大学2023年部门预算", "hierarchy_sum", "error", "revenue_summary", "20502", Decimal("5206034100.00"), Decimal("5206039100.00")),
    # 江苏省人民检察院 2019, p.25: '收入、支出预算总计24,169.74万元，与上年相比收、支预算总计各增加2214.39万元，增长10.06%'
    # — 2214.39 / 21955.35 is 10.09%.
    ("jiangsu/江苏省人民检察院2019年度部门预算公开", "narrative_percentage", "error", None, None, Decimal("10.09"), Decimal("10.06")),
    # Same document, p.29: '住房公积金（项）支出1442.74万元，与上年相比增加368.97万元，增加34.38%' — 368.97 / 1073.77 is 34.36%.
    ("jiangsu/江苏省人民检察院2019年度部门预算公开", "narrative_percentage", "error", None, None, Decimal("34.36"), Decimal("34.38")),
    # 江苏省高级人民法院 2017, p.22: '提租补贴（项）支出1959.99万元，与上年相比增加865.57万元，增长79.05%' — 865.57 / 1094.42 is 79.09%.
    ("jiangsu/省法院2017年度部门预算公开", "narrative_percentage", "error", None, None, Decimal("79.09"), Decimal("79.05")),
    # 江苏省委办公厅 2017 (the narrative half), p.8: '行政运行（项）支出6106.99万元，与上年相比增加101.48万元，增长1.66%'
    # — 101.48 / 6005.51 is 1.69%.
    ("jiangsu/江苏省委办公厅2017年部门预算", "narrative_percentage", "error", None, None, Decimal("1.69"), Decimal("1.66")),
}


@pytest.fixture(scope="module")
def results(corpus):
    return {p.stem: process_document(str(p)) for p in sorted(corpus.glob("*.pdf"))}


def _key(stem: str, f) -> tuple:  # type: ignore[no-untyped-def]
    amounts = f.rule_id in ("empty_table_with_amounts",)
    return (stem, f.rule_id, f.severity.value, f.table_id, f.subject_code, f.column_key,
            None if amounts else f.expected, None if amounts else f.actual)


def test_only_the_known_inconsistencies(results):
    got = {_key(stem, f) for stem, r in results.items() for f in r.findings if f.rule_id != "placeholder"}
    assert got == KNOWN


def test_no_extraction_finding_on_the_shanghai_family(results):
    assert [(stem, f.rule_id, f.message) for stem, r in results.items() for f in r.findings if f.kind is FindingKind.EXTRACTION] == []


def test_known_rounding_is_within_printed_precision(results):
    for r in results.values():
        for f in r.findings:
            if f.rule_id == "hierarchy_sum":
                assert f.severity.value == "rounding" and abs(f.difference) <= f.tolerance


def test_the_empty_note_finding_boxes_every_amount(results):
    (f,) = [f for f in results["上海市普陀区人民政府万里街道办事处24年预算"].findings if f.rule_id == "empty_table_with_amounts"]
    assert f.pages == (31,) and f.printed == ("47.91", "1.35", "46.56", "25", "21.56", "443.18") and len(f.bboxes) == 6


def test_template_placeholders_reported_once_per_place_never_parsed(results):
    template = next(r for stem, r in results.items() if "模板" in stem)
    placeholders = [f for f in template.findings if f.rule_id == "placeholder"]
    places = [(f.table_id, f.pages, f.message.split(":")[0].split(" in ")[-1]) for f in placeholders]
    assert len(places) == len(set(places))  # one finding per table, section or cover
    occurrences = sum(int(re.match(r"(\d+) placeholder", f.message).group(1)) for f in placeholders)
    assert occurrences > 50 and any("XXX" in f.message for f in placeholders)
    assert template.items == ()  # no XX was read as a number
    assert len([t for t in template.tables if t.table_id]) == 9
    assert all(r.status.value == "ok" for r in results.values())


def test_units_per_table(results):
    budget = next(r for stem, r in results.items() if stem.endswith("办公室25年预算"))
    units = {t.table_id.value: t.unit.value for t in budget.tables}
    assert units["three_public_expenses"] == "万元"
    assert {u for k, u in units.items() if k != "three_public_expenses"} == {"元"}
    office = [i for i in budget.items if i.table_id.value == "three_public_expenses" and i.column_key == "three_public_total"]
    assert office[0].amount_yuan == Decimal(8675000)  # 867.50 万元


@cache
def _family_result(relative: str):  # type: ignore[no-untyped-def]
    corpus = corpus_dir()
    return process_document(str(corpus / f"{relative}.pdf")) if corpus else None


@pytest.mark.parametrize("fact", sorted(FAMILY_FACTS, key=str), ids=lambda f: f"{f[0]}:{f[1]}:{f[5]}")
def test_family_facts_are_found(corpus, fact):
    relative, rule_id, severity, table_id, code, expected, printed = fact
    if not (corpus / f"{relative}.pdf").exists():
        pytest.skip(f"{relative} not in this corpus")
    got = {(f.rule_id, f.severity.value, f.table_id, f.subject_code, f.expected, f.actual) for f in _family_result(relative).findings}
    assert (rule_id, severity, table_id, code, expected, printed) in got


def _golden_tables() -> list[tuple[Path, str]]:
    corpus, golden = corpus_dir(), ROOT / "tests" / "golden"
    if corpus is None:
        return []
    out = []
    for folder in sorted(p.parent for p in golden.rglob("tables.csv")):
        pdf = corpus / folder.relative_to(golden).parent / f"{folder.name}.pdf"
        out += [(pdf, csv.stem) for csv in sorted(folder.glob("*.csv")) if csv.stem not in ("tables", "sections") and pdf.exists()]
    return out


@pytest.mark.parametrize(("pdf", "table_id"), _golden_tables(), ids=lambda x: x.stem if isinstance(x, Path) else x)
def test_no_extraction_finding_on_a_table_read_right(pdf, table_id):
    """A table its golden file confirms we read right passes the baseline."""
    result = _family_result(str(pdf.relative_to(corpus_dir()).with_suffix("")))
    assert [f.message for f in result.findings if f.kind is FindingKind.EXTRACTION and f.table_id == table_id] == []
