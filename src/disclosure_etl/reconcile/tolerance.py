"""Pure: one tolerance rule from printed precision.

Every printed figure is rounded to its last printed digit, so it may be off
by half a unit of that digit. A relation between N printed figures (a total
and its parts) can therefore miss by at most the sum of their half-units;
a difference within that is `rounding`, beyond it a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..normalize.amounts import clean_amount_text
from ..records import LineItem, Severity

HALF = Decimal("0.5")


def half_unit_yuan(item: LineItem) -> Decimal:
    """Half of one unit in the last printed digit of this figure, in yuan."""
    text = clean_amount_text(item.amount_text).strip("()（）")
    decimals = len(text.partition(".")[2])
    return HALF * Decimal(1).scaleb(-decimals) * item.unit.factor


def tolerance_for(items: Iterable[LineItem], floor_half_unit: Decimal = Decimal(0)) -> Decimal:
    """The largest difference rounding of these printed figures can explain."""
    return sum((half_unit_yuan(i) for i in items), floor_half_unit)


def classify(difference: Decimal, tolerance: Decimal) -> Severity | None:
    """None when equal; ROUNDING when printed precision explains it; else ERROR."""
    if difference == 0:
        return None
    if abs(difference) <= tolerance:
        return Severity.ROUNDING
    return Severity.ERROR
