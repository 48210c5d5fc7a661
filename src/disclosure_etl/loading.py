"""Loading helpers: the output folder as pandas, polars or DuckDB.

    import disclosure_etl
    out = disclosure_etl.load("output")
    out.line_items            # pandas, exact Decimal amounts; load("output", amounts="float") for floats
    out.to_polars().findings  # polars
    out.duckdb().sql("select * from line_items")
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from .catalogue import load_vocabulary
from .write.schema import SCHEMAS, arrow_schema

DATASETS = tuple(SCHEMAS)


def _files(out_dir: str, name: str) -> list[str]:
    return sorted(glob.glob(os.path.join(out_dir, name, "**", "*.parquet"), recursive=True))


def read_arrow(out_dir: str, name: str) -> pa.Table:
    """One dataset as an Arrow table; partitioned datasets get `fiscal_year` (int16) from the path."""
    files = _files(out_dir, name)
    schema = arrow_schema(name)
    partitioned = name != "documents"
    if partitioned:
        schema = schema.append(pa.field("fiscal_year", pa.int16()))
    if not files:
        return schema.empty_table()
    part = ds.partitioning(pa.schema([("fiscal_year", pa.int16())]), flavor="hive") if partitioned else None
    dataset = ds.dataset(files, schema=schema, format="parquet", partitioning=part, partition_base_dir=os.path.join(out_dir, name))
    return dataset.to_table()


@dataclass
class Output:
    """The datasets of one output folder, read on first use."""

    out_dir: str
    amounts: str = "decimal"
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.amounts not in ("decimal", "float"):
            raise ValueError("amounts must be 'decimal' or 'float'")
        if not os.path.isdir(self.out_dir):
            raise FileNotFoundError(f"no output folder at {self.out_dir}")

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = self._to_pandas(name, read_arrow(self.out_dir, name))
        return self._cache[name]

    def _to_pandas(self, name: str, table: pa.Table) -> pd.DataFrame:
        df = table.to_pandas()
        if self.amounts == "float":
            for f in table.schema:
                if pa.types.is_decimal(f.type):
                    df[f.name] = df[f.name].astype("float64")
        vocab = load_vocabulary()
        if "table_id" in df:
            df["table_label_en"] = df["table_id"].map(vocab.table_label)
        if "column_key" in df:
            df["column_label_en"] = df["column_key"].map(vocab.column_label)
        return df

    documents = property(lambda self: self.frame("documents"))
    tables = property(lambda self: self.frame("tables"))
    line_items = property(lambda self: self.frame("line_items"))
    performance_targets = property(lambda self: self.frame("performance_targets"))
    sections = property(lambda self: self.frame("sections"))
    findings = property(lambda self: self.frame("findings"))

    def to_polars(self) -> Any:
        """The same datasets as polars DataFrames (attributes of the returned object)."""
        import polars as pl

        frames = {name: pl.from_arrow(read_arrow(self.out_dir, name)) for name in DATASETS}
        return _Namespace(frames)

    def duckdb(self) -> Any:
        """An in-memory DuckDB connection with one view per dataset over the Parquet files."""
        import duckdb

        con = duckdb.connect()
        for name in DATASETS:
            con.register(name, read_arrow(self.out_dir, name))
        return con

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Documents with their finding counts by severity."""
        own = self.findings[self.findings["scope"] == "document"]  # batch findings name two documents
        counts = pd.crosstab(own["doc_id"], own["severity"])
        counts = counts.reindex(columns=["error", "warning", "rounding", "info"], fill_value=0).add_prefix("n_")
        merged = self.documents.merge(counts, left_on="doc_id", right_index=True, how="left")
        cols = list(counts.columns)
        merged[cols] = merged[cols].fillna(0).astype("int64")
        return merged


class _Namespace:
    def __init__(self, frames: dict[str, Any]):
        self.__dict__.update(frames)

    def __repr__(self) -> str:
        return f"<polars datasets: {', '.join(self.__dict__)}>"


def load(out_dir: str = "output", amounts: str = "decimal") -> Output:
    """Open an output folder written by `disclosure-etl extract`."""
    return Output(out_dir, amounts)
