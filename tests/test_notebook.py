"""The worked notebook runs top to bottom on real output, so it never rots; its chart draws Chinese labels."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, SAMPLES

from disclosure_etl.cli import run


def _cjk_font_installed() -> bool:
    from matplotlib import font_manager

    return "WenQuanYi Micro Hei" in {f.name for f in font_manager.fontManager.ttflist}


def test_notebook_executes(tmp_path, corpus):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    out = tmp_path / "out"
    # The Shanghai family at the corpus top, read right today, and the sample.
    pdfs = [str(p) for p in sorted(corpus.glob("*.pdf"))]
    assert run(["extract", str(SAMPLES), *pdfs, "--out", str(out), "--no-progress", "--workers", "1"]) == 0
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    assert "out.figures" in "".join(c.source for c in nb.cells)  # totals from the one-document-per-scope view
    os.environ["DISCLOSURE_OUT"] = str(out)
    try:
        nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        del os.environ["DISCLOSURE_OUT"]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the chart was drawn"
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "missing from font" not in streams  # matplotlib's warning for a glyph drawn as an empty box
    if _cjk_font_installed() or os.environ.get("CI"):
        assert "chart font: WenQuanYi Micro Hei" in streams
