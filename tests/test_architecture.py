"""Layering: pure stages import no PDF or Parquet library; records stay dependency-free."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parents[1] / "src" / "disclosure_etl"
HEAVY = {"pdfplumber", "camelot", "pypdfium2", "pyarrow", "pdfminer", "pandas"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((PKG / "normalize").glob("*.py")) + sorted((PKG / "reconcile").glob("*.py")), ids=lambda p: p.name)
def test_pure_stages_import_no_io_library(path):
    assert not (_imports(path) & HEAVY), path


@pytest.mark.parametrize("name", ["records.py", "settings.py", "errors.py"])
def test_core_modules_import_nothing_third_party(name):
    assert not (_imports(PKG / name) & HEAVY)


def test_only_extract_reads_pdfs():
    for path in PKG.rglob("*.py"):
        # bench.py times the generic extractors against us, so it must import them.
        if "extract" in path.parts or path.name == "bench.py":
            continue
        assert not (_imports(path) & {"pdfplumber", "camelot", "pypdfium2", "pdfminer"}), path


def test_modules_stay_small():
    for path in PKG.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
