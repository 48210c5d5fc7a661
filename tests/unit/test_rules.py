"""Every registered rule fires on the smallest table or sentence that breaks it, pointing at the
right cells and pages, and stays quiet (or says `rounding`) where printed precision explains the
difference. A rule registered without such a case fails `test_every_rule_has_a_case`.

Row rules and identities across tables are built from their own declaration in data/rules.csv:
one printed figure per term, the left side the signed sum of the right (quiet: off by one unit
of the last digit; fire: off by 50.00).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from rule_builders import DOC, PAGES, catalogue, item, section, table, toc

from disclosure_etl.records import DocType, DocumentInfo, Finding, Severity, Side, TableKind
from disclosure_etl.reconcile import all_rule_ids
from disclosure_etl.reconcile.breakdown import check_item_changes
from disclosure_etl.reconcile.completeness import (
    check_empty_notes,
    check_low_confidence,
    check_placeholders,
    check_required_tables,
    check_toc_tables,
    check_unreadable_cells,
)
from disclosure_etl.reconcile.cross import check_identity
from disclosure_etl.reconcile.crossdoc import check_duplicates, check_prior_year, check_rollup
from disclosure_etl.reconcile.narrative import check_claims, check_old_names
from disclosure_etl.reconcile.registry import Identity, RowRule, identities, row_rules, rule
from disclosure_etl.reconcile.rollup import BatchDoc
from disclosure_etl.reconcile.structure import check_duplicate_tables, check_unknown_tables, run_baseline
from disclosure_etl.reconcile.subjects import class_names_of
from disclosure_etl.reconcile.tables import check_table
from disclosure_etl.reconcile.terms import RowSelector, RowTexts, Term

K = TableKind
R, E = Side.REVENUE, Side.EXPENDITURE
Run = Callable[[], list[Finding]]


@dataclass(frozen=True)
class Case:
    """A rule's breaking input (`fire`), its innocent twin (`quiet`), and where the finding must point."""

    fire: Run
    quiet: Run
    pages: tuple[int, ...] = ()
    cells: tuple = ()  # bboxes the finding must box


CASES: dict[str, Case] = {}


def case(rule_id: str, fire: Run, quiet: Run, pages: tuple[int, ...] = (), cells: tuple = ()) -> None:
    assert rule_id not in CASES, rule_id
    CASES[rule_id] = Case(fire, quiet, pages, cells)


# ------------------------------------------------------------------ identities from their declaration


def example(sel: RowSelector) -> tuple[str | None, str]:
    """(code, label) of a row the selector names: the first alternative of its pattern, spelt out."""
    if sel.mode in ("code", "codes"):
        return sel.pattern.split(",")[0], ""
    if sel.mode in ("all", "any"):
        return None, ""
    text = sel.pattern.split("|")[0] if "(" not in sel.pattern.split("|")[0] or sel.mode == "label=" else sel.pattern
    text = re.sub(r"\([^()]*\)\?", "", text)
    text = re.sub(r"\(([^()|]*)(\|[^()]*)?\)", r"\1", text)
    text = text.split("|")[0].strip("^$")
    assert re.search(sel.pattern, text), (sel.pattern, text)
    return None, text


def _term_item(term: Term, row: int, text: str, col: int) -> object:
    code, label = example(term.row)
    column = term.columns[0]
    return item(term.table, row, column.keys[0], text, code=code, label=label, side=term.side, col=col, phase=column.phase or "budget")


def identity_items(identity: Identity, off: str) -> tuple[list, RowTexts, object]:
    """One figure per term (optional terms left out); the left one `off` from the signed sum of the right."""
    rows: dict[K, int] = {}
    texts: RowTexts = {}
    anchors = {50: "", 51: ""}
    right_items, total = [], Decimal(0)
    terms = [t for t in identity.right if not t.optional]
    for k, term in enumerate(terms):
        value = Decimal(100 * (k + 1))
        row = _row_for(term, rows, texts, anchors)
        right_items.append(_term_item(term, row, f"{value:.2f}", k + 1))
        total += term.sign * value
    left_row = _row_for(identity.left, rows, texts, anchors)
    left = _term_item(identity.left, left_row, f"{total + Decimal(off):.2f}", 0)
    items = [left, *right_items]
    for it in items:
        texts.setdefault(it.table_id, {})[it.row_index] = it.row_label
    return items, texts, left


