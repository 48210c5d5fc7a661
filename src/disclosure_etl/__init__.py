"""disclosure-etl: Chinese government budget disclosures -> canonical Parquet."""

__version__ = "0.2.0"


def load(out_dir: str = "output", amounts: str = "decimal"):  # type: ignore[no-untyped-def]
    """Open an output folder: `.figures`, `.panel`, `.table(doc, table_id)`, `.documents`, `.line_items`, `.findings` …
    as pandas; `.to_polars()`, `.duckdb()`, `.to_excel(path)` (disclosure_etl/read/loader.py)."""
    from .read.loader import load as _load

    return _load(out_dir, amounts)


__all__ = ["__version__", "load"]
