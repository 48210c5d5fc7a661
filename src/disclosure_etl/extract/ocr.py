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
# RapidOCR reads a copy scaled to this long side (~170 dpi on A4): its detector
# finds a bold 18 pt '一' there that it misses at 200 dpi, in half the time.
OCR_SIDE_PX = 2000
H_RULE_MIN_PT = 25.0  # longer than any horizontal stroke of a character (a 1-em '一' at 18 pt)
V_RULE_MIN_PT = 12.0  # shorter than a one-row cell, longer than a stroke of body text
RULE_MAX_THICK_PT = 4.0
RULE_MARGIN_PT = 0.8  # erased either side of a ruling: its blurred fringe  # a thicker bar is a filled area, not a ruling
SPECK_MAX_PT = 0.7  # dust: a printed full stop at 9 pt is ~1.2 pt across
MAX_SKEW_DEG = 3.0
BLANK_PAD = 0.25  # of the line height: slack for the recogniser's character positions  # a larger angle is a rotated layout, not a sheet fed askew
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

    return RapidOCR(max_side_len=OCR_SIDE_PX)


def ocr_page(page, page_no: int, settings: ExtractSettings) -> PageText:  # type: ignore[no-untyped-def]
    """Render, straighten and read one pypdfium2 page; `source="ocr"`."""
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    scale = render_scale(width, height)
    grey = _to_grey(page.render(scale=scale, grayscale=True).to_numpy())
    grey = deskew(grey)
    grey, ink = despeckle(grey, binarise(grey), scale)
    h_mask, v_mask = rule_masks(ink, scale)
    rules = masks_to_rules(h_mask, v_mask, scale)
    text_image = erase(grey, ink, h_mask, v_mask, scale)
    results, _ = _engine()(text_image, use_cls=False, return_word_box=True)
    chars = results_to_chars(results or [], scale)
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


def despeckle(grey, ink, scale: float):  # type: ignore[no-untyped-def]
    """Grey and ink without specks smaller than a printed full stop, which OCR reads as '.'."""
    import cv2
    import numpy as np

    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= (SPECK_MAX_PT * scale) ** 2)
    specks = specks[specks > 0]
    if not len(specks):
        return grey, ink
    mask = np.isin(labels, specks)
    grey, ink = grey.copy(), ink.copy()
    grey[mask], ink[mask] = 255, 0
    return grey, ink


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


def erase(grey, ink, h_mask, v_mask, scale: float):  # type: ignore[no-untyped-def]
    """Only the ink, with the ruled grids painted out: no ruling read as '1' or ':'.

    Only line networks that hold a horizontal ruling go: a lone vertical bar is
    as likely the stroke of a large title character (一般 in an 18 pt title).
    Paper is set to white, so the faint anti-aliased fringe of an erased ruling
    and the grain of the scan are not read either.
    """
    import cv2
    import numpy as np

    reach = max(3, int(round(RULE_MARGIN_PT * scale)) * 2 + 1)
    lines = cv2.dilate(h_mask | v_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    wide = np.flatnonzero(stats[:, cv2.CC_STAT_WIDTH] >= H_RULE_MIN_PT * scale)
    keep = (ink > 0) & ~np.isin(labels, wide[wide > 0])
    return np.where(keep, grey, 255).astype(np.uint8)


# ---------------------------------------------------------------------- text


def results_to_chars(results: list[Any], scale: float) -> tuple[Char, ...]:
    """RapidOCR's results -> characters in points.

    Each result is (box, text, score, char boxes, chars, char scores). The
    recogniser's own character positions are used when they account for every
    character: a box it merged across two cells ('679.18支出总计') then still
    splits at the right place, and each character keeps its own score.
    """
    per_box: list[list[Char]] = []
    for box, text, score, *per_char in results:
        text = fix_numeric_confusions(text)
        placed = _placed_chars(text, per_char, scale)
        per_box.append(placed if placed is not None else text_to_chars(text, _points_to_bbox(box, scale), float(score)))
    return drop_overlaps(per_box)


def drop_overlaps(per_box: list[list[Char]]) -> tuple[Char, ...]:
    """Where boxes overlap, a glyph is read twice: keep the surer reading.

    Two detected boxes may share a glyph; the one holding only part of it
    misreads it ('8' cut in half is read '3': '679.183', sample p.8).
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


def _placed_chars(text: str, per_char: list[Any], scale: float) -> list[Char] | None:
    """Characters at the recogniser's positions, or None when they do not match the text.

    Its boxes are one average width wide around each character's centre; the
    gap between two characters it read with no space between is closed, so
    the layout does not put a space into '2024年度' or '三公”经费'.
    """
    if len(per_char) < 3:
        return None
    boxes, _, scores = per_char[:3]
    glyphs = [(ch, i > 0 and text[i - 1].isspace()) for i, ch in enumerate(text) if not ch.isspace()]
    if not boxes or len(boxes) != len(glyphs) or len(scores) != len(glyphs):
        return None
    out: list[Char] = []
    for (ch, after_space), points, score in zip(glyphs, boxes, scores):
        box = _points_to_bbox(points, scale)
        if out and not after_space and out[-1].bbox.x1 < box.x0:
            prev = out[-1]
            out[-1] = Char(prev.text, BBox(prev.bbox.x0, prev.bbox.top, box.x0, prev.bbox.bottom), prev.confidence)
        out.append(Char(ch, box, float(score)))
    return out


def _points_to_bbox(points: Any, scale: float) -> BBox:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return BBox(min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale)


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