def _row_for(term: Term, rows: dict, texts: RowTexts, anchors: dict) -> int:
    sel = term.row
    if sel.after or sel.before:
        at = 50 if sel.before else 51
        texts.setdefault(term.table, {})[at] = (sel.after or sel.before)
        return (rows.setdefault(term.table, 0) if sel.before else 60 + rows.setdefault(term.table, 0)) + _bump(rows, term.table)
    return rows.setdefault(term.table, 0) + _bump(rows, term.table)


def _bump(rows: dict, table: K) -> int:
    rows[table] += 1
    return 0


def identity_case(identity: Identity) -> Case:
    def run(off: str) -> list[Finding]:
        items, texts, _ = identity_items(identity, off)
        f = check_identity(identity, items, texts)
        return [f] if f else []

    _, _, left = identity_items(identity, "50")
    return Case(lambda: run("50.00"), lambda: run("0.01"), (left.page_no,), (left.bbox,))


def row_rule_case(rr: RowRule) -> Case:
    kind = K(rr.rule.tables[0]) if rr.rule.tables else K.EXPENDITURE_SUMMARY

    def items(off: str) -> list:
        parts = [item(kind, 0, key, f"{100 * (n + 1)}.00", label="合计", col=n + 1) for n, (key, _) in enumerate(rr.parts)]
        total = sum((s * p.amount_yuan for p, (_, s) in zip(parts, rr.parts)), Decimal(0)) + Decimal(off)
        return [item(kind, 0, rr.total, f"{total:.2f}", label="合计", col=0), *parts]

    left = items("0")[0]
    return Case(lambda: check_table(items("50.00")), lambda: check_table(items("0.01")), (left.page_no,), (left.bbox,))


def _declared() -> None:
    for identity in identities():
        if identity.rule.rule_id not in CASES:
            CASES[identity.rule.rule_id] = identity_case(identity)
    for rr in row_rules():
        if rr.rule.rule_id not in CASES:
            CASES[rr.rule.rule_id] = row_rule_case(rr)


# ------------------------------------------------------------------ within a table

ES = K.EXPENDITURE_SUMMARY


def _hierarchy(parent: str) -> list:
    return [item(ES, 0, "total", parent, code="201", label="一般公共服务支出"),
            item(ES, 1, "total", "100.00", code="20101", label="人大事务"),
            item(ES, 2, "total", "200.00", code="20103", label="政府办公厅（室）及相关机构事务")]


case("hierarchy_sum", lambda: check_table(_hierarchy("310.00")), lambda: check_table(_hierarchy("300.01")),
     (PAGES[ES],), (item(ES, 0, "total", "0").bbox,))


def _total_row(total: str) -> list:
    return [item(ES, 0, "total", total, label="合计"),
            item(ES, 1, "total", "100.00", code="201", label="一般公共服务支出"),
            item(ES, 2, "total", "200.00", code="208", label="社会保障和就业支出")]


case("total_row_sum", lambda: check_table(_total_row("310.00")), lambda: check_table(_total_row("300.01")),
     (PAGES[ES],), (item(ES, 0, "total", "0").bbox,))

SUM = K.REVENUE_EXPENDITURE_SUMMARY


def _balance(exp: str) -> list:
    return [item(SUM, 5, "amount", "679.18", label="收入总计", side=R, col=1), item(SUM, 5, "amount", exp, label="支出总计", side=E, col=3)]


case("two_sided_balance", lambda: check_table(_balance("697.18")), lambda: check_table(_balance("679.19")),
     (PAGES[SUM],), (item(SUM, 5, "amount", "0", side=E, col=3).bbox,))

F3 = K.FINAL_THREE_PUBLIC_EXPENSES


def _over(final: str) -> list:
    return [item(F3, 0, "reception", "1.00", phase="budget", col=0), item(F3, 0, "reception", final, phase="final", col=1)]


