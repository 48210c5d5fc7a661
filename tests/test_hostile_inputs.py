"""A batch pointed at a hostile folder: names that are not UTF-8, FIFOs and devices named *.pdf,
decompression bombs, markup and escape sequences in names, damaged budgets, an empty output,
and nothing written outside --out. Every file gets a status; nothing hangs, nothing crashes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from batchkit import PLANTED, SAMPLE, SCANNED, content_bomb, font_bomb, form_bomb, image_bomb, long_pdf
from conftest import ROOT

from disclosure_etl.extract.ocr import ocr_available
from disclosure_etl.pipeline import process_document
from disclosure_etl.settings import ExtractSettings

BOMB_RSS_CEILING_MB = 512
"""Peak RSS of any worker on the decompression bombs below (docs/errors.md, "Limits"); measured ~110 MB."""


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), **extra}


def _extract(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    cmd = [sys.executable, "-m", "disclosure_etl", "extract", *args, "--no-progress"]
    return subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, timeout=timeout)


def _docs(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents").set_index("file_name")


def _six_documents(folder: Path, names: list[bytes]) -> None:
    """Six distinct small budgets under the given (bytes) names."""
    sources = [SAMPLE, PLANTED]
    for i, name in enumerate(names):
        target = os.path.join(os.fsencode(folder), name)
        if i < len(sources):
            shutil.copyfile(sources[i], target)
        else:
            long_pdf(SAMPLE, i, Path(os.fsdecode(target)))


# --------------------------------------------------------------------- 1. names


@pytest.mark.parametrize("workers", ["1", "2"])
def test_names_that_are_not_utf8_are_extracted_and_shown_escaped(tmp_path, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    gbk = "财政".encode("gbk") + b".pdf"  # an archive unpacked from a GBK system: b"\xb2\xc6\xd5\xfe.pdf"
    names = [b"a.pdf", gbk, b"c\xff\xfe.pdf", b"d.pdf", b"e.pdf", b"f.pdf"]
    _six_documents(folder, names)
    out = tmp_path / "o"
    proc = _extract(str(folder), "--out", str(out), "--workers", workers)
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    docs = _docs(out)
    assert len(docs) == 6 and (docs.status == "ok").all()
    assert {"\\xb2\\xc6\\xd5\\xfe.pdf", "c\\xff\\xfe.pdf"} <= set(docs.index)
    assert "\\xb2\\xc6\\xd5\\xfe.pdf" in (out / "report.md").read_text(encoding="utf-8").replace("\\\\", "\\")
    again = _extract(str(folder), "--out", str(out), "--workers", workers)
    assert again.returncode == 0 and b"6 already extracted" in again.stderr


# --------------------------------------------------------------------- 4. not files


def test_fifos_devices_and_directories_named_pdf_are_refused_unopened(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pdf")  # opening it would wait for a writer forever
    os.symlink("/dev/zero", folder / "zero.pdf")  # reading it never ends
    os.symlink(folder / "nowhere.pdf", folder / "gone.pdf")
    (folder / "folder.pdf").mkdir()
    shutil.copy(SAMPLE, folder / "folder.pdf" / "inside.pdf")
    shutil.copy(PLANTED, folder / "good.pdf")
    out = tmp_path / "o"
    proc = _extract(str(folder), "--out", str(out), "--workers", "1", timeout=120)
    assert proc.returncode == 0, proc.stderr
    docs = _docs(out)
    codes = {name: (docs.loc[name, "status"], docs.loc[name, "error_code"] if isinstance(docs.loc[name, "error_code"], str) else None)
             for name in docs.index}
    assert codes == {
        "pipe.pdf": ("error", "not_a_file"), "zero.pdf": ("error", "not_a_file"), "folder.pdf": ("error", "not_a_file"),
        "gone.pdf": ("error", "file_not_found"), "inside.pdf": ("ok", None), "good.pdf": ("ok", None),
    }
    assert "a FIFO (named pipe)" in docs.loc["pipe.pdf", "error"] and "a character device" in docs.loc["zero.pdf", "error"]


# --------------------------------------------------------------------- 5. memory

_RUN = """
import json, resource, sys
from disclosure_etl.batch import BatchSettings, run_batch
r = run_batch([sys.argv[1]], sys.argv[2], batch=BatchSettings(workers=int(sys.argv[3]), max_memory_mb=int(sys.argv[4])))
print(json.dumps({"docs": {s.path.rsplit("/", 1)[1]: [s.status.value, [e.code for e in s.errors]] for s in r.summaries},
                  "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >> 10,
                  "main_mb": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) >> 10}))
