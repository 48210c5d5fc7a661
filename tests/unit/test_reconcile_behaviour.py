"""The reconciliation as a whole: the registry and its docs, the baseline keeping misread tables
out of document findings, figures read from their own sentence, noise grouped."""

from __future__ import annotations

from pathlib import Path

from rule_builders import DOC, PAGES, catalogue, document, item, section, table, toc

from disclosure_etl.records import DocType, FindingKind, Severity, Side, TableKind, Unit
from disclosure_etl.reconcile.claims import section_to_claims
from disclosure_etl.reconcile.document import reconcile_document
from disclosure_etl.reconcile.narrative import check_claims
from disclosure_etl.reconcile.registry import checks_markdown, identities, load_rules, row_rules
from disclosure_etl.reconcile.subjects import class_names_of, subject_rules

ROOT = Path(__file__).parents[2]
K = TableKind
ES, F3 = K.EXPENDITURE_SUMMARY, K.FINAL_THREE_PUBLIC_EXPENSES


def test_checks_doc_is_generated_from_the_registry():
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert doc == checks_markdown(), "docs/checks.md is stale: run `disclosure-etl checks --markdown > docs/checks.md`"


def test_registry_data_parses():
    rules = load_rules()
    assert all(r.group in {"structure", "completeness", "table", "row", "cross", "narrative", "batch"} for r in rules.values())
    assert {r.kind for r in rules.values() if r.group == "structure"} == {FindingKind.EXTRACTION}
    assert {r.kind for r in rules.values() if r.group != "structure"} == {FindingKind.DOCUMENT}
    assert identities() and row_rules() and subject_rules()  # every term of the data parses


def _reconcile(tables, sections=(), doc_type=DocType.DEPARTMENT_BUDGET):
    """The findings on these tables (the document-level note that core tables are absent left out)."""
    found = reconcile_document(document(tables, doc_type), [], list(sections), catalogue())
    return [f for f in found if f.rule_id != "required_table_missing"]


def test_a_header_row_read_as_amounts_is_one_extraction_finding():
    """A 三公 决算 table whose 预算数 | 决算数 row came out as a body row: one extraction finding, no errors."""
    words = [(0, key, word) for key in ("three_public_total", "reception", "vehicle_total") for word in ("预算数", "决算数")]
    t = table(F3, [item(F3, 1, "reception", "1.00", phase="final")], bad=[(r, k, w) for r, k, w in words])
    found = _reconcile([t], doc_type=DocType.DEPARTMENT_FINAL_ACCOUNTS)
    assert [(f.rule_id, f.kind) for f in found if f.table_id == F3.value] == [("header_row_in_body", FindingKind.EXTRACTION)]
    assert not [f for f in found if f.severity is Severity.ERROR]


def test_no_document_finding_from_a_table_that_fails_its_baseline():
    """A misread expenditure table (an unmapped column) gives neither its own sums nor the text's check against it."""
    misread = [item(ES, 0, "total", "24,169.74", label="合计"), item(ES, 0, "basic", "15,844.04", label="合计", col=1),
               item(ES, 0, "project", "4,335.30", label="合计", col=2), item(ES, 0, "col_单位预留机动经费", "3,990.40", label="合计", col=3)]
    text = section("本年支出预算合计24,169.74万元，其中：基本支出15,844.00万元，占65.56%。")
    found = _reconcile([table(ES, misread)], [text])
    assert [f.rule_id for f in found if f.kind is FindingKind.DOCUMENT and f.severity is not Severity.ROUNDING] == []
    assert [f.rule_id for f in found if f.kind is FindingKind.EXTRACTION] == ["unmapped_column"]
    assert found[-1].kind is FindingKind.EXTRACTION  # document findings first


def test_a_share_is_never_of_a_number_from_the_previous_sentence():
    """「公务接待费支出决算X万元，占100.00%。」 after a sentence stating a change: no base, no check."""
    text = "“三公”经费财政拨款支出决算为1.20万元。比2023年度减少0.30万元，其中：主要是压减接待。公务接待费支出决算1.20万元，占100.00%。"
    claims = section_to_claims(section(text))
    assert [c.amount_text for c in claims] == ["1.20", "1.20"]  # the change is no amount of its own
    assert claims[1].share_base_yuan is None
    assert check_claims(DOC, [section(text)], [], class_names_of(catalogue().names)) == []


