"""Checks across documents: on the corpus, and on a generated batch with planted errors.

Corpus pages checked by rendering them (pypdfium2 → PNG):
- 上海市普陀区人民政府办公室25年预算 p.4 (机构设置): '…包括上海市普陀区人民政府办公室本部以及下属1家事业单位…
  本部门中，行政单位1家，事业单位1家 … 2.下属事业单位上海市普陀区交流服务中心不单列预算，并入本部。'
  The department has one budget unit, its 本部 (p.21 agrees: '本部门1个预算单位开展了…绩效目标编报工作'),
  and the batch holds that unit's budget (上海市普陀区人民政府办公室单位25年预算, cover: 预算单位：上海市普陀区人民政府办公室).
- Both documents p.14 (一般公共预算支出功能分类预算表): the same figures row for row, e.g.
  201 03 50 事业运行 3,807,295.58 | 3,767,295.58 | 40,000.00 — the merged 事业单位's spending is in the 本部's budget.
- 上海市普陀区人民政府办公室25年预算 p.6: '财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元' —
  a change against the 2024 budget, which is not in the corpus, so nothing to check it against.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure_etl.batch import run_batch
from disclosure_etl.crossdoc_io import BATCH_FILE, read_batch_docs, write_batch_findings
from disclosure_etl.records import Finding, Scope, Severity
from disclosure_etl.reconcile.claims import section_to_claims
from disclosure_etl.reconcile.crossdoc import check_batch, check_rollup, claim_basis, rollup_gaps
from disclosure_etl.reconcile.rollup import BatchDoc, is_unit_of, units_expected
from disclosure_etl.write.dataset import read_dataset

FONT = os.environ.get("SAMPLEGEN_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_font = pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed (fonts-wqy-microhei)")
DEPT_25 = "上海市普陀区人民政府办公室25年预算.pdf"
UNIT_25 = "上海市普陀区人民政府办公室单位25年预算.pdf"


def _batch_findings(out: Path) -> list[dict]:
    return [f for f in read_dataset(str(out), "findings").to_pylist() if f["scope"] == "batch"]


# ------------------------------------------------------------------ corpus


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory, corpus) -> Path:
    out = tmp_path_factory.mktemp("corpus_batch")
    run_batch([str(corpus)], str(out))
    return out


@pytest.fixture(scope="module")
def corpus_docs(corpus_out) -> dict[str, BatchDoc]:
    return {d.info.file_name: d for d in read_batch_docs(str(corpus_out))}


def test_corpus_has_no_finding_across_documents(corpus_out):
    # The only department with a unit budget in the corpus (办公室 2025) has exactly
    # that one unit (p.4), and the two print the same figures (p.8–20): nothing to report.
    assert _batch_findings(corpus_out) == []
    assert not list(corpus_out.glob(f"findings/*/{BATCH_FILE}"))


def test_corpus_identities(corpus_docs):
    dept, unit = corpus_docs[DEPT_25].info, corpus_docs[UNIT_25].info
    assert (dept.province, dept.city, dept.district, dept.entity_name) == ("上海市", None, "普陀区", "人民政府办公室")
    assert dept.entity_id == unit.entity_id and (dept.doc_type.value, unit.doc_type.value) == ("department_budget", "unit_budget")
    # Cover, p.1: '中共上海市普陀区委' / '社会工作部2024年度' / '部门决算' — the name wraps.
    work = corpus_docs["中共上海市普陀区委社会工作部 2024 年度部门决算.pdf"].info
    assert (work.department, work.entity_name, work.district) == ("中共上海市普陀区委社会工作部", "中共区委社会工作部", "普陀区")
    # The template's '上海市XX局' identifies no department.
    assert corpus_docs["附件2：部门决算模板.pdf"].info.entity_id == ""
    # Jiangsu: one 办公厅 over three years and three templates (2017 cover, 2018 '部门名称：' wrapped, 2019 tables only).
    npc = {corpus_docs[f].info.entity_id for f in ("江苏省人大办公厅2017年度预算公开.pdf", "省人大办公厅2018预算公开.pdf",
                                                    "江苏省人大常委会办公厅2019年部门预算公开表.pdf")}
    assert len(npc) == 1 and "" not in npc
    # The two halves of the 省委办公厅 publications: '江苏省委办公厅' on the 2017 narrative, '中共江苏省委办公厅' on the 2018 tables.
    narrative, tables = corpus_docs["江苏省委办公厅2017年部门预算.pdf"].info, corpus_docs["江苏省委办公厅2018年度部门预算公开表.pdf"].info
    assert narrative.entity_id == tables.entity_id != ""
    # The court names itself only in its cover and table titles ('一、2017年度江苏省高级人民法院部门收支预算总表').
    assert corpus_docs["省法院2017年度部门预算公开.pdf"].info.department == "江苏省高级人民法院"
    # The university: budget and final accounts; '高等学校' in the 决算 titles is the template's, not a name.
    uni = {corpus_docs[f].info.entity_id for f in ("西南大学2023年部门预算.pdf", "西南大学2023年部门决算.pdf")}
    assert len(uni) == 1 and "" not in uni
    # Shanghai 4 (the template's '' among them), Jiangsu 4 (人大, 检察院, 省委办公厅, 法院), central 1.
    assert len({d.info.entity_id for d in corpus_docs.values()}) == 9


def test_corpus_rollup_is_complete_and_agrees(corpus_docs):
    dept, unit = corpus_docs[DEPT_25], corpus_docs[UNIT_25]
    assert units_expected(dept.sections) == 1  # p.4: 行政1 + 事业1, the 事业单位 不单列预算，并入本部
    assert is_unit_of(unit.info, dept.info, "")
    assert rollup_gaps(dept, [unit]) == []
    # 万里街道 p.4: '包括万里街道本部以及下属 5 家预算单位' → 6 budget units, none of them in the corpus.
    assert units_expected(corpus_docs["上海市普陀区人民政府万里街道办事处24年预算.pdf"].sections) == 6


def test_corpus_rollup_would_see_a_changed_unit_figure(corpus_docs):
    """The unit's p.14 事业运行 (2010350) 合计 3,807,295.58 moved by 1,000 元: found at the cell on both documents."""
    dept, unit = corpus_docs[DEPT_25], corpus_docs[UNIT_25]
    hit = next(i for i in unit.items if i.table_id.value == "general_budget_expenditure" and i.subject_code == "2010350" and i.column_key == "total")
    changed = replace(unit, items=tuple(replace(i, amount_yuan=i.amount_yuan + 1000) if i is hit else i for i in unit.items))
    (f,) = check_rollup([dept, changed])
    assert (f.rule_id, f.severity, f.table_id, f.subject_code, f.column_key) == ("batch_rollup", Severity.ERROR, "general_budget_expenditure", "2010350", "total")
    assert (f.actual, f.expected, f.pages, f.other_doc_id, f.other_pages) == (Decimal("3807295.58"), Decimal("3808295.58"), (14,), unit.doc_id, (14,))


