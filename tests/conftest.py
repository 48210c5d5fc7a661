"""Shared fixtures: the sample, the real-document corpus (skipped cleanly when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_STEM = "dh_2024_department_budget"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_dir() -> Path | None:
    path = Path(os.environ.get("DISCLOSURE_CORPUS", str(DEFAULT_CORPUS)))
    return path if path.is_dir() and any(path.glob("*.pdf")) else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the corpus must be present in CI: set DISCLOSURE_CORPUS")
        pytest.skip("corpus not present (set DISCLOSURE_CORPUS)")
    return path


@pytest.fixture(scope="session")
def sample_pdf() -> Path:
    return SAMPLES / f"{SAMPLE_STEM}.pdf"


@pytest.fixture(scope="session")
def sample_result(sample_pdf):
    from disclosure_etl.pipeline import process_document

    return process_document(str(sample_pdf))
