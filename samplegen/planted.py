"""Planted variants: a clean document with one planted error of each kind the checks look for.

A `Planting` copies a clean document (the seed, or a layout family's) and edits
printed cells, notes and sentences; every edit names the text it replaces, so a
change to the clean document that moves a planted figure fails here instead of
silently planting nothing. Its `plants` are the answer key: what each plant
must make the pipeline report (rule and table), and where (page and cell).
This module holds the mechanism and the seed's planting; the families' are in
`planted_families.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from samplegen.model import DocSpec, Part, SpecError, TableSpec
from samplegen.seed_data import seed_doc

SLUG = "dh_2024_department_budget_planted"


@dataclass(frozen=True)
class Report:
    """A finding a plant must cause: its rule and the table it names (for an identity, its left side's
    table); None for a statement of the text checked against itself."""

    rule_id: str
    table_id: str | None


def on(table_id: str | None, *rule_ids: str) -> tuple[Report, ...]:
    """Reports of several rules naming one table."""
    return tuple(Report(r, table_id) for r in rule_ids)


@dataclass(frozen=True)
class Plant:
    """One planted error and the findings it must cause (consequences included)."""

    kind: str
    reports: tuple[Report, ...]
    table_id: str | None  # the planted table; None for a sentence
    page: int  # where the changed figure (or the 目录 entry of a dropped table) is printed
    cell_text: str  # the planted cell's printed text, or a fragment of the planted sentence
    why: str

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reports)

    @property
    def is_cell(self) -> bool:
        """The plant is an amount cell of `table_id`, so findings must point at it."""
        return self.table_id is not None and self.kind != "completeness"


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new` in the `column` of the row holding a cell `row`.
    On a two-sided table the column is the first of that key right of `row`."""

    row: str
    column: str
    old: str
    new: str


DROPPED_TABLE = 9  # 国有资本经营预算支出表, still listed in the 目录

TABLE_EDITS: dict[str, tuple[Edit, ...]] = {
    "revenue_summary": (Edit("2010301", "other_income", "", "XX"),),
    # 合计 only; 基本支出 stays 31.41, so the row and its 款 both disagree.
    "expenditure_summary": (Edit("2210201", "total", "31.41", "31.14"),),
    "general_budget_expenditure": (
        # The 项 alone, in every column, so the row holds and only 款 ≠ Σ项 fails.
        Edit("2080505", "total", "34.72", "43.72"),
        Edit("2080505", "basic", "34.72", "43.72"),
        # 2010399, its 款 and 类 and the 合计 row all +1.00 in 合计 and 项目支出: the
        # table stays self-consistent and disagrees only with 财政拨款收支总表.
        Edit("2010399", "total", "268.39", "269.39"),
        Edit("2010399", "project", "268.39", "269.39"),
        Edit("03", "total", "613.05", "614.05"),
        Edit("03", "project", "268.39", "269.39"),
        Edit("201", "total", "613.05", "614.05"),
        Edit("201", "project", "268.39", "269.39"),
        Edit("合计", "total", "679.18", "680.18"),
        Edit("合计", "project", "268.39", "269.39"),
    ),
    # 合计 row: 公用经费 and 合计 both +10.00, so 合计 = 人员经费 + 公用经费 still holds.
    "general_budget_basic_expenditure": (
        Edit("合计", "total", "410.80", "420.80"),
        Edit("合计", "public_funds", "22.43", "32.43"),
    ),
    "revenue_expenditure_summary": (Edit("支出总计", "amount", "679.18", "697.18"),),
}

# table_id -> (old note, new note): a note saying the table is empty over a table that prints amounts
# (as 万里街道24年预算 p.31 does under its 三公 table).
NOTE_EDITS: dict[str, tuple[str, str]] = {
    "three_public_expenses": ("注：若为空表，则为该部门（单位）无“三公”经费支出", "注：本部门2024年无“三公”经费支出，故本表为空表。"),
}

