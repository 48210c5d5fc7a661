"""I/O for the batch checks: read the output back a group of related documents at a time, write the batch findings.

The checks run over the whole output folder, old and new documents alike, at
the end of every batch. The `documents` rows say which documents a rule can
relate (reconcile/crossdoc.py `batch_groups`); only those are read back
(crossdoc_read.py), one group at a time, so a province-sized output is
checked in bounded memory. Findings go to `findings/fiscal_year=<year>/batch.parquet`
(the year of the finding's first document), each file replaced atomically;
a year left without batch findings loses its file.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence

from .catalogue import load_catalogue
from .collector import collected_after
from .crossdoc_read import read_document_index, read_items, read_sections
from .normalize.identity import compact
from .records import DocType, DocumentInfo, Finding
from .reconcile.claims import class_names_of
from .reconcile.crossdoc import batch_groups, check_batch
from .reconcile.rollup import BatchDoc
from .write.dataset import UNKNOWN_YEAR
from .write.parquet import finding_rows, rows_to_table, write_table_atomic

BATCH_FILE = "batch.parquet"


def read_batch_docs(out_dir: str) -> list[BatchDoc]:
    """Every readable document of the output with its line items and sections (all in memory: small outputs, tests)."""
    infos, gens = read_document_index(out_dir)
    return [BatchDoc(i, read_items(out_dir, i, gens[i.doc_id]), read_sections(out_dir, i, gens[i.doc_id])) for i in infos]


def organization_texts(out_dir: str, infos: Sequence[DocumentInfo], gens: dict[str, str]) -> dict[str, str]:
    """The compacted 机构设置 text of each department budget of a year that has unit budgets (what `is_unit_of` reads)."""
    unit_years = {i.fiscal_year for i in infos if i.doc_type is DocType.UNIT_BUDGET and i.fiscal_year}
    return {
        i.doc_id: compact("".join(s.text for s in read_sections(out_dir, i, gens[i.doc_id], ("organization",))))
        for i in infos
        if i.doc_type is DocType.DEPARTMENT_BUDGET and i.fiscal_year in unit_years
    }


def _reads_text(info: DocumentInfo, group: Sequence[DocumentInfo]) -> bool:
    """Whether a batch rule reads the document's sections: a department budget's 机构设置 (roll-up), or the
    statements of a document with an earlier one of its entity in the group (prior year). The others'
    sections are not read back (a third of the time the checks took)."""
    if info.doc_type is DocType.DEPARTMENT_BUDGET:
        return True
    year = info.fiscal_year
    return year is not None and any(o.entity_id == info.entity_id and o.fiscal_year is not None and o.fiscal_year < year for o in group)


def write_batch_findings(out_dir: str, findings: Sequence[Finding], years: dict[str, int | None]) -> list[str]:
    """One `batch.parquet` per fiscal year holding batch findings; stale ones removed."""
    by_year: dict[int, list[Finding]] = {}
    for f in findings:
        by_year.setdefault(years.get(f.doc_id) or UNKNOWN_YEAR, []).append(f)
    written = []
    for year, group in sorted(by_year.items()):
        path = os.path.join(out_dir, "findings", f"fiscal_year={year}", BATCH_FILE)
        write_table_atomic(rows_to_table("findings", finding_rows(group)), path)
        written.append(path)
    for stale in glob.glob(os.path.join(out_dir, "findings", "fiscal_year=*", BATCH_FILE)):
        if stale not in written:
            os.unlink(stale)
    return written


def run_batch_checks(out_dir: str) -> list[Finding]:
    """Read the output folder a group of related documents at a time, run the batch checks, write their findings."""
    with collected_after():
        return _run_batch_checks(out_dir)


def _run_batch_checks(out_dir: str) -> list[Finding]:
    infos, gens = read_document_index(out_dir)
    names = class_names_of(load_catalogue().names)
    findings: list[Finding] = []
    for group in batch_groups(infos, organization_texts(out_dir, infos, gens)):
        docs = [BatchDoc(i, read_items(out_dir, i, gens[i.doc_id]), read_sections(out_dir, i, gens[i.doc_id]) if _reads_text(i, group) else ())
                for i in group]
        findings += check_batch(docs, names)
    write_batch_findings(out_dir, findings, {i.doc_id: i.fiscal_year for i in infos})
    return findings
