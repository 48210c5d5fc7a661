"""Pure: printed amount text -> exact Decimal yuan (never float)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..records import Unit

_DASHES = {"-", "—", "–", "－", "――", "--", "——", "/", "／"}
_PLACEHOLDER_RE = re.compile(r"^[XxＸｘ×*＊]+$|[XxＸｘ×]{2,}")
_NUMBER_RE = re.compile(r"^(?P<neg>[-−])?(?P<body>\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?|\.\d+)$")
_UNIT_RE = re.compile(r"([千万亿])?\s*元")
_SPACE_RE = re.compile(r"\s+")
_FACTOR = {u: u.factor for u in Unit}  # `Unit.factor` builds its Decimal on every call


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed printed amount: its value in the printed unit and its precision."""

    value: Decimal
    decimals: int

    def to_yuan(self, unit: Unit) -> Decimal:
        return self.value * _FACTOR[unit]


def clean_amount_text(text: str) -> str:
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text))


def is_placeholder(text: str) -> bool:
    """`XX`, `XXX`, `××` stand where a template would print a number."""
    return bool(_PLACEHOLDER_RE.search(clean_amount_text(text)))


def is_blank(text: str) -> bool:
    """No amount printed: empty, or a dash standing for none."""
    t = clean_amount_text(text)
    return not t or t in _DASHES


def parse_amount(text: str) -> Amount:
    """Parse `31,286,407.52`, `.34`, `(1,200.00)`, `１２３`; raises ValueError otherwise."""
    amount = _cleaned_to_amount(clean_amount_text(text))
    if amount is None:
        raise ValueError(f"not an amount: {text!r}")
    return amount


def cell_amount(text: str) -> tuple[bool, Amount | None]:
    """(whether a cell prints anything, its amount when it reads as one): `is_blank` and
    `try_parse_amount` with the text cleaned once (every amount cell of every table asks both)."""
    t = clean_amount_text(text)
    if not t or t in _DASHES:
        return False, None
    return True, _cleaned_to_amount(t)


def _cleaned_to_amount(t: str) -> Amount | None:
    negative = False
    if len(t) >= 2 and t[0] in "(（" and t[-1] in ")）":
        t, negative = t[1:-1], True
    m = _NUMBER_RE.match(t)
    if not m:
        return None
    body = m.group("body").replace(",", "")
    value = Decimal(body)  # the regex admits only digits and one point
    if negative or m.group("neg"):
        value = -value
    decimals = len(body.partition(".")[2])
    return Amount(value, decimals)


def storable(yuan: Decimal) -> bool:
    """The output holds amounts exactly as decimal128(24, 4) yuan: no more than 4 decimals, 20 digits
    before the point. A figure beyond that is no printed amount (damaged text such as '.18 679')."""
    return yuan.is_finite() and abs(yuan) < _LIMIT and yuan == yuan.quantize(_STEP)


_LIMIT = Decimal(10) ** 20
_STEP = Decimal("0.0001")


def try_parse_amount(text: str) -> Amount | None:
    return _cleaned_to_amount(clean_amount_text(text))


def parse_unit(text: str) -> Unit | None:
    """`单位：万元` → WAN_YUAN; `金额单位:元` → YUAN (千元, 亿元 too); None when no unit is printed."""
    m = _UNIT_RE.search(text or "")
    return unit_named(m.group(0)) if m else None


def unit_named(text: str) -> Unit:
    """The unit a matched '万 元', '元', '千元' … names."""
    return Unit(_SPACE_RE.sub("", text))


def precision_yuan(decimals: int, unit: Unit) -> Decimal:
    """The value of one unit in the last printed digit, in yuan."""
    return Decimal(1).scaleb(-decimals) * unit.factor
