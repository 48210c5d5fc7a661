"""Path objects read through PDFium: the one-copy segment reader agrees with the per-segment API."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from pypdfium2 import raw

from disclosure_etl.extract.paths import _api_segments, _SegmentReader, segments_to_polylines
from disclosure_etl.records import Rule
from disclosure_etl.extract.pdfium_calls import address, path_segments


@pytest.fixture(scope="module")
def paths(sample_pdf):
    """Every path object of the sample; the pages stay open while the tests use them."""
    doc = pdfium.PdfDocument(str(sample_pdf))
    pages = [doc[i] for i in range(len(doc))]
    found = [
        obj
        for page in pages
        for i in range(raw.FPDFPage_CountObjects(page.raw))
        if raw.FPDFPageObj_GetType(obj := raw.FPDFPage_GetObject(page.raw, i)) == raw.FPDF_PAGEOBJ_PATH
    ]
    yield found
    for page in pages:
        page.close()
    doc.close()


def test_copied_segments_equal_the_api(paths):
    reader = _SegmentReader()
    compared = 0
    counts, firsts = path_segments([address(obj) for obj in paths])
    for obj, n, first in zip(paths, counts, firsts):
        assert n == raw.FPDFPath_CountSegments(obj)
        assert reader.read(address(obj), n, first) == _api_segments(address(obj), n)
        compared += 1
    assert compared > 100 and reader.trusted is True


def test_a_reader_that_distrusts_the_copy_uses_the_api(paths):
    reader = _SegmentReader()
    reader.trusted = False
    obj, n = address(paths[0]), raw.FPDFPath_CountSegments(paths[0])
    assert reader.read(obj, n, path_segments([obj])[1][0]) == _api_segments(obj, n)


def test_subpaths_split_at_moves_and_curves_drop():
    move, line, curve = 2, 0, 1
    segments = [(0, 0, move, False), (10, 0, line, False), (10, 5, line, True), (20, 0, move, False), (30, 5, curve, False)]
    assert segments_to_polylines(segments) == [[(0, 0), (10, 0), (10, 5), (0, 0)]]
    assert segments_to_polylines(segments, closing=False) == [[(0, 0), (10, 0), (10, 5)]]


def test_filled_paths_read_together_give_the_rules_of_reading_them_one_by_one(monkeypatch):
    """fills.py against paths._fill_rules on every page of the samples and the corpus (whose WPS files
    draw their borders as filled rectangles)."""
    from conftest import SAMPLES, corpus_dir

    from disclosure_etl.extract import fills, paths as module
    from disclosure_etl.settings import ExtractSettings

    settings = ExtractSettings()
    made: list[int] = []

    def counted(*args):  # type: ignore[no-untyped-def]
        found = fills.fills_to_rules(*args)
        made.append(sum(len(rules) for rules in found or []))
        return found

    monkeypatch.setattr(module, "fills_to_rules", counted)
    together, alone = [], []
    pdfs = sorted(SAMPLES.glob("*.pdf")) + (sorted(corpus.rglob("*.pdf")) if (corpus := corpus_dir()) else [])
    for pdf in pdfs:
        doc = pdfium.PdfDocument(str(pdf))
        for i in range(len(doc)):
            page = doc[i]
            left, bottom, right, top = page.get_cropbox()
            frame = module.PageFrame(left, bottom, right - left, top - bottom, page.get_rotation() % 360)
            together.append(module.pdfium_rules(page, frame, settings))
            with monkeypatch.context() as m:
                m.setattr(module, "fills_to_rules", lambda *args: None)  # every path through _fill_rules
                alone.append(module.pdfium_rules(page, frame, settings))
            page.close()
        doc.close()
    assert together == alone and sum(len(rules) for rules, _ in together) > 500
    assert sum(made) > 1000 or corpus_dir() is None


def test_fills_with_a_coordinate_that_is_not_finite_are_left_to_python():
    import struct

    from disclosure_etl.extract.fills import fills_to_rules

    point = struct.Struct("<ffBB2x")
    box = b"".join(point.pack(x, y, kind, 0) for x, y, kind in [(0, 0, 2), (100, 0, 0), (100, 1, 0), (0, 1, 0)])
    assert fills_to_rules(box, [4], [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)], (0.0, 0.0, 800.0), 2.0) == [[Rule(0.0, 799.5, 100.0, 799.5)]]
    broken = point.pack(float("nan"), 0, 2, 0) + box[point.size:]
    assert fills_to_rules(broken, [4], [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)], (0.0, 0.0, 800.0), 2.0) is None
