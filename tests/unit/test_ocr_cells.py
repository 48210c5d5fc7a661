"""Where OCR looks for text around ruled grids: cell lines from ink, bands outside the grids (synthetic images)."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")

from disclosure_etl.extract.grid import Grid  # noqa: E402
from disclosure_etl.extract.ocr_cells import cells_to_lines, grid_cell_boxes, outside_bands  # noqa: E402
from disclosure_etl.extract.ocr_engine import PACK_GAP, PACK_WIDTH, _batches, _packs  # noqa: E402
from disclosure_etl.records import Rule  # noqa: E402


def _page(h: int = 400, w: int = 300):
    return np.full((h, w), 255, dtype=np.uint8)


def test_one_line_cells_give_padded_boxes_and_crowded_cells_go_to_the_detector():
    img = _page()
    cells = [(10, 10, 140, 50), (150, 10, 290, 50), (10, 60, 140, 140), (150, 60, 290, 100)]
    img[25:35, 20:60] = 0  # one line
    img[25:35, 160:170] = 0
    img[25:35, 250:260] = 0  # two figures far apart in one cell
    img[70:80, 20:60] = 0  # three lines: crowded
    img[95:105, 20:60] = 0
    img[120:130, 20:60] = 0
    found = cells_to_lines(img, cells)
    assert found.crowded == [cells[2]]
    assert len(found.lines) == 3  # the empty cell gives none
    x0, top, x1, bottom = found.lines[0]
    assert x0 < 20 and x1 > 60 and top < 25 and bottom > 35  # the detector's margins around the ink
    assert all(cells[0][0] <= b[0] and b[2] <= cells[1][2] for b in found.lines)


def test_bands_outside_the_grid_skip_blank_paper_and_the_grid():
    img = _page(800, 300)
    img[20:40, 30:200] = 0  # a title
    img[100:300, 10:290] = 0  # the grid area (painted over by the grid, not a band)
    img[700:712, 140:160] = 0  # a page number
    grid = Grid((3.6, 104.4), (36.0, 108.0), (Rule(3.6, 36.0, 104.4, 36.0), Rule(3.6, 108.0, 104.4, 108.0)), ())
    bands = outside_bands(img, [grid], scale=2.78)
    assert len(bands) == 2
    (t0, t1), (p0, p1) = ((b[1], b[3]) for b in bands)
    assert t0 < 20 and 40 < t1 < 100 and p0 < 700 < 712 < p1


def test_grid_cells_are_merged_where_no_ruling_separates_them():
    h = [Rule(0, y, 100, y) for y in (0, 10, 20)]
    v = [Rule(0, 0, 0, 20), Rule(50, 10, 50, 20), Rule(100, 0, 100, 20)]  # the top row is one cell
    grid = Grid((0.0, 50.0, 100.0), (0.0, 10.0, 20.0), tuple(h), tuple(v))
    assert len(grid_cell_boxes(grid, 2.0, 1.0)) == 3


def test_short_lines_share_a_run_and_long_lines_run_alone():
    ratios = [2.0, 2.1, 2.2, 30.0, 31.0]
    batches = _batches(ratios, skip=set())
    assert sorted(map(sorted, batches)) == [[0, 1, 2], [3], [4]]
    assert sorted(map(sorted, _batches(ratios, skip={0, 4}))) == [[1, 2], [3]]  # packed lines are read elsewhere
    assert sorted(map(sorted, _batches([5.0, 5.0, 5.0], skip=set(), height=40))) == [[0, 1, 2]]  # 3 x 200 px fit in a run
    assert sorted(map(sorted, _batches([5.0, 5.0, 5.0], skip=set()))) == [[0, 1], [2]]  # at 48 px, 3 x 240 px do not


def test_short_lines_are_packed_in_order_up_to_the_pack_width():
    widths = [200, 200, 200, 200, 200, 2000, 64]
    packs = _packs(widths)
    assert [i for pack in packs for i in pack] == list(range(len(widths)))  # every line once, in order
    for pack in packs:
        used = sum(widths[i] for i in pack) + PACK_GAP * (len(pack) - 1)
        assert len(pack) == 1 or used <= PACK_WIDTH
    assert [6] in packs[-1:] and [5] in packs  # a line wider than a pack runs alone, the next starts afresh
