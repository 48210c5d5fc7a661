"""Five hundred and more damaged budgets through a real batch (two workers, every limit on).

Seeded mutants of generated budgets — byte flips, truncation, a whole object deleted — must each get
a status and a stable code, never a traceback; and a document called `ok` must not have silently
lost amounts: where the mutation did not touch a page's content stream, an `ok` mutant holds every
amount of the unmutated document (keyed by table, subject code and column). Where amounts could not
be read, the status says so (`partial`, amounts_unreadable / tables_not_found / page codes).
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from batchkit import content_ranges, generated_inputs, mutants, touches
from conftest import SAMPLES

import disclosure_etl
from disclosure_etl.batch import BatchSettings, run_batch
from disclosure_etl.errors import ErrorCode
from disclosure_etl.settings import ExtractSettings

N_MUTANTS = 700
MIN_DISTINCT = 500
_KEY = ["table_id", "subject_code", "column_key", "amount_yuan"]


def _amounts(out, doc_id: str) -> Counter:  # type: ignore[no-untyped-def,type-arg]
    items = out.line_items[out.line_items.doc_id == doc_id]
    return Counter(tuple(str(v) for v in row) for row in items[_KEY].itertuples(index=False))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    sources_dir = generated_inputs(root / "src", batch_docs=2)
    for pdf in SAMPLES.glob("*.pdf"):  # every generated family: Jiangxi, Jiangsu, central
        shutil.copy(pdf, sources_dir / pdf.name)
    paths = sorted(sources_dir.glob("*.pdf"))
    sources = [p.read_bytes() for p in paths]
    ranges = [content_ranges(data) for data in sources]
    folder = root / "in"
    folder.mkdir()
    meta = {}
    for i, src, kind, data, touched in mutants(sources, N_MUTANTS, seed=20261127):
        name = f"m{i:04d}-{kind}.pdf"
        (folder / name).write_bytes(data)
        meta[name] = (paths[src].name, kind, touches(touched, ranges[src]))
    run_batch([str(sources_dir)], str(root / "base"), batch=BatchSettings(workers=2))
    # OCR off: a mutant whose fonts lost their ToUnicode map would be read from its images (slow, and
    # tested in test_bad_files); here it must say text_unmapped.
    result = run_batch([str(folder)], str(root / "out"), ExtractSettings(ocr=False), BatchSettings(workers=2, timeout_s=120))
    return root, meta, result


def test_every_mutant_gets_a_status_and_a_stable_code(fuzzed):
    root, meta, result = fuzzed
    assert len(result.summaries) + len(result.skipped) == N_MUTANTS
    out = disclosure_etl.load(str(root / "out"))
    docs = out.documents
    assert len(docs) == len(result.summaries) >= MIN_DISTINCT  # the skipped are byte-identical duplicates
    codes = {c.value for c in ErrorCode}
    assert set(docs.error_code.dropna()) <= codes
    assert "internal_error" not in set(docs.error_code.dropna()), docs[docs.error_code == "internal_error"].error.tolist()
    for s in result.summaries:
        if s.status.value != "ok":
            assert s.errors and all(e.code in codes for e in s.errors), s
    print("\nfuzz statuses:", dict(Counter(zip(docs.status, docs.error_code.fillna("")))))


def test_no_ok_mutant_silently_lost_amounts(fuzzed):
    root, meta, _ = fuzzed
    base = disclosure_etl.load(str(root / "base"))
    expected = {row.file_name: _amounts(base, row.doc_id) for row in base.documents.itertuples()}
    out = disclosure_etl.load(str(root / "out"))
    compared, lost, extra = 0, {}, 0
    for row in out.documents.itertuples():
        source, _kind, touched_content = meta[row.file_name]
        if row.status != "ok" or touched_content:
            continue
        compared += 1
        got = _amounts(out, row.doc_id)
        missing = expected[source] - got
        extra += sum((got - expected[source]).values())
        if missing:
            lost[row.file_name] = sorted(missing)[:3]
    print(f"\nfuzz: {compared} ok mutants compared with their source; {extra} amounts beyond the source's")
    assert compared >= 12  # most damage is reported (damaged_objects, damaged filter names too): these are the mutants read as whole
    assert lost == {}


def test_damaged_budgets_are_never_skipped_when_they_say_budget(fuzzed):
    root, *_ = fuzzed
    docs = disclosure_etl.load(str(root / "out")).documents
    skipped = docs[docs.status == "skipped"]
    assert (skipped.error_code == "not_a_budget").all()
    assert len(skipped) <= len(docs) // 100  # text and grids both gone; the issue saw 95 of 300
