"""The single source of truth for the output schemas.

Each column is declared once with its type, meaning and an example;
`docs/schema.md` is generated from these declarations (`disclosure-etl
schema --markdown`), and a test fails when the two drift apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyarrow as pa

AMOUNT_TYPE = pa.decimal128(24, 4)
BBOX_NOTE = "in PDF points, origin at the page's top-left corner"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    example: str
    nullable: bool = True


def _schema(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])


DOC_ID = Column("doc_id", pa.string(), "sha256 of the PDF's bytes (hex)", "9f2c…e1", False)

DOCUMENTS = (
    DOC_ID,
    Column("source", pa.string(), "path of the PDF as given on the command line", "samples/dh_2024_department_budget.pdf", False),
    Column("file_name", pa.string(), "file name of the PDF", "dh_2024_department_budget.pdf", False),
    Column("department", pa.string(), "department or unit as printed on the cover or 填报单位 line", "南昌市东湖区政务服务数据管理局"),
    Column("fiscal_year", pa.int16(), "fiscal year the document covers", "2024"),
    Column("doc_type", pa.string(), "department_budget | unit_budget | department_final_accounts | unknown", "department_budget"),
    Column("entity_id", pa.string(), "hash of region + normalized name: one department's documents of every year and type share it; "
           "null for a template's placeholder name", "d4aa0bb99c2b31d5"),
    Column("entity_name", pa.string(), "the name normalized: half-width punctuation, no region prefix, no 本级 / 本部", "政务服务数据管理局"),
    Column("entity_code", pa.string(), "department or unit code where printed ([134], 部门编码:201)", "134"),
    Column("province", pa.string(), "province-level region from the name or the cover", "上海市"),
    Column("city", pa.string(), "city from the name or the cover (none under a municipality)", "南昌市"),
    Column("district", pa.string(), "district or county from the name or the cover", "东湖区"),
    Column("contents", pa.string(), "full | tables_only | narrative_only | empty: some publish the tables and the 说明 as two PDFs", "full"),
    Column("publication_id", pa.string(), "entity + year + type: the two halves of one publication share it (empty without an entity)", "9c1e…40"),
    Column("n_pages", pa.int32(), "number of pages", "24"),
    Column("status", pa.string(), "ok | partial | error | skipped", "ok", False),
    Column("error_code", pa.string(), "stable code of the first error, null when ok", "unreadable_pdf"),
    Column("error", pa.string(), "message naming the file and the reason, null when ok", "x.pdf: not a readable PDF"),
    Column("n_tables", pa.int32(), "numbered tables found", "11"),
    Column("n_line_items", pa.int32(), "printed amounts extracted", "341"),
    Column("n_findings", pa.int32(), "reconciliation findings (all severities)", "3"),
)

TABLES = (
    DOC_ID,
    Column("table_id", pa.string(), "canonical table kind (see docs/vocabulary.md); null for an unrecognised grid", "general_budget_expenditure"),
    Column("toc_no", pa.int16(), "number of the table in the document's 目录", "5"),
    Column("title", pa.string(), "title as printed above the table", "一般公共预算支出表"),
    Column("toc_title", pa.string(), "title as the 目录 lists it", "一般公共预算支出表"),
    Column("first_page", pa.int32(), "first page (1-based)", "9"),
    Column("last_page", pa.int32(), "last page (1-based); > first_page for a continued table", "10"),
    Column("unit", pa.string(), "unit the table prints amounts in: 元 | 千元 | 万元 | 亿元", "万元"),
    Column("filer", pa.string(), "填报单位 / 编制单位 as printed", "[134]南昌市东湖区政务服务数据管理局"),
    Column("is_empty", pa.bool_(), "true when the table prints no amount", "false"),
    Column("empty_note", pa.string(), "the note printed for an empty table (本表为空表 …)", "注：若为空表，则为该部门（单位）无政府性基金收支"),
    Column("n_rows", pa.int32(), "body rows (headers excluded)", "12"),
    Column("n_amounts", pa.int32(), "printed amounts extracted", "30"),
)

LINE_ITEMS = (
    DOC_ID,
    Column("table_id", pa.string(), "canonical table kind", "general_budget_expenditure", False),
    Column("page", pa.int32(), "page the amount is printed on (1-based)", "9", False),
    Column("x0", pa.float32(), f"left of the printed cell, {BBOX_NOTE}", "330.5"),
    Column("top", pa.float32(), f"top of the printed cell, {BBOX_NOTE}", "210.0"),
    Column("x1", pa.float32(), f"right of the printed cell, {BBOX_NOTE}", "420.5"),
    Column("bottom", pa.float32(), f"bottom of the printed cell, {BBOX_NOTE}", "228.0"),
    Column("row_index", pa.int32(), "0-based body row of the table (over all its pages)", "3", False),
    Column("subject_code", pa.string(), "full classification code (functional 2xx… or economic 3xx…)", "2010301"),
    Column("subject_level", pa.string(), "类 | 款 | 项 (from the code's length)", "项"),
    Column("parent_code", pa.string(), "code of the parent subject", "20103"),
    Column("subject_name", pa.string(), "subject name, completed from the catalogue where the cell truncated it", "其他政府办公厅（室）及相关机构事务支出"),
    Column("row_label", pa.string(), "the row's label as printed", "其他政府办公厅（室）及相关机构事"),
    Column("side", pa.string(), "revenue | expenditure for two-sided summary tables, else null", "revenue"),
    Column("column_key", pa.string(), "canonical column (see docs/vocabulary.md)", "basic", False),
    Column("column_label", pa.string(), "header path as printed, levels joined by /", "2024年预算数/基本支出"),
    Column("phase", pa.string(), "which figure the column holds: budget | final | prior_year", "budget", False),
    Column("amount_yuan", AMOUNT_TYPE, "the amount in yuan, exact (万元 × 10000)", "1451400.0000", False),
    Column("amount_text", pa.string(), "the amount as printed", "145.14", False),
    Column("unit", pa.string(), "unit printed for the table: 元 | 千元 | 万元 | 亿元", "万元", False),
    Column("department_code", pa.string(), "department code printed in the row (三公 tables)", "134"),
    Column("source", pa.string(), "text (the PDF's text layer) | ocr (read from the page image)", "text", False),
    Column("confidence", pa.float32(), "1.0 for text; the OCR recogniser's confidence for the cell's characters", "1.0", False),
)

PERFORMANCE_TARGETS = (
    DOC_ID,
    Column("table_id", pa.string(), "department_performance_targets | project_performance_targets", "project_performance_targets", False),
    Column("page", pa.int32(), "page (1-based)", "19", False),
    Column("row_index", pa.int32(), "0-based row of the form", "12", False),
    Column("project", pa.string(), "项目名称 for project tables", "服务外包工资项目"),
    Column("level1", pa.string(), "一级指标", "产出指标"),
    Column("level2", pa.string(), "二级指标", "数量指标"),
    Column("level3", pa.string(), "三级指标", "推出即办事项"),
    Column("target_text", pa.string(), "目标值 / 指标值 as printed", "≥300种"),
    Column("operator", pa.string(), "≥ ≤ = < > or null", "≥"),
    Column("value", AMOUNT_TYPE, "numeric target value", "300.0000"),
    Column("value_unit", pa.string(), "unit after the number", "种"),
)

SECTIONS = (
    DOC_ID,
    Column("key", pa.string(), "canonical section key (main_duties, organization, budget_explanation, …)", "main_duties", False),
    Column("heading", pa.string(), "heading as printed", "一、部门主要职责"),
    Column("level", pa.int8(), "0 part, 1 section, 2 subsection", "1"),
    Column("first_page", pa.int32(), "first page", "3"),
    Column("last_page", pa.int32(), "last page", "4"),
    Column("text", pa.large_string(), "the section's text, wrapped lines joined", "区政务服务数据管理局主要职责：…"),
    Column("page_marks", pa.list_(pa.struct([("offset", pa.int32()), ("page", pa.int32())])),
           "where each page begins: offset in the text with all whitespace removed, and the page", "[{offset: 0, page: 6}, {offset: 812, page: 7}]"),
)

FINDINGS = (
    DOC_ID,
    Column("rule_id", pa.string(), "check id (see docs/checks.md)", "row_sum", False),
    Column("severity", pa.string(), "error | warning | rounding | info", "rounding", False),
    Column("kind", pa.string(), "document (the publisher's figures disagree) | extraction (we are unsure we read the table right)", "document", False),
    Column("message", pa.string(), "what disagrees, in words", "合计 ≠ 基本支出 + 项目支出"),
    Column("table_id", pa.string(), "table concerned", "general_budget_expenditure"),
    Column("subject_code", pa.string(), "row concerned", "20103"),
    Column("column_key", pa.string(), "column concerned", "total"),
    Column("expected", AMOUNT_TYPE, "the value the rule expects: yuan (percent for narrative_percentage / narrative_share)", "6130600.0000"),
    Column("actual", AMOUNT_TYPE, "the printed value: yuan (percent for percentage rules)", "6130500.0000"),
    Column("difference", AMOUNT_TYPE, "actual − expected, in yuan", "-100.0000"),
    Column("tolerance", AMOUNT_TYPE, "largest difference printed rounding explains, in yuan", "200.0000"),
    Column("pages", pa.list_(pa.int32()), "pages involved", "[9]"),
    Column("scope", pa.string(), "document (checks within one document) | batch (documents against each other: docs/checks.md)", "document", False),
    Column("other_doc_id", pa.string(), "batch findings: the second document (a unit of the department, last year's document, a duplicate)", "6a13…7d"),
    Column("other_pages", pa.list_(pa.int32()), "batch findings: pages of the second document involved", "[14]"),
)

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "documents": DOCUMENTS,
    "tables": TABLES,
    "line_items": LINE_ITEMS,
    "performance_targets": PERFORMANCE_TARGETS,
    "sections": SECTIONS,
    "findings": FINDINGS,
}


@functools.cache
def arrow_schema(name: str) -> pa.Schema:
    return _schema(SCHEMAS[name])  # built once: a schema is immutable, and building it cost 50 µs a table


def _cell(text: str) -> str:
    """A Markdown table cell: `|` would end the cell, so it is escaped."""
    return text.replace("|", "\\|")


def schema_markdown(names: list[str] | None = None) -> str:
    """docs/schema.md, generated from the declarations above (every dataset, or those named)."""
    out = [
        "# Output schema",
        "",
        "Generated from `src/disclosure_etl/write/schema.py` by `disclosure-etl schema --markdown`;",
        "do not edit by hand (a test fails when this file is stale).",
        "",
        "Each dataset is a folder of Parquet files in the output folder (`output/<name>/`, hive-partitioned",
        "by `fiscal_year` except `documents`), read with `pd.read_parquet('output/<name>')`, or",
        "`disclosure_etl.load('output').<name>`. Amounts are exact `decimal128(24, 4)` yuan.",
    ]
    for name in names or list(SCHEMAS):
        out += ["", f"## {name}", "", "| column | type | meaning | example |", "|---|---|---|---|"]
        for c in SCHEMAS[name]:
            null = "" if c.nullable else " (not null)"
            out.append(f"| `{c.name}` | `{c.type}`{null} | {_cell(c.meaning)} | `{_cell(c.example)}` |")
    return "\n".join(out) + "\n"
