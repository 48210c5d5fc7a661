"""Ruling segments from a page's vector paths: the page frame, PDFium's path objects, polyline geometry.

Some producers draw every cell border as its own filled rectangle, so a
ruled page can hold thousands of path objects; reading them is, after the
characters, the largest part of reading a page. Hence raw PDFium calls over
the top-level objects, and each path's segments read in one copy (below).
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress
from typing import Any

from ..records import BBox, Rule
from ..settings import ExtractSettings
from .fills import fills_to_rules
from .pdfium_calls import address, copy_points, object_types, path_draws, path_segments

_AXIS_EPS = 0.6  # a segment this close to axis-parallel counts as a ruling
Segment = tuple[float, float, int, bool]  # x, y (PDF user space), FPDF_SEGMENT_* kind, closes its subpath

# PDFium keeps a path's segments in one array of CFX_Path::Point {float x, y;
# uint8 type; bool close} (12 bytes), and FPDFPath_GetPathSegment returns a
# pointer into it. Copying the array at once costs one call instead of four
# per segment. The layout is PDFium's, not its API's, so it is used only after
# `_SegmentReader` has seen the stride and a whole path agree with the API.
_POINT = struct.Struct("<ffBB2x")


@dataclass(frozen=True, slots=True)
class PageFrame:
    """Maps PDF user space (y up) to the page as displayed (top-left origin, /Rotate applied).

    A landscape table may be drawn sideways on a portrait page that /Rotate 90
    turns for display; pdfplumber applies the rotation, so we do too.
    """

    left: float
    bottom: float
    width: float  # unrotated crop box
    height: float
    rotation: int

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, v = x - self.left, y - self.bottom
        if self.rotation == 90:
            return v, u
        if self.rotation == 180:
            return self.width - u, v
        if self.rotation == 270:
            return self.height - v, self.width - u
        return u, self.height - v

    def box(self, x0: float, y0: float, x1: float, y1: float) -> BBox:
        (ax, at), (bx, bt) = self.point(x0, y0), self.point(x1, y1)
        return BBox(min(ax, bx), min(at, bt), max(ax, bx), max(at, bt))

    @property
    def size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)


# ------------------------------------------------------------------ pdfium


def pdfium_rules(page, frame: PageFrame, settings: ExtractSettings) -> tuple[tuple[Rule, ...], bool]:  # type: ignore[no-untyped-def]
    """Rulings from a pypdfium2 page's path objects, and whether the page holds an image."""
    from pypdfium2 import raw

    objects, types = object_types(address(page.raw), raw.FPDFPage_CountObjects(page.raw))
    form = raw.FPDF_PAGEOBJ_FORM
    has_image = raw.FPDF_PAGEOBJ_IMAGE in types or (form in types and any(_form_has_image(o) for o, k in zip(objects, types) if k == form))
    paths = list(compress(objects, map(raw.FPDF_PAGEOBJ_PATH.__eq__, types)))  # the loop in C: most objects are text
    return (tuple(_path_rules(paths, frame, settings)) if paths else ()), has_image


def _path_rules(paths: list[int], frame: PageFrame, settings: ExtractSettings) -> list[Rule]:
    """The rulings of the path objects (addresses), in their order: the filled, unstroked ones all at once where
    `_filled_only_rules` can, every other drawn path one by one."""
    import numpy as np

    segments = _SegmentReader()
    counts, firsts = path_segments(paths)
    modes, matrices = path_draws(paths)
    drawn = (modes[:, 0] != 0) | (modes[:, 1] != 0)  # neither stroked nor filled (a clipping path): draws nothing
    together, found = _filled_only_rules(segments, paths, modes, drawn, counts, firsts, matrices, frame, settings.rule_max_width)
    per_path: list[Sequence[Rule]] = [()] * len(paths)
    list(map(per_path.__setitem__, together, found))
    alone = drawn.copy()
    alone[together] = False
    fills, strokes = modes[:, 0].tolist(), modes[:, 1].tolist()
    for k in np.flatnonzero(alone).tolist():
        read = segments.read(paths[k], counts[k], firsts[k])
        if not strokes[k]:
            per_path[k] = _fill_rules(read, tuple(matrices[k].tolist()), frame, settings.rule_max_width)
        else:
            per_path[k] = _stroked_rules(read, tuple(matrices[k].tolist()), frame, bool(fills[k]), settings)
    return list(chain.from_iterable(per_path))


