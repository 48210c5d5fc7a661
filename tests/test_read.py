"""Reading the output (disclosure_etl.read): figures count every department once, the panel,
tables rebuilt as printed, and the Excel / CSV export — on real output of real PDFs."""

from __future__ import annotations

import csv
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SAMPLES

import disclosure_etl
from disclosure_etl.cli import run

GOLDEN = ROOT / "tests" / "golden"
# Corpus families read right today: the Shanghai district family at the corpus top. Add "jiangsu" and
# "central" here when those families are read right (their golden files are in tests/golden/<family>/).
FAMILIES = ("", "jiangsu", "central")
DEPT_25 = "上海市普陀区人民政府办公室25年预算"
UNIT_25 = "上海市普陀区人民政府办公室单位25年预算"
TEMPLATE = "附件2：部门决算模板"
# The expenditure table (and column) whose 合计 row states each document's total spending by functional class,
# the first each family prints: Jiangsu's 支出预算总表 has no class rows, its 财政拨款支出预算表 does (all its money is fiscal).
_BUDGET_TOTALS = (("expenditure_summary", "total"), ("fiscal_appropriation_expenditure", "total"), ("fiscal_appropriation_expenditure", "amount"))
TOTAL_TABLES = {"department_budget": _BUDGET_TOTALS, "unit_budget": _BUDGET_TOTALS, "department_final_accounts": (("final_expenditure", "total"),)}


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory, corpus):
    """The corpus families of FAMILIES and the sample."""
    out = tmp_path_factory.mktemp("read")
    pdfs = [str(p) for family in FAMILIES for p in sorted((corpus / family).glob("*.pdf"))]
    assert run(["extract", *pdfs, str(SAMPLES), "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def out(corpus_out):
    return disclosure_etl.load(str(corpus_out))


def _golden_dir(stem: str) -> Path | None:
    return next((GOLDEN / family / stem for family in FAMILIES if (GOLDEN / family / stem).is_dir()), None)


def _golden(stem: str, table_id: str) -> list[dict]:
    folder = _golden_dir(stem)
    assert folder is not None, stem
    with open(folder / f"{table_id}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _total_table(stem: str, doc_type: str) -> tuple[str, str] | None:
    """The first (table, column) of TOTAL_TABLES whose golden file prints a 合计 and class rows."""
    folder = _golden_dir(stem)
    for table_id, column in TOTAL_TABLES.get(doc_type, ()):
        if folder is None or not (folder / f"{table_id}.csv").is_file():
            continue
        rows = [r for r in _golden(stem, table_id) if r["column_key"] == column]
        if any(r["row_label"].replace(" ", "") == "合计" for r in rows) and any(len(r["subject_code"]) == 3 for r in rows):
            return table_id, column
    return None


def _printed_total(stem: str, doc_type: str) -> Decimal:
    """The 合计 row of the document's expenditure table, as checked against the printed page."""
    table_id, column = _total_table(stem, doc_type)  # type: ignore[misc]
    (row,) = {r["amount_yuan"] for r in _golden(stem, table_id) if r["row_label"].replace(" ", "") == "合计" and r["column_key"] == column}
    return Decimal(row)


def _has_total_golden(file_name: str, doc_type: str) -> bool:
    return _total_table(file_name.removesuffix(".pdf"), doc_type) is not None


def _class_sum(figures: pd.DataFrame, table_id: str, column: str = "total") -> pd.Series:
    rows = figures[(figures.table_id == table_id) & (figures.subject_level == "类") & (figures.column_key == column)]
    return rows.groupby(["entity_id", "doc_type", "fiscal_year"])["amount_yuan_exact"].agg(lambda s: sum(s, Decimal(0)))


def test_figures_match_each_departments_printed_totals_once(out):
    figures = out.figures
    kept = out.documents[~out.documents.doc_id.isin(out.left_out.doc_id)]
    corpus_docs = kept[[_has_total_golden(f, t) for f, t in zip(kept.file_name, kept.doc_type)]]
    # Shanghai: 万里街道 24, 人民政府办公室 25 (department), 社会工作部 24 决算; Jiangsu: six budgets with tables
    # (the 2017 省委办公厅 file is its narrative only); central: the university's budget and 决算.
    assert len(corpus_docs) == 3 + 6 + 2
    grand: dict[tuple[str, int, str, str], Decimal] = {}
    for doc in corpus_docs.itertuples():
        stem = doc.file_name.removesuffix(".pdf")
        table_id, column = _total_table(stem, doc.doc_type)  # type: ignore[misc]
        summed = _class_sum(figures, table_id, column)[(doc.entity_id, doc.doc_type, doc.fiscal_year)]
        assert summed == _printed_total(stem, doc.doc_type), doc.file_name
        key = (doc.doc_type, doc.fiscal_year, table_id, column)
        grand[key] = grand.get(key, Decimal(0)) + summed
    # Over every corpus document (the unit budget 25 too): each department once, the unit inside its department not again.
    docs = out.documents
    with_golden = docs[[_has_total_golden(f, t) for f, t in zip(docs.file_name, docs.doc_type)]]
    assert len(with_golden) > len(corpus_docs)
    for (doc_type, year, table_id, column), printed in grand.items():
        rows = figures[(figures.doc_type == doc_type) & (figures.fiscal_year == year) & figures.doc_id.isin(with_golden.doc_id)]
        assert sum(_class_sum(rows, table_id, column)) == printed, (doc_type, year, table_id)


def test_the_double_count_of_the_issue_is_gone(out):
    """人民政府办公室 2025 一般公共服务支出: both documents print 82,096,797.42 元 (8,209.68 万元);
    the department budget contains the unit's, so the figure counts once."""
    printed = {Decimal(r["amount_yuan"]) for stem in (DEPT_25, UNIT_25) for r in _golden(stem, "general_budget_expenditure")
               if r["subject_code"] == "201" and r["column_key"] == "total"}
    assert printed == {Decimal("82096797.42")}
    def general_201(frame: pd.DataFrame) -> Decimal:
        rows = frame[(frame.table_id == "general_budget_expenditure") & (frame.subject_code == "201") & (frame.column_key == "total")
                     & frame.doc_id.isin(out.documents[out.documents.file_name.str.startswith("上海市普陀区人民政府办公室")].doc_id)]
        return sum(rows.amount_yuan_exact if "amount_yuan_exact" in rows else rows.amount_yuan, Decimal(0))

    assert general_201(out.line_items) == 2 * Decimal("82096797.42")  # the raw dataset holds both publications
    assert general_201(out.figures) == Decimal("82096797.42")
    assert out.figures.amount_yuan.dtype == "float64"


def test_left_out_says_what_and_why(out):
    left = out.left_out.set_index(out.left_out.file_name.str.removesuffix(".pdf"))
    # samples/ holds the seed document twice (two layouts, same department, year and type): one is a duplicate.
    assert set(left.index) == {UNIT_25, TEMPLATE, "dh_2024_seed_layout"}
    assert left.at["dh_2024_seed_layout", "reason"] == "duplicate"
    dept_id = out.documents.set_index("file_name").at[f"{DEPT_25}.pdf", "doc_id"]
    assert left.at[UNIT_25, "reason"] == "unit_in_department" and left.at[UNIT_25, "kept_doc_id"] == dept_id
    assert DEPT_25 in left.at[UNIT_25, "detail"]
    assert left.at[TEMPLATE, "reason"] == "template"
    assert not set(out.figures.doc_id) & set(out.left_out.doc_id)
    assert out.figures.attrs["left_out"] is out.left_out


def test_a_duplicate_publication_counts_once(tmp_path, sample_pdf):
    """The same department, year and type in two files with different bytes: the first by name is kept."""
    src = tmp_path / "in"
    src.mkdir()
    data = sample_pdf.read_bytes()
    (src / "a.pdf").write_bytes(data)
    (src / "b.pdf").write_bytes(data + b"\n% a re-publication\n")
    assert run(["extract", str(src), "--out", str(tmp_path / "out"), "--no-progress", "--workers", "1"]) == 0
    o = disclosure_etl.load(str(tmp_path / "out"))
    assert len(o.line_items) == 2 * len(o.figures) > 0
    assert o.left_out[["file_name", "reason"]].values.tolist() == [["b.pdf", "duplicate"]]


def test_panel_has_whatever_years_are_present_and_equals_the_duckdb_view(out):
    pytest.importorskip("duckdb")
    panel = out.panel
    years = {str(y) for y in out.documents.fiscal_year.dropna().astype(int)}
    assert years and years <= set(panel.columns) and not {c for c in panel.columns if c.isdigit()} - years
    sql = out.duckdb().sql("select * from panel").df()
    key = ["entity_id", "doc_type", "table_id", "side", "row_key", "subject_code", "column_key", "phase"]
    a = panel.sort_values(key, na_position="first").reset_index(drop=True)
    b = sql.sort_values(key, na_position="first").reset_index(drop=True)
    assert len(a) == len(b) > 100
    for year in ("2024", "2025"):
        assert a[year].fillna(-1).tolist() == b[year].astype(float).fillna(-1).tolist()
    assert a.row_key.fillna("").tolist() == b.row_key.fillna("").tolist()


def test_table_rebuilt_as_printed(out):
    table = out.table(f"{DEPT_25}.pdf", "expenditure_summary")
    golden = _golden(DEPT_25, "expenditure_summary")
    assert table.attrs["unit"] == "元"
    assert list(table.columns.get_level_values("label_en")) == ["code", "item", "Total", "Basic expenditure", "Project expenditure"]
    assert list(table.columns.get_level_values("header"))[2:] == ["支出预算/合计", "支出预算/基本支出", "支出预算/项目支出"]  # p.11
    labels = [r["row_label"] for r in golden if r["column_key"] == "total"]
    assert table[("项目", "item")].tolist() == labels  # every row, in printed order
    totals = [float(r["amount_text"].replace(",", "")) for r in golden if r["column_key"] == "total"]
    assert table[("支出预算/合计", "Total")].tolist() == totals


def test_table_of_two_halves_and_of_two_sides(out):
    halves = out.table("中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", "final_general_budget_basic_expenditure")
    first = halves.iloc[0].tolist()
    assert first == ["301", "工资福利支出", 95.36, "302", "商品和服务支出", 10.23]  # p.13: 人员经费 | 公用经费 side by side
    sides = out.table("dh_2024_department_budget.pdf", "revenue_expenditure_summary")
    assert sides.iloc[0].tolist() == ["一、财政拨款收入", 679.18, "一、一般公共服务支出", 613.05]
    assert sides.columns.get_level_values("label_en").tolist() == ["revenue: item", "revenue: Amount", "expenditure: item", "expenditure: Amount"]
    with pytest.raises(KeyError, match="no table"):
        out.table("dh_2024_department_budget.pdf", "final_revenue")


# ---------------------------------------------------------------- export


def test_excel_export_one_sheet_per_table(out, corpus_out, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "budgets.xlsx"
    assert run(["export", str(corpus_out), "--xlsx", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    named = out.tables[out.tables.table_id.notna()]
    assert book.sheetnames[:2] == ["documents", "findings"]
    assert len(book.sheetnames) == 2 + len(named)
    docs = list(book["documents"].iter_rows(values_only=True))
    assert len(docs) == 1 + len(out.documents)
    findings = list(book["findings"].iter_rows(values_only=True))
    header = findings[0]
    assert len(findings) == 1 + len(out.findings)
    assert all(isinstance(r[header.index("page")], int) or not r[header.index("pages")] for r in findings[1:])
    # A sheet reads as its table does: headers in rows 3-4, amounts as numbers.
    number = docs[0].index("doc_no"), docs[0].index("file_name")
    dept_no = next(r[number[0]] for r in docs[1:] if r[number[1]] == f"{DEPT_25}.pdf")
    sheet = book[next(n for n in book.sheetnames if n.startswith(f"{dept_no}-") and n.endswith("expenditure_summary"))]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("科目编码", "项目", "支出预算/合计") and rows[3][2] == "Total"
    total_row = next(r for r in rows[4:] if r[1] == "合计")
    assert total_row[2] == pytest.approx(91016775.35) and isinstance(total_row[2], float)


def _hostile_sample(folder: Path) -> Path:
    """The sample with labels a spreadsheet would run as formulas, and a negative amount."""
    from samplegen.render import render_pdf
    from samplegen.seed_data import seed_doc
    from samplegen.text import DEFAULT_FONT_PATH

    font = os.environ.get("SAMPLEGEN_FONT", DEFAULT_FONT_PATH)
    if not os.path.exists(font):
        pytest.skip("CJK font not installed")
    doc = seed_doc()
    # (row, column) of labels printed beside an amount, so each is a line item's row label.
    labels = {(0, 0): '=HYPERLINK("http://x.invalid","a")', (1, 0): "+1+2", (1, 2): "-2+3", (2, 2): "@SUM(A1)"}
    tables = []
    for t in doc.tables:
        if t.table_id == "revenue_expenditure_summary":
            rows = [tuple(labels.get((i, j), cell) for j, cell in enumerate(r)) for i, r in enumerate(t.rows)]
            t = replace(t, rows=tuple(rows))
        if t.table_id == "revenue_summary":
            rows = [r[:-1] + ("-12.50",) if r[1] == "一般公共服务支出" else r for r in t.rows]
            t = replace(t, rows=tuple(rows))
        tables.append(t)
    pdf, _ = render_pdf(replace(doc, tables=tuple(tables)), font)
    path = folder / "hostile.pdf"
    path.write_bytes(pdf)
    return path


def test_export_is_formula_safe_and_keeps_negative_amounts_numeric(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "in"
    src.mkdir()
    _hostile_sample(src)
    out_dir = tmp_path / "out"
    assert run(["extract", str(src), "--out", str(out_dir), "--no-progress", "--workers", "1"]) == 0
    assert run(["export", str(out_dir), "--xlsx", str(tmp_path / "x.xlsx"), "--csv", str(tmp_path / "csv")]) == 0
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = {c.value: c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"}
    assert {'=HYPERLINK("http://x.invalid","a")', "+1+2", "-2+3", "@SUM(A1)"} <= set(risky)
    assert all(c.quotePrefix for c in risky.values())
    assert any(c.value == -12.5 and c.data_type == "n" for c in cells)
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "csv").rglob("*.csv"))
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+1+2" in text and "'-2+3" in text
    assert ",-12.5" in text and "'-12.5" not in text


def test_an_output_of_unreadable_files_reads_as_empty(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.pdf").write_text("<html>404</html>", encoding="utf-8")
    run(["extract", str(src), "--out", str(tmp_path / "out"), "--no-progress"])
    o = disclosure_etl.load(str(tmp_path / "out"))
    assert o.figures.empty and o.panel.empty and len(o.summary) == 1
    assert o.left_out[["file_name", "reason"]].values.tolist() == [["page.pdf", "not_read"]]
    assert "HTML" in o.left_out.detail.iloc[0]
    assert run(["export", str(tmp_path / "out"), "--xlsx", str(tmp_path / "x.xlsx")]) == 0
