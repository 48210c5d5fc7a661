"""Batch output: real Parquet read back by a fresh Python, the schema doc, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES

from disclosure_etl.cli import run as main
from disclosure_etl.write.schema import SCHEMAS, schema_markdown


def test_schema_doc_is_current():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(), "docs/schema.md is stale: run `disclosure-etl schema --markdown > docs/schema.md`"


def test_extract_writes_parquet_readable_with_plain_pandas(tmp_path, sample_pdf, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(sample_pdf), "--out", str(out)]) == 0
    for name in SCHEMAS:
        assert list((out / name).rglob("*.parquet")), name
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    # A fresh interpreter with only pandas and pyarrow, as an analyst would have.
    code = (
        "import json, sys, pandas as pd; d = pd.read_parquet(sys.argv[1]);"
        "print(json.dumps({'rows': len(d), 'cols': list(d.columns), 'amount': str(d.amount_yuan.iloc[0])}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(out / "line_items")], capture_output=True, text=True, env=env, check=True)
    got = json.loads(proc.stdout)
    assert got["rows"] == 161
    assert "amount_yuan" in got["cols"] and "." in got["amount"]


def test_report_page_links_to_its_pdf(tmp_path, sample_pdf):
    """The page's link to the PDF is relative to where the page is committed (report/), not to where it was staged."""
    import re
    import shutil
    from urllib.parse import unquote

    pdf = tmp_path / "in" / "a.pdf"
    pdf.parent.mkdir()
    shutil.copy(sample_pdf, pdf)
    out = tmp_path / "out"
    assert main(["extract", str(pdf), "--out", str(out), "--no-progress"]) == 0
    (page,) = (out / "report").glob("*.html")
    hrefs = set(re.findall(r"href='([^'#]+\.pdf)", page.read_text(encoding="utf-8")))
    assert hrefs and all((page.parent / unquote(h)).resolve() == pdf.resolve() for h in hrefs), hrefs


def test_bad_file_is_reported_and_batch_goes_on(tmp_path, sample_pdf, capsys):
    src = tmp_path / "in 中文 目录（全角）"
    src.mkdir()
    (src / "not a pdf.pdf").write_text("<html>404</html>", encoding="utf-8")
    (src / "预算 2024.pdf").write_bytes(sample_pdf.read_bytes())
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    import pandas as pd

    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert docs.loc["not a pdf.pdf", "status"] == "error"
    assert docs.loc["not a pdf.pdf", "error_code"] == "not_a_pdf"
    assert "not a pdf.pdf" in docs.loc["not a pdf.pdf", "error"] and "HTML" in docs.loc["not a pdf.pdf", "error"]
    assert docs.loc["预算 2024.pdf", "status"] == "ok"
    assert "not_a_pdf" in capsys.readouterr().out  # the status summary lists the code


def test_all_files_failing_gives_nonzero_exit(tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    assert main(["extract", str(bad), "--out", str(tmp_path / "o")]) == 1


def test_missing_path_is_a_usage_error(tmp_path):
    assert main(["extract", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2


def test_regeneration_flag_is_off():
    assert not os.environ.get("DISCLOSURE_REGEN"), "DISCLOSURE_REGEN must not be set in a test run"


def test_docs_name_every_column_key_in_use(tmp_path):
    vocab = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    import pandas as pd

    main(["extract", str(SAMPLES), "--out", str(tmp_path)])
    keys = set(pd.read_parquet(Path(tmp_path) / "line_items").column_key)
    assert all(f"`{k}`" in vocab for k in keys), keys


def test_every_check_is_documented():
    from disclosure_etl.reconcile import all_rule_ids

    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert not [r for r in sorted(all_rule_ids()) if f"`{r}`" not in doc]


def test_vocabulary_files_cover_the_code():
    from disclosure_etl.catalogue import load_vocabulary
    from disclosure_etl.normalize.headers import KEY_RULES
    from disclosure_etl.records import TableKind

    vocab = load_vocabulary()
    assert set(vocab.tables) == {k.value for k in TableKind}
    assert {key for _, key in KEY_RULES} | {"total", "three_public_total", "overseas_travel", "vehicle_total"} <= set(vocab.columns)
    doc = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert all(f"`{k}`" in doc for k in list(vocab.tables) + list(vocab.columns))