def test_a_share_of_the_list_head_in_its_own_sentence():
    (head, *parts) = section_to_claims(section("本年支出合计307.82万元，其中：基本支出105.58万元，占34.30%；项目支出202.24万元，占65.70%。"))
    assert [p.share_base_yuan for p in parts] == [head.amount_yuan] * 2


def test_a_named_share_base_is_the_figure_it_names():
    """'占“三公”经费的26.69%': the 三公 total of the table, not the last number of the text (Jiangsu narratives)."""
    t3 = K.THREE_PUBLIC_EXPENSES
    items = [item(t3, 0, "three_public_total", "833.60", unit=Unit.WAN_YUAN), item(t3, 0, "overseas_travel", "222.50", col=1, unit=Unit.WAN_YUAN)]
    text = section("一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出222.5万元，占“三公”经费的26.69%；会议费2391.92万元。")
    assert check_claims(DOC, [text], items, {}) == []
    wrong = section("“三公”经费预算支出中，因公出国（境）费支出222.5万元，占“三公”经费的36.69%。")
    assert [f.rule_id for f in check_claims(DOC, [wrong], items, {})] == ["narrative_share"]


def test_final_accounts_narrative_against_the_tables():
    """决算: 财政拨款收入支出总计, 基本支出 and 人员经费 stated above what the tables print are reported."""
    ff, fb = K.FINAL_FISCAL_APPROPRIATION_SUMMARY, K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE
    items = [item(ff, 30, "amount", "307.82", label="总计", side=Side.REVENUE),
             item(fb, 10, "amount", "95.36", label="人员经费合计"), item(fb, 11, "amount", "10.23", label="公用经费合计")]
    text = section("2024年度财政拨款收入支出总计3.08万元。其中：人员经费108.36万元；公用经费10.23万元。", "四、财政拨款收入支出决算总体情况说明")
    got = {(f.rule_id, f.table_id, f.expected) for f in check_claims(DOC, [text], items, {})}
    assert {(r, t) for r, t, _ in got} == {("narrative_amount", ff.value), ("narrative_amount", fb.value)}


def test_rounding_repeated_down_a_column_is_one_finding():
    rows = [item(ES, 0, "total", "300.01", code="201", label="一般公共服务支出"), item(ES, 1, "total", "300.00", code="20103", label="政府办公厅（室）及相关机构事务"),
            item(ES, 2, "total", "100.01", code="208", label="社会保障和就业支出"), item(ES, 3, "total", "100.00", code="20805", label="行政事业单位养老支出")]
    found = [f for f in _reconcile([table(ES, rows)]) if f.rule_id == "hierarchy_sum"]
    assert len(found) == 1 and found[0].severity is Severity.ROUNDING and len(found[0].bboxes) == 4
    assert "201" in found[0].message and "208" in found[0].message


def test_placeholders_once_per_table():
    t = table(ES, [], rows=[["201", "XX", "XXX"], ["20101", "XX", "XX"]])
    found = [f for f in _reconcile([t]) if f.rule_id == "placeholder"]
    assert len(found) == 1 and len(found[0].bboxes) == 4 and found[0].pages == (PAGES[ES],)


def test_a_narrative_only_file_is_not_told_its_tables_are_missing():
    from disclosure_etl.records import DocContents

    doc = document([], contents=DocContents.NARRATIVE_ONLY)
    assert reconcile_document(doc, toc("收支预算总表", "部门收入总表"), [], catalogue()) == []


def test_three_public_final_narrative_against_its_budget_and_final_columns():
    """'“三公”经费财政拨款支出预算为A万元，支出决算为B万元，完成预算的C%': A is the 预算数 column, B the 决算数, C = B ÷ A."""
    items = [item(F3, 0, "three_public_total", "2.00", phase="budget", unit=Unit.WAN_YUAN),
             item(F3, 0, "three_public_total", "1.20", phase="final", col=1, unit=Unit.WAN_YUAN)]
    good = section("2024年度“三公”经费财政拨款支出预算为2.00万元，支出决算为1.20万元，完成预算的60.00%。", "七、财政拨款“三公”经费支出决算情况说明")
    assert check_claims(DOC, [good], items, {}) == []
    bad = section("2024年度“三公”经费财政拨款支出预算为3.00万元，支出决算为1.20万元，完成预算的60.00%。", "七、财政拨款“三公”经费支出决算情况说明")
    assert sorted(f.rule_id for f in check_claims(DOC, [bad], items, {})) == ["narrative_amount", "narrative_completion"]
