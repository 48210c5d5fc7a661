"""`disclosure-etl check`: one document's tables and findings, printed for a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .display import escape_text
from .records import DocumentResult

_STYLE = {"error": "red", "warning": "yellow", "rounding": "dim", "info": "dim"}


def _safe(text: object) -> str:
    """Text from the document, shown as text: no markup, no terminal escapes."""
    return escape(escape_text(str(text)))


def print_check(result: DocumentResult, console: Console | None = None) -> None:
    if console is None:
        probe = Console()
        # Piped output is not wrapped at 80 columns: long Chinese titles stay whole.
        console = probe if probe.is_terminal else Console(width=200)
    info = result.info
    console.print(f"[bold]{_safe(info.file_name)}[/bold] — {_safe(info.department)} · {info.fiscal_year or '?'} · {info.doc_type.value} · {info.n_pages} pages · status [bold]{result.status.value}[/bold]")
    for e in result.errors:
        console.print(f"[red]{_safe(e.code)}[/red]: {_safe(e.message)}", highlight=False)
    if not result.tables and not result.findings and result.status.value == "error":
        return  # nothing was read: the reason above is all there is
    tables = Table(title="Tables", show_lines=False)
    for col in ("目录", "title as printed", "table_id", "pages", "unit", "amounts"):
        tables.add_column(col)
    for t in result.tables:
        tables.add_row(str(t.toc_no or ""), _safe(t.title), t.table_id.value if t.table_id else "—", f"{t.first_page}–{t.last_page}",
                       t.unit.value if t.unit else "", "empty" if t.is_empty else str(t.n_amounts))
    console.print(tables)
    findings = Table(title=f"Findings ({len(result.findings)})")
    for col in ("severity", "rule", "pages", "what"):
        findings.add_column(col, overflow="fold")
    for f in sorted(result.findings, key=lambda f: (["error", "warning", "rounding", "info"].index(f.severity.value), f.pages)):
        findings.add_row(f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]", f.rule_id, ",".join(map(str, f.pages)), _safe(f.message))
    console.print(findings)


class PageProgress:
    """`check`: pages read by OCR as they are done (a scanned page takes a second or more).

    On a terminal one line is rewritten in place; elsewhere a line every 10 OCR pages
    and at the last. Text pages are quick and are not reported."""

    def __init__(self, name: str, tty: bool, enabled: bool = True, emit: Callable[[str, bool], None] | None = None):
        self.name, self.tty, self.enabled = name, tty, enabled
        self.emit = emit or (lambda text, nl: None)
        self.ocr = 0
        self.started = time.monotonic()
        self._open_line = False

    def __enter__(self) -> PageProgress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._open_line:
            self.emit("", True)

    def update(self, done: int, total: int, source: str) -> None:
        if source != "ocr" or not self.enabled:
            return
        self.ocr += 1
        text = f"{self.name}: page {done}/{total} read by OCR ({self.ocr} so far, {time.monotonic() - self.started:.0f} s)"
        if self.tty:
            self.emit("\r" + text, False)
            self._open_line = True
        elif self.ocr == 1 or self.ocr % 10 == 0 or done == total:
            self.emit(text, True)
