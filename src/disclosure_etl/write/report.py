"""Pure: render the reconciliation report (HTML for people, Markdown for logs).

`report.html` is the batch index; each document has its own page under
`report/`, with every finding next to pictures of the pages it names (the cells
with their row labels and column headers, or the sentence with its numbers
marked), each linking to that page of the PDF. Document findings come before
extraction findings, grouped by cause; checkboxes filter by severity and kind
with CSS alone. Every string from a document is escaped: PDF text is untrusted
input. No script runs in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ..display import escape_markdown as _md
from ..records import FindingKind, Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.ROUNDING, Severity.INFO)
_CSS = """
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:600;padding:0 .4em;border-radius:3px}.error{background:#fde7ea;color:#9b0018}.warning{background:#fff3d6;color:#7a4a00}
.rounding,.info{background:#eef1f4;color:#445}.finding{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.5em 1em}
.finding img{max-width:100%;border:1px solid #ccc;margin-top:.5em}.muted{color:#666}
.kind{font-size:.85em;padding:0 .4em;border-radius:3px;background:#e6f0ff;color:#123d7a}
figure{margin:.5em 0}figcaption{font-size:.85em;color:#555}details.group{margin:.5em 0}
details.group>summary{cursor:pointer;padding:.3em 0;font-weight:600}.filters{margin:.5em 0 1em;padding:.4em .6em;background:#f6f6f6;border-radius:6px}
.filters label{margin-right:1em}.notice{padding:.6em 1em;border-radius:6px;background:#fde7ea;color:#9b0018}
"""
# Filters without a script: an unticked box hides what follows it of its class (the page reads whole without CSS too).
_CSS += "".join(
    f"#show-{name}:not(:checked)~.results .{name}-item{{display:none}}"
    for name in ("error", "warning", "rounding", "info", "document", "extraction")
)
KINDS = (FindingKind.DOCUMENT, FindingKind.EXTRACTION)
KIND_TITLES = {
    FindingKind.DOCUMENT: "The document's own figures disagree",
    FindingKind.EXTRACTION: "Readings we are unsure of (check them against the page)",
}
CropRefs = dict[int, list[tuple[int, str]]]
"""finding index -> (page, image file name) of each picture shown beside it."""


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
    error: str | None = None
    """Why the document could not be read (fully)."""
    unsure: int = 0
    """Extraction findings: readings we are unsure of."""


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


def crop_name(doc_id: str, finding_index: int, page_no: int) -> str:
    """A picture made for one finding on one page."""
    return f"{doc_id[:24]}-{finding_index:04d}-p{page_no:04d}.png"


def page_image_name(doc_id: str, page_no: int) -> str:
    """A whole page, shared by every finding naming it without cells or a sentence."""
    return f"{doc_id[:24]}-page{page_no:04d}.png"


def _yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width'><title>{escape(title)}</title>"
        f"<style>{_CSS}</style></head><body>{body}</body></html>"
    )


def filter_controls(counts: dict[str, int]) -> str:
    """Ticked boxes, one per severity and kind present; they must precede the `.results` they filter."""
    boxes = "".join(
        f"<input type='checkbox' id='show-{name}' checked><label for='show-{name}'>{name} ({n})</label>"
        for name, n in counts.items() if n
    )
    return f"<span class='muted'>show: </span>{boxes}" if boxes else ""


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
        f"<tr class='{escape(c.severity)}-item document-item'><td><span class='sev {escape(c.severity)}'>{escape(c.severity)}</span></td>"
        f"<td><code>{escape(c.rule_id)}</code></td>"
        f"<td>{_doc_link(c.doc_id, c.file_name, c.pages)}</td><td>{_doc_link(c.other_doc_id, c.other_file_name, c.other_pages)}</td>"
        f"<td>{escape(c.message)}</td></tr>"
        for c in cross
    )
    counts = Counter(c.severity for c in cross)
    return (
        f"<h2>Across documents ({len(cross)})</h2><section class='filters'>{filter_controls({s.value: counts[s.value] for s in SEVERITIES})}"
        f"<div class='results'><table id='batch-findings'><tr><th>severity</th><th>rule</th>"
        f"<th>document</th><th>against</th><th>what</th></tr>{lines}</table></div></section>"
    )


def render_index(rows: Sequence[IndexRow], cross: Sequence[CrossRow] = ()) -> str:
    total = sum(sum(r.severities.values()) for r in rows) + len(cross)
    by_sev = Counter({s.value: sum(r.severities.get(s.value, 0) for r in rows) for s in SEVERITIES})
    by_sev.update(c.severity for c in cross)
    summary = ", ".join(f"{by_sev[s.value]} {s.value}" for s in SEVERITIES)
    head = "".join(f"<th>{s.value}</th>" for s in SEVERITIES) + "<th>unsure</th>"
    lines = []
    unreadable = ("error", "skipped")
    for r in sorted(rows, key=lambda r: (r.status not in unreadable, -r.severities.get("error", 0), -r.severities.get("warning", 0), r.file_name)):
        cells = "".join(f"<td class='num'>{r.severities.get(s.value, 0)}</td>" for s in SEVERITIES) + f"<td class='num'>{r.unsure}</td>"
        why = f"<br><span class='muted'>{escape(r.error)}</span>" if r.error and r.status != "ok" else ""
        lines.append(
            f"<tr><td><a href='report/{doc_page_name(r.doc_id)}'>{escape(r.file_name)}</a></td>"
            f"<td>{escape(r.department or '')}</td><td>{escape(r.status)}{why}</td><td>{escape(r.doc_type or '')}</td>"
            f"<td>{r.fiscal_year or ''}</td><td class='num'>{r.n_tables or 0}</td><td class='num'>{r.n_line_items or 0}</td>{cells}</tr>"
        )
    body = (
        "<h1>Reconciliation report</h1>"
        f"<p>{len(rows)} document(s), <span id='finding-count'>{total}</span> finding(s): {summary}.</p>"
        f"{_cross_section(cross)}<h2>Documents</h2><table id='documents'><tr><th>file</th><th>department</th><th>status</th><th>type</th><th>year</th>"
        f"<th>tables</th><th>amounts</th>{head}</tr>{''.join(lines)}</table>"
    )
    return _page("disclosure-etl reconciliation report", body)


def render_markdown(rows: Sequence[IndexRow], notable: Sequence[tuple[str, str, str, str, str]], cross: Sequence[CrossRow] = ()) -> str:
    """Summary for terminals and CI logs: findings across documents, counts per document, then each error and warning.

    File names and messages come from the input: their markup and control characters are escaped
    (rule ids, severities and statuses are our own).
    """
    lines = ["# Reconciliation summary", ""]
    if cross:
        lines += ["## Across documents", ""]
        lines += [f"- **{c.severity}** `{c.rule_id}` {_md(c.file_name)} p.{','.join(map(str, c.pages))}"
                  f"{f' against {_md(c.other_file_name)} p.' + ','.join(map(str, c.other_pages)) if c.other_doc_id else ''}: {_md(c.message)}"
                  for c in cross]
        lines.append("")
    lines += ["| file | status | tables | " + " | ".join(s.value for s in SEVERITIES) + " |", "|---|---|---|" + "---|" * len(SEVERITIES)]
    for r in rows:
        lines.append(f"| {_md(r.file_name)} | {r.status} | {r.n_tables or 0} | " + " | ".join(str(r.severities.get(s.value, 0)) for s in SEVERITIES) + " |")
    current = None
    for file_name, severity, rule, pages, message in notable:
        if file_name != current:
            lines += ["", f"## {_md(file_name)}", ""]
            current = file_name
        lines.append(f"- **{severity}** `{rule}` p.{pages}: {_md(message)}")
    return "\n".join(lines) + "\n"
