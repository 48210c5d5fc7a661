"""disclosure-etl: Chinese government budget disclosures -> canonical Parquet."""

__version__ = "0.1.0"
