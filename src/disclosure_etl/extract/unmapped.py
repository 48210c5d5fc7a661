"""Pure: a text layer whose characters do not map to the text printed.

A CJK font embedded without its ToUnicode map (or with that map damaged)
gives PDFium glyph ids for characters: a Chinese page reads as Latin-1
letters and control codes ('óòôõúåë', '\\x14'), figures included, so tables
lose their amounts without a word. Such a page is read from its image, like a
scan, or reported. Latin-1 punctuation a Chinese page does print (·, ×, °, ±,
¥ …) never counts.
"""

from __future__ import annotations

import re

MIN_GARBLED = 3  # characters: none was seen on any page of the corpus or the samples
MIN_SHARE = 0.01  # of the page's characters


# Control codes (not the whitespace ones), C1 controls, Latin-1 letters (not × and ÷), the
# replacement character and the private use area: what glyph numbers read as characters give.
_UNMAPPED_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\ufffd\ue000-\uf8ff]")
_SPACE_RE = re.compile(r"\s")


def is_garbled(text: str) -> bool:
    """Enough of the page's text (as PDFium gives it, control codes included) is what an unmapped CJK font gives."""
    bad = len(_UNMAPPED_RE.findall(text))
    return bad >= MIN_GARBLED and bad >= MIN_SHARE * (len(text) - len(_SPACE_RE.findall(text)))
