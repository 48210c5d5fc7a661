"""The sample PDF in samples/ prints what its ground-truth files say, where they say it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pdfplumber
import pytest

SAMPLES = Path(__file__).parents[1] / "samples"
STEM = "dh_2024_department_budget"


@pytest.fixture(scope="module")
def pages() -> dict[int, tuple[set[str], str]]:
    """1-based page number -> (the page's words, the page's text)."""
    with pdfplumber.open(SAMPLES / f"{STEM}.pdf") as pdf:
        return {
            i: ({w["text"] for w in page.extract_words()}, page.extract_text())
            for i, page in enumerate(pdf.pages, start=1)
        }


def _json(suffix: str) -> list[dict]:
    return json.loads((SAMPLES / f"{STEM}.{suffix}.json").read_text(encoding="utf-8"))


def _truth() -> list[dict]:
    with open(SAMPLES / f"{STEM}.truth.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_truth_amount_is_printed_on_its_page(pages):
    spans = {t["table_id"]: (t["first_page"], t["last_page"]) for t in _json("tables")}
    rows = _truth()
    assert rows
    for row in rows:
        page = int(row["page"])
        where = f"{row['table_id']} row {row['row_index']} {row['column_key']}"
        assert spans[row["table_id"]][0] <= page <= spans[row["table_id"]][1], where
        assert row["amount_text"] in pages[page][0], f"{where}: {row['amount_text']} not on page {page}"


def test_each_table_title_is_printed_on_its_first_page_only(pages):
    tables = _json("tables")
    assert [t["no"] for t in tables] == list(range(1, 12))
    for t in tables:
        assert t["title"] in pages[t["first_page"]][1], t["table_id"]
        for page in range(t["first_page"] + 1, t["last_page"] + 1):
            assert t["title"] not in pages[page][1], f"{t['table_id']}: title repeated on page {page}"


def test_each_section_heading_is_printed_on_its_first_page(pages):
    for s in _json("sections"):
        assert s["first_page"] <= s["last_page"], s["key"]
        assert s["heading"] in pages[s["first_page"]][1], s["key"]
