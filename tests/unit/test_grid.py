"""Grid geometry on hand-made rulings: merged cells come out with their spans."""

from disclosure_etl.extract.grid import grid_to_cells, rules_to_grids
from disclosure_etl.records import BBox, Char, Rule
from disclosure_etl.settings import ExtractSettings


def _h(y, x0, x1):
    return Rule(x0, y, x1, y)


def _v(x, y0, y1):
    return Rule(x, y0, x, y1)


def test_merged_header_cell_spans_two_columns():
    # | 项目 (2 cols)  |  合计 (2 rows) |
    # | 编码 | 名称    |                |
    rules = [_h(0, 0, 300), _h(20, 0, 200), _h(40, 0, 300), _v(0, 0, 40), _v(100, 20, 40), _v(200, 0, 40), _v(300, 0, 40)]
    chars = [Char("合", BBox(240, 15, 250, 25)), Char("计", BBox(250, 15, 260, 25)), Char("项", BBox(90, 5, 100, 15))]
    (grid,) = rules_to_grids(rules, ExtractSettings())
    cells = grid_to_cells(grid, chars, 1, 2.0)
    by_text = {c.text: c for c in cells if c.text}
    assert (by_text["项"].col_span, by_text["项"].row_span) == (2, 1)
    assert (by_text["合计"].col, by_text["合计"].row_span) == (2, 2)
    assert len(cells) == 4


def test_thin_filled_rectangles_join_into_rules():
    from disclosure_etl.extract.paths import polyline_rules

    box = [(0.0, 10.0), (300.0, 10.0), (300.0, 10.9), (0.0, 10.9), (0.0, 10.0)]
    (rule,) = polyline_rules(box, stroke=False, fill=True, settings=ExtractSettings())
    assert rule.horizontal and rule.x1 == 300.0


def test_separate_grids_on_one_page():
    a = [_h(0, 0, 100), _h(20, 0, 100), _v(0, 0, 20), _v(50, 0, 20), _v(100, 0, 20)]
    b = [_h(200, 0, 100), _h(220, 0, 100), _v(0, 200, 220), _v(50, 200, 220), _v(100, 200, 220)]
    grids = rules_to_grids(a + b, ExtractSettings())
    assert [g.ys[0] for g in grids] == [0, 200]


def test_settings_reject_unknown_keys():
    import pytest

    with pytest.raises(ValueError, match="unknown ExtractSettings keys: engin"):
        ExtractSettings.resolve({"engin": "pdfium"})
