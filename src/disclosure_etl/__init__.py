"""disclosure-etl: Chinese government budget disclosures -> canonical Parquet."""

__version__ = "0.2.0"


def load(out_dir: str = "output", amounts: str = "decimal"):  # type: ignore[no-untyped-def]
    """Open an output folder: `.documents`, `.line_items`, `.findings` … as pandas; `.to_polars()`, `.duckdb()`."""
    from .loading import load as _load

    return _load(out_dir, amounts)


__all__ = ["__version__", "load"]
