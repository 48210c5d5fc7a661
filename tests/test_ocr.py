"""Scanned pages (an image, no text layer) read through OCR into the same pipeline.

Two image-only documents: the committed scanned sample (tests/data/scanned/,
made by `python -m samplegen --variant scanned`: the seed's pages as bilevel
images, turned 0.4-0.8 degrees, with noise) against the seed's ground truth;
and, built at test time from the corpus (never committed), table pages of one
file of each layout family (Shanghai district, Jiangsu provincial, central
budget and 决算) as greyscale scans, against their golden files. The tests that run OCR need rapidocr-onnxruntime: skipped
without it, except in CI, where it must be installed (the [ocr] extra).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLE_STEM, SAMPLES

from disclosure_etl.extract import ocr_models
from disclosure_etl.extract.ocr import fix_numeric_confusions, ocr_available, split_at_rules, text_to_chars
from disclosure_etl.pipeline import process_document
from disclosure_etl.records import BBox, Rule, Status
from disclosure_etl.settings import ExtractSettings

SCANNED = ROOT / "tests" / "data" / "scanned" / f"{SAMPLE_STEM}_scanned.pdf"
GOLDEN = ROOT / "tests" / "golden"
# Scanned at test time, one file per layout family: table pages (and the 目录
# where given); the other pages stay blank, so page numbers hold.
SCANNED_CORPUS = {
    "上海市普陀区人民政府办公室25年预算.pdf": frozenset({2, *range(8, 21)}),
    "jiangsu/江苏省人民检察院2019年度部门预算公开.pdf": frozenset(range(14, 22)),  # 收支总表 … 机关运行经费
    "central/西南大学2023年部门决算.pdf": frozenset(range(8, 16)),  # 表1-4, the two-sided 收支决算总表 first
    "central/西南大学2023年部门预算.pdf": frozenset(range(7, 11)),  # 收支总表 … 财政拨款支出预算表
}
FONT = os.environ.get("SAMPLEGEN_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
MIN_RATE = 0.99

needs_rapidocr = pytest.mark.skipif(
    not ocr_available() and not os.environ.get("CI"), reason="rapidocr-onnxruntime not installed (pip install '.[ocr]')"
)


@pytest.fixture(scope="module")
def rapidocr() -> None:
    if not ocr_available():
        pytest.fail("rapidocr-onnxruntime must be installed in CI (the [ocr] extra)")


def _compare(name: str, truth: set[tuple], got: set[tuple]) -> None:
    """Recall and precision both at least MIN_RATE; every miss and extra printed."""
    hits = truth & got
    recall, precision = len(hits) / len(truth), len(hits) / max(len(got), 1)
    print(f"{name}: {len(truth)} printed, {len(got)} read, recall {recall:.4f}, precision {precision:.4f}")
    for key in sorted(truth - got, key=str):
        print("  missed", key)
    for key in sorted(got - truth, key=str):
        print("  extra ", key)
    assert recall >= MIN_RATE and precision >= MIN_RATE, (recall, precision)


# ------------------------------------------------------------ scanned sample


@pytest.fixture(scope="module")
def scanned_result(rapidocr):
    return process_document(str(SCANNED))


@needs_rapidocr
def test_scanned_sample_reads_like_its_truth(scanned_result):
    with open(SAMPLES / f"{SAMPLE_STEM}.truth.csv", encoding="utf-8", newline="") as f:
        truth = {
            (r["table_id"], int(r["page"]), r["subject_code"] or None, r["column_key"], Decimal(r["amount_yuan"]))
            for r in csv.DictReader(f)
        }
    got = {(i.table_id.value, i.page_no, i.subject_code, i.column_key, i.amount_yuan) for i in scanned_result.items}
    _compare("scanned sample", truth, got)
    assert scanned_result.status is Status.OK, scanned_result.errors
    assert {i.source for i in scanned_result.items} == {"ocr"}


@needs_rapidocr
def test_low_confidence_findings_point_at_ocr_cells(scanned_result):
    low = [f for f in scanned_result.findings if f.rule_id == "ocr_low_confidence"]
    unsure = [i for i in scanned_result.items if i.confidence < 0.9]
    assert len(low) == len(unsure)
    for finding, item in zip(low, unsure):
        assert finding.bboxes == (item.bbox,) and finding.printed == (item.amount_text,)


def test_without_ocr_the_scanned_sample_says_it_needs_ocr():
    result = process_document(str(SCANNED), ExtractSettings(ocr=False))
    assert result.status in (Status.ERROR, Status.SKIPPED)
    assert not result.items
    assert {e.code for e in result.errors} == {"needs_ocr"}
    assert sorted(e.page_no for e in result.errors) == list(range(1, result.info.n_pages + 1))


@pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed (fonts-wqy-microhei)")
def test_generator_reproduces_committed_scanned_sample(tmp_path):
    subprocess.run([sys.executable, "-m", "samplegen", str(tmp_path), "--variant", "scanned"], cwd=ROOT, check=True)
    assert [p.name for p in tmp_path.iterdir()] == [SCANNED.name]
    assert (tmp_path / SCANNED.name).read_bytes() == SCANNED.read_bytes()


def _packed_and_alone(pdf: str, index: int, monkeypatch) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """The readings of a scanned page's one-line cells (box -> text), short lines packed and each alone."""
    import pypdfium2

    from disclosure_etl.extract import ocr, ocr_engine
    from disclosure_etl.extract.grid import rules_to_grids
    from disclosure_etl.extract.ocr_cells import cells_to_lines, grid_cell_boxes
    from disclosure_etl.extract.page_image import binarise, deskew, despeckle, erase, masks_to_rules, rule_masks, to_grey

    page = pypdfium2.PdfDocument(pdf)[index]
    scale = ocr.render_scale(*page.get_size())
    grey = despeckle(deskew(to_grey(page.render(scale=scale, grayscale=True).to_numpy())), scale)
    h_mask, v_mask = rule_masks(binarise(grey), scale)
    grids = rules_to_grids(masks_to_rules(h_mask, v_mask, scale), ExtractSettings())
    clean = erase(grey, h_mask, v_mask, scale)
    lines = cells_to_lines(clean, [b for g in grids for b in grid_cell_boxes(g, 2.0, scale)]).lines
    engine = ocr_models.engine()
    packed = {tuple(map(tuple, r[0])): r[1] for r in ocr_engine.recognise(engine, clean, lines)}
    with monkeypatch.context() as m:
        m.setattr(ocr_engine, "PACK_MIN_RATIO", float("inf"))  # nothing packed
        alone = {tuple(map(tuple, r[0])): r[1] for r in ocr_engine.recognise(engine, clean, lines)}
    return packed, alone