case("final_three_public_over_budget", lambda: check_table(_over("2.00")), lambda: check_table(_over("1.00")),
     (PAGES[F3],), (item(F3, 0, "reception", "0", col=1).bbox,))

# ------------------------------------------------------------------ structure (the baseline)


def _baseline(t) -> list[Finding]:  # type: ignore[no-untyped-def]
    return list(run_baseline(DOC, [t], catalogue()).findings)


def _coded(extra: list = ()) -> list:  # type: ignore[assignment]
    return [item(ES, 0, "total", "300.00", label="合计"), item(ES, 1, "total", "300.00", code="201", label="一般公共服务支出"),
            item(ES, 2, "total", "300.00", code="20103", label="政府办公厅（室）及相关机构事务"), *extra]


case("unknown_table", lambda: check_unknown_tables(DOC, [table(None, title="某某明细表", rows=[["a", "1.00"]], page=8)]),
     lambda: check_unknown_tables(DOC, [table(ES, _coded(), title="部门支出总表"), table(None, title="", rows=[["单位构成", "本级"]])]), (8,))
case("duplicate_table", lambda: check_duplicate_tables(DOC, [table(ES, _coded()), table(ES, _coded(), page=9)])[0],
     lambda: check_duplicate_tables(DOC, [table(ES, _coded()), table(K.REVENUE_SUMMARY, [])])[0], (PAGES[ES], 9))
case("unmapped_column", lambda: _baseline(table(ES, _coded([item(ES, 0, "col_单位预留机动经费", "5.00", label="合计", col=3)]))),
     lambda: _baseline(table(ES, _coded([item(ES, 0, "reserve_fund", "5.00", label="合计", col=3)]))),
     (PAGES[ES],), (item(ES, 0, "x", "0", col=3).bbox,))
case("duplicate_column_key", lambda: _baseline(table(ES, _coded([item(ES, 0, "total_2", "300.00", label="合计", col=3)]))),
     lambda: _baseline(table(ES, _coded())), (PAGES[ES],), (item(ES, 0, "x", "0", col=3).bbox,))
case("label_in_amount_column",
     lambda: _baseline(table(ES, _coded(), bad=[(0, "basic", "分散自行组织"), (1, "basic", "部门集中采购"), (2, "basic", "政府集中采购")])),
     lambda: _baseline(table(ES, _coded(), bad=[(1, "basic", "见说明")])), (PAGES[ES],))
case("header_row_in_body", lambda: _baseline(table(F3, [item(F3, 1, "reception", "1.00")], bad=[(0, "reception", "预算数"), (0, "vehicle_total", "决算数")])),
     lambda: _baseline(table(F3, [item(F3, 1, "reception", "1.00")])), (PAGES[F3],))
case("subject_code_mismatch",
     lambda: _baseline(table(ES, [item(ES, r, "total", "1.00", code=c, label="某项") for r, c in enumerate(("991", "99101", "99102"))])),
     lambda: _baseline(table(ES, _coded())), (PAGES[ES],))
case("orphan_row",
     lambda: _baseline(table(ES, _coded([item(ES, 3, "total", "0.00", code="20101", label="人大事务"), item(ES, 4, "total", "5.00", code="2010501", label="行政运行")]))),
     lambda: _baseline(table(ES, _coded())), (PAGES[ES],), (item(ES, 4, "total", "0").bbox,))


def _broken_page(lost: bool) -> list:
    """类 201 and its 款 20101 on one page; 20103 (printed at the top of the next page) lost when `lost`."""
    rows = [item(ES, 0, "total", "300.00", code="201", label="一般公共服务支出", page=7),
            item(ES, 1, "total", "100.00", code="20101", label="人大事务", page=7)]
    kept = [item(ES, 2, "total", "200.00", code="20103", label="政府办公厅（室）及相关机构事务", page=8),
            item(ES, 3, "total", "5.00", code="208", label="社会保障和就业支出", page=8)]
    return rows + (kept[1:] if lost else kept)


case("rows_lost_at_page_break", lambda: _baseline(table(ES, _broken_page(True))), lambda: _baseline(table(ES, _broken_page(False))),
     (7,), (item(ES, 0, "total", "0").bbox,))


