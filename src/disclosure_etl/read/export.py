"""I/O: the output as an Excel workbook or CSV files (`disclosure-etl export`).

The workbook holds a `documents` sheet, a `findings` sheet (the page of each
finding) and one sheet per table of each document, rebuilt as printed
(read/table.py; 绩效目标 forms from `performance_targets`). The CSV folder holds
the same: documents.csv, findings.csv and one file per table.

Text from a PDF is untrusted: a cell beginning with `=`, `+`, `-` or `@` would
be run as a formula by a spreadsheet. In the workbook every text cell is a
string cell marked quote-prefixed (Excel keeps it text even when edited); in
CSV such a text gets a leading `'`. Amounts are numbers, negative ones too.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..write.atomic import write_text_atomic, write_with

if TYPE_CHECKING:
    from .loader import Output

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses these control characters
_UNSAFE_NAME = re.compile(r"[^\w\u3400-\u9fff（）() -]+")
AMOUNT_FORMAT = "#,##0.00"
DOC_COLUMNS = ("doc_no", "file_name", "department", "fiscal_year", "doc_type", "status", "error", "n_tables", "n_line_items",
               "n_findings", "in_figures", "left_out_reason", "doc_id")
FINDING_COLUMNS = ("doc_no", "file_name", "page", "pages", "severity", "kind", "rule_id", "scope", "table_id", "subject_code",
                   "column_key", "expected", "actual", "difference", "tolerance", "message", "other_file_name", "other_pages")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table of one document: where it goes and what heads it."""

    name: str
    no: int
    """The table's place in its document (1 = first printed)."""
    doc_id: str
    table_id: str
    heading: str
    note: str


