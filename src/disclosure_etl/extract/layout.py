"""Pure: group characters into text lines, in reading order.

Hot path: every character of every page passes here at least twice (the
text outside the grids, and the text of each cell), so each step reads a
character's box once and works on plain floats; no box is built for a line
whose text alone is wanted (`chars_to_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from ..records import BBox, Char, TextLine

# Two characters share a line when their vertical centres are within this
# fraction of the smaller character's height.
_SAME_LINE = 0.45
# A horizontal gap wider than this fraction of the character height is a space.
_SPACE_GAP = 0.3
# A gap wider than this many character heights splits a line (two columns).
_FAR_APART = 8
# Full-width punctuation draws its glyph in the left half of its square: the
# white after it is part of the character, not a space.
_OPEN_AFTER = frozenset("、，。：；！？）》」』】")

# A line as plain values: text, x0, top, x1, bottom, size (the tallest character's height).
_Line = tuple[str, float, float, float, float, float]


def chars_to_lines(chars: Sequence[Char], page_no: int) -> list[TextLine]:
    """Lines of text, top to bottom, each left to right."""
    return [TextLine(page_no, text, BBox(x0, top, x1, bottom), size) for text, x0, top, x1, bottom, size in _lines(chars)]


def chars_to_text(chars: Sequence[Char]) -> str:
    """The text of `chars_to_lines`, its lines joined with nothing between them (a cell's text)."""
    if len(chars) == 1:
        return chars[0].text
    return "".join(line[0] for line in _lines(chars))


def _lines(chars: Sequence[Char]) -> list[_Line]:
    lines: list[_Line] = []
    for row in _rows(chars):
        _row_to_lines(row, lines)
    return sorted(lines, key=_reading_order)


def _reading_order(line: _Line) -> tuple[int, float]:
    return round(line[2]), line[1]


_X0 = attrgetter("bbox.x0")


def _rows(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters in order of their vertical centre, cut into rows where the centre moves.

    Same row: the centre within _SAME_LINE of the smaller height from the row's mean centre, or the
    smaller glyph inside the other's band and the centre within _SAME_LINE of the taller height — a
    punctuation glyph with a box of its own size and place ('、' low and small in a Shanghai 决算's
    一、一般公共预算财政拨款收入) would otherwise start a line of its own. Inlined: it runs per character.
    """
    boxes = [ch.bbox for ch in chars]
    keys = [(b.top + b.bottom, b.x0) for b in boxes]
    rows: list[list[Char]] = []
    row: list[Char] = []
    n = 0
    centre_sum = last_top = last_bottom = 0.0
    # Sorting positions by a list's own lookup keeps the order of `sorted(chars, key=...)` (both stable).
    for i in sorted(range(len(keys)), key=keys.__getitem__):
        b = boxes[i]
        top, bottom = b.top, b.bottom
        yc = (top + bottom) / 2
        joins = False
        if n:
            off = yc - centre_sum / n
            off = -off if off < 0 else off
            ha, hb = last_bottom - last_top, bottom - top
            ha, hb = (0.1 if ha < 0.1 else ha), (0.1 if hb < 0.1 else hb)  # max(h, 0.1), inline
            small, tall = (ha, hb) if ha <= hb else (hb, ha)
            if off <= _SAME_LINE * small:
                joins = True
            else:
                overlap = (bottom if bottom < last_bottom else last_bottom) - (top if top > last_top else last_top)
                joins = overlap >= 0.6 * small and off <= _SAME_LINE * tall
        if joins:
            row.append(chars[i])
            centre_sum += yc
            n += 1
        else:
            row = [chars[i]]
            rows.append(row)
            centre_sum, n = yc, 1
        last_top, last_bottom = top, bottom
    return rows


def _row_to_lines(row: list[Char], out: list[_Line]) -> None:
    """One row left to right: split where pieces are very far apart (two columns), a space across wide gaps."""
    row.sort(key=_X0)
    first = row[0].bbox
    pieces = [row[0].text]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    size = prev_height = bottom - top
    prev_x1, prev_text = x1, row[0].text
    for k in range(1, len(row)):
        ch = row[k]
        b = ch.bbox
        t, bo = b.top, b.bottom
        height = bo - t
        gap, em = b.x0 - prev_x1, (prev_height if prev_height > 1.0 else 1.0)
        if gap > _FAR_APART * em:
            out.append(("".join(pieces), x0, top, x1, bottom, size))
            pieces, x0, top, x1, bottom, size = [], b.x0, t, b.x1, bo, height
        else:
            # join_chars' rule: the taller of the two characters, no space after full-width punctuation.
            tallest = height if height > prev_height else prev_height  # max(prev_height, height, 1.0), inline
            tallest = 1.0 if tallest < 1.0 else tallest
            if gap > (1.0 if prev_text in _OPEN_AFTER else _SPACE_GAP) * tallest:
                pieces.append(" ")
            top = t if t < top else top
            x1 = b.x1 if b.x1 > x1 else x1
            bottom = bo if bo > bottom else bottom
            size = height if height > size else size
        pieces.append(ch.text)
        prev_x1, prev_height, prev_text = b.x1, height, ch.text
    out.append(("".join(pieces), x0, top, x1, bottom, size))


def join_chars(chars: Iterable[Char]) -> str:
    """Concatenate characters left to right, with a space across wide gaps."""
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            height = max(prev.bbox.bottom - prev.bbox.top, ch.bbox.bottom - ch.bbox.top, 1.0)
            gap = 1.0 if prev.text in _OPEN_AFTER else _SPACE_GAP
            if ch.bbox.x0 - prev.bbox.x1 > gap * height:
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


def lines_text(lines: Iterable[TextLine]) -> str:
    return "\n".join(line.text for line in lines)
