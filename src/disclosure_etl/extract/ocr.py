"""I/O: read a page that is only an image (a scan) into the same `PageText` a text layer gives.

The page is rendered, straightened by the angle of its long rulings and
cleaned (`page_image`); its rulings become `Rule`s and its text is read by
RapidOCR, each character placed where the recogniser saw it. Everything is
in PDF points in the straightened frame, so the grid -> cells -> normalizer
stages run unchanged; characters carry the recogniser's confidence.

The text detector is the costly part of OCR and a table page is mostly
grid, so by default a ruled grid's cells are read without it: each cell's
line is found from its ink (`ocr_cells`) and recognised directly, and the
detector searches only the bands of the page outside the grids (titles,
notes, narrative) and cells holding several lines. `ExtractSettings.ocr_cells
= False` runs the detector over the whole page instead (the reference the
benchmark compares with).

rapidocr-onnxruntime ships its detection and recognition models in the
wheel, so this works offline. Without it `ocr_available()` is False and
image-only pages are reported as `needs_ocr`.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from ..records import BBox, Char, PageText, Rule
from ..settings import ExtractSettings, usable_cores
from .grid import Grid, rules_to_grids
from .ocr_cells import cells_to_lines, grid_cell_boxes, outside_bands
from .ocr_engine import MIN_TEXT_SCORE, detect_boxes, recognise
from .ocr_models import engine, reference_engine
from .page_image import RULE_MARGIN_PT, binarise, deskew, despeckle, erase, has_ink, masks_to_rules, rule_masks, to_grey

DPI = 200.0
MAX_SIDE_PX = 4000  # bounds memory and time on oversized pages
DET_SIDE_PX = 2000  # long side of the copy text is found on (RapidOCR's own default)
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels
_NUMERIC_RUN = re.compile(r"(?<![A-Za-z])[\dOl,，.]*\d[\dOl,，.]*(?![A-Za-z])")
_CONFUSIONS = str.maketrans({"O": "0", "l": "1"})


@functools.lru_cache(maxsize=1)
def ocr_available() -> bool:
    """rapidocr-onnxruntime (and OpenCV, which it brings) and onnx (`ocr_fold`) can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr_onnxruntime", "cv2", "numpy", "onnx"))


def ocr_workers(settings: ExtractSettings) -> int:
    """Pages read at once: `settings.ocr_threads`, 0 meaning every core this process may use.

    The page-wide reference reads one page at a time on RapidOCR's own engine, as it always did.
    """
    return (settings.ocr_threads or usable_cores()) if settings.ocr_cells else 1


def ocr_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    """Render, straighten and read one pypdfium2 page; `source="ocr"`."""
    return render_for_ocr(page, page_no, settings)()


def render_for_ocr(page, page_no: int, settings: ExtractSettings) -> Callable[[], PageText]:  # type: ignore[no-untyped-def]
    """Render the page now, on this thread (PDFium is not thread-safe); the call returned reads it, on any thread."""
    # The rendering applies /Rotate, so the image is the page as displayed:
    # its size is the rotated one (pypdfium2's get_size), like the text path's PageFrame.
    width, height = page.get_size()
    scale = render_scale(width, height)
    # A copy: the array would otherwise share the bitmap's memory, freed with the bitmap.
    pixels = to_grey(page.render(scale=scale, grayscale=True).to_numpy()).copy()
    return functools.partial(read_image, pixels, page_no, (width, height), scale, settings)


