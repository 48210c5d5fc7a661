"""Pure: a text layer whose characters do not map to the text printed.

A CJK font embedded without its ToUnicode map (or with that map damaged)
gives PDFium glyph ids for characters: a Chinese page reads as Latin-1
letters and control codes ('óòôõúåë', '\\x14'), figures included, so tables
lose their amounts without a word. Such a page is read from its image, like a
scan, or reported. Latin-1 punctuation a Chinese page does print (·, ×, °, ±,
¥ …) never counts.
"""

from __future__ import annotations

MIN_GARBLED = 3  # characters: none was seen on any page of the corpus or the samples
MIN_SHARE = 0.01  # of the page's characters


def is_garbled(text: str) -> bool:
    """Enough of the page's text (as PDFium gives it, control codes included) is what an unmapped CJK font gives."""
    shown = [ch for ch in text if not ch.isspace()]
    bad = sum(1 for ch in shown if _unmapped(ch))
    return bad >= MIN_GARBLED and bad >= MIN_SHARE * len(shown)


def _unmapped(ch: str) -> bool:
    o = ord(ch)
    return (
        o < 0x20  # control codes
        or 0x7F <= o <= 0x9F
        or 0xC0 <= o <= 0xFF and o not in (0xD7, 0xF7)  # Latin-1 letters; × and ÷ are printed
        or o == 0xFFFD  # the replacement character
        or 0xE000 <= o <= 0xF8FF  # private use
    )
