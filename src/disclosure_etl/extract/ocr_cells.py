"""Image side of OCR around ruled grids: where the lines of text are, without the text detector.

A scanned table page is mostly grid, and the grid is already found in the
image (page_image), so each cell's box is known. Inside a cell, with the
rulings painted out, the rows and columns holding ink give its line of text;
the recogniser reads that box directly. Only what the cells cannot settle
goes to the detector: a cell holding several lines, and the parts of the page
outside every grid (titles, 单位 lines, notes, narrative), cut into bands
around their ink so that blank paper is never searched.

Every function takes a greyscale page image (numpy, uint8, paper white, rulings
erased) and works in pixels; lengths in points are converted with `scale`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .grid import Grid, grid_to_slots, slot_spans
from .page_image import PAPER_GREY, RULE_MARGIN_PT

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels

# Around a line's ink, the margins the detector's own boxes leave (measured on
# the scanned sample: top ≈ 0.21, bottom ≈ 0.35, sides ≈ 0.2-0.25 of the ink height).
PAD_TOP, PAD_BOTTOM, PAD_SIDE = 0.25, 0.35, 0.25
MULTI_LINE = 1.6  # a cell whose ink is this many line heights tall holds several lines
WORD_GAP = 1.5  # a blank this many line heights wide splits a line, as the detector does
BAND_GAP_PT = 14.0  # blank paper this tall separates two bands of text outside the grids
BAND_MAX_PT = 160.0  # a band is cut at its widest blank past this height (bounds the detector's memory)
BAND_PAD_PT = 8.0  # white paper around a band, so the detector sees text with a margin
MIN_INK = 3  # pixels: fewer is a speck


@dataclass(frozen=True, slots=True)
class CellLines:
    """What the ink of the grids' cells says: line boxes to recognise, cells to give to the detector."""

    lines: list[Box]
    crowded: list[Box]
    """Cells whose ink is several lines (or not one clear line): the detector finds their lines."""


def grid_cell_boxes(grid: Grid, tol: float, scale: float) -> list[Box]:
    """Each merged cell of the grid, inside its rulings, in pixels."""
    spans = slot_spans(grid_to_slots(grid, tol))
    m = RULE_MARGIN_PT
    return [
        ((grid.xs[j0] + m) * scale, (grid.ys[i0] + m) * scale, (grid.xs[j1 + 1] - m) * scale, (grid.ys[i1 + 1] - m) * scale)
        for i0, j0, i1, j1 in spans.values()
    ]


def cells_to_lines(image, cells: Sequence[Box]) -> CellLines:  # type: ignore[no-untyped-def]
    """Line boxes of the cells that hold one line of text; the others as crowded."""
    inks = [(cell, _ink_box(image, cell)) for cell in cells]
    heights = sorted(ink[3] - ink[1] for _, ink in inks if ink is not None)
    if not heights:
        return CellLines([], [])
    line_h = heights[len(heights) // 2]  # most cells hold one line
    lines: list[Box] = []
    crowded: list[Box] = []
    for cell, ink in inks:
        if ink is None:
            continue
        if ink[3] - ink[1] > MULTI_LINE * line_h:
            crowded.append(cell)
            continue
        lines += [_padded(part, cell, max(ink[3] - ink[1], 0.6 * line_h)) for part in _split_words(image, ink, line_h)]
    return CellLines(lines, crowded)


def _ink_box(image, box: Box) -> Box | None:  # type: ignore[no-untyped-def]
    """The extent of the ink inside `box`; None when it holds none."""
    import numpy as np

    x0, y0 = max(int(box[0]), 0), max(int(box[1]), 0)
    ink = image[y0 : int(box[3]), x0 : int(box[2])] < PAPER_GREY
    if int(ink.sum()) < MIN_INK:
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return (x0 + float(cols[0]), y0 + float(rows[0]), x0 + float(cols[-1]) + 1, y0 + float(rows[-1]) + 1)


def _split_words(image, ink: Box, line_h: float) -> list[Box]:  # type: ignore[no-untyped-def]
    """The line cut at blanks wider than WORD_GAP line heights (two figures in one cell stay apart)."""
    import numpy as np

    x0, y0, x1, y1 = (int(v) for v in ink)
    cols = np.flatnonzero((image[y0:y1, x0:x1] < PAPER_GREY).any(axis=0))
    gaps = np.flatnonzero(np.diff(cols) > WORD_GAP * line_h)
    starts = [cols[0], *(cols[g + 1] for g in gaps)]
    ends = [*(cols[g] for g in gaps), cols[-1]]
    return [(x0 + float(a), float(y0), x0 + float(b) + 1, float(y1)) for a, b in zip(starts, ends)]


def _padded(ink: Box, cell: Box, height: float) -> Box:
    """The ink with the detector's margins, `height` tall at least, kept inside its cell."""
    x0, y0, x1, y1 = ink
    yc = (y0 + y1) / 2
    top, bottom = min(y0, yc - height / 2) - PAD_TOP * height, max(y1, yc + height / 2) + PAD_BOTTOM * height
    pad = PAD_SIDE * height
    return (max(x0 - pad, cell[0]), max(top, cell[1]), min(x1 + pad, cell[2]), min(bottom, cell[3]))


def outside_bands(image, grids: Sequence[Grid], scale: float) -> list[Box]:  # type: ignore[no-untyped-def]
    """Bands of the page outside every grid that hold ink, each cut tight around it, with a margin."""
    import numpy as np

    ink = image < PAPER_GREY
    for g in grids:
        pad = 2 * RULE_MARGIN_PT * scale
        ink[max(int(g.ys[0] * scale - pad), 0) : int(g.ys[-1] * scale + pad) + 1, max(int(g.xs[0] * scale - pad), 0) : int(g.xs[-1] * scale + pad) + 1] = False
    row_ink = ink.sum(axis=1)
    rows = np.flatnonzero(row_ink > 0)
    if len(rows) == 0:
        return []
    gap, most = BAND_GAP_PT * scale, BAND_MAX_PT * scale
    bands: list[tuple[int, int]] = []
    start = prev = int(rows[0])
    for r in rows[1:].tolist():
        if r - prev > gap or (r - start > most and r - prev > 1):
            bands.append((start, prev + 1))
            start = r
        prev = r
    bands.append((start, prev + 1))
    h, w = image.shape[:2]
    margin = BAND_PAD_PT * scale
    out = []
    for top, bottom in bands:
        if int(row_ink[top:bottom].sum()) < MIN_INK:
            continue
        cols = np.flatnonzero(ink[top:bottom].any(axis=0))
        out.append((max(cols[0] - margin, 0.0), max(top - margin, 0.0), min(cols[-1] + 1 + margin, float(w)), min(bottom + margin, float(h))))
    return out
