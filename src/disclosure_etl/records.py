"""Typed records passed between the stages, and the closed vocabularies.

No I/O and no third-party imports here: every stage depends on this module,
so it stays pure.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# The geometry records live in geometry.py; every stage imports them from here.
from .geometry import BBox, Char, Crop, Rule, TextLine  # noqa: F401  (re-exported)
from .geometry import _quick_init


class TableKind(str, enum.Enum):
    """Canonical `table_id` of a numbered table (the output contract)."""

    REVENUE_EXPENDITURE_SUMMARY = "revenue_expenditure_summary"
    REVENUE_SUMMARY = "revenue_summary"
    EXPENDITURE_SUMMARY = "expenditure_summary"
    FISCAL_APPROPRIATION_SUMMARY = "fiscal_appropriation_summary"
    GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"
    GENERAL_BUDGET_BASIC_EXPENDITURE = "general_budget_basic_expenditure"
    THREE_PUBLIC_EXPENSES = "three_public_expenses"
    GOVERNMENT_FUND_EXPENDITURE = "government_fund_expenditure"
    STATE_CAPITAL_EXPENDITURE = "state_capital_expenditure"
    DEPARTMENT_PERFORMANCE_TARGETS = "department_performance_targets"
    PROJECT_PERFORMANCE_TARGETS = "project_performance_targets"
    FINAL_REVENUE_EXPENDITURE_SUMMARY = "final_revenue_expenditure_summary"
    FINAL_REVENUE = "final_revenue"
    FINAL_EXPENDITURE = "final_expenditure"
    FINAL_FISCAL_APPROPRIATION_SUMMARY = "final_fiscal_appropriation_summary"
    FINAL_GENERAL_BUDGET_EXPENDITURE = "final_general_budget_expenditure"
    FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE = "final_general_budget_basic_expenditure"
    FINAL_THREE_PUBLIC_EXPENSES = "final_three_public_expenses"
    FINAL_GOVERNMENT_FUND = "final_government_fund"
    FINAL_STATE_CAPITAL = "final_state_capital"
    FISCAL_APPROPRIATION_EXPENDITURE = "fiscal_appropriation_expenditure"
    FISCAL_APPROPRIATION_BASIC_EXPENDITURE = "fiscal_appropriation_basic_expenditure"
    AGENCY_OPERATING_EXPENDITURE = "agency_operating_expenditure"
    GOVERNMENT_PROCUREMENT = "government_procurement"
    PROJECT_EXPENDITURE = "project_expenditure"
    FINAL_FISCAL_APPROPRIATION_EXPENDITURE = "final_fiscal_appropriation_expenditure"
    FINAL_GENERAL_BUDGET_PROJECT_EXPENDITURE = "final_general_budget_project_expenditure"

    @property
    def is_performance(self) -> bool:
        return self in (
            TableKind.DEPARTMENT_PERFORMANCE_TARGETS,
            TableKind.PROJECT_PERFORMANCE_TARGETS,
        )


class DocType(str, enum.Enum):
    DEPARTMENT_BUDGET = "department_budget"
    UNIT_BUDGET = "unit_budget"
    DEPARTMENT_FINAL_ACCOUNTS = "department_final_accounts"
    UNKNOWN = "unknown"


class DocContents(str, enum.Enum):
    """Which parts of a publication a file holds (some publish tables and narrative as two PDFs)."""

    FULL = "full"
    TABLES_ONLY = "tables_only"
    NARRATIVE_ONLY = "narrative_only"
    EMPTY = "empty"


class Unit(str, enum.Enum):
    """The unit an amount is printed in."""

    YUAN = "元"
    QIAN_YUAN = "千元"
    WAN_YUAN = "万元"
    YI_YUAN = "亿元"

    @property
    def factor(self) -> Decimal:
        return Decimal({"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}[self.value])


class Side(str, enum.Enum):
    """Which half of a two-sided summary table a row belongs to."""

    REVENUE = "revenue"
    EXPENDITURE = "expenditure"


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    ROUNDING = "rounding"
    INFO = "info"


class Status(str, enum.Enum):
    OK = "ok"
    PARTIAL = "partial"
    ERROR = "error"
    SKIPPED = "skipped"


class SubjectLevel(str, enum.Enum):
    CLASS = "类"
    SECTION = "款"
    ITEM = "项"


class FindingKind(str, enum.Enum):
    """Whose problem a finding is: the publisher's numbers, or our reading of them."""

    DOCUMENT = "document"
    """The document's own figures disagree (an inconsistency an auditor would raise)."""
    EXTRACTION = "extraction"
    """We are not sure we read a table or sentence right; no document finding is derived from it."""


class Scope(str, enum.Enum):
    """What a finding compares: one document, or documents of the batch against each other."""

    DOCUMENT = "document"
    BATCH = "batch"


# ---------------------------------------------------------------- pages


Plain = tuple[float, float, int, float, float, float, str]
"""A character as plain values: (top + bottom, x0, its index among the page's characters, top, bottom, x1, text).

Sorted, these tuples put characters in the order `sorted(chars, key=(top + bottom, x0))`
gives: the index breaks ties as a stable sort does. The layout works on these (extract/layout.py).
"""


@dataclass(frozen=True, slots=True)
class PageText:
    """Everything the extractor needs from one page, read once."""

    page_no: int
    width: float
    height: float
    chars: Sequence[Char]
    """A tuple, or the PDFium reader's `PlainChars` (records made when first read)."""
    rules: tuple[Rule, ...]
    issue: ErrorItem | None = None
    """Why the page could not be read (fully), if it could not."""
    has_images: bool = False
    source: str = "text"
    """"text" (the PDF's text layer) or "ocr" (read from the page image)."""
    plain: tuple[Plain, ...] = field(default=(), compare=False, repr=False)
    """`chars` as `Plain` tuples, when the reader made them with the records (the PDFium text layer);
    empty otherwise, and the layout reads them off `chars` (`layout.plain_chars`)."""