def test_corpus_rollup_with_a_unit_missing_is_incomplete(corpus_docs):
    """Without the 不单列预算 line (p.4) the text counts 2 units; with 1 in the batch the roll-up is not checked."""
    dept, unit = corpus_docs[DEPT_25], corpus_docs[UNIT_25]
    sections = tuple(replace(s, text=s.text.replace("不单列预算，并入本部", "")) if s.key == "organization" else s for s in dept.sections)
    (f,) = check_rollup([replace(dept, sections=sections), unit])
    assert (f.rule_id, f.severity, f.pages, f.other_doc_id) == ("batch_rollup_incomplete", Severity.INFO, (4,), unit.doc_id)
    assert "counts 2 budget units" in f.message


def test_corpus_change_basis(corpus_docs):
    """Every change the text states is against the 2024 budget: p.6 '比2024年预算减少2,389.52万元' (three
    times) and '比2024年预算持平' (twice); p.21 '与2024年预算持平' (six 三公 figures)."""
    dept = corpus_docs[DEPT_25]
    claims = [c for s in dept.sections for c in section_to_claims(s) if c.change_yuan is not None]
    assert sorted((c.page_no, c.change_yuan) for c in claims) == [(6, Decimal("-23895200"))] * 3 + [(6, 0)] * 2 + [(21, 0)] * 6
    assert {claim_basis(c.change_basis, 2025) for c in claims} == {("budget", 2024)}


