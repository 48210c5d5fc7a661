"""Build golden CSVs for a corpus PDF from a hand-written spec, without the code under test.

This reader is deliberately independent of ``disclosure_etl``: it reads the ruled
grid of each table page with pdfplumber, places every printed character in the
cell that holds its centre, and turns the cells into golden rows using only what
a person wrote in the document's spec (tests/tools/golden_specs/<doc>.toml):
which pages hold which table, which grid on the page, how many header rows,
and what each column band is (code, name, text, or an amount with its key).

Usage:
    python tests/tools/golden_reader.py dump PDF PAGE [--grid N]   # show the grid bands of a page
    python tests/tools/golden_reader.py build SPEC [--out DIR]     # write tables.csv and <table_id>.csv

The output is then checked by eye against the rendered pages (see README.md).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
ITEM_COLUMNS = ["page", "row_index", "subject_code", "row_label", "side", "column_key", "phase", "amount_text", "amount_yuan"]
TABLE_COLUMNS = ["table_id", "toc_no", "title", "first_page", "last_page", "unit", "is_empty"]
AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
# Subject codes: 类 3 digits, 款 5 (or its 2 own digits), 项 7; a 6-digit unit code (105236 西南大学) is not one.
CODE = re.compile(r"^(\d{2}|\d{3}|\d{5}|\d{7})$")
DEFAULT_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
TOL = 1.5


@dataclass(frozen=True)
class Cell:
    """A ruled cell of the grid and the characters whose centre lies in it."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass(frozen=True)
class Slot:
    """What one (row band, column band) shows: the covering cell and whether the band starts it."""

    text: str
    starts_row: bool
    starts_col: bool
    cell_id: int


@dataclass
class Row:
    """One body row: its page and, per column band, the slot text."""

    page: int
    slots: dict[int, Slot]
    amount_pages: dict[int, int] = field(default_factory=dict)


# ---------------------------------------------------------------- geometry


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
    return out


def _chars(page) -> list[dict]:
    # Some producers draw a glyph twice (fake bold): keep one.
    return [c for c in page.dedupe_chars().chars if c["text"].strip()]


