"""Pure: render the reconciliation report (HTML for people, Markdown for logs).

Every string from a document is escaped: PDF text is untrusted input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ..records import DocumentResult, Finding, Severity

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.ROUNDING, Severity.INFO)
_CSS = """
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b00020}.warning{color:#a05a00}.rounding{color:#555}.info{color:#555}
"""


def _yuan(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}"


def _counts(findings: Sequence[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def render_html(results: Sequence[DocumentResult]) -> str:
    total = sum(len(r.findings) for r in results)
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        "<title>disclosure-etl reconciliation report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Reconciliation report</h1>",
        f"<p>{len(results)} document(s), <span id='finding-count'>{total}</span> finding(s).</p>",
        _index(results),
    ]
    parts.extend(_document(r, n) for n, r in enumerate(results, 1))
    parts.append("</body></html>")
    return "\n".join(parts)


def _index(results: Sequence[DocumentResult]) -> str:
    head = "".join(f"<th>{s.value}</th>" for s in _SEVERITIES)
    rows = []
    for n, r in enumerate(results, 1):
        c = _counts(r.findings)
        cells = "".join(f"<td class='num {s.value}'>{c.get(s, 0)}</td>" for s in _SEVERITIES)
        rows.append(
            f"<tr><td><a href='#doc-{n}'>{escape(r.info.file_name)}</a></td><td>{escape(r.status.value)}</td>"
            f"<td>{escape(r.info.doc_type.value)}</td><td>{r.info.fiscal_year or ''}</td><td class='num'>{len(r.tables)}</td>{cells}</tr>"
        )
    return (
        "<h2>Documents</h2><table><tr><th>file</th><th>status</th><th>type</th><th>year</th><th>tables</th>"
        f"{head}</tr>{''.join(rows)}</table>"
    )


def _document(r: DocumentResult, n: int) -> str:
    out = [f"<section id='doc-{n}'><h2>{escape(r.info.file_name)}</h2>"]
    out.append(f"<p>{escape(r.info.department)} · {r.info.fiscal_year or ''} · {escape(r.info.doc_type.value)} · {r.info.n_pages} pages</p>")
    for e in r.errors:
        out.append(f"<p class='error'>{escape(e.code)}: {escape(e.message)}</p>")
    out.append(_tables(r))
    out.append(_findings(r.findings))
    out.append("</section>")
    return "\n".join(out)


def _tables(r: DocumentResult) -> str:
    rows = "".join(
        f"<tr><td class='num'>{t.toc_no or ''}</td><td>{escape(t.title)}</td><td>{escape(t.table_id.value if t.table_id else '—')}</td>"
        f"<td class='num'>{t.first_page}–{t.last_page}</td><td>{escape(t.unit.value if t.unit else '')}</td>"
        f"<td>{'empty' if t.is_empty else ''}</td><td class='num'>{t.n_amounts}</td></tr>"
        for t in r.tables
    )
    return (
        "<h3>Tables</h3><table><tr><th>目录 no.</th><th>title as printed</th><th>table_id</th><th>pages</th>"
        f"<th>unit</th><th></th><th>amounts</th></tr>{rows}</table>"
    )


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<h3>Findings</h3><p>No findings: every check passed.</p>"
    ordered = sorted(findings, key=lambda f: (_SEVERITIES.index(f.severity), f.pages, f.rule_id))
    rows = "".join(
        f"<tr class='finding {f.severity.value}'><td>{f.severity.value}</td><td>{escape(f.rule_id)}</td>"
        f"<td>{escape(f.table_id or '')}</td><td>{', '.join(map(str, f.pages))}</td><td>{escape(f.message)}</td>"
        f"<td class='num'>{_yuan(f.expected)}</td><td class='num'>{_yuan(f.actual)}</td>"
        f"<td class='num'>{_yuan(f.difference)}</td><td class='num'>{_yuan(f.tolerance)}</td></tr>"
        for f in ordered
    )
    return (
        "<h3>Findings</h3><table><tr><th>severity</th><th>rule</th><th>table</th><th>pages</th><th>what</th>"
        f"<th>expected</th><th>actual</th><th>difference</th><th>tolerance</th></tr>{rows}</table>"
    )


def render_markdown(results: Sequence[DocumentResult]) -> str:
    lines = ["# Reconciliation summary", "", "| file | status | tables | " + " | ".join(s.value for s in _SEVERITIES) + " |", "|---|---|---|" + "---|" * len(_SEVERITIES)]
    for r in results:
        c = _counts(r.findings)
        lines.append(f"| {r.info.file_name} | {r.status.value} | {len(r.tables)} | " + " | ".join(str(c.get(s, 0)) for s in _SEVERITIES) + " |")
    for r in results:
        bad = [f for f in r.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
        if bad:
            lines += ["", f"## {r.info.file_name}", ""]
            lines += [f"- **{f.severity.value}** `{f.rule_id}` p.{','.join(map(str, f.pages))}: {f.message}" for f in bad]
    return "\n".join(lines) + "\n"
