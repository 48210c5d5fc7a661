"""I/O: the one reader of an output folder's Parquet datasets.

Every reader of the output goes through `read_dataset`: the loading helpers,
the report re-renderer, the batch checks and the export. Files are read under
today's schema (write/schema.py), so a column an older file lacks reads as null.

Only committed files are read: a document's files are a generation
(`<doc>-<gen>.parquet`) that its `documents` file names (write/dataset.py); a
generation no `documents` file names — written by a run killed in a commit —
is not part of the output.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..write.schema import SCHEMAS, arrow_schema

DATASETS = tuple(SCHEMAS)
YEAR_FIELD = pa.field("fiscal_year", pa.int16())
GENERATION_KEY = b"disclosure_etl.generation"
"""Parquet metadata of a `documents` file: the generation of the document's other files."""
DOC_FILE = re.compile(r"^([0-9a-f]{24})(?:-([0-9a-f]{12}))?\.parquet$")


def dataset_files(out_dir: str, name: str) -> list[str]:
    """The committed Parquet files of one dataset, in a stable order (and files that are
    no document's, such as the batch findings)."""
    paths = sorted(glob.glob(os.path.join(out_dir, name, "**", "*.parquet"), recursive=True))
    if name == "documents":
        return paths
    committed = committed_generations(out_dir)
    return [p for p in paths if is_committed(os.path.basename(p), committed)]


def committed_generations(out_dir: str) -> dict[str, str]:
    """Document key -> its committed generation ('' for files written before generations)."""
    found = {}
    for path in glob.glob(os.path.join(out_dir, "documents", "*.parquet")):
        m = DOC_FILE.match(os.path.basename(path))
        if m and not m.group(2):
            found[m.group(1)] = (pq.read_schema(path).metadata or {}).get(GENERATION_KEY, b"").decode()
    return found


def is_committed(file_name: str, committed: dict[str, str]) -> bool:
    """A dataset file of the generation its document's `documents` file names (or no document's file)."""
    m = DOC_FILE.match(file_name)
    if m is None:
        return True
    return committed.get(m.group(1)) == (m.group(2) or "")


def has_output(out_dir: str) -> bool:
    """True when `out_dir` holds at least one committed document."""
    return bool(dataset_files(out_dir, "documents"))


def read_dataset(out_dir: str, name: str, columns: Sequence[str] | None = None, with_year: bool = False) -> pa.Table:
    """One dataset as an Arrow table under today's schema.

    `with_year` adds `fiscal_year` (int16) from the partition folders of the
    partitioned datasets (every one but `documents`, which has its own column)."""
    files = dataset_files(out_dir, name)
    schema = arrow_schema(name)
    partitioned = with_year and name != "documents"
    if partitioned:
        schema = schema.append(YEAR_FIELD)
    if not files:
        table = schema.empty_table()
        return table.select(list(columns)) if columns else table
    part = ds.partitioning(pa.schema([YEAR_FIELD]), flavor="hive") if partitioned else None
    dataset = ds.dataset(files, schema=schema, format="parquet", partitioning=part, partition_base_dir=os.path.join(out_dir, name))
    return dataset.to_table(columns=list(columns) if columns else None)