"""
# The main process's peak from VmHWM: its ru_maxrss would include what the process that spawned
# it (pytest) held when it forked, which Linux carries across exec.


def _run_measured(folder: Path, out: Path, workers: int, max_memory_mb: int = 3072) -> dict:  # type: ignore[type-arg]
    """A batch in a fresh process: its statuses and the peak RSS of its workers (all its children)."""
    proc = subprocess.run([sys.executable, "-c", _RUN, str(folder), str(out), str(workers), str(max_memory_mb)],
                          cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_decompression_bombs_are_refused_within_the_memory_ceiling(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "content.pdf").write_bytes(content_bomb(4096))  # 8 MB inflating to 4 GiB of path operators
    (folder / "content2.pdf").write_bytes(content_bomb(3072))  # a second one beside it, on the other worker
    (folder / "font.pdf").write_bytes(font_bomb(2048))  # an embedded font inflating to 2 GiB
    (folder / "form.pdf").write_bytes(form_bomb(1024, 2000))  # a 1 MB form drawn 2,000 times on one page
    (folder / "image.pdf").write_bytes(image_bomb(60000, 60000))  # an image declaring 3.6 gigapixels
    shutil.copy(SAMPLE, folder / "good.pdf")
    got = _run_measured(folder, tmp_path / "o", workers=2)
    assert got["docs"] == {
        "content.pdf": ["error", ["too_large"]], "content2.pdf": ["error", ["too_large"]], "font.pdf": ["error", ["too_large"]],
        "form.pdf": ["error", ["page_too_large"]], "image.pdf": ["error", ["page_too_large"]], "good.pdf": ["ok", []],
    }
    assert got["workers_mb"] < BOMB_RSS_CEILING_MB, got


def test_one_worker_a_document_past_the_memory_limit_costs_only_itself(tmp_path):
    """--workers 1 runs in a worker too: PDFium aborting under the limit is one document's error."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_dense.pdf").write_bytes(content_bomb(15))  # under the page limit, ~1.2 M path objects to parse
    shutil.copy(SAMPLE, folder / "b_good.pdf")
    got = _run_measured(folder, tmp_path / "o", workers=1, max_memory_mb=256)
    status, codes = got["docs"]["a_dense.pdf"]
    assert status == "error" and codes[0] in ("worker_died", "too_large"), got
    assert got["docs"]["b_good.pdf"] == ["ok", []]
    assert got["main_mb"] < 400, got  # the document never ran in the main process


# --------------------------------------------------------------------- 7. escaping