def read_image(pixels, page_no: int, size: tuple[float, float], scale: float, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    """A rendered page (greyscale, `scale` pixels per point, `size` in points) read into a `PageText`."""
    grey = despeckle(deskew(pixels), scale)
    h_mask, v_mask = rule_masks(binarise(grey), scale)
    rules = masks_to_rules(h_mask, v_mask, scale)
    grids = rules_to_grids(rules, settings)
    v_rules = [r for grid in grids for r in grid.v_rules]
    clean = erase(grey, h_mask, v_mask, scale)
    if settings.ocr_cells:
        results = read_around_grids(engine(), clean, grids, v_rules, scale, settings.snap_tolerance)
    else:
        results = read_text(clean, v_rules, scale)
    return PageText(page_no, *size, results_to_chars(results, scale), rules, None, True, "ocr")


def render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per point: DPI, reduced so that no side exceeds MAX_SIDE_PX."""
    return min(DPI / 72.0, MAX_SIDE_PX / max(width_pt, height_pt, 1.0))


# ---------------------------------------------------------------- recognise

# Grids with fewer columns get theirs from the text's gaps downstream (openframe),
# which needs the detector's separate boxes per column; so do grids this small.
MIN_CELL_COLUMNS = 3


def read_around_grids(engine, image, grids: Sequence[Grid], v_rules: Sequence[Rule], scale: float, tol: float) -> list[Any]:  # type: ignore[no-untyped-def]
    """The grids' one-line cells read without the detector; the detector only outside them and in crowded cells.

    The detector sees the same shrunk copy as `read_text`'s (DET_SIDE_PX on
    the page's long side), band by band.
    """
    import numpy as np

    ruled = [g for g in grids if len(g.xs) - 1 >= MIN_CELL_COLUMNS]
    cells = cells_to_lines(image, [box for g in ruled for box in grid_cell_boxes(g, tol, scale)])
    outside = image.copy()  # the grids painted out, so no band reads a cell twice
    for g in ruled:
        outside[max(int(g.ys[0] * scale), 0) : int(np.ceil(g.ys[-1] * scale)), max(int(g.xs[0] * scale), 0) : int(np.ceil(g.xs[-1] * scale))] = 255
    f = min(1.0, DET_SIDE_PX / max(image.shape[:2]))
    found = [b for band in outside_bands(outside, ruled, scale) for b in _detect_in(engine, outside, band, f)]
    found += [b for cell in cells.crowded for b in _detect_in(engine, image, cell, f)]
    boxes = [p for box in found for p in split_at_rules(box, v_rules, scale) if has_ink(image, p)]
    return recognise(engine, image, cells.lines, boxes)


def _detect_in(engine, image, region: tuple[float, float, float, float], f: float) -> list[Box]:  # type: ignore[no-untyped-def]
    """Detector boxes inside `region` of the page (pixels), found on a copy shrunk by `f`."""
    import cv2

    x0, y0 = max(int(region[0]), 0), max(int(region[1]), 0)
    crop = image[y0 : math.ceil(region[3]), x0 : math.ceil(region[2])]
    if not crop.size:
        return []
    h, w = crop.shape[:2]
    small = cv2.resize(crop, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else crop
    return [(x0 + a / f, y0 + b / f, x0 + min(c / f, w), y0 + min(d / f, h)) for a, b, c, d in detect_boxes(engine, small)]


def read_text(image, v_rules: Sequence[Rule], scale: float) -> list[Any]:  # type: ignore[no-untyped-def]
    """Page-wide reading (the reference): RapidOCR's (box, text, score, char boxes, chars, char scores) per piece of text, in pixels.

    RapidOCR's own stages, chained as its __call__ does, with two changes.
    Text is found on a copy shrunk to DET_SIDE_PX but read from the full
    image: the detector misses a bold title's leading '一' at 200 dpi (sample
    p.9), while the recogniser reads thin Song strokes better at full size.
    And no box crosses a ruling: the detector joins figures printed against
    both sides of one ('12,029,501.84|12,029,501.84', corpus 普陀区人民政府办公室25年预算 p.9).
    """
    import cv2
    import numpy as np

    boxes = [p for box in detect_text(image) for p in split_at_rules(box, v_rules, scale) if has_ink(image, p)]
    if not boxes:
        return []
    engine = reference_engine()
    crops = [cv2.cvtColor(image[int(y0) : math.ceil(y1), int(x0) : math.ceil(x1)], cv2.COLOR_GRAY2BGR) for x0, y0, x1, y1 in boxes]
    quads = [np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32) for x0, y0, x1, y1 in boxes]
    read, _ = engine.text_rec(crops, return_word_box=True)
    read = engine.cal_rec_boxes(crops, quads, read)
    return [[q.tolist(), *r] for q, r in zip(quads, read) if r[1] >= MIN_TEXT_SCORE]


def detect_text(image) -> list[Box]:  # type: ignore[no-untyped-def]
    """Upright boxes of the lines of text the detector finds, top to bottom."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    f = min(1.0, DET_SIDE_PX / max(h, w))
    small = cv2.resize(image, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else image
    found, _ = reference_engine().text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if found is None:
        return []
    boxes = []
    for quad in found:
        pts = np.asarray(quad, dtype=np.float64) / f
        x0, y0 = max(float(pts[:, 0].min()), 0.0), max(float(pts[:, 1].min()), 0.0)
        x1, y1 = min(float(pts[:, 0].max()), w), min(float(pts[:, 1].max()), h)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            boxes.append((x0, y0, x1, y1))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def split_at_rules(box: Box, v_rules: Sequence[Rule], scale: float) -> list[Box]:
    """The box cut at every vertical ruling across its middle, the ruling and its margin left out."""
    x0, y0, x1, y1 = box
    margin = RULE_MARGIN_PT * scale
    yc = (y0 + y1) / 2
    cuts = sorted(r.x0 * scale for r in v_rules if r.top * scale < yc < r.bottom * scale and x0 + margin < r.x0 * scale < x1 - margin)
    edges = [(x0, x0)] + [(c - margin, c + margin) for c in cuts] + [(x1, x1)]
    return [(a[1], y0, b[0], y1) for a, b in zip(edges, edges[1:]) if b[0] - a[1] >= 2]


# -------------------------------------------------------------------- chars


def results_to_chars(results: list[Any], scale: float) -> tuple[Char, ...]:
    """RapidOCR's results -> characters in points.

    The recogniser's own character positions are used when they account for
    every character; otherwise the box's characters are spread across it.
    """
    per_box: list[list[Char]] = []
    for box, text, score, *per_char in results:
        placed = _placed_chars(per_char, scale)
        if placed is None:
            placed = text_to_chars(fix_numeric_confusions(text), _points_to_bbox(box, scale), float(score))
        per_box.append(placed)
    return drop_overlaps(per_box)


def _placed_chars(per_char: list[Any], scale: float) -> list[Char] | None:
    """Characters at the recogniser's positions, each with its own score; None when they do not line up.

    Its boxes are one average width wide around each character's centre; the
    gap between two characters it read with no space between is closed, so
    the layout does not put a space into '2024年度' or '三公”经费'.
    """
    if len(per_char) < 3:
        return None
    boxes, read, scores = per_char[:3]
    glyphs = fix_numeric_confusions("".join(read))
    if not boxes or not len(read) == len(scores) == len(glyphs) == len(boxes):
        return None
    out: list[Char] = []
    after_space = False
    for ch, points, score in zip(glyphs, boxes, scores):
        if ch.isspace():
            after_space = True
            continue
        box = _points_to_bbox(points, scale)
        if out and not after_space and out[-1].bbox.x1 < box.x0:
            prev = out[-1]
            out[-1] = Char(prev.text, BBox(prev.bbox.x0, prev.bbox.top, box.x0, prev.bbox.bottom), prev.confidence)
        out.append(Char(ch, box, float(score)))
        after_space = False
    return out


def _points_to_bbox(points: Any, scale: float) -> BBox:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return BBox(min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale)


def text_to_chars(text: str, box: BBox, confidence: float) -> list[Char]:
    """Spread the characters of one box across its width: CJK a full em, the rest half."""
    weights = [1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text]
    total = sum(weights)
    if total <= 0 or box.x1 <= box.x0:
        return []
    per_unit = (box.x1 - box.x0) / total
    out, x = [], box.x0
    for ch, w in zip(text, weights):
        nxt = x + w * per_unit
        if not ch.isspace():
            out.append(Char(ch, BBox(x, box.top, nxt, box.bottom), confidence))
        x = nxt
    return out


def drop_overlaps(per_box: list[list[Char]]) -> tuple[Char, ...]:
    """Where two boxes overlap, a glyph is read twice: keep the surer reading.

    The box holding only part of the glyph misreads it (half an '8' read as '3').
    """
    tagged = sorted(((c, k) for k, chars in enumerate(per_box) for c in chars), key=lambda t: t[0].bbox.x0)
    dropped: set[int] = set()
    for i, (a, ka) in enumerate(tagged):
        for j in range(i + 1, len(tagged)):
            b, kb = tagged[j]
            if b.bbox.x0 >= a.bbox.x1:
                break
            if ka != kb and _same_glyph(a.bbox, b.bbox):
                dropped.add(i if a.confidence < b.confidence else j)
    return tuple(c for i, (c, _) in enumerate(tagged) if i not in dropped)


def _same_glyph(a: BBox, b: BBox) -> bool:
    """Half of the narrower box lies over the other, on the same line."""
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.bottom, b.bottom) - max(a.top, b.top)
    return dx > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) and dy > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def fix_numeric_confusions(text: str) -> str:
    """Inside a token that is otherwise a number: O -> 0, l -> 1, a full-width comma between digits -> ','.

    Same length in and out, so characters keep their positions.
    """

    def fix(m: re.Match[str]) -> str:
        return re.sub(r"(?<=\d)，(?=\d)", ",", m.group(0).translate(_CONFUSIONS))

    return _NUMERIC_RUN.sub(fix, text)
