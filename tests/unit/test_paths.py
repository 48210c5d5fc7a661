"""Path objects read through PDFium: the one-copy segment reader agrees with the per-segment API."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from pypdfium2 import raw

from disclosure_etl.extract.paths import _api_segments, _SegmentReader, segments_to_polylines
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
