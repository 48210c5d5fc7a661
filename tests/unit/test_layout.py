from disclosure_etl.extract.layout import chars_to_lines
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
