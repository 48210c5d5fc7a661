"""The HTML report in a real headless Chromium: no console errors, counts equal the Parquet's, crops load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLES

from disclosure_etl.cli import run as main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium / chromedriver not installed (apt-get install chromium chromium-driver)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def out(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("report")
    assert main(["extract", str(SAMPLES), str(corpus), "--out", str(out)]) == 0
    return out


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_index_count_equals_parquet(browser, out: Path):
    browser.get((out / "report.html").as_uri())
    shown = int(browser.find_element("id", "finding-count").text)
    assert shown == len(pd.read_parquet(out / "findings"))
    links = browser.find_elements("css selector", "#documents a")
    assert len(links) == len(pd.read_parquet(out / "documents"))
    assert _errors(browser) == []


def test_document_pages_load_with_their_crops(browser, out: Path):
    findings = pd.read_parquet(out / "findings")
    for page in sorted((out / "report").glob("*.html")):
        browser.get(page.as_uri())
        cards = browser.find_elements("css selector", ".finding")
        own = findings[(findings.scope == "document") & findings.doc_id.str.startswith(page.stem)]
        assert len(cards) == len(own), page.name
        for img in browser.find_elements("css selector", ".finding img"):
            assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img), page.name
        assert _errors(browser) == [], page.name


HOSTILE = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "<b onmouseover=alert(2)>bold</b>"]


def _hostile_pdf(path: Path) -> Path:
    """A one-table 'budget' whose title, department and cells hold markup."""
    from reportlab.pdfgen import canvas

    from samplegen.text import DEFAULT_FONT_PATH, register_font

    if not os.path.exists(os.environ.get("SAMPLEGEN_FONT", DEFAULT_FONT_PATH)):
        pytest.skip("CJK font not installed")
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(register_font(os.environ.get("SAMPLEGEN_FONT", DEFAULT_FONT_PATH)), 10)
    c.drawString(72, 800, f"{HOSTILE[0]} 2024 budget")
    c.drawString(72, 760, "Table: \u6536\u652f\u9884\u7b97\u603b\u8868 " + HOSTILE[2])  # a title the alias table knows
    xs, ys = [72, 250, 400], [700, 680, 660]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.drawString(80, 686, "item")
    c.drawString(260, 686, "amount")
    c.drawString(80, 666, HOSTILE[1][:20])
    c.drawString(260, 666, HOSTILE[1])
    c.showPage()
    c.save()
    return path


def test_document_text_is_inert_in_the_report(browser, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _hostile_pdf(src / '"><script>name.pdf')
    out = tmp_path / "out"
    main(["extract", str(src), "--out", str(out)])
    pages = [out / "report.html", *sorted((out / "report").glob("*.html"))]
    assert len(pages) == 2
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img src=x" not in html and "<b onmouseover" not in html
        browser.get(page.as_uri())
        assert browser.execute_script("return document.querySelectorAll('script, img[src=x], b[onmouseover]').length") == 0
        assert _errors(browser) == [], page.name
    # The markup is shown, as text: escaped in the file, visible on the page.
    shown = " ".join(p.read_text(encoding="utf-8") for p in pages)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown  # the department as printed on the cover
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


# ------------------------------------------------ evidence beside every finding

WORK = "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf"


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory, corpus):
    """The Shanghai family at the corpus top, the sample, and a file that is not a PDF."""
    src = tmp_path_factory.mktemp("src")
    (src / "broken.pdf").write_text("<html>404</html>", encoding="utf-8")
    out = tmp_path_factory.mktemp("shanghai")
    pdfs = [str(p) for p in sorted(corpus.glob("*.pdf"))]
    assert main(["extract", *pdfs, str(SAMPLES), str(src), "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    return out


def _page_of(out: Path, file_name: str) -> Path:
    docs = pd.read_parquet(out / "documents")
    doc_id = docs.set_index("file_name").at[file_name, "doc_id"]
    return out / "report" / f"{doc_id[:24]}.html"


def _plan(pdf: Path, rule_id: str):
    """The pictures the pipeline plans for the first finding of `rule_id` (from the real extraction)."""
    from disclosure_etl.catalogue import load_catalogue
    from disclosure_etl.extract.crops import finding_requests, table_frame
    from disclosure_etl.extract.document import extract_document
    from disclosure_etl.normalize.document import normalize_document
    from disclosure_etl.pipeline import process_document

    result = process_document(str(pdf))
    norm = normalize_document(extract_document(str(pdf)), result.info.doc_id, pdf.name, load_catalogue())
    frames = [table_frame(t.raw, t.info.table_id.value if t.info.table_id else None) for t in norm.tables]
    index, finding = next((i, f) for i, f in enumerate(result.findings) if f.rule_id == rule_id)
    return index, finding, finding_requests(finding, frames)


def _text_in(pdf: Path, band) -> str:  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    from disclosure_etl.extract.render import page_chars

    doc = pdfium.PdfDocument(str(pdf))
    try:
        chars = page_chars(doc[band.page_no - 1])
    finally:
        doc.close()
    return "".join(c for c, b in chars if band.top <= b.yc <= band.bottom)


def _figure(browser, card_rule: str, page_no: int):  # type: ignore[no-untyped-def]
    cards = [c for c in browser.find_elements("css selector", ".finding") if c.find_element("css selector", "code").text == card_rule]
    assert cards, card_rule
    for fig in cards[0].find_elements("css selector", "figure"):
        if fig.find_element("css selector", "a").get_attribute("href").endswith(f"#page={page_no}"):
            return fig
    raise AssertionError(f"no picture of p.{page_no} for {card_rule}")


def test_table_finding_shows_its_row_with_the_column_headers(browser, shanghai, corpus):
    from disclosure_etl.extract.render import render_crops

    pdf = corpus / WORK
    index, finding, requests = _plan(pdf, "hierarchy_sum")  # 302 ≠ Σ 302xx, p.13 (two halves: 人员经费 | 公用经费)
    (req,) = requests
    assert req.page_no == 13 and finding.subject_code == "302"
    header, rows = _text_in(pdf, req.bands[0]), _text_in(pdf, req.bands[-1])
    assert "科目编码" in header and "决算数" in header  # the column headers
    assert "商品和服务支出" in rows and "10.23" in rows  # the row label beside the amount
    browser.get(_page_of(shanghai, WORK).as_uri())
    fig = _figure(browser, "hierarchy_sum", 13)
    img = fig.find_element("css selector", "img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
    shown = (shanghai / "report" / "img" / img.get_attribute("src").rsplit("/", 1)[1]).read_bytes()
    assert shown == render_crops(str(pdf), [req])[0]  # the picture on the page is that plan, rendered
    href = fig.find_element("css selector", "a").get_attribute("href")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(href).path)).resolve() == pdf.resolve()
    assert _errors(browser) == []


def test_narrative_finding_shows_its_sentence_with_the_numbers_marked(browser, shanghai, corpus):
    import pypdfium2 as pdfium

    from disclosure_etl.extract.render import find_sentence, page_chars, render_crops

    pdf = corpus / WORK
    _, finding, requests = _plan(pdf, "narrative_share")  # 住房保障支出（类） 29.42万元，占9.55%, p.18
    (req,) = requests
    assert req.page_no == 18 and "住房保障支出（类）29.42万元，占9.55%" in req.quote  # the finding quotes its whole sentence
    doc = pdfium.PdfDocument(str(pdf))
    try:
        found = find_sentence(page_chars(doc[17]), req.quote)
    finally:
        doc.close()
    import re

    assert found is not None and len(found[1]) >= len(re.findall(r"\d+(?:\.\d+)?%?", req.quote)) >= 2  # its numbers marked
    browser.get(_page_of(shanghai, WORK).as_uri())
    fig = _figure(browser, "narrative_share", 18)
    img = fig.find_element("css selector", "img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
    shown = (shanghai / "report" / "img" / img.get_attribute("src").rsplit("/", 1)[1]).read_bytes()
    assert shown == render_crops(str(pdf), [req])[0]


def _visible(browser, selector: str) -> int:
    return sum(1 for e in browser.find_elements("css selector", selector) if e.is_displayed())


def test_filters_work_without_a_server_or_a_script(browser, shanghai):
    """The sample's rounding findings (one per column pattern) are one group; unticking 'rounding' hides them — by CSS alone."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    page = _page_of(shanghai, "dh_2024_department_budget.pdf")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    browser.get(page.as_uri())
    groups = browser.find_elements("css selector", "details.group.rounding-item")
    n = len(groups[0].find_elements("css selector", ".finding")) if groups else 0
    assert len(groups) == 1 and n >= 2
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    nojs = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        nojs.get(page.as_uri())
        summary = nojs.find_element("css selector", "details.group.rounding-item summary")
        summary.click()  # unfold the group (a <details>: no script needed)
        assert _visible(nojs, ".finding.rounding-item") == n
        nojs.find_element("css selector", "label[for='show-rounding']").click()
        assert _visible(nojs, ".finding.rounding-item") == 0
        nojs.find_element("css selector", "label[for='show-rounding']").click()
        assert _visible(nojs, ".finding.rounding-item") == n
    finally:
        nojs.quit()