# ----------------------------------------------------------- extract output


@_quick_init  # 16k cells over the corpus: each made in 0.6 of the time
@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a ruled grid; `row`/`col` index its top-left leaf slot."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    bbox: BBox
    page_no: int
    source: str = "text"
    confidence: float = 1.0
    """Lowest confidence of the characters in the cell."""


@dataclass(frozen=True, slots=True)
class RawRow:
    cells: tuple[Cell, ...]
    page_no: int


@dataclass(frozen=True, slots=True)
class RawTable:
    """A numbered table as printed, possibly stitched over several pages."""

    title: str
    unit_text: str
    filer: str
    header_rows: tuple[RawRow, ...]
    body_rows: tuple[RawRow, ...]
    pages: tuple[int, ...]
    n_cols: int
    col_edges: tuple[float, ...]
    notes: tuple[str, ...] = ()
    toc_title: str = ""
    toc_no: int | None = None


@dataclass(frozen=True, slots=True)
class TocEntry:
    no: int | None
    title: str
    page_no: int
    is_table: bool


@dataclass(frozen=True, slots=True)
class Section:
    """A narrative section: heading as printed, its text and pages."""

    key: str
    heading: str
    text: str
    pages: tuple[int, ...]
    level: int = 1
    page_marks: tuple[tuple[int, int], ...] = ()
    """(offset in the text with all whitespace removed, page) where each page begins."""

    def page_at(self, compact_offset: int) -> int:
        """The page holding a position of the whitespace-free text."""
        page = self.pages[0] if self.pages else 0
        for offset, page_no in self.page_marks:
            if offset > compact_offset:
                break
            page = page_no
        return page


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    source: str
    n_pages: int
    cover_text: str
    toc: tuple[TocEntry, ...]
    tables: tuple[RawTable, ...]
    sections: tuple[Section, ...]
    errors: tuple[ErrorItem, ...] = ()


# --------------------------------------------------------- normalize output


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A leaf column of a table after header mapping."""

    index: int
    key: str
    label: str
    side: Side | None
    phase: str
    role: str  # "amount", "code", "name", "dept_code", "text"
    half: int = 0  # tables printed as two halves side by side: 0 left, 1 right


@dataclass(frozen=True, slots=True)
class LineItem:
    """One printed amount, traceable to its cell."""

    doc_id: str
    table_id: TableKind
    page_no: int
    bbox: BBox
    row_index: int
    subject_code: str | None
    subject_level: SubjectLevel | None
    parent_code: str | None
    subject_name: str | None
    row_label: str
    side: Side | None
    column_key: str
    column_label: str
    phase: str
    amount_yuan: Decimal
    amount_text: str
    unit: Unit
    department_code: str | None = None
    source: str = "text"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class TableInfo:
    doc_id: str
    table_id: TableKind | None
    toc_no: int | None
    title: str
    toc_title: str
    first_page: int
    last_page: int
    pages: tuple[int, ...]
    unit: Unit | None
    filer: str
    is_empty: bool
    empty_note: str
    n_rows: int
    n_amounts: int


@dataclass(frozen=True, slots=True)
class PerformanceTarget:
    doc_id: str
    table_id: TableKind
    page_no: int
    row_index: int
    project: str
    level1: str
    level2: str
    level3: str
    target_text: str
    operator: str | None
    value: Decimal | None
    value_unit: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    doc_id: str
    rule_id: str
    severity: Severity
    message: str
    table_id: str | None
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    tolerance: Decimal | None
    pages: tuple[int, ...]
    subject_code: str | None = None
    column_key: str | None = None
    bboxes: tuple[BBox, ...] = ()
    bbox_pages: tuple[int, ...] = ()
    """The page of each box in `bboxes`."""
    printed: tuple[str, ...] = ()
    """The involved figures as printed, e.g. ('613.05', '145.14', '199.53', '268.39')."""
    scope: Scope = Scope.DOCUMENT
    other_doc_id: str | None = None
    """For a batch finding: the second document (a unit of the department, last year's document)."""
    other_pages: tuple[int, ...] = ()
    """Pages of `other_doc_id` involved."""
    kind: FindingKind = FindingKind.DOCUMENT


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """Something in one document that could not be read; the batch goes on."""

    code: str
    message: str
    page_no: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    doc_id: str
    source: str
    file_name: str
    department: str
    fiscal_year: int | None
    doc_type: DocType
    n_pages: int
    entity_id: str = ""
    """Short hash of region + normalized name: one department's documents of every year and type share it."""
    entity_name: str = ""
    """The name normalized: half-width punctuation, no region prefix, no 本级 / 本部 suffix."""
    entity_code: str | None = None
    """Department or unit code where printed ([134], 部门编码:201)."""
    province: str | None = None
    city: str | None = None
    district: str | None = None
    contents: DocContents = DocContents.FULL
    """Tables and narrative, or one of them only."""
    publication_id: str = ""
    """Short hash of entity, year and type: the two halves of one publication (tables PDF, narrative PDF) share it."""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything one document produced; the writer persists it."""

    info: DocumentInfo
    status: Status
    tables: tuple[TableInfo, ...] = ()
    items: tuple[LineItem, ...] = ()
    targets: tuple[PerformanceTarget, ...] = ()
    sections: tuple[Section, ...] = ()
    findings: tuple[Finding, ...] = ()
    errors: tuple[ErrorItem, ...] = field(default_factory=tuple)
    crops: tuple[Crop, ...] = ()
    """Pictures of the pages the findings name (extract/crops.py)."""
