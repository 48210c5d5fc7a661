"""The samplegen layout families end to end: every table and every amount against the generator's truth.

Families (samplegen/families.py): `seed` (the seed's own layout), `jiangsu`
(a provincial department's twelve tables) and `central` (a university's
tables and project forms). Their PDFs and truth files are committed in
samples/; test_samplegen.py checks that the generator reproduces them. The
truth is the generator's data, never the pipeline's output; the last tests
read the PDFs with pdfplumber to check that the truth is what the pages print
and that each family has the layout traits it is meant to carry.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from decimal import Decimal
from functools import cache

import pdfplumber
import pytest
from conftest import SAMPLES

from disclosure_etl.pipeline import process_document

FAMILIES = {"seed": "dh_2024_seed_layout", "jiangsu": "jiangsu_2019_department_budget",
            "central": "central_2023_department_budget"}
_FORMATTED_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")


@cache
def _result(stem: str):
    return process_document(str(SAMPLES / f"{stem}.pdf"))


@cache
def _truth(stem: str) -> tuple[dict[str, str], ...]:
    with open(SAMPLES / f"{stem}.truth.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _json(stem: str, suffix: str) -> list[dict]:
    return json.loads((SAMPLES / f"{stem}.{suffix}.json").read_text(encoding="utf-8"))


def _table_cases() -> list[tuple[str, int]]:
    return [(f, t["no"]) for f, stem in FAMILIES.items() for t in _json(stem, "tables")]


def _id_cases() -> list[tuple[str, str]]:
    return sorted({(f, t["table_id"]) for f, stem in FAMILIES.items() for t in _json(stem, "tables") if not t["empty"]})


def _key(table_id, page, row_index, code, label, side, column, phase, text, yuan) -> tuple:  # type: ignore[no-untyped-def]
    # A form's rows have no numbering of their own; compare its amounts without it.
    row = None if table_id.endswith("performance_targets") else int(row_index)
    return (int(page), row, code or None, label, side or None, column, phase, text, Decimal(yuan))


@pytest.mark.parametrize("family,no", _table_cases(), ids=lambda v: str(v))
def test_table_found_with_its_id_and_pages(family: str, no: int):
    stem = FAMILIES[family]
    want = next(t for t in _json(stem, "tables") if t["no"] == no)
    found = [t for t in _result(stem).tables if t.table_id and t.table_id.value == want["table_id"]]
    pages = [(t.first_page, t.last_page) for t in found]
    assert (want["first_page"], want["last_page"]) in pages, f"{want['title']}: want pages {want['first_page']}-{want['last_page']}, got {pages}"
    got = next(t for t in found if (t.first_page, t.last_page) == (want["first_page"], want["last_page"]))
    assert got.unit is not None and got.unit.value == want["unit"], want["title"]
    assert got.is_empty == want["empty"], want["title"]


def test_no_table_beyond_the_truth():
    for family, stem in FAMILIES.items():
        assert len(_result(stem).tables) == len(_json(stem, "tables")), family


@pytest.mark.parametrize("family,table_id", _id_cases(), ids=lambda v: str(v))
def test_amounts_equal_truth(family: str, table_id: str):
    stem = FAMILIES[family]
    truth = Counter(_key(*(r[k] for k in ("table_id", "page", "row_index", "subject_code", "row_label", "side",
                                            "column_key", "phase", "amount_text", "amount_yuan")))
                    for r in _truth(stem) if r["table_id"] == table_id)
    got = Counter(
        _key(table_id, i.page_no, i.row_index, i.subject_code, i.row_label, i.side.value if i.side else None,
             i.column_key, i.phase, i.amount_text, i.amount_yuan)
        for i in _result(stem).items if i.table_id.value == table_id
    )
    assert truth, "the truth holds amounts for this table"
    missing, extra = sorted(truth - got, key=str), sorted(got - truth, key=str)
    assert not missing and not extra, f"missing {missing[:8]} extra {extra[:8]}"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_document_read_ok_with_its_sections(family: str):
    stem = FAMILIES[family]
    result = _result(stem)
    assert result.status.value == "ok", result.errors
    got = {}
    for s in result.sections:
        got.setdefault(s.key, s.pages[0])
    for s in _json(stem, "sections"):
        assert got.get(s["key"]) == s["first_page"], f"section {s['key']} ({s['heading']}): want page {s['first_page']}"


@cache
def _pages(stem: str) -> tuple[dict, ...]:
    """Per page: its words (text, top, x0), its horizontal and vertical rulings."""
    out = []
    with pdfplumber.open(SAMPLES / f"{stem}.pdf") as pdf:
        for page in pdf.pages:
            edges = page.lines + page.rects
            out.append({
                "words": [(w["text"], w["top"], w["bottom"], w["x0"]) for w in page.extract_words()],
                "horizontal": [e for e in edges if abs(e["top"] - e["bottom"]) < 1],
                "vertical": [e for e in edges if abs(e["x0"] - e["x1"]) < 1],
                "text": page.extract_text() or "",
            })
    return tuple(out)


def _ruled_words(page: dict) -> list[str]:
    """Words inside the vertical extent of the page's rulings (the grids)."""
    rules = page["horizontal"] + page["vertical"]
    if not rules:
        return []
    top, bottom = min(e["top"] for e in rules), max(e["bottom"] for e in rules)
    return [t for t, w_top, w_bottom, _ in page["words"] if top - 1 <= w_top and w_bottom <= bottom + 1]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_truth_amounts_are_printed_on_their_pages(family: str):
    """Independent reading: each page's grids print exactly the truth's amounts
    with separators or decimals, and every truth amount is a word of its page."""
    stem = FAMILIES[family]
    spans: dict[str, list[range]] = {}
    for t in _json(stem, "tables"):
        spans.setdefault(t["table_id"], []).append(range(t["first_page"], t["last_page"] + 1))
    per_page: dict[int, Counter] = {}
    for r in _truth(stem):
        page = int(r["page"])
        assert any(page in s for s in spans[r["table_id"]]), f"{r['table_id']} row {r['row_index']}: page {page} outside the table"
        per_page.setdefault(page, Counter())[r["amount_text"]] += 1
    table_pages = {p for ranges in spans.values() for s in ranges for p in s}
    for page_no in sorted(table_pages):
        page = _pages(stem)[page_no - 1]
        words = _ruled_words(page)
        printed = Counter(w for w in words if _FORMATTED_AMOUNT.match(w))
        want = per_page.get(page_no, Counter())
        formatted = Counter({k: v for k, v in want.items() if _FORMATTED_AMOUNT.match(k)})
        assert printed == formatted, f"page {page_no}: printed-not-truth {printed - formatted}, truth-not-printed {formatted - printed}"
        assert all(k in words for k in want), f"page {page_no}: truth amounts not printed: {[k for k in want if k not in words]}"


