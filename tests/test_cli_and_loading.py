"""The CLI's commands and the loading helpers, as a new user would use them."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLE_STEM, SAMPLES

import disclosure_etl
from disclosure_etl.cli import run


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert run(["extract", str(SAMPLES / f"{SAMPLE_STEM}.pdf"), "--out", str(out), "--no-progress"]) == 0
    return out


def test_version_and_help(capsys):
    assert run(["--version"]) == 0
    assert disclosure_etl.__version__ in capsys.readouterr().out
    proc = subprocess.run([sys.executable, "-m", "disclosure_etl", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "Examples:" in proc.stdout and "Exit codes" in proc.stdout


def test_usage_errors_exit_2(tmp_path):
    assert run(["extract", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
    assert run(["extract", str(SAMPLES), "--executor", "dask"]) == 2
    assert run(["schema", "nonsense"]) == 2


def test_schema_command(capsys):
    assert run(["schema", "line_items"]) == 0
    text = capsys.readouterr().out
    assert "amount_yuan: decimal128(24, 4)" in text and "findings" not in text


def test_check_prints_tables_and_findings(capsys):
    assert run(["check", str(SAMPLES / "dh_2024_department_budget.pdf")]) == 0
    text = capsys.readouterr().out
    assert "一般公共预算基本支出表" in text and "general_budget_basic_expenditure" in text and "Findings (" in text


def test_report_rerenders_from_parquet(out):
    page = next((out / "report").glob("*.html"))
    before = page.read_text(encoding="utf-8")
    page.unlink()
    (out / "report.html").unlink()
    assert run(["report", str(out)]) == 0
    after = page.read_text(encoding="utf-8")
    assert (out / "report.html").exists()
    assert after.count("class='finding'") == before.count("class='finding'")
    assert after.count("<img") == before.count("<img")


def test_load_pandas_polars_duckdb(out):
    o = disclosure_etl.load(str(out))
    items = o.line_items
    assert len(items) == 161 and isinstance(items.amount_yuan.iloc[0], Decimal)
    assert set(items.fiscal_year) == {2024}
    assert items.table_label_en.notna().all() and items.column_label_en.notna().all()
    assert disclosure_etl.load(str(out), amounts="float").line_items.amount_yuan.dtype == "float64"
    assert o.to_polars().line_items.height == 161
    con = o.duckdb()
    ((n,),) = con.sql("select count(*) from line_items where table_id = 'general_budget_expenditure'").fetchall()
    assert n == len(items[items.table_id == "general_budget_expenditure"])
    assert o.summary.n_rounding.iloc[0] > 0