def test_names_with_markup_and_escape_sequences_are_escaped_everywhere(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "\x1b[2J\x1b]0;owned\x07<script>alert(1)<\\script>.pdf")
    out = tmp_path / "o"
    proc = _extract(str(folder), "--out", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    for stream in (proc.stdout, proc.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    assert b"\\x1b[2J\\x1b]0;owned\\x07<script>" in proc.stderr
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "\x1b" not in report and "<script>" not in report
    assert "&lt;script&gt;alert(1)&lt;" in report


def test_markdown_report_escapes_what_documents_print():
    from disclosure_etl.write.report import IndexRow, render_markdown

    row = IndexRow("d" * 64, "a|b*_.pdf", None, "ok", None, 2024, 1, 1, {"error": 1})
    text = render_markdown([row], [("a|b*_.pdf", "error", "toc_table_missing", "2", "目录 lists '<script>x</script>\n# Heading'")])
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\n# Heading" not in text and "| a\\|b\\*\\_.pdf |" in text


# --------------------------------------------------------------------- 8. damaged budgets


def test_a_scan_wrapped_in_a_form_xobject_reaches_ocr(tmp_path):
    import pikepdf

    with pikepdf.open(SCANNED) as src, pikepdf.new() as pdf:
        page = src.pages[8]  # 一般公共预算支出表, an image
        box = [float(x) for x in page.mediabox]
        pdf.add_blank_page(page_size=(box[2], box[3]))
        pdf.pages[0].add_overlay(page)  # the page becomes a Form XObject holding the image
        pdf.save(tmp_path / "wrapped.pdf")
    plain = process_document(str(tmp_path / "wrapped.pdf"), ExtractSettings(ocr=False))
    assert plain.status.value == "error" and {e.code for e in plain.errors} == {"needs_ocr"}
    if ocr_available():
        read = process_document(str(tmp_path / "wrapped.pdf"))
        assert read.status.value == "ok" and len(read.items) > 20


def test_a_damaged_budget_with_a_toc_is_partial_never_skipped(tmp_path):
    import pikepdf

    with pikepdf.open(SAMPLE) as pdf:
        for page in pdf.pages[2:]:  # every page after the 目录 loses its content; the cover and the 目录 stay
            page.obj.Contents = pdf.make_stream(b"")
        pdf.save(tmp_path / "damaged.pdf")
    result = process_document(str(tmp_path / "damaged.pdf"))
    assert result.status.value == "partial"
    assert [e.code for e in result.errors] == ["tables_not_found"]
    assert "its 目录 lists 11 table(s)" in result.errors[0].message


def test_the_narrative_half_of_a_publication_is_a_budget_read_whole(tmp_path):
    """Only the table pages missing, the 说明 whole: what publishers who split tables and text print."""
    import pikepdf

    with pikepdf.open(SAMPLE) as pdf:
        for page in pdf.pages[3:16]:
            page.obj.Contents = pdf.make_stream(b"")
        pdf.save(tmp_path / "narrative.pdf")
    result = process_document(str(tmp_path / "narrative.pdf"))
    assert (result.status.value, result.info.contents.value, result.errors) == ("ok", "narrative_only", ())


# --------------------------------------------------------------------- 9. load()


def test_load_on_an_empty_or_half_written_output(tmp_path):
    import disclosure_etl
    from disclosure_etl.write.schema import arrow_schema

    out = tmp_path / "o"
    out.mkdir()
    for frame in ("documents", "line_items", "findings"):
        got = disclosure_etl.load(str(out)).frame(frame)
        assert got.empty and set(arrow_schema(frame).names) <= set(got.columns)
    assert disclosure_etl.load(str(out)).summary.empty
    # A run killed before its first flip: a staged document and its new generation, no documents row.
    done = tmp_path / "done"
    proc = _extract(str(SAMPLE), "--out", str(done), "--workers", "1")
    assert proc.returncode == 0
    for part in done.glob("*/fiscal_year=*/*-*.parquet"):
        target = out / part.relative_to(done)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(part, target)
    (out / "_staging" / "x").mkdir(parents=True)
    loaded = disclosure_etl.load(str(out))
    assert loaded.line_items.empty and loaded.documents.empty and loaded.summary.empty


# --------------------------------------------------------------------- 10. writes outside --out


@pytest.mark.skipif(not ocr_available(), reason="needs the [ocr] extra")
def test_ocr_writes_nothing_outside_the_output(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = _env(HOME=str(home))
    env.pop("XDG_CACHE_HOME", None)
    env.pop("ORT_DISABLE_TELEMETRY", None)
    code = "from disclosure_etl.extract.ocr_models import engine, reference_engine; engine(); reference_engine()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=300)
    assert list(home.rglob("*")) == []
