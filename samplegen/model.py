"""Plain data describing a sample disclosure document; no rendering here.

Variants (planted errors, other departments) are made by copying a DocSpec
with `dataclasses.replace` and altering its tables or texts.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column keys of cells that hold text, not money; every other key names an
# amount column of the truth vocabulary (total, basic, general_budget, ...).
TEXT_KEYS = frozenset({"code", "dept_code", "name", "label", "text"})


class SpecError(ValueError):
    """A DocSpec or TableSpec is internally inconsistent."""


@dataclass(frozen=True)
class HeaderCell:
    """A header cell. A header row lists its cells left to right, skipping the
    grid positions already covered by a row_span from a row above."""

    text: str
    col_span: int = 1
    row_span: int = 1


@dataclass(frozen=True)
class Merge:
    """A body cell spanning several grid positions; covered positions hold ''."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class HeadLine:
    """A line printed above (or below) a table's grid, in the order given.

    kind: 'title' (large, centred), 'subtitle' (centred), 'heading' (a narrative
    heading at the left), 'number' (a 公开01表 line at the left), 'note' or
    'line' (small, at the left). `tab` is printed at a fixed offset right of
    `text` ('部门：' … '江苏省…'), `right` at the grid's right edge on the same
    baseline ('单位：万元')."""

    kind: str
    text: str = ""
    right: str = ""
    tab: str = ""


@dataclass(frozen=True)
class RowCut:
    """A body row cut by a page break: cell `col` prints its first `keep`
    characters (with the row's other cells) at the foot of one page and the
    rest of its text in a row of its own at the top of the next."""

    row: int
    col: int
    keep: int


@dataclass(frozen=True)
class SideSpec:
    """One half of a two-sided summary: columns first_col..last_col
    (inclusive), the first of them holding the row labels."""

    side: str
    first_col: int
    last_col: int


@dataclass(frozen=True)
class TableSpec:
    """One numbered table: its header, its body rows as printed strings."""

    no: int
    table_id: str
    title: str
    unit_text: str
    filer_text: str
    header: tuple[tuple[HeaderCell, ...], ...]
    column_keys: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sides: tuple[SideSpec, ...] = ()
    number_row: bool = False
    empty_note: str = ""
    subtitle: str = ""
    continue_after_row: int | None = None
    body_merges: tuple[Merge, ...] = ()
    money_rows: tuple[int, ...] = ()
    # (row, col, key): an amount whose key is not its column's, e.g. Jiangsu's
    # 支出合计 printed under 支出用途/金额 is the side's total ('amount').
    cell_keys: tuple[tuple[int, int, str], ...] = ()
    # Layout: the lines around the grid (empty: note, title, subtitle and the
    # 填报单位 line with the unit at its right) and how page breaks look.
    head: tuple[HeadLine, ...] = ()
    foot: tuple[HeadLine, ...] = ()
    repeat_head: bool = True  # header rows printed again on each continuation page
    open_top: bool = False  # a continuation page has no ruling above its first row
    cut: RowCut | None = None
    split_from: int | None = None  # a page break may fall inside merged cells from this body row on
    col_weights: tuple[float, ...] = ()  # relative column widths (default: fitted to the text)

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != self.n_cols:
                raise SpecError(f"table {self.no} row {i}: {len(row)} cells, want {self.n_cols}")
        last = len(self.rows) - 1
        if self.continue_after_row is not None and not 0 <= self.continue_after_row < last:
            raise SpecError(f"table {self.no}: continue_after_row outside the body")
        if self.cut is not None and not (0 <= self.cut.row <= last and 0 < self.cut.keep < len(self.rows[self.cut.row][self.cut.col])):
            raise SpecError(f"table {self.no}: the cut row or its cut point is outside the body")

    @property
    def n_cols(self) -> int:
        return len(self.column_keys)

    @property
    def empty(self) -> bool:
        """No amount printed: no body rows, or rows with labels only (合计 and a blank)."""
        if self.money_rows:
            return False
        keys = [c for c, k in enumerate(self.column_keys) if k not in TEXT_KEYS]
        return not any(row[c].strip() for row in self.rows for c in keys)

    @property
    def unit(self) -> str:
        """The unit named by unit_text, e.g. '万元' from '单位：万元'."""
        return self.unit_text.replace(":", "：").split("：")[-1].strip()

    def number_row_cells(self) -> tuple[str, ...]:
        """The printed column-number row: '**' over text columns, 1.. over amounts."""
        cells, n = [], 0
        for key in self.column_keys:
            if key in TEXT_KEYS:
                cells.append("**")
            else:
                n += 1
                cells.append(str(n))
        return tuple(cells)


@dataclass(frozen=True)
class Block:
    """A narrative block: kind is 'heading', 'subheading' or 'para'.
    A non-empty key makes the block start a section of sections.json."""

    kind: str
    text: str
    key: str = ""


@dataclass(frozen=True)
class Part:
    """A 第X部分 of the document; holds_tables places the tables after its heading
    (all of them, or those numbered in `table_nos`)."""

    heading: str
    blocks: tuple[Block, ...] = ()
    key: str = ""
    holds_tables: bool = False
    table_nos: tuple[int, ...] = ()


@dataclass(frozen=True)
class TocEntry:
    """A 目录 line; level 0 for a part, 1 for an item under it."""

    text: str
    level: int


@dataclass(frozen=True)
class Flow:
    """How a producer lays out pages. The defaults give one part per page, one
    table per page (landscape when wide) and the 目录 on a page of its own."""

    toc_on_cover: bool = False  # the title block and the 目录 share the first page
    parts_flow: bool = False  # a part begins below the previous one, not on a new page
    tables_flow: bool = False  # a table begins below the previous one when it fits
    orphan_titles: bool = False  # a title that fits at a page foot stays there when its grid goes overleaf
    landscape_above: int = 6  # tables with more leaf columns go on landscape pages
    part_align: str = "center"  # 'left' for '二、部门预算报表' style headings
    cover_lines: tuple[str, ...] = ()  # the cover's lines (default: department, rest of the title)
    toc_page_numbers: bool = False  # 目录 lines end in a dot leader and the heading's page


@dataclass(frozen=True)
class DocSpec:
    """A whole document: cover, 目录, parts and numbered tables."""

    slug: str
    title: str
    department: str
    year: int
    unit: str
    filer: str
    toc: tuple[TocEntry, ...]
    parts: tuple[Part, ...]
    tables: tuple[TableSpec, ...]
    flow: Flow = Flow()


@dataclass(frozen=True)
class PageMap:
    """Where the renderer put things, as 1-based page numbers."""

    tables: dict[int, tuple[int, int]]
    rows: dict[tuple[int, int], int]
    sections: dict[str, tuple[int, int]]
