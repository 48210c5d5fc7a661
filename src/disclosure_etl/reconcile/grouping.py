"""Pure: noise grouped — one root cause, one finding with its occurrences.

A rounding difference repeated down a column (each 款 of a table a unit off
its 项) is one pattern of how the publisher rounds, not one finding per row:
the rounding findings of one rule, table and column become one finding that
names every row and boxes every cell. (Placeholders, unreadable cells and
missing tables are grouped where they are found: completeness.py.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ..records import Finding, FindingKind, Severity


def _key(f: Finding) -> tuple[object, ...] | None:
    if f.severity is not Severity.ROUNDING or f.kind is not FindingKind.DOCUMENT or f.table_id is None:
        return None
    return (f.doc_id, f.rule_id, f.table_id, f.column_key)


def group_rounding(findings: Sequence[Finding]) -> list[Finding]:
    """Rounding findings of one rule, table and column merged into one; every other finding as it is."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        key = _key(f)
        if key is not None:
            groups.setdefault(key, []).append(f)
    out: list[Finding] = []
    done: set[tuple[object, ...]] = set()
    for f in findings:
        key = _key(f)
        if key is None or len(groups[key]) == 1:
            out.append(f)
        elif key not in done:
            done.add(key)
            out.append(_merge(groups[key]))
    return out


def _row_name(f: Finding) -> str:
    """The row a finding is about: its code, else the label its first printed figure names ('合计')."""
    m = re.search(r"\((.+?)/", f.printed[0]) if f.printed else None
    return f.subject_code or (m.group(1) if m else "?")


def _merge(group: Sequence[Finding]) -> Finding:
    first = group[0]
    rows = "; ".join(f"{_row_name(f)}: {f.actual} vs {f.expected}" for f in group)
    widest = max(group, key=lambda f: abs(f.difference or Decimal(0)))
    codes = {f.subject_code for f in group}
    return replace(
        first,
        message=f"{len(group)} rounding differences in column {first.column_key} ({first.message.split(' in ')[0]} …): {rows}",
        subject_code=codes.pop() if len(codes) == 1 else None,
        expected=widest.expected, actual=widest.actual, difference=widest.difference, tolerance=widest.tolerance,
        pages=tuple(sorted({p for f in group for p in f.pages})),
        bboxes=tuple(b for f in group for b in f.bboxes), bbox_pages=tuple(p for f in group for p in f.bbox_pages),
        printed=tuple(p for f in group for p in f.printed),
    )
