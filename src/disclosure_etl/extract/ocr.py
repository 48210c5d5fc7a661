"""I/O: read a page that is only an image (a scan) into the same `PageText` a text layer gives.

The page is rendered, straightened by the angle of its long ruling lines, its
rulings are found by morphological opening (camelot's "lattice" approach) and
its text is read by RapidOCR. Each recognised text box becomes characters
spread across the box, so everything downstream (grid -> cells -> normalizer)
runs unchanged. Everything is in PDF points in the straightened frame.

rapidocr-onnxruntime ships its detection and recognition models in the
wheel, so this works offline; without it, `ocr_available()` is False and
image-only pages are reported as `needs_ocr`.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
import unicodedata
from typing import Any

from ..records import BBox, Char, PageText, Rule
from ..settings import ExtractSettings

DPI = 200.0
MAX_SIDE_PX = 4000  # bounds memory and time on oversized pages
H_RULE_MIN_PT = 25.0  # longer than any horizontal stroke of a character (a 1-em '一' at 18 pt)
V_RULE_MIN_PT = 12.0  # shorter than a one-row cell, longer than a stroke of body text
RULE_MAX_THICK_PT = 4.0  # a thicker bar is a filled area, not a ruling
MAX_SKEW_DEG = 3.0  # a larger angle is a rotated layout, not a sheet fed askew
_NUMERIC_RUN = re.compile(r"(?<![A-Za-z])[\dOl,，.]*\d[\dOl,，.]*(?![A-Za-z])")
_CONFUSIONS = str.maketrans({"O": "0", "l": "1"})


@functools.lru_cache(maxsize=1)
def ocr_available() -> bool:
    """rapidocr-onnxruntime (and OpenCV, which it brings) can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr_onnxruntime", "cv2", "numpy"))


@functools.lru_cache(maxsize=1)
def _engine():  # type: ignore[no-untyped-def]
    """The recogniser, loaded once per process (the models take ~0.1 s and 20 MB)."""
    from rapidocr_onnxruntime import RapidOCR

    # Our render is already bounded; do not let RapidOCR shrink it again.
    return RapidOCR(max_side_len=MAX_SIDE_PX)


def ocr_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    """Render, straighten and read one pypdfium2 page; `source="ocr"`."""
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    scale = render_scale(width, height)
    grey = _to_grey(page.render(scale=scale, grayscale=True).to_numpy())
    grey = deskew(grey)
    ink = binarise(grey)
    h_mask, v_mask = rule_masks(ink, scale)
    rules = masks_to_rules(h_mask, v_mask, scale)
    text_image = erase(grey, h_mask | v_mask)
    chars = results_to_chars(_engine()(text_image, use_cls=False)[0] or [], scale)
    return PageText(page_no, width, height, chars, rules, None, True, "ocr")


def render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per point: DPI, reduced so that no side exceeds MAX_SIDE_PX."""
    return min(DPI / 72.0, MAX_SIDE_PX / max(width_pt, height_pt, 1.0))


def _to_grey(pixels):  # type: ignore[no-untyped-def]
    import numpy as np

    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    return np.ascontiguousarray(pixels, dtype=np.uint8)


# ------------------------------------------------------------------ geometry


def binarise(grey):  # type: ignore[no-untyped-def]
    """Ink as 255, paper as 0 (Otsu's threshold: scans differ in exposure)."""
    import cv2

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew_angle(grey) -> float:  # type: ignore[no-untyped-def]
    """Degrees the page is turned by, from its long near-horizontal lines; 0.0 without any."""
    import cv2
    import numpy as np

    ink = binarise(grey)
    width = ink.shape[1]
    # A short kernel: a line tilted by 1 degree breaks into runs of ~60 px at 200 dpi.
    lines_only = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, width // 60), 1)))
    found = cv2.HoughLinesP(lines_only, 1, np.pi / 1800, threshold=width // 8, minLineLength=width // 4, maxLineGap=width // 100)
    if found is None:
        return 0.0
    angles, weights = [], []
    for x1, y1, x2, y2 in found.reshape(-1, 4):
        angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
        if abs(angle) <= MAX_SKEW_DEG:
            angles.append(angle)
            weights.append(math.hypot(x2 - x1, y2 - y1))
    return _weighted_median(angles, weights) if angles else 0.0


def _weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted(zip(values, weights))
    half, run = sum(weights) / 2, 0.0
    for value, weight in pairs:
        run += weight
        if run >= half:
            return value
    return pairs[-1][0]


def deskew(grey):  # type: ignore[no-untyped-def]
    """The page turned back by its skew about its centre, paper-white where it was uncovered."""
    import cv2

    angle = skew_angle(grey)
    if abs(angle) < 0.05:  # under half a pixel across a ruled table
        return grey
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def rule_masks(ink, scale: float):  # type: ignore[no-untyped-def]
    """Pixels of horizontal and of vertical rulings: what survives opening with a long thin kernel."""
    import cv2

    def opened(kx: int, ky: int):  # type: ignore[no-untyped-def]
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
        # Bridge pinholes and one-pixel steps left by noise and residual skew.
        return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(kx // 8, 1), max(ky // 8, 1))))

    h_len = max(int(H_RULE_MIN_PT * scale), 10)
    v_len = max(int(V_RULE_MIN_PT * scale), 10)
    return opened(h_len, 1), opened(1, v_len)


def masks_to_rules(h_mask, v_mask, scale: float) -> tuple[Rule, ...]:  # type: ignore[no-untyped-def]
    """One `Rule` per connected line of each mask, in points, on the line's centre."""
    return tuple(_components_to_rules(h_mask, True, scale) + _components_to_rules(v_mask, False, scale))


def _components_to_rules(mask, horizontal: bool, scale: float) -> list[Rule]:  # type: ignore[no-untyped-def]
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    rules = []
    for x, y, w, h, _area in stats[1:n]:
        thick = h if horizontal else w
        if thick > RULE_MAX_THICK_PT * scale:
            continue
        if horizontal:
            yc = (y + h / 2) / scale
            rules.append(Rule(x / scale, yc, (x + w) / scale, yc))
        else:
            xc = (x + w / 2) / scale
            rules.append(Rule(xc, y / scale, xc, (y + h) / scale))
    return rules


def erase(grey, mask):  # type: ignore[no-untyped-def]
    """The page with the rulings painted out, so no ruling is read as '1' or '|'."""
    import cv2

    wide = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = grey.copy()
    out[wide > 0] = 255
    return out


# ---------------------------------------------------------------------- text


def results_to_chars(results: list[Any], scale: float) -> tuple[Char, ...]:
    """RapidOCR's (box, text, score) triples -> characters in points."""
    chars: list[Char] = []
    for box, text, score in results:
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        bbox = BBox(min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale)
        chars.extend(text_to_chars(fix_numeric_confusions(text), bbox, float(score)))
    return tuple(chars)


def text_to_chars(text: str, box: BBox, confidence: float) -> list[Char]:
    """Spread the characters of one box across its width: CJK a full em, the rest half."""
    weights = [_advance(ch) for ch in text]
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


def _advance(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


def fix_numeric_confusions(text: str) -> str:
    """Inside a token that is otherwise a number: O -> 0, l -> 1, a full-width comma between digits -> ','."""
    def fix(m: re.Match[str]) -> str:
        token = m.group(0).translate(_CONFUSIONS)
        return re.sub(r"(?<=\d)，(?=\d)", ",", token)

    return _NUMERIC_RUN.sub(fix, text)
