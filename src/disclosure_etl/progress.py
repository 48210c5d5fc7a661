"""Batch progress: a rich progress bar on a terminal, plain log lines elsewhere.

Every line is escaped (`display.escape_text`): file names and messages come
from the input and may hold terminal escape sequences, line breaks or bytes
that are not UTF-8; on the bar, rich markup in them is escaped too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from .display import escape_text

log = logging.getLogger("disclosure_etl")


class BatchProgress:
    """Files and pages done, rate and ETA; degrades to one log line per document."""

    def __init__(self, enabled: bool, quiet: bool = False, emit: Callable[[str], None] | None = None):
        self.enabled = enabled and not quiet
        self.emit = emit or (lambda line: log.warning("%s", line))
        self.quiet = quiet
        self.pages = 0
        self.done = 0
        self.total = 0
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> BatchProgress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[pages]} pages"),
                TextColumn("{task.fields[rate]} pages/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                transient=False,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)

    def start(self, todo: int, skipped: int) -> None:
        self.total = todo
        if self._bar is not None:
            self._task = self._bar.add_task("extract", total=todo, pages=0, rate="-")
        elif not self.quiet:
            self.emit(f"extracting {todo} document(s); {skipped} already extracted")

    def update(self, summary: Any) -> None:
        self.done += 1
        self.pages += summary.n_pages
        rate = self.pages / max(time.monotonic() - self.started, 1e-6)
        lines = [f"{e.code}: {e.message}" for e in summary.errors] + ([f"{summary.path}: {summary.note}"] if summary.note else [])
        for line in lines:
            self._say(escape_text(line), style="red")
        if self._bar is not None:
            self._bar.update(self._task, advance=1, pages=self.pages, rate=f"{rate:.0f}")
        elif not self.quiet:
            self.emit(escape_text(f"[{self.done}/{self.total}] {summary.status.value} {summary.path} ({summary.n_pages} pages, {rate:.0f} pages/s)"))

    def _say(self, line: str, style: str) -> None:
        if self._bar is not None:
            from rich.markup import escape

            self._bar.console.print(f"[{style}]{escape(line)}[/{style}]", markup=True, highlight=False)
        else:
            self.emit(line)