# ------------------------------------------------------------------ generated batch


@pytest.fixture(scope="module")
def built():
    if not os.path.exists(FONT) and not os.environ.get("CI"):
        pytest.skip("CJK font not installed (fonts-wqy-microhei)")
    from samplegen.batch import build_batch

    return build_batch(FONT)


def _write(built, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for slug, (_, pdf, _) in built.items():
        (folder / f"{slug}.pdf").write_bytes(pdf)
    return folder


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory, built) -> Path:
    out = tmp_path_factory.mktemp("batch_out")
    run_batch([str(_write(built, tmp_path_factory.mktemp("batch_in")))], str(out))
    return out


@needs_font
def test_every_plant_is_found_and_nothing_else(batch_out, built):
    from samplegen.batch import BATCH_PLANTS, plant_pages

    ids = {d["file_name"][: -len(".pdf")]: d["doc_id"] for d in read_dataset(str(batch_out), "documents").to_pylist()}
    found = _batch_findings(batch_out)
    explained = []
    for plant in BATCH_PLANTS:
        pages, other_pages = plant_pages(plant, built)
        hits = [f for f in found if f["rule_id"] == plant.rule_id and f["doc_id"] == ids[plant.doc] and f["other_doc_id"] == ids[plant.other]]
        assert {f["column_key"] for f in hits} == set(plant.column_keys), plant.why
        for f in hits:
            assert (f["severity"], f["table_id"], tuple(f["pages"]), tuple(f["other_pages"])) == ("error", plant.table_id, pages, other_pages), f
        explained += hits
    assert [f for f in found if f not in explained] == []


@needs_font
def test_planted_figures_as_printed(batch_out):
    found = {(f["rule_id"], f["column_key"]): f for f in _batch_findings(batch_out)}
    # dh_2024_center_budget p.9: 事业运行 90.70 | 90.70; dh_2024_dept_budget p.9: 事业运行 89.70 | 89.70.
    rollup = found[("batch_rollup", "total")]
    assert (rollup["actual"], rollup["expected"], rollup["subject_code"]) == (Decimal("897000"), Decimal("907000"), "2010350")
    # dh_2024_dept_budget p.14: '基本支出271.60万元,较上年预算安排增加20.60万元'; dh_2023_dept_budget p.7:
    # 部门支出总表 合计 基本支出 261.00 — the text puts 2023 at 251.00.
    prior = found[("batch_prior_year", "basic")]
    assert (prior["actual"], prior["expected"], prior["difference"]) == (Decimal("2510000"), Decimal("2610000"), Decimal("-100000"))
    assert "last year's budget (上年预算)" in prior["message"]


@needs_font
def test_clean_batch_has_no_finding_across_documents(tmp_path):
    from samplegen.batch import build_batch

    run_batch([str(_write(build_batch(FONT, planted=False), tmp_path / "in"))], str(tmp_path / "out"))
    assert _batch_findings(tmp_path / "out") == []


@needs_font
def test_duplicate_names_both_files(tmp_path, built):
    src = _write({k: v for k, v in built.items() if k == "dh_2023_center_budget"}, tmp_path / "in")
    pdf = src / "dh_2023_center_budget.pdf"
    (src / "copy.pdf").write_bytes(pdf.read_bytes() + b"\n% re-published\n")  # other bytes, same document
    run_batch([str(src)], str(tmp_path / "out"))
    ids = {d["file_name"]: d["doc_id"] for d in read_dataset(str(tmp_path / "out"), "documents").to_pylist()}
    (f,) = _batch_findings(tmp_path / "out")
    assert (f["rule_id"], f["severity"], f["doc_id"], f["other_doc_id"]) == ("batch_duplicate", "warning", ids["copy.pdf"], ids[pdf.name])
    assert "every printed figure is the same" in f["message"]


@needs_font
def test_report_lists_findings_across_documents_first(batch_out):
    html = (batch_out / "report.html").read_text(encoding="utf-8")
    assert html.index("id='batch-findings'") < html.index("id='documents'")
    assert html.count("<code>batch_") == 3
    md = (batch_out / "report.md").read_text(encoding="utf-8")
    assert md.index("## Across documents") < md.index("| file |")