def _stroked_rules(segments: list[Segment], matrix: tuple[float, ...], frame: PageFrame, filled: bool, settings: ExtractSettings) -> list[Rule]:
    a, b, c, d, e, f = matrix
    rules: list[Rule] = []
    for poly in segments_to_polylines(segments):
        if frame.rotation == 0:  # PageFrame.point's arithmetic, inline
            pts = [(a * x + c * y + e - frame.left, frame.height - (b * x + d * y + f - frame.bottom)) for x, y in poly]
        else:
            pts = [frame.point(a * x + c * y + e, b * x + d * y + f) for x, y in poly]
        rules.extend(polyline_rules(pts, True, filled, settings))
    return rules


def _filled_only_rules(segments: _SegmentReader, paths: list[int], modes: Any, drawn: Any, counts: list[int], firsts: list[int | None],
                       matrices: Any, frame: PageFrame, max_width: float) -> tuple[list[int], list[list[Rule]]]:
    """`_fill_rules` of the page's filled, unstroked paths of two or more points, all at once (fills.py): their
    indexes and rules; none when they must be read one by one (a turned page, PDFium's point array not trusted)."""
    import numpy as np

    if frame.rotation != 0:
        return [], []
    sized = np.asarray(counts) >= 2
    if segments.trusted is None:
        first = np.flatnonzero(drawn & sized)[:1].tolist()
        for k in first:
            segments.read(paths[k], counts[k], firsts[k])  # compared with the API once, as the loop would
    wanted = np.flatnonzero(drawn & (modes[:, 1] == 0) & sized).tolist()
    if not wanted or not segments.trusted:
        return [], []
    n_points = list(map(counts.__getitem__, wanted))
    data = copy_points([firsts[k] or 0 for k in wanted], [n * _POINT.size for n in n_points])
    found = fills_to_rules(data, n_points, matrices[wanted], (frame.left, frame.bottom, frame.height), max_width)
    return (wanted, found) if found is not None else ([], [])


def _fill_rules(segments: list[Segment], matrix: tuple[float, ...], frame: PageFrame, max_width: float) -> list[Rule]:
    """`polyline_rules` of a filled, unstroked path's subpaths, in one pass: only each subpath's extent matters.

    Most rulings of some producers are such paths (a thin rectangle per cell border).
    """
    a, b, c, d, e, f = matrix
    upright, left, bottom, height = frame.rotation == 0, frame.left, frame.bottom, frame.height
    rules: list[Rule] = []
    xs: list[float] = []
    ys: list[float] = []
    curved = False
    for x, y, kind, _close in segments:
        if kind == _MOVETO:
            if len(xs) >= 2 and not curved:
                rules.extend(_thin_box_rule(xs, ys, max_width))
            xs, ys, curved = [], [], False
        elif kind == _BEZIERTO:
            curved = True
        px, py = a * x + c * y + e, b * x + d * y + f
        if upright:  # PageFrame.point's arithmetic, inline
            px, py = px - left, height - (py - bottom)
        else:
            px, py = frame.point(px, py)
        xs.append(px)
        ys.append(py)
    if len(xs) >= 2 and not curved:
        rules.extend(_thin_box_rule(xs, ys, max_width))
    return rules


