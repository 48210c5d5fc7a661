"""The batch: plan → workers (hash, extract) → commit → batch checks → report.

Imports point one way: `run` uses `plan`, `executors`, `commit` and `lock`;
`executors` runs `worker` tasks (through `isolate` on Dask); `one` reads a
single document through `isolate` for `disclosure-etl check`; every module
uses `model`, which uses none of them.
"""

from .model import BatchResult, BatchSettings, DocSummary, Executor
from .run import run_batch

__all__ = ["BatchResult", "BatchSettings", "DocSummary", "Executor", "run_batch"]
