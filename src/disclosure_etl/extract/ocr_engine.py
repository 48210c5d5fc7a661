"""RapidOCR's detector and recogniser, called on exactly the pixels we choose.

RapidOCR's own entry points resize what they are given: the detector scales
any image up until its short side reaches 736 px (a 60 px band of title would
become 736 × 17,000), and the recogniser pads every line to at least 320 px
(6.7 times its height), so a cell holding '0.00' costs as much as a line of
prose. Here the detector sees the band as it is (rounded to the network's
multiple of 32), the recogniser's batches are padded only to their widest
line, and short lines (a cell's figure or code) are read several to a run,
side by side. The models, their normalisation and their decoding are
RapidOCR's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels
REC_HEIGHT = 48  # the recogniser's input height (RapidOCR's rec_img_shape)
# A line of one or two characters is padded to REC_MIN_WIDTH: a lone '0' padded
# less is misread ('o') or dropped (scanned sample p.15), as RapidOCR pads to 320.
SHORT_LINE = 3.0  # width / height
REC_MIN_WIDTH = 240
REC_WIDTH_STEP = 64
# Lines per run: on a CPU a batch saves the per-run overhead of short lines but
# costs more per pixel as it grows (measured on the 2-core bench machine: one
# 1,000 px line alone is read 4x faster than in a batch of eight), so only short
# lines of about the same width share a run.
REC_BATCH = 4
REC_BATCH_PIXELS = 640  # widest line x lines in one run, in input pixels
REC_BATCH_SPREAD = 1.25  # a batch's widest line at most this much wider than its narrowest
MIN_TEXT_SCORE = 0.5  # RapidOCR's own cut: below it a reading is noise
# A long line the detector finds (prose, a title, a note: not a grid's cell) is
# read at PROSE_HEIGHT, for (40/48)^2 = 69% of the cost: the recogniser's cost
# goes with its input's height times its width, and the width with the height.
# Measured on 51 narrative pages of the corpus's three families, scanned, against
# their text layer: as many characters read right (0.9900 against 0.9893 at 48 px)
# and numbers differing on 12 against 14. At 36 px (56% of the cost) runs of one
# letter lost a letter ('XXXXXXXX' -> 'XXXXXXX': too few output steps for the
# blank between two), at 32 px the scanned sample's narrative read 12 numbers
# differently. Grid cells (figures in small print) stay at REC_HEIGHT: at 36 px
# from a ratio of 5 the Shanghai scan lost two amounts, at 40 px for every line it
# missed nine.
PROSE_HEIGHT = 40
PROSE_RATIO = 8.0  # width / height

# Short lines packed side by side into one run of about PACK_WIDTH input pixels,
# each decoded from its own output steps (the recogniser gives one per STEP
# pixels): its cost is linear in the width, so this saves their padding to
# REC_MIN_WIDTH, 14% of the scanned sample's input. Between two lines, PACK_GAP
# pixels of black (-1 after normalisation): across white paper or RapidOCR's
# grey padding the recogniser reads the gap as a space between words and puts
# '　', '＇' or '·' at the lines' ends; across black it reads each line as it does
# alone: over the scanned sample and four scanned corpus files, 37 of 3,043
# readings differ, 33 by a space inside a figure ('876. 03' -> '876.03'; spaces
# place no character), the others '七' -> '七、', '(境)' -> '（境)' and two '**' dropped.
# A line narrower than PACK_MIN_RATIO heights is one narrow glyph or a speck:
# alone and padded, a speck scores below MIN_TEXT_SCORE and is dropped, packed
# it can read as '1' (scanned 西南大学 决算 p.10), so those are still read alone.
PACK_WIDTH = 1024
PACK_GAP = 32
PACK_FILL = -1.0
PACK_MIN_RATIO = 0.75
STEP = 8


def detect_boxes(engine, image) -> list[Box]:  # type: ignore[no-untyped-def]
    """Upright boxes of the lines of text the detector finds in a greyscale image, top to bottom."""
    import cv2
    import numpy as np
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    det = engine.text_det
    h, w = image.shape[:2]
    if min(h, w) < 32:  # the network's stride: pad tiny images with paper
        image = cv2.copyMakeBorder(image, 0, max(0, 32 - h), 0, max(0, 32 - w), cv2.BORDER_CONSTANT, value=255)
    bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    tensor = DetPreProcess(max(bgr.shape[:2]) + 32, "max", det.mean, det.std)(bgr)  # no scaling, only rounding to 32
    if tensor is None:
        return []
    found, _scores = det.postprocess_op(det.infer(tensor)[0], bgr.shape[:2])
    found = det.filter_tag_det_res(found, bgr.shape[:2])
    boxes = []
    for quad in found:
        pts = np.asarray(quad, dtype=np.float64)
        x0, y0 = max(float(pts[:, 0].min()), 0.0), max(float(pts[:, 1].min()), 0.0)
        x1, y1 = min(float(pts[:, 0].max()), w), min(float(pts[:, 1].max()), h)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            boxes.append((x0, y0, x1, y1))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def recognise(engine, image, lines: Sequence[Box], found: Sequence[Box] = ()) -> list[Any]:  # type: ignore[no-untyped-def]
    """RapidOCR's (quad, text, score, char boxes, chars, char scores) for each box of a greyscale image.

    `lines` are read at REC_HEIGHT; of the boxes the detector `found`, the
    long ones at PROSE_HEIGHT. Readings below MIN_TEXT_SCORE are dropped. Lines
    are read in batches of similar width, each padded to its own widest line;
    short ones packed side by side.
    """
    import cv2
    import numpy as np

    boxes = [*lines, *found]
    if not boxes:
        return []
    crops = [cv2.cvtColor(image[int(y0) : math.ceil(y1), int(x0) : math.ceil(x1)], cv2.COLOR_GRAY2BGR) for x0, y0, x1, y1 in boxes]
    ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
    packed = [k for k, r in enumerate(ratios) if PACK_MIN_RATIO <= r < SHORT_LINE]
    prose = {k for k in range(len(lines), len(boxes)) if ratios[k] >= PROSE_RATIO}
    read: list[Any] = [None] * len(crops)
    for height, skip in ((REC_HEIGHT, set(packed) | prose), (PROSE_HEIGHT, set(range(len(boxes))) - prose)):
        for batch in _batches(ratios, skip, height):
            for k, one in zip(batch, _read_batch(engine, [crops[k] for k in batch], [ratios[k] for k in batch], height)):
                read[k] = one
    widths = [_resized_width(crops[k]) for k in packed]
    for pack in _packs(widths):
        run = [packed[i] for i in pack]
        for k, one in zip(run, _read_packed(engine, [crops[k] for k in run], [ratios[k] for k in run], [widths[i] for i in pack])):
            read[k] = one
    quads = [np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32) for x0, y0, x1, y1 in boxes]
    placed = place_chars(engine, crops, quads, read)
    return [[q.tolist(), *r] for q, r in zip(quads, placed) if r[1] >= MIN_TEXT_SCORE]


def _read_batch(engine, crops: Sequence[Any], ratios: Sequence[float], height: int = REC_HEIGHT) -> list[Any]:  # type: ignore[no-untyped-def]
    """RapidOCR's (text, score, word info) of lines read in one run at `height`, padded to the widest."""
    import numpy as np

    width = _padded_width(max(ratios), height)
    tensor = np.stack([_normalised(crop, width, height=height) for crop in crops])
    preds = engine.text_rec.session(tensor)[0]
    return list(engine.text_rec.postprocess_op(preds, True, wh_ratio_list=list(ratios), max_wh_ratio=width / height))