def _assert_figures_agree(packed: dict, alone: dict, at_least: int) -> None:
    """Every figure or code read alone is read the same packed, spaces aside (they place no character)."""
    import re

    figures = {box: text.replace(" ", "") for box, text in alone.items() if re.fullmatch(r"[\d,.\s]+", text)}
    assert len(figures) >= at_least
    assert {box: packed.get(box, "").replace(" ", "") for box in figures} == figures


@needs_rapidocr
def test_short_lines_read_packed_side_by_side_as_they_read_alone(rapidocr, monkeypatch):
    packed, alone = _packed_and_alone(str(SCANNED), 9, monkeypatch)  # 一般公共预算支出表: codes and figures
    _assert_figures_agree(packed, alone, 30)


@needs_rapidocr
def test_packed_codes_gain_no_marks_at_their_ends(corpus, tmp_path, rapidocr, monkeypatch):
    """Across white or grey gaps the recogniser put '·　' before '11' and '＇' after '05' (a black gap: none)."""
    from samplegen.scanned import pdf_pages_to_scanned

    name = "上海市普陀区人民政府办公室25年预算.pdf"
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(pdf_pages_to_scanned((corpus / name).read_bytes(), SCANNED_CORPUS[name]))
    for index in (8, 11, 14):
        _assert_figures_agree(*_packed_and_alone(str(scanned), index, monkeypatch), 30)


