"""Pure: the documents of a batch checked against each other (findings of scope `batch`).

One `check_*` per rule:
- `check_rollup`: a department budget equals the sum of its units' budgets of the same year;
- `check_prior_year`: what this year's text says of last year agrees with last year's document;
- `check_duplicates`: one department, year and type published in two different files.
Documents join on `entity_id` (normalize/identity.py). Amounts are yuan; every
comparison allows the rounding of the printed figures on both sides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..normalize.identity import compact
from ..records import DocType, DocumentInfo, Finding, Severity
from .claims import Claim, claim_subject, section_to_claims, sections_to_read
from .registry import new_finding
from .subjects import resolve_ref, table_value
from .rollup import TOTAL_ROWS, BatchDoc, Figure, FigureKey, UnitIndex, document_figures, is_unit_of, printed_columns, units_expected
from .tolerance import classify, half_unit_yuan, sum_tolerance, text_figure, tolerance_for

DocKey = tuple[str, int, DocType]


def check_batch(docs: Sequence[BatchDoc], class_names: dict[str, str]) -> list[Finding]:
    """Every batch rule over the documents of the output folder, old and new."""
    distinct = _distinct(docs)
    return check_duplicates(docs) + check_rollup(distinct) + check_prior_year(distinct, class_names)


def _order(doc: BatchDoc) -> tuple[str, str]:
    return (doc.info.file_name, doc.doc_id)


def batch_groups(infos: Sequence[DocumentInfo], organization: dict[str, str]) -> list[list[DocumentInfo]]:
    """The documents some batch rule relates, in groups of two or more, each in `check_batch`'s order.

    Related are documents of one entity (duplicates, prior year) and a
    department budget with each budget `is_unit_of` it (roll-up), so
    `check_batch` over each group finds what it finds over all documents,
    while reading only a group at a time. `organization` maps a department
    budget's doc_id to its compacted 机构设置 text ('' or absent: none).
    """
    parent = list(range(len(infos)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_entity: dict[str, int] = {}
    units_by_year: dict[int, list[int]] = {}
    for k, info in enumerate(infos):
        if info.entity_id:
            parent[find(k)] = find(by_entity.setdefault(info.entity_id, k))
        if info.doc_type is DocType.UNIT_BUDGET and info.fiscal_year:
            units_by_year.setdefault(info.fiscal_year, []).append(k)
    indexes = {year: UnitIndex([infos[u] for u in units]) for year, units in units_by_year.items()}
    for k, dept in enumerate(infos):
        if dept.doc_type is DocType.DEPARTMENT_BUDGET and dept.fiscal_year in indexes:
            year_units = units_by_year[dept.fiscal_year]
            for u in indexes[dept.fiscal_year].units_of(dept, organization.get(dept.doc_id, "")):
                parent[find(year_units[u])] = find(k)
    groups: dict[int, list[DocumentInfo]] = {}
    for k, info in enumerate(infos):
        groups.setdefault(find(k), []).append(info)
    related = [sorted(g, key=lambda i: (i.file_name, i.doc_id)) for g in groups.values() if len(g) > 1]
    return sorted(related, key=lambda g: (g[0].file_name, g[0].doc_id))


def _key(doc: BatchDoc) -> DocKey | None:
    info = doc.info
    return (info.entity_id, info.fiscal_year, info.doc_type) if info.entity_id and info.fiscal_year else None


def _distinct(docs: Sequence[BatchDoc]) -> list[BatchDoc]:
    """One document per (entity, year, type): a duplicate would count a unit twice."""
    seen: set[DocKey] = set()
    out = []
    for doc in sorted(docs, key=_order):
        key = _key(doc)
        if key is None or key not in seen:
            out.append(doc)
        if key is not None:
            seen.add(key)
    return out


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}元"


def _pages(items: Sequence) -> tuple[int, ...]:  # type: ignore[type-arg]
    return tuple(sorted({i.page_no for i in items}))


# ------------------------------------------------------------------ duplicates


def check_duplicates(docs: Sequence[BatchDoc]) -> list[Finding]:
    """Two files (different bytes) with the same department, year and type: both are named."""
    groups: dict[DocKey, list[BatchDoc]] = {}
    for doc in docs:
        key = _key(doc)
        if key is not None:
            groups.setdefault(key, []).append(doc)
    out = []
    for group in groups.values():
        first, *rest = sorted(group, key=_order)
        out += [_duplicate(first, other) for other in rest]
    return out


def _duplicate(a: BatchDoc, b: BatchDoc) -> Finding:
    fa, fb = document_figures(a.items), document_figures(b.items)
    keys = set(fa) | set(fb)
    differ = sum(1 for k in keys if (fa[k].value if k in fa else None) != (fb[k].value if k in fb else None))
    same = f"{differ} of {len(keys)} printed figures differ" if differ else "every printed figure is the same"
    info = a.info
    message = (f"{info.file_name} and {b.info.file_name} are both the {info.fiscal_year} {info.doc_type.value} of "
               f"{info.department or info.entity_name} (different files): {same}")
    return new_finding("batch_duplicate", a.doc_id, message, other_doc_id=b.doc_id)


# ------------------------------------------------------------------ roll-up


@dataclass(frozen=True, slots=True)
class _Gap:
    """A department figure against the sum over its units."""

    key: FigureKey
    dept: Figure | None
    parts: tuple[Figure | None, ...]
    actual: Decimal
    expected: Decimal
    tolerance: Decimal
    severity: Severity


def check_rollup(docs: Sequence[BatchDoc]) -> list[Finding]:
    """Department budget = Σ its units' budgets, figure by figure, where the batch holds all its units.

    With units missing (the 机构设置 text counts more, or the department's totals
    exceed the units' sum) the roll-up is reported incomplete, never as a mismatch."""
    out: list[Finding] = []
    ordered = sorted(docs, key=_order)
    for dept in ordered:
        if dept.info.doc_type is not DocType.DEPARTMENT_BUDGET or not dept.info.fiscal_year:
            continue
        text = compact("".join(s.text for s in dept.sections if s.key == "organization"))
        units = [u for u in ordered if u is not dept and is_unit_of(u.info, dept.info, text)]
        if not units:
            continue
        expected = units_expected(dept.sections)
        if expected is not None and len(units) < expected:
            out.append(_incomplete(dept, units, f"its 机构设置 text counts {expected} budget units"))
            continue
        gaps = rollup_gaps(dept, units)
        if expected is None and any(g.key[2] in TOTAL_ROWS and g.actual - g.expected > g.tolerance for g in gaps):
            out.append(_incomplete(dept, units, "its totals exceed the sum over the units in the batch"))
            continue
        out += [_rollup_finding(dept, units, g) for g in gaps]
    return out


def rollup_gaps(dept: BatchDoc, units: Sequence[BatchDoc]) -> list[_Gap]:
    """Figures printed by the department and by every unit (same table, side and column) that disagree."""
    own = document_figures(dept.items)
    theirs = [document_figures(u.items) for u in units]
    columns = printed_columns(own).intersection(*(printed_columns(f) for f in theirs))
    gaps = []
    for key in sorted(set(own).union(*theirs)):
        if (key[0], key[1], key[3]) not in columns:
            continue
        d, parts = own.get(key), tuple(f.get(key) for f in theirs)
        actual = d.value if d else Decimal(0)
        expected = sum((p.value for p in parts if p), Decimal(0))
        items = (d.items if d else ()) + tuple(i for p in parts if p for i in p.items)
        tolerance = tolerance_for(items)
        severity = classify(actual - expected, tolerance)
        if severity is not None:
            gaps.append(_Gap(key, d, parts, actual, expected, tolerance, severity))
    return gaps


def _rollup_finding(dept: BatchDoc, units: Sequence[BatchDoc], gap: _Gap) -> Finding:
    table, side, row, column = gap.key
    terms = " + ".join(
        f"{_yuan(p.value) if p else '0'} ({u.info.file_name}{' p.' + ','.join(map(str, _pages(p.items))) if p else ''})"
        for u, p in zip(units, gap.parts)
    )
    message = (f"{table} {side + ' ' if side else ''}{row} {column}: the department prints {_yuan(gap.actual)}; "
               f"its {len(units)} unit(s) sum to {_yuan(gap.expected)} = {terms}")
    # The unit to look at is clear when it alone prints the figure (a 项 only it spends on).
    contributors = [(u, p) for u, p in zip(units, gap.parts) if p and p.value]
    other = contributors[0] if len(contributors) == 1 else None
    printed = tuple(i.amount_text for i in (gap.dept.items if gap.dept else ()))
    return new_finding(
        "batch_rollup", dept.doc_id, message, severity=gap.severity, table_id=table, expected=gap.expected, actual=gap.actual,
        difference=gap.actual - gap.expected, tolerance=gap.tolerance, pages=_pages(gap.dept.items) if gap.dept else (),
        subject_code=row if row.isdigit() else None, column_key=column, printed=printed,
        other_doc_id=other[0].doc_id if other else None, other_pages=_pages(other[1].items) if other else (),
    )


def _incomplete(dept: BatchDoc, units: Sequence[BatchDoc], why: str) -> Finding:
    names = "、".join(u.info.file_name for u in units)
    pages = tuple(sorted({p for s in dept.sections if s.key == "organization" for p in s.pages}))
    message = f"{dept.info.file_name}: {why}; the batch holds {len(units)} of its unit budgets ({names}), so the roll-up is not checked"
    return new_finding("batch_rollup_incomplete", dept.doc_id, message, pages=pages, other_doc_id=units[0].doc_id if len(units) == 1 else None)


# ------------------------------------------------------------------ prior year

_BASIS_NAMES = {
    "budget": "last year's budget (上年预算)",
    "final": "last year's final accounts (上年决算)",
    "unstated": "last year, basis not stated (compared with last year's document of the same type)",
}


def claim_basis(text: str, year: int) -> tuple[str, int | None]:
    """What a change is against: ('budget' | 'final' | 'execution' | 'unstated', the year it names).

    '2024年预算' → budget 2024; '上年预算安排' → budget, last year; '上年' → unstated;
    '上年执行数' → execution (an estimate printed in no document); '年初预算' names no earlier year."""
    t = compact(text)
    m = re.search(r"(\d{4})年", t)
    named = int(m.group(1)) if m else (year - 1 if re.search(r"上年|上一年|去年", t) else None)
    kind = "execution" if "执行" in t else "final" if "决算" in t else "budget" if "预算" in t else "unstated"
    return kind, named if named is not None and named < year else None


def _prior_type(basis: str, doc_type: DocType) -> DocType | None:
    """Like with like: a budget sentence against a budget, a final-accounts sentence against final accounts."""
    if basis == "final":
        return DocType.DEPARTMENT_FINAL_ACCOUNTS
    if basis == "budget":
        return doc_type if doc_type in (DocType.DEPARTMENT_BUDGET, DocType.UNIT_BUDGET) else DocType.DEPARTMENT_BUDGET
    return doc_type if basis == "unstated" else None


def check_prior_year(docs: Sequence[BatchDoc], class_names: dict[str, str]) -> list[Finding]:
    """Each '比上年/较2024年预算 增加/减少 X万元' statement: amount − change must be last year's printed figure."""
    index = {key: doc for doc in docs if (key := _key(doc)) is not None}
    earliest: dict[str, int] = {}
    for entity, year, _type in index:
        earliest[entity] = min(year, earliest.get(entity, year))
    out = []
    for doc in sorted(index.values(), key=_order):
        if earliest[doc.info.entity_id] >= (doc.info.fiscal_year or 0):
            continue  # no earlier document of its entity: no statement of it can be checked (its claims not read)
        for section in sections_to_read(doc.sections):
            for claim in section_to_claims(section):
                finding = _prior_finding(doc, claim, index, class_names)
                if finding is not None:
                    out.append(finding)
    return out


def _prior_finding(doc: BatchDoc, claim: Claim, index: dict[DocKey, BatchDoc], class_names: dict[str, str]) -> Finding | None:
    year = doc.info.fiscal_year
    if claim.change_yuan is None or not year:
        return None
    basis, prior_year = claim_basis(claim.change_basis, year)
    prior_type = _prior_type(basis, doc.info.doc_type)
    prior = index.get((doc.info.entity_id, prior_year, prior_type)) if prior_year and prior_type else None
    context = next((s.heading for s in doc.sections if s.key == claim.section_key), "")
    ref = resolve_ref(claim_subject(claim), class_names, doc.items, context, claim.code_hint) if prior else None
    got = table_value(ref, [i for i in prior.items if i.phase in ("budget", "final")]) if prior and ref else None
    if prior is None or ref is None or got is None:
        return None
    value, hits = got
    stated = claim.amount_yuan - claim.change_yuan
    half = text_figure(claim.amount_yuan, claim.decimals).half  # the amount's and the change's
    tolerance = sum_tolerance([half, half, *(half_unit_yuan(h) for h in hits)])
    severity = classify(stated - value, tolerance)
    if severity is None:
        return None
    if basis == "unstated" and severity is Severity.ERROR:
        severity = Severity.WARNING  # the sentence may mean last year's execution, not its budget
    table = hits[0].table_id.value if hits else ref.terms[0].table.value
    message = (f"「{claim.sentence}」 puts {_BASIS_NAMES[basis]} at {claim.amount_text}万元 − change = {stated / 10000:,.2f}万元; "
               f"{prior.info.file_name} ({prior_year}) prints {value / 10000:,.2f}万元 in {table}")
    code = ref.key.partition("_")[2] if ref.key.startswith(("class_", "subject_")) else None
    return new_finding(
        "batch_prior_year", doc.doc_id, message, severity=severity, table_id=table, expected=value, actual=stated,
        difference=stated - value, tolerance=tolerance, pages=(claim.page_no,), subject_code=code,
        column_key=hits[0].column_key if hits else None, printed=(claim.amount_text, *(h.amount_text for h in hits)),
        other_doc_id=prior.doc_id, other_pages=_pages(hits),
    )