def _form_has_image(form: int, depth: int = 0) -> bool:
    """An image inside a Form XObject (scanners and some converters wrap the page's scan in one)."""
    from pypdfium2 import raw

    handle = ctypes.cast(form, raw.FPDF_PAGEOBJECT)
    for i in range(raw.FPDFFormObj_CountObjects(handle)):
        obj = raw.FPDFFormObj_GetObject(handle, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE or (kind == raw.FPDF_PAGEOBJ_FORM and depth < 8 and _form_has_image(address(obj), depth + 1)):
            return True
    return False


class _SegmentReader:
    """A path object's segments: one copy of PDFium's point array once a path has shown it matches the API."""

    def __init__(self) -> None:
        self.trusted: bool | None = None  # None until a path with two or more segments has been compared

    def read(self, obj: int, n: int, first: int | None) -> list[Segment]:
        """The segments of path object `obj` (an address), which has `n` of them, the first at `first`."""
        if n < 2 or self.trusted is False:
            return _api_segments(obj, n)
        if self.trusted is None:
            from pypdfium2 import raw

            second = address(raw.FPDFPath_GetPathSegment(ctypes.cast(obj, raw.FPDF_PAGEOBJECT), 1))
            via_api = _api_segments(obj, n)
            self.trusted = bool(first) and second == (first or 0) + _POINT.size and _copied_segments(first or 0, n) == via_api
            return via_api
        return _copied_segments(first or 0, n)


def _copied_segments(at: int, n: int) -> list[Segment]:
    return [(x, y, kind, bool(close)) for x, y, kind, close in _POINT.iter_unpack(ctypes.string_at(at, n * _POINT.size))]


def _api_segments(obj: int, n: int) -> list[Segment]:
    from pypdfium2 import raw

    handle = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    out = []
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(handle, i)
        raw.FPDFPathSegment_GetPoint(seg, x_ref, y_ref)
        out.append((x.value, y.value, raw.FPDFPathSegment_GetType(seg), bool(raw.FPDFPathSegment_GetClose(seg))))
    return out


_MOVETO, _BEZIERTO = 2, 1  # FPDF_SEGMENT_MOVETO, FPDF_SEGMENT_BEZIERTO (fpdf_edit.h)


def segments_to_polylines(segments: list[Segment], closing: bool = True) -> list[list[tuple[float, float]]]:
    """Split a path into polylines; a subpath with curves is dropped.

    Without `closing` a closed subpath does not repeat its first point (a filled
    path only needs its extent).
    """
    polys: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    curved = False
    for x, y, kind, close in segments:
        if kind == _MOVETO:
            if current and not curved:
                polys.append(current)
            current, curved = [(x, y)], False
            continue
        curved = curved or kind == _BEZIERTO
        current.append((x, y))
        if closing and close and current:
            current.append(current[0])
    if current and not curved:
        polys.append(current)
    return polys


# ------------------------------------------------------------------ geometry (both engines)


def rect_outline(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def polyline_rules(pts: list[tuple[float, float]], stroke: bool, fill: bool, settings: ExtractSettings) -> list[Rule]:
    """Rulings drawn by one polyline: stroked axis segments, or a thin filled box."""
    if len(pts) < 2:
        return []
    if stroke:
        return [r for a, b in zip(pts, pts[1:]) if (r := _axis_rule(a, b)) is not None]
    if fill:
        return _thin_box_rule([p[0] for p in pts], [p[1] for p in pts], settings.rule_max_width)
    return []


def _axis_rule(a: tuple[float, float], b: tuple[float, float]) -> Rule | None:
    (xa, ya), (xb, yb) = a, b
    if abs(ya - yb) <= _AXIS_EPS and abs(xa - xb) > _AXIS_EPS:
        y = (ya + yb) / 2
        return Rule(min(xa, xb), y, max(xa, xb), y)
    if abs(xa - xb) <= _AXIS_EPS and abs(ya - yb) > _AXIS_EPS:
        x = (xa + xb) / 2
        return Rule(x, min(ya, yb), x, max(ya, yb))
    return None


def _thin_box_rule(xs: list[float], ys: list[float], max_width: float) -> list[Rule]:
    """Some producers (WPS 表格) draw each ruling as a filled rectangle ~1pt thick (corners given by coordinate)."""
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    if h <= max_width < w:
        return [Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if w <= max_width < h:
        return [Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    return []
