"""The embedded CJK font and line wrapping measured with it."""

from __future__ import annotations

import os
import re

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WQYMicroHei"
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

# Runs of Latin letters and digits wrap as one unit so that amounts such as
# 679.18 or 2024 never split over two lines.
_TOKEN = re.compile(r"[0-9A-Za-z.%+\-=/]+|.", re.DOTALL)
_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")
_NO_LINE_END = set("（《「『“‘(")


class FontMissingError(RuntimeError):
    """The CJK font file is not installed."""


def register_font(path: str = DEFAULT_FONT_PATH) -> str:
    """Register the CJK font with reportlab once; return its name."""
    if not os.path.isfile(path):
        raise FontMissingError(
            f"CJK font not found at {path}: install it with "
            "`apt-get install fonts-wqy-microhei`, or set SAMPLEGEN_FONT to a .ttc/.ttf file"
        )
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT_NAME, size)


def _tokens(text: str) -> list[str]:
    """Wrap units: Latin runs whole, CJK characters one by one, with closing
    punctuation glued to what precedes it and opening punctuation to what follows."""
    out: list[str] = []
    carry = ""
    for tok in _TOKEN.findall(text):
        if tok in _NO_LINE_END:
            carry += tok
            continue
        tok, carry = carry + tok, ""
        if out and tok[0] in _NO_LINE_START:
            out[-1] += tok
        else:
            out.append(tok)
    if carry:
        out.append(carry)
    return out


def _split_long(token: str, width: float, size: float) -> list[str]:
    """Break one token that alone is wider than the line, character by character."""
    pieces, cur = [], ""
    for ch in token:
        if cur and text_width(cur + ch, size) > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    return pieces + [cur]


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Greedy line breaking of `text` into lines no wider than `width`;
    the first line is `first_indent` narrower."""
    lines: list[str] = []
    cur = ""
    for tok in _tokens(text):
        limit = width - (first_indent if not lines else 0.0)
        if text_width(cur + tok, size) <= limit:
            cur += tok
            continue
        if cur.strip():
            lines.append(cur)
        cur = tok.lstrip()
        if text_width(cur, size) > width:
            *full, cur = _split_long(cur, width, size)
            lines.extend(full)
    if cur.strip() or not lines:
        lines.append(cur)
    return lines
