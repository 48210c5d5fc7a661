"""I/O: objects a PDF refers to but does not hold, found in the file's bytes.

qpdf and PDFium both take a missing object as null, silently; a ToUnicode map
cut out of a font makes its text read as other characters. This scan finds
every object definition (`N G obj`, the last of each, as a repairing reader
takes them) and the references in their dictionaries.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterator

_CHUNK = 1 << 20
_REF = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+R(?![A-Za-z])")
_BODY_END = re.compile(rb"\bendobj\b|\bstream\r?\n")

OBJECT_RE = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+obj\b")
"""An object's header. `object_headers` finds exactly this pattern's matches, faster."""
_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what \s matches in a bytes pattern
_DIGIT = frozenset(b"0123456789")
_WORD = frozenset(b"0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def missing_objects(path: str, existing: set[tuple[int, int]]) -> tuple[int, ...]:
    """Objects referred to by the file's current object definitions (the last of each, as a
    repairing reader takes them) that no reader can find. Objects inside object streams are
    not scanned: a cut-out object leaves its bytes' references behind, which this finds."""
    current: dict[tuple[int, int], bytes] = {}
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for number, generation, body_start in object_headers(data):
            # A dictionary ends well before _CHUNK (stream data is skipped); searched in place, never copied.
            limit = min(len(data), body_start + _CHUNK)
            end = _BODY_END.search(data, body_start, limit)  # type: ignore[call-overload]
            current[(number, generation)] = data[body_start : end.start() if end else limit]
    refs = {(int(a), int(b)) for body in current.values() for a, b in _REF.findall(body)}
    return tuple(sorted({n for n, g in refs - existing - set(current) if n}))


def object_headers(data: bytes | mmap.mmap) -> Iterator[tuple[int, int, int]]:
    """(number, generation, offset after `obj`) of every match of OBJECT_RE, in order.

    The regular expression, run over a whole file, tries a match at every byte
    of its (mostly binary) streams: 0.1 s a document. A header always ends in
    `obj`, and its digits and spaces before that are found by looking back from
    each `obj` the file holds (few, beyond the headers and `endobj`). A match
    is unique to its `obj`: the first number cannot be longer to the left (no
    digit may precede it), and two matches cannot overlap (letters are neither
    digits nor spaces).
    """
    size = len(data)
    at = data.find(b"obj")
    while at >= 0:
        end = at + 3
        if end >= size or data[end] not in _WORD:
            found = _header_before(data, at)
            if found is not None:
                yield found[0], found[1], end
        at = data.find(b"obj", end)


def _header_before(data: bytes | mmap.mmap, at: int) -> tuple[int, int] | None:
    """The two numbers `N G` (each followed by spaces) that end at `at`, if the header rules allow them."""
    i = _skip_back(data, at, _SPACE)
    if i == at:
        return None
    gen_end, i = i, _skip_back(data, i, _DIGIT)
    if not 1 <= gen_end - i <= 5:
        return None
    gen_start, j = i, _skip_back(data, i, _SPACE)
    if j == gen_start:
        return None
    num_end, j = j, _skip_back(data, j, _DIGIT)
    if not 1 <= num_end - j <= 7 or (j > 0 and data[j - 1] == 0x2E):  # no '.' before the first number
        return None
    return int(data[j:num_end]), int(data[gen_start:gen_end])


def _skip_back(data: bytes | mmap.mmap, end: int, allowed: frozenset[int]) -> int:
    """The start of the run of `allowed` bytes that ends at `end`."""
    i = end
    while i > 0 and data[i - 1] in allowed:
        i -= 1
    return i