def chars_to_text(chars: list[dict]) -> str:
    """Characters in reading order: lines top to bottom, each left to right, by glyph position."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        mid = (c["top"] + c["bottom"]) / 2
        if lines and abs(mid - (lines[-1][0]["top"] + lines[-1][0]["bottom"]) / 2) < 0.5 * (c["bottom"] - c["top"]):
            lines[-1].append(c)
        else:
            lines.append([c])
    return "\n".join("".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines)


def _inside(c: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _white(color) -> bool:
    values = color if isinstance(color, (tuple, list)) else (color,)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def _visible(obj: dict) -> bool:
    """Drop white filled rectangles without a stroke: cell backgrounds (Word exports), never rulings."""
    if obj.get("object_type") != "rect":
        return True
    return not (obj.get("fill") and not obj.get("stroke") and _white(obj.get("non_stroking_color")))


def find_grids(page, settings: dict | None = None, bbox: list[float] | None = None) -> list:
    """pdfplumber tables of the page (or of a crop of it), top to bottom."""
    area = (page.crop(bbox) if bbox else page).filter(_visible)
    tables = area.find_tables({**DEFAULT_SETTINGS, **(settings or {})})
    return sorted(tables, key=lambda t: (round(t.bbox[1]), t.bbox[0]))


def grid_cells(page, table) -> list[Cell]:
    chars = _chars(page)
    boxes = sorted(table.cells, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    owned: dict[int, list[dict]] = {}
    for c in chars:
        for i, b in enumerate(boxes):
            if _inside(c, b):
                owned.setdefault(i, []).append(c)
                break
    return [Cell(*b, text=chars_to_text(owned.get(i, []))) for i, b in enumerate(boxes)]


def cells_to_bands(cells: list[Cell]) -> tuple[list[float], list[float], list[list[Slot | None]]]:
    """Column edges, row edges, and for every (row band, column band) the covering cell."""
    xs = _cluster([c.x0 for c in cells] + [c.x1 for c in cells])
    ys = _cluster([c.top for c in cells] + [c.bottom for c in cells])
    grid: list[list[Slot | None]] = []
    for i in range(len(ys) - 1):
        row: list[Slot | None] = []
        for j in range(len(xs) - 1):
            x, y = (xs[j] + xs[j + 1]) / 2, (ys[i] + ys[i + 1]) / 2
            hit = next((k for k, c in enumerate(cells) if c.x0 <= x <= c.x1 and c.top <= y <= c.bottom), None)
            if hit is None:
                row.append(None)
                continue
            c = cells[hit]
            row.append(Slot(c.text, abs(c.top - ys[i]) <= TOL, abs(c.x0 - xs[j]) <= TOL, hit))
        grid.append(row)
    return xs, ys, grid


def page_bands(pdf, seg: dict):
    page = pdf.pages[seg["page"] - 1]
    grids = find_grids(page, seg.get("settings"), seg.get("bbox"))
    table = grids[seg.get("grid", 0)]
    cells = grid_cells(page, table)
    return page, cells_to_bands(cells)


def above_grid_row(page, xs: list[float], top: float, bottom: float) -> dict[int, Slot]:
    """A body row printed above the first ruling of a continuation page: characters by column band."""
    slots: dict[int, list[dict]] = {}
    for c in _chars(page):
        mid_y, mid_x = (c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2
        if top <= mid_y < bottom and xs[0] <= mid_x <= xs[-1]:
            j = max(k for k in range(len(xs) - 1) if xs[k] <= mid_x)
            slots.setdefault(j, []).append(c)
    return {j: Slot(chars_to_text(cs), True, True, -1 - j) for j, cs in slots.items()}


# ---------------------------------------------------------------- rows


def _row_slots(band_row: list[Slot | None]) -> dict[int, Slot]:
    return {j: s for j, s in enumerate(band_row) if s is not None}


def _blank(slots: dict[int, Slot]) -> bool:
    """A row band where no cell starts is not a printed row (it lies inside cells merged from above).

    A ruled row printed empty (filler rows of a template) is a body row: it takes a row_index.
    """
    return not any(s.starts_row for s in slots.values())


def _join(prev: Row, cur: Row) -> Row:
    """A row cut by a page break: texts of the same band joined, amounts kept where printed."""
    slots = dict(prev.slots)
    pages = dict(prev.amount_pages)
    for j, s in cur.slots.items():
        if not s.starts_row or not s.text.strip():
            continue
        old = slots.get(j)
        slots[j] = Slot((old.text if old else "") + s.text, True, s.starts_col, s.cell_id)
        pages[j] = cur.page
    return Row(prev.page, slots, pages)


def remap_bands(slots: dict[int, Slot], seg: dict) -> dict[int, Slot]:
    """Page bands -> the table's bands: `band_shift` for all, `band_map` for single bands.

    A continuation page drawn with fewer column rulings (a label cell spanning three bands of the
    first page) maps one band onto several: the first gets the cell, the others a spanned copy.
    """
    shift, mapping = seg.get("band_shift", 0), seg.get("band_map", {})
    out: dict[int, Slot] = {}
    for j, s in slots.items():
        target = mapping.get(str(j), j + shift)
        targets = target if isinstance(target, list) else [target]
        out[targets[0]] = s
        for t in targets[1:]:
            out[t] = Slot(s.text, s.starts_row, False, s.cell_id)
    return out


def segment_rows(pdf, seg: dict) -> list[Row]:
    page, (xs, ys, grid) = page_bands(pdf, seg)
    rows = []
    if "above_grid_top" in seg:
        rows.append(Row(seg["page"], remap_bands(above_grid_row(page, xs, seg["above_grid_top"], ys[0]), seg)))
    skip = set(seg.get("skip_rows", []))
    last = seg.get("last_row")
    for i, band_row in enumerate(grid):
        if i < seg.get("header_rows", 0) or i in skip or (last is not None and i > last):
            continue
        rows.append(Row(seg["page"], remap_bands(_row_slots(band_row), seg)))
    return [r for r in rows if not _blank(r.slots)]


def table_rows(pdf, spec: dict) -> list[Row]:
    rows: list[Row] = []
    for seg in spec["segments"]:
        seg_rows = segment_rows(pdf, seg)
        if seg.get("join_first_row") and rows and seg_rows:
            rows[-1] = _join(rows[-1], seg_rows.pop(0))
        rows.extend(seg_rows)
    return rows


# ---------------------------------------------------------------- items


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _label_text(row: Row, band: int, covering: bool) -> str:
    s = row.slots.get(band)
    if s is None:
        return ""
    return _clean(s.text) if (covering or (s.starts_row and s.starts_col)) else ""


def row_label(row: Row, cols: list[dict], bands: list[int] | None = None) -> str:
    """Name cells joined with '/'; when they are empty, the first non-numeric text of the code/text columns."""
    names = [c for c in cols if c["role"] == "label" and (bands is None or c["band"] in bands)]
    parts, seen = [], set()
    for c in names:
        s = row.slots.get(c["band"])
        # A name cell merged across two name columns is one label, not two.
        if s is not None and s.cell_id not in seen:
            seen.add(s.cell_id)
            parts.append(_label_text(row, c["band"], c.get("covering", True)))
    label = "/".join(p for p in parts if p)
    if label:
        return label
    for c in cols:
        if c["role"] in ("code", "text") and (bands is None or c["role"] == "text" or c["band"] in bands):
            # A text cell merged down (政府采购: one 采购物品名称 over two 采购组织形式 rows) names every row it spans.
            t = _label_text(row, c["band"], c["role"] == "text")
            if t and not CODE.match(t) and not AMOUNT.match(t):
                return t
    return ""


def _label_spans_left(row: Row, bands: list[int]) -> bool:
    return any((s := row.slots.get(b)) is not None and not s.starts_col for b in bands)


def row_code(row: Row, cols: list[dict], last_class: list[str]) -> str:
    """Full subject code from one code column ('201', '03', '2010301') or from 类|款|项 columns."""
    parts = {c["role"]: _label_text(row, c["band"], False) for c in cols if c["role"] in ("code", "code_class", "code_kuan", "code_xiang")}
    if "code" in parts:
        code = parts["code"]
        if not CODE.match(code):
            return ""
        if len(code) == 2 and last_class:
            return last_class[0] + code
        if len(code) == 3:
            last_class[:] = [code]
        return code
    cls, kuan, xiang = parts.get("code_class", ""), parts.get("code_kuan", ""), parts.get("code_xiang", "")
    if not CODE.match(cls or "x"):
        return ""
    return cls + kuan + xiang


def amount_yuan(text: str, unit: str) -> str:
    value = Decimal(text.replace(",", "")) * (10000 if unit == "万元" else 1)
    return f"{value:f}"


def rows_to_items(spec: dict, rows: list[Row], phase: str) -> list[dict]:
    cols = spec["columns"]
    overrides = spec.get("labels", {})
    items = []
    last_class: list[str] = []
    for index, row in enumerate(rows):
        code = row_code(row, cols, last_class)
        for c in (c for c in cols if c["role"] == "amount"):
            slot = row.slots.get(c["band"])
            if slot is None or not slot.starts_row or not slot.starts_col or not slot.text.strip():
                continue
            text = _clean(slot.text)
            if not AMOUNT.match(text):
                raise ValueError(f"{spec['table_id']} p{row.page} row {index}: not an amount {text!r} in band {c['band']}")
            bands = c.get("labels")
            label = row_label(row, cols, bands)
            key = c["key"]
            if bands and c.get("spanned_label_key") and _label_spans_left(row, bands):
                key = c["spanned_label_key"]
            items.append({
                "page": row.amount_pages.get(c["band"], row.page), "row_index": index,
                "subject_code": "" if c.get("side") else code,
                "row_label": overrides.get(f"{index}", label), "side": c.get("side", ""), "column_key": key,
                "phase": c.get("phase", phase), "amount_text": text, "amount_yuan": amount_yuan(text, spec["unit"]),
            })
    return sorted(items, key=lambda r: (r["row_index"], r["side"] or "", r["column_key"]))


# ---------------------------------------------------------------- performance forms


def form_items(pdf, spec: dict, phase: str) -> list[dict]:
    """Money block of a performance-target form: every amount cell in the block and the label cell left of it.

    row_index counts the form's ruled rows from its first one (项目名称; the form has no column header);
    `row_offset` is the number of the form's rows printed on the pages before this grid.
    """
    items = []
    for seg in spec["segments"]:
        page, (xs, ys, grid) = page_bands(pdf, seg)
        first, last = seg["money_rows"]
        for i in range(first, last + 1):
            slots = _row_slots(grid[i])
            for j, s in sorted(slots.items()):
                text = _clean(s.text)
                if not (s.starts_row and s.starts_col and text and AMOUNT.match(text)):
                    continue
                left = [t for k, t in sorted(slots.items()) if k < j and t.cell_id != s.cell_id and t.starts_row and _clean(t.text)]
                items.append({
                    "page": seg["page"], "row_index": i + seg.get("row_offset", 0), "subject_code": "",
                    "row_label": _clean(left[-1].text) if left else "", "side": "", "column_key": "amount",
                    "phase": phase, "amount_text": text, "amount_yuan": amount_yuan(text, spec["unit"]),
                })
    return sorted(items, key=lambda r: (r["row_index"], r["side"], r["column_key"]))


# ---------------------------------------------------------------- documents


def _write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in columns})


def apply_corrections(items: list[dict], corrections: list[dict]) -> list[dict]:
    """Hand corrections listed (with their reason) in the spec: match on fields, set fields."""
    for fix in corrections:
        hits = [r for r in items if all(str(r[k]) == str(v) for k, v in fix["match"].items())]
        if len(hits) != fix.get("count", 1):
            raise ValueError(f"correction {fix['match']} matched {len(hits)} rows")
        for r in hits:
            r.update(fix["set"])
    return sorted(items, key=lambda r: (r["row_index"], r["side"] or "", r["column_key"]))


def build(spec_path: Path, out_root: Path) -> Path:
    doc = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    pdf_path = CORPUS / doc["pdf"]
    out = out_root / Path(doc["pdf"]).parent / Path(doc["pdf"]).stem
    out.mkdir(parents=True, exist_ok=True)
    table_rows_out = []
    per_id: dict[str, list[dict]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for spec in doc.get("tables", []):
            items: list[dict] = []
            if spec.get("segments") and spec.get("kind") == "form":
                items = form_items(pdf, spec, doc["phase"])
            elif spec.get("segments"):
                items = rows_to_items(spec, table_rows(pdf, spec), doc["phase"])
            items = apply_corrections(items, spec.get("corrections", []))
            pages = [s["page"] for s in spec.get("segments", [])] or [spec["first_page"]]
            table_rows_out.append({
                "table_id": spec["table_id"], "toc_no": spec.get("toc_no", ""), "title": spec["title"],
                "first_page": spec.get("first_page", min(pages)), "last_page": spec.get("last_page", max(pages)),
                "unit": spec["unit"], "is_empty": "False" if items else "True",
            })
            if items:
                per_id.setdefault(spec["table_id"], []).extend(items)
    _write(out / "tables.csv", table_rows_out, TABLE_COLUMNS)
    for table_id, items in per_id.items():
        # Several tables of one id (one 绩效目标表 per project) share a file: stable sort keeps document order.
        items = sorted(items, key=lambda r: (r["row_index"], r["side"] or "", r["column_key"]))
        _write(out / f"{table_id}.csv", items, ITEM_COLUMNS)
    return out


def dump(pdf_path: Path, page_no: int, grid: int | None, settings: dict | None) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_no - 1]
        grids = find_grids(page, settings)
        for g, table in enumerate(grids):
            if grid is not None and g != grid:
                continue
            xs, ys, bands = cells_to_bands(grid_cells(page, table))
            print(f"== grid {g} bbox={tuple(round(v) for v in table.bbox)} xs={[round(x) for x in xs]}")
            for i, row in enumerate(bands):
                cells = []
                for j, s in enumerate(row):
                    if s is None:
                        cells.append(f"{j}:-")
                    elif s.starts_row and s.starts_col:
                        cells.append(f"{j}:{_clean(s.text)!r}")
                    else:
                        cells.append(f"{j}:{'^' if not s.starts_row else '<'}")
                print(f"{i:3d} y={ys[i]:.0f}  " + " | ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("pdf")
    d.add_argument("page", type=int)
    d.add_argument("--grid", type=int)
    d.add_argument("--text", action="store_true", help="use the text strategy for vertical edges")
    b = sub.add_parser("build")
    b.add_argument("spec", nargs="+")
    b.add_argument("--out", default=str(ROOT / "tests" / "golden"))
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        pdf = Path(args.pdf)
        dump(pdf if pdf.exists() else CORPUS / pdf, args.page, args.grid, {"vertical_strategy": "text"} if args.text else None)
    else:
        for spec in args.spec:
            print(build(Path(spec), Path(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
