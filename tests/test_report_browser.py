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
    assert "&lt;script&gt;" in shown and "onmouseover=alert(2)&gt;" in shown
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
