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
    a, b = last.bbox, ch.bbox
    height = min(a.bottom - a.top, b.bottom - b.top) or 1.0
    return abs(yc - centre) <= _SAME_LINE * height


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


def join_chars(chars: Iterable[Char]) -> str:
    """Concatenate characters left to right, with a space across wide gaps."""
    out: list[str] = []
    prev: BBox | None = None
    for ch in chars:
        if prev is not None:
            height = max(prev.bottom - prev.top, 1.0)
            if ch.bbox.x0 - prev.x1 > _SPACE_GAP * height:
                out.append(" ")
        out.append(ch.text)
        prev = ch.bbox
    return "".join(out)


def lines_text(lines: Iterable[TextLine]) -> str:
    return "\n".join(line.text for line in lines)
