"""The benchmark's records and how they are shown: JSON for the record, a plain table for people.

Only ratios between engines timed in the same process and the same run mean
anything (machines are shared and noisy); absolute pages/s are context.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from .stageclock import STAGES

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
    per_file_s: tuple[tuple[str, float], ...] = ()
    """Seconds spent on each file (ours: from the document's start to its commit)."""
    stages_s: tuple[tuple[str, float], ...] = ()
    """Ours only: exclusive seconds per pipeline stage (stageclock.STAGES)."""


@dataclass(frozen=True, slots=True)
class EngineResult:
    """Every timed pass of one engine over all files; `work` is the best pass's."""

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
        out: dict[str, object] = {
            "runs_s": [round(s, 4) for s in self.runs_s], "best_s": round(self.best_s, 4),
            "pages": self.pages, "pages_per_s": round(self.pages_per_s, 3),
            "work": self.work.count, "work_unit": self.work.unit,
            "failed": [{"file": f, "error": m} for f, m in self.work.failed],
        }
        if self.work.stages_s:
            out["stages_s"] = {name: round(s, 4) for name, s in self.work.stages_s}
        return out


@dataclass(frozen=True, slots=True)
class OcrBench:
    """Image-only pages through OCR: reading only the grid's cells against page-wide text detection."""

    file: str
    pages: int
    cells_s: float
    """Best seconds of the whole pipeline on the file, cells recognised inside the grids (the default)."""
    page_wide_s: float
    """Best seconds with text detection over the whole page (the reference)."""
    cells_accuracy: float
    page_wide_accuracy: float
    """The file's printed amounts read right (table, page, code, column, amount): |truth ∩ read| / |truth ∪ read|."""
    cells_peak_rss_mb: float
    page_wide_peak_rss_mb: float
    repeats: int = 1
    """Passes of each way, each in a fresh process: best time, lowest accuracy, highest peak RSS kept."""

    @property
    def speedup(self) -> float:
        return self.page_wide_s / self.cells_s if self.cells_s > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file, "pages": self.pages, "cells_s": round(self.cells_s, 3), "page_wide_s": round(self.page_wide_s, 3),
            "cells_pages_per_s": round(self.pages / self.cells_s, 3) if self.cells_s else 0.0,
            "page_wide_pages_per_s": round(self.pages / self.page_wide_s, 3) if self.page_wide_s else 0.0,
            "speedup": round(self.speedup, 3), "cells_accuracy": round(self.cells_accuracy, 4),
            "page_wide_accuracy": round(self.page_wide_accuracy, 4),
            "peak_rss_mb": {"cells": round(self.cells_peak_rss_mb, 1), "page_wide": round(self.page_wide_peak_rss_mb, 1)},
            "repeats": self.repeats,
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
    ocr: OcrBench | None = None
    extra: dict[str, object] = field(default_factory=dict)
    """Further sections (the scaling runs), stored as given."""

    @property
    def pages(self) -> int:
        return sum(n for _, n in self.files)

    @property
    def ours(self) -> EngineResult:
        return next(r for r in self.results if r.engine is BenchEngine.OURS)

    @property
    def ratios(self) -> dict[str, float]:
        """'ours/<engine>' -> our pages/s ÷ the engine's pages/s (the speed-up)."""
        ours = self.ours
        return {
            f"ours/{r.engine.value}": round(ours.pages_per_s / r.pages_per_s, 4)
            for r in self.results
            # An engine that read no page (it failed on every file) has no ratio rather than a misleading 0.
            if r.engine is not BenchEngine.OURS and ours.pages_per_s > 0 and r.pages_per_s > 0
        }

    def families(self) -> list[dict[str, object]]:
        """Per folder of input files: pages, and seconds of each engine that read every file of it."""
        pages: dict[str, int] = {}
        for path, n in self.files:
            pages[family_of(path)] = pages.get(family_of(path), 0) + n
        out = []
        for fam, n in pages.items():
            row: dict[str, object] = {"family": fam, "pages": n}
            for r in self.results:
                times = {family_of(p): 0.0 for p, _ in self.files}
                for path, s in r.work.per_file_s:
                    times[family_of(path)] += s
                failed = {family_of(p) for p, _ in r.work.failed}
                if r.work.per_file_s and fam not in failed:
                    row[f"{r.engine.value}_s"] = round(times[fam], 4)
            ours, plumber = row.get("ours_s"), row.get("pdfplumber_s")
            if isinstance(ours, float) and isinstance(plumber, float) and ours > 0:
                row["ours/pdfplumber"] = round(plumber / ours, 3)
            out.append(row)
        return out

    def to_json(self) -> str:
        data: dict[str, object] = {
            "created_utc": self.created_utc, "repeats": self.repeats, "pages": self.pages,
            "files": [{"path": p, "pages": n} for p, n in self.files],
            "engines": {r.engine.value: r.to_dict() for r in self.results},
            "ratios": self.ratios, "ratio_meaning": RATIO_MEANING, "families": self.families(),
            "peak_rss_mb": {"ours": round(self.peak_rss_mb, 1)}, "machine": self.machine,
        }
        if self.ocr is not None:
            data["ocr"] = self.ocr.to_dict()
        data.update(self.extra)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def to_table(self) -> str:
        """A plain-text report for the terminal or the README."""
        head = f"{len(self.files)} file(s), {self.pages} pages, best of {self.repeats} passes, {self.created_utc}"
        rows = [("engine", "passes", "best s", "pages/s", "ours/engine", "work", "failed files")]
        ratios = self.ratios
        for r in self.results:
            ratio = "1.00" if r.engine is BenchEngine.OURS else _fmt(ratios.get(f"ours/{r.engine.value}"))
            rows.append((r.engine.value, str(len(r.runs_s)), f"{r.best_s:.3f}", f"{r.pages_per_s:.2f}", ratio,
                         f"{r.work.count} {r.work.unit}", str(len(r.work.failed))))
        m = self.machine
        parts = [head, "", *_grid(rows), "", f"ours/engine: {RATIO_MEANING}"]
        parts += ["", *self._families_table(), "", *self._stages_table()]
        if self.ocr is not None:
            parts += ["", *_ocr_lines(self.ocr, self.ours)]
        parts += _extra_lines(self.extra)
        parts += [
            "", f"peak RSS of ours (fresh process): {self.peak_rss_mb:.1f} MB",
            f"machine: {m.get('platform')}, {m.get('cpu_count')} CPUs ({m.get('cpu_model')}), Python {m.get('python')}",
        ]
        return "\n".join(parts) + "\n"

    def _families_table(self) -> list[str]:
        rows = [("family", "pages", "ours s", "pdfplumber s", "ours/pdfplumber")]
        for fam in self.families():
            ours, plumber = fam.get("ours_s"), fam.get("pdfplumber_s")
            rows.append((str(fam["family"]), str(fam["pages"]), _fmt(ours, 3), _fmt(plumber, 3), _fmt(fam.get("ours/pdfplumber"))))
        return _grid(rows)

    def _stages_table(self) -> list[str]:
        stages = dict(self.ours.work.stages_s)
        if not stages:
            return []
        total = self.ours.best_s
        rows = [("stage (ours, best pass)", "s", "share")]
        for name in (*STAGES, *(s for s in stages if s not in STAGES)):
            if name in stages:
                rows.append((name, f"{stages[name]:.3f}", f"{stages[name] / total:.0%}" if total else "n/a"))
        rest = total - sum(stages.values())
        rows.append(("other (planning, hashing)", f"{rest:.3f}", f"{rest / total:.0%}" if total else "n/a"))
        return _grid(rows)


def _ocr_lines(ocr: OcrBench, ours: EngineResult) -> list[str]:
    d = ocr.to_dict()
    rows = [
        ("OCR (image-only pages)", f"best of {ocr.repeats}, s", "pages/s", "accuracy", "peak RSS MB"),
        ("cells in grids (ours)", f"{ocr.cells_s:.3f}", f"{d['cells_pages_per_s']:.2f}", f"{ocr.cells_accuracy:.4f}", f"{ocr.cells_peak_rss_mb:.1f}"),
        ("page-wide detection", f"{ocr.page_wide_s:.3f}", f"{d['page_wide_pages_per_s']:.2f}", f"{ocr.page_wide_accuracy:.4f}",
         f"{ocr.page_wide_peak_rss_mb:.1f}"),
    ]
    return [
        f"{os.path.basename(ocr.file)}, {ocr.pages} pages:", *_grid(rows),
        f"cells / page-wide: {ocr.speedup:.2f}× faster; text layer (ours above): {ours.pages_per_s:.2f} pages/s",
    ]


def _extra_lines(extra: dict[str, object]) -> list[str]:
    lines: list[str] = []
    scaling = extra.get("scaling")
    if isinstance(scaling, dict):
        small, large, par = (scaling.get(k) or {} for k in ("batch_20", "batch_200", "parallel"))
        lines += ["", f"batch of 20 → 200 documents, one worker: peak RSS {small.get('peak_rss_mb')} → {large.get('peak_rss_mb')} MB "
                  f"(× {scaling.get('rss_growth')}); {par.get('documents')} documents on {par.get('workers')} workers: "
                  f"{par.get('speedup')}× one worker"]
    checks = extra.get("batch_checks")
    if isinstance(checks, dict):
        rows = [("batch checks over an output of", f"best of {checks.get('repeats', 1)}, s", "peak RSS MB", "findings")]
        for run in checks.get("runs", []):
            rows.append((f"{run['documents']} documents", f"{run['seconds']:.2f}", f"{run['peak_rss_mb']:.1f}", str(run["findings"])))
        lines += ["", *_grid(rows), f"time {checks.get('time_ratio')}× for {checks.get('size_ratio')}× the documents "
                  f"(copies of the {checks.get('base_documents')} documents above, re-identified)"]
    return lines


def family_of(path: str) -> str:
    """The folder a file sits in: the corpus keeps one producer family per folder."""
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or "."


def _grid(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _fmt(value: object, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "n/a"