def _sums(bad_rows: int) -> list:
    out = []
    for r, name in enumerate(("一般公共服务支出", "外交支出", "国防支出", "公共安全支出")):
        total, code = ("350.00" if r < bad_rows else "300.00"), f"20{r + 1}"
        out += [item(ES, r, "total", total, code=code, label=name, col=0), item(ES, r, "basic", "100.00", code=code, label=name, col=1),
                item(ES, r, "project", "200.00", code=code, label=name, col=2)]
    return out


case("internal_sums_fail", lambda: _baseline(table(ES, _sums(3))), lambda: _baseline(table(ES, _sums(1))), (PAGES[ES],))
case("unreadable_amount", lambda: check_unreadable_cells(DOC, [table(ES, _coded(), bad=[(1, "total", "见说明")])]),
     lambda: check_unreadable_cells(DOC, [table(ES, _coded())]), (PAGES[ES],))
_ocr = replace(item(ES, 1, "total", "300.00", code="201", label="一般公共服务支出"), source="ocr", confidence=0.5)
case("ocr_low_confidence", lambda: check_low_confidence(DOC, [table(ES, [_ocr])]),
     lambda: check_low_confidence(DOC, [table(ES, [replace(_ocr, confidence=0.97)])]), (PAGES[ES],), (_ocr.bbox,))
case("toc_unknown_table", lambda: check_toc_tables(DOC, toc("某某明细表"), []),
     lambda: check_toc_tables(DOC, toc("部门支出总表"), [table(ES, _coded())]), (2,))
case("toc_table_unplaced", lambda: check_toc_tables(DOC, toc("部门支出总表", "部门收入总表"), [table(ES, _coded())], unplaced=True),
     lambda: check_toc_tables(DOC, toc("部门支出总表"), [table(ES, _coded())], unplaced=True), (2,))

# ------------------------------------------------------------------ completeness

case("toc_table_missing", lambda: check_toc_tables(DOC, toc("部门支出总表", "部门收入总表"), [table(ES, _coded())]),
     lambda: check_toc_tables(DOC, toc("部门支出总表", "部门收入总表"), [table(ES, _coded()), table(K.REVENUE_SUMMARY, [])]), (2,))
case("table_not_in_toc", lambda: check_toc_tables(DOC, toc("部门收入总表"), [table(ES, _coded()), table(K.REVENUE_SUMMARY, [])]),
     lambda: check_toc_tables(DOC, toc("部门收入总表", "部门支出总表"), [table(ES, _coded()), table(K.REVENUE_SUMMARY, [])]), (PAGES[ES],))
_core = [table(SUM, []), table(K.REVENUE_SUMMARY, []), table(ES, _coded())]
case("required_table_missing", lambda: check_required_tables(DOC, DocType.DEPARTMENT_BUDGET, _core[1:]),
     lambda: check_required_tables(DOC, DocType.DEPARTMENT_BUDGET, _core))
case("placeholder", lambda: check_placeholders(DOC, "", [], [table(ES, _coded(), rows=[["", "合计", "XX"]])]),
     lambda: check_placeholders(DOC, "", [], [table(ES, _coded())]), (PAGES[ES],))
T3 = K.THREE_PUBLIC_EXPENSES
_said_empty = "注：本部门2024年无“三公”经费预算，故本表为空表。"
case("empty_table_with_amounts", lambda: check_empty_notes(DOC, [table(T3, [item(T3, 0, "reception", "1.80")], notes=(_said_empty,))]),
     lambda: check_empty_notes(DOC, [table(T3, [item(T3, 0, "reception", "1.80")], notes=("注：若为空表，则为该部门（单位）无“三公”经费支出",)),
                                     table(T3, [item(T3, 0, "reception", "0.00")], notes=(_said_empty,))]),
     (PAGES[T3],), (item(T3, 0, "reception", "0").bbox,))

# ------------------------------------------------------------------ the narrative


def _claims(text: str, items: list = (), heading: str = "说明") -> list[Finding]:  # type: ignore[assignment]
    return check_claims(DOC, [section(text, heading)], list(items), class_names_of(catalogue().names))


