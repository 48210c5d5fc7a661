"""Pure: the narrative's statements checked against the tables and against themselves.

One `check_*` per rule. Amounts in the text are 万元; every comparison is in
yuan with the tolerance the printed precision of both sides allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..records import Claim, Finding, LineItem, Section, Severity
from .claims import Ref, claim_subject, resolve_ref, section_to_claims, table_value
from .tolerance import HALF


def check_claims(doc_id: str, sections: Sequence[Section], items: Sequence[LineItem], class_names: dict[str, str]) -> list[Finding]:
    """Narrative amounts against the tables, and each year-over-year statement against itself."""
    out: list[Finding] = []
    for section in sections:
        if section.level == 2:
            continue  # its text is already inside its parent section
        for claim in section_to_claims(section):
            ref = resolve_ref(claim_subject(claim), class_names, items)
            if ref is not None:
                out.extend(_check_amount(doc_id, claim, ref, items))
            out.extend(_check_change(doc_id, claim))
            out.extend(_check_share(doc_id, claim))
        out.extend(check_prior_statements(doc_id, section))
    return out


def _claim_half_unit(claim: Claim) -> Decimal:
    return HALF * Decimal(1).scaleb(-claim.decimals) * 10000


def _check_amount(doc_id: str, claim: Claim, ref: Ref, items: Sequence[LineItem]) -> list[Finding]:
    got = table_value(ref, items)
    if got is None:
        return []
    value, hits = got
    diff = claim.amount_yuan - value
    tol = _claim_half_unit(claim) + sum((HALF * Decimal(1).scaleb(-len(h.amount_text.partition(".")[2])) * h.unit.factor for h in hits), Decimal(0))
    if abs(diff) <= tol:
        return []
    table = hits[0].table_id.value if hits else ref.tables[0].value
    return [Finding(
        doc_id, "narrative_amount", Severity.ERROR,
        f"text says {claim.subject} {claim.amount_text}万元; {table} prints {value / 10000:f}万元 — 「{claim.sentence}」",
        table, value, claim.amount_yuan, diff, tol,
        tuple(sorted({claim.page_no} | {h.page_no for h in hits})), None, ref.column, tuple(h.bbox for h in hits), tuple(h.page_no for h in hits),
    )]


def _check_change(doc_id: str, claim: Claim) -> list[Finding]:
    """current, change and percentage of one statement must agree: pct = change / prior."""
    if claim.change_yuan is None or claim.percent is None:
        return []
    prior = claim.amount_yuan - claim.change_yuan
    if prior == 0:
        return []
    implied = (abs(claim.change_yuan) / prior * 100).quantize(Decimal("0.01"))
    decimals = len(str(claim.percent).partition(".")[2])
    # The text's figures are rounded: allow the percentage their rounding explains.
    tol = HALF * Decimal(1).scaleb(-decimals) + abs(implied) * 2 * _claim_half_unit(claim) / max(abs(claim.change_yuan), Decimal(1))
    diff = claim.percent - implied
    if abs(diff) <= tol:
        return []
    return [Finding(
        doc_id, "narrative_percentage", Severity.ERROR,
        f"{claim.subject}: change {claim.change_yuan / 10000:f}万元 on a prior of {prior / 10000:f}万元 is {implied}%, text says {claim.percent}% — 「{claim.sentence}」",
        None, implied, claim.percent, diff, tol, (claim.page_no,),
    )]


def _pct_finding(doc_id: str, rule: str, claim: Claim, implied: Decimal, stated: Decimal, tol: Decimal, what: str) -> list[Finding]:
    diff = stated - implied
    if abs(diff) <= tol:
        return []
    # Documents often nudge one share by a unit of its last digit so a list sums to
    # 100%; a difference within that unit is rounding, not a wrong figure.
    unit = Decimal(1).scaleb(_exp(stated))
    severity = Severity.ROUNDING if abs(diff) <= tol + unit else Severity.ERROR
    return [Finding(doc_id, rule, severity, f"{what} — 「{claim.sentence}」", None, implied, stated, diff, tol, (claim.page_no,))]


def _check_share(doc_id: str, claim: Claim) -> list[Finding]:
    """'占 X%': the share must follow from the amount and the figure it is a share of."""
    if claim.share is None or not claim.share_base_yuan:
        return []
    base = claim.share_base_yuan
    implied = (claim.amount_yuan / base * 100).quantize(Decimal("0.01"))
    base_half = HALF * Decimal(1).scaleb(-claim.share_base_decimals) * 10000
    # Rounding of the stated percentage, the amount and the base.
    tol = HALF * Decimal(1).scaleb(_exp(claim.share)) + 100 * (_claim_half_unit(claim) / base + claim.amount_yuan * base_half / base / base)
    what = f"{claim.subject} {claim.amount_text}万元 is {implied}% of {base / 10000:f}万元; the text says {claim.share}%"
    return _pct_finding(doc_id, "narrative_share", claim, implied, claim.share, tol, what)


def _exp(value: Decimal) -> int:
    return int(value.as_tuple().exponent)


_PRIOR_RE = re.compile(
    r"(?P<py>\d{4})年(?:当年)?(?:预算)?执行数为(?P<prior>\d[\d,]*(?:\.\d+)?)万元[，,]"
    r"(?P<cy>\d{4})年预算(?:安排)?(?P<cur>\d[\d,]*(?:\.\d+)?)万元[，,]"
    r"比(?P=py)年(?:当年)?(?:预算)?执行数(?P<dir>增加|减少|增长|下降|持平)(?:(?P<pct>\d[\d,]*(?:\.\d+)?)%)?"
)


def check_prior_statements(doc_id: str, section: Section) -> list[Finding]:
    """'2023年预算执行数为X万元，2024年预算安排Y万元，比2023年…增加Z%': Z and the direction follow from X and Y."""
    out: list[Finding] = []
    text = re.sub(r"\s+", "", section.text)
    for m in _PRIOR_RE.finditer(text):
        page = section.page_at(m.start())
        prior, cur = Decimal(m.group("prior").replace(",", "")), Decimal(m.group("cur").replace(",", ""))
        stated_dir = m.group("dir")
        actual_dir = "持平" if cur == prior else ("增加" if cur > prior else "减少")
        sentence = m.group(0)
        if {stated_dir, actual_dir} - {"增加", "增长"} and {stated_dir, actual_dir} - {"减少", "下降"} and stated_dir != actual_dir:
            out.append(Finding(doc_id, "narrative_direction", Severity.ERROR,
                               f"from {prior}万元 to {cur}万元 is {actual_dir}, the text says {stated_dir} — 「{sentence}」",
                               None, None, None, None, None, (page,)))
        if m.group("pct") is None:
            continue
        stated = Decimal(m.group("pct").replace(",", ""))
        if prior == 0:
            out.append(Finding(doc_id, "narrative_percentage", Severity.WARNING,
                               f"a change from 0万元 has no percentage; the text says {stated_dir}{stated}% — 「{sentence}」",
                               None, None, stated, None, None, (page,)))
            continue
        implied = (abs(cur - prior) / prior * 100).quantize(Decimal("0.01"))
        half = HALF * Decimal(1).scaleb(_exp(Decimal(m.group("cur").replace(",", ""))))
        tol = HALF * Decimal(1).scaleb(_exp(stated)) + 100 * half * 2 / prior
        claim = Claim(section.key, page, sentence, "", cur * 10000, m.group("cur"), 2)
        out.extend(_pct_finding(doc_id, "narrative_percentage", claim, implied, stated, tol,
                                f"from {prior}万元 to {cur}万元 is {implied}%; the text says {stated}%"))
    return out


def check_old_names(doc_id: str, sections: Sequence[Section], aliases: dict[str, str], current: dict[str, str]) -> list[Finding]:
    """A subject named by its old name (医疗卫生与计划生育支出 for 210 卫生健康支出)."""
    out = []
    names = set(current.values())
    usable = {a: c for a, c in aliases.items() if len(a) >= 5 and not any(a in n for n in names)}
    for section in sections:
        if section.level == 2:
            continue
        text = re.sub(r"\s+", "", section.text)
        for alias, code in usable.items():
            if alias in text:
                out.append(Finding(
                    doc_id, "narrative_old_name", Severity.WARNING,
                    f"the text names {code} by its old name {alias}; the classification (and the tables) call it {current.get(code, '?')}",
                    None, None, None, None, None, (section.page_at(text.find(alias)),), code,
                ))
    return out
