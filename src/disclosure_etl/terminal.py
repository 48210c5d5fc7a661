"""`disclosure-etl check`: one document's tables and findings, printed for a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .records import DocumentResult

_STYLE = {"error": "red", "warning": "yellow", "rounding": "dim", "info": "dim"}


def print_check(result: DocumentResult, console: Console | None = None) -> None:
    if console is None:
        probe = Console()
        # Piped output is not wrapped at 80 columns: long Chinese titles stay whole.
        console = probe if probe.is_terminal else Console(width=200)
    info = result.info
    console.print(f"[bold]{info.file_name}[/bold] — {info.department} · {info.fiscal_year or '?'} · {info.doc_type.value} · {info.n_pages} pages · status [bold]{result.status.value}[/bold]")
    for e in result.errors:
        console.print(f"[red]{e.code}[/red]: {e.message}", highlight=False)
    tables = Table(title="Tables", show_lines=False)
    for col in ("目录", "title as printed", "table_id", "pages", "unit", "amounts"):
        tables.add_column(col)
    for t in result.tables:
        tables.add_row(str(t.toc_no or ""), t.title, t.table_id.value if t.table_id else "—", f"{t.first_page}–{t.last_page}",
                       t.unit.value if t.unit else "", "empty" if t.is_empty else str(t.n_amounts))
    console.print(tables)
    findings = Table(title=f"Findings ({len(result.findings)})")
    for col in ("severity", "rule", "pages", "what"):
        findings.add_column(col, overflow="fold")
    for f in sorted(result.findings, key=lambda f: (["error", "warning", "rounding", "info"].index(f.severity.value), f.pages)):
        findings.add_row(f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]", f.rule_id, ",".join(map(str, f.pages)), f.message)
    console.print(findings)
