"""Consistency checks for the budget-classification catalogue CSVs."""

import csv
import pathlib

import pytest

DATA = pathlib.Path(__file__).parents[2] / "src/disclosure_etl/data"

LEVEL_BY_LEN = {3: "类", 5: "款", 7: "项"}
PARENT_LEN = {5: 3, 7: 5}

CATALOGUES = {
    "functional_subjects.csv": {3, 5, 7},
    "economic_subjects.csv": {3, 5},
}


def read_rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_header(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["code", "name", "level"]


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_codes_unique_and_sorted(name):
    codes = [r["code"] for r in read_rows(name)]
    assert codes, name
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    assert not dupes, dupes
    assert codes == sorted(codes)


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_level_matches_code_length(name):
    allowed = CATALOGUES[name]
    for r in read_rows(name):
        code = r["code"]
        assert code.isdigit() and len(code) in allowed, r
        assert r["level"] == LEVEL_BY_LEN[len(code)], r


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_parents_present(name):
    codes = {r["code"] for r in read_rows(name)}
    orphans = [
        c for c in codes if len(c) in PARENT_LEN and c[: PARENT_LEN[len(c)]] not in codes
    ]
    assert not orphans, sorted(orphans)


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_names_clean(name):
    for r in read_rows(name):
        assert r["name"], r
        assert r["name"] == r["name"].strip(), r
        # the official catalogue prints full-width parentheses
        assert "(" not in r["name"] and ")" not in r["name"], r


def test_aliases_refer_to_known_codes():
    known = {r["code"] for n in CATALOGUES for r in read_rows(n)}
    names = {r["code"]: r["name"] for n in CATALOGUES for r in read_rows(n)}
    rows = read_rows("subject_aliases.csv")
    assert rows
    for r in rows:
        assert set(r) == {"code", "alias"}, r
        assert r["code"] in known, r
        assert r["alias"] and r["alias"] == r["alias"].strip(), r
        assert r["alias"] != names[r["code"]], r
