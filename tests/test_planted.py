"""The planted variants: every plant is reported where it was planted — right rule, table, page and
cell — and nothing else is, neither on the planted variant nor on the clean document it was made from.

Runs on the committed tests/data/planted/ PDFs (the seed's, Jiangsu's and the central family's;
test_samplegen.py checks they are what the generator makes) and on the clean documents in samples/;
nothing is generated here.
"""

from __future__ import annotations

import re
from functools import cache

import pdfplumber
import pytest
from conftest import ROOT, SAMPLES

from disclosure_etl.records import BBox, Finding, Severity
from samplegen.planted import SEED, Plant, Planting, Report
from samplegen.planted_families import PLANTINGS

PLANTED_DIR = ROOT / "tests" / "data" / "planted"
VARIANTS = {"seed": SEED, **PLANTINGS}
CLEAN = {"seed": "dh_2024_department_budget", "jiangsu": "jiangsu_2019_department_budget",
         "central": "central_2023_department_budget"}
WARNINGS = {"placeholder", "narrative_old_name"}
# A finding about the document as a whole: an absent table has no page to point at.
DOCUMENT_LEVEL = {"required_table_missing"}

PLANTS = [(v, p) for v, planting in VARIANTS.items() for p in planting.plants]
PLANT_REPORTS = [(v, p, r) for v, p in PLANTS for r in p.reports]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def _findings(pdf: str) -> tuple[Finding, ...]:
    from disclosure_etl.pipeline import process_document

    return tuple(process_document(pdf).findings)


def findings_of(variant: str) -> tuple[Finding, ...]:
    return _findings(str(PLANTED_DIR / f"{VARIANTS[variant].slug}.pdf"))


@cache
def page_of(variant: str, page: int) -> tuple[str, tuple[dict, ...]]:
    """A page of the planted variant: its text without whitespace, and its words."""
    with pdfplumber.open(PLANTED_DIR / f"{VARIANTS[variant].slug}.pdf") as pdf:
        p = pdf.pages[page - 1]
        return _compact(p.extract_text() or ""), tuple(p.extract_words())


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


def _reports(f: Finding, plant: Plant, report: Report) -> bool:
    """The finding is the one `report` asks of `plant`: its rule, its table, at the plant's page."""
    return f.rule_id == report.rule_id and f.table_id == report.table_id and _at_plant(f, plant)


def _describe(f: Finding) -> str:
    return f"{f.rule_id} [{f.severity.value}] pages={f.pages} table={f.table_id} col={f.column_key}: {f.message}"


def _id(x: object) -> str:
    return x.kind if isinstance(x, Plant) else x.rule_id if isinstance(x, Report) else str(x)


@pytest.mark.parametrize(("variant", "plant"), PLANTS, ids=_id)
def test_plant_is_printed_on_its_page(variant, plant):
    text, words = page_of(variant, plant.page)
    assert _compact(plant.cell_text) in text, f"{plant.cell_text!r} is not on page {plant.page}"
    if plant.is_cell:
        assert any(w["text"] == plant.cell_text for w in words), f"no cell reads {plant.cell_text!r} on page {plant.page}"


@pytest.mark.parametrize(("variant", "plant", "report"), PLANT_REPORTS, ids=_id)
def test_plant_is_reported(variant, plant, report):
    same_rule = [f for f in findings_of(variant) if f.rule_id == report.rule_id and f.severity is not Severity.ROUNDING]
    hits = [f for f in same_rule if _reports(f, plant, report)]
    assert hits, f"{report} not reported on page {plant.page}; reported: {[_describe(f) for f in same_rule]}"
    want = Severity.WARNING if report.rule_id in WARNINGS else Severity.ERROR
    assert all(f.severity is want for f in hits), [_describe(f) for f in hits]
    if plant.is_cell:
        cells = [w for w in page_of(variant, plant.page)[1] if w["text"] == plant.cell_text]
        pointing = [f for f in hits if _points_at(f, plant.page, cells)]
        assert pointing, f"no {report.rule_id} finding points at the planted cell {plant.cell_text!r}: {[_describe(f) for f in hits]}"
    elif plant.table_id is None and any("「" in f.message for f in hits):
        quoting = [f for f in hits if _compact(plant.cell_text) in _compact(f.message + "".join(f.printed))]
        assert quoting, f"no {report.rule_id} finding quotes the planted sentence {plant.cell_text!r}: {[_describe(f) for f in hits]}"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_nothing_else_is_flagged(variant):
    planting: Planting = VARIANTS[variant]
    unexplained = [
        _describe(f)
        for f in findings_of(variant)
        if f.severity is not Severity.ROUNDING and not any(_reports(f, p, r) for p in planting.plants for r in p.reports)
    ]
    assert unexplained == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_clean_document_flags_nothing(variant):
    """The document the variant was made from: no finding beyond printed rounding (the seed's own)."""
    flagged = [_describe(f) for f in _findings(str(SAMPLES / f"{CLEAN[variant]}.pdf")) if f.severity is not Severity.ROUNDING]
    assert flagged == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_plant_has_a_kind_of_its_own(variant):
    kinds = [p.kind for p in VARIANTS[variant].plants]
    assert len(kinds) == len(set(kinds)) and all(p.reports for p in VARIANTS[variant].plants)
