"""Tables over page breaks (extract/stitch.py): continuity judged by columns and content."""

from disclosure_etl.extract.grid import Grid
from disclosure_etl.extract.stitch import fragments_to_tables
from disclosure_etl.extract.tables import Fragment
from disclosure_etl.records import BBox, Cell

XS = (60.0, 160.0, 330.0, 480.0)


def _fragment(page: int, rows: list[list[str]], title: str = "", xs: tuple[float, ...] = XS, opens_page: bool = False) -> Fragment:
    ys = tuple(100.0 + 20 * i for i in range(len(rows) + 1))
    cells = tuple(
        Cell(i, j, 1, 1, text, BBox(xs[j], ys[i], xs[j + 1], ys[i + 1]), page)
        for i, row in enumerate(rows) for j, text in enumerate(row)
    )
    return Fragment(page, Grid(xs, ys, (), ()), cells, title, "单位：万元" if title else "", "", (), (), opens_page)


HEADER = ["功能科目代码", "功能科目名称", "金额"]


def _labels(table) -> list[str]:
    return ["|".join(c.text for c in r.cells) for r in table.body_rows]


def test_a_continuation_without_header_keeps_its_first_rows():
    # jiangsu/省法院2017年度部门预算公开 p.13: the next page's rows hold text only, like a header would
    first = _fragment(12, [HEADER, ["", "合计", "28,849.38"], ["2010101", "行政运行", "7,448.20"]], "财政拨款支出预算表")
    cont = _fragment(13, [["", "事业收入", ""], ["2010102", "一般行政管理事务", "2,464.02"]])
    (table,) = fragments_to_tables([first, cont])
    assert _labels(table)[-2:] == ["|事业收入|", "2010102|一般行政管理事务|2,464.02"]
    assert table.pages == (12, 13)


def test_a_repeated_header_and_column_numbers_are_dropped():
    first = _fragment(12, [HEADER, ["2010101", "行政运行", "7,448.20"]], "财政拨款支出预算表")
    cont = _fragment(13, [HEADER, ["栏次", "1", "2"], ["2010102", "一般行政管理事务", "2,464.02"]])
    (table,) = fragments_to_tables([first, cont])
    assert _labels(table) == ["2010101|行政运行|7,448.20", "2010102|一般行政管理事务|2,464.02"]


def test_a_label_cut_by_the_page_break_completes_its_row():
    # jiangsu/江苏省人大办公厅2017年度预算公开 p.7-8: '八、社会保障和就' | 1,608.51, then '业支出'
    first = _fragment(7, [["项目", "功能科目名称", "金额"], ["", "七、文化体育与传媒支出", ""], ["", "八、社会保障和就", "1,608.51"]], "收支预算总表")
    cont = _fragment(8, [["", "业支出", ""], ["", "九、医疗卫生与计划生育支出", ""]])
    (table,) = fragments_to_tables([first, cont])
    assert _labels(table) == ["|七、文化体育与传媒支出|", "|八、社会保障和就业支出|1,608.51", "|九、医疗卫生与计划生育支出|"]


def test_a_row_under_a_finished_label_is_its_own_row():
    # jiangsu/省法院2017年度部门预算公开 p.12-13: '其他资金 | 小计' at the foot, '事业收入' on the next page
    first = _fragment(12, [["项目名称", "", "金额"], ["一般公共预算资金", "小计", "28,849.38"], ["其他资金", "小计", ""]], "收入预算总表")
    cont = _fragment(13, [["", "事业收入", ""], ["", "经营收入", ""]])
    (table,) = fragments_to_tables([first, cont])
    assert _labels(table)[-3:] == ["其他资金|小计|", "|事业收入|", "|经营收入|"]


def test_an_untitled_grid_with_other_columns_is_not_a_continuation():
    first = _fragment(7, [HEADER, ["2010101", "行政运行", "7,448.20"]], "财政拨款支出预算表")
    other = _fragment(8, [["a", "b", "c", "d", "e"], ["1", "2", "3", "4", "5"]], xs=(60.0, 100.0, 200.0, 260.0, 400.0, 480.0))
    tables = fragments_to_tables([first, other])
    assert [t.title for t in tables] == ["财政拨款支出预算表", ""]


def test_a_form_continues_on_the_next_page_with_its_own_columns():
    # central/西南大学2023年部门预算 p.19-20: a performance form's next page draws other column lines
    first = _fragment(19, [["项目名称", "x", "y"], ["一级指标", "二级指标", "三级指标"]], "236中央高校基本科研业务费专项绩效目标表")
    cont = _fragment(20, [["产出指标", "数量指标", "a", "35.00个"]], xs=(60.0, 120.0, 250.0, 400.0, 480.0), opens_page=True)
    (table,) = fragments_to_tables([first, cont])
    assert table.pages == (19, 20)


def test_a_phase_row_after_the_column_numbers_is_header():
    # A 三公 决算 table: items, then column numbers, then 预算数 | 决算数 under each item, then amounts.
    from disclosure_etl.extract.tables import fragment_rows

    frag = _fragment(14, [["合计", "因公出国（境）费", "公务接待费"], ["1", "2", "3"], ["预算数", "决算数", "预算数"], ["2.10", "1.00", "1.10"]],
                     "财政拨款“三公”经费支出决算表")
    header, body = fragment_rows(frag)
    assert [[c.text for c in r.cells] for r in header] == [["合计", "因公出国（境）费", "公务接待费"], ["预算数", "决算数", "预算数"]]
    assert [[c.text for c in r.cells] for r in body] == [["2.10", "1.00", "1.10"]]
