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
    report = run_bench([str(sample_pdf)], str(tmp_path), repeats=1, engines=("ours", "camelot"), now=NOW)
    data = json.loads(report.to_json())
    assert data["engines"]["camelot"]["failed"] == [{"file": str(sample_pdf), "error": "RuntimeError: no lattice today"}]
    assert data["engines"]["camelot"]["pages"] == 0
    assert data["ratios"] == {}
    assert data["engines"]["ours"]["pages_per_s"] > 0
    assert "n/a" in report.to_table()