def test_document_findings_come_before_extraction_findings():
    from disclosure_etl.records import DocType, DocumentInfo, DocumentResult, Finding, FindingKind, Severity, Status
    from disclosure_etl.write.report_page import render_document

    def finding(rule: str, severity: Severity, kind: FindingKind) -> Finding:
        return Finding("d" * 64, rule, severity, f"{rule} message", None, None, None, None, None, (3,), kind=kind)

    findings = (
        finding("table_structure", Severity.WARNING, FindingKind.EXTRACTION),
        finding("row_sum", Severity.ROUNDING, FindingKind.DOCUMENT),
        finding("row_sum", Severity.ERROR, FindingKind.DOCUMENT),
        finding("hierarchy_sum", Severity.ROUNDING, FindingKind.DOCUMENT),
    )
    info = DocumentInfo("d" * 64, "x.pdf", "x.pdf", "某局", 2024, DocType.DEPARTMENT_BUDGET, 5)
    html = render_document(DocumentResult(info, Status.OK, findings=findings), {})
    assert html.index("id='kind-document'") < html.index("id='kind-extraction'")
    assert html.index("row_sum message") < html.index("hierarchy_sum message") < html.index("table_structure message")
    assert html.count("<details class='group") == 3  # error row_sum; both roundings together; the extraction finding


def test_an_unreadable_document_says_why(browser, shanghai):
    page = _page_of(shanghai, "broken.pdf")
    browser.get(page.as_uri())
    notice = browser.find_element("id", "not-checked").text
    assert "could not be read" in notice and "not_a_pdf" in notice and "HTML" in notice
    assert "every check passed" not in page.read_text(encoding="utf-8")
    browser.get((shanghai / "report.html").as_uri())
    row = next(r for r in browser.find_elements("css selector", "#documents tr") if "broken.pdf" in r.text)
    assert "HTML" in row.text
