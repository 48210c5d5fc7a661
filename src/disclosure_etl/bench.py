"""Benchmark: our whole pipeline against generic extractors on the same files, in one run.

Machines are noisy, so only ratios between engines timed in the same process
and the same run mean anything; absolute pages/s are reported for context.
"""

from __future__ import annotations

import ctypes
import enum
import functools
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from multiprocessing import get_context

from .batch import BatchSettings, run_batch
from .errors import SourceError
from .pipeline import iter_pdf_paths
from .records import Status
from .write.atomic import write_text_atomic

RATIO_MEANING = "our pages/s ÷ the engine's pages/s; above 1 means ours is faster"


class BenchEngine(str, enum.Enum):
    """What is timed: our whole pipeline, or one generic extractor."""

    OURS = "ours"
    PDFPLUMBER = "pdfplumber"
    CAMELOT = "camelot"
    PDFIUM_CHARS = "pdfium_chars"


@dataclass(frozen=True, slots=True)
class Work:
    """What one pass of an engine produced: a count showing it did real work, and the files it failed on."""

    count: int
    unit: str
    failed: tuple[tuple[str, str], ...] = ()
    """(file, message) for each file the engine could not read."""


@dataclass(frozen=True, slots=True)
class EngineResult:
    """Every timed pass of one engine over all files."""

    engine: BenchEngine
    runs_s: tuple[float, ...]
    """Wall-clock seconds of each pass."""
    pages: int
    """Pages of the files the engine read without error."""
    work: Work

    @property
    def best_s(self) -> float:
        return min(self.runs_s)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.best_s if self.best_s > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "runs_s": [round(s, 4) for s in self.runs_s], "best_s": round(self.best_s, 4),
            "pages": self.pages, "pages_per_s": round(self.pages_per_s, 3),
            "work": self.work.count, "work_unit": self.work.unit,
            "failed": [{"file": f, "error": m} for f, m in self.work.failed],
        }


