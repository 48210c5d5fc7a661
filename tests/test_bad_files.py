"""Hostile and broken input: every file gets a status and a stable error code; nothing escapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_etl.errors import ErrorCode
from disclosure_etl.pipeline import process_document

STATUSES = {"ok", "partial", "error", "skipped"}
CODES = {c.value for c in ErrorCode}


@pytest.fixture(scope="module")
def sample_bytes(sample_pdf) -> bytes:
    return sample_pdf.read_bytes()


def _codes(result) -> set[str]:
    return {e.code for e in result.errors}


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    r = process_document(str(path))
    assert r.status.value == "error" and _codes(r) == {"empty_file"}
    assert str(path) in r.errors[0].message


def test_html_saved_as_pdf(tmp_path):
    path = tmp_path / "下载失败.pdf"
    path.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    r = process_document(str(path))
    assert r.status.value == "error" and _codes(r) == {"not_a_pdf"}
    assert "HTML" in r.errors[0].message


def test_truncated_download(tmp_path, sample_bytes):
    path = tmp_path / "half.pdf"
    path.write_bytes(sample_bytes[: len(sample_bytes) // 2])
    r = process_document(str(path))
    assert r.status.value in ("error", "partial")
    assert "truncated_pdf" in _codes(r)


def test_corrupt_xref_is_repaired(tmp_path, sample_bytes, sample_result):
    start = sample_bytes.rindex(b"startxref")
    broken = sample_bytes[:start] + b"startxref\n999999\n%%EOF\n"
    path = tmp_path / "xref.pdf"
    path.write_bytes(broken)
    r = process_document(str(path))
    assert r.status.value == "ok"
    assert len(r.items) == len(sample_result.items)


def test_encrypted_with_unknown_password(tmp_path, sample_pdf):
    pikepdf = pytest.importorskip("pikepdf")
    path = tmp_path / "locked.pdf"
    with pikepdf.open(sample_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    r = process_document(str(path))
    assert r.status.value == "error" and _codes(r) == {"encrypted"}


def test_owner_password_only_just_opens(tmp_path, sample_pdf, sample_result):
    pikepdf = pytest.importorskip("pikepdf")
    path = tmp_path / "owner.pdf"
    with pikepdf.open(sample_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="", owner="owner", allow=pikepdf.Permissions(extract=False)))
    r = process_document(str(path))
    assert r.status.value == "ok" and len(r.items) == len(sample_result.items)


def _pdf(path: Path, pages: list[tuple[float, float, list[str]]]) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for width, height, lines in pages:
        c.setPageSize((width, height))
        for i, line in enumerate(lines):
            c.drawString(72, height - 72 - 14 * i, line)
        c.showPage()
    c.save()
    return path


def test_not_a_budget(tmp_path):
    path = _pdf(tmp_path / "minutes.pdf", [(595, 842, ["Meeting minutes", "Nothing to see here."])])
    r = process_document(str(path))
    assert r.status.value == "skipped" and _codes(r) == {"not_a_budget"}


def test_page_over_the_size_limit_is_refused(tmp_path):
    path = _pdf(tmp_path / "huge.pdf", [(595, 842, ["a normal page"]), (20000, 20000, ["an enormous page"])])
    r = process_document(str(path), max_crops=10)
    assert "page_too_large" in _codes(r)
    assert any(e.page_no == 2 for e in r.errors)


def test_mixed_folder_finishes_with_a_status_for_every_file(tmp_path, sample_pdf, capsys):
    """Good, scanned and broken files in one folder: exit 0, a summary, a documents row each."""
    import pandas as pd
    import pypdfium2 as pdfium
    from conftest import ROOT

    from disclosure_etl.cli import run

    src = tmp_path / "mixed"
    src.mkdir()
    (src / "good.pdf").write_bytes(sample_pdf.read_bytes())
    scanned = pdfium.PdfDocument(str(ROOT / "tests/data/scanned/dh_2024_department_budget_scanned.pdf"))
    one = pdfium.PdfDocument.new()
    one.import_pages(scanned, [8])  # 一般公共预算支出表 as an image
    one.save(str(src / "scanned.pdf"))
    (src / "error-page.pdf").write_text("<html>502 Bad Gateway</html>", encoding="utf-8")
    (src / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    assert run(["extract", str(src), "--out", str(out), "--no-progress", "--workers", "2"]) == 0
    docs = pd.read_parquet(out / "documents").set_index("file_name")
    assert len(docs) == 4
    assert docs.loc["good.pdf", "status"] == "ok"
    assert docs.loc["error-page.pdf", "error_code"] == "not_a_pdf" and docs.loc["empty.pdf", "error_code"] == "empty_file"
    scanned_status = docs.loc["scanned.pdf", "status"]
    assert scanned_status in ("ok", "error")  # ok with the [ocr] extra, error (needs_ocr) without it
    if scanned_status == "error":
        assert docs.loc["scanned.pdf", "error_code"] == "needs_ocr"
    summary = capsys.readouterr().out
    assert "status" in summary and "not_a_pdf" in summary and "empty_file" in summary


def test_every_error_code_is_documented():
    from conftest import ROOT

    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert [c.value for c in ErrorCode if f"| `{c.value}` |" not in text] == []


# ------------------------------------------------- a page's resources damaged


def _page_objects(data: bytes) -> list[tuple[int, int, bool]]:
    """(page number, its object number, whether it holds fonts of its own) for each page."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(n, p.obj.objgen[0], "/Font" in p.obj.get("/Resources", {})) for n, p in enumerate(pdf.pages, 1)]


