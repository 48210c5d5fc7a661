"""The panel: every printed figure of a department, year after year, side by side.

`panel_long_sql` joins `line_items` with `documents` and keys each figure by
entity, document type, year, table, row and column; `panel_sql` pivots it to
one amount column per fiscal year. `create_panel_views` creates both views in
a DuckDB connection over the Parquet files of an output folder. `panel_frame`
builds the same panel in pandas (`load(DIR).panel`), for whatever years are
present; a test holds the two equal. docs/panel.md describes the columns.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

# Rows without a subject code are keyed by their label without its numbering:
# '一、一般公共服务支出' and '三、一般公共服务支出' are one row (a unit numbers only its 类).
_NUMBERING = r"^([一二三四五六七八九十]+[、.．]|[0-9]+[.、．]|[（(][^）)]*[）)]|其中[:：]?)+"
_LABEL_KEY = rf"regexp_replace(regexp_replace(li.row_label, '\s+', '', 'g'), '{_NUMBERING}', '')"
# DuckDB's (RE2) \s is ASCII whitespace only; pandas must strip the same characters.
_SPACE_RE = re.compile(r"[\t\n\f\r ]+")
_NUMBERING_RE = re.compile(_NUMBERING)
KEY_COLUMNS = ("entity_id", "entity_name", "doc_type", "table_id", "side", "row_key", "subject_code", "column_key", "phase")


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def panel_long_sql(out_dir: str) -> str:
    """SELECT: one row per (document's entity, type, year, table, side, row, column, phase), amounts summed.

    Of two files with the same entity, year and type (a `batch_duplicate`), the first by file name counts."""
    items = _quote(os.path.join(out_dir, "line_items", "**", "*.parquet"))
    docs = _quote(os.path.join(out_dir, "documents", "*.parquet"))
    return f"""
WITH docs AS (
    SELECT doc_id, file_name, entity_id, entity_name, department, doc_type, fiscal_year,
           row_number() OVER (PARTITION BY entity_id, fiscal_year, doc_type ORDER BY file_name, doc_id) AS copy
    FROM read_parquet({docs}, union_by_name = true)
    WHERE entity_id IS NOT NULL AND fiscal_year IS NOT NULL AND status IN ('ok', 'partial')
)
SELECT d.entity_id, d.entity_name, any_value(d.department) AS department, d.doc_type, d.fiscal_year,
       li.table_id, coalesce(li.side, '') AS side, coalesce(li.subject_code, {_LABEL_KEY}) AS row_key,
       li.subject_code, any_value(coalesce(li.subject_name, li.row_label)) AS row_name, li.column_key, li.phase,
       sum(li.amount_yuan) AS amount_yuan, any_value(d.doc_id) AS doc_id, min(li.page) AS page
FROM read_parquet({items}, hive_partitioning = false, union_by_name = true) AS li
JOIN docs AS d ON d.doc_id = li.doc_id AND d.copy = 1
GROUP BY ALL
"""


def years_in(out_dir: str) -> list[int]:
    """Fiscal years with line items in the output (from the partition folders)."""
    found = {int(m.group(1)) for p in glob.glob(os.path.join(out_dir, "line_items", "fiscal_year=*")) if (m := re.search(r"fiscal_year=(\d+)$", p))}
    return sorted(y for y in found if y)


def panel_sql(out_dir: str, years: Sequence[int] | None = None) -> str:
    """SELECT: the panel, one amount column per fiscal year ("2023", "2024", …), keyed by `KEY_COLUMNS`."""
    years = list(years) if years is not None else years_in(out_dir)
    per_year = "".join(f',\n       sum(amount_yuan) FILTER (WHERE fiscal_year = {int(y)}) AS "{int(y)}"' for y in years)
    keys = ", ".join(KEY_COLUMNS)
    return f"SELECT {keys}, any_value(row_name) AS row_name{per_year}\nFROM panel_long\nGROUP BY {keys}\nORDER BY {keys}\n"


def create_panel_views(con: Any, out_dir: str, years: Sequence[int] | None = None) -> None:
    """Create the views `panel_long` and `panel` in a DuckDB connection."""
    con.execute(f"CREATE OR REPLACE VIEW panel_long AS {panel_long_sql(out_dir)}")
    con.execute(f"CREATE OR REPLACE VIEW panel AS {panel_sql(out_dir, years)}")


def row_key(label: object) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出' (the panel's key of a row without a code)."""
    return _NUMBERING_RE.sub("", _SPACE_RE.sub("", label), count=1) if isinstance(label, str) else ""


def _panel_docs(documents: pd.DataFrame) -> pd.DataFrame:
    """Readable documents of a named entity and a year; of duplicates the first by file name."""
    docs = documents[documents["entity_id"].notna() & documents["fiscal_year"].notna() & documents["status"].isin(["ok", "partial"])]
    docs = docs.sort_values(["file_name", "doc_id"]).drop_duplicates(["entity_id", "fiscal_year", "doc_type"])
    return docs[["doc_id", "entity_id", "entity_name", "department", "doc_type", "fiscal_year"]]


def panel_long_frame(documents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """`panel_long` in pandas: one row per document and figure; `items` with Decimal amounts."""
    li = items.drop(columns=[c for c in ("fiscal_year",) if c in items]).merge(_panel_docs(documents), on="doc_id")
    li = li.assign(side=li["side"].fillna(""), row_key=li["subject_code"].fillna(li["row_label"].map(row_key)),
                   row_name=li["subject_name"].fillna(li["row_label"]))
    keys = ["entity_id", "entity_name", "doc_type", "fiscal_year", "table_id", "side", "row_key", "subject_code", "column_key", "phase"]
    grouped = li.groupby(keys, dropna=False, sort=True)
    out = grouped.agg(department=("department", "first"), row_name=("row_name", "first"), doc_id=("doc_id", "first"), page=("page", "min"))
    out["amount_yuan"] = grouped["amount_yuan"].agg(lambda s: sum(s, Decimal(0)))
    return out.reset_index()


def panel_frame(documents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The panel in pandas: one row per figure keyed by `KEY_COLUMNS`, `row_name`, and one float
    column of yuan per fiscal year present ("2024", "2025", …), NaN where that year does not print it."""
    long = panel_long_frame(documents, items)
    keys = list(KEY_COLUMNS)
    if long.empty:
        return pd.DataFrame(columns=[*keys, "row_name"])
    # Null keys (a row without a code) would be dropped by the reshape: hold them as "" meanwhile.
    nullable = [k for k in keys if long[k].isna().any()]
    long = long.assign(**{k: long[k].fillna("") for k in nullable}, year=long["fiscal_year"].astype(int).astype(str))
    names = long.groupby(keys, sort=True)["row_name"].first()
    wide = long.assign(amount=long["amount_yuan"].map(float)).set_index([*keys, "year"])["amount"].unstack("year")
    out = pd.concat([names, wide.reindex(names.index)], axis=1).reset_index()
    out.columns.name = None
    return out.assign(**{k: out[k].replace("", None) for k in nullable})
