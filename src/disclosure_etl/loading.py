"""Kept for `from disclosure_etl.loading import load`; the code lives in `disclosure_etl.read`."""

from .read.datasets import DATASETS, read_dataset
from .read.loader import Output, load

__all__ = ["DATASETS", "Output", "load", "read_dataset"]
