"""Pure: one document's page of the report.

What could not be read comes first, and why; then the tables found; then the
findings — the document's own inconsistencies before our unsure readings, each
kind grouped by cause (every difference printed rounding explains is one cause;
otherwise a rule), each finding beside pictures of the pages it names, each
picture a link to that page of the PDF (`file.pdf#page=N`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from ..records import DocumentResult, Finding, FindingKind, Severity, Status
from .report import KIND_TITLES, KINDS, SEVERITIES, CropRefs, _page, _yuan, filter_controls

OPEN_GROUP_MAX = 5
"""Groups with more findings than this start folded (a <details> element: no script needed)."""
_PERCENT_RULES = ("narrative_percentage", "narrative_share")
GroupKey = tuple[FindingKind, str, Severity]


def render_document(result: DocumentResult, crops: CropRefs, pdf_href: str = "") -> str:
    """One document's page; `crops` maps finding index -> its pictures; `pdf_href` links the PDF."""
    info = result.info
    body = [
        "<p><a href='../report.html'>← all documents</a></p>",
        f"<h1>{escape(info.file_name)}</h1>",
        f"<p>{escape(info.department)} · {info.fiscal_year or ''} · {escape(info.doc_type.value)} · "
        f"{info.n_pages} pages · status {escape(result.status.value)} · <span class='muted'>sha256 {escape(info.doc_id)}</span>"
        + (f" · <a href='{escape(pdf_href)}'>open the PDF</a>" if pdf_href else "") + "</p>",
        _status_notice(result),
    ]
    if info.n_pages:
        body.append(_tables(result))
    body.append(_findings(result, crops, pdf_href))
    return _page(info.file_name, "\n".join(body))


def _status_notice(result: DocumentResult) -> str:
    why = "; ".join(f"{e.code}: {e.message}" for e in result.errors) or "no reason was recorded"
    if result.status is Status.ERROR:
        return f"<p class='notice' id='not-checked'>Not checked: this file could not be read — {escape(why)}</p>"
    if result.status is Status.SKIPPED:
        return f"<p class='notice' id='not-checked'>Not checked: no budget or final-accounts table was found — {escape(why)}</p>"
    if result.status is Status.PARTIAL:
        return f"<p class='notice' id='partly-checked'>Partly checked: the checks ran on what could be read — {escape(why)}</p>"
    return ""


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


def cause_of(f: Finding) -> str:
    """Findings sharing a cause are shown as one group: every rounding difference is one cause."""
    return "rounding" if f.severity is Severity.ROUNDING else f.rule_id


def group_findings(findings: Sequence[Finding]) -> dict[GroupKey, list[int]]:
    """Finding indexes by (kind, cause, severity): document before extraction, most severe first."""
    groups: dict[GroupKey, list[int]] = {}
    for i, f in enumerate(findings):
        groups.setdefault((f.kind, cause_of(f), f.severity), []).append(i)
    order = sorted(groups, key=lambda k: (KINDS.index(k[0]), SEVERITIES.index(k[2]), k[1]))
    return {k: sorted(groups[k], key=lambda i: (findings[i].pages, i)) for k in order}


def _findings(result: DocumentResult, crops: CropRefs, pdf_href: str) -> str:
    findings = result.findings
    if not findings and (result.status in (Status.ERROR, Status.SKIPPED) or not result.info.n_pages):
        return "<h2>Findings</h2><p>No checks ran on this file (see above).</p>"
    if not findings:
        return "<h2>Findings</h2><p>No findings: every check passed.</p>"
    counts = Counter(f.severity.value for f in findings) + Counter(f.kind.value for f in findings)
    controls = filter_controls({name: counts[name] for name in [*(s.value for s in SEVERITIES), *(k.value for k in KINDS)]})
    sections = []
    groups = group_findings(findings)
    for kind in KINDS:
        keys = [k for k in groups if k[0] is kind]
        if keys:
            n = sum(len(groups[k]) for k in keys)
            cards = "".join(_group(k, [(i, findings[i]) for i in groups[k]], crops, pdf_href) for k in keys)
            sections.append(f"<div class='{kind.value}-item' id='kind-{kind.value}'><h3>{KIND_TITLES[kind]} ({n})</h3>{cards}</div>")
    return f"<h2>Findings ({len(findings)})</h2><section class='filters'>{controls}<div class='results'>{''.join(sections)}</div></section>"


def _group(key: GroupKey, members: list[tuple[int, Finding]], crops: CropRefs, pdf_href: str) -> str:
    kind, cause, severity = key
    pages = sorted({p for _, f in members for p in f.pages})
    what = "differences the printed rounding explains" if cause == "rounding" else cause
    shown = ", ".join(map(str, pages[:12])) + (" …" if len(pages) > 12 else "")
    summary = (
        f"<span class='sev {severity.value}'>{severity.value}</span> <code>{escape(what)}</code> — {len(members)} finding(s)"
        + (f" <span class='muted'>p. {shown}</span>" if pages else "")
    )
    cards = "".join(_card(f, crops.get(i, []), pdf_href) for i, f in members)
    opened = " open" if len(members) <= OPEN_GROUP_MAX else ""
    return f"<details class='group {severity.value}-item {kind.value}-item'{opened}><summary>{summary}</summary>{cards}</details>"


def _figures(f: Finding) -> str:
    if f.expected is None and f.actual is None:
        return ""
    unit = "%" if f.rule_id in _PERCENT_RULES else "元"
    return (
        f"<table><tr><th>expected ({unit})</th><th>printed ({unit})</th><th>difference</th><th>tolerance</th></tr>"
        f"<tr><td class='num'>{_yuan(f.expected)}</td><td class='num'>{_yuan(f.actual)}</td>"
        f"<td class='num'>{_yuan(f.difference)}</td><td class='num'>{_yuan(f.tolerance)}</td></tr></table>"
    )


def _picture(page: int, image: str, pdf_href: str, rule_id: str) -> str:
    img = f"<img src='img/{escape(image)}' alt='page {page} for {escape(rule_id)}'>"
    if pdf_href:
        link = f"{pdf_href}#page={page}"
        return f"<figure><a href='{escape(link)}'>{img}</a><figcaption>p. {page} · <a href='{escape(link)}'>open the PDF at this page</a></figcaption></figure>"
    return f"<figure>{img}<figcaption>p. {page}</figcaption></figure>"


def _card(f: Finding, pictures: list[tuple[int, str]], pdf_href: str) -> str:
    printed = f"<p class='muted'>as printed: {escape(' · '.join(f.printed))}</p>" if f.printed else ""
    where = " · ".join(x for x in (f.table_id or "", f"p. {', '.join(map(str, f.pages))}" if f.pages else "", f.subject_code or "", f.column_key or "") if x)
    kind = f" <span class='kind'>{escape(f.kind.value)}</span>" if f.kind is not FindingKind.DOCUMENT else ""
    images = "".join(_picture(page, image, pdf_href, f.rule_id) for page, image in sorted(pictures))
    return (
        f"<div class='finding {f.severity.value}-item {f.kind.value}-item'><span class='sev {f.severity.value}'>{f.severity.value}</span>{kind} "
        f"<code>{escape(f.rule_id)}</code> <span class='muted'>{escape(where)}</span><p>{escape(f.message)}</p>{_figures(f)}{printed}{images}</div>"
    )