def _without_resources(data: bytes, number: int) -> bytes:
    """Object `number` (a page) with `/Resources` damaged to `/Rasources`, as a flipped byte does: its fonts are gone."""
    import re

    start = re.search(rb"(?m)^%d 0 obj\b" % number, data).start()  # type: ignore[union-attr]
    at = data.index(b"/Resources", start, data.index(b"endobj", start))
    return data[:at] + b"/Rasources" + data[at + len(b"/Resources") :]


@pytest.mark.parametrize("stem", ["dh_2024_department_budget", "dh_2024_seed_layout", "jiangsu_2019_department_budget",
                                  "central_2023_department_budget"])
def test_a_page_whose_resources_are_damaged_is_never_a_clean_ok(tmp_path, stem):
    """PDFium draws a page without its fonts in a stand-in font: its text reads as other characters or
    none, and its amounts vanish without a word. Every such page is reported (damaged_objects, partial)."""
    from conftest import SAMPLES

    data = (SAMPLES / f"{stem}.pdf").read_bytes()
    pages = [(n, obj) for n, obj, has_fonts in _page_objects(data) if has_fonts]
    assert len(pages) >= 8
    for page_no, obj in pages:
        path = tmp_path / f"{stem}_p{page_no}.pdf"
        path.write_bytes(_without_resources(data, obj))
        r = process_document(str(path))
        damage = [e.message for e in r.errors if e.code == "damaged_objects"]
        assert r.status.value == "partial" and damage, (page_no, r.status, r.errors)
        assert f"page(s) {page_no} draw what they do not hold (font /" in damage[0] and "not in its resources" in damage[0]


def _one_page(content: bytes, resources: bytes, *extra: bytes) -> bytes:
    from batchkit import pdf_from_objects

    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources %s >>" % resources
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream, *extra])


_F1 = b"/F1 5 0 R"
_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_FORM = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length 30 >>\nstream\nBT /F1 9 Tf 72 700 Td (b) Tj ET\nendstream"


