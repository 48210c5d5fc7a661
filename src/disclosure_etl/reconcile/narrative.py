"""Pure: the narrative's statements checked against the tables and against themselves.

One `check_*` per rule. Amounts in the text are 万元; every comparison is in
yuan, judged by reconcile/tolerance.py from the printed precision of both sides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..records import Finding, LineItem, Section, Severity
from .claims import GENERIC_BASE_RE, Claim, claim_subject, compact, section_to_claims, section_to_completions, sections_to_read
from .memo import same_arguments
from .registry import new_finding
from .subjects import Ref, resolve_ref, table_value
from .terms import RowTexts
from .tolerance import WAN, Printed, classify, decimals_of, half_unit, half_unit_yuan, last_digit_unit, ratio_tolerance, sum_tolerance, text_figure


def _context(section: Section) -> str:
    return section.heading + " " + section.key


def check_claims(
    doc_id: str, sections: Sequence[Section], items: Sequence[LineItem], class_names: dict[str, str], row_texts: RowTexts | None = None
) -> list[Finding]:
    """Narrative amounts against the tables, and each statement against itself."""
    out: list[Finding] = []
    resolve = _Resolver(class_names, items)
    for section in sections_to_read(sections):
        context = _context(section)
        claims = section_to_claims(section)
        for n, claim in enumerate(claims):
            ref = resolve(claim_subject(claim), context, claim.code_hint)
            if ref is not None:
                out.extend(_check_amount(doc_id, claim, ref, items, row_texts))
            out.extend(_check_change(doc_id, claim))
            out.extend(_check_share(doc_id, claim, claims[:n], items, resolve, context, row_texts))
        out.extend(check_prior_statements(doc_id, section))
        out.extend(check_completions(doc_id, section))
    return out


class _Resolver:
    """`resolve_ref` over one document's items, each subject resolved once: a share's base is looked
    for among every earlier claim of its section, which resolved the same subjects again and again."""

    def __init__(self, class_names: dict[str, str], items: Sequence[LineItem]) -> None:
        self.class_names, self.items = class_names, items
        self._done: dict[tuple[str, str, str | None], Ref | None] = {}

    def __call__(self, subject: str, context: str, code_hint: str | None = None) -> Ref | None:
        key = (subject, context, code_hint)
        if key not in self._done:
            self._done[key] = resolve_ref(subject, self.class_names, self.items, context, code_hint)
        return self._done[key]


def _claim_figure(claim: Claim) -> Printed:
    return text_figure(claim.amount_yuan, claim.decimals)


def _check_amount(doc_id: str, claim: Claim, ref: Ref, items: Sequence[LineItem], row_texts: RowTexts | None) -> list[Finding]:
    got = table_value(ref, items, row_texts)
    if got is None:
        return []
    value, hits = got
    diff = claim.amount_yuan - value
    tol = sum_tolerance([_claim_figure(claim).half, *(half_unit_yuan(h) for h in hits)])
    severity = classify(diff, tol)
    if severity is None or severity is Severity.ROUNDING:
        return []
    table = hits[0].table_id.value if hits else ref.terms[0].table.value
    return [new_finding(
        "narrative_amount", doc_id, f"text says {claim.subject} {claim.amount_text}万元; {table} prints {value / WAN:f}万元 — 「{claim.sentence}」",
        table_id=table, expected=value, actual=claim.amount_yuan, difference=diff, tolerance=tol,
        pages=tuple(sorted({claim.page_no} | {h.page_no for h in hits})), column_key=hits[0].column_key if hits else None,
        bboxes=tuple(h.bbox for h in hits), bbox_pages=tuple(h.page_no for h in hits),
        printed=(f"{claim.amount_text}万元 (text, p.{claim.page_no})", *(f"{h.amount_text} ({h.table_id.value}, p.{h.page_no})" for h in hits)),
    )]


def _pct_finding(doc_id: str, rule: str, claim: Claim, implied: Decimal, stated: Decimal, tol: Decimal, what: str) -> list[Finding]:
    severity = classify(stated - implied, tol, slack=last_digit_unit(stated))
    if severity is None or abs(stated - implied) <= tol:
        return []
    return [new_finding(rule, doc_id, f"{what} — 「{claim.sentence}」", severity=severity, expected=implied, actual=stated,
                        difference=stated - implied, tolerance=tol, pages=(claim.page_no,))]


def _check_change(doc_id: str, claim: Claim) -> list[Finding]:
    """current, change and percentage of one statement must agree: pct = change / prior."""
    if claim.change_yuan is None or claim.percent is None:
        return []
    prior = claim.amount_yuan - claim.change_yuan
    if prior == 0:
        return []
    half = _claim_figure(claim).half
    implied = (abs(claim.change_yuan) / prior * 100).quantize(Decimal("0.01"))
    tol = ratio_tolerance(Printed(abs(claim.change_yuan), half), Printed(prior, 2 * half), decimals_of(str(claim.percent)))
    what = f"{claim.subject}: change {claim.change_yuan / WAN:f}万元 on a prior of {prior / WAN:f}万元 is {implied}%, text says {claim.percent}%"
    return _pct_finding(doc_id, "narrative_percentage", claim, implied, claim.percent, tol, what)


def _share_base(claim: Claim, earlier: Sequence[Claim], items: Sequence[LineItem], resolve: _Resolver, context: str,
                row_texts: RowTexts | None) -> Printed | None:
    """The figure a share is of: the head of its list (same sentence), else the figure it names —
    an earlier figure of the section with that subject, else the table figure that subject names."""
    if claim.share_base_yuan:
        return text_figure(claim.share_base_yuan, claim.share_base_decimals)
    if not claim.share_of or GENERIC_BASE_RE.match(claim.share_of) and not resolve(claim.share_of, context):
        return None
    ref = resolve(claim.share_of, context)
    for c in reversed(earlier):
        if c.subject.endswith(claim.share_of) or (ref is not None and _same_ref(c, ref, resolve, context)):
            return text_figure(c.amount_yuan, c.decimals)
    got = table_value(ref, items, row_texts) if ref is not None else None
    if got is None or not got[1]:
        return None
    return Printed(got[0], sum_tolerance(half_unit_yuan(h) for h in got[1]))


def _same_ref(c: Claim, ref: Ref, resolve: _Resolver, context: str) -> bool:
    other = resolve(claim_subject(c), context)
    return other is not None and other.key == ref.key


def _check_share(doc_id: str, claim: Claim, earlier: Sequence[Claim], items: Sequence[LineItem], resolve: _Resolver,
                 context: str, row_texts: RowTexts | None) -> list[Finding]:
    """'占 X%': the share must follow from the amount and the figure it is a share of."""
    if claim.share is None:
        return []
    base = _share_base(claim, earlier, items, resolve, context, row_texts)
    if base is None or base.value == 0:
        return []
    implied = (claim.amount_yuan / base.value * 100).quantize(Decimal("0.01"))
    tol = ratio_tolerance(_claim_figure(claim), base, decimals_of(str(claim.share)))
    what = f"{claim.subject} {claim.amount_text}万元 is {implied}% of {base.value / WAN:f}万元; the text says {claim.share}%"
    return _pct_finding(doc_id, "narrative_share", claim, implied, claim.share, tol, what)


_PRIOR_RE = re.compile(
    r"(?P<py>\d{4})年(?:当年)?(?:预算)?执行数为(?P<prior>\d[\d,]*(?:\.\d+)?)万元[，,]"
    r"(?P<cy>\d{4})年预算(?:安排)?(?P<cur>\d[\d,]*(?:\.\d+)?)万元[，,]"
    r"比(?P=py)年(?:当年)?(?:预算)?执行数(?P<dir>增加|减少|增长|下降|持平)(?:(?P<pct>\d[\d,]*(?:\.\d+)?)%)?"
)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def check_prior_statements(doc_id: str, section: Section) -> list[Finding]:
    """'2023年预算执行数为X万元，2024年预算安排Y万元，比2023年…增加Z%': Z and the direction follow from X and Y."""
    out: list[Finding] = []
    text = compact(section.text)
    if "执行数" not in text:  # every statement holds it: no search over the text
        return out
    for m in _PRIOR_RE.finditer(text):
        page = section.page_at(m.start())
        prior, cur = _num(m.group("prior")), _num(m.group("cur"))
        stated_dir, sentence = m.group("dir"), m.group(0)
        actual_dir = "持平" if cur == prior else ("增加" if cur > prior else "减少")
        if {stated_dir, actual_dir} - {"增加", "增长"} and {stated_dir, actual_dir} - {"减少", "下降"} and stated_dir != actual_dir:
            out.append(new_finding("narrative_direction", doc_id, f"from {prior}万元 to {cur}万元 is {actual_dir}, the text says {stated_dir} — 「{sentence}」",
                                   pages=(page,)))
        if m.group("pct") is None:
            continue
        stated = _num(m.group("pct"))
        if prior == 0:
            out.append(new_finding("narrative_percentage", doc_id, f"a change from 0万元 has no percentage; the text says {stated_dir}{stated}% — 「{sentence}」",
                                   severity=Severity.WARNING, actual=stated, pages=(page,)))
            continue
        implied = (abs(cur - prior) / prior * 100).quantize(Decimal("0.01"))
        half = half_unit(decimals_of(m.group("cur")))
        tol = ratio_tolerance(Printed(abs(cur - prior), 2 * half), Printed(prior, half), decimals_of(m.group("pct")))
        claim = Claim(section.key, page, sentence, "", cur * WAN, m.group("cur"), 2)
        out.extend(_pct_finding(doc_id, "narrative_percentage", claim, implied, stated, tol,
                                f"from {prior}万元 to {cur}万元 is {implied}%; the text says {stated}%"))
    return out


def check_completions(doc_id: str, section: Section) -> list[Finding]:
    """'…预算为A万元，…决算为B万元，完成…预算的C%': C = B ÷ A; a percentage of a zero budget is a warning."""
    out: list[Finding] = []
    for c in section_to_completions(section):
        budget, final = _num(c.budget_text), _num(c.final_text)
        claim = Claim(section.key, c.page_no, c.sentence, "", final * WAN, c.final_text, decimals_of(c.final_text))
        if budget == 0:
            out.append(new_finding("narrative_completion", doc_id, f"{c.which} is 0万元, so no share of it was completed; the text says {c.percent}% — 「{c.sentence}」",
                                   severity=Severity.WARNING, actual=c.percent, pages=(c.page_no,)))
            continue
        implied = (final / budget * 100).quantize(Decimal("0.01"))
        tol = ratio_tolerance(Printed(final, half_unit(decimals_of(c.final_text))), Printed(budget, half_unit(decimals_of(c.budget_text))), decimals_of(str(c.percent)))
        out.extend(_pct_finding(doc_id, "narrative_completion", claim, implied, c.percent, tol,
                                f"决算 {final}万元 is {implied}% of the {c.which} {budget}万元; the text says {c.percent}%"))
    return out


def check_old_names(doc_id: str, sections: Sequence[Section], aliases: dict[str, str], current: dict[str, str],
                    items: Sequence[LineItem] = ()) -> list[Finding]:
    """A subject the text names by its old name (医疗卫生与计划生育支出 for 210 卫生健康支出). Not where the
    document's own tables print the old name too (a 2017 Jiangsu budget's 20805 行政事业单位离退休): that
    was the name of the year, and the text agrees with its tables; nor without tables to say so."""
    out = []
    usable = _old_names(aliases, current)
    printed = {it.subject_code: compact(it.row_label) for it in items if it.subject_code}
    if not printed:
        return []  # no table says which names the document's year used (a narrative-only file)
    for section in sections_to_read(sections):
        text = compact(section.text)
        for alias, code in usable.items():
            now = current.get(code, "")
            if alias not in text or not now or printed.get(code, "").startswith(alias[:6]):
                continue  # the tables print the old name too: the name of the document's year
            out.append(new_finding(
                "narrative_old_name", doc_id,
                f"the text names {code} by its old name {alias}; the classification calls it {now}",
                pages=(section.page_at(text.find(alias)),), subject_code=code,
            ))
    return out


@same_arguments
def _old_names(aliases: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """Aliases long enough to name one subject and not part of any current name (the same for every document)."""
    names = set(current.values())
    return {a: c for a, c in aliases.items() if len(a) >= 5 and not any(a in n for n in names)}