_basic = [item(ES, 0, "basic", "4,108,000.00", label="合计", col=1)]
case("narrative_amount", lambda: _claims("按支出项目类别划分：基本支出401.80万元。", _basic),
     lambda: _claims("按支出项目类别划分：基本支出410.80万元。", [item(ES, 0, "basic", "4,108,049.00", label="合计", col=1)]),
     (17, PAGES[ES]), (_basic[0].bbox,))
case("narrative_percentage", lambda: _claims("2024年部门机关运行费预算22.43万元，比上年预算减少5.21万元，下降28.85%。"),
     lambda: _claims("2024年部门机关运行费预算22.43万元，比上年预算减少5.21万元，下降18.85%。"), (17,))
case("narrative_direction", lambda: _claims("2023年预算执行数为30.00万元，2024年预算安排25.00万元，比2023年预算执行数增加16.67%"),
     lambda: _claims("2023年预算执行数为30.00万元，2024年预算安排25.00万元，比2023年预算执行数减少16.67%"), (17,))
case("narrative_share", lambda: _claims("本年支出合计307.82万元，其中：基本支出105.58万元，占44.30%；项目支出202.24万元，占65.70%。"),
     lambda: _claims("本年支出合计307.82万元，其中：基本支出105.58万元，占34.30%；项目支出202.24万元，占65.70%。"), (17,))
case("narrative_completion", lambda: _claims("一般公共预算财政拨款支出年初预算为100.00万元，支出决算为95.00万元，完成年初预算的98.00%。"),
     lambda: _claims("一般公共预算财政拨款支出年初预算为100.00万元，支出决算为95.00万元，完成年初预算的95.00%。"), (17,))
_health = [item(ES, 0, "total", "0.00", code="210", label="卫生健康支出")]
_general = [item(ES, 0, "total", "0.00", code="201", label="一般公共服务支出")]
_old_health = [item(ES, 0, "total", "0.00", code="210", label="医疗卫生与计划生育支出")]
case("narrative_old_name", lambda: check_old_names(DOC, [section("医疗卫生与计划生育支出0万元。")], catalogue().aliases, catalogue().names, _general),
     lambda: check_old_names(DOC, [section("医疗卫生与计划生育支出0万元。")], catalogue().aliases, catalogue().names, _old_health)
     + check_old_names(DOC, [section("卫生健康支出0万元。")], catalogue().aliases, catalogue().names, _health), (17,))

_CLASS = "（二）支出预算总计300.00万元。包括：1．公共安全（类）支出300.00万元。与上年相比增加100.00万元，增长50.00%。"


def _items(second: str) -> list[Finding]:
    items = f"（一）公共安全（类）1．法院（款）行政运行（项）支出200.00万元，与上年相比增加60.00万元。2．法院（款）案件审判（项）支出100.00万元，与上年相比增加{second}万元。"
    return check_item_changes(DOC, [section(_CLASS, page=19), section(items, page=21)], class_names_of(catalogue().names))


case("narrative_item_changes", lambda: _items("50.00"), lambda: _items("40.01"), (19, 21))

# ------------------------------------------------------------------ across documents


def _doc(doc_id: str, doc_type: DocType, year: int, entity: str, code: str | None, items: list = (), sections=()) -> BatchDoc:  # type: ignore[assignment]
    info = DocumentInfo(doc_id, f"{doc_id}.pdf", f"{doc_id}.pdf", "某局", year, doc_type, 20, entity, "某局", code)
    return BatchDoc(info, tuple(replace(i, doc_id=doc_id) for i in items), tuple(sections))


def _rollup(dept_total: str) -> list[Finding]:
    dept = _doc("dept", DocType.DEPARTMENT_BUDGET, 2024, "e1", "134", [item(ES, 0, "total", dept_total, label="合计")])
    unit = _doc("unit", DocType.UNIT_BUDGET, 2024, "e2", "134001", [item(ES, 0, "total", "300.00", label="合计")])
    return check_rollup([dept, unit])


case("batch_rollup", lambda: _rollup("250.00"), lambda: _rollup("300.00"), (PAGES[ES],))