@needs_rapidocr
def test_only_long_lines_the_detector_finds_are_read_at_the_prose_height(rapidocr, monkeypatch):
    import numpy as np

    from disclosure_etl.extract import ocr_engine

    engine = ocr_models.engine()
    heights: list[int] = []
    session = engine.text_rec.session
    monkeypatch.setattr(engine.text_rec, "session", lambda tensor: heights.append(tensor.shape[2]) or session(tensor))
    image = np.full((200, 1200), 255, dtype=np.uint8)
    image[10:40, 10:1100] = image[110:140, 10:1100] = image[160:190, 10:100] = 0
    cell_line, long_found, short_found = (5, 5, 1105, 45), (5, 105, 1105, 145), (5, 155, 105, 195)
    ocr_engine.recognise(engine, image, [cell_line], [long_found, short_found])
    assert sorted(heights) == sorted([ocr_engine.REC_HEIGHT, ocr_engine.REC_HEIGHT, ocr_engine.PROSE_HEIGHT])
    assert ocr_engine.PROSE_HEIGHT < ocr_engine.REC_HEIGHT


# ------------------------------------------------------------- scanned corpus


@needs_rapidocr
@pytest.mark.parametrize("relative", sorted(SCANNED_CORPUS))
def test_scanned_corpus_pdf_reads_like_its_golden_files(corpus, tmp_path, rapidocr, relative):
    """Every family's tables read through OCR as the text layer's golden files print them."""
    from samplegen.scanned import pdf_pages_to_scanned

    source, pages = corpus / relative, SCANNED_CORPUS[relative]
    scanned = tmp_path / source.name
    scanned.write_bytes(pdf_pages_to_scanned(source.read_bytes(), pages))
    result = process_document(str(scanned))
    truth = set()
    for path in sorted((GOLDEN / relative).with_suffix("").glob("*.csv")):
        if path.stem in ("tables", "sections"):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            truth |= {
                (path.stem, int(r["page"]), r["subject_code"] or None, r["side"] or None, r["column_key"], Decimal(r["amount_yuan"]))
                for r in csv.DictReader(f)
                if int(r["page"]) in pages
            }
    got = {
        (i.table_id.value, i.page_no, i.subject_code, i.side.value if i.side else None, i.column_key, i.amount_yuan)
        for i in result.items
    }
    assert truth, relative
    _compare(relative, truth, got)
    assert {i.source for i in result.items} == {"ocr"}


# Narrative pages, one per family and a 决算, scanned at test time: their long
# lines are read at the recogniser's prose height (ocr_engine.PROSE_HEIGHT).
SCANNED_NARRATIVE = {
    "上海市普陀区人民政府办公室25年预算.pdf": 6,  # 预算编制说明: 21 figures
    "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf": 17,
    "jiangsu/江苏省人民检察院2019年度部门预算公开.pdf": 5,
    "central/西南大学2023年部门决算.pdf": 4,  # 24 figures
}


@needs_rapidocr
@pytest.mark.parametrize("relative", sorted(SCANNED_NARRATIVE))
def test_scanned_narrative_reads_like_its_text_layer(corpus, tmp_path, rapidocr, relative):
    """Every amount the text layer prints is read, and the characters read agree.

    Amounts: figures of three characters or more (a list's '4.' before a quote
    mark reads as noise at any input height, and at 48 px the Shanghai page's
    '9,101.68' is once read '9.101.68' beside its correct readings).
    """
    import difflib
    import re

    import pypdfium2
    from samplegen.scanned import pdf_pages_to_scanned

    from disclosure_etl.extract.layout import chars_to_text
    from disclosure_etl.extract.ocr import ocr_page

    source, page_no = corpus / relative, SCANNED_NARRATIVE[relative]
    scanned = tmp_path / source.name
    scanned.write_bytes(pdf_pages_to_scanned(source.read_bytes(), {page_no}))
    printed = re.sub(r"\s", "", pypdfium2.PdfDocument(str(source))[page_no - 1].get_textpage().get_text_range())
    page = ocr_page(pypdfium2.PdfDocument(str(scanned))[page_no - 1], page_no, ExtractSettings())
    read = re.sub(r"\s", "", chars_to_text(page.chars))
    amounts = re.compile(r"\d[\d,.]+\d")
    assert set(amounts.findall(printed)) <= set(amounts.findall(read))
    assert difflib.SequenceMatcher(None, read, printed, autojunk=False).ratio() >= 0.985


