"""The planted-errors variant: every plant is reported where it was planted, and nothing else is.

Runs on the committed tests/data/planted/ PDF (test_samplegen.py checks it is
what the generator makes); nothing is generated here.
"""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import ROOT

from disclosure_etl.records import BBox, Finding, Severity
from samplegen.planted import PLANTED, SLUG, Plant

PDF = ROOT / "tests" / "data" / "planted" / f"{SLUG}.pdf"
# Rules still being implemented: they must be reported, and fail loudly when not.
BEING_IMPLEMENTED = {"narrative_share", "narrative_old_name"}
WARNINGS = {"placeholder", "narrative_old_name"}
# A finding about the document as a whole: an absent table has no page to point at.
DOCUMENT_LEVEL = {"required_table_missing"}

PLANT_RULES = [(p, r) for p in PLANTED for r in p.rule_ids]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    from disclosure_etl.pipeline import process_document

    return list(process_document(str(PDF)).findings)


@pytest.fixture(scope="module")
def pages() -> dict[int, tuple[str, list[dict]]]:
    """Page number -> (its text without whitespace, its words)."""
    with pdfplumber.open(PDF) as pdf:
        wanted = {p.page for p in PLANTED}
        return {n: (_compact(pdf.pages[n - 1].extract_text() or ""), pdf.pages[n - 1].extract_words()) for n in wanted}


def _on_cell(box: BBox, word: dict) -> bool:
    xc, yc = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box.x0 - 1 <= xc <= box.x1 + 1 and box.top - 1 <= yc <= box.bottom + 1


def _points_at(f: Finding, page: int, cells: list[dict]) -> bool:
    """One of the finding's boxes, on `page`, covers one of the planted cells' words."""
    boxes = [b for b, p in zip(f.bboxes, f.bbox_pages, strict=True) if p == page]
    return any(_on_cell(b, w) for b in boxes for w in cells)


def _at_plant(f: Finding, plant: Plant) -> bool:
    if f.rule_id in DOCUMENT_LEVEL:
        return f.pages == ()
    return plant.page in f.pages


def _describe(f: Finding) -> str:
    return f"{f.rule_id} [{f.severity.value}] pages={f.pages} table={f.table_id} col={f.column_key}: {f.message}"


@pytest.mark.parametrize("plant", PLANTED, ids=lambda p: p.kind)
def test_plant_is_printed_on_its_page(plant, pages):
    text, words = pages[plant.page]
    assert _compact(plant.cell_text) in text, f"{plant.cell_text!r} is not on page {plant.page}"
    if plant.is_cell:
        assert any(w["text"] == plant.cell_text for w in words), f"no cell reads {plant.cell_text!r} on page {plant.page}"


@pytest.mark.parametrize(("plant", "rule"), PLANT_RULES, ids=lambda x: x.kind if isinstance(x, Plant) else x)
def test_plant_is_reported(plant, rule, findings, pages):
    same_rule = [f for f in findings if f.rule_id == rule and f.severity is not Severity.ROUNDING]
    if not same_rule and rule in BEING_IMPLEMENTED:
        pytest.fail(f"{rule} is not reported at all: the rule is being implemented and this plant expects it")
    hits = [f for f in same_rule if _at_plant(f, plant)]
    assert hits, f"{rule} not reported on page {plant.page}; reported: {[_describe(f) for f in same_rule]}"
    want = Severity.WARNING if rule in WARNINGS else Severity.ERROR
    assert all(f.severity is want for f in hits), [_describe(f) for f in hits]
    if plant.is_cell:
        cells = [w for w in pages[plant.page][1] if w["text"] == plant.cell_text]
        pointing = [f for f in hits if _points_at(f, plant.page, cells)]
        assert pointing, f"no {rule} finding points at the planted cell {plant.cell_text!r}: {[_describe(f) for f in hits]}"


def test_nothing_else_is_flagged(findings):
    unexplained = [
        _describe(f)
        for f in findings
        if f.severity is not Severity.ROUNDING and not any(f.rule_id in p.rule_ids and _at_plant(f, p) for p in PLANTED)
    ]
    assert unexplained == []
