"""Reading the output: one package for every reader of an output folder.

    datasets.py  the one Parquet reader (`read_dataset`), used by everything below,
                 the report re-renderer and the batch checks
    loader.py    `disclosure_etl.load(DIR)`: pandas / polars / DuckDB
    figures.py   `load(DIR).figures`: amounts with their document, one document per scope
    panel.py     `load(DIR).panel` and the DuckDB panel views: a department year by year
    table.py     `load(DIR).table(doc, table_id)`: a table rebuilt as printed
    export.py    `disclosure-etl export`: Excel and CSV

Importing this package is cheap (pyarrow only); pandas is imported by `load`.
"""

from __future__ import annotations

from typing import Any


def load(out_dir: str = "output", amounts: str = "decimal") -> Any:
    """Open an output folder written by `disclosure-etl extract` (see read/loader.py)."""
    from .loader import load as _load

    return _load(out_dir, amounts)


__all__ = ["load"]
