from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure_etl.normalize.amounts import is_blank, is_placeholder, parse_amount, parse_unit, try_parse_amount
from disclosure_etl.records import Unit


@pytest.mark.parametrize(
    "text,value,decimals",
    [
        ("31,286,407.52", "31286407.52", 2),
        ("9,870,215", "9870215", 0),
        (".34", "0.34", 2),
        ("0", "0", 0),
        ("0.00", "0.00", 2),
        ("(1,200.50)", "-1200.50", 2),
        ("（12）", "-12", 0),
        ("-3.5", "-3.5", 1),
        ("１２３.４", "123.4", 1),
        (" 613.05 ", "613.05", 2),
    ],
)
def test_parse_amount(text, value, decimals):
    amount = parse_amount(text)
    assert amount.value == Decimal(value) and amount.decimals == decimals


@pytest.mark.parametrize("text", ["XX", "1,2,3", "12.3.4", "abc", "合计", "1 234x"])
def test_parse_amount_rejects(text):
    assert try_parse_amount(text) is None


def test_wan_yuan_to_yuan_is_exact():
    assert parse_amount("268.388").to_yuan(Unit.WAN_YUAN) == Decimal("2683880.000")
    assert parse_amount("0.01").to_yuan(Unit.WAN_YUAN) == Decimal("100.00")


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "－"])
def test_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["XX", "XXX", "××", "ＸＸ万元"])
def test_placeholder(text):
    assert is_placeholder(text)


@pytest.mark.parametrize("text,unit", [("单位：元", Unit.YUAN), ("单位:万元", Unit.WAN_YUAN), ("金额单位：万 元", Unit.WAN_YUAN), ("", None),
                                       ("单位：千元", Unit.QIAN_YUAN), ("单位：亿元", Unit.YI_YUAN)])
def test_parse_unit(text, unit):
    assert parse_unit(text) is unit


def test_unit_factors():
    assert [u.factor for u in Unit] == [1, 1000, 10000, 100000000]


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_grouped_rendering_round_trips(value):
    text = f"{value:,.2f}"
    if value < 0:
        text = f"({-value:,.2f})"
    assert parse_amount(text).value == value


_FULL = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_full_width_rendering_parses_the_same(value):
    text = f"{value:,.2f}".translate(_FULL)
    assert parse_amount(text).value == value


@given(st.sampled_from(["", " ", "-", "—", "－", "\u3000"]))
def test_blank_and_dash_are_no_amount(text):
    assert is_blank(text) and try_parse_amount(text) is None


@given(st.text(alphabet="XＸx×", min_size=2, max_size=5))
def test_placeholders_are_never_numbers(text):
    assert is_placeholder(text) and try_parse_amount(text) is None
