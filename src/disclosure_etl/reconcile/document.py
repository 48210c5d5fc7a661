"""Pure: run the check catalogue over one normalized document."""

from __future__ import annotations

from collections.abc import Sequence

from ..catalogue import Catalogue
from ..normalize.document import NormalizedDocument
from ..records import Finding, Section, TocEntry
from .completeness import check_placeholders, check_required_tables, check_toc_tables, check_unreadable_cells
from .cross import check_cross_tables
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
    findings += check_placeholders(doc_id, cover, sections, doc.tables)
    for table in doc.tables:
        findings += check_table(table.items)
    findings += check_cross_tables(doc.items)
    # A functional class named in the text ('一般公共服务支出'); names shared with an
    # economic class ('其他支出' is also 399) say nothing about which table they mean.
    economic = {name for code, name in catalogue.names.items() if code.startswith("3")}
    class_names = {code: name for code, name in catalogue.names.items() if len(code) == 3 and code.startswith("2") and name not in economic}
    findings += check_claims(doc_id, sections, doc.items, class_names)
    findings += check_old_names(doc_id, sections, catalogue.aliases, catalogue.names)
    return findings
