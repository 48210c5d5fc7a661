"""Pure: ruling segments -> grids -> merged cells -> cell texts.

The steps follow pdfplumber's `edges -> intersections -> cells -> tables`,
but work on the finest lattice of distinct ruling positions and merge the
lattice slots that no ruling separates, so merged header cells come out as
one cell with their spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import BBox, Cell, Char, Rule
from ..settings import ExtractSettings
from .layout import chars_to_text


@dataclass(frozen=True, slots=True)
class Grid:
    """The ruling lattice of one table region on one page."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    h_rules: tuple[Rule, ...]
    v_rules: tuple[Rule, ...]

    @property
    def bbox(self) -> BBox:
        return BBox(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def rules_to_grids(rules: Sequence[Rule], settings: ExtractSettings) -> list[Grid]:
    """Connected groups of crossing rulings, each a grid, top to bottom."""
    h = _join_collinear([r for r in rules if r.horizontal], True, settings)
    v = _join_collinear([r for r in rules if not r.horizontal], False, settings)
    from .openframe import frame_open_tables  # a 三线表 has no vertical rules of its own

    v += frame_open_tables(h, v, settings.snap_tolerance)
    groups = _connected(h, v, settings.snap_tolerance)
    grids = [_make_grid(gh, gv, settings) for gh, gv in groups]
    grids = [g for g in grids if (len(g.xs) - 1) * (len(g.ys) - 1) >= settings.min_grid_cells]
    return sorted(grids, key=lambda g: g.ys[0])


def _snap(values: list[float], tol: float) -> dict[float, float]:
    """Map each value to the mean of its cluster of near-equal values."""
    out: dict[float, float] = {}
    cluster: list[float] = []
    for v in sorted(values) + [float("inf")]:
        if cluster and v - cluster[-1] > tol:
            mean = sum(cluster) / len(cluster)
            out.update(dict.fromkeys(cluster, mean))
            cluster = []
        cluster.append(v)
    return out


def _join_collinear(rules: list[Rule], horizontal: bool, settings: ExtractSettings) -> list[Rule]:
    pos = _snap([r.top if horizontal else r.x0 for r in rules], settings.snap_tolerance)
    by_pos: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for r in rules:
        if horizontal:
            by_pos[pos[r.top]].append((r.x0, r.x1))
        else:
            by_pos[pos[r.x0]].append((r.top, r.bottom))
    out: list[Rule] = []
    for p, spans in by_pos.items():
        for a, b in _merge_spans(spans, settings.join_tolerance):
            out.append(Rule(a, p, b, p) if horizontal else Rule(p, a, p, b))
    return out


def _merge_spans(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _crosses(h: Rule, v: Rule, tol: float) -> bool:
    return h.x0 - tol <= v.x0 <= h.x1 + tol and v.top - tol <= h.top <= v.bottom + tol


def _connected(h: list[Rule], v: list[Rule], tol: float) -> list[tuple[list[Rule], list[Rule]]]:
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h):
        for j, vr in enumerate(v):
            if _crosses(hr, vr, tol):
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = defaultdict(lambda: ([], []))
    for i, hr in enumerate(h):
        groups[find(i)][0].append(hr)
    for j, vr in enumerate(v):
        groups[find(len(h) + j)][1].append(vr)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _make_grid(h: list[Rule], v: list[Rule], settings: ExtractSettings) -> Grid:
    tol = settings.snap_tolerance
    ys = sorted(set(_snap([r.top for r in h], tol).values()))
    xs = sorted(set(_snap([r.x0 for r in v], tol).values()))
    return Grid(tuple(xs), tuple(_open_ends(ys, xs, v, tol)), tuple(h), tuple(v))


def _open_ends(ys: list[float], xs: list[float], v: list[Rule], tol: float) -> list[float]:
    """Add the edge of a row left open at a page break.

    When a page break cuts a table, some producers draw no ruling at the top of the
    next page: the verticals rise above the first horizontal line and the row they
    enclose holds a real body row (corpus: jiangsu/省法院2017年度部门预算公开, p.12,
    公共安全支出 23,513.11). The same at the foot of a page.
    """
    rising = [r for r in v if r.top < ys[0] - 3 * tol]
    falling = [r for r in v if r.bottom > ys[-1] + 3 * tol]
    if _spans_columns(rising, [r.top for r in rising], xs, tol):
        ys = [min(r.top for r in rising)] + ys
    if _spans_columns(falling, [r.bottom for r in falling], xs, tol):
        ys = ys + [max(r.bottom for r in falling)]
    return ys


def _spans_columns(rules: list[Rule], ends: list[float], xs: list[float], tol: float) -> bool:
    """Do these verticals end together, on more than half the column lines, both outer ones among them?"""
    if len(rules) < 2 or max(ends) - min(ends) > 2 * tol:
        return False
    lines = {round(r.x0 / tol) for r in rules}
    outer = all(any(abs(r.x0 - x) <= tol for r in rules) for x in (xs[0], xs[-1]))
    return 2 * len(lines) > len(xs) and outer


def _spans_at(rules: tuple[Rule, ...], horizontal: bool, lines: Sequence[float], tol: float) -> list[list[tuple[float, float]]]:
    """For each lattice line, the spans of the rulings lying on it (within `tol`)."""
    out: list[list[tuple[float, float]]] = [[] for _ in lines]
    for r in rules:
        pos, a, b = (r.top, r.x0, r.x1) if horizontal else (r.x0, r.top, r.bottom)
        for k, at in enumerate(lines):
            if abs(pos - at) <= tol:
                out[k].append((a, b))
    return out


def _covered(spans: list[tuple[float, float]], lo: float, hi: float, tol: float) -> bool:
    """Does one of the spans on a lattice line cover the middle of (lo, hi)?"""
    mid = (lo + hi) / 2
    return any(a - tol <= mid <= b + tol for a, b in spans)


def grid_to_slots(grid: Grid, tol: float) -> list[list[int]]:
    """Label each lattice slot with the id of the merged cell it belongs to."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    parent = list(range(n_rows * n_cols))
    v_spans = _spans_at(grid.v_rules, False, grid.xs, tol)
    h_spans = _spans_at(grid.h_rules, True, grid.ys, tol)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n_rows):
        for j in range(n_cols):
            here = i * n_cols + j
            if j + 1 < n_cols and not _covered(v_spans[j + 1], grid.ys[i], grid.ys[i + 1], tol):
                parent[find(here)] = find(here + 1)
            if i + 1 < n_rows and not _covered(h_spans[i + 1], grid.xs[j], grid.xs[j + 1], tol):
                parent[find(here)] = find(here + n_cols)
    return [[find(i * n_cols + j) for j in range(n_cols)] for i in range(n_rows)]


def slot_spans(slots: Sequence[Sequence[int]]) -> dict[int, list[int]]:
    """Each merged cell's [first row, first column, last row, last column] in the slot matrix."""
    spans: dict[int, list[int]] = {}
    for i, row in enumerate(slots):
        for j, cid in enumerate(row):
            s = spans.setdefault(cid, [i, j, i, j])
            s[2], s[3] = max(s[2], i), max(s[3], j)
    return spans


def grid_to_cells(grid: Grid, chars: Sequence[Char], page_no: int, tol: float, source: str = "text") -> list[Cell]:
    """Merged cells of the grid with the text of the characters inside them."""
    slots = grid_to_slots(grid, tol)
    spans = slot_spans(slots)
    boxes = {cid: BBox(grid.xs[j0], grid.ys[i0], grid.xs[j1 + 1], grid.ys[i1 + 1]) for cid, (i0, j0, i1, j1) in spans.items()}
    inside = _chars_by_cell(grid, slots, chars)
    cells = []
    for cid, (i0, j0, i1, j1) in spans.items():
        own = inside.get(cid, [])
        text = chars_to_text(own)
        confidence = min((c.confidence for c in own), default=1.0)
        cells.append(Cell(i0, j0, i1 - i0 + 1, j1 - j0 + 1, text, boxes[cid], page_no, source, confidence))
    return sorted(cells, key=lambda c: (c.row, c.col))


def _chars_by_cell(grid: Grid, slots: list[list[int]], chars: Sequence[Char]) -> dict[int, list[Char]]:
    import bisect

    out: dict[int, list[Char]] = defaultdict(list)
    xs, ys = grid.xs, grid.ys
    left, top, right, bottom = xs[0], ys[0], xs[-1], ys[-1]
    right_of, below = bisect.bisect_right, bisect.bisect_right
    for ch in chars:
        b = ch.bbox
        x, y = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2  # BBox.xc, .yc
        if left < x < right and top < y < bottom:
            out[slots[below(ys, y) - 1][right_of(xs, x) - 1]].append(ch)
    return out


def in_grid(grid: Grid, ch: Char) -> bool:
    b = ch.bbox
    x, y = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
    return grid.xs[0] < x < grid.xs[-1] and grid.ys[0] < y < grid.ys[-1]


def outside_grids(grids: Sequence[Grid], chars: Sequence[Char]) -> list[Char]:
    """The characters whose centre lies in none of the grids (`in_grid` for each)."""
    if not grids:
        return list(chars)
    boxes = [(g.xs[0], g.ys[0], g.xs[-1], g.ys[-1]) for g in grids]
    out = []
    for ch in chars:
        b = ch.bbox
        x, y = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
        for x0, y0, x1, y1 in boxes:
            if x0 < x < x1 and y0 < y < y1:
                break
        else:
            out.append(ch)
    return out
