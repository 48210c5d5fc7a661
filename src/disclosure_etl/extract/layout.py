"""Pure: group characters into text lines, in reading order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..records import BBox, Char, TextLine

# Two characters share a line when their vertical centres are within this
# fraction of the smaller character's height.
_SAME_LINE = 0.45
# A horizontal gap wider than this fraction of the character height is a space.
_SPACE_GAP = 0.3


def chars_to_lines(chars: Sequence[Char], page_no: int) -> list[TextLine]:
    """Lines of text, top to bottom, each left to right."""
    rows: list[list[Char]] = []
    centre_sum = 0.0
    for ch in sorted(chars, key=lambda c: (c.bbox.top + c.bbox.bottom, c.bbox.x0)):
        yc = (ch.bbox.top + ch.bbox.bottom) / 2
        if rows and _same_line(rows[-1][-1], ch, centre_sum / len(rows[-1]), yc):
            rows[-1].append(ch)
            centre_sum += yc
        else:
            rows.append([ch])
            centre_sum = yc
    lines = [_split_far_apart(row) for row in rows]
    flat = [_to_line(part, page_no) for parts in lines for part in parts]
    return sorted(flat, key=lambda ln: (round(ln.bbox.top), ln.bbox.x0))


def _same_line(last: Char, ch: Char, centre: float, yc: float) -> bool:
    """Same baseline: centres close for the taller glyph, or the smaller glyph inside the other's band.

    A punctuation glyph can carry a box of its own size and place ('、' low and
    small, corpus: a Shanghai 决算 of the template's family, 一、一般公共预算财政拨款收入);
    judged by the smaller box alone it would start a line of its own and be read
    after its neighbours.
    """
    a, b = last.bbox, ch.bbox
    small, tall = sorted((max(a.bottom - a.top, 0.1), max(b.bottom - b.top, 0.1)))
    if abs(yc - centre) <= _SAME_LINE * small:
        return True
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.6 * small and abs(yc - centre) <= _SAME_LINE * tall


def _split_far_apart(row: list[Char]) -> list[list[Char]]:
    """A 'line' whose pieces are very far apart (two columns) becomes several."""
    row = sorted(row, key=lambda c: c.bbox.x0)
    parts: list[list[Char]] = [[row[0]]]
    for ch in row[1:]:
        prev = parts[-1][-1].bbox
        size = max(prev.bottom - prev.top, 1.0)
        if ch.bbox.x0 - prev.x1 > 8 * size:
            parts.append([ch])
        else:
            parts[-1].append(ch)
    return parts


def _to_line(chars: list[Char], page_no: int) -> TextLine:
    text = join_chars(chars)
    box = BBox(
        min(c.bbox.x0 for c in chars), min(c.bbox.top for c in chars),
        max(c.bbox.x1 for c in chars), max(c.bbox.bottom for c in chars),
    )
    size = max(c.bbox.bottom - c.bbox.top for c in chars)
    return TextLine(page_no, text, box, size)


# Full-width punctuation draws its glyph in the left half of its square: the
# white after it is part of the character, not a space.
_OPEN_AFTER = frozenset("、，。：；！？）》」』】")


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