@dataclass(frozen=True, slots=True)
class BenchReport:
    """One benchmark run: timings, ratios to our pipeline, our peak memory, the machine."""

    created_utc: str
    files: tuple[tuple[str, int], ...]
    """(path, pages) of each PDF."""
    repeats: int
    results: tuple[EngineResult, ...]
    peak_rss_mb: float
    """Peak resident memory (MB) of one run of our pipeline in a fresh process."""
    machine: dict[str, object]

    @property
    def pages(self) -> int:
        return sum(n for _, n in self.files)

    @property
    def ratios(self) -> dict[str, float]:
        """'ours/<engine>' -> our pages/s ÷ the engine's pages/s (the speed-up)."""
        ours = next(r for r in self.results if r.engine is BenchEngine.OURS)
        return {
            f"ours/{r.engine.value}": round(ours.pages_per_s / r.pages_per_s, 4)
            for r in self.results
            # An engine that read no page (it failed on every file) has no ratio rather than a misleading 0.
            if r.engine is not BenchEngine.OURS and ours.pages_per_s > 0 and r.pages_per_s > 0
        }

    def to_json(self) -> str:
        data = {
            "created_utc": self.created_utc, "repeats": self.repeats, "pages": self.pages,
            "files": [{"path": p, "pages": n} for p, n in self.files],
            "engines": {r.engine.value: r.to_dict() for r in self.results},
            "ratios": self.ratios, "ratio_meaning": RATIO_MEANING,
            "peak_rss_mb": {"ours": round(self.peak_rss_mb, 1)}, "machine": self.machine,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def to_table(self) -> str:
        """A plain-text table for the terminal or the README."""
        head = f"{len(self.files)} file(s), {self.pages} pages, best of {self.repeats}, {self.created_utc}"
        rows = [("engine", "best s", "pages/s", "ours/engine", "work", "failed files")]
        ratios = self.ratios
        for r in self.results:
            ratio = "1.00" if r.engine is BenchEngine.OURS else _fmt(ratios.get(f"ours/{r.engine.value}"))
            rows.append((r.engine.value, f"{r.best_s:.3f}", f"{r.pages_per_s:.2f}", ratio,
                         f"{r.work.count} {r.work.unit}", str(len(r.work.failed))))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        m = self.machine
        return "\n".join([
            head, "", *lines, "",
            f"ours/engine: {RATIO_MEANING}",
            f"peak RSS of ours (fresh process): {self.peak_rss_mb:.1f} MB",
            f"machine: {m.get('platform')}, {m.get('cpu_count')} CPUs ({m.get('cpu_model')}), Python {m.get('python')}",
        ]) + "\n"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def run_bench(
    paths: list[str],
    out_dir: str,
    repeats: int = 3,
    engines: tuple[str, ...] = ("ours", "pdfplumber", "camelot", "pdfium_chars"),
    now: datetime | None = None,
) -> BenchReport:
    """Time each engine on the PDFs under `paths`, write out_dir/bench/{bench-<UTC>,latest}.json, return the report."""
    chosen = tuple(BenchEngine(e) for e in engines)
    if BenchEngine.OURS not in chosen:
        raise ValueError("engines must include 'ours': every ratio is taken against it")
    if repeats < 1:
        raise ValueError("repeats must be >= 1")
    pdfs = list(iter_pdf_paths(paths))
    if not pdfs:
        raise SourceError(", ".join(paths), "no PDF files found")
    pages = count_pages(pdfs)
    bench_dir = os.path.join(out_dir, "bench")
    os.makedirs(bench_dir, exist_ok=True)
    # Measured first, in its own interpreter, so the baselines' libraries and caches are not counted.
    peak = _peak_rss_mb_of_ours(pdfs, bench_dir)
    runs, work = _time_engines(chosen, pdfs, bench_dir, repeats)
    results = tuple(EngineResult(e, tuple(runs[e]), _pages_read(pages, work[e]), work[e]) for e in chosen)
    created = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    report = BenchReport(created, tuple(pages.items()), repeats, results, peak, machine_info())
    write_bench(report, bench_dir)
    return report


def write_bench(report: BenchReport, bench_dir: str) -> list[str]:
    """Save the report as bench-<UTC>.json and latest.json; each lands whole or not at all."""
    stamp = report.created_utc.replace("-", "").replace(":", "")
    targets = [os.path.join(bench_dir, f"bench-{stamp}.json"), os.path.join(bench_dir, "latest.json")]
    text = report.to_json()
    for target in targets:
        write_text_atomic(text, target)
    return targets


def _pages_read(pages: dict[str, int], work: Work) -> int:
    failed = {f for f, _ in work.failed}
    return sum(n for path, n in pages.items() if path not in failed)


def _time_engines(
    engines: Sequence[BenchEngine], pdfs: list[str], bench_dir: str, repeats: int
) -> tuple[dict[BenchEngine, list[float]], dict[BenchEngine, Work]]:
    """Best-of-N timing; engines take turns within each repeat so a slow spell of the machine hits them all."""
    runs: dict[BenchEngine, list[float]] = {e: [] for e in engines}
    work: dict[BenchEngine, Work] = {}
    for engine in engines:
        # An empty pass imports the engine's libraries before the clock starts; import time is not extraction.
        _in_scratch(bench_dir, functools.partial(RUNNERS[engine], []))
    for _ in range(repeats):
        for engine in engines:
            seconds, work[engine] = _in_scratch(bench_dir, functools.partial(_timed, RUNNERS[engine], pdfs))
            runs[engine].append(seconds)
    return runs, work


def _timed(runner: Callable[[list[str], str], Work], pdfs: list[str], scratch: str) -> tuple[float, Work]:
    start = time.perf_counter()
    work = runner(pdfs, scratch)
    return time.perf_counter() - start, work


def _in_scratch(bench_dir: str, job: Callable[[str], object]):  # type: ignore[no-untyped-def]
    """Run `job` with a fresh folder under bench_dir, removed afterwards."""
    scratch = tempfile.mkdtemp(prefix="tmp-", dir=bench_dir)
    try:
        return job(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ------------------------------------------------------------------ engines


# The baselines are single-threaded, so ours runs on one core too: one worker, in this process.
_ONE_WORKER = BatchSettings(workers=1)


def _run_ours(pdfs: list[str], scratch: str) -> Work:
    """The whole pipeline: extract, normalize, reconcile, write Parquet and the report with page crops."""
    result = run_batch(pdfs, scratch, batch=_ONE_WORKER)
    failed = tuple((s.path, s.errors[0].message if s.errors else "error") for s in result.summaries if s.status is Status.ERROR)
    return Work(len(result.summaries) - len(failed), "documents", failed)


def _run_pdfplumber(pdfs: list[str], scratch: str) -> Work:
    import pdfplumber

    tables = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.close()  # drop the page's cached objects, as a long batch would have to
    return Work(tables, "tables")


def _run_camelot(pdfs: list[str], scratch: str) -> Work:
    import camelot

    tables, failed = 0, []
    for path in pdfs:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "No tables found on page-N" for every narrative page
                tables += camelot.read_pdf(path, pages="all", flavor="lattice").n
        # A baseline failing on a file is a result to report, not a defect of ours; the bench goes on.
        except Exception as exc:  # noqa: BLE001
            failed.append((path, f"{type(exc).__name__}: {exc}"))
    return Work(tables, "tables", tuple(failed))


def _run_pdfium_chars(pdfs: list[str], scratch: str) -> Work:
    """Every character and its box through the raw PDFium calls: the floor any PDFium-based reader pays."""
    import pypdfium2 as pdfium

    chars = 0
    for path in pdfs:
        doc = pdfium.PdfDocument(path)
        try:
            for index in range(len(doc)):
                page = doc[index]
                try:
                    chars += _read_page_chars(page)
                finally:
                    page.close()
        finally:
            doc.close()
    return Work(chars, "chars")


def _read_page_chars(page) -> int:  # type: ignore[no-untyped-def]
    from pypdfium2 import raw

    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        for i in range(count):
            raw.FPDFText_GetUnicode(handle, i)
            raw.FPDFText_GetCharBox(handle, i, *refs)
        return count
    finally:
        textpage.close()


RUNNERS: dict[BenchEngine, Callable[[list[str], str], Work]] = {
    BenchEngine.OURS: _run_ours,
    BenchEngine.PDFPLUMBER: _run_pdfplumber,
    BenchEngine.CAMELOT: _run_camelot,
    BenchEngine.PDFIUM_CHARS: _run_pdfium_chars,
}


def count_pages(pdfs: list[str]) -> dict[str, int]:
    """Pages of each PDF, counted once with PDFium; raises SourceError on an unreadable file."""
    import pypdfium2 as pdfium

    pages: dict[str, int] = {}
    for path in pdfs:
        try:
            doc = pdfium.PdfDocument(path)
        except (pdfium.PdfiumError, FileNotFoundError) as exc:
            raise SourceError(path, f"not a readable PDF ({exc})") from None
        try:
            pages[path] = len(doc)
        finally:
            doc.close()
    return pages


# ------------------------------------------------------------------ memory and machine


def _peak_rss_mb_of_ours(pdfs: list[str], bench_dir: str) -> float:
    # "spawn" gives a fresh interpreter: a forked child would start with this process's memory already counted.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_ours_in_child, pdfs, bench_dir).result()


def _ours_in_child(pdfs: list[str], bench_dir: str) -> float:
    """Runs in the spawned child: one pass of our pipeline, then this process's peak RSS in MB."""
    _in_scratch(bench_dir, lambda scratch: _run_ours(pdfs, scratch))
    return peak_rss_mb()


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
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu_count": os.cpu_count(), "cpus_usable": usable, "cpu_model": _cpu_model(),
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
