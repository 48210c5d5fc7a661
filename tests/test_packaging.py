"""`pip install .` gives the CLI and ships the package data (checked on the built wheel)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_has_entry_point_and_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("disclosure_etl-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry = next(n for n in names if n.endswith("entry_points.txt"))
        assert "disclosure-etl = disclosure_etl.cli:main" in zf.read(entry).decode()
        meta = zf.read(next(n for n in names if n.endswith("METADATA"))).decode()
    for data in ("functional_subjects.csv", "economic_subjects.csv", "subject_aliases.csv", "table_ids.csv", "column_keys.csv",
                 "rules.csv", "narrative_subjects.csv"):
        assert f"disclosure_etl/data/{data}" in names, data
    assert "Requires-Python: >=3.10" in meta
    for extra in ("ocr", "dask", "notebook"):
        assert f"Provides-Extra: {extra}" in meta, extra
