"""The benchmark runs end to end on the sample and writes a readable report; no speed is asserted."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from disclosure_etl.bench import BenchEngine, run_bench

ENGINES = ("ours", "pdfplumber", "pdfium_chars")
NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def bench(tmp_path_factory, sample_pdf):
    out = tmp_path_factory.mktemp("bench")
    report = run_bench([str(sample_pdf)], str(out), repeats=1, engines=ENGINES, now=NOW)
    return report, out / "bench"


def test_writes_timestamped_and_latest_json(bench):
    report, bench_dir = bench
    stamped = bench_dir / "bench-20250102T030405Z.json"
    assert json.loads(stamped.read_text(encoding="utf-8")) == json.loads((bench_dir / "latest.json").read_text(encoding="utf-8"))
    assert json.loads(stamped.read_text(encoding="utf-8")) == json.loads(report.to_json())


def test_scratch_folders_are_removed(bench):
    _report, bench_dir = bench
    assert sorted(p.name for p in bench_dir.iterdir()) == ["bench-20250102T030405Z.json", "latest.json"]


def test_every_engine_read_every_page(bench):
    _report, bench_dir = bench
    data = json.loads((bench_dir / "latest.json").read_text(encoding="utf-8"))
    assert data["pages"] == 19
    assert list(data["engines"]) == list(ENGINES)
    for name, result in data["engines"].items():
        assert result["pages"] == 19, name
        assert result["pages_per_s"] > 0, name
        assert result["work"] > 0, name
        assert result["failed"] == [], name


def test_ratios_and_memory_are_reported(bench):
    _report, bench_dir = bench
    data = json.loads((bench_dir / "latest.json").read_text(encoding="utf-8"))
    assert set(data["ratios"]) == {"ours/pdfplumber", "ours/pdfium_chars"}
    assert all(r > 0 for r in data["ratios"].values())
    assert data["peak_rss_mb"]["ours"] > 0
    assert data["machine"]["cpu_count"] >= 1
    assert data["machine"]["python"]


def test_table_lists_each_engine_and_the_memory(bench):
    report, _bench_dir = bench
    table = report.to_table()
    for name in ENGINES:
        assert name in table
    assert "peak RSS" in table


def test_engines_must_include_ours(tmp_path, sample_pdf):
    with pytest.raises(ValueError, match="ours"):
        run_bench([str(sample_pdf)], str(tmp_path), repeats=1, engines=("pdfplumber",))


def test_unknown_engine_is_refused(tmp_path, sample_pdf):
    with pytest.raises(ValueError):
        run_bench([str(sample_pdf)], str(tmp_path), repeats=1, engines=("ours", "tabula"))
    assert {e.value for e in BenchEngine} == {"ours", "pdfplumber", "camelot", "pdfium_chars"}


def test_a_failing_baseline_is_recorded_and_the_bench_goes_on(tmp_path, sample_pdf, monkeypatch):
    import camelot

    def broken(*_args, **_kwargs):
        raise RuntimeError("no lattice today")

    monkeypatch.setattr(camelot, "read_pdf", broken)
    report = run_bench([str(sample_pdf)], str(tmp_path), repeats=3, engines=("ours", "camelot"), now=NOW)
    data = json.loads(report.to_json())
    assert len(data["engines"]["ours"]["runs_s"]) == 3
    assert len(data["engines"]["camelot"]["runs_s"]) == 2  # CAMELOT_PASSES: the slowest engine, and no target
    assert data["engines"]["camelot"]["failed"] == [{"file": str(sample_pdf), "error": "RuntimeError: no lattice today"}]
    assert data["engines"]["camelot"]["pages"] == 0
    assert data["ratios"] == {}
    assert data["engines"]["ours"]["pages_per_s"] > 0
    assert "n/a" in report.to_table()


# ------------------------------------------------------------------ breakdown, families


def test_stages_and_families_are_reported(bench):
    from disclosure_etl.stageclock import STAGES

    _report, bench_dir = bench
    data = json.loads((bench_dir / "latest.json").read_text(encoding="utf-8"))
    stages = data["engines"]["ours"]["stages_s"]
    assert set(STAGES) <= set(stages) and all(s >= 0 for s in stages.values())
    assert sum(stages.values()) <= data["engines"]["ours"]["best_s"] * 1.01  # exclusive times: never more than the pass
    (family,) = data["families"]
    assert family["family"] == "samples" and family["pages"] == 19
    assert family["ours_s"] > 0 and family["pdfplumber_s"] > 0 and family["ours/pdfplumber"] > 0
    table = _report.to_table()
    assert "stage (ours, best pass)" in table and "family" in table


# ------------------------------------------------------------------ OCR


@pytest.fixture(scope="module")
def scanned_page(tmp_path_factory, sample_pdf):
    """Page 10 of the sample scanned (the other pages blank), and the sample's truth for that page."""
    import csv

    from disclosure_etl.extract.ocr import ocr_available

    if not ocr_available():
        pytest.skip("rapidocr-onnxruntime not installed")
    from samplegen.scanned import pdf_pages_to_scanned

    folder = tmp_path_factory.mktemp("scanned")
    pdf = folder / "page10.pdf"
    pdf.write_bytes(pdf_pages_to_scanned(sample_pdf.read_bytes(), {10}))
    truth = folder / "truth.csv"
    with open(sample_pdf.with_suffix(".truth.csv"), encoding="utf-8", newline="") as src, open(truth, "w", encoding="utf-8", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(r for r in reader if r["page"] == "10")
    return pdf, truth


def test_ocr_bench_times_and_scores_both_ways(scanned_page):
    from disclosure_etl.bench_ocr import run_ocr_bench

    pdf, truth = scanned_page
    ocr = run_ocr_bench(str(pdf), str(truth), repeats=2)
    data = ocr.to_dict()
    assert data["repeats"] == 2
    assert data["pages"] == 19
    assert data["cells_s"] > 0 and data["page_wide_s"] > 0 and data["speedup"] > 0
    assert ocr.cells_accuracy == 1.0 and ocr.page_wide_accuracy == 1.0  # page 10's eleven amounts, both ways
    assert data["peak_rss_mb"]["cells"] > 0 and data["peak_rss_mb"]["page_wide"] > 0


def test_accuracy_counts_a_misread_as_missed_and_extra():
    from decimal import Decimal

    from disclosure_etl.bench_ocr import accuracy

    truth = {("t", 1, "201", "total", Decimal(1)), ("t", 1, "202", "total", Decimal(2))}
    assert accuracy(truth, truth) == 1.0
    assert accuracy(truth, {("t", 1, "201", "total", Decimal(1)), ("t", 1, "202", "total", Decimal(3))}) == pytest.approx(1 / 3)


# ------------------------------------------------------------------ batch checks at scale


def test_batch_scale_builds_an_output_per_size_and_checks_it(tmp_path, sample_pdf):
    from disclosure_etl.bench_batch import CHAIN, run_batch_scale

    result = run_batch_scale([str(sample_pdf)], str(tmp_path), sizes=(3, 6))
    assert [r["documents"] for r in result["runs"]] == [3, 6]
    assert all(r["seconds"] > 0 and r["peak_rss_mb"] > 0 for r in result["runs"])
    assert result["size_ratio"] == 2 and result["time_ratio"] > 0 and result["base_documents"] == 1
    assert result["repeats"] == 3  # each size checked three times, in fresh processes, the fastest kept
    assert CHAIN == 3
    assert list(tmp_path.iterdir()) == []  # the scratch output is removed


def test_batch_check_sizes_take_turns(monkeypatch):
    from disclosure_etl import bench_batch

    order = []
    monkeypatch.setattr(bench_batch, "in_fresh_process", lambda fn, out: order.append(out) or (1.0, 2.0, 3))
    checks = bench_batch._checks_taking_turns({10: "ten", 1: "one"}, 2)
    assert order == ["one", "ten", "one", "ten"]
    assert checks == {1: [(1.0, 2.0, 3)] * 2, 10: [(1.0, 2.0, 3)] * 2}


def test_copies_are_new_documents_chained_over_years(tmp_path, sample_pdf):
    from disclosure_etl.batch import run_batch
    from disclosure_etl.bench_batch import grow_output, load_parts
    from disclosure_etl.crossdoc_read import read_document_index, read_items

    run_batch([str(sample_pdf)], str(tmp_path / "base"))
    parts = load_parts(str(tmp_path / "base"))
    grow_output(parts, str(tmp_path / "out"), 0, 6)
    infos, generations = read_document_index(str(tmp_path / "out"))
    assert len({i.doc_id for i in infos}) == 6
    by_entity: dict[str, list[int]] = {}
    for i in infos:
        by_entity.setdefault(i.entity_id, []).append(i.fiscal_year)
    assert sorted(sorted(years) for years in by_entity.values()) == [[2024, 2025, 2026]] * 2
    assert all(len(read_items(str(tmp_path / "out"), i, generations[i.doc_id])) == 161 for i in infos)
