"""UnitIndex finds exactly the units `is_unit_of` names, without trying every pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_etl.records import DocType, DocumentInfo
from disclosure_etl.reconcile.rollup import UnitIndex, is_unit_of

NAMES = ["信息中心", "信息中心站", "档案馆", "城市管理服务中心", "服务中心", "机关事务管理局"]
CODES = [None, "134", "134001", "1340", "135", "13400101", "2"]
REGIONS = [("江西省", "南昌市", "东湖区"), ("江西省", "南昌市", "西湖区")]


@st.composite
def infos(draw, kind: DocType) -> DocumentInfo:
    name = draw(st.sampled_from(NAMES))
    province, city, district = draw(st.sampled_from(REGIONS))
    return DocumentInfo(
        f"{kind.value}-{draw(st.integers(0, 10**9))}", "f.pdf", "f.pdf", name, draw(st.sampled_from([2023, 2024])), kind, 10,
        draw(st.sampled_from(["", "e1", "e2", "e3"])), name, draw(st.sampled_from(CODES)), province, city, district,
    )


@settings(max_examples=300, deadline=None)
@given(
    units=st.lists(st.one_of(infos(DocType.UNIT_BUDGET), infos(DocType.DEPARTMENT_BUDGET)), max_size=12),
    dept=infos(DocType.DEPARTMENT_BUDGET),
    text=st.lists(st.sampled_from(NAMES + ["下属", "包括", "中心", "和"]), max_size=6).map("".join),
)
def test_units_of_is_every_unit_is_unit_of_names(units, dept, text):
    index = UnitIndex(units)
    assert index.units_of(dept, text) == [k for k, u in enumerate(units) if is_unit_of(u, dept, text)]


def test_a_code_extending_the_departments_is_found_among_many():
    def unit(doc_id: str, code: str | None, name: str = "无关单位") -> DocumentInfo:
        return DocumentInfo(doc_id, "u.pdf", "u.pdf", name, 2024, DocType.UNIT_BUDGET, 5, doc_id, name, code, "江西省", "南昌市", "东湖区")

    units = [unit(f"u{k}", f"{k:03d}") for k in range(500)] + [unit("mine", "134001"), unit("named", None, "信息中心")]
    dept = DocumentInfo("d", "d.pdf", "d.pdf", "局", 2024, DocType.DEPARTMENT_BUDGET, 9, "d", "局", "134", "江西省", "南昌市", "东湖区")
    assert [units[k].doc_id for k in UnitIndex(units).units_of(dept, "下属单位包括信息中心")] == ["mine", "named"]
