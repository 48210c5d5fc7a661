"""Pure: run the check catalogue over one normalized document.

The baseline first (structure.py): tables it does not trust give one
extraction finding each and nothing else; tables read under one id twice are
left out of the checks across tables and against the text. Then every other
rule, then noise grouped; document findings come first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..catalogue import Catalogue
from ..errors import ErrorCode
from ..normalize.document import NormalizedDocument, NormalizedTable
from ..records import DocContents, Finding, FindingKind, Section, TocEntry
from .breakdown import check_item_changes
from .completeness import (
    check_empty_notes,
    check_low_confidence,
    check_placeholders,
    check_required_tables,
    check_toc_tables,
    check_unreadable_cells,
)
from .cross import check_cross_tables
from .grouping import group_rounding
from .narrative import check_claims, check_old_names
from .structure import run_baseline
from .subjects import class_names_of
from .tables import check_table, table_relations
from .terms import RowTexts, TableItems

_DAMAGE = frozenset({ErrorCode.DAMAGED_OBJECTS.value, ErrorCode.TRUNCATED_PDF.value, ErrorCode.TEXT_UNMAPPED.value})
_SPACE_RE = re.compile(r"\s+")
_AMOUNT_RE = re.compile(r"^[-−(（]?[\d,]*\.?\d+[)）]?$")


def row_texts_of(tables: Sequence[NormalizedTable]) -> RowTexts:
    """Each body row's printed text outside its amounts, per table (see terms.RowTexts)."""
    out: RowTexts = {}
    for t in tables:
        if t.info.table_id is not None:
            out[t.info.table_id] = {
                i: "".join(text for c in row.cells if (text := _SPACE_RE.sub("", c.text)) and not _AMOUNT_RE.match(text))
                for i, row in enumerate(t.raw.body_rows)
            }
    return out


def reconcile_document(
    doc: NormalizedDocument, toc: Sequence[TocEntry], sections: Sequence[Section], catalogue: Catalogue, cover: str = ""
) -> list[Finding]:
    doc_id = doc.info.doc_id
    # Each table's sums, computed once: the baseline judges the table by them and the table's checks report them.
    relations = [table_relations(t.items) for t in doc.tables]
    baseline = run_baseline(doc_id, doc.tables, catalogue, relations)
    trusted = [t for n, t in enumerate(doc.tables) if baseline.trusted(n)]
    across = [t for n, t in enumerate(doc.tables) if baseline.usable_across(n)]
    unplaced = any(f.rule_id == "unknown_table" for f in baseline.findings)
    # A damaged file (objects missing, streams cut, fonts it does not hold, text that maps to no
    # characters) may have lost the tables we cannot find: that is about our reading of it, not
    # the publisher's numbers.
    damaged = any(e.code in _DAMAGE for e in doc.errors)
    findings: list[Finding] = list(baseline.findings)
    if doc.info.contents is not DocContents.NARRATIVE_ONLY:  # its tables are the other file of the publication
        findings += check_toc_tables(doc_id, toc, doc.tables, unplaced, damaged)
        findings += check_required_tables(doc_id, doc.info.doc_type, doc.tables, any(e.is_table for e in toc))
    findings += check_unreadable_cells(doc_id, trusted)
    findings += check_low_confidence(doc_id, trusted)
    findings += check_placeholders(doc_id, cover, sections, doc.tables)
    findings += check_empty_notes(doc_id, trusted)
    for n, table in enumerate(doc.tables):
        if baseline.trusted(n):
            findings += check_table(table.items, relations[n])
    items = TableItems(it for t in across for it in t.items)
    texts = row_texts_of(across)
    findings += check_cross_tables(items, texts)
    findings += check_claims(doc_id, sections, items, class_names_of(catalogue.names), texts)
    findings += check_old_names(doc_id, sections, catalogue.aliases, catalogue.names, doc.items)
    findings += check_item_changes(doc_id, sections, class_names_of(catalogue.names))
    return order_findings(group_rounding(findings))


def order_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Document findings first, extraction findings after; otherwise in the order found."""
    return sorted(findings, key=lambda f: f.kind is not FindingKind.DOCUMENT)



