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
    phase: str
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
    """The printed amount in yuan as the goldens write it (f"{Decimal:f}"):
    '268.388' 万元 -> '2683880.000', '679.18' 万元 -> '6791800.00'."""
    if unit not in UNIT_FACTORS:
        raise SpecError(f"unknown unit {unit!r}")
    return f"{parse_amount(text) * UNIT_FACTORS[unit]:f}"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cell_text(spec: TableSpec, row: int, col: int) -> str:
    """The text printed over a grid position: a merged cell's text covers every
    position it spans."""
    for m in spec.body_merges:
        if m.row <= row < m.row + m.row_span and m.col <= col < m.col + m.col_span:
            return spec.rows[m.row][m.col]
    return spec.rows[row][col]


def full_codes(spec: TableSpec) -> list[str]:
    """Each row's full subject code: a two-digit 款 code printed under its
    three-digit 类 row becomes 类+款 (03 under 201 -> 20103); a code cell
    holding words (合计 merged over code and name) is no code."""
    if "code" not in spec.column_keys:
        return [""] * len(spec.rows)
    col = spec.column_keys.index("code")
    codes, parent = [], ""
    for r in range(len(spec.rows)):
        code = _squeeze(cell_text(spec, r, col))
        # Subject codes have 3, 5 or 7 digits (2 for a 款 under its 类); a
        # 6-digit unit code (105236 西南大学) is no subject code.
        code = code if code.isdigit() and len(code) in (2, 3, 5, 7) else ""
        if len(code) == 3:
            parent = code
        codes.append(parent + code if len(code) == 2 and parent else code)
    return codes


def row_label(spec: TableSpec, row: int) -> str:
    """Name cells joined with '/' (each text once); without a name, the first
    non-numeric text of the code and text columns."""
    keys = spec.column_keys
    names = [_squeeze(cell_text(spec, row, c)) for c, k in enumerate(keys) if k == "name"]
    printed = "/".join(dict.fromkeys(t for t in names if t))
    if printed:
        return printed
    for key in ("code", "dept_code", "text"):
        for c in (c for c, k in enumerate(keys) if k == key):
            text = _squeeze(cell_text(spec, row, c))
            if text and not text.isdigit():
                return text
    return ""


def grid_amounts(spec: TableSpec) -> Iterator[Amount]:
    """Amount cells of a code/name table or of a two-sided summary."""
    codes = full_codes(spec)
    keys = {(r, c): key for r, c, key in spec.cell_keys}
    for r, row in enumerate(spec.rows):
        for c, key in enumerate(spec.column_keys):
            if key in TEXT_KEYS or not row[c].strip() or PLACEHOLDER_RE.match(row[c].strip()):
                continue
            half = next((s for s in spec.sides if s.first_col <= c <= s.last_col), None)
            if half:
                label, side, code = _squeeze(cell_text(spec, r, half.first_col)), half.side, ""
            else:
                label, side, code = row_label(spec, r), "", codes[r]
            parse_amount(row[c])  # a non-number in an amount column is a spec error
            yield Amount(r, code, label, side, keys.get((r, c), key), row[c])


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
                label = _squeeze(text)
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
            phase="budget",
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
