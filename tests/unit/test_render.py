"""Pictures of findings (extract/render.py) on the committed sample."""

from __future__ import annotations

from conftest import SAMPLES

from disclosure_etl.extract.crops import Band, CropRequest
from disclosure_etl.extract.render import render_crops

PDF = str(SAMPLES / "dh_2024_department_budget.pdf")


def test_a_strip_off_its_page_is_no_picture():
    """Cell boxes below the page's foot (a damaged file's) give no picture instead of PDFium's crop error."""
    inside, below = Band(5, 100.0, 160.0), Band(5, 2000.0, 2040.0)
    got = render_crops(PDF, [CropRequest(5, (inside,)), CropRequest(5, (below,)), CropRequest(5, (inside, below))])
    assert got[0] is not None and got[0].startswith(b"\x89PNG")
    assert got[1:] == [None, None]


def test_a_sentences_figures_are_marked_and_its_list_markers_are_not():
    import unicodedata

    from disclosure_etl.extract.render import find_sentence
    from disclosure_etl.records import BBox

    sentence = "1．住房公积金支出1442.74万元，增加368.97万元，增加34.38%；（2）其他。"
    text = unicodedata.normalize("NFKC", sentence)  # as page_chars gives the page's characters
    chars = [(ch, BBox(float(i), 0.0, i + 1.0, 1.0)) for i, ch in enumerate(text)]
    found = find_sentence(chars, sentence)
    assert found is not None
    marked = ["".join(text[int(b.x0) : int(b.x1)]) for b in found[1]]
    assert marked == ["1442.74", "368.97", "34.38%"]


def test_a_quote_of_blanks_is_no_sentence_and_the_page_is_shown_whole():
    from disclosure_etl.extract.render import find_sentence

    assert find_sentence([], " \u3000 ") is None
    (png,) = render_crops(PDF, [CropRequest(5, quote="    ")])  # the page's picture, not a crash
    assert png is not None and png.startswith(b"\x89PNG")
