"""`load(DIR).figures`: every printed amount with its document, one document per scope.

A department budget (部门预算) already contains its units' budgets (单位预算),
and a document published twice counts once. Adding up `line_items` over an
output folder that holds both would count the same money twice, so `figures`
keeps one document per scope and says what it left out, and why
(`load(DIR).left_out`):

- `unit_in_department`: a unit budget whose department budget of the same year
  is in the output (the same rule as the batch roll-up check, reconcile/rollup.py);
- `duplicate`: the same entity, year and type as another file (the first by file
  name is kept, as in the panel and the `batch_duplicate` check);
- `template`: a template or draft, whose name is a placeholder (no `entity_id`);
- `not_read`: a file that gave no figures (status error or skipped).

Within one document a figure is printed in several tables (收支总表, 支出总表 …)
and at every level (类, 款, 项): pick a table, a column and a level before summing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..normalize.identity import compact
from ..reconcile.rollup import UnitIndex
from ..records import DocType, DocumentInfo

LEFT_OUT_COLUMNS = ("doc_id", "file_name", "department", "fiscal_year", "doc_type", "reason", "detail", "kept_doc_id")
DOCUMENT_COLUMNS = ("doc_id", "file_name", "department", "entity_id", "entity_name", "region", "province", "city", "district", "fiscal_year", "doc_type")
_READY = ("ok", "partial")


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A document whose figures `figures` leaves out, and why."""

    doc_id: str
    reason: str
    detail: str
    kept_doc_id: str | None = None


def _info(r: dict) -> DocumentInfo:
    return DocumentInfo(
        r["doc_id"], r["source"], r["file_name"], r["department"] or "", r["fiscal_year"], DocType(r["doc_type"] or "unknown"),
        r["n_pages"] or 0, r["entity_id"] or "", r["entity_name"] or "", r["entity_code"], r["province"], r["city"], r["district"],
    )


def _order(info: DocumentInfo) -> tuple[str, str]:
    return (info.file_name, info.doc_id)


def _null(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def find_left_out(docs: Sequence[dict], organization_text: dict[str, str]) -> list[LeftOut]:
    """Pure: the documents `figures` leaves out. `organization_text` maps a department
    budget's doc_id to its 机构设置 text (which may name its units)."""
    out: list[LeftOut] = []
    readable = []
    docs = [{k: None if _null(v) else v for k, v in r.items()} for r in docs]  # pandas gives NaN for null
    for r in sorted(docs, key=lambda r: (r["file_name"], r["doc_id"])):
        if r["status"] not in _READY:
            out.append(LeftOut(r["doc_id"], "not_read", f"status {r['status']}: {r['error'] or 'no budget table found'}"))
        elif not r["entity_id"]:
            out.append(LeftOut(r["doc_id"], "template", f"a template or draft: the name {r['department'] or '(none)'!r} is a placeholder"))
        else:
            readable.append(_info(r))
    kept: dict[tuple[str, int | None, DocType], DocumentInfo] = {}
    for info in readable:
        key = (info.entity_id, info.fiscal_year, info.doc_type)
        if key in kept:
            first = kept[key]
            out.append(LeftOut(info.doc_id, "duplicate", f"{first.file_name} publishes the same entity, year and type", first.doc_id))
        else:
            kept[key] = info
    dept_of = _departments_of_units(list(kept.values()), organization_text)
    for unit in kept.values():
        dept = dept_of.get(unit.doc_id)
        if dept is not None:
            out.append(LeftOut(unit.doc_id, "unit_in_department", f"its department budget {dept.file_name} already contains it", dept.doc_id))
    return out


def _departments_of_units(infos: Sequence[DocumentInfo], organization_text: dict[str, str]) -> dict[str, DocumentInfo]:
    """Each unit budget's department budget (the first, in `infos` order, that `is_unit_of` names), by the unit's doc_id."""
    index = UnitIndex([i for i in infos if i.doc_type is DocType.UNIT_BUDGET])
    dept_of: dict[str, DocumentInfo] = {}
    for dept in (i for i in infos if i.doc_type is DocType.DEPARTMENT_BUDGET):
        for k in index.units_of(dept, compact(organization_text.get(dept.doc_id, ""))):
            dept_of.setdefault(index.units[k].doc_id, dept)
    return dept_of


def left_out_frame(documents: pd.DataFrame, left: Iterable[LeftOut]) -> pd.DataFrame:
    by_id = documents.set_index("doc_id")
    rows = [
        {"doc_id": x.doc_id, "file_name": by_id.at[x.doc_id, "file_name"], "department": by_id.at[x.doc_id, "department"],
         "fiscal_year": by_id.at[x.doc_id, "fiscal_year"], "doc_type": by_id.at[x.doc_id, "doc_type"],
         "reason": x.reason, "detail": x.detail, "kept_doc_id": x.kept_doc_id}
        for x in left
    ]
    return pd.DataFrame(rows, columns=list(LEFT_OUT_COLUMNS))


def organization_texts(sections: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the text of its 机构设置 section(s)."""
    org = sections[sections["key"] == "organization"]
    return {str(d): "".join(t for t in texts if isinstance(t, str)) for d, texts in org.groupby("doc_id")["text"]}


def _region(documents: pd.DataFrame) -> pd.Series:
    parts = documents[["province", "city", "district"]].fillna("")
    return (parts["province"] + parts["city"] + parts["district"]).replace("", None)


def figures_frame(documents: pd.DataFrame, items: pd.DataFrame, left_out: pd.DataFrame) -> pd.DataFrame:
    """Line items (exact Decimal `amount_yuan`) joined with their document, the left-out documents dropped.

    `amount_yuan` becomes float64 (for pivots and charts); `amount_yuan_exact` keeps the Decimal."""
    docs = documents.assign(region=_region(documents))[list(DOCUMENT_COLUMNS)]
    kept = items[~items["doc_id"].isin(set(left_out["doc_id"]))]
    # The document's own year (null when unprinted), not the partition folder's (0 then).
    kept = kept.drop(columns=[c for c in ("x0", "top", "x1", "bottom", "fiscal_year") if c in kept])
    out = kept.merge(docs, on="doc_id", how="inner", validate="many_to_one")
    out = out.rename(columns={"amount_yuan": "amount_yuan_exact"})
    out.insert(out.columns.get_loc("amount_yuan_exact"), "amount_yuan", out["amount_yuan_exact"].astype("float64"))
    first = [c for c in DOCUMENT_COLUMNS if c != "doc_id"]
    ordered = ["doc_id", *first, *[c for c in out.columns if c not in first and c != "doc_id"]]
    return out[ordered].sort_values(["file_name", "doc_id", "table_id", "row_index", "page"], kind="stable").reset_index(drop=True)
