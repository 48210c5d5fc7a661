"""A class's stated change against its items' changes (reconcile/breakdown.py), on sentences shaped like the
Jiangsu narratives (corpus: 江苏省高级人民法院2017 p.19–22, 江苏省人民检察院2019 p.25–29, 省人大办公厅2018 p.20–26)."""

from __future__ import annotations

from decimal import Decimal

from rule_builders import DOC, catalogue, section

from disclosure_etl.reconcile.breakdown import check_item_changes, class_of, section_to_entries
from disclosure_etl.reconcile.subjects import class_names_of

NAMES = class_names_of(catalogue().names)
CLASS = "（二）支出预算总计300.00万元。包括：1．公共安全（类）支出300.00万元，主要用于人员支出。与上年相比增加100.00万元，增长50.00%。"


def _run(*texts: str) -> list:
    return check_item_changes(DOC, [section(t, page=20 + n) for n, t in enumerate(texts)], NAMES)


def _items(*entries: str, head: str = "（一）公共安全（类）") -> str:
    return head + "".join(f"{n + 1}．{e}" for n, e in enumerate(entries))


def test_entries_read_their_own_figures():
    text = ("1．公共安全（类）支出16,593.12万元。主要用于检察院行政支出。与上年相比增加134.37万元，增长0.82%。主要原因是人员工资增加。"
            "2．检察（款）一般行政管理事务(项)支出2354.4万元，与上年相比减少1311.6万元，减少35.77%。主要原因是增加了“事业运行”项级科目分流315万元。"
            "3．检察（款）机关服务（项）支出1600万元，与上年一致。4．检察（款）事业运行(项)支出315万元。上年《财政拨款支出预算表》（表5）无此项级科目。"
            "5．法院（款）案件审判（项）支出1733.3万元，主要原因是案件审判经费较上年压减200万元。")
    got = [(e.marker, e.amount_text, e.change_text, e.new) for e in section_to_entries(section(text))]
    assert got == [("1．", "16,593.12", "134.37", False), ("2．", "2354.4", "-1311.6", False), ("3．", "1600", "0", False),
                   ("4．", "315", None, True), ("5．", "1733.3", None, False)]


def test_decimals_are_not_list_markers():
    entries = section_to_entries(section("1．公共安全（类）支出100.00万元，与上年相比增加6.59万元，增长7.05%。"))
    assert [e.marker for e in entries] == ["1．"]


def test_class_names():
    assert class_of("公共安全（类）", NAMES) == "204"
    assert class_of("社会保障和就业支出", NAMES) == "208"
    assert class_of("住房改革支出（款）住房公积金（项）", NAMES) is None
    assert class_of("支出预算总计", NAMES) is None


def test_items_adding_up_stay_quiet():
    items = _items("法院（款）行政运行（项）支出200.00万元，与上年相比增加60.00万元，增长42.86%。",
                   "法院（款）案件审判（项）支出100.00万元，与上年相比增加40.00万元。")
    assert _run(CLASS, items) == []


def test_items_not_adding_up_fire_with_both_pages():
    items = _items("法院（款）行政运行（项）支出200.00万元，与上年相比增加60.00万元。",
                   "法院（款）案件审判（项）支出100.00万元，与上年相比减少40.00万元。")
    (f,) = _run(CLASS, items)
    assert (f.rule_id, f.subject_code, f.pages) == ("narrative_item_changes", "204", (20, 21))
    assert (f.expected, f.actual) == (Decimal(200000), Decimal(1000000))


def test_flat_and_new_items():
    items = _items("法院（款）行政运行（项）支出200.00万元，与上年相比持平。",
                   "法院（款）案件审判（项）支出100.00万元，此项支出是今年新增支出。")
    assert _run(CLASS, items) == []
    assert _run(CLASS.replace("增加100.00", "增加90.00"), items)[0].expected == Decimal(1000000)


def test_the_heading_may_state_the_change_itself():
    head = "（一）公共安全（类）支出300.00万元，与上年相比增加100.00万元。"
    items = _items("法院（款）行政运行（项）支出200.00万元，与上年相比增加60.00万元。",
                   "法院（款）案件审判（项）支出100.00万元，与上年相比增加30.00万元。", head=head)
    (f,) = _run(items)
    assert f.pages == (20,) and f.difference == Decimal(100000)


def test_nothing_compared_without_every_figure():
    unstated = _items("法院（款）行政运行（项）支出200.00万元，主要用于人员支出。",
                      "法院（款）案件审判（项）支出100.00万元，与上年相比增加10.00万元。")
    assert _run(CLASS, unstated) == []  # an item states no change
    other_scope = _items("法院（款）行政运行（项）支出150.00万元，与上年相比增加60.00万元。",
                         "法院（款）案件审判（项）支出100.00万元，与上年相比增加10.00万元。")
    assert _run(CLASS, other_scope) == []  # the items add up to 250.00, the class states 300.00
    twice = CLASS + "（三）一般公共预算支出300.00万元。包括：1．公共安全（类）支出300.00万元。与上年相比增加80.00万元。"
    assert _run(twice, other_scope.replace("150.00", "200.00")) == []  # two stated changes: which one is not known


def test_items_numbered_in_parentheses_and_changes_against_other_bases():
    items = "（一）公共安全（类）（1）法院（款）行政运行（项）支出200.00万元，与上年相比增加60.00万元。（2）法院（款）案件审判（项）支出100.00万元，与上年相比减少40.00万元。"
    assert len(_run(CLASS, items)) == 1
    outturn = items.replace("与上年相比增加60.00", "比上年执行数增加60.00").replace("与上年相比减少", "比上年执行数减少")
    assert _run(CLASS, outturn) == []  # the items compare with last year's outturn, the class with its budget