def _incomplete(units: int) -> list[Finding]:
    org = section("本部门共有预算单位2个。", key="organization", page=4)
    dept = _doc("dept", DocType.DEPARTMENT_BUDGET, 2024, "e1", "134", [item(ES, 0, "total", "600.00", label="合计")], [org])
    others = [_doc(f"u{n}", DocType.UNIT_BUDGET, 2024, f"e{n + 2}", f"13400{n + 1}", [item(ES, 0, "total", "300.00", label="合计")]) for n in range(units)]
    return check_rollup([dept, *others])


case("batch_rollup_incomplete", lambda: _incomplete(1), lambda: _incomplete(2), (4,))


def _prior(prior_total: str) -> list[Finding]:
    text = section("收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元。", page=6)
    now = _doc("y25", DocType.DEPARTMENT_BUDGET, 2025, "e1", None, [item(K.REVENUE_SUMMARY, 0, "fiscal_appropriation", "91,016,800.00", label="合计")], [text])
    before = _doc("y24", DocType.DEPARTMENT_BUDGET, 2024, "e1", None, [item(K.REVENUE_SUMMARY, 0, "fiscal_appropriation", prior_total, label="合计")])
    return check_prior_year([now, before], class_names_of(catalogue().names))


case("batch_prior_year", lambda: _prior("100,000,000.00"), lambda: _prior("114,912,000.00"), (6,))


def _dup(year: int) -> list[Finding]:
    return check_duplicates([_doc("a", DocType.DEPARTMENT_BUDGET, 2024, "e1", None), _doc("b", DocType.DEPARTMENT_BUDGET, year, "e1", None)])


case("batch_duplicate", lambda: _dup(2024), lambda: _dup(2025))
_declared()

# ------------------------------------------------------------------ the tests


def test_every_rule_has_a_case():
    assert set(CASES) == all_rule_ids(), f"registered without a case: {sorted(all_rule_ids() - set(CASES))}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_where_broken(rule_id):
    c, r = CASES[rule_id], rule(rule_id)
    hits = [f for f in c.fire() if f.rule_id == rule_id and f.severity is not Severity.ROUNDING]
    assert hits, f"{rule_id} did not fire"
    f = hits[0]
    assert (f.kind, f.scope) == (r.kind, r.scope)
    assert f.severity is r.severity or (f.severity is Severity.WARNING and r.severity is Severity.ERROR), f
    assert set(c.pages) <= set(f.pages), (c.pages, f.pages)
    assert all(b in f.bboxes for b in c.cells), f"{rule_id} does not box the broken cell: {f.bboxes}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_quiet_within_tolerance(rule_id):
    loud = [f for f in CASES[rule_id].quiet() if f.rule_id == rule_id and f.severity is not Severity.ROUNDING]
    assert loud == [], loud


def test_identity_of_every_declared_form_fires():
    """Identities with several forms (per fund): every form is shown to fire, not only the first."""
    for identity in identities():
        items, texts, left = identity_items(identity, "50.00")
        f = check_identity(identity, items, texts)
        assert f is not None and left.bbox in f.bboxes, identity.left.text


@pytest.mark.parametrize("rule_id", sorted({i.rule.rule_id for i in identities()} | {r.rule.rule_id for r in row_rules()}))
def test_sum_rule_is_evaluated_when_quiet(rule_id):
    """The quiet twin of a declared sum is one unit of the last digit off: the rule runs and says `rounding`."""
    assert [f.severity for f in CASES[rule_id].quiet() if f.rule_id == rule_id] == [Severity.ROUNDING]


def test_a_damaged_file_missing_a_listed_table_is_our_reading_not_the_publisher():
    """The 目录 lists a table we did not find in a damaged file: an extraction finding that says why."""
    listed = toc("部门支出总表", "部门收入总表")
    (clean,) = check_toc_tables(DOC, listed, [table(ES, _coded())])
    (damaged,) = check_toc_tables(DOC, listed, [table(ES, _coded())], damaged=True)
    assert (clean.rule_id, clean.kind.value) == ("toc_table_missing", "document")
    assert (damaged.rule_id, damaged.kind.value) == ("toc_table_unplaced", "extraction")
    assert "damaged" in damaged.message and "部门收入总表" in damaged.message
