"""What a document is, from what it declares (normalize/metadata.py, identity.py)."""

from disclosure_etl.normalize.identity import document_identity, publication_id_of
from disclosure_etl.normalize.metadata import contents_of, department_of, fiscal_year_of
from disclosure_etl.records import DocContents, DocType, ExtractedDocument, RawRow, RawTable, Section


def test_a_labelled_cover_field_wins():
    # jiangsu/江苏省委办公厅2018年度部门预算公开表 p.1: '部 门:中共江苏省委办公厅'
    assert department_of("江苏省2018年度\n省级部门预算公开报表\n部 门:中共江苏省委办公厅", ["x"], []) == "中共江苏省委办公厅"


def test_the_name_a_table_title_carries():
    # jiangsu/省法院2017年度部门预算公开: no filer line; the cover starts with the year.
    titles = ["一、2017年度江苏省高级人民法院部门收支预算总表", "二、2017年度江苏省高级人民法院部门收入预算总表"]
    assert department_of("2017年度江苏省高级人民法院部门预算公开", [], titles) == "江苏省高级人民法院"


def test_a_template_word_in_the_titles_is_no_name():
    # central/西南大学2023年部门决算: '表1：高等学校收支决算总表' names the template, the cover names the unit.
    assert department_of("西南大学2023年度部门决算", [], ["表1：高等学校收支决算总表"]) == "西南大学"


def test_the_file_name_is_the_last_resort():
    assert department_of("", [], [], "江苏省某某厅2019年部门预算.pdf") == "江苏省某某厅"
    assert fiscal_year_of("", [], "江苏省某某厅2019部门预算.pdf") == 2019


def _doc(tables: tuple[RawTable, ...] = (), sections: tuple[Section, ...] = ()) -> ExtractedDocument:
    return ExtractedDocument("x.pdf", 3, "", (), tables, sections)


def test_contents_of_each_half():
    table = RawTable("收支预算总表", "", "", (), (RawRow((), 1),), (1,), 2, (0.0, 1.0, 2.0))
    prose = Section("main_duties", "一、主要职能", "职" * 300, (2,))
    assert contents_of(_doc((table,), (prose,)), 10) is DocContents.FULL
    assert contents_of(_doc((table,)), 10) is DocContents.TABLES_ONLY
    assert contents_of(_doc(sections=(prose,)), 0) is DocContents.NARRATIVE_ONLY


def test_the_halves_of_one_publication_share_an_id():
    # The 2017 narrative says '江苏省委办公厅', the tables '中共江苏省委办公厅': one entity, one publication.
    narrative = document_identity("江苏省委办公厅", "江苏省委办公厅2017年度部门预算", [])
    tables = document_identity("中共江苏省委办公厅", "", [])
    assert narrative.entity_id == tables.entity_id != ""
    one = publication_id_of(narrative.entity_id, 2017, DocType.DEPARTMENT_BUDGET)
    assert one == publication_id_of(tables.entity_id, 2017, DocType.DEPARTMENT_BUDGET) != ""
    assert one != publication_id_of(tables.entity_id, 2018, DocType.DEPARTMENT_BUDGET)
    assert publication_id_of("", 2017, DocType.DEPARTMENT_BUDGET) == ""