# (old, new): the first occurrence of `old` in the narrative, in document order.
TEXT_EDITS: tuple[tuple[str, str], ...] = (
    ("基本支出410.80万元", "基本支出401.80万元"),
    ("下降 18.85 %", "下降 28.85 %"),
    ("卫生健康支出 0 万元", "医疗卫生与计划生育支出 0 万元"),
    # Completes the paragraph's trailing '其中:' with a share of the 支出预算总额;
    # 410.80 / 679.18 is 60.48%, not 70.00%.
    ("支出预算总额为679.18万元,较上年预算安排增加206.45万元;其中:",
     "支出预算总额为679.18万元,较上年预算安排增加206.45万元;其中：基本支出410.80万元，占支出预算总额的70.00%。"),
)


# Pages are those of the rendered variant (table 九 dropped, so everything after
# table 八 sits one page earlier than in the seed).
SEED_PLANTS: tuple[Plant, ...] = (
    Plant("completeness", on("state_capital_expenditure", "toc_table_missing"), "state_capital_expenditure", 2,
          "九、《国有资本经营预算支出表》",
          "table 九 is not printed but the 目录 still lists it (not a core table every family prints, so "
          "required_table_missing stays quiet: Jiangsu's templates print no 国有资本经营 table)"),
    Plant("placeholder", on("revenue_summary", "placeholder"), "revenue_summary", 6, "XX",
          "部门收入总表 其他收入 of 2010301 (blank in the seed) prints the template's XX"),
    Plant("row_arithmetic", on("expenditure_summary", "row_total_basic_project", "hierarchy_sum"), "expenditure_summary", 7, "31.14",
          "部门支出总表 2210201 合计 31.14 with 基本支出 31.41; its 款 22102 (31.41) no longer equals Σ项 either"),
    Plant("hierarchy", on("general_budget_expenditure", "hierarchy_sum"), "general_budget_expenditure", 9, "43.72",
          "一般公共预算支出表 2080505 is 43.72 in 合计 and 基本支出 while 款 20805 stays 34.72"),
    Plant("total_row", on("general_budget_basic_expenditure", "total_row_sum") + on("general_budget_expenditure", "x_basic_vs_basic_table"),
          "general_budget_basic_expenditure", 10, "420.80",
          "一般公共预算基本支出表 合计 row: 公用经费 32.43 and 合计 420.80 (+10.00) against 类 rows summing to 22.43 and "
          "410.79; 一般公共预算支出表 基本支出 合计 (410.80) no longer equals it"),
    Plant("total_row_public_funds", on("general_budget_basic_expenditure", "total_row_sum", "x_public_is_302_310"),
          "general_budget_basic_expenditure", 10, "32.43",
          "the same edit seen from its 公用经费 cell: 32.43 against the 302 + 310 rows' 22.43"),
    Plant("two_sided_balance", on("revenue_expenditure_summary", "two_sided_balance", "x_summary_expenditure_vs_expenditure_table",
                                  "narrative_amount"), "revenue_expenditure_summary", 5, "697.18",
          "收支预算总表 支出总计 697.18 against 收入总计 679.18, 部门支出总表 合计 679.18 and the text's 支出预算总额 679.18"),
    Plant("cross_table", on("general_budget_expenditure", "x_general_budget_vs_fiscal_summary"), "general_budget_expenditure", 9, "680.18",
          "一般公共预算支出表 2010399→201 and 合计 +1.00 in 合计 and 项目支出 (self-consistent): 合计 680.18 against "
          "财政拨款收支总表 一般公共预算 支出总计 679.18; planted here because the same change in 财政拨款收支总表 also "
          "unbalances it and contradicts the text's 财政拨款支出预算总额"),
    Plant("empty_note", on("three_public_expenses", "empty_table_with_amounts"), "three_public_expenses", 12, "1.80",
          "the 三公 table's note now says 本部门2024年无“三公”经费支出，故本表为空表 while the table prints 1.80"),
    Plant("narrative_amount", on("expenditure_summary", "narrative_amount"), None, 16, "基本支出401.80万元",
          "the 支出预算情况 text says 基本支出 401.80万元; 部门支出总表 prints 410.80"),
    Plant("narrative_percentage", on(None, "narrative_percentage"), None, 17, "下降 28.85 %",
          "机关运行费 22.43万元, 减少 5.21万元 is a fall of 5.21 / 27.64 = 18.85%, not 28.85%"),
    Plant("narrative_share", on(None, "narrative_share"), None, 16, "占支出预算总额的70.00%",
          "基本支出 410.80万元 is 60.48% of the 支出预算总额 679.18万元, not 70.00%"),
    Plant("old_subject_name", on(None, "narrative_old_name"), None, 16, "医疗卫生与计划生育支出 0 万元",
          "the classification and the tables call 210 卫生健康支出; the text uses its old name 医疗卫生与计划生育支出"),
)