# --------------------------------------------------------------------- pure


def test_numeric_confusions_are_fixed_only_inside_numbers():
    assert fix_numeric_confusions("0.O0") == "0.00"
    assert fix_numeric_confusions("1O1，234.5l") == "101,234.51"
    assert fix_numeric_confusions("Oil 2O24年，共3项") == "Oil 2024年，共3项"
    assert fix_numeric_confusions("lO") == "lO"  # no digit: a word, not a number


def test_characters_spread_across_their_box():
    chars = text_to_chars("合计 12.5", BBox(0, 0, 40, 10), 0.8)
    assert "".join(c.text for c in chars) == "合计12.5"
    widths = [c.bbox.x1 - c.bbox.x0 for c in chars]
    assert widths[0] == pytest.approx(2 * widths[-1])  # CJK a full em, digits half
    assert chars[0].bbox.x0 == 0 and chars[-1].bbox.x1 == pytest.approx(40.0)
    assert {c.confidence for c in chars} == {0.8}


def test_text_boxes_are_cut_at_rulings():
    rules = [Rule(50, 0, 50, 100), Rule(80, 200, 80, 300)]  # the second is on another row
    pieces = split_at_rules((10, 20, 120, 40), rules, 1.0)
    assert [(round(a), round(b)) for a, _, b, _ in pieces] == [(10, 49), (51, 120)]


def test_each_busy_worker_gets_its_share_of_the_cores():
    from disclosure_etl.batch.executors import core_share

    assert core_share(cores=2, workers=2, tasks=1) == 2  # one document: both cores
    assert core_share(cores=2, workers=2, tasks=40) == 1  # a document per core
    assert core_share(cores=8, workers=2, tasks=40) == 4
    assert core_share(cores=1, workers=4, tasks=4) == 1
    with pytest.raises(ValueError, match="ocr_threads"):
        ExtractSettings(ocr_threads=-1)


def test_the_batch_sets_ocr_threads_unless_the_settings_fix_them():
    from disclosure_etl.batch.model import WorkerJob
    from disclosure_etl.batch.run import _with_threads

    job = WorkerJob("out", ExtractSettings(), 0)
    assert _with_threads(job, 2).settings.ocr_threads == 2
    fixed = WorkerJob("out", ExtractSettings(ocr_threads=3), 0)
    assert _with_threads(fixed, 2).settings.ocr_threads == 3


@needs_rapidocr
def test_the_engine_runs_its_models_on_the_callers_thread_alone(rapidocr):
    """One inference thread: pages are read several at a time instead, each on its own thread."""
    one = ocr_models.engine()
    assert ocr_models.engine() is one
    for session in (one.text_det.infer.session, one.text_rec.session.session):
        assert session.get_session_options().intra_op_num_threads == 1


@needs_rapidocr
def test_pages_read_at_once_read_as_one_at_a_time(rapidocr, tmp_path):
    """Four scanned pages read by two workers: the same characters, in the same page order, as read in turn."""
    import pypdfium2

    from disclosure_etl.extract.source import read_pages

    subset = pypdfium2.PdfDocument.new()
    subset.import_pages(pypdfium2.PdfDocument(str(SCANNED)), [0, 8, 9, 14])
    path = tmp_path / "four.pdf"
    subset.save(str(path))
    alone, together = (list(read_pages(str(path), ExtractSettings(ocr_threads=n))) for n in (1, 2))
    assert [p.page_no for p in together] == [1, 2, 3, 4]
    assert all(p.source == "ocr" and p.chars for p in together)
    assert together == alone
