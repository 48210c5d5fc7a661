"""The HTML report in a real headless Chromium: no console errors, counts equal the Parquet's, crops load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLES

from disclosure_etl.cli import main

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
        assert len(cards) == int(findings.doc_id.str.startswith(page.stem).sum()), page.name
        for img in browser.find_elements("css selector", ".finding img"):
            assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img), page.name
        assert _errors(browser) == [], page.name
