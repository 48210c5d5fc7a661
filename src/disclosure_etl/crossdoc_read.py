"""I/O: what the batch checks read back from the output folder, a document at a time.

The checks run over the whole output, which may hold a province's documents
over several years. Only the `documents` rows are read for all of them (a
few columns: who, which year, which type). A document's line items and
sections are read from its own files (one per dataset, at a path its doc_id
and year give), with only the columns the checks use, and only for the
documents some batch rule can relate to another — so memory is bounded by
the largest group of related documents, not by the output.

Each file is read on its own (projection, then the filter in Python): over
3,000 small files a pyarrow dataset scan and a DuckDB `read_parquet` both
left the process ~200 MB larger (their readers and buffer pools), one file
at a time ~13 MB, and faster.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .read.datasets import GENERATION_KEY
from .records import BBox, DocType, DocumentInfo, LineItem, Section, Side, SubjectLevel, TableKind, Unit
from .write.dataset import UNKNOWN_YEAR, doc_file
from .write.schema import arrow_schema

READY = ("ok", "partial")
INFO_COLUMNS = ["doc_id", "source", "file_name", "department", "fiscal_year", "doc_type", "n_pages", "entity_id",
                "entity_name", "entity_code", "province", "city", "district", "status"]
ITEM_COLUMNS = ["doc_id", "table_id", "page", "x0", "top", "x1", "bottom", "row_index", "subject_code", "subject_level",
                "parent_code", "subject_name", "row_label", "side", "column_key", "column_label", "phase", "amount_yuan",
                "amount_text", "unit", "department_code", "source", "confidence"]
SECTION_COLUMNS = ["key", "heading", "text", "first_page", "last_page", "level", "page_marks"]


def read_document_index(out_dir: str) -> tuple[list[DocumentInfo], dict[str, str]]:
    """Every document of the output that was read (status ok or partial), as `DocumentInfo`, in file order,
    and each one's committed generation (write/dataset.py; '' for files written before generations)."""
    infos: list[DocumentInfo] = []
    generations: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(out_dir, "documents", "*.parquet"))):
        part = pq.ParquetFile(path)
        generation = (part.schema_arrow.metadata or {}).get(GENERATION_KEY, b"").decode()
        for r in _read_file(part, "documents", INFO_COLUMNS).to_pylist():
            if r["status"] in READY:
                infos.append(_info(r))
                generations[r["doc_id"]] = generation
    return infos, generations


def read_items(out_dir: str, info: DocumentInfo, generation: str = "") -> tuple[LineItem, ...]:
    """The document's line items (from its own file of that generation)."""
    table = _read_part(out_dir, "line_items", info, generation, ITEM_COLUMNS)
    if table is None:
        return ()
    # Column by column, not a dict per row (`to_pylist`): reading items back took half the batch checks.
    columns = table.to_pydict()
    return tuple(_item(r) for r in zip(*(columns[c] for c in ITEM_COLUMNS)))


def read_sections(out_dir: str, info: DocumentInfo, generation: str = "", keys: Iterable[str] | None = None) -> tuple[Section, ...]:
    """The document's narrative sections, only those with one of `keys` when given."""
    table = _read_part(out_dir, "sections", info, generation, SECTION_COLUMNS)
    if table is None:
        return ()
    if keys is not None:
        table = table.filter(pc.field("key").isin(list(keys)))
    return tuple(_section(r) for r in table.to_pylist())


def _read_part(out_dir: str, name: str, info: DocumentInfo, generation: str, columns: Sequence[str]) -> pa.Table | None:
    """Columns of a document's file of dataset `name`, under today's schema (a column an older file lacks is null)."""
    file = doc_file(info.doc_id, generation)
    path = os.path.join(out_dir, name, f"fiscal_year={info.fiscal_year or UNKNOWN_YEAR}", file)
    if not os.path.exists(path):
        found = glob.glob(os.path.join(out_dir, name, "fiscal_year=*", file))
        if not found:
            return None
        path = found[0]
    return _read_file(pq.ParquetFile(path), name, columns)


def _read_file(part: pq.ParquetFile, name: str, columns: Sequence[str]) -> pa.Table:
    present = set(part.schema_arrow.names)
    # One document's file is a few thousand rows at most: handing its columns to Arrow's thread
    # pool costs more than decoding them (0.073 s against 0.118 s over the corpus's 14 item files).
    table = part.read(columns=[c for c in columns if c in present], use_threads=False)
    schema = arrow_schema(name)
    for c in columns:
        if c not in present:
            table = table.append_column(schema.field(c), pa.nulls(table.num_rows, schema.field(c).type))
    return table.select(list(columns))


def _info(r: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        r["doc_id"], r["source"], r["file_name"], r["department"] or "", r["fiscal_year"], DocType(r["doc_type"] or "unknown"),
        r["n_pages"] or 0, r["entity_id"] or "", r["entity_name"] or "", r["entity_code"], r["province"], r["city"], r["district"],
    )


def _item(r: tuple[Any, ...]) -> LineItem:
    """One row of ITEM_COLUMNS, its values in that order."""
    (doc_id, table_id, page, x0, top, x1, bottom, row_index, subject_code, subject_level, parent_code, subject_name,
     row_label, side, column_key, column_label, phase, amount_yuan, amount_text, unit, department_code, source, confidence) = r
    return LineItem(
        doc_id, _TABLES.get(table_id) or TableKind(table_id), page, BBox(x0 or 0.0, top or 0.0, x1 or 0.0, bottom or 0.0),
        row_index, subject_code, (_LEVELS.get(subject_level) or SubjectLevel(subject_level)) if subject_level else None, parent_code,
        subject_name, row_label or "", (_SIDES.get(side) or Side(side)) if side else None, column_key, column_label or "",
        phase, amount_yuan, amount_text, _UNITS.get(unit) or Unit(unit), department_code, source, confidence,
    )


# Members by value: calling an Enum costs a microsecond, and a batch reads every item back
# (an unknown value still goes through the call, which says what is wrong).
_TABLES = {k.value: k for k in TableKind}
_LEVELS = {k.value: k for k in SubjectLevel}
_SIDES = {k.value: k for k in Side}
_UNITS = {k.value: k for k in Unit}


def _section(r: dict[str, Any]) -> Section:
    first, last = r["first_page"], r["last_page"]
    pages = tuple(range(first, last + 1)) if first and last else ()
    marks = tuple((m["offset"], m["page"]) for m in r["page_marks"] or ())
    return Section(r["key"], r["heading"] or "", r["text"] or "", pages, r["level"] if r["level"] is not None else 1, marks)