@needs_font
def test_rebuilt_report_keeps_batch_findings_off_document_pages(batch_out, tmp_path):
    from disclosure_etl.write.rerender import rerender_report
    from disclosure_etl.write.report import doc_page_name

    out = tmp_path / "out"
    shutil.copytree(batch_out, out)
    rerender_report(str(out))
    dept = next(d["doc_id"] for d in read_dataset(str(out), "documents").to_pylist() if d["file_name"] == "dh_2024_dept_budget.pdf")
    assert "<code>batch_" not in (out / "report" / doc_page_name(dept)).read_text(encoding="utf-8")  # (the PDF's path may say batch_)
    assert (out / "report.html").read_text(encoding="utf-8").count("<code>batch_") == 3


@needs_font
def test_panel_puts_years_side_by_side(batch_out):
    duckdb = pytest.importorskip("duckdb")
    from disclosure_etl.panel import create_panel_views

    con = duckdb.connect()
    create_panel_views(con, str(batch_out))
    row = con.execute(
        """SELECT "2023", "2024" FROM panel WHERE doc_type = 'department_budget' AND table_id = 'expenditure_summary'
           AND row_key = '合计' AND column_key = 'basic'"""
    ).fetchall()
    assert row == [(Decimal("2610000"), Decimal("2716000"))]  # dh_2023 p.7 261.00, dh_2024 p.7 271.60 万元


def test_batch_file_replaced_and_removed(tmp_path):
    f = Finding("d" * 64, "batch_duplicate", Severity.WARNING, "m", None, None, None, None, None, (), scope=Scope.BATCH, other_doc_id="e" * 64)
    (path,) = write_batch_findings(str(tmp_path), [f], {"d" * 64: 2024})
    assert path.endswith(f"fiscal_year=2024/{BATCH_FILE}") and len(_batch_findings(tmp_path)) == 1
    assert write_batch_findings(str(tmp_path), [], {}) == [] and not os.path.exists(path)


def test_check_batch_on_nothing():
    assert check_batch([], {}) == []


def _finding_keys(findings) -> list[tuple]:
    return sorted((f.rule_id, f.doc_id, f.other_doc_id or "", f.table_id or "", f.subject_code or "", f.column_key or "", f.message) for f in findings)


@needs_font
def test_checks_group_by_group_find_what_all_documents_at_once_find(batch_out):
    """The batch checks read related documents a group at a time; over all documents at once they find the same."""
    from disclosure_etl.catalogue import load_catalogue
    from disclosure_etl.crossdoc_io import run_batch_checks
    from disclosure_etl.reconcile.claims import class_names_of

    everything = check_batch(read_batch_docs(str(batch_out)), class_names_of(load_catalogue().names))
    assert len(everything) == 3
    assert _finding_keys(run_batch_checks(str(batch_out))) == _finding_keys(everything)


def test_groups_join_one_entity_and_a_department_with_its_units():
    from disclosure_etl.records import DocType, DocumentInfo
    from disclosure_etl.reconcile.crossdoc import batch_groups

    def info(doc_id, entity, year, kind, code=None, name="", district="东湖区"):
        return DocumentInfo(doc_id, f"{doc_id}.pdf", f"{doc_id}.pdf", name, year, kind, 10, entity, name, code, "江西省", "南昌市", district)

    docs = [
        info("d24", "e1", 2024, DocType.DEPARTMENT_BUDGET, "134"),
        info("d23", "e1", 2023, DocType.DEPARTMENT_BUDGET, "134"),
        info("u24", "e2", 2024, DocType.UNIT_BUDGET, "134001"),  # its code extends the department's
        info("n24", "e3", 2024, DocType.UNIT_BUDGET, None, "信息中心"),  # named in the 机构设置 text
        info("x24", "e4", 2024, DocType.UNIT_BUDGET, None, "无关单位"),  # related to nothing: not read at all
        info("t23", "", 2023, DocType.DEPARTMENT_BUDGET),  # no entity, no units
    ]
    groups = batch_groups(docs, {"d24": "下属单位包括信息中心"})
    assert [[i.doc_id for i in g] for g in groups] == [["d23", "d24", "n24", "u24"]]
