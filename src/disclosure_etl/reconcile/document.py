"""Pure: run the check catalogue over one normalized document."""

from __future__ import annotations

from collections.abc import Sequence

from ..catalogue import Catalogue
from ..normalize.document import NormalizedDocument
from ..records import Finding, Section, TocEntry
from .completeness import check_low_confidence, check_placeholders, check_required_tables, check_toc_tables, check_unreadable_cells
from .cross import check_cross_tables
from .claims import class_names_of
from .narrative import check_claims, check_old_names
from .tables import check_table


def reconcile_document(
    doc: NormalizedDocument, toc: Sequence[TocEntry], sections: Sequence[Section], catalogue: Catalogue, cover: str = ""
) -> list[Finding]:
    doc_id = doc.info.doc_id
    findings: list[Finding] = []
    findings += check_toc_tables(doc_id, toc, doc.tables)
    findings += check_required_tables(doc_id, doc.info.doc_type, doc.tables)
    findings += check_unreadable_cells(doc_id, doc.tables)
    findings += check_low_confidence(doc_id, doc.tables)
    findings += check_placeholders(doc_id, cover, sections, doc.tables)
    for table in doc.tables:
        findings += check_table(table.items)
    findings += check_cross_tables(doc.items)
    class_names = class_names_of(catalogue.names)
    findings += check_claims(doc_id, sections, doc.items, class_names)
    findings += check_old_names(doc_id, sections, catalogue.aliases, catalogue.names)
    return findings
