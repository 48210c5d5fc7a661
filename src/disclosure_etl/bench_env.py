"""The benchmark's view of the machine: peak memory of a process, what it runs on, work in a fresh interpreter."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from multiprocessing import get_context
from typing import TypeVar

from .settings import usable_cores

T = TypeVar("T")


def in_fresh_process(job: Callable[..., T], *args: object) -> T:
    """`job(*args)` in a new interpreter ("spawn"): a forked child would start with this process's memory counted."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(job, *args).result()


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM on Linux, ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    # ru_maxrss is in bytes on macOS and in KiB on Linux and the BSDs.
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def machine_info() -> dict[str, object]:
    """Enough about the machine and the libraries to tell two runs' conditions apart."""
    return {
        "cpu_count": os.cpu_count(), "cpus_usable": usable_cores(), "cpu_model": _cpu_model(),
        "platform": platform.platform(), "machine": platform.machine(),
        "python": platform.python_version(), "implementation": platform.python_implementation(),
        "versions": {name: _version(name) for name in ("disclosure-etl", "pdfplumber", "camelot-py", "pypdfium2", "pyarrow")},
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"