@pytest.mark.parametrize(("content", "resources", "gaps"), [
    (b"BT /F1 12 Tf 72 720 Td (a) Tj ET", b"<< /Font << %s >> >>" % _F1, ()),
    (b"BT /F#31 12 Tf (a) Tj ET", b"<< /Font << %s >> >>" % _F1, ()),  # the same name, written with an escape
    (b"BT /F1 12 Tf (a) Tj /F2 -8.5 Tf (b) Tj ET", b"<< /Font << %s >> >>" % _F1, ("font /F2 not in its resources",)),
    (b"BT /F1 12 Tf (a) Tj ET", b"<< >>", ("font /F1 not in its resources",)),
    (b"q /Fx Do Q /Im0 Do", b"<< /Font << %s >> /XObject << /Fx 6 0 R >> >>" % _F1, ("XObject /Im0 not in its resources",)),  # the form draws with the page's fonts
])
def test_names_the_content_draws_with_are_looked_up_as_pdfium_does(tmp_path, content, resources, gaps):
    from disclosure_etl.extract.limits import check_limits
    from disclosure_etl.settings import ExtractSettings

    path = tmp_path / "one.pdf"
    path.write_bytes(_one_page(content, resources, _HELVETICA, _FORM))
    limits = check_limits(str(path), ExtractSettings())
    assert limits.unresolved == ({0: gaps} if gaps else {})


def test_a_damaged_contents_or_filter_key_is_never_a_clean_ok(tmp_path, sample_bytes):
    """A page's /Contents key, or its content stream's /Filter key or filter name, damaged by one byte:
    the page reads as blank (or as garbage) and its table is gone; each is damaged_objects, partial."""
    import io
    import re

    import pikepdf

    with pikepdf.open(io.BytesIO(sample_bytes)) as pdf:
        pages = [(p.obj.objgen[0], p.obj.Contents.objgen[0]) for p in pdf.pages]
    for page_obj, content_obj in pages:
        for obj, key in ((page_obj, b"/Contents"), (content_obj, b"/Filter"), (content_obj, b"/FlateDecode")):
            start = re.search(rb"(?m)^%d 0 obj\b" % obj, sample_bytes).start()  # type: ignore[union-attr]
            at = sample_bytes.index(key, start) + 2
            path = tmp_path / "damaged.pdf"
            path.write_bytes(sample_bytes[:at] + b"a" + sample_bytes[at + 1 :])
            r = process_document(str(path))
            assert r.status.value == "partial" and "damaged_objects" in _codes(r), (page_obj, key, r.status, r.errors)


def test_a_blank_page_and_an_uncompressed_page_are_not_damage(tmp_path):
    from batchkit import pdf_from_objects

    from disclosure_etl.extract.limits import check_limits
    from disclosure_etl.settings import ExtractSettings

    blank = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"  # no /Contents: an empty page
    text = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>"
    content = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                                       blank, text, stream, _HELVETICA]))
    limits = check_limits(str(path), ExtractSettings())
    assert (limits.damaged, limits.missing, limits.syntax, limits.unresolved) == ((), (), (), {})


# ----------------------------------------------------- text without its ToUnicode map


def _without_to_unicode(data: bytes, which: int) -> bytes:
    """The sample with the ToUnicode map of its `which`-th font left out (the key renamed)."""
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ToUnicode" in o]
    fonts[which]["/ToUnicodX"] = fonts[which]["/ToUnicode"]
    del fonts[which]["/ToUnicode"]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_text_that_does_not_map_to_characters_is_said_and_read_from_the_image(tmp_path, sample_bytes, sample_result):
    """Figures drawn with a font without its ToUnicode map read as control codes: never a clean ok.

    Without OCR the pages say text_unmapped; with it they are read from their image, every amount as printed.
    """
    from disclosure_etl.extract.ocr import ocr_available
    from disclosure_etl.settings import ExtractSettings

    path = tmp_path / "no_to_unicode.pdf"
    path.write_bytes(_without_to_unicode(sample_bytes, 0))
    plain = process_document(str(path), ExtractSettings(ocr=False))
    assert ErrorCode.TEXT_UNMAPPED.value in _codes(plain) and plain.status.value != "ok"
    if not ocr_available():
        pytest.skip("rapidocr-onnxruntime not installed")
    read = process_document(str(path))
    printed = {(i.table_id, i.page_no, i.subject_code, i.column_key, i.amount_yuan) for i in sample_result.items}
    assert {(i.table_id, i.page_no, i.subject_code, i.column_key, i.amount_yuan) for i in read.items} == printed
    assert "ocr" in {i.source for i in read.items}


