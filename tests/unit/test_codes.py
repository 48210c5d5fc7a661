import pytest

from disclosure_etl.catalogue import load_catalogue
from disclosure_etl.normalize.codes import CodeContext, code_level, complete_name, parent_code, parts_to_code
from disclosure_etl.records import SubjectLevel


def _run(rows):
    ctx = CodeContext()
    out = []
    for parts in rows:
        code, ctx = parts_to_code(parts, ctx)
        out.append(code)
    return out


def test_one_column_codes_with_two_digit_sections():
    assert _run([["201"], ["03"], ["2010301"], ["2010350"], ["208"], ["05"], ["2080505"]]) == [
        "201", "20103", "2010301", "2010350", "208", "20805", "2080505"]


def test_split_columns():
    assert _run([["201", "", ""], ["201", "03", ""], ["201", "03", "01"], ["", "03", "99"]]) == ["201", "20103", "2010301", "2010399"]


def test_split_economic_columns_and_dropped_leading_zero():
    assert _run([["301", ""], ["301", "2"], ["302", "17"]]) == ["301", "30102", "30217"]


@pytest.mark.parametrize("parts", [["合计"], ["", "", ""], ["12a"]])
def test_no_code(parts):
    assert _run([parts]) == [None]


def test_levels_and_parents():
    assert code_level("201") is SubjectLevel.CLASS and parent_code("201") is None
    assert code_level("20103") is SubjectLevel.SECTION and parent_code("20103") == "201"
    assert code_level("2010301") is SubjectLevel.ITEM and parent_code("2010301") == "20103"


def test_truncated_name_completed_from_catalogue():
    cat = load_catalogue()
    assert complete_name("2010399", "其他政府办公厅（室）及相关机构事", cat) == "其他政府办公厅（室）及相关机构事务支出"
    assert complete_name("2010301", "行政运行", cat) == "行政运行"
    # A name the document prints differently is kept as printed.
    assert complete_name("2010301", "本单位行政运行", cat) == "本单位行政运行"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_class = st.integers(200, 239).map(str)
_two = st.integers(1, 99).map(lambda n: f"{n:02d}")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@given(_class, _two, _two)
def test_one_column_and_split_layouts_agree(c, k, x):
    one = _run([[c], [k], [c + k + x]])
    split = _run([[c, "", ""], [c, k, ""], [c, k, x]])
    assert one == split == [c, c + k, c + k + x]


@given(_class, _two, _two, st.sampled_from(["", " ", "\u3000"]))
def test_full_width_digits_and_spaces(c, k, x, pad):
    assert _run([[pad + c.translate(_FULL)], [k.translate(_FULL) + pad], [(c + k + x).translate(_FULL)]]) == [c, c + k, c + k + x]


@given(st.text(alphabet="合计项目类款一二三、（）", min_size=1, max_size=6))
def test_labels_are_never_codes(label):
    assert _run([[label]]) == [None]


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十一", 11), ("二十三", 23), ("两", 2), ("12", 12), ("", None), ("十X", None), ("甲", None)])
def test_chinese_numerals(text, value):
    from disclosure_etl.numerals import cn_to_int

    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "printed,found",
    [
        ("2010301 行政运行", ("2010301", "行政运行")),
        ("201一般公共服务支出", ("201", "一般公共服务支出")),
        ("[30101]基本工资", ("30101", "基本工资")),
        ("（301）工资福利支出", ("301", "工资福利支出")),
        ("2024年预算", None),  # a year, not a code
        ("999 不存在的科目", None),  # not a code of the classification
        ("一般公共服务支出", None),
        ("201", None),  # a code alone is the code column's business
    ],
)
def test_a_code_printed_at_the_head_of_a_name(printed, found):
    from disclosure_etl.catalogue import load_catalogue
    from disclosure_etl.normalize.codes import embedded_code

    assert embedded_code(printed, load_catalogue()) == found
