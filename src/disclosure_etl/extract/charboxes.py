"""Pure: a page's text and PDFium's loose character boxes turned into `Plain` tuples and `Char` records.

Every character of every page passes here (148k over the corpus). A page
is mapped with numpy over all its boxes at once, with the same float
arithmetic in the same order as `PageFrame.point`; the layout reads the
plain tuples, and the records are made from them only when a page's are
read (`PlainChars`), column by column (`columns_to_records`). A turned page
is mapped the same way, with `PageFrame.box`'s arithmetic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import MISSING, fields
from itertools import repeat
from typing import Any, TypeVar, overload

from ..records import BBox, Char, Plain
from .paths import PageFrame

T = TypeVar("T")

BLANK = frozenset({" ", "\u3000", "\t", "\r", "\n", "\x00", "\ufffe", "\uffff", "\x02"})
"""Characters that carry no ink: word gaps are recomputed from geometry."""


def inked_indexes(text: str) -> list[int]:
    """Indexes of the characters that carry ink (printable, not blank), in order."""
    return [i for i, ch in enumerate(text) if ch not in BLANK and ch.isprintable()]


def boxes_to_chars(text: str, keep: Sequence[int], boxes: object, frame: PageFrame) -> tuple[Char, ...]:
    """`Char`s of `text[i]` for each i in `keep`, from `boxes`: a buffer of float32 (left, top, right, bottom)
    per kept index, PDF user space (y up). A box with no width (PDFium gives none) drops its character."""
    return tuple(boxes_to_page_chars(text, keep, boxes, frame)[0])


def boxes_to_page_chars(text: str, keep: Sequence[int], boxes: object, frame: PageFrame) -> tuple[PlainChars, tuple[Plain, ...]]:
    """`boxes_to_chars` (as `PlainChars`, made when first read), and the same characters as `layout.plain_chars`
    reads them off the records.

    The plain tuples come from the columns the records are built from, zipped in
    C, sharing their floats: the layout never reads a box off a `Char` again.
    Over the corpus's 148k characters the worker's CPU time is 0.022 to 0.047 s
    less (two A/B runs of extract_file, interleaved, best of 8). numpy's float64
    sum is Python's float sum, so the tuples equal `plain_chars`'s, NaN and all.
    """
    import numpy as np

    v = np.frombuffer(memoryview(boxes), dtype=np.float32).reshape(-1, 4).astype(np.float64)  # type: ignore[arg-type]
    x0, top, x1, low = v[:, 0], v[:, 1], v[:, 2], v[:, 3]
    wide = ~(x1 <= x0)  # not `x1 > x0`: a NaN box is kept, as it always was
    chars = list(map(text.__getitem__, np.asarray(keep, dtype=np.int64)[wide].tolist()))
    x0, top, x1, low = x0[wide], top[wide], x1[wide], low[wide]
    if frame.rotation != 0:
        columns = _turned_boxes(frame, x0, low, x1, top)
    else:
        y0, y1 = frame.height - (low - frame.bottom), frame.height - (top - frame.bottom)
        flipped = y1 <= y0
        columns = (x0 - frame.left, np.where(flipped, y1, y0), x1 - frame.left, np.where(flipped, y0, y1))
    left, upper, right, lower = (c.tolist() for c in columns)
    plain = tuple(zip((columns[1] + columns[3]).tolist(), left, range(len(chars)), upper, lower, right, chars))
    return PlainChars(plain), plain


class PlainChars(Sequence[Char]):
    """A text layer's characters: `Char` records made from their `Plain` tuples when one is first read.

    The layout reads the plain tuples only; a page's records are read just for
    an open-frame grid (`open_grid_to_grid`: 6 of the corpus's 347 pages). Making
    them for every character was two-thirds of turning PDFium's boxes into
    records (0.17 s of 0.27 s CPU over the corpus, same process). Length and
    truth come from the tuples; equal to any sequence of the same records, as
    the tuple it stands for is. Every text-layer character is certain (confidence 1.0).
    """

    __slots__ = ("plain", "_records")

    def __init__(self, plain: tuple[Plain, ...]) -> None:
        self.plain = plain
        self._records: tuple[Char, ...] | None = None

    def records(self) -> tuple[Char, ...]:
        """The records, made once: `BBox(x0, top, x1, bottom)` off the same floats the tuples hold."""
        if self._records is None:
            if self.plain:
                _, x0, _, top, bottom, x1, text = zip(*self.plain)
                self._records = tuple(columns_to_records(Char, list(text), columns_to_records(BBox, list(x0), list(top), list(x1), list(bottom))))
            else:
                self._records = ()
        return self._records

    def __len__(self) -> int:
        return len(self.plain)

    @overload
    def __getitem__(self, index: int) -> Char: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Char, ...]: ...
    def __getitem__(self, index: int | slice) -> Char | tuple[Char, ...]:
        return self.records()[index]

    def __iter__(self) -> Iterator[Char]:
        return iter(self.records())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlainChars):
            other = other.records()
        return isinstance(other, tuple) and self.records() == other

    def __hash__(self) -> int:
        return hash(self.records())

    def __repr__(self) -> str:
        return repr(self.records())

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as the tuple it stands for
        return tuple, (self.records(),)


def _turned_boxes(frame: PageFrame, x0: Any, y0: Any, x1: Any, y1: Any) -> tuple[Any, Any, Any, Any]:
    """`PageFrame.box(x0, y0, x1, y1)` over arrays: the same arithmetic, and Python's `min(a, b)`
    (`b if b < a else a`) and `max(a, b)` (`b if b > a else a`), so NaN falls where it did."""
    import numpy as np

    (ax, at), (bx, bt) = frame.point(x0, y0), frame.point(x1, y1)  # its arithmetic is elementwise: arrays go through
    return np.where(bx < ax, bx, ax), np.where(bt < at, bt, at), np.where(bx > ax, bx, ax), np.where(bt > at, bt, at)


def columns_to_records(cls: type[T], *columns: list[Any]) -> list[T]:
    """`list(map(cls, *columns))` for a slotted dataclass, built the way `geometry._quick_init`'s `__init__`
    builds one (each slot set through its descriptor) with every loop in C: one `object.__new__` per
    record, then one map per field. Fields past the columns take their defaults. A quarter less than
    calling the class per record (175k characters with their boxes: 0.053 s instead of 0.072 s).
    """
    if hasattr(cls, "__post_init__") or "__slots__" not in cls.__dict__ or not columns:
        return list(map(cls, *columns))
    records = list(map(object.__new__, repeat(cls, len(columns[0]))))
    for k, field in enumerate(fields(cls)):  # type: ignore[arg-type]
        if k >= len(columns) and field.default is MISSING:
            raise TypeError(f"{cls.__name__}: no value for {field.name}")
        values = columns[k] if k < len(columns) else repeat(field.default)
        deque(map(cls.__dict__[field.name].__set__, records, values), maxlen=0)
    return records

