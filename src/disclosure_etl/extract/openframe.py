"""Pure: tables that are not fully ruled — three-line tables (三线表) and grids without
inner vertical lines.

Two steps, both conservative so that a fully ruled table is never touched:
1. `frame_open_tables`: horizontal rulings of the same extent that no vertical
   crosses (the top, header and bottom lines of a 三线表) get a left and a right
   edge, so the grid machinery sees a table.
2. `open_grid_to_grid`: a grid with fewer than three columns is given the
   column boundaries that the text itself shows (gaps no character crosses, in
   the rows that print amounts), and rows wherever a band holds several lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import Char, Rule
from .grid import Grid, in_grid
from .layout import chars_to_lines

MIN_OPEN_WIDTH = 150.0  # points: shorter free lines are underlines, not table rules
MIN_GAP = 6.0  # points of white across every amount row between two columns
_AMOUNT_RE = re.compile(r"^-?[\d,]+(\.\d+)?$|^\.\d+$")


def frame_open_tables(h: Sequence[Rule], v: Sequence[Rule], tol: float) -> list[Rule]:
    """Left and right edges for groups of ≥ 2 uncrossed horizontal rules of one extent."""
    free = [r for r in h if r.x1 - r.x0 >= MIN_OPEN_WIDTH and not any(_touches(r, s, tol) for s in v)]
    groups: dict[tuple[int, int], list[Rule]] = {}
    for r in free:
        groups.setdefault((round(r.x0 / (2 * tol)), round(r.x1 / (2 * tol))), []).append(r)
    edges: list[Rule] = []
    for rules in groups.values():
        if len(rules) < 2:
            continue
        top, bottom = min(r.top for r in rules), max(r.top for r in rules)
        x0, x1 = min(r.x0 for r in rules), max(r.x1 for r in rules)
        edges += [Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]
    return edges


def _touches(h: Rule, v: Rule, tol: float) -> bool:
    return h.x0 - tol <= v.x0 <= h.x1 + tol and v.top - tol <= h.top <= v.bottom + tol


def open_grid_to_grid(grid: Grid, chars: Sequence[Char]) -> Grid:
    """A grid with < 3 columns gets columns from the text's gaps and a row per text line."""
    if len(grid.xs) - 1 >= 3:
        return grid
    inside = [c for c in chars if in_grid(grid, c)]
    lines = chars_to_lines(inside, 0)
    amount_rows = [ln for ln in lines if any(_AMOUNT_RE.match(tok) for tok in ln.text.split())]
    if len(amount_rows) < 2:
        return grid
    cuts = _column_cuts(grid, inside, amount_rows)
    if not cuts:
        return grid
    ys = _row_cuts(grid, lines)
    top = min(ln.bbox.top for ln in amount_rows) - 1.0
    header_top = max((y for y in ys if y < top), default=grid.ys[0])
    v_extra = tuple(Rule(x, header_top, x, grid.ys[-1]) for x in cuts)
    h_extra = tuple(Rule(grid.xs[0], y, grid.xs[-1], y) for y in ys if y not in grid.ys)
    return replace(
        grid,
        xs=tuple(sorted({*grid.xs, *cuts})),
        ys=tuple(sorted({*grid.ys, *ys})),
        h_rules=grid.h_rules + h_extra,
        v_rules=grid.v_rules + v_extra,
    )


def _column_cuts(grid: Grid, chars: Sequence[Char], rows: Sequence) -> list[float]:  # type: ignore[type-arg]
    """x positions no character of an amount row crosses, in the middle of each gap."""
    bands = [(ln.bbox.top, ln.bbox.bottom) for ln in rows]
    spans = sorted(
        (c.bbox.x0, c.bbox.x1) for c in chars if any(t - 0.5 <= c.bbox.yc <= b + 0.5 for t, b in bands)
    )
    cuts, reach = [], grid.xs[0]
    for x0, x1 in spans:
        if x0 - reach >= MIN_GAP and reach > grid.xs[0]:
            cuts.append((reach + x0) / 2)
        reach = max(reach, x1)
    return cuts


def _row_cuts(grid: Grid, lines: Sequence) -> list[float]:  # type: ignore[type-arg]
    """A boundary between consecutive text lines inside one ruled band."""
    cuts = []
    ordered = sorted(lines, key=lambda ln: ln.bbox.top)
    for a, b in zip(ordered, ordered[1:]):
        if b.bbox.top > a.bbox.bottom:
            y = (a.bbox.bottom + b.bbox.top) / 2
            if not any(abs(y - g) < 2.0 for g in grid.ys):
                cuts.append(y)
    return cuts
