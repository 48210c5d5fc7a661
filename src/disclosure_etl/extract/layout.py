"""Pure: group characters into text lines, in reading order.

Hot path: every character of every page passes here once (the text outside
the grids, or the text of its cell). Each character's box is read once, into
a plain tuple (`PageText.plain`, made by the PDFium reader with its records;
`plain_chars` for the other readers), and every step after works on those; no
box is built for a line whose text alone is wanted (`plain_to_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

from ..records import BBox, Char, PageText, Plain, TextLine

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

_X0 = itemgetter(1)


def plain_chars(chars: Sequence[Char]) -> list[Plain]:
    """Each character's `Plain` tuple (records.py), indexed in the order given."""
    return [(b.top + b.bottom, b.x0, k, b.top, b.bottom, b.x1, ch.text) for k, ch in enumerate(chars) for b in (ch.bbox,)]


def page_plain(page: PageText) -> Sequence[Plain]:
    """The page's characters as `Plain` tuples: those the reader made with its records (not copied: nothing
    after changes the sequence it is given), else read off them."""
    return page.plain if page.plain else plain_chars(page.chars)


def chars_to_lines(chars: Sequence[Char], page_no: int) -> list[TextLine]:
    """Lines of text, top to bottom, each left to right."""
    return plain_to_lines(plain_chars(chars), page_no)


def plain_to_lines(chars: Sequence[Plain], page_no: int) -> list[TextLine]:
    """`chars_to_lines` of characters already read into plain tuples."""
    return [TextLine(page_no, text, BBox(x0, top, x1, bottom), size) for text, x0, top, x1, bottom, size in _lines(chars)]


def chars_to_text(chars: Sequence[Char]) -> str:
    """The text of `chars_to_lines`, its lines joined with nothing between them (a cell's text)."""
    return plain_to_text(plain_chars(chars))


def plain_to_text(chars: list[Plain]) -> str:
    """`chars_to_text` of plain tuples in page order.

    Most cells hold one run of characters with one box height on one baseline,
    already left to right (10.5k of the corpus's 12k filled cells): that is one
    row, whose thresholds are the same for every character, and its text is
    joined in one pass over the list — a third of the time of sorting it into
    rows and lines. Any other character sends the cell the general way.
    """
    if len(chars) < 2:
        return chars[0][6] if chars else ""
    if chars[0][3] - chars[0][3] == 0.0:  # finite: `_reading_order` rounds it (and raises on inf, as it should)
        one_row: list[_Line] = []
        if _one_box_lines(chars, one_row):  # its lines are left to right, joined with nothing
            return "".join(line[0] for line in one_row)
    return "".join(line[0] for line in _lines(chars))


def _lines(chars: Sequence[Plain]) -> list[_Line]:
    lines: list[_Line] = []
    rows, one_box = _rows(sorted(chars))
    for row, alike in zip(rows, one_box):
        if not (alike and _one_box_lines(row, lines)):
            _row_to_lines(row, lines)
    lines.sort(key=_reading_order)
    return lines


def _reading_order(line: _Line) -> tuple[int, float]:
    return round(line[2]), line[1]


def _rows(ordered: list[Plain]) -> tuple[list[list[Plain]], list[bool]]:
    """Characters in order of their vertical centre, cut into rows where the centre moves; and which rows hold one box.

    Same row: the centre within _SAME_LINE of the smaller height from the row's mean centre, or the
    smaller glyph inside the other's band and the centre within _SAME_LINE of the taller height — a
    punctuation glyph with a box of its own size and place ('、' low and small in a Shanghai 决算's
    一、一般公共预算财政拨款收入) would otherwise start a line of its own. Inlined: it runs per character.
    A character boxed like the one before it (9 in 10 of the corpus's text outside grids) has one
    height for both: the two tests are one, against a limit kept from the character before.
    """
    if not ordered:
        return [], []
    first = ordered[0]
    row = [first]
    rows, one_box = [row], [True]
    centre_sum, n = first[0] / 2, 1
    last_top, last_bottom = first[3], first[4]
    limit = _SAME_LINE * _at_least(last_bottom - last_top, 0.1)
    for k in range(1, len(ordered)):
        ch = ordered[k]
        top, bottom = ch[3], ch[4]
        yc = ch[0] / 2
        off = yc - centre_sum / n
        off = -off if off < 0 else off
        if top == last_top and bottom == last_bottom:
            joins = off <= limit
        else:
            joins = _joins(off, top, bottom, last_top, last_bottom)
            one_box[-1] = one_box[-1] and not joins
            last_top, last_bottom, limit = top, bottom, _SAME_LINE * _at_least(bottom - top, 0.1)
        if joins:
            row.append(ch)
            centre_sum += yc
            n += 1
        else:
            row = [ch]
            rows.append(row)
            one_box.append(True)
            centre_sum, n = yc, 1
    return rows, one_box


