from disclosure_etl.extract.layout import chars_to_lines, chars_to_text
from disclosure_etl.records import BBox, Char


def _row(text: str, x0: float = 76.7, top: float = 185.7, size: float = 10.5) -> list[Char]:
    return [Char(t, BBox(x0 + i * size, top, x0 + (i + 1) * size, top + size)) for i, t in enumerate(text)]


def test_a_small_low_comma_stays_in_its_line_and_place():
    # '一、一般公共预算财政拨款收入' with the '、' glyph boxed small and low, and drawn last.
    chars = _row("一") + _row("一般公共预算财政拨款收入", x0=76.7 + 2 * 10.5)
    comma = Char("、", BBox(87.5, 191.5, 91.0, 195.5))
    lines = chars_to_lines(chars + [comma], 1)
    assert [ln.text for ln in lines] == ["一、一般公共预算财政拨款收入"]


def test_lines_one_line_height_apart_stay_apart():
    lines = chars_to_lines(_row("收入") + _row("支出", top=185.7 + 12.0), 1)
    assert [ln.text for ln in lines] == ["收入", "支出"]


def test_one_baseline_text_is_the_same_in_any_order():
    # '一、合计' (no space after the full-width comma), '1 234' (a gap of 0.4 em), then a piece 10 em away.
    size = 10.0
    chars = _row("一、", x0=0.0, size=size) + _row("合计", x0=25.0, size=size)
    chars += [Char("1", BBox(60.0, 185.7, 65.0, 195.7)), Char("2", BBox(69.0, 185.7, 74.0, 195.7)), Char("3", BBox(74.0, 185.7, 79.0, 195.7))]
    chars += [Char("元", BBox(179.0, 185.7, 189.0, 195.7))]
    text = chars_to_text(chars)
    assert text == "一、合计 1 23元"
    assert chars_to_text(list(reversed(chars))) == text  # out of order: the general row-and-line layout
    assert [ln.text for ln in chars_to_lines(chars, 1)] == ["一、合计 1 23", "元"]
