"""The foundation sample end to end: line items equal the generator's ground truth."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from conftest import SAMPLE_STEM, SAMPLES

from disclosure_etl.records import Severity, Status


def _truth_rows() -> list[dict[str, str]]:
    with open(SAMPLES / f"{SAMPLE_STEM}.truth.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _key(table_id, page, row_index, code, label, side, column, phase, text, yuan):
    # Performance forms have no body-row numbering of their own; compare them without it.
    row = None if table_id.endswith("performance_targets") else int(row_index)
    return (table_id, int(page), row, code or None, label, side or None, column, phase, text, Decimal(yuan))


def test_line_items_equal_ground_truth(sample_result):
    truth = {_key(*r.values()) for r in _truth_rows()}
    got = {
        _key(i.table_id.value, i.page_no, i.row_index, i.subject_code, i.row_label, i.side.value if i.side else None,
             i.column_key, i.phase, i.amount_text, i.amount_yuan)
        for i in sample_result.items
    }
    assert len(sample_result.items) == len(got), "an amount was extracted twice"
    assert sorted(got - truth, key=str) == [], "extracted but not in the ground truth"
    assert sorted(truth - got, key=str) == [], "in the ground truth but not extracted"


def test_all_tables_found_with_their_pages(sample_result):
    expected = json.loads((SAMPLES / f"{SAMPLE_STEM}.tables.json").read_text(encoding="utf-8"))
    got = {t.table_id.value: t for t in sample_result.tables if t.table_id}
    assert len(sample_result.tables) == len(expected)
    for t in expected:
        info = got[t["table_id"]]
        assert (info.first_page, info.last_page) == (t["first_page"], t["last_page"]), t["table_id"]
        assert info.toc_no == t["no"], t["table_id"]
        assert info.is_empty == t["empty"], t["table_id"]
        assert info.unit is not None and info.unit.value == t["unit"]


def test_empty_tables_carry_their_note(sample_result):
    empty = [t for t in sample_result.tables if t.is_empty]
    assert {t.table_id.value for t in empty} == {"government_fund_expenditure", "state_capital_expenditure"}
    assert all("空表" in t.empty_note for t in empty)


def test_sections_present(sample_result):
    expected = json.loads((SAMPLES / f"{SAMPLE_STEM}.sections.json").read_text(encoding="utf-8"))
    got = {s.key: s for s in sample_result.sections}
    for s in expected:
        assert s["key"] in got, s["key"]
        sec = got[s["key"]]
        assert sec.heading.replace(" ", "") == s["heading"].replace(" ", "")
        assert (sec.pages[0], sec.pages[-1]) == (s["first_page"], s["last_page"]), s["key"]
        assert sec.text.strip(), s["key"]
    subsections = [s for s in sample_result.sections if s.key.startswith("budget_explanation.")]
    assert len(subsections) == 9


def test_performance_targets_parsed(sample_result):
    targets = sample_result.targets
    assert len(targets) == 29 + 8  # 29 indicators in the department table, 8 in the project table
    first = next(t for t in targets if t.level3 == "推出即办事项")
    assert (first.level1, first.level2, first.operator, first.value, first.value_unit) == ("产出指标", "数量指标", "≥", Decimal(300), "种")
    wage = next(t for t in targets if t.level3 == "窗口工作人员工资")
    assert (wage.operator, wage.value, wage.value_unit, wage.project) == ("=", Decimal("8.2"), "万元/人", "服务外包工资项目")
    deadline = next(t for t in targets if t.level3 == "互联网+监管任务完成时限")
    assert deadline.value is None and deadline.target_text == "2024年12月31日前"


def test_seed_rounding_is_rounding_not_error(sample_result):
    assert sample_result.status is Status.OK
    errors = [f for f in sample_result.findings if f.severity is Severity.ERROR]
    assert errors == []
    rounding = [f for f in sample_result.findings if f.severity is Severity.ROUNDING]
    # 145.14 + 199.53 + 268.39 = 613.06 against a printed 613.05 (20103 and its class 201).
    assert any(f.subject_code == "20103" and f.column_key == "total" and f.difference == Decimal(-100) for f in rounding)
    assert all(abs(f.difference) <= f.tolerance for f in rounding)