def _at_least(value: float, floor: float) -> float:
    """max(value, floor), as `_rows` has always computed it (a NaN stays NaN)."""
    return floor if value < floor else value


def _joins(off: float, top: float, bottom: float, last_top: float, last_bottom: float) -> bool:
    """Does a character boxed unlike the one before join its row (`_rows`)? `off`: its centre's distance from the row's."""
    ha, hb = _at_least(last_bottom - last_top, 0.1), _at_least(bottom - top, 0.1)
    small, tall = (ha, hb) if ha <= hb else (hb, ha)
    if off <= _SAME_LINE * small:
        return True
    overlap = (bottom if bottom < last_bottom else last_bottom) - (top if top > last_top else last_top)
    return overlap >= 0.6 * small and off <= _SAME_LINE * tall


def _one_box_lines(row: list[Plain], out: list[_Line]) -> bool:
    """`_row_to_lines` for a row of characters all boxed alike (so one height, one em), already left to right;
    False, and nothing added, when they are not (a NaN x0 too): such a row goes the general way.

    Half the characters outside grids, and most cells' text: no sort and no per-character heights.
    """
    start = len(out)
    _, x0, _, top, bottom, x1, prev_text = row[0]
    size = bottom - top
    em = size if size > 1.0 else 1.0
    far, space = _FAR_APART * em, _SPACE_GAP * em
    pieces = [prev_text]
    prev_x0, prev_x1 = x0, x1
    for k in range(1, len(row)):
        _, cx0, _, t, bo, cx1, text = row[k]
        if t != top or bo != bottom or not cx0 >= prev_x0:
            del out[start:]
            return False
        gap = cx0 - prev_x1
        if gap > far:
            out.append(("".join(pieces), x0, top, x1, bottom, size))
            pieces, x0, x1 = [], cx0, cx1
        else:
            if gap > space and (gap > em or prev_text not in _OPEN_AFTER):
                pieces.append(" ")
            x1 = cx1 if cx1 > x1 else x1
        pieces.append(text)
        prev_x0, prev_x1, prev_text = cx0, cx1, text
    out.append(("".join(pieces), x0, top, x1, bottom, size))
    return True


def _row_to_lines(row: list[Plain], out: list[_Line]) -> None:
    """One row left to right: split where pieces are very far apart (two columns), a space across wide gaps."""
    if len(row) > 1:
        row.sort(key=_X0)
    _, x0, _, top, bottom, x1, prev_text = row[0]
    pieces = [prev_text]
    size = prev_height = bottom - top
    prev_x1 = x1
    for k in range(1, len(row)):
        _, cx0, _, t, bo, cx1, text = row[k]
        height = bo - t
        gap, em = cx0 - prev_x1, (prev_height if prev_height > 1.0 else 1.0)
        if gap > _FAR_APART * em:
            out.append(("".join(pieces), x0, top, x1, bottom, size))
            pieces, x0, top, x1, bottom, size = [], cx0, t, cx1, bo, height
        else:
            # join_chars' rule: the taller of the two characters, no space after full-width punctuation.
            tallest = height if height > prev_height else prev_height  # max(prev_height, height, 1.0), inline
            tallest = 1.0 if tallest < 1.0 else tallest
            if gap > (1.0 if prev_text in _OPEN_AFTER else _SPACE_GAP) * tallest:
                pieces.append(" ")
            top = t if t < top else top
            x1 = cx1 if cx1 > x1 else x1
            bottom = bo if bo > bottom else bottom
            size = height if height > size else size
        pieces.append(text)
        prev_x1, prev_height, prev_text = cx1, height, text
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
