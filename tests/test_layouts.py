"""Layouts the corpus does not have but other producers print (DOMAIN.md 'Layout traits')."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from disclosure_etl.pipeline import process_document

FONT = os.environ.get("SAMPLEGEN_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
pytestmark = pytest.mark.skipif(not os.path.exists(FONT) and not os.environ.get("CI"), reason="CJK font not installed")


def _grid_pdf(path, title_inside: bool):
    from reportlab.pdfgen import canvas

    from samplegen.text import register_font

    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(register_font(FONT), 10)
    xs, ys = [60, 160, 360, 460, 560], [760, 740, 720, 700, 680, 660]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:  # the two top rows are full width: title, then unit
        c.line(x, ys[0] if x in (xs[0], xs[-1]) else ys[2], x, ys[-1])
    if title_inside:
        c.drawString(250, 746, "部门支出总表")
        c.drawString(480, 726, "单位：万元")
    rows = [["科目编码", "科目名称", "合计", "基本支出"], ["201", "一般公共服务支出", "100.50", "100.50"], ["", "合计", "100.50", "100.50"]]
    for y, row in zip((706, 686, 666), rows):
        for x, text in zip(xs, row):
            c.drawString(x + 4, y, text)
    c.showPage()
    c.save()
    return path


def test_title_and_unit_inside_the_grid(tmp_path):
    r = process_document(str(_grid_pdf(tmp_path / "t.pdf", title_inside=True)))
    (table,) = r.tables
    assert table.table_id.value == "expenditure_summary" and table.unit.value == "万元"
    amounts = {(i.subject_code, i.column_key): i.amount_yuan for i in r.items}
    assert amounts[("201", "total")] == Decimal("1005000") and amounts[(None, "basic")] == Decimal("1005000")
    assert not [f for f in r.findings if f.severity.value == "error" and f.rule_id.startswith(("row_", "hierarchy", "total_row"))]
