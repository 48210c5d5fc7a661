"""The pdfium and pdfplumber engines give the same records on every document."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, corpus_dir

from disclosure_etl.pipeline import process_document
from disclosure_etl.settings import ExtractSettings

_PDFS = sorted(SAMPLES.glob("*.pdf")) + (sorted(corpus_dir().rglob("*.pdf")) if corpus_dir() else [])


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


def test_rotated_pages_read_like_the_original(tmp_path, corpus):
    """A landscape table drawn sideways on a portrait page and shown with /Rotate 90."""
    pikepdf = pytest.importorskip("pikepdf")
    src = corpus / "上海市普陀区人民政府办公室25年预算.pdf"
    with pikepdf.open(src) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            # Draw the content rotated 90° counter-clockwise on a portrait page…
            page.contents_add(pikepdf.Stream(pdf, b"q 0 1 -1 0 %f 0 cm" % (y1 - y0)), prepend=True)
            page.contents_add(pikepdf.Stream(pdf, b"Q"))
            page.MediaBox = [0, 0, y1 - y0, x1 - x0]
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            page.Rotate = 90  # …which the viewer turns back to landscape.
        pdf.save(tmp_path / "rotated.pdf")
    original = process_document(str(src))
    for engine in ("pdfium", "pdfplumber"):
        rotated = process_document(str(tmp_path / "rotated.pdf"), ExtractSettings(engine=engine))
        assert _records(rotated)[0] == _records(original)[0], engine
        key = lambda i: (i.table_id.value, i.row_index, str(i.side), i.column_key)  # noqa: E731
        for a, b in zip(sorted(rotated.items, key=key), sorted(original.items, key=key)):
            assert abs(a.bbox.x0 - b.bbox.x0) <= 1 and abs(a.bbox.top - b.bbox.top) <= 1, (engine, a)
