"""Pure: the one registry of rules, read from `data/rules.csv`.

Every rule has a stable id, a severity (when it fails beyond rounding), a kind
(a *document* finding: the publisher's figures disagree; an *extraction*
finding: we are not sure we read a table right), the document types and
producer families it applies to, the tables it concerns and the identity it
states. Row rules and identities across tables are stated in the data itself
(`reconcile/terms.py` reads them); the other rules name the `check_*`
function that implements them. Every finding is built by `new_finding`, so its
severity, kind and scope come from here. docs/checks.md is generated from this
registry (`checks_markdown`; a test fails when it is stale).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from ..records import BBox, Finding, FindingKind, Scope, Severity
from .terms import Term, parse_columns_sum, parse_sum, parse_term

GROUPS: tuple[tuple[str, str, str], ...] = (
    ("structure", "Our reading of a table (kind `extraction`)",
     "The baseline, run on every table before any arithmetic (like frictionless's baseline check and "
     "camelot's per-table accuracy). A table that fails it yields one extraction finding naming the "
     "cause and the page, and no document finding is derived from it: its own sums are not reported, "
     "and checks across tables and against the text leave it out. Tables the baseline passes still carry "
     "extraction findings for single cells (`unreadable_amount`, `ocr_low_confidence`)."),
    ("completeness", "What the document publishes", ""),
    ("table", "Within a table", "A blank cell counts as 0 where its column is printed in the table."),
    ("row", "Within each row of a table",
     "`left = right₁ + right₂ …` over the columns of one row (and one phase: a 三公 决算 table's 预算数 and 决算数 "
     "are checked apart). A rule runs where the table prints its left column and one of its parts. A part column "
     "the table does not print is replaced by its own parts when those are printed (a 基本支出 group printed only "
     "as 人员经费 | 公用经费)."),
    ("cross", "Across the tables of one document",
     "`left = right₁ ± right₂ …`, each term `table[/side].column@row` (see `reconcile/terms.py`). An identity "
     "runs only when every table it names is printed with the columns it needs, the table passed its "
     "baseline, and its left figure is printed; a province that leaves a table or column out is never accused "
     "of a mismatch."),
    ("narrative", "The text against the tables and against itself",
     "The 说明 sections are read sentence by sentence: `<subject> <amount>万元 [较/比上年…增加/减少 <change>万元] "
     "[增长/下降 <pct>%] [占…<share>%]`. A figure belongs to its own sentence: a share is of the figure the "
     "sentence names, or of the head of the list it belongs to in the same sentence, never of a number from a "
     "neighbouring sentence. Which table figure a subject names is data (`data/narrative_subjects.csv`); figures "
     "the text does not tie to one table figure are not guessed at."),
    ("batch", "Across documents (scope `batch`)",
     "At the end of every batch the documents of the whole output folder, old and new, are checked against each "
     "other; documents join on `entity_id`. Findings carry `scope = batch` and the second document in "
     "`other_doc_id` / `other_pages`."),
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One registered rule (a row of data/rules.csv, with the forms of its identity)."""

    rule_id: str
    group: str
    severity: Severity
    kind: FindingKind
    applies_to: str
    """Document types: budget | final | all."""
    families: str
    """Producer families whose tables it concerns: all, or e.g. jiangsu, central."""
    tables: tuple[str, ...]
    statement: str
    forms: tuple[tuple[str, str], ...] = ()
    """(left, right) as written in the data; an identity may have several forms (per fund)."""

    @property
    def scope(self) -> Scope:
        return Scope.BATCH if self.group == "batch" else Scope.DOCUMENT


@dataclass(frozen=True, slots=True)
class Identity:
    """One form of a cross-table rule: left = Σ signed right terms."""

    rule: Rule
    left: Term
    right: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class RowRule:
    """One column of a row = the signed sum of others (`tables` empty: any table)."""

    rule: Rule
    total: str
    parts: tuple[tuple[str, int], ...]


