"""Real published documents against their golden files (one case per document and table).

Golden files live in tests/golden/<pdf stem>/: `<table_id>.csv` (every printed
amount), `tables.csv` (every numbered table and its pages) and `sections.csv`.
They were built by extraction and then checked: by the arithmetic of each
table (tests/test_corpus_facts.py), against pdfplumber's independent reading
of the same pages (test_golden_amounts_are_printed_on_their_page below), and
by looking at rendered pages where anything was doubtful.

`DISCLOSURE_REGEN=1` writes `*.new` files beside them for review; a missing
golden file fails.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, corpus_dir

from disclosure_etl.pipeline import process_document

GOLDEN = ROOT / "tests" / "golden"
ITEM_COLUMNS = ["page", "row_index", "subject_code", "row_label", "side", "column_key", "phase", "amount_text", "amount_yuan"]
TABLE_COLUMNS = ["table_id", "toc_no", "title", "first_page", "last_page", "unit", "is_empty"]
SECTION_COLUMNS = ["key", "heading", "first_page", "last_page"]
_AMOUNT_IN_WORD = re.compile(r"(?<![\d,.])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d,.])")
_FORMATTED_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")


def _corpus_pdfs() -> list[Path]:
    """Every corpus PDF, the families in subfolders (jiangsu/, central/) included."""
    path = corpus_dir()
    return sorted(path.rglob("*.pdf")) if path else []


def golden_dir(pdf: Path) -> Path:
    """tests/golden/<subfolder of the corpus>/<pdf stem>/."""
    corpus = corpus_dir()
    sub = pdf.parent.relative_to(corpus) if corpus and pdf.is_relative_to(corpus) else Path()
    return GOLDEN / sub / pdf.stem


@cache
def _result(pdf: str):
    return process_document(pdf)


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in columns})
    return buf.getvalue()


def _item_rows(result, table_id: str) -> list[dict]:
    rows = [
        {
            "page": i.page_no, "row_index": i.row_index, "subject_code": i.subject_code, "row_label": i.row_label,
            "side": i.side.value if i.side else None, "column_key": i.column_key, "phase": i.phase,
            "amount_text": i.amount_text, "amount_yuan": f"{i.amount_yuan:f}",
        }
        for i in result.items
        if i.table_id.value == table_id
    ]
    return sorted(rows, key=lambda r: (r["row_index"], r["side"] or "", r["column_key"]))


def _table_rows(result) -> list[dict]:
    return [
        {
            "table_id": t.table_id.value if t.table_id else None, "toc_no": t.toc_no, "title": t.title,
            "first_page": t.first_page, "last_page": t.last_page, "unit": t.unit.value if t.unit else None,
            "is_empty": t.is_empty,
        }
        for t in result.tables
    ]


def _section_rows(result) -> list[dict]:
    return [{"key": s.key, "heading": s.heading, "first_page": s.pages[0], "last_page": s.pages[-1]} for s in result.sections]


def _compare(path: Path, actual: str) -> None:
    if os.environ.get("DISCLOSURE_REGEN"):
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.with_suffix(path.suffix + ".new").write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path.relative_to(ROOT)} (DISCLOSURE_REGEN=1 writes a .new to review)"
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        exp, act = set(expected.splitlines()), set(actual.splitlines())
        raise AssertionError(f"{path.name}: missing {sorted(exp - act)[:10]} unexpected {sorted(act - exp)[:10]}")


def _cases() -> list[tuple[Path, str]]:
    cases = []
    for pdf in _corpus_pdfs():
        folder = golden_dir(pdf)
        kinds = {p.stem for p in folder.glob("*.csv")} - {"tables", "sections"}
        cases.extend((pdf, k) for k in sorted(kinds | {"tables", "sections"}))
    return cases


@pytest.mark.parametrize("pdf,name", _cases(), ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_golden(pdf: Path, name: str):
    result = _result(str(pdf))
    path = golden_dir(pdf) / f"{name}.csv"
    if name == "tables":
        _compare(path, _csv(_table_rows(result), TABLE_COLUMNS))
    elif name == "sections":
        _compare(path, _csv(_section_rows(result), SECTION_COLUMNS))
    else:
        _compare(path, _csv(_item_rows(result, name), ITEM_COLUMNS))


@pytest.mark.parametrize("pdf", _corpus_pdfs(), ids=lambda p: p.stem)
def test_every_extracted_table_has_a_golden_file(pdf: Path):
    result = _result(str(pdf))
    kinds = {i.table_id.value for i in result.items}
    missing = [k for k in sorted(kinds) if not (golden_dir(pdf) / f"{k}.csv").exists()]
    if os.environ.get("DISCLOSURE_REGEN"):
        for k in missing:
            _compare(golden_dir(pdf) / f"{k}.csv", _csv(_item_rows(result, k), ITEM_COLUMNS))
        return
    assert not missing, f"tables without a golden file: {missing}"


def test_corpus_has_goldens(corpus):
    assert all((golden_dir(p) / "tables.csv").exists() for p in corpus.rglob("*.pdf"))


@pytest.mark.parametrize("pdf", _corpus_pdfs(), ids=lambda p: p.stem)
def test_golden_amounts_are_printed_on_their_page(pdf: Path):
    """Independent reading: pdfplumber's words on each table page hold exactly the golden amounts.

    Every formatted amount (with a separator or decimals) on a table page, in the
    vertical span of the tables, is a golden row, and every golden amount is a
    word on its page.
    """
    import pdfplumber

    golden: dict[int, Counter] = {}
    for path in (golden_dir(pdf)).glob("*.csv"):
        if path.stem in ("tables", "sections"):
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                golden.setdefault(int(row["page"]), Counter())[row["amount_text"]] += 1
    spans = _table_spans(_result(str(pdf)))
    with pdfplumber.open(pdf) as doc:
        for page_no, (top, bottom) in spans.items():
            words = [w["text"] for w in doc.pages[page_no - 1].extract_words() if top - 1 <= w["top"] <= bottom + 1]
            # pdfplumber may glue an amount to the next cell's label ('91,016,775.35一、…').
            printed = Counter(a for w in words for a in _AMOUNT_IN_WORD.findall(w))
            want = golden.get(page_no, Counter())
            formatted = Counter({k: v for k, v in want.items() if _FORMATTED_AMOUNT.match(k)})
            assert printed == formatted, f"page {page_no}: printed-not-golden {printed - formatted}, golden-not-printed {formatted - printed}"
            missing = [k for k in want if not any(k == w or k in _AMOUNT_IN_WORD.findall(w) for w in words)]
            assert not missing, f"page {page_no}: golden amounts not printed: {missing}"


def _table_spans(result) -> dict[int, tuple[float, float]]:
    spans: dict[int, tuple[float, float]] = {}
    for i in result.items:
        top, bottom = spans.get(i.page_no, (i.bbox.top, i.bbox.bottom))
        spans[i.page_no] = (min(top, i.bbox.top), max(bottom, i.bbox.bottom))
    return spans


@pytest.mark.parametrize("pdf", _corpus_pdfs(), ids=lambda p: p.stem)
def test_every_toc_table_and_section_is_found(pdf: Path):
    """What the 目录 declares is found: its tables (unless the file holds only the narrative) and its sections."""
    from disclosure_etl.extract.document import extract_document
    from disclosure_etl.extract.toc import entry_level
    from disclosure_etl.normalize.titles import title_to_kind

    doc = extract_document(str(pdf))
    result = _result(str(pdf))
    found_kinds = {t.table_id for t in result.tables}
    toc = list(doc.toc)
    narrative_only = result.info.contents.value == "narrative_only"
    for i, entry in enumerate(toc):
        if entry.is_table:
            assert narrative_only or title_to_kind(entry.title) in found_kinds, entry.title
        # A heading directly followed by tables only groups them (五、部门预算表); a tables-only file has no sections.
        elif not (i + 1 < len(toc) and toc[i + 1].is_table) and result.info.contents.value != "tables_only":
            depth = max(1, entry_level(entry.title)[0])  # a 目录 listing （一）… lists subsections too
            assert any(s.level <= depth and s.heading for s in result.sections if _same_heading(s.heading, entry.title)), entry.title


def _same_heading(printed: str, listed: str) -> bool:
    from disclosure_etl.extract.narrative import _matches

    return _matches(printed, listed) or _matches(printed.split("（")[0], listed)
