"""`disclosure_etl.load(DIR)`: an output folder as pandas, polars or DuckDB.

    import disclosure_etl
    out = disclosure_etl.load("output")
    out.figures               # every printed amount with its document; one document per scope
    out.left_out              # the documents `figures` leaves out, and why
    out.panel                 # a department's figures year by year
    out.table(doc, "expenditure_summary")   # one table as printed
    out.line_items            # the raw dataset: exact Decimal amounts; load("output", amounts="float") for floats
    out.to_polars().findings  # polars
    out.duckdb().sql("select * from line_items")
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import pyarrow as pa

from ..catalogue import load_vocabulary
from .datasets import DATASETS, has_output, read_dataset
from .figures import figures_frame, find_left_out, left_out_frame, organization_texts
from .panel import create_panel_views, panel_frame
from .table import rebuild_table


class OutputNotFound(FileNotFoundError):
    """The folder does not exist, or holds no output of `disclosure-etl extract`."""


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
            raise OutputNotFound(f"no output folder at {self.out_dir}")

    def frame(self, name: str) -> pd.DataFrame:
        """One dataset as pandas (`fiscal_year` from the partition folders), English labels added."""
        if name not in self._cache:
            self._cache[name] = self._to_pandas(read_dataset(self.out_dir, name, with_year=True), decimal=self.amounts == "decimal")
        return self._cache[name]

    @staticmethod
    def _to_pandas(table: pa.Table, decimal: bool) -> pd.DataFrame:
        df = table.to_pandas()
        if not decimal:
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

    @cached_property
    def _exact_items(self) -> pd.DataFrame:
        """line_items with Decimal amounts whatever `amounts` says (figures and panel sum them exactly)."""
        if self.amounts == "decimal":
            return self.line_items
        return self._to_pandas(read_dataset(self.out_dir, "line_items", with_year=True), decimal=True)

    @cached_property
    def left_out(self) -> pd.DataFrame:
        """Documents whose figures `figures` leaves out: doc_id, file_name, …, reason, detail, kept_doc_id."""
        docs = self.documents
        left = find_left_out(docs.to_dict("records"), organization_texts(self.sections))
        return left_out_frame(docs, left)

    @cached_property
    def figures(self) -> pd.DataFrame:
        """Every printed amount joined with its document (department, entity, region, year, type, unit),
        one document per scope: summing it never counts the same money twice (see `left_out`).
        `amount_yuan` is float64, `amount_yuan_exact` the exact Decimal."""
        frame = figures_frame(self.documents, self._exact_items, self.left_out)
        frame.attrs["left_out"] = self.left_out
        return frame

    @cached_property
    def panel(self) -> pd.DataFrame:
        """A department's figures year by year: one row per figure, one column of yuan per year present."""
        return panel_frame(self.documents, self._exact_items)

    def doc_id(self, doc: str) -> str:
        """The doc_id of a document named by its doc_id, a prefix of it, or its file name."""
        docs = self.documents
        hits = docs[(docs["doc_id"] == doc) | (docs["file_name"] == doc)]
        if hits.empty and len(doc) >= 6:
            hits = docs[docs["doc_id"].str.startswith(doc)]
        if len(hits) != 1:
            raise KeyError(f"{doc!r} names {len(hits)} documents in {self.out_dir}; give a doc_id or a file name")
        return str(hits["doc_id"].iloc[0])

    def table(self, doc: str, table_id: str, exact: bool = False) -> pd.DataFrame:
        """One table of one document rebuilt as printed (read/table.py); `doc` is a doc_id or a file name."""
        doc_id = self.doc_id(doc)
        items = self._exact_items
        rows = items[(items["doc_id"] == doc_id) & (items["table_id"] == table_id)]
        if rows.empty:
            known = sorted(set(items.loc[items["doc_id"] == doc_id, "table_id"]))
            raise KeyError(f"no table {table_id!r} with amounts in {doc}; it has: {', '.join(known) or 'none'}")
        frame = rebuild_table(rows, exact=exact)
        frame.attrs.update(doc_id=doc_id, table_id=table_id)
        return frame

    def to_excel(self, path: str) -> str:
        """Write an .xlsx workbook: documents, findings, and one sheet per table (read/export.py)."""
        from .export import export_xlsx

        return export_xlsx(self, path)

    def to_csv(self, folder: str) -> list[str]:
        """Write documents.csv, findings.csv and one CSV per table into `folder` (read/export.py)."""
        from .export import export_csv

        return export_csv(self, folder)

    def to_polars(self) -> Any:
        """The same datasets as polars DataFrames (attributes of the returned object)."""
        import polars as pl

        frames = {name: pl.from_arrow(read_dataset(self.out_dir, name, with_year=True)) for name in DATASETS}
        return _Namespace(frames)

    def duckdb(self) -> Any:
        """An in-memory DuckDB connection: one view per dataset, and the views `panel_long` and `panel`."""
        import duckdb

        con = duckdb.connect()
        for name in DATASETS:
            con.register(name, read_dataset(self.out_dir, name, with_year=True))
        if has_output(self.out_dir):  # the views read the files themselves; DuckDB refuses an empty glob
            create_panel_views(con, self.out_dir)
        return con

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Documents with their finding counts by severity (`n_error` …) and kind (`n_extraction`)."""
        own = self.findings[self.findings["scope"] == "document"]  # batch findings name two documents
        counts = pd.crosstab(own["doc_id"], own["severity"])
        counts = counts.reindex(columns=["error", "warning", "rounding", "info"], fill_value=0).add_prefix("n_")
        counts["n_extraction"] = (own["kind"] == "extraction").groupby(own["doc_id"]).sum()
        if counts.empty:  # pandas cannot merge on two empty Arrow-backed keys (an output with no findings yet)
            return self.documents.assign(**dict.fromkeys(counts.columns, 0))
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