def _read_rows() -> list[dict[str, str]]:
    text = resources.files("disclosure_etl.data").joinpath("rules.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    """Every rule by id, in the order of the data file; repeated ids add forms."""
    rules: dict[str, Rule] = {}
    for row in _read_rows():
        form = (row["left"], row["right"]) if row["left"] else None
        rid = row["rule_id"]
        if rid in rules:
            old = rules[rid]
            rules[rid] = Rule(old.rule_id, old.group, old.severity, old.kind, old.applies_to, old.families, old.tables,
                              old.statement, old.forms + ((form,) if form else ()))
            continue
        rules[rid] = Rule(
            rid, row["group"], Severity(row["severity"]), FindingKind(row["kind"]), row["applies_to"], row["families"],
            tuple(row["tables"].split()), row["statement"], (form,) if form else (),
        )
    return rules


def rule(rule_id: str) -> Rule:
    """The registered rule; a KeyError here is a bug (a check emitting an unregistered id)."""
    return load_rules()[rule_id]


def rules_in(group: str) -> list[Rule]:
    return [r for r in load_rules().values() if r.group == group]


@lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    return tuple(Identity(r, parse_term(left), parse_sum(right)) for r in rules_in("cross") for left, right in r.forms)


@lru_cache(maxsize=1)
def row_rules() -> tuple[RowRule, ...]:
    return tuple(RowRule(r, left.strip(), parse_columns_sum(right)) for r in rules_in("row") for left, right in r.forms)


@lru_cache(maxsize=1)
def expansions() -> dict[str, tuple[str, ...]]:
    """A subtotal column → the columns it sums (三公 total → its items), from the row rules."""
    return {rr.total: tuple(k for k, _ in rr.parts) for rr in row_rules() if rr.total != "total" and all(s > 0 for _, s in rr.parts)}


def new_finding(
    rule_id: str, doc_id: str, message: str, *, severity: Severity | None = None, table_id: str | None = None,
    expected: Decimal | None = None, actual: Decimal | None = None, difference: Decimal | None = None,
    tolerance: Decimal | None = None, pages: tuple[int, ...] = (), subject_code: str | None = None,
    column_key: str | None = None, bboxes: tuple[BBox, ...] = (), bbox_pages: tuple[int, ...] = (),
    printed: tuple[str, ...] = (), **batch: Any,
) -> Finding:
    """A finding of a registered rule; severity defaults to the rule's, kind and scope are the rule's."""
    r = rule(rule_id)
    return Finding(
        doc_id, rule_id, severity or r.severity, message, table_id, expected, actual, difference, tolerance, pages,
        subject_code, column_key, bboxes, bbox_pages, printed, scope=r.scope, kind=r.kind, **batch,
    )


# ------------------------------------------------------------------ docs

_PREAMBLE = """# Reconciliation checks

Generated from `src/disclosure_etl/data/rules.csv` by `disclosure-etl checks --markdown`;
do not edit by hand (a test fails when this file is stale).

Every finding has a `rule_id`, a severity, a kind, the expected and printed
values in yuan, their difference and the tolerance. Its **kind** says whose
problem it is: `document` — the publisher's own figures disagree (what an
auditor raises); `extraction` — we are not sure we read a table right (what
to check against the page before trusting its figures). The report and the
`findings` dataset list document findings first.

## Tolerance: one rule from printed precision (`reconcile/tolerance.py`)

Each printed figure is rounded to its last printed digit, so it may be off by
half a unit of that digit (0.005 万元 = 50 元 for `613.05` in 万元). A sum of
printed figures may miss by the sum of their half-units; a percentage a ÷ b
stated to k decimals by half a unit of its k-th decimal plus the spread the
half-units of a and b give. A non-zero difference within that is reported as
`rounding`; beyond it, at the rule's severity. A stated percentage one unit of
its last digit further off is still `rounding`: documents truncate (10.158%
printed 10.15%) and nudge one share so a list sums to 100%. (The seed prints
145.14 + 199.53 + 268.39 = 613.06 against 613.05: a difference of 100 元
within a tolerance of 200 元 → `rounding`.)

## Noise grouped

One root cause gives one finding with its occurrences: placeholders once per
table or section (every cell boxed), unreadable cells once per table column,
a rounding difference repeated down a column once (every row named), the
tables a 目录 lists or a document type requires once per document.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def checks_markdown() -> str:
    """docs/checks.md, generated from the registry."""
    out = [_PREAMBLE.rstrip("\n")]
    for group, title, intro in GROUPS:
        rules = rules_in(group)
        if not rules:
            continue
        out += ["", f"## {title}", ""]
        if intro:
            out += [intro, ""]
        with_forms = group in ("row", "cross")
        out.append("| rule_id | severity | kind | applies to | identity |" if with_forms else "| rule_id | severity | kind | applies to | what |")
        out.append("|---|---|---|---|---|")
        for r in rules:
            where = r.applies_to + ("" if r.families == "all" else f" ({r.families})")
            text = _cell(r.statement)
            if with_forms:
                text += "".join(f"<br>`{_cell(left)}` = `{_cell(right)}`" for left, right in r.forms)
            elif r.tables:
                text += " — " + ", ".join(f"`{t}`" for t in r.tables)
            out.append(f"| `{r.rule_id}` | {r.severity.value} | {r.kind.value} | {where} | {text} |")
    return "\n".join(out) + "\n"
