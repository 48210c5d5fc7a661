from disclosure_etl.extract.narrative import lines_to_sections
from disclosure_etl.records import BBox, TextLine


def _lines(*texts):
    return [TextLine(1 + i // 4, t, BBox(0, 20 * i, 100, 20 * i + 10), 10) for i, t in enumerate(texts)]


def test_sections_without_a_toc():
    stream = _lines(
        "一、部门主要职责", "负责全区政务服务。", "二、机构设置及人员情况", "共有预算单位2个。",
        "一、收入科目", "财政拨款：指区级财政当年拨付的资金。", "三、2024年“三公”经费预算情况说明", "公务接待费1.80万元。",
    )
    got = [(s.key, s.heading) for s in lines_to_sections(stream, [])]
    assert got == [("main_duties", "一、部门主要职责"), ("organization", "二、机构设置及人员情况"), ("three_public_explanation", "三、2024年“三公”经费预算情况说明")]
    organization = lines_to_sections(stream, [])[1]
    assert "收入科目" in organization.text  # not a known section: stays text
