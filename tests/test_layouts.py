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


def _three_line_pdf(path):
    """A 三线表: top, header and bottom rules only; no vertical line anywhere."""
    from reportlab.pdfgen import canvas

    from samplegen.text import register_font

    c = canvas.Canvas(str(path), invariant=1)
    c.setFont(register_font(FONT), 10)
    c.drawString(230, 790, "一般公共预算支出表")
    c.drawString(480, 772, "单位：元")
    for y in (765, 740, 640):
        c.line(60, y, 560, y)
    c.drawString(64, 749, "科目编码")
    c.drawString(130, 749, "科目名称")
    for x, head in ((380, "合计"), (450, "基本支出"), (510, "项目支出")):
        c.drawString(x, 749, head)
    rows = [("201", "一般公共服务支出", "1,250.00", "1,000.00", "250.00"), ("20103", "政府办公厅（室）及相关机构事务", "1,250.00", "1,000.00", "250.00"),
            ("2010301", "行政运行", "1,000.00", "1,000.00", ""), ("2010302", "一般行政管理事务", "250.00", "", "250.00"), ("", "合计", "1,250.00", "1,000.00", "250.00")]
    for k, row in enumerate(rows):
        y = 727 - 18 * k
        c.drawString(64, y, row[0])
        c.drawString(130, y, row[1])
        for right, text in zip((430, 500, 556), row[2:]):
            c.drawRightString(right, y, text)
    c.showPage()
    c.save()
    return path


def test_three_line_table_without_vertical_rules(tmp_path):
    r = process_document(str(_three_line_pdf(tmp_path / "三线表.pdf")))
    (table,) = r.tables
    assert table.table_id.value == "general_budget_expenditure" and table.unit.value == "元"
    got = {(i.subject_code, i.column_key): i.amount_text for i in r.items}
    assert got[("2010301", "total")] == "1,000.00" and got[("2010302", "project")] == "250.00"
    assert got[("20103", "basic")] == "1,000.00" and got[(None, "total")] == "1,250.00"
    assert len(r.items) == 13
    assert not [f for f in r.findings if f.severity.value == "error" and f.rule_id.startswith(("row_", "hierarchy", "total_row"))]


def _continued_pdf(path):
    """A table over two pages, the second titled '部门支出总表（续）' with its header repeated."""
    from reportlab.pdfgen import canvas

    from samplegen.text import register_font

    c = canvas.Canvas(str(path), invariant=1)
    font = register_font(FONT)
    pages = [("部门支出总表", [("201", "一般公共服务支出", "300.00"), ("20103", "政府办公厅（室）及相关机构事务", "300.00")]),
             ("部门支出总表（续）", [("2010301", "行政运行", "300.00"), ("", "合计", "300.00")])]
    for title, rows in pages:
        c.setFont(font, 10)
        c.drawString(250, 790, title)
        c.drawString(480, 772, "单位：元")
        xs, ys = [60, 160, 460, 560], [765, 745, 725, 705]
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        for x, text in zip(xs, ("科目编码", "科目名称", "合计")):
            c.drawString(x + 4, 751, text)
        for k, row in enumerate(rows):
            for x, text in zip(xs, row):
                c.drawString(x + 4, 731 - 20 * k, text)
        c.showPage()
    c.save()
    return path


def test_continuation_titled_xu_is_one_table(tmp_path):
    r = process_document(str(_continued_pdf(tmp_path / "续.pdf")))
    (table,) = r.tables
    assert (table.first_page, table.last_page) == (1, 2)
    assert [i.row_index for i in r.items] == [0, 1, 2, 3]
    assert not [f for f in r.findings if f.severity.value == "error" and f.rule_id.startswith(("hierarchy", "total_row"))]
