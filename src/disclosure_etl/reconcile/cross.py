"""Pure: identities across the tables of one document, declared as data (data/rules.csv).

Each identity says `left = right₁ ± right₂ …`, every term a figure picked by
(table, side, column, row) (reconcile/terms.py). An identity is checked only
when every table it names is printed with the columns it needs and its left
figure is printed, so a province that leaves a table or column out is not
accused of a mismatch.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..records import Finding, LineItem
from .registry import Identity, identities, new_finding
from .terms import RowTexts, pick
from .tolerance import classify, tolerance_for


def _describe(it: LineItem) -> str:
    return f"{it.amount_text} ({it.table_id.value}: {it.row_label or it.subject_code or 'row ' + str(it.row_index)}/{it.column_key}, p.{it.page_no})"


def check_identity(identity: Identity, items: Sequence[LineItem], row_texts: RowTexts | None = None) -> Finding | None:
    left = pick(identity.left, items, row_texts)
    rights = [pick(t, items, row_texts) for t in identity.right]
    rights = [[] if r is None and t.optional else r for t, r in zip(identity.right, rights)]
    if not left or any(r is None for r in rights) or not any(rights):
        return None
    involved = left + [it for r in rights for it in (r or [])]
    actual = sum((it.amount_yuan for it in left), Decimal(0))
    expected = sum((t.sign * it.amount_yuan for t, r in zip(identity.right, rights) for it in (r or [])), Decimal(0))
    tol = tolerance_for(involved)
    severity = classify(actual - expected, tol, identity.rule.severity)
    if severity is None:
        return None
    first = left[0]
    return new_finding(
        identity.rule.rule_id, first.doc_id, identity.rule.statement, severity=severity, table_id=first.table_id.value,
        expected=expected, actual=actual, difference=actual - expected, tolerance=tol,
        pages=tuple(sorted({it.page_no for it in involved})), subject_code=first.subject_code, column_key=first.column_key,
        bboxes=tuple(it.bbox for it in involved), bbox_pages=tuple(it.page_no for it in involved),
        printed=tuple(_describe(it) for it in involved),
    )


def check_cross_tables(items: Sequence[LineItem], row_texts: RowTexts | None = None) -> list[Finding]:
    """Every identity of the registry that the document's tables allow."""
    out = []
    seen: set[tuple[object, ...]] = set()
    for identity in identities():
        f = check_identity(identity, items, row_texts)
        if f is None:
            continue
        key = (identity.rule.rule_id, f.column_key, f.expected, f.actual)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
