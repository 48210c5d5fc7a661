"""The plain tuples the PDFium reader makes with its records are the ones the layout would read off them."""

from __future__ import annotations

import ctypes

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_etl.extract.charboxes import boxes_to_page_chars
from disclosure_etl.extract.layout import page_plain, plain_chars
from disclosure_etl.extract.paths import PageFrame
from disclosure_etl.extract.source import read_pages
from disclosure_etl.records import BBox, Char, PageText
from disclosure_etl.settings import ExtractSettings

_COORD = st.floats(allow_infinity=False, width=32) | st.sampled_from([0.0, 1.0, 100.0, float("nan")])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_COORD, _COORD, _COORD, _COORD), max_size=12), st.sampled_from([0, 90, 180, 270]))
def test_plain_tuples_made_with_the_records_equal_those_read_off_them(boxes, rotation):
    frame = PageFrame(12.0, -3.5, 595.0, 842.0, rotation)
    flat = [v for box in boxes for v in box]
    buffer = (ctypes.c_float * len(flat))(*flat)
    text = "".join(chr(0x4E00 + i) for i in range(len(boxes)))
    chars, plain = boxes_to_page_chars(text, list(range(len(boxes))), buffer, frame)
    assert repr(list(plain)) == repr(plain_chars(chars))  # repr: NaN == NaN here


def test_every_page_read_carries_the_plain_tuples_of_its_characters():
    from conftest import SAMPLES

    pages = [page for pdf in sorted(SAMPLES.glob("*.pdf"))[:3] for page in read_pages(str(pdf), ExtractSettings())]
    assert sum(len(p.chars) for p in pages) > 1000
    for page in pages:
        assert len(page.plain) == len(page.chars) and list(page_plain(page)) == plain_chars(page.chars)


def test_a_page_without_plain_tuples_has_them_read_off_its_characters():
    chars = (Char("一", BBox(1.0, 2.0, 3.0, 4.0)), Char("二", BBox(3.0, 2.0, 5.0, 4.5)))
    page = PageText(1, 100.0, 100.0, chars, ())
    assert page.plain == () and page_plain(page) == [(6.0, 1.0, 0, 2.0, 4.0, 3.0, "一"), (6.5, 3.0, 1, 2.0, 4.5, 5.0, "二")]


def test_plain_chars_stand_for_the_tuple_of_their_records():
    import pickle

    from disclosure_etl.extract.charboxes import PlainChars
    from disclosure_etl.extract.grid import confidences

    records = (Char("一", BBox(1.0, 2.0, 3.0, 4.0)), Char("二", BBox(3.0, 2.0, 5.0, 4.5)))
    lazy = PlainChars(tuple(plain_chars(records)))
    assert len(lazy) == 2 and bool(lazy) and not PlainChars(())
    assert confidences(lazy) is None  # a text layer's: known certain without making the records
    assert lazy == records and records == lazy and lazy == PlainChars(tuple(plain_chars(records))) and lazy != list(records)
    assert lazy[1] == records[1] and lazy[:1] == records[:1] and list(lazy) == list(records) and hash(lazy) == hash(records)
    assert pickle.loads(pickle.dumps(lazy)) == records
