"""The committed sample is exactly what the generator makes (the generator is the source of truth)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE_STEM, SAMPLES

FONT = os.environ.get("SAMPLEGEN_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PLANTED = ROOT / "tests" / "data" / "planted"
PLANTED_STEM = "dh_2024_department_budget_planted"
FAMILY_STEMS = {"seed": "dh_2024_seed_layout", "jiangsu": "jiangsu_2019_department_budget",
                "central": "central_2023_department_budget"}


@pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed (fonts-wqy-microhei)")
def test_generator_reproduces_committed_sample(tmp_path):
    subprocess.run([sys.executable, "-m", "samplegen", str(tmp_path)], cwd=ROOT, check=True)
    for suffix in (".pdf", ".truth.csv", ".tables.json", ".sections.json"):
        committed = (SAMPLES / f"{SAMPLE_STEM}{suffix}").read_bytes()
        assert (tmp_path / f"{SAMPLE_STEM}{suffix}").read_bytes() == committed, suffix


PLANTED_STEMS = {None: PLANTED_STEM, "jiangsu": "jiangsu_2019_department_budget_planted",
                 "central": "central_2023_department_budget_planted"}


@pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed (fonts-wqy-microhei)")
@pytest.mark.parametrize("family", list(PLANTED_STEMS), ids=lambda f: f or "seed")
def test_generator_reproduces_committed_planted_variant(tmp_path, family):
    args = ["--variant", "planted"] + (["--family", family] if family else [])
    subprocess.run([sys.executable, "-m", "samplegen", str(tmp_path), *args], cwd=ROOT, check=True)
    stem = PLANTED_STEMS[family]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in PLANTED.glob(f"{stem}.*"))
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (PLANTED / path.name).read_bytes(), path.name


def test_planted_folder_holds_only_generated_variants():
    assert {p.name.split(".")[0] for p in PLANTED.iterdir()} == set(PLANTED_STEMS.values())


@pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed (fonts-wqy-microhei)")
@pytest.mark.parametrize("family", sorted(FAMILY_STEMS))
def test_generator_reproduces_committed_family(tmp_path, family):
    subprocess.run([sys.executable, "-m", "samplegen", str(tmp_path), "--family", family], cwd=ROOT, check=True)
    stem = FAMILY_STEMS[family]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in SAMPLES.glob(f"{stem}.*"))
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), path.name


def test_samples_folder_holds_only_generated_files():
    stems = (SAMPLE_STEM, *FAMILY_STEMS.values())
    names = {p.name for p in SAMPLES.iterdir()}
    assert all(n.split(".")[0] in stems for n in names), names
