"""The pdfium and pdfplumber engines give the same records on every document."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, corpus_dir

from disclosure_etl.pipeline import process_document
from disclosure_etl.settings import ExtractSettings

_PDFS = sorted(SAMPLES.glob("*.pdf")) + (sorted(corpus_dir().glob("*.pdf")) if corpus_dir() else [])


def _records(result):
    items = sorted(
        (i.table_id.value, i.page_no, i.row_index, i.subject_code, i.row_label, str(i.side), i.column_key, i.amount_text, i.amount_yuan)
        for i in result.items
    )
    sections = [(s.key, s.heading, s.pages) for s in result.sections]
    tables = [(t.table_id, t.pages, t.unit, t.is_empty) for t in result.tables]
    findings = sorted((f.rule_id, f.table_id or "", f.subject_code or "", f.column_key or "", str(f.difference)) for f in result.findings)
    return items, sections, tables, findings


@pytest.mark.parametrize("pdf", _PDFS, ids=lambda p: Path(p).stem)
def test_engines_agree(pdf):
    fast = process_document(str(pdf), ExtractSettings(engine="pdfium"))
    plumber = process_document(str(pdf), ExtractSettings(engine="pdfplumber"))
    assert _records(fast) == _records(plumber)