def edit_table(spec: TableSpec, edit: Edit) -> TableSpec:
    """The table with one cell replaced; the row and the old text must match exactly once."""
    hits = [(r, row.index(edit.row)) for r, row in enumerate(spec.rows) if edit.row in row]
    if len(hits) != 1:
        raise SpecError(f"table {spec.no}: {len(hits)} rows hold {edit.row!r}")
    r, start = hits[0]
    col = next((c for c in range(start, spec.n_cols) if spec.column_keys[c] == edit.column), None)
    if col is None or spec.rows[r][col] != edit.old:
        found = spec.rows[r][col] if col is not None else "no such column"
        raise SpecError(f"table {spec.no} row {edit.row!r} {edit.column}: want {edit.old!r}, found {found!r}")
    row = spec.rows[r][:col] + (edit.new,) + spec.rows[r][col + 1 :]
    return replace(spec, rows=spec.rows[:r] + (row,) + spec.rows[r + 1 :])


def edit_note(spec: TableSpec, old: str, new: str) -> TableSpec:
    """The table with its note replaced; the old note must be the one printed."""
    if spec.empty_note != old:
        raise SpecError(f"table {spec.no}: note {spec.empty_note!r}, want {old!r}")
    return replace(spec, empty_note=new)


def edit_text(parts: tuple[Part, ...], old: str, new: str) -> tuple[Part, ...]:
    """The parts with the first occurrence of `old` (in document order) replaced."""
    for p, part in enumerate(parts):
        for b, block in enumerate(part.blocks):
            if old in block.text:
                blocks = part.blocks[:b] + (replace(block, text=block.text.replace(old, new, 1)),) + part.blocks[b + 1 :]
                return parts[:p] + (replace(part, blocks=blocks),) + parts[p + 1 :]
    raise SpecError(f"text to plant not found: {old!r}")


@dataclass(frozen=True)
class Planting:
    """A planted variant: the clean document it is made from, its edits and its answer key."""

    slug: str
    clean: Callable[[], DocSpec]
    plants: tuple[Plant, ...]
    table_edits: Mapping[str, tuple[Edit, ...]] = field(default_factory=dict)
    note_edits: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    text_edits: tuple[tuple[str, str], ...] = ()
    dropped_tables: tuple[int, ...] = ()

    def doc(self) -> DocSpec:
        """The clean document with every edit applied; the clean document itself is not touched."""
        doc = self.clean()
        tables = []
        for spec in doc.tables:
            if spec.no in self.dropped_tables:
                continue
            for edit in self.table_edits.get(spec.table_id, ()):
                spec = edit_table(spec, edit)
            if spec.table_id in self.note_edits:
                spec = edit_note(spec, *self.note_edits[spec.table_id])
            tables.append(spec)
        parts = doc.parts
        for old, new in self.text_edits:
            parts = edit_text(parts, old, new)
        return replace(doc, slug=self.slug, tables=tuple(tables), parts=parts)


SEED = Planting(SLUG, seed_doc, SEED_PLANTS, TABLE_EDITS, NOTE_EDITS, TEXT_EDITS, (DROPPED_TABLE,))


def planted_doc() -> DocSpec:
    """The seed with every plant of `SEED` applied."""
    return SEED.doc()