def _first_row_page(stem: str, table_id: str) -> int:
    return min(int(r["page"]) for r in _truth(stem) if r["table_id"] == table_id and r["row_index"] == "0")


def test_jiangsu_traits_are_printed():
    """The page breaks and lines the Jiangsu family exists for are really on its pages."""
    stem = FAMILIES["jiangsu"]
    pages = _pages(stem)
    # The 目录 runs onto page 2.
    assert "目" in pages[0]["text"] and "名词解释" in pages[1]["text"] and "名词解释" not in pages[0]["text"]
    # '八、社会保障和就业支出' is cut after '就': the head and its amount on one page, '业支出' atop the next.
    cut = next(r for r in _truth(stem) if r["row_label"] == "八、社会保障和就业支出")
    head, tail = pages[int(cut["page"]) - 1], pages[int(cut["page"])]
    assert "八、社会保障和就" in [w[0] for w in head["words"]] and cut["amount_text"] in [w[0] for w in head["words"]]
    first_word = min(tail["words"], key=lambda w: (w[1], w[3]))
    assert first_word[0] == "业支出"
    # A table goes on with no ruling above its next page's first row.
    tables = _json(stem, "tables")
    assert any(_open_top(pages[t["last_page"] - 1]) for t in tables if t["last_page"] > t["first_page"])
    # A title sits at a page foot, its grid overleaf.
    assert any(_first_row_page(stem, t["table_id"]) > t["first_page"] for t in tables if not t["empty"])
    # Every table has its 公开NN表 line and the 部门：… 单位：万元 line.
    text = "".join(p["text"] for p in pages)
    assert all(f"公开{t['no']:02d}表" in text for t in tables)
    assert text.count("单位：万元") == len(tables)


def _open_top(page: dict) -> bool:
    """The page's first ruled row has vertical rulings but no horizontal one above its text."""
    if not page["vertical"] or not page["horizontal"]:
        return False
    top_word = min(w[1] for w in page["words"])
    return min(e["top"] for e in page["horizontal"]) > top_word and min(e["top"] for e in page["vertical"]) < top_word


def test_central_form_runs_on_with_other_column_lines():
    stem = FAMILIES["central"]
    pages = _pages(stem)
    forms = [t for t in _json(stem, "tables") if t["table_id"] == "project_performance_targets"]
    assert all(t["title"].endswith("绩效目标表") for t in forms)
    running = [t for t in forms if t["last_page"] > t["first_page"]]
    assert running

    def columns(page: dict) -> set[int]:
        return {round(e["x0"]) for e in page["vertical"]}

    assert any(columns(pages[t["first_page"] - 1]) != columns(pages[t["last_page"] - 1]) for t in running)


def test_central_form_indicators_keep_their_levels():
    """Every indicator of every project form, with its 一级 and 二级 even on the
    page a form runs on to, as the generator's data gives them."""
    from samplegen.central_forms import PROJECTS

    want = {(p.name, l1, l2, l3, value) for p in PROJECTS for l1, groups in p.indicators
            for l2, items in groups for l3, value, _ in items}
    got = {(t.project, t.level1, t.level2, t.level3, t.target_text) for t in _result(FAMILIES["central"]).targets}
    assert sorted(want - got) == [] and sorted(got - want) == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_titles_and_sections_are_printed_where_the_truth_says(family: str):
    stem = FAMILIES[family]
    text = [re.sub(r"\s+", "", p["text"]) for p in _pages(stem)]
    for t in _json(stem, "tables"):
        assert t["title"] in text[t["first_page"] - 1], f"{t['title']} not on page {t['first_page']}"
    for s in _json(stem, "sections"):
        assert re.sub(r"\s+", "", s["heading"]) in text[s["first_page"] - 1], f"{s['key']} not on page {s['first_page']}"