def inert_csv(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading apostrophe; other values are unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(RISKY_PREFIXES) else value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT


def _cell_value(value: Any) -> Any:
    if _blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return ", ".join(map(str, value))
    return value


def document_rows(out: Output) -> list[dict[str, Any]]:
    """The documents, numbered in file-name order, with whether `figures` counts them."""
    docs = out.documents.sort_values(["file_name", "doc_id"]).reset_index(drop=True)
    left = out.left_out.set_index("doc_id")["reason"].to_dict()
    rows = []
    for no, r in enumerate(docs.to_dict("records"), start=1):
        rows.append({**{c: r.get(c) for c in DOC_COLUMNS}, "doc_no": no, "in_figures": r["doc_id"] not in left,
                     "left_out_reason": left.get(r["doc_id"])})
    return rows


def finding_rows(out: Output, doc_no: dict[str, int]) -> list[dict[str, Any]]:
    """Every finding with its document and the page to look at (the first it names)."""
    names = out.documents.set_index("doc_id")["file_name"].to_dict()
    rows = []
    for f in out.findings.to_dict("records"):
        pages = [int(p) for p in (f["pages"] if f["pages"] is not None else [])]
        other = [int(p) for p in (f["other_pages"] if f["other_pages"] is not None else [])]
        rows.append({
            **{c: f.get(c) for c in FINDING_COLUMNS if c in f}, "doc_no": doc_no.get(f["doc_id"]), "file_name": names.get(f["doc_id"], f["doc_id"]),
            "page": pages[0] if pages else None, "pages": ", ".join(map(str, pages)), "other_pages": ", ".join(map(str, other)),
            "other_file_name": names.get(f["other_doc_id"]) if f.get("other_doc_id") else None,
            **{k: None if _blank(f[k]) else float(f[k]) for k in ("expected", "actual", "difference", "tolerance")},
        })
    severity = {"error": 0, "warning": 1, "rounding": 2, "info": 3}
    return sorted(rows, key=lambda r: (r["doc_no"] or 0, r["kind"] != "document", severity.get(r["severity"], 4), r["page"] or 0))


def plan_sheets(out: Output, doc_no: dict[str, int]) -> list[Sheet]:
    """One sheet per canonical table of each document, in document and page order; names ≤ 31 characters."""
    tables = out.tables[out.tables["table_id"].notna()].sort_values(["first_page", "toc_no"], na_position="last")
    files = out.documents.set_index("doc_id")["file_name"].to_dict()
    sheets = []
    for doc_id, group in sorted(tables.groupby("doc_id", sort=False), key=lambda g: doc_no.get(str(g[0]), 0)):
        for k, t in enumerate(group.to_dict("records"), start=1):
            name = f"{doc_no[str(doc_id)]}-{k:02d} {t['table_id']}"[:31]
            pages = f"p. {t['first_page']}" + (f"–{t['last_page']}" if t["last_page"] != t["first_page"] else "")
            empty = f" · empty: {t['empty_note'] or 'no amount printed'}" if t["is_empty"] else ""
            note = f"单位：{t['unit'] or '?'} · {pages} · {t['table_id']} ({t['table_label_en']}) · 目录 {'—' if _blank(t['toc_no']) else int(t['toc_no'])}{empty}"
            sheets.append(Sheet(name, k, str(doc_id), t["table_id"], f"{files.get(doc_id, doc_id)} — {t['title']}", note))
    return sheets


def sheet_frame(out: Output, sheet: Sheet) -> pd.DataFrame:
    """The table's body as printed; a 绩效目标 form from `performance_targets`; empty when nothing was printed."""
    targets = out.performance_targets
    form = targets[(targets["doc_id"] == sheet.doc_id) & (targets["table_id"] == sheet.table_id)]
    if len(form):
        cols = ["project", "level1", "level2", "level3", "target_text", "operator", "value", "value_unit"]
        body = form.sort_values(["page", "row_index"])[cols].assign(value=lambda d: d["value"].map(lambda v: None if _blank(v) else float(v)))
        zh = ["项目名称", "一级指标", "二级指标", "三级指标", "目标值", "operator", "value", "unit"]
        body.columns = pd.MultiIndex.from_arrays([zh, cols], names=("header", "label_en"))
        return body.reset_index(drop=True)
    try:
        return out.table(sheet.doc_id, sheet.table_id)
    except KeyError:
        return pd.DataFrame(columns=pd.MultiIndex.from_tuples([], names=("header", "label_en")))


def export_xlsx(out: Output, path: str) -> str:
    """Write the workbook to `path` (atomically); returns the path."""
    from openpyxl import Workbook

    docs = document_rows(out)
    doc_no = {r["doc_id"]: r["doc_no"] for r in docs}
    book = Workbook()
    _write_records(book.active, "documents", docs, DOC_COLUMNS)
    _write_records(book.create_sheet(), "findings", finding_rows(out, doc_no), FINDING_COLUMNS)
    for sheet in plan_sheets(out, doc_no):
        _write_table(book.create_sheet(), sheet, sheet_frame(out, sheet))
    write_with(path, book.save)
    return path


def _put(ws: Any, row: int, col: int, value: Any, amount: bool = False) -> None:
    value = _cell_value(value)
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _ILLEGAL_XML.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if value.startswith(RISKY_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
        if amount and isinstance(value, (int, float)):
            cell.number_format = AMOUNT_FORMAT


def _write_records(ws: Any, title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    ws.title = title
    for j, c in enumerate(columns, start=1):
        _put(ws, 1, j, c)
    for i, r in enumerate(rows, start=2):
        for j, c in enumerate(columns, start=1):
            _put(ws, i, j, r.get(c), amount=c in ("expected", "actual", "difference", "tolerance"))
    ws.freeze_panes = "A2"


def _write_table(ws: Any, sheet: Sheet, frame: pd.DataFrame) -> None:
    ws.title = sheet.name
    _put(ws, 1, 1, sheet.heading)
    _put(ws, 2, 1, sheet.note)
    for j, (header, label) in enumerate(frame.columns, start=1):
        _put(ws, 3, j, header)
        _put(ws, 4, j, label)
    for i, values in enumerate(frame.itertuples(index=False), start=5):
        for j, v in enumerate(values, start=1):
            _put(ws, i, j, v, amount=True)
    ws.freeze_panes = "A5"


def _safe_stem(file_name: str) -> str:
    stem = os.path.splitext(os.path.basename(file_name))[0]
    return _UNSAFE_NAME.sub("_", stem).strip(" ._")[:60] or "document"


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([inert_csv(h) for h in header])
    for r in rows:
        writer.writerow(["" if _blank(v := _cell_value(x)) else inert_csv(v) for x in r])
    return "\ufeff" + buf.getvalue()  # a BOM, so Excel reads the file as UTF-8


def _records(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Iterator[list[Any]]:
    return ([r.get(c) for c in columns] for r in rows)


def export_csv(out: Output, folder: str) -> list[str]:
    """documents.csv, findings.csv, and `<doc_no>-<file>/<NN>_<table_id>.csv` per table (UTF-8 with BOM)."""
    docs = document_rows(out)
    doc_no = {r["doc_id"]: r["doc_no"] for r in docs}
    files = {r["doc_id"]: r["file_name"] for r in docs}
    written = []
    for name, rows, columns in (("documents.csv", docs, DOC_COLUMNS), ("findings.csv", finding_rows(out, doc_no), FINDING_COLUMNS)):
        path = os.path.join(folder, name)
        write_text_atomic(_csv_text(columns, _records(rows, columns)), path)
        written.append(path)
    for sheet in plan_sheets(out, doc_no):
        frame = sheet_frame(out, sheet)
        sub = f"{doc_no[sheet.doc_id]:03d}-{_safe_stem(files[sheet.doc_id])}"
        path = os.path.join(folder, sub, f"{sheet.no:02d}_{sheet.table_id}.csv")
        header = [f"{h} [{en}]" for h, en in frame.columns]
        write_text_atomic(_csv_text(header, frame.itertuples(index=False)), path)
        written.append(path)
    return written
