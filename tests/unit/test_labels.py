"""The lines between a title and its grid, as each family prints them (extract/labels.py)."""

from disclosure_etl.extract.labels import lines_to_rows, rows_to_labels
from disclosure_etl.records import BBox, TextLine

GRID_TOP = 300.0


def _line(text: str, top: float, x0: float = 80.0, size: float = 10.0) -> TextLine:
    return TextLine(1, text, BBox(x0, top, x0 + size * len(text), top + size), size)


def _labels(*lines: TextLine, first_on_page: bool = True):
    return rows_to_labels(lines_to_rows(list(lines)), GRID_TOP, first_on_page)


def test_jiangsu_number_line_and_filer_with_unit_far_right():
    # jiangsu/江苏省人大常委会办公厅2019年部门预算公开表 p.1
    got = _labels(_line("收支预算总表", 200, 300, 20), _line("公开表一", 240), _line("部门：", 262), _line("江苏省人大常委会办公厅", 262, 190),
                  _line("单位：万元", 262, 760))
    assert (got.title, got.unit_text, got.filer) == ("收支预算总表", "单位：万元", "江苏省人大常委会办公厅")
    assert len(got.used) == 5


def test_number_line_above_the_title():
    # jiangsu/江苏省人民检察院2019年度部门预算公开 p.14: '公开01表' / title / filer
    got = _labels(_line("第二部分 2019年度部门预算表", 120, 180, 16), _line("公开01表", 180), _line("收支预算总表", 215, 250, 16),
                  _line("部门： 江苏省人民检察院", 262), _line("单位：万元", 262, 500))
    assert (got.title, got.filer) == ("收支预算总表", "江苏省人民检察院")
    assert "第二部分 2019年度部门预算表" not in [ln.text for ln in got.used]


def test_a_wrapped_filer_under_its_label_and_the_unit():
    # jiangsu/省人大办公厅2018预算公开 p.8: '部门名称：江苏省人大' / '单位:万元' / '常委会办公厅'
    got = _labels(_line("收支预算总表", 240, 260, 16), _line("部门名称：江苏省人大", 268), _line("单位:万元", 276, 508),
                  _line("常委会办公厅", 284))
    assert (got.title, got.filer, got.unit_text) == ("收支预算总表", "江苏省人大常委会办公厅", "单位:万元")


def test_an_empty_label_between_title_and_grid():
    # central/西南大学2023年部门决算 p.14 (表4): '单位：' and '单位：万元' on one baseline
    got = _labels(_line("表4：高等学校财政拨款支出决算表", 230, 290, 16), _line("单位：", 270, 106), _line("单位：万元", 270, 675))
    assert (got.title, got.unit_text) == ("表4：高等学校财政拨款支出决算表", "单位：万元")


def test_the_seed_filer_without_label_wrapping_onto_a_second_line():
    got = _labels(_line("一般公共预算支出表", 220, 250, 16),
                  _line("[134]南昌市东湖区政务服务数据管理局， [134001]南昌市东湖区政务服务数据管理局， [134002]南昌市东", 250, 60, 8),
                  _line("湖区行政审批服务保障中心", 260, 60, 8), _line("单位：万元", 276, 480))
    assert got.title == "一般公共预算支出表"
    assert got.filer.endswith("[134002]南昌市东湖区行政审批服务保障中心") and got.filer.startswith("[134]")


def test_a_title_wrapped_over_two_lines():
    # jiangsu/江苏省人大办公厅2017年度预算公开 p.20
    got = _labels(_line("“三公”经费、会议费、培训费支出预算", 200, 90, 20), _line("表", 226, 285, 20), _line("部门： 江苏省人大常委会办公厅", 270),
                  _line("单位：万元", 270, 520))
    assert got.title == "“三公”经费、会议费、培训费支出预算表"


def test_a_numbered_heading_over_a_whole_title_is_not_part_of_it():
    # central/西南大学2023年部门预算 p.16
    got = _labels(_line("（一）236中央高校教育教学改革专项", 200), _line("236中央高校教育教学改革专项绩效目标表", 228, 185), _line("(2023年度)", 256, 300))
    assert got.title == "236中央高校教育教学改革专项绩效目标表"
    assert "(2023年度)" in [ln.text for ln in got.used]


def test_narrative_right_above_a_grid_gives_no_title():
    # jiangsu/省法院2017年度部门预算公开 p.11: tables flow inside the text
    got = _labels(_line("调查，分析测算，确保项目实施达到预期目标的情况下，在部门收", 240), _line("衡。", 270))
    assert got.title == ""


def test_an_annex_number_and_a_unit_in_thousands():
    got = _labels(_line("附件3-1", 180), _line("部门收支总表", 215, 250, 16), _line("单位：千元", 262, 500))
    assert (got.title, got.unit_text) == ("部门收支总表", "单位：千元")
