"""Pure: the small language identities are written in (data/rules.csv, data/narrative_subjects.csv).

A term names printed figures:

    table[/side].columns@row

- `table`: a canonical table id; `side`: `revenue` or `expenditure` (two-sided tables);
- `columns`: alternatives separated by `|`, the first the table prints is used; an
  alternative may be a sum `a,b,c` (of those printed) and carry a phase `key:final`;
- `row`: `total` (合计/总计), `rev_total` (收入总计/收入合计/总计), `exp_total`,
  `all` (the table's 合计 row when it prints one, else every row), `any` (every row),
  `code=301`, `codes=301,303` (their sum), `label=A|B` (the whole label), `label~regex` (part of it); optionally
  followed by ` after X` / ` before X`: only rows below / above the first row whose
  label holds X (the anchor must be printed, else the term names nothing); row
  selectors joined by ` or `: the first that names a printed row is used
  ('label~^本年支出合计$ or exp_total').

An identity is `left = right₁ ± right₂ …`; a right term written `?term` is
optional: 0 where its table or column is not printed (else the identity is not
checked). A row rule within a table names columns only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..records import LineItem, Side, TableKind

_TOTAL = {"total": r"合计|总计", "rev_total": r"收入总计|收入合计|总计", "exp_total": r"支出总计|支出合计|总计"}
_SIDES = {"revenue": Side.REVENUE, "expenditure": Side.EXPENDITURE}


class TermError(ValueError):
    """A term in the rules data that does not parse (a defect of the data file)."""


def compact_label(label: str) -> str:
    """`label` without whitespace (remembered: the checks ask it of the same labels and texts again)."""
    return _compact(label)


@lru_cache(maxsize=8192)
def _compact(label: str) -> str:
    return _SPACE_RE.sub("", label)


_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RowSelector:
    mode: str  # label= | label~ | code | codes | all | any
    pattern: str = ""
    after: str = ""
    before: str = ""
    # Compiled once: every row of every table a term picks from is matched against it.
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _codes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern))
        object.__setattr__(self, "_codes", tuple(self.pattern.split(",")))

    def matches(self, it: LineItem, printed_label: str = "") -> bool:
        """`printed_label`: the row's text outside its amounts, for rows whose label is in no label column."""
        if self.mode in ("any", "all"):
            return True
        if self.mode == "code":
            return it.subject_code == self.pattern
        if self.mode == "codes":
            return it.subject_code in self._codes
        if it.subject_code is not None:
            return False
        label = compact_label(it.row_label) or printed_label
        if self.mode == "label~":
            return self._regex.search(label) is not None
        return self._regex.fullmatch(label) is not None


@dataclass(frozen=True, slots=True)
class Column:
    keys: tuple[str, ...]
    phase: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """Figures of one table picked by side, column and row; `sign` is +1 or −1 in an identity."""

    table: TableKind
    side: Side | None
    columns: tuple[Column, ...]
    rows: tuple[RowSelector, ...]
    sign: int = 1
    text: str = ""
    optional: bool = False

    @property
    def row(self) -> RowSelector:
        return self.rows[0]


def parse_row(text: str) -> RowSelector:
    text = text.strip()
    after = before = ""
    m = re.match(r"^(?P<sel>.+?)\s+(?P<pos>after|before)\s+(?P<anchor>\S+)$", text)
    if m:
        text, after, before = m.group("sel"), m.group("anchor") if m.group("pos") == "after" else "", m.group("anchor") if m.group("pos") == "before" else ""
    if text in _TOTAL:
        return RowSelector("label=", _TOTAL[text], after, before)
    if text in ("all", "any"):
        return RowSelector(text, "", after, before)
    for prefix, mode in (("codes=", "codes"), ("code=", "code"), ("label=", "label="), ("label~", "label~")):
        if text.startswith(prefix):
            return RowSelector(mode, text[len(prefix):], after, before)
    raise TermError(f"unknown row selector {text!r}")


def _parse_columns(text: str) -> tuple[Column, ...]:
    out = []
    for alt in text.split("|"):
        keys, phase = [], None
        for part in alt.split(","):
            key, _, ph = part.strip().partition(":")
            keys.append(key)
            phase = ph or phase
        out.append(Column(tuple(keys), phase))
    return tuple(out)


@lru_cache(maxsize=512)
def parse_term(text: str, sign: int = 1) -> Term:
    """'revenue_expenditure_summary/revenue.amount@rev_total' → Term; a leading '?' makes it optional."""
    text = text.strip()
    optional = text.startswith("?")
    head, at, row = text.lstrip("?").partition("@")
    if not at:
        raise TermError(f"term {text!r} has no '@row'")
    where, dot, columns = head.partition(".")
    table, _, side = where.partition("/")
    try:
        kind = TableKind(table)
    except ValueError:
        kind = None
    if kind is None or not dot or (side and side not in _SIDES):
        raise TermError(f"term {text!r}: unknown table or side, or no column")
    rows = tuple(parse_row(r) for r in row.split(" or "))
    return Term(kind, _SIDES.get(side), _parse_columns(columns), rows, sign, text, optional)


