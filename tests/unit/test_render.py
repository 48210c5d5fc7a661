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