def place_chars(engine, crops: Sequence[Any], quads: Sequence[Any], read: Sequence[Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    """RapidOCR's `cal_rec_boxes` (each character's box in the page), the same numbers for less work.

    Our boxes are upright, so for a line (not a column: RapidOCR turns those)
    its steps run here without deep-copying every box and without re-ordering
    corners that already run top-left, top-right, bottom-right, bottom-left.
    On the scanned sample that was 0.7 s of 0.9 s (deepcopy 0.18 s, order_points 0.49 s).
    """
    import numpy as np

    cal = engine.cal_rec_boxes
    out = []
    for crop, quad, (text, score, info) in zip(crops, quads, read):
        if cal.get_box_direction(quad) != "w":
            out.append(cal([crop], [quad.copy()], [(text, score, info)])[0])
            continue
        h, w = crop.shape[:2]
        contents, boxes, scores = cal.cal_ocr_word_box(text, np.array([[0, 0], [w, 0], [w, h], [0, h]]), info)
        out.append([text, score, _boxes_to_page(cal, quad, cal.adjust_box_overlap(boxes)), contents, scores])
    return out


def _boxes_to_page(cal, quad, boxes: list[Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    """`CalRecBoxes.reverse_rotate_crop_image` for a line: the same arithmetic, point by point."""
    import cv2
    import numpy as np

    points = np.array(quad, dtype=np.float32)  # a copy: RapidOCR's own shifts its argument in place
    left, top = int(np.min(points[:, 0])), int(np.min(points[:, 1]))
    points[:, 0] -= left
    points[:, 1] -= top
    w, h = int(np.linalg.norm(points[0] - points[1])), int(np.linalg.norm(points[0] - points[3]))
    matrix = cv2.getPerspectiveTransform(points, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32))
    _, inverse = cv2.invert(matrix)
    out = []
    for box in boxes:
        corners = []
        for point in box:
            x, y, z = np.dot(inverse, np.float32([*point, 1]))  # type: ignore[arg-type]
            corners.append([int(x / z + left), int(y / z + top)])
        out.append(corners if _in_order(corners) else cal.order_points(corners))
    return out


def _in_order(c: list[list[int]]) -> bool:
    """Corners of a box with width and height, already as `order_points` would return them."""
    return c[0][0] == c[3][0] < c[1][0] == c[2][0] and c[0][1] == c[1][1] < c[2][1] == c[3][1]


def _batches(ratios: Sequence[float], skip: set[int], height: int = REC_HEIGHT) -> list[list[int]]:
    """Indices grouped by width (read at `height`): short lines of about the same width together, every other line alone."""
    order = sorted((k for k in range(len(ratios)) if k not in skip), key=lambda k: ratios[k])
    batches: list[list[int]] = []
    for k in order:
        last = batches[-1] if batches else []
        fits = len(last) < REC_BATCH and (len(last) + 1) * height * ratios[k] <= REC_BATCH_PIXELS
        if last and fits and ratios[k] <= REC_BATCH_SPREAD * max(ratios[last[0]], 1e-6):
            last.append(k)
        else:
            batches.append([k])
    return batches


def _padded_width(widest: float, height: int = REC_HEIGHT) -> int:
    """A batch's input width at `height`: its widest line (REC_MIN_WIDTH for short lines), rounded up to REC_WIDTH_STEP.

    Few distinct widths keep ONNX Runtime's per-shape memory plans few (peak memory).
    """
    width = REC_MIN_WIDTH if widest < SHORT_LINE else math.ceil(height * widest)
    return -(-width // REC_WIDTH_STEP) * REC_WIDTH_STEP


def _normalised(crop, width: int, fill: float = 0.0, height: int = REC_HEIGHT):  # type: ignore[no-untyped-def]
    """RapidOCR's resize_norm_img at `height`, padded to `width` (with `fill`) instead of at least 320 px."""
    import cv2
    import numpy as np

    h, w = crop.shape[:2]
    resized_w = min(width, max(1, math.ceil(height * w / max(h, 1))))
    resized = cv2.resize(crop, (resized_w, height)).astype("float32").transpose((2, 0, 1)) / 255
    out = np.full((3, height, width), fill, dtype=np.float32)
    out[:, :, :resized_w] = (resized - 0.5) / 0.5
    return out


def _resized_width(crop) -> int:  # type: ignore[no-untyped-def]
    """The crop's width at the recogniser's height, rounded up to whole steps."""
    h, w = crop.shape[:2]
    width = max(1, math.ceil(REC_HEIGHT * w / max(h, 1)))
    return -(-width // STEP) * STEP


def _packs(widths: Sequence[int]) -> list[list[int]]:
    """Consecutive indices whose widths, with a gap after each, fit in PACK_WIDTH (one at least)."""
    packs: list[list[int]] = []
    used = PACK_WIDTH
    for k, w in enumerate(widths):
        if used + w > PACK_WIDTH:
            packs.append([])
            used = 0
        packs[-1].append(k)
        used += w + PACK_GAP
    return packs


def _read_packed(engine, crops: Sequence[Any], ratios: Sequence[float], widths: Sequence[int]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Short lines read side by side in one run (each `_resized_width` wide), each decoded from its own steps as if read alone."""
    import numpy as np

    starts = [sum(widths[:i]) + PACK_GAP * i for i in range(len(crops))]
    total = -(-(starts[-1] + widths[-1] + PACK_GAP) // REC_WIDTH_STEP) * REC_WIDTH_STEP  # few shapes (see _padded_width)
    tensor = np.full((1, 3, REC_HEIGHT, total), PACK_FILL, dtype=np.float32)
    for crop, start, width in zip(crops, starts, widths):
        tensor[0, :, :, start : start + width] = _normalised(crop, width, fill=PACK_FILL)
    preds = engine.text_rec.session(tensor)[0]
    out = []
    for start, width, ratio in zip(starts, widths, ratios):
        steps = preds[:, start // STEP : (start + width) // STEP]
        out.append(engine.text_rec.postprocess_op(steps, True, wh_ratio_list=[ratio], max_wh_ratio=width / REC_HEIGHT)[0])
    return out
