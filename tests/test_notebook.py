"""The worked notebook runs top to bottom on real output, so it never rots."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, SAMPLES

from disclosure_etl.cli import run


def test_notebook_executes(tmp_path, corpus):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    out = tmp_path / "out"
    assert run(["extract", str(SAMPLES), str(corpus), "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    os.environ["DISCLOSURE_OUT"] = str(out)
    try:
        nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        del os.environ["DISCLOSURE_OUT"]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the chart was drawn"
