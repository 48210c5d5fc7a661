"""The panel: every printed figure of a department, year after year, side by side (DuckDB views).

`panel_long_sql` joins `line_items` with `documents` and keys each figure by
entity, document type, year, table, row and column; `panel_sql` pivots it to
one amount column per fiscal year. `create_panel_views` creates both views in
a DuckDB connection over the Parquet files of an output folder. docs/panel.md
describes the columns.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from typing import Any

# Rows without a subject code are keyed by their label without its numbering:
# '一、一般公共服务支出' and '三、一般公共服务支出' are one row (a unit numbers only its 类).
_LABEL_KEY = r"regexp_replace(regexp_replace(li.row_label, '\s+', '', 'g'), '^([一二三四五六七八九十]+[、.．]|[0-9]+[.、．]|[（(][^）)]*[）)]|其中[:：]?)+', '')"
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
