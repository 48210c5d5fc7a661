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


# The batch's modules in layers: each imports only from layers below it (and never from `run`).
BATCH_LAYERS = {"model": 0, "plan": 1, "lock": 1, "commit": 1, "worker": 2, "isolate": 3, "executors": 4, "one": 4, "run": 5, "__init__": 6}


def _batch_imports(path: Path) -> set[str]:
    """Sibling modules of batch/ that `path` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("disclosure_etl.batch."):
            found.add(node.module.split(".")[2])
    return found


def test_batch_imports_point_one_way():
    modules = {p.stem for p in (PKG / "batch").glob("*.py")}
    assert modules == set(BATCH_LAYERS)
    for name in modules:
        for imported in _batch_imports(PKG / "batch" / f"{name}.py"):
            assert BATCH_LAYERS[imported] < BATCH_LAYERS[name], f"batch/{name}.py imports batch/{imported}.py"


def test_stages_do_not_import_the_batch():
    for path in PKG.rglob("*.py"):
        if path.parent.name in ("extract", "normalize", "reconcile", "write") or path.name in ("pipeline.py", "records.py"):
            assert not any(m == "batch" or m.startswith("batch.") for m in _relative_imports(path)), path


def _relative_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level >= 1 and n.module}
