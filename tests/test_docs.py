"""The documentation stays true: every Python and SQL block in README.md and docs/*.md runs
against real output, and the read path docs/schema.md shows reads every dataset."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, corpus_dir

from disclosure_etl.cli import run
from disclosure_etl.write.schema import SCHEMAS

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK_RE = re.compile(r"^```(python|sql)\n(.*?)^```", re.M | re.S)


def _blocks(path: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK_RE.finditer(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding `output/` as `make extract` leaves it (with the Shanghai family too when the corpus is here)."""
    work = tmp_path_factory.mktemp("docs")
    corpus = corpus_dir()
    pdfs = [str(p) for p in sorted(corpus.glob("*.pdf"))] if corpus else []
    assert run(["extract", str(SAMPLES), *pdfs, "--out", str(work / "output"), "--no-progress", "--workers", "1"]) == 0
    return work


def test_the_docs_have_code_to_run():
    assert sum(len(_blocks(p)) for p in DOCS) >= 5


@pytest.mark.parametrize("path", [p for p in DOCS if _blocks(p)], ids=lambda p: p.name)
def test_code_blocks_run(path, workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    namespace: dict = {}
    for lang, code in _blocks(path):
        if lang == "python":
            exec(compile(code, f"{path.name} block", "exec"), namespace)  # noqa: S102 - our own documentation
        else:
            duckdb = pytest.importorskip("duckdb")
            statements = [s for s in re.sub(r"--[^\n]*", "", code).split(";") if s.strip()]
            for sql in statements:
                assert duckdb.sql(sql).fetchall(), sql


def test_schema_doc_read_path_reads_every_dataset(workdir, monkeypatch):
    import pandas as pd

    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"`(pd\.read_parquet\('output/<name>'\))`", doc)
    monkeypatch.chdir(workdir)
    for name, columns in SCHEMAS.items():
        frame = eval(shown.replace("<name>", name), {"pd": pd})  # noqa: S307 - the doc's own expression
        names = [c.name for c in columns]
        partition = [] if "fiscal_year" in names else ["fiscal_year"]  # the folders' fiscal_year=… comes last
        assert list(frame.columns) == names + partition, name
    assert os.path.isdir(workdir / "output" / "line_items")


def test_schema_doc_tables_are_well_formed():
    """An unescaped | in a cell would split it: every row has the header's four cells."""
    for line in (ROOT / "docs" / "schema.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            assert len(re.split(r"(?<!\\)\|", line)) == 6, line
