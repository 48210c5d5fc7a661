"""I/O: the one reader of an output folder's Parquet datasets.

Every reader of the output goes through `read_dataset`: the loading helpers,
the report re-renderer, the batch checks and the export. Files are read under
today's schema (write/schema.py), so a column an older file lacks reads as null.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.dataset as ds

from ..write.schema import SCHEMAS, arrow_schema

DATASETS = tuple(SCHEMAS)
YEAR_FIELD = pa.field("fiscal_year", pa.int16())


def dataset_files(out_dir: str, name: str) -> list[str]:
    """The Parquet files of one dataset, in a stable order."""
    return sorted(glob.glob(os.path.join(out_dir, name, "**", "*.parquet"), recursive=True))


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