def parse_sum(text: str) -> tuple[Term, ...]:
    """'a@x + b@y - c@z' → terms with their signs."""
    parts = re.split(r"\s+([+-])\s+", " " + text.strip())
    terms, sign = [], 1
    for part in parts:
        if part in ("+", "-"):
            sign = 1 if part == "+" else -1
        elif part.strip():
            terms.append(parse_term(part.strip(), sign))
    return tuple(terms)


def parse_columns_sum(text: str) -> tuple[tuple[str, int], ...]:
    """A row rule's right side: 'basic + project - x' → (('basic', 1), ('project', 1), ('x', -1))."""
    parts = re.split(r"\s+([+-])\s+", " " + text.strip())
    out, sign = [], 1
    for part in parts:
        if part in ("+", "-"):
            sign = 1 if part == "+" else -1
        elif part.strip():
            out.append((part.strip(), sign))
    return tuple(out)


# ------------------------------------------------------------------ picking

RowTexts = dict[TableKind, dict[int, str]]
"""Per table, each body row's printed text outside its amounts: anchors are found here, since
a row printed blank ('年初结转和结余' with no amount) carries no item; and the label of a row
whose label sits in no label column (a 政府采购 table's '合计' under 采购品目大类)."""


def _anchor_index(anchor: str, table: TableKind, in_table: Sequence[LineItem], row_texts: RowTexts | None) -> int | None:
    texts = (row_texts or {}).get(table)
    if texts is None:
        texts = {it.row_index: compact_label(it.row_label) for it in in_table}
    marks = [i for i, text in texts.items() if anchor in text]
    return min(marks) if marks else None


def _column_items(in_table: Sequence[LineItem], column: Column) -> list[LineItem] | None:
    keys = set(column.keys)
    got = [it for it in in_table if it.column_key in keys and (column.phase is None or it.phase == column.phase)]
    return got if got else None


def _rows(sel: RowSelector, table: TableKind, in_table: Sequence[LineItem], column_items: list[LineItem], row_texts: RowTexts | None) -> list[LineItem] | None:
    if sel.mode in ("code", "codes") and not any(it.subject_code for it in in_table):
        return None  # a table not by subject names no subject's figure
    if sel.mode.startswith("label") and not any(it.row_label or it.subject_code for it in in_table):
        return column_items  # a table printing no row labels is one row: its figures are the totals
    texts = (row_texts or {}).get(table, {})
    rows = [it for it in column_items if sel.matches(it, texts.get(it.row_index, ""))]
    if not rows and sel.mode.startswith("label") and texts and not _printed(sel, texts):
        return None  # no row of the table carries that label: the template has no such row
    if sel.mode in ("label=", "label~", "code") and not (sel.after or sel.before) and rows:
        # One row: a table printing its 合计 both above and below the rows (central 决算 表4).
        top = min(it.row_index for it in rows)
        rows = [it for it in rows if it.row_index == top]
    if sel.mode == "all":
        totals = [it for it in column_items if it.subject_code is None and re.fullmatch(_TOTAL["total"], compact_label(it.row_label))]
        rows = totals or rows
    anchor = sel.after or sel.before
    if not anchor:
        return rows
    at = _anchor_index(anchor, table, in_table, row_texts)
    if at is None:
        return None
    return [it for it in rows if (it.row_index > at if sel.after else it.row_index < at)]


def _printed(sel: RowSelector, texts: dict[int, str]) -> bool:
    """Some row of the table, blank or not, carries the selector's label."""
    pattern = sel.pattern.removeprefix("^").removesuffix("$")
    return any(re.search(pattern, text) for text in texts.values())


class TableItems(tuple[LineItem, ...]):
    """A document's items with an index by table and side, for `pick` (every identity and narrative
    subject scanned every item of the document for the few of one table)."""

    _index: dict[tuple[TableKind, Side | None], list[LineItem]]

    def __new__(cls, items: Iterable[LineItem]) -> TableItems:
        self = super().__new__(cls, items)
        index: dict[tuple[TableKind, Side | None], list[LineItem]] = {}
        for it in self:
            index.setdefault((it.table_id, None), []).append(it)
            if it.side is not None:
                index.setdefault((it.table_id, it.side), []).append(it)
        self._index = index
        return self

    def of(self, table: TableKind, side: Side | None) -> list[LineItem]:
        """The items of `table` (of that side only, when given), in order."""
        return self._index.get((table, side), [])


def pick(term: Term, items: Sequence[LineItem], row_texts: RowTexts | None = None) -> list[LineItem] | None:
    """The items a term names; None when its table, column or anchor row is not printed.

    A row printed blank gives no item: it counts as 0."""
    if isinstance(items, TableItems):
        in_table = items.of(term.table, term.side)
    else:
        in_table = [it for it in items if it.table_id is term.table and (term.side is None or it.side is term.side)]
    if not in_table:
        return None
    found: list[LineItem] | None = None
    for column in term.columns:
        column_items = _column_items(in_table, column)
        if column_items is None:
            continue
        for sel in term.rows:
            rows = _rows(sel, term.table, in_table, column_items, row_texts)
            if rows:
                return rows
            found = rows if rows is not None else found
    return found


def total(items: Sequence[LineItem]) -> Decimal:
    return sum((it.amount_yuan for it in items), Decimal(0))
