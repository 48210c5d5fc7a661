"""I/O: read each page of a PDF into a `PageText` (characters and rulings).

Two engines give the same records. pdfium (the default) reads characters and
path objects straight from PDFium, which pdfplumber itself rests on; the
pdfplumber engine goes through pdfminer's layout and is kept as a cross-check.
Everything after this module works on plain geometry and is engine-blind.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator

from ..errors import SourceError
from ..records import BBox, Char, PageText, Rule
from ..settings import Engine, ExtractSettings

# Characters that carry no ink: word gaps are recomputed from geometry.
_BLANK = {" ", "\u3000", "\t", "\r", "\n", "\x00", "\ufffe", "\uffff", "\x02"}
_AXIS_EPS = 0.6  # a segment this close to axis-parallel counts as a ruling


def read_pages(path: str, settings: ExtractSettings) -> Iterator[PageText]:
    """Yield every page of `path`; raises SourceError if it cannot be opened."""
    if settings.engine is Engine.PDFPLUMBER:
        yield from _read_pdfplumber(path, settings)
    else:
        yield from _read_pdfium(path, settings)


# ------------------------------------------------------------------ pdfium


def _open_pdfium(path: str):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    if not os.path.isfile(path):
        raise SourceError(path, "file not found")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise SourceError(path, f"not a readable PDF ({exc})") from None


def _read_pdfium(path: str, settings: ExtractSettings) -> Iterator[PageText]:
    doc = _open_pdfium(path)
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                yield _pdfium_page(page, index + 1, settings)
            finally:
                page.close()
    finally:
        doc.close()


def _pdfium_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    chars = _pdfium_chars(page, left, top)
    rules = _pdfium_rules(page, left, top, settings)
    return PageText(page_no, width, height, chars, rules)


def _pdfium_chars(page, left: float, top: float) -> tuple[Char, ...]:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        rect = raw.FS_RECTF()
        out = []
        for i in range(raw.FPDFText_CountChars(handle)):
            ch = chr(raw.FPDFText_GetUnicode(handle, i))
            if ch in _BLANK or not ch.isprintable():
                continue
            raw.FPDFText_GetLooseCharBox(handle, i, rect)
            if rect.right <= rect.left:
                continue
            out.append(
                Char(ch, BBox(rect.left - left, top - rect.top, rect.right - left, top - rect.bottom))
            )
        return tuple(out)
    finally:
        textpage.close()


def _pdfium_rules(page, left: float, top: float, settings: ExtractSettings) -> tuple[Rule, ...]:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    rules: list[Rule] = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=1):
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        matrix = obj.get_matrix()
        for poly in _pdfium_subpaths(obj.raw):
            pts = [_to_page(matrix.on_point(x, y), left, top) for x, y in poly]
            rules.extend(_polyline_rules(pts, bool(stroke.value), bool(fill.value), settings))
    return tuple(rules)


def _to_page(point: tuple[float, float], left: float, top: float) -> tuple[float, float]:
    return (point[0] - left, top - point[1])


def _pdfium_subpaths(handle) -> list[list[tuple[float, float]]]:  # type: ignore[no-untyped-def]
    """Split a path object into polylines; a subpath with curves is dropped."""
    import pypdfium2.raw as raw

    polys: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    curved = False
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(handle)):
        seg = raw.FPDFPath_GetPathSegment(handle, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if current and not curved:
                polys.append(current)
            current, curved = [(x.value, y.value)], False
            continue
        curved = curved or kind == raw.FPDF_SEGMENT_BEZIERTO
        current.append((x.value, y.value))
        if raw.FPDFPathSegment_GetClose(seg) and current:
            current.append(current[0])
    if current and not curved:
        polys.append(current)
    return polys


# ---------------------------------------------------------------- pdfplumber


def _read_pdfplumber(path: str, settings: ExtractSettings) -> Iterator[PageText]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    if not os.path.isfile(path):
        raise SourceError(path, "file not found")
    try:
        pdf = pdfplumber.open(path)
    except (PDFSyntaxError, ValueError, TypeError) as exc:
        raise SourceError(path, f"not a readable PDF ({exc})") from None
    with pdf:
        for index, page in enumerate(pdf.pages):
            yield _plumber_page(page, index + 1, settings)
            page.close()


def _plumber_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    x_off, y_off = page.bbox[0], page.bbox[1]
    chars = tuple(
        Char(c["text"], BBox(c["x0"] - x_off, c["top"] - y_off, c["x1"] - x_off, c["bottom"] - y_off))
        for c in page.chars
        if c["text"] not in _BLANK and c["text"].isprintable() and c["x1"] > c["x0"]
    )
    rules: list[Rule] = []
    for obj in page.lines + page.rects + page.curves:
        pts = [(x - x_off, y - y_off) for x, y in obj["pts"]]
        if obj["object_type"] == "rect":
            pts = _rect_outline(pts)
        rules.extend(_polyline_rules(pts, bool(obj["stroke"]), bool(obj["fill"]), settings))
    return PageText(page_no, page.width, page.height, chars, tuple(rules))


def _rect_outline(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


# ------------------------------------------------------------------ shared


def _polyline_rules(
    pts: list[tuple[float, float]], stroke: bool, fill: bool, settings: ExtractSettings
) -> list[Rule]:
    """Rulings drawn by one polyline: stroked axis segments, or a thin filled box."""
    if len(pts) < 2:
        return []
    if stroke:
        return [r for a, b in zip(pts, pts[1:]) if (r := _axis_rule(a, b)) is not None]
    if fill:
        return _thin_box_rule(pts, settings.rule_max_width)
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


def _thin_box_rule(pts: list[tuple[float, float]], max_width: float) -> list[Rule]:
    """Some producers (WPS 表格) draw each ruling as a filled rectangle ~1pt thick."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    if h <= max_width < w:
        return [Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if w <= max_width < h:
        return [Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    return []
