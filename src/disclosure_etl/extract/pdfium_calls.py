"""Raw PDFium calls over plain integers, for the loops that run once per character or page object.

pypdfium2 types every handle as a pointer to its own opaque struct, so each
call checks its arguments' types and wraps the handle it returns in a new
pointer object. The same C functions declared over `void *` take and return
plain ints, and a call costs about a third less; driven by `map` over
prepared arguments, the loop itself runs in C. Used only where a page has
thousands of characters or objects; everything else goes through pypdfium2.

They are declared as Python-API functions (`PYFUNCTYPE`): the GIL stays held
over each call instead of being released and taken back, a tenth of a call's
cost; these calls never block, nor call back into Python. The buffers they
fill are numpy arrays, zeroed as ctypes' are: a ctypes array of a new length
is a new type, made (and later collected) for each page and each length.
"""

from __future__ import annotations

import ctypes
import functools
from itertools import accumulate, repeat
from typing import Any

import numpy as np

_P, _INT = ctypes.c_void_p, ctypes.c_int
_RECT = 16  # FS_RECTF {float left, top, right, bottom}


def address(handle: Any) -> int:
    """The integer address of a pypdfium2 handle (a ctypes pointer)."""
    return ctypes.cast(handle, _P).value or 0


@functools.cache
def _calls() -> dict[str, Any]:
    from pypdfium2 import raw

    def declare(name: str, restype: Any, *argtypes: Any) -> Any:
        return ctypes.PYFUNCTYPE(restype, *argtypes)(address(getattr(raw, name)))

    return {
        "loose_box": declare("FPDFText_GetLooseCharBox", _INT, _P, _INT, _P),
        "char_box": declare("FPDFText_GetCharBox", _INT, _P, _INT, _P, _P, _P, _P),
        "get_text": declare("FPDFText_GetText", _INT, _P, _INT, _INT, _P),
        "get_object": declare("FPDFPage_GetObject", _P, _P, _INT),
        "get_type": declare("FPDFPageObj_GetType", _INT, _P),
        "draw_mode": declare("FPDFPath_GetDrawMode", _INT, _P, _P, _P),
        "matrix": declare("FPDFPageObj_GetMatrix", _INT, _P, _P),
        "count_segments": declare("FPDFPath_CountSegments", _INT, _P),
        "segment": declare("FPDFPath_GetPathSegment", _P, _P, _INT),
    }


def _buffer(n: int, dtype: Any) -> tuple[Any, int]:
    """A zeroed numpy array of `n` items and the address of its first."""
    array = np.zeros(n, dtype=dtype)
    return array, array.ctypes.data


def loose_boxes(textpage: int, indexes: list[int]) -> Any:
    """FPDFText_GetLooseCharBox of each index: left, top, right, bottom (PDF user space, y up) for each, flat,
    as a float32 array (not copied into Python floats).

    A character PDFium gives no box for keeps zeros (an empty box)."""
    n = len(indexes)
    rects, base = _buffer(4 * n, np.float32)
    list(map(_calls()["loose_box"], repeat(textpage, n), indexes, range(base, base + _RECT * n, _RECT)))
    return rects


def tight_boxes(textpage: int, indexes: list[int]) -> list[float] | None:
    """FPDFText_GetCharBox of each index: left, right, bottom, top (PDF user space, y up) for each, flat;
    None if PDFium gives no box for one of them."""
    n = len(indexes)
    boxes, base = _buffer(4 * n, np.float64)
    at = range(base, base + 32 * n, 32)
    found = map(_calls()["char_box"], repeat(textpage, n), indexes, at, (a + 8 for a in at), (a + 16 for a in at), (a + 24 for a in at))
    return boxes.tolist() if all(found) else None


def pdfium_text(textpage: Any, count: int) -> str:
    """The text page's characters, one per index (one call; per character where UTF-16 needs two units)."""
    from pypdfium2 import raw

    buffer, base = _buffer(count + 1, np.uint16)
    _calls()["get_text"](address(textpage), 0, count, base)
    text = buffer[:count].tobytes().decode("utf-16-le", errors="surrogatepass")
    if len(text) == count:
        return text
    return "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def object_types(page: int, count: int) -> tuple[list[int], list[int]]:
    """The page's top-level objects (as addresses) and their FPDF_PAGEOBJ_* types."""
    calls = _calls()
    objects = list(map(calls["get_object"], repeat(page, count), range(count)))
    return objects, list(map(calls["get_type"], objects))


def path_draws(paths: list[int]) -> tuple[Any, Any]:
    """Each path object's (fill mode, stroked) as an (n, 2) int array, and its transformation
    matrix (a..f, float32 widened to float64) as an (n, 6) array."""
    calls, n = _calls(), len(paths)
    modes, base = _buffer(2 * n, np.intc)
    list(map(calls["draw_mode"], paths, range(base, base + 8 * n, 8), range(base + 4, base + 8 * n, 8)))
    matrices, base = _buffer(6 * n, np.float32)
    list(map(calls["matrix"], paths, range(base, base + 24 * n, 24)))
    return modes.reshape(n, 2), matrices.reshape(n, 6).astype(np.float64)


def copy_points(firsts: list[int], sizes: list[int]) -> bytes:
    """The bytes at each address, `sizes` of them, concatenated (one memmove each, driven from C)."""
    buffer, base = _buffer(sum(sizes), np.uint8)
    list(map(ctypes.memmove, accumulate(sizes, initial=base), firsts, sizes))
    return buffer.tobytes()


def path_segments(paths: list[int]) -> tuple[list[int], list[int | None]]:
    """Each path object's segment count, and the address of its first segment (None when it has none)."""
    calls = _calls()
    return list(map(calls["count_segments"], paths)), list(map(calls["segment"], paths, repeat(0, len(paths))))
