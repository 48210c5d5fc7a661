"""Pure: Chinese numerals as printed in enumerators and counts (一, 十一, 二十三, 两)."""

from __future__ import annotations

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def cn_to_int(text: str) -> int | None:
    """'一' → 1, '十一' → 11, '二十三' → 23, '两' → 2, '12' → 12; None when not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        if (tens and tens not in _DIGITS) or (units and units not in _DIGITS):
            return None
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)
    return _DIGITS.get(text) if len(text) == 1 else None