def test_a_chinese_page_is_not_garbled_text():
    from disclosure_etl.extract.unmapped import is_garbled

    assert not is_garbled("2024年部门收支总表 单位：万元 合计 1,234.56 ×× · 30°")
    assert is_garbled("\x15\x13\x15\x18ᒤ䜘䰘᭦ޕ亴㇇ᙫ㺘 \x1b\x15\x0f\x13\x1c")
    assert is_garbled("óòôõúåë ab9:¸[134]")


def test_a_font_without_its_to_unicode_map_is_known_whatever_its_codes_read_as(tmp_path, corpus):
    """A real budget whose CJK fonts (Type0, Identity-H) lost their ToUnicode maps: its large subsets' glyph
    numbers fall on CJK code points too, so some pages read as plausible Chinese, yet every page with
    text says text_unmapped — the fonts themselves say their codes cannot be mapped."""
    import pikepdf
    import pypdfium2 as pdfium

    from disclosure_etl.extract.limits import check_limits
    from disclosure_etl.extract.unmapped import is_garbled
    from disclosure_etl.settings import ExtractSettings

    source = next(p for p in sorted(corpus.glob("*.pdf")) if "25年预算" in p.name and "单位" not in p.name)
    path = tmp_path / "fonts_unmapped.pdf"
    with pikepdf.open(source) as pdf:
        for font in (o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"):
            del font["/ToUnicode"]
        pdf.save(path)
    doc = pdfium.PdfDocument(str(path))
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    doc.close()
    plausible = [i + 1 for i, text in enumerate(texts) if text.strip() and not is_garbled(text)]
    assert plausible, "a page whose glyph numbers read as plausible text: what the characters alone miss"
    assert check_limits(source.as_posix(), ExtractSettings()).unmapped == {}
    assert set(check_limits(str(path), ExtractSettings()).unmapped) == {i for i, text in enumerate(texts) if text.strip()}
    result = process_document(str(path), ExtractSettings(ocr=False))
    said = {e.page_no for e in result.errors if e.code == ErrorCode.TEXT_UNMAPPED.value}
    assert set(plausible) <= said and result.status.value != "ok"
    assert not result.items  # glyph numbers are no amounts: nothing read as if it were


def test_only_type0_fonts_of_glyph_numbers_without_a_map_are_unmapped():
    import pikepdf

    from disclosure_etl.extract.fonts import unmapped_font

    pdf = pikepdf.new()  # holds the ToUnicode streams while the fonts are asked

    def font(encoding: str, ordering: str, to_unicode: bool) -> pikepdf.Dictionary:
        cid = pikepdf.Dictionary(Subtype=pikepdf.Name.CIDFontType2,
                                 CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering=ordering, Supplement=0))
        out = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, Encoding=pikepdf.Name(encoding),
                                 DescendantFonts=pikepdf.Array([cid]))
        if to_unicode:
            out.ToUnicode = pdf.make_stream(b"")
        return out

    assert unmapped_font(font("/Identity-H", "Identity", False))
    assert unmapped_font(font("/Identity-V", "Identity", False))
    assert not unmapped_font(font("/Identity-H", "Identity", True))
    assert not unmapped_font(font("/Identity-H", "GB1", False))  # PDFium's own CID tables map Adobe-GB1
    assert not unmapped_font(font("/UniGB-UCS2-H", "GB1", False))  # the CMap names Unicode itself
    assert not unmapped_font(pikepdf.Dictionary(Subtype=pikepdf.Name.TrueType))
