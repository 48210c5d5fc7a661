"""What the command line says: one-line reasons and exit codes for bad usage, the end-of-run
summary, progress while OCR reads pages, and examples in every --help."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SAMPLES

from disclosure_etl.cli import EXIT_ALL_FAILED, EXIT_USAGE, main, run


def _one_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_a_folder_without_pdfs_exits_1_with_a_reason(tmp_path, capsys):
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "notes.txt").write_text("no pdf here", encoding="utf-8")
    out = tmp_path / "out"
    assert run(["extract", str(empty), "--out", str(out)]) == EXIT_ALL_FAILED
    line = _one_line(capsys.readouterr().err)
    assert "no PDF found" in line and str(empty) in line
    assert not out.exists()  # nothing written


def test_out_naming_a_file_exits_1_with_a_reason(tmp_path, capsys):
    taken = tmp_path / "output"
    taken.write_text("not a folder", encoding="utf-8")
    assert run(["extract", str(SAMPLES), "--out", str(taken)]) == EXIT_ALL_FAILED
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert "--out" in line and str(taken) in line and "is a file, not a folder" in line
    assert "Traceback" not in captured.err + captured.out
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_out_that_cannot_be_created_exits_1(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert run(["extract", str(SAMPLES), "--out", str(blocker / "below")]) == EXIT_ALL_FAILED
    assert "cannot create the folder" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["report", "export"])
def test_report_or_export_on_a_folder_without_output_exits_1(tmp_path, capsys, command):
    folder = tmp_path / "not-extracted"
    folder.mkdir()
    extra = ["--xlsx", str(tmp_path / "x.xlsx")] if command == "export" else []
    assert run([command, str(folder), *extra]) == EXIT_ALL_FAILED
    line = _one_line(capsys.readouterr().err)
    assert "no output in" in line and str(folder) in line and "disclosure-etl extract" in line
    assert list(folder.iterdir()) == [] and not (tmp_path / "x.xlsx").exists()
    assert run([command, str(tmp_path / "missing"), *extra]) == EXIT_ALL_FAILED
    assert "no folder at" in _one_line(capsys.readouterr().err)


def test_export_needs_a_target(tmp_path, capsys):
    assert run(["export", str(tmp_path)]) == EXIT_USAGE
    assert "--xlsx" in capsys.readouterr().err


def test_end_of_run_summary_counts_findings_and_names_the_report(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["extract", str(SAMPLES), str(ROOT / "tests" / "data" / "planted"), "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    text = capsys.readouterr().out
    m = re.search(r"findings: (\d+) error, (\d+) warning, (\d+) rounding, (\d+) info", text)
    assert m, text
    import pandas as pd

    findings = pd.read_parquet(out / "findings")
    assert [int(g) for g in m.groups()] == [int((findings.severity == s).sum()) for s in ("error", "warning", "rounding", "info")]
    assert int(m.group(1)) > 0  # the planted errors
    first = text.split("look first at:")[1].splitlines()[1]
    assert "dh_2024_department_budget_planted.pdf" in first and "error(s)" in first
    assert f"report: {out / 'report.html'}" in text


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("command", [None, *_commands()])
def test_every_help_has_examples(capsys, command):
    assert run([command, "--help"] if command else ["--help"]) == 0
    text = capsys.readouterr().out
    assert "Examples:" in text and re.search(r"^\s+disclosure-etl " + (command or r"\w+"), text, re.M), command


def test_schema_markdown_honours_the_table(capsys):
    assert run(["schema", "findings", "--markdown"]) == 0
    text = capsys.readouterr().out
    assert "## findings" in text and "## line_items" not in text and "| `kind` |" in text
    assert run(["schema", "nonsense", "--markdown"]) == EXIT_USAGE


def test_check_shows_ocr_progress_on_a_scanned_pdf(tmp_path, capfd):
    """Two pages of the scanned sample: `check` says which page OCR has read, of how many (from its worker)."""
    from disclosure_etl.extract.ocr import ocr_available

    if not ocr_available():
        pytest.skip("the [ocr] extra is not installed")
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(ROOT / "tests" / "data" / "scanned" / "dh_2024_department_budget_scanned.pdf"))
    two = pdfium.PdfDocument.new()
    two.import_pages(src, [0, 1])
    path = tmp_path / "scanned two pages.pdf"
    two.save(str(path))
    assert run(["check", str(path), "--progress"]) in (0, 1)
    err = capfd.readouterr().err  # printed by the worker process reading the file
    assert "scanned two pages.pdf: page 1/2 read by OCR" in err and "page 2/2 read by OCR" in err



def test_extract_shows_ocr_progress_from_its_workers(tmp_path):
    """`extract` runs each document in a worker; the worker says which page OCR has read, of how many."""
    import subprocess
    import sys

    from disclosure_etl.extract.ocr import ocr_available

    if not ocr_available():
        pytest.skip("the [ocr] extra is not installed")
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(ROOT / "tests" / "data" / "scanned" / "dh_2024_department_budget_scanned.pdf"))
    two = pdfium.PdfDocument.new()
    two.import_pages(src, [0, 1])
    (tmp_path / "in").mkdir()
    two.save(str(tmp_path / "in" / "scanned.pdf"))
    done = subprocess.run([sys.executable, "-m", "disclosure_etl", "extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                           "--workers", "1", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert "scanned.pdf: page 1/2 read by OCR" in done.stderr and "page 2/2 read by OCR" in done.stderr, done.stderr
