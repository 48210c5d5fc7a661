"""Pure: the rulings of a page's filled, unstroked paths, all at once.

Some producers draw every cell border as its own filled rectangle (WPS 表格:
a thousand on a page), and only each subpath's extent matters for them
(`paths._fill_rules`). Done path by path in Python that is most of reading a
ruled page's drawings; here every point of every such path is transformed
and every subpath's extent taken in a few numpy operations, with the same
float arithmetic in the same order (`a * x + c * y + e`, then the page frame),
so the rules are the ones `_fill_rules` gives, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Rule

# PDFium's CFX_Path::Point {float x, y; uint8 type; bool close} (see paths._POINT).
_MOVETO, _BEZIERTO = 2, 1


def fills_to_rules(data: bytes, counts: Sequence[int], matrices: Sequence[tuple[float, ...]], origin: tuple[float, float, float],
                   max_width: float) -> list[list[Rule]] | None:
    """Each path's rulings, from the point arrays of the paths (`counts` points each, concatenated in `data`).

    `origin` is (left, bottom, height) of an upright page frame. None when a
    coordinate is not finite: then Python's min and max, which do not order
    NaN as numpy does, must decide (the caller reads those paths one by one).
    """
    import numpy as np

    if not counts:
        return []
    points = np.frombuffer(data, dtype=np.dtype([("x", "<f4"), ("y", "<f4"), ("kind", "u1"), ("close", "u1"), ("pad", "V2")]))
    path_of = np.repeat(np.arange(len(counts)), counts)
    m = np.asarray(matrices, dtype=np.float64)[path_of]
    x, y = points["x"].astype(np.float64), points["y"].astype(np.float64)
    left, bottom, height = origin
    px = m[:, 0] * x + m[:, 2] * y + m[:, 4] - left
    py = height - (m[:, 1] * x + m[:, 3] * y + m[:, 5] - bottom)
    if not (np.isfinite(px).all() and np.isfinite(py).all()):
        return None
    starts, sizes, curved = _subpaths(points["kind"], counts)
    x0, x1 = np.minimum.reduceat(px, starts), np.maximum.reduceat(px, starts)
    y0, y1 = np.minimum.reduceat(py, starts), np.maximum.reduceat(py, starts)
    w, h = x1 - x0, y1 - y0
    usable = (sizes >= 2) & ~curved
    flat = usable & (h <= max_width) & (max_width < w)
    upright = usable & ~flat & (w <= max_width) & (max_width < h)
    made = np.flatnonzero(flat | upright)
    flat, mid_y, mid_x = flat[made], ((y0 + y1) / 2)[made], ((x0 + x1) / 2)[made]
    # A flat box gives Rule(x0, mid_y, x1, mid_y), an upright one Rule(mid_x, y0, mid_x, y1); built by map, not one by one.
    rules = list(map(Rule, np.where(flat, x0[made], mid_x).tolist(), np.where(flat, mid_y, y0[made]).tolist(),
                     np.where(flat, x1[made], mid_x).tolist(), np.where(flat, mid_y, y1[made]).tolist()))
    bounds = np.searchsorted(path_of[starts][made], np.arange(len(counts) + 1)).tolist()  # each path's rules, in order
    return list(map(rules.__getitem__, map(slice, bounds[:-1], bounds[1:])))


def _subpaths(kind, counts: Sequence[int]):  # type: ignore[no-untyped-def]
    """Each subpath's first point, its number of points, and whether it holds a curve.

    A subpath starts at each move and at each path's first point, and runs to the next start.
    """
    import numpy as np

    starts_at = np.zeros(len(kind), dtype=bool)
    starts_at[kind == _MOVETO] = True
    starts_at[np.cumsum(counts)[:-1]] = True
    starts_at[0] = True
    starts = np.flatnonzero(starts_at)
    sizes = np.diff(np.append(starts, len(kind)))
    curved = np.add.reduceat((kind == _BEZIERTO).astype(np.int64), starts) > 0
    return starts, sizes, curved
