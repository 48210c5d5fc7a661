"""Ground truth derived from the DocSpec and the renderer's page map.

Never read back from the PDF: the point is an independent answer key.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from decimal import Decimal, InvalidOperation

from samplegen.model import TEXT_KEYS, DocSpec, PageMap, SpecError, TableSpec

UNIT_FACTORS = {"万元": Decimal(10000), "元": Decimal(1)}
# A template placeholder printed where an amount belongs (XX, ××): no amount
# was printed, so the truth lists none (the pipeline reports it as a finding).
PLACEHOLDER_RE = re.compile(r"^[XＸ×]{2,}$")


@dataclass(frozen=True)
class TruthRow:
    """One printed amount of a numbered table (a row of truth.csv)."""

    table_id: str
    page: int
    row_index: int
    subject_code: str
    row_label: str
    side: str
    column_key: str
    amount_text: str
    amount_yuan: str


@dataclass(frozen=True)
class Amount:
    """A printed amount located in its table, before pages and units apply."""

    row_index: int
    subject_code: str
    row_label: str
    side: str
    column_key: str
    text: str


def parse_amount(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise SpecError(f"not an amount: {text!r}") from None


def amount_to_yuan(text: str, unit: str) -> str:
    """The printed amount in yuan as a plain decimal string, e.g. '268.388' 万元 -> '2683880'."""
    if unit not in UNIT_FACTORS:
        raise SpecError(f"unknown unit {unit!r}")
    value = (parse_amount(text) * UNIT_FACTORS[unit]).normalize()
    return format(value, "f")


def full_codes(spec: TableSpec) -> list[str]:
    """Each row's full subject code: a two-digit 款 code printed under its
    three-digit 类 row becomes 类+款 (03 under 201 -> 20103)."""
    if "code" not in spec.column_keys:
        return [""] * len(spec.rows)
    col = spec.column_keys.index("code")
    codes, parent = [], ""
    for row in spec.rows:
        code = row[col].strip()
        if len(code) == 3:
            parent = code
        codes.append(parent + code if len(code) == 2 and parent else code)
    return codes


def grid_amounts(spec: TableSpec) -> Iterator[Amount]:
    """Amount cells of a code/name table or of a two-sided summary."""
    codes = full_codes(spec)
    for r, row in enumerate(spec.rows):
        for c, key in enumerate(spec.column_keys):
            if key in TEXT_KEYS or not row[c].strip() or PLACEHOLDER_RE.match(row[c].strip()):
                continue
            half = next((s for s in spec.sides if s.first_col <= c <= s.last_col), None)
            if half:
                label, side, code = row[half.first_col], half.side, ""
            else:
                label, side, code = row[spec.column_keys.index("name")], "", codes[r]
            parse_amount(row[c])  # a non-number in an amount column is a spec error
            yield Amount(r, code, label, side, key, row[c])


def money_amounts(spec: TableSpec) -> Iterator[Amount]:
    """Amounts of a performance table's money block, each labelled by the
    nearest printed cell to its left."""
    for r in spec.money_rows:
        row = spec.rows[r]
        label = ""
        for text in row:
            if not text.strip():
                continue
            try:
                parse_amount(text)
            except SpecError:
                label = text
                continue
            yield Amount(r, "", label, "", "amount", text)


def table_truth(spec: TableSpec, pages: PageMap) -> list[TruthRow]:
    amounts = money_amounts(spec) if spec.money_rows else grid_amounts(spec)
    return [
        TruthRow(
            table_id=spec.table_id,
            page=pages.rows[(spec.no, a.row_index)],
            row_index=a.row_index,
            subject_code=a.subject_code,
            row_label=a.row_label,
            side=a.side,
            column_key=a.column_key,
            amount_text=a.text,
            amount_yuan=amount_to_yuan(a.text, spec.unit),
        )
        for a in amounts
    ]


def truth_csv(doc: DocSpec, pages: PageMap) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(TruthRow)])
    for spec in doc.tables:
        writer.writerows(astuple(row) for row in table_truth(spec, pages))
    return out.getvalue()


def tables_json(doc: DocSpec, pages: PageMap) -> str:
    entries = [
        {
            "no": t.no,
            "table_id": t.table_id,
            "title": t.title,
            "first_page": pages.tables[t.no][0],
            "last_page": pages.tables[t.no][1],
            "unit": t.unit,
            "empty": t.empty,
        }
        for t in doc.tables
    ]
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"


def section_headings(doc: DocSpec) -> dict[str, str]:
    """Section key -> the heading printed where the section starts."""
    headings = {}
    for part in doc.parts:
        if part.key:
            headings[part.key] = part.heading
        headings.update({b.key: b.text for b in part.blocks if b.key})
    return headings


def sections_json(doc: DocSpec, pages: PageMap) -> str:
    entries = [
        {"key": key, "heading": heading, "first_page": pages.sections[key][0], "last_page": pages.sections[key][1]}
        for key, heading in section_headings(doc).items()
    ]
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
