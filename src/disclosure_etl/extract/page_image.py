"""Image side of OCR: straighten a scanned page, find its rulings, clean it for the recogniser.

Every function takes and returns a greyscale page image (numpy, uint8, paper
white) or masks of it; lengths are given in points and converted with the
render `scale` (pixels per point), so the same rules hold at any resolution.
The rulings are found as camelot's "lattice" flavour finds them: what survives
a morphological opening with a long, thin kernel.
"""

from __future__ import annotations

import math

from ..records import Rule

H_RULE_MIN_PT = 25.0  # longer than any horizontal stroke of a character (a 1-em '一' at 18 pt)
V_RULE_MIN_PT = 12.0  # shorter than a one-row cell, longer than a stroke of body text
RULE_MAX_THICK_PT = 4.0  # a thicker bar is a filled area, not a ruling
RULE_MARGIN_PT = 0.8  # either side of a ruling: its blurred fringe
PAPER_GREY = 200  # lighter than this is paper
SPECK_MAX_PT = 0.75  # dust: a printed full stop at 9 pt covers ~4x the square of this
MAX_SKEW_DEG = 3.0  # a larger angle is a rotated layout, not a sheet fed askew


def to_grey(pixels):  # type: ignore[no-untyped-def]
    """A contiguous 2-D uint8 array from a rendered bitmap (greyscale renders may carry a channel axis)."""
    import numpy as np

    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    return np.ascontiguousarray(pixels, dtype=np.uint8)


def binarise(grey):  # type: ignore[no-untyped-def]
    """Ink as 255, paper as 0 (Otsu's threshold: scans differ in exposure)."""
    import cv2

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew_angle(grey) -> float:  # type: ignore[no-untyped-def]
    """Degrees the page is turned by, from its long near-horizontal lines; 0.0 without any.

    Each long line (its runs joined across the steps a tilt breaks it into) is
    fitted by least squares, and the angles are weighted by length. On the
    scanned sample this lands within 0.005° of the angle each page was turned
    by, where a probabilistic Hough transform was off by up to 0.07° and took
    three times as long.
    """
    import cv2
    import numpy as np

    ink = binarise(grey)
    width = ink.shape[1]
    # A short kernel: a ruling tilted by 1 degree breaks into runs of ~60 px at 200 dpi.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, width // 60), 1))
    lines_only = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    joined = cv2.dilate(lines_only, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, width // 100), 3)))
    n, labels, stats = components(joined)
    rise = math.tan(math.radians(MAX_SKEW_DEG))
    angles, weights = [], []
    for k in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[k])
        if w < width // 4 or h > w * rise + 8:
            continue  # short, or steeper than a sheet fed askew
        ys, xs = np.nonzero((labels[y : y + h, x : x + w] == k) & (lines_only[y : y + h, x : x + w] > 0))
        if len(xs) < 2:
            continue
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        angle = math.degrees(math.atan2(float(vy), float(vx)))
        angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
        if abs(angle) <= MAX_SKEW_DEG:
            angles.append(angle)
            weights.append(float(w))
    return _weighted_median(angles, weights) if angles else 0.0


def components(mask):  # type: ignore[no-untyped-def]
    """8-connected components of a mask: their count, the label of each pixel and their stats (OpenCV's).

    16-bit labels where they fit: OpenCV then gives the same labels and stats
    three times as fast (whole-page masks of the scanned sample, one thread:
    0.69 s instead of 2.2 s for its 95). A page with more components than that
    (OpenCV refuses to overflow) gets 32-bit labels.
    """
    import cv2

    try:
        n, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_16U, cv2.CCL_DEFAULT)
    except cv2.error:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return n, labels, stats


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


def despeckle(grey, scale: float):  # type: ignore[no-untyped-def]
    """The page without specks of dust smaller than a printed full stop, which OCR reads as '.' or ':'.

    Anything darker than paper counts, so a faint speck goes as well as a black one.
    """
    import cv2
    import numpy as np

    marks = (grey < PAPER_GREY).astype(np.uint8)
    _, labels, stats = components(marks)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= (SPECK_MAX_PT * scale) ** 2)
    specks = specks[specks > 0]
    if not len(specks):
        return grey
    out = grey.copy()
    out[_label_mask(labels, len(stats), specks)] = 255
    return out


def _label_mask(labels, n_labels: int, chosen):  # type: ignore[no-untyped-def]
    """Pixels whose component label is one of `chosen` (a lookup table: np.isin sorts a whole page)."""
    import numpy as np

    table = np.zeros(n_labels, dtype=bool)
    table[chosen] = True
    return table[labels]


def rule_masks(ink, scale: float):  # type: ignore[no-untyped-def]
    """Pixels of horizontal and of vertical rulings: what survives opening with a long thin kernel."""
    import cv2

    def opened(kx: int, ky: int):  # type: ignore[no-untyped-def]
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
        # Bridge pinholes and one-pixel steps left by noise and residual skew.
        bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (max(kx // 8, 1), max(ky // 8, 1)))
        return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, bridge)

    h_len = max(int(H_RULE_MIN_PT * scale), 10)
    v_len = max(int(V_RULE_MIN_PT * scale), 10)
    return opened(h_len, 1), opened(1, v_len)


def masks_to_rules(h_mask, v_mask, scale: float) -> tuple[Rule, ...]:  # type: ignore[no-untyped-def]
    """One `Rule` per connected line of each mask, in points, on the line's centre."""
    return tuple(_components_to_rules(h_mask, True, scale) + _components_to_rules(v_mask, False, scale))


def _components_to_rules(mask, horizontal: bool, scale: float) -> list[Rule]:  # type: ignore[no-untyped-def]

    n, _, stats = components(mask)
    rules = []
    for x, y, w, h, _area in stats[1:n].tolist():
        if (h if horizontal else w) > RULE_MAX_THICK_PT * scale:
            continue
        if horizontal:
            yc = (y + h / 2) / scale
            rules.append(Rule(x / scale, yc, (x + w) / scale, yc))
        else:
            xc = (x + w / 2) / scale
            rules.append(Rule(xc, y / scale, xc, (y + h) / scale))
    return rules


def erase(grey, h_mask, v_mask, scale: float):  # type: ignore[no-untyped-def]
    """The page with its ruled grids painted out, so no ruling is read as '1' or ':'.

    Only line networks that hold a horizontal ruling go: a lone vertical bar is
    as likely the stroke of a large title character (一般 in an 18 pt title).
    Near-white becomes white, so the faint fringe of an erased ruling and the
    grain of the paper are not read either; the thin strokes of a Song face
    are far darker than that, though lighter than Otsu's threshold.
    """
    import cv2
    import numpy as np

    reach = max(3, int(round(RULE_MARGIN_PT * scale)) * 2 + 1)
    lines = cv2.dilate(h_mask | v_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    _, labels, stats = components(lines)
    wide = np.flatnonzero(stats[:, cv2.CC_STAT_WIDTH] >= H_RULE_MIN_PT * scale)
    out = grey.copy()
    out[_label_mask(labels, len(stats), wide[wide > 0]) | (grey >= PAPER_GREY)] = 255
    return out


def has_ink(image, box: tuple[float, float, float, float]) -> bool:  # type: ignore[no-untyped-def]
    """Anything darker than paper inside the box (pixels)."""
    x0, y0, x1, y1 = box
    return bool((image[int(y0) : math.ceil(y1), int(x0) : math.ceil(x1)] < PAPER_GREY).sum() >= 3)
