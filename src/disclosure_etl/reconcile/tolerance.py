"""Pure: the one tolerance rule, from printed precision, used by every check.

Every printed figure is rounded to its last printed digit, so it may be off
by half a unit of that digit (`half_unit`). A relation between printed
figures (a total and its parts, an amount and the percentage said of it) can
miss by what those half-units allow once carried through the relation:

- a sum or difference of N figures: the sum of their half-units (`sum_tolerance`);
- a percentage a ÷ b × 100 stated to k decimals: half a unit of its k-th
  decimal plus the spread the half-units of a and b give (`ratio_tolerance`).

`classify` turns a difference and its tolerance into a severity: none when
equal, `rounding` when printed precision explains it, else the rule's own
severity. A stated percentage may also be off by one unit of its last digit
and still be rounding: documents truncate (10.158% printed 10.15%) or nudge
one share so a list sums to 100% (`slack`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..normalize.amounts import clean_amount_text
from ..records import LineItem, Severity, Unit

HALF = Decimal("0.5")
WAN = Decimal(10000)


@dataclass(frozen=True, slots=True)
class Printed:
    """A figure as printed: its value in yuan (or percent) and the half-unit of its last digit."""

    value: Decimal
    half: Decimal


def decimals_of(text: str) -> int:
    """Digits after the decimal point of a printed figure ('1,200.50' → 2, '15' → 0)."""
    return len(clean_amount_text(text).strip("()（）%").partition(".")[2])


def half_unit(decimals: int, factor: Decimal = Decimal(1)) -> Decimal:
    """Half of one unit in the last printed digit, times the unit's size in yuan."""
    return HALF * Decimal(1).scaleb(-decimals) * factor


def half_unit_yuan(item: LineItem) -> Decimal:
    """Half of one unit in the last printed digit of a table figure, in yuan."""
    return _half_unit_of(item.amount_text, item.unit)


@lru_cache(maxsize=16384)
def _half_unit_of(amount_text: str, unit: Unit) -> Decimal:
    # Every check asks it of the same figures; Decimal arithmetic is slow enough to show. Keyed
    # by the unit, not its factor: `Unit.factor` builds a Decimal on each call.
    return half_unit(decimals_of(amount_text), unit.factor)


def item_figure(item: LineItem) -> Printed:
    return Printed(item.amount_yuan, half_unit_yuan(item))


def text_figure(value_yuan: Decimal, decimals: int) -> Printed:
    """A 万元 figure stated in the narrative."""
    return Printed(value_yuan, half_unit(decimals, WAN))


def sum_tolerance(halves: Iterable[Decimal]) -> Decimal:
    """The largest difference the rounding of the figures of a sum can explain."""
    return sum(halves, Decimal(0))


def tolerance_for(items: Iterable[LineItem], floor_half_unit: Decimal = Decimal(0)) -> Decimal:
    """`sum_tolerance` over table figures (plus any further half-unit)."""
    return sum_tolerance([floor_half_unit, *(half_unit_yuan(i) for i in items)])


def ratio_tolerance(num: Printed, den: Printed, stated_decimals: int) -> Decimal:
    """How far a percentage num ÷ den × 100 stated to `stated_decimals` may be from the exact one."""
    if den.value == 0:
        return Decimal(0)
    spread = 100 * (num.half / abs(den.value) + abs(num.value) * den.half / (den.value * den.value))
    return half_unit(stated_decimals) + spread


def last_digit_unit(stated: Decimal) -> Decimal:
    """One unit of the last printed digit of a stated figure (10.15 → 0.01)."""
    return Decimal(1).scaleb(int(stated.as_tuple().exponent))


def classify(difference: Decimal, tolerance: Decimal, severity: Severity = Severity.ERROR, slack: Decimal = Decimal(0)) -> Severity | None:
    """None when equal; ROUNDING when printed precision (and `slack`) explains it; else `severity`."""
    if difference == 0:
        return None
    if abs(difference) <= tolerance + slack:
        return Severity.ROUNDING
    return severity
