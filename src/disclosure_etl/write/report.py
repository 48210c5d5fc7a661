"""Pure: render the reconciliation report (HTML for people, Markdown for logs).

`report.html` is the batch index; each document has its own page under
`report/`, with every finding next to a crop of the page around the cells it
concerns. Every string from a document is escaped: PDF text is untrusted input.
No script runs in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ..records import DocumentResult, Finding, Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.ROUNDING, Severity.INFO)
_CSS = """
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:600;padding:0 .4em;border-radius:3px}.error{background:#fde7ea;color:#9b0018}.warning{background:#fff3d6;color:#7a4a00}
.rounding,.info{background:#eef1f4;color:#445}.finding{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.5em 1em}
.finding img{max-width:100%;border:1px solid #ccc;margin-top:.5em}.muted{color:#666}
"""


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One document in the batch index."""

    doc_id: str
    file_name: str
    department: str | None
    status: str
    doc_type: str | None
    fiscal_year: int | None
    n_tables: int | None
    n_line_items: int | None
    severities: dict[str, int]


@dataclass(frozen=True, slots=True)
class CrossRow:
    """A batch finding: one document against another (a unit, last year's, a duplicate)."""

    severity: str
    rule_id: str
    doc_id: str
    file_name: str
    pages: tuple[int, ...]
    other_doc_id: str | None
    other_file_name: str
    other_pages: tuple[int, ...]
    message: str


def doc_page_name(doc_id: str) -> str:
    """File name of a document's page under report/ (from its sha256, never from its text)."""
    return f"{doc_id[:24]}.html"


def crop_name(doc_id: str, finding_index: int) -> str:
    return f"{doc_id[:24]}-{finding_index:04d}.png"


def _yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _counts(findings: Sequence[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width'><title>{escape(title)}</title>"
        f"<style>{_CSS}</style></head><body>{body}</body></html>"
    )


def _doc_link(doc_id: str | None, name: str, pages: tuple[int, ...]) -> str:
    if not doc_id:
        return ""
    where = f" p. {', '.join(map(str, pages))}" if pages else ""
    return f"<a href='report/{doc_page_name(doc_id)}'>{escape(name)}</a>{where}"


def _cross_section(cross: Sequence[CrossRow]) -> str:
    """Findings across documents, above the documents table (docs/checks.md, batch checks)."""
    if not cross:
        return "<h2>Across documents</h2><p>No finding across documents.</p>"
    lines = "".join(
        f"<tr><td><span class='sev {escape(c.severity)}'>{escape(c.severity)}</span></td><td><code>{escape(c.rule_id)}</code></td>"
        f"<td>{_doc_link(c.doc_id, c.file_name, c.pages)}</td><td>{_doc_link(c.other_doc_id, c.other_file_name, c.other_pages)}</td>"
        f"<td>{escape(c.message)}</td></tr>"
        for c in cross
    )
    return (
        f"<h2>Across documents ({len(cross)})</h2><table id='batch-findings'><tr><th>severity</th><th>rule</th>"
        f"<th>document</th><th>against</th><th>what</th></tr>{lines}</table>"
    )


def render_index(rows: Sequence[IndexRow], cross: Sequence[CrossRow] = ()) -> str:
    total = sum(sum(r.severities.values()) for r in rows) + len(cross)
    by_sev = Counter({s.value: sum(r.severities.get(s.value, 0) for r in rows) for s in SEVERITIES})
    by_sev.update(c.severity for c in cross)
    summary = ", ".join(f"{by_sev[s.value]} {s.value}" for s in SEVERITIES)
    head = "".join(f"<th>{s.value}</th>" for s in SEVERITIES)
    lines = []
    for r in sorted(rows, key=lambda r: (-r.severities.get("error", 0), r.file_name)):
        cells = "".join(f"<td class='num'>{r.severities.get(s.value, 0)}</td>" for s in SEVERITIES)
        lines.append(
            f"<tr><td><a href='report/{doc_page_name(r.doc_id)}'>{escape(r.file_name)}</a></td>"
            f"<td>{escape(r.department or '')}</td><td>{escape(r.status)}</td><td>{escape(r.doc_type or '')}</td>"
            f"<td>{r.fiscal_year or ''}</td><td class='num'>{r.n_tables or 0}</td><td class='num'>{r.n_line_items or 0}</td>{cells}</tr>"
        )
    body = (
        "<h1>Reconciliation report</h1>"
        f"<p>{len(rows)} document(s), <span id='finding-count'>{total}</span> finding(s): {summary}.</p>"
        f"{_cross_section(cross)}<h2>Documents</h2><table id='documents'><tr><th>file</th><th>department</th><th>status</th><th>type</th><th>year</th>"
        f"<th>tables</th><th>amounts</th>{head}</tr>{''.join(lines)}</table>"
    )
    return _page("disclosure-etl reconciliation report", body)


def render_document(result: DocumentResult, crops: dict[int, str]) -> str:
    """One document's page; `crops` maps finding index -> image file name."""
    info = result.info
    body = [
        "<p><a href='../report.html'>← all documents</a></p>",
        f"<h1>{escape(info.file_name)}</h1>",
        f"<p>{escape(info.department)} · {info.fiscal_year or ''} · {escape(info.doc_type.value)} · "
        f"{info.n_pages} pages · status {escape(result.status.value)} · <span class='muted'>sha256 {escape(info.doc_id)}</span></p>",
    ]
    body += [f"<p class='sev error'>{escape(e.code)}: {escape(e.message)}</p>" for e in result.errors]
    body.append(_tables(result))
    body.append(_findings(result.findings, crops))
    return _page(info.file_name, "\n".join(body))


def _tables(r: DocumentResult) -> str:
    rows = "".join(
        f"<tr><td class='num'>{t.toc_no or ''}</td><td>{escape(t.title)}</td><td>{escape(t.table_id.value if t.table_id else '—')}</td>"
        f"<td class='num'>{t.first_page}–{t.last_page}</td><td>{escape(t.unit.value if t.unit else '')}</td>"
        f"<td>{'empty' + (': ' + escape(t.empty_note) if t.empty_note else '') if t.is_empty else ''}</td><td class='num'>{t.n_amounts}</td></tr>"
        for t in r.tables
    )
    missing = [f for f in r.findings if f.rule_id in ("toc_table_missing", "required_table_missing")]
    note = "".join(f"<p class='sev error'>{escape(f.message)}</p>" for f in missing)
    return (
        f"<h2>Tables ({len(r.tables)} found)</h2>{note}<table><tr><th>目录 no.</th><th>title as printed</th><th>table_id</th>"
        f"<th>pages</th><th>unit</th><th>empty</th><th>amounts</th></tr>{rows}</table>"
    )


def _findings(findings: Sequence[Finding], crops: dict[int, str]) -> str:
    if not findings:
        return "<h2>Findings</h2><p>No findings: every check passed.</p>"
    order = sorted(range(len(findings)), key=lambda i: (SEVERITIES.index(findings[i].severity), findings[i].pages, findings[i].rule_id))
    cards = "".join(_card(findings[i], crops.get(i)) for i in order)
    return f"<h2>Findings ({len(findings)})</h2>{cards}"


def _card(f: Finding, image: str | None) -> str:
    figures = ""
    if f.expected is not None or f.actual is not None:
        unit = "%" if f.rule_id in ("narrative_percentage", "narrative_share") else "元"
        figures = (
            f"<table><tr><th>expected ({unit})</th><th>printed ({unit})</th><th>difference</th><th>tolerance</th></tr>"
            f"<tr><td class='num'>{_yuan(f.expected)}</td><td class='num'>{_yuan(f.actual)}</td>"
            f"<td class='num'>{_yuan(f.difference)}</td><td class='num'>{_yuan(f.tolerance)}</td></tr></table>"
        )
    printed = f"<p class='muted'>as printed: {escape(' · '.join(f.printed))}</p>" if f.printed else ""
    where = " · ".join(x for x in (f.table_id or "", f"p. {', '.join(map(str, f.pages))}" if f.pages else "", f.subject_code or "", f.column_key or "") if x)
    img = f"<img src='img/{escape(image)}' alt='page crop for {escape(f.rule_id)}'>" if image else ""
    return (
        f"<div class='finding'><span class='sev {f.severity.value}'>{f.severity.value}</span> <code>{escape(f.rule_id)}</code> "
        f"<span class='muted'>{escape(where)}</span><p>{escape(f.message)}</p>{figures}{printed}{img}</div>"
    )


def render_markdown(rows: Sequence[IndexRow], notable: Sequence[tuple[str, str, str, str, str]], cross: Sequence[CrossRow] = ()) -> str:
    """Summary for terminals and CI logs: findings across documents, counts per document, then each error and warning."""
    lines = ["# Reconciliation summary", ""]
    if cross:
        lines += ["## Across documents", ""]
        lines += [f"- **{c.severity}** `{c.rule_id}` {c.file_name} p.{','.join(map(str, c.pages))}"
                  f"{f' against {c.other_file_name} p.' + ','.join(map(str, c.other_pages)) if c.other_doc_id else ''}: {c.message}"
                  for c in cross]
        lines.append("")
    lines += ["| file | status | tables | " + " | ".join(s.value for s in SEVERITIES) + " |", "|---|---|---|" + "---|" * len(SEVERITIES)]
    for r in rows:
        lines.append(f"| {r.file_name} | {r.status} | {r.n_tables or 0} | " + " | ".join(str(r.severities.get(s.value, 0)) for s in SEVERITIES) + " |")
    current = None
    for file_name, severity, rule, pages, message in notable:
        if file_name != current:
            lines += ["", f"## {file_name}", ""]
            current = file_name
        lines.append(f"- **{severity}** `{rule}` p.{pages}: {message}")
    return "\n".join(lines) + "\n"
