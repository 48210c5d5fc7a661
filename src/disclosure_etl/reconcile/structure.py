"""Pure: the baseline — a structural self-check of every table before any arithmetic.

Like frictionless's baseline check and camelot's per-table accuracy: before a
sum is reported as the publisher's inconsistency, we ask whether we read the
table right. Causes, most basic first: an amount column whose header maps to
no key or to a key another column has; a header row read as a row of amounts;
a label column (or another table's rows) read as amounts; subject codes the
classification does not know; rows without a label or without their parent
row; most of the table's own sums failing; a parent exceeding its children where
its rows meet a page break. A table that fails yields one
extraction finding (the first cause, the others named in its message) and is
left out of every document check. Tables we cannot name (`unknown_table`) and
ids read twice (`duplicate_table`) are extraction findings too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalogue import Catalogue
from ..normalize.amounts import try_parse_amount
from ..normalize.document import NormalizedTable
from ..records import BBox, Finding, LineItem, Severity, TableKind
from .memo import same_arguments
from .registry import new_finding
from .tables import Relation, table_relations

_PUNCT_SPACE_RE = re.compile(r"[\s()（）\[\]【】、,，.·…]+")

K = TableKind
_ECONOMIC = {K.GENERAL_BUDGET_BASIC_EXPENDITURE, K.FINAL_GENERAL_BUDGET_BASIC_EXPENDITURE, K.FISCAL_APPROPRIATION_BASIC_EXPENDITURE, K.AGENCY_OPERATING_EXPENDITURE}
_HEADER_WORD_RE = re.compile(r"^(预算数|决算数|执行数|金额|合计|小计|总计|栏次|项目|科目(编码|名称)?|行次|\d{4}年度?(预算|决算)数?)$")
_DUP_KEY_RE = re.compile(r"^(?P<base>[a-z_]+?)_(?P<n>\d+)$")


@dataclass(frozen=True, slots=True)
class Cause:
    """Why a table's reading is not trusted: a rule id, what we saw, where."""

    rule_id: str
    message: str
    pages: tuple[int, ...]
    boxes: tuple[tuple[BBox, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Baseline:
    """The baseline's verdict over a document: its findings and the tables left out of document checks."""

    findings: tuple[Finding, ...] = ()
    failed: frozenset[int] = field(default_factory=frozenset)
    """Indexes of tables that failed: no document finding is derived from them."""
    shared_id: frozenset[int] = field(default_factory=frozenset)
    """Indexes of tables whose id another table also has: left out of checks across tables."""

    def trusted(self, index: int) -> bool:
        return index not in self.failed

    def usable_across(self, index: int) -> bool:
        return index not in self.failed and index not in self.shared_id


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    # Asked of every row label and of the catalogue's names again for each coded row.
    text = unicodedata.normalize("NFKC", text)
    return _PUNCT_SPACE_RE.sub("", text)


# ------------------------------------------------------------------ causes


def _unmapped(items: Sequence[LineItem], table: NormalizedTable) -> Cause | None:
    cells = [(b.cell.bbox, b.page_no, b.column_key) for b in table.bad_cells] + [(i.bbox, i.page_no, i.column_key) for i in items]
    bad = [c for c in cells if c[2].startswith("col_")]
    if not bad:
        return None
    names = sorted({c[2][4:] for c in bad})
    return Cause("unmapped_column", f"amount column(s) {'、'.join(names)} map to no column key", _pages(bad), tuple((b, p) for b, p, _ in bad[:6]))


def _duplicate_keys(items: Sequence[LineItem]) -> Cause | None:
    dups = [i for i in items if (m := _DUP_KEY_RE.match(i.column_key)) and m.group("base") in {j.column_key for j in items}]
    if not dups:
        return None
    keys = sorted({i.column_key for i in dups})
    return Cause("duplicate_column_key", f"two amount columns map to one key ({', '.join(keys)}: {dups[0].column_label})",
                 _pages(dups), tuple((i.bbox, i.page_no) for i in dups[:6]))


def _header_rows(items: Sequence[LineItem], table: NormalizedTable) -> Cause | None:
    """Rows holding header words where amounts belong (预算数 | 决算数 …), or a 栏次 row's column numbers."""
    words: dict[int, list[tuple[BBox, int, str]]] = defaultdict(list)
    for b in table.bad_cells:
        if _HEADER_WORD_RE.match(_norm(b.text)):
            words[b.row_index].append((b.cell.bbox, b.page_no, b.text))
    for i in items:
        if re.fullmatch(r"栏次|行次", _norm(i.row_label)):
            words[i.row_index].append((i.bbox, i.page_no, i.amount_text))
    rows = sorted(r for r, w in words.items() if len(w) >= 2)
    if not rows:
        return None
    hits = [w for r in rows for w in words[r]]
    shown = "、".join(dict.fromkeys(t for _, _, t in hits[:6]))
    return Cause("header_row_in_body", f"{len(rows)} body row(s) repeat header words ({shown}): a header row read as amounts",
                 _pages(hits), tuple((b, p) for b, p, _ in hits[:8]))


def _labels_as_amounts(items: Sequence[LineItem], table: NormalizedTable) -> Cause | None:
    read = Counter(i.column_key for i in items)
    text = defaultdict(list)
    for b in table.bad_cells:
        if not b.placeholder and not _HEADER_WORD_RE.match(_norm(b.text)):
            text[b.column_key].append(b)
    bad = {k: v for k, v in text.items() if len(v) >= 3 and len(v) >= read[k]}
    if not bad:
        return None
    cells = [b for v in bad.values() for b in v]
    what = "; ".join(f"{k}: {len(v)} cells such as '{v[0].text}'" for k, v in sorted(bad.items()))
    return Cause("label_in_amount_column", f"amount column(s) hold text, not amounts ({what})",
                 tuple(sorted({b.page_no for b in cells})), tuple((b.cell.bbox, b.page_no) for b in cells[:8]))


def _code_problems(items: Sequence[LineItem], catalogue: Catalogue) -> Cause | None:
    rows = {(i.row_index, i.subject_code): i for i in items if i.subject_code}
    if not rows:
        return None
    economic = items[0].table_id in _ECONOMIC
    bad = [i for i in rows.values() if not _code_ok(i, economic, catalogue)]
    if len(bad) < 3 or len(bad) * 3 < len(rows):
        return None
    shown = "、".join(f"{i.subject_code} {i.row_label}" for i in bad[:4])
    return Cause("subject_code_mismatch", f"{len(bad)} of {len(rows)} coded rows disagree with the classification ({shown} …)",
                 _pages(bad), tuple((i.bbox, i.page_no) for i in bad[:6]))


def _code_ok(it: LineItem, economic: bool, catalogue: Catalogue) -> bool:
    code = it.subject_code or ""
    if code.startswith("3") != economic:
        return False
    name = catalogue.name(code)
    if name is None:
        return False
    printed = _norm(it.row_label).rstrip("…")
    official = _norm(name)
    aliases = _aliases_by_code(catalogue.aliases).get(code, set())
    return not printed or any(o.startswith(printed) or printed.startswith(o) for o in {official, *aliases})


@same_arguments
def _aliases_by_code(aliases: dict[str, str]) -> dict[str, set[str]]:
    """Each code's aliases, normalized (every coded row scanned all of them)."""
    out: dict[str, set[str]] = defaultdict(set)
    for alias, code in aliases.items():
        out[code].add(_norm(alias))
    return dict(out)


_TOTAL_LIKE_RE = re.compile(r"合计|总计|小计|其中|人员经费|公用经费")


def _orphans(items: Sequence[LineItem]) -> Cause | None:
    """In a table by subject: rows printing amounts with no code (not a 合计 row), and
    款/项 whose parent row is missing where that level is printed."""
    rows: dict[int, LineItem] = {}
    for i in items:
        rows.setdefault(i.row_index, i)
    codes = {i.subject_code for i in items if i.subject_code}
    if not codes:
        return None
    lengths = {len(c) for c in codes}
    uncoded = [i for i in rows.values() if not i.subject_code and not i.department_code and not _TOTAL_LIKE_RE.search(_norm(i.row_label))]
    lost = [i for i in rows.values() if i.subject_code and len(i.subject_code) > 3 and len(i.subject_code[:-2]) in lengths and i.subject_code[:-2] not in codes]
    bad = (uncoded if len(uncoded) >= 2 else []) + lost
    if not bad:
        return None
    shown = "、".join(f"{i.subject_code} (no parent row)" if i.subject_code else f"'{i.row_label or 'row ' + str(i.row_index)}' (no code)" for i in bad[:4])
    return Cause("orphan_row", f"{len(bad)} row(s) print amounts without their code or parent row: {shown}",
                 _pages(bad), tuple((i.bbox, i.page_no) for i in bad[:6]))


def _sums_fail(relations: Sequence[Relation]) -> Cause | None:
    failed = [r for r in relations if r.severity is Severity.ERROR]
    if len(failed) < 3 or len(failed) * 2 <= len(relations):
        return None
    involved = [i for r in failed for i in r.items[:1]]
    return Cause("internal_sums_fail", f"{len(failed)} of the table's {len(relations)} own sums fail (e.g. {failed[0].message})",
                 _pages(involved), tuple((i.bbox, i.page_no) for i in involved[:6]))


def _lost_at_page_break(items: Sequence[LineItem], relations: Sequence[Relation]) -> Cause | None:
    """A parent printing more than its children where its rows run into a page break: the
    children a page break swallowed, not the publisher's arithmetic (rows dropped at a break
    were the commonest false 类 ≠ Σ款 seen on other producers' files)."""
    last_row: dict[int, int] = {}
    for i in items:
        last_row[i.page_no] = max(last_row.get(i.page_no, i.row_index), i.row_index)
    later = max(last_row)
    for r in relations:
        if r.rule_id != "hierarchy_sum" or r.severity is not Severity.ERROR or r.actual <= r.expected:
            continue
        pages = {i.page_no for i in r.items}
        bottom = max(r.items, key=lambda i: i.row_index)
        if len(pages) > 1 or (bottom.page_no < later and bottom.row_index == last_row[bottom.page_no]):
            where = "/".join(map(str, sorted(pages | {bottom.page_no + 1} if len(pages) == 1 else pages)))
            return Cause("rows_lost_at_page_break", f"{r.message}: the parent exceeds its printed children by {r.actual - r.expected:,.2f} "
                         f"where the rows meet the page break p.{where}; rows may be lost there", tuple(sorted(pages)),
                         tuple((i.bbox, i.page_no) for i in r.items[:6]))
    return None


def _pages(cells: Sequence[object]) -> tuple[int, ...]:
    pages = set()
    for c in cells:
        pages.add(c.page_no if hasattr(c, "page_no") else c[1])  # type: ignore[index]
    return tuple(sorted(pages))


def table_causes(table: NormalizedTable, catalogue: Catalogue, relations: Sequence[Relation] | None = None) -> list[Cause]:
    """Every reason, most basic first, not to trust the reading of one table (`relations`: its
    `table_relations`, when the caller has them: the table's own checks use them too)."""
    items = list(table.items)
    if table.info.table_id is None or table.info.table_id.is_performance or not (items or table.bad_cells):
        return []
    if relations is None:
        relations = table_relations(items)
    found = [
        _unmapped(items, table), _duplicate_keys(items), _header_rows(items, table), _labels_as_amounts(items, table),
        _code_problems(items, catalogue) if items else None, _orphans(items) if items else None,
        _sums_fail(relations) if items else None, _lost_at_page_break(items, relations) if items else None,
    ]
    return [c for c in found if c is not None]


# ------------------------------------------------------------------ the document


def _table_finding(doc_id: str, table: NormalizedTable, causes: list[Cause]) -> Finding:
    first = causes[0]
    title = table.info.title or table.info.toc_title
    also = "; also: " + "; ".join(c.message for c in causes[1:]) if causes[1:] else ""
    message = f"'{title}' (p.{', '.join(map(str, first.pages))}) is not used in checks: {first.message}{also}"
    return new_finding(
        first.rule_id, doc_id, message, table_id=table.info.table_id.value if table.info.table_id else None,
        pages=first.pages, bboxes=tuple(b for b, _ in first.boxes), bbox_pages=tuple(p for _, p in first.boxes),
    )


def _untitled_amounts(table: NormalizedTable) -> int:
    """Cells of a grid with no title that read as amounts (a table we found but cannot name)."""
    cells = [c for row in table.raw.body_rows for c in row.cells if c.text.strip()]
    return sum(1 for c in cells if any(ch.isdigit() for ch in c.text) and try_parse_amount(c.text) is not None and "." in c.text)


def check_unknown_tables(doc_id: str, tables: Sequence[NormalizedTable]) -> list[Finding]:
    """A title that names no known table; a grid printing amounts under no title."""
    out = []
    for t in tables:
        if t.info.table_id is not None:
            continue
        if t.info.title.strip():
            out.append(new_finding("unknown_table", doc_id, f"the table titled '{t.info.title}' (p.{t.info.first_page}) names no known table; it gets no id",
                                   pages=t.info.pages))
        elif (n := _untitled_amounts(t)) >= 3:
            out.append(new_finding("unknown_table", doc_id, f"a grid on p.{t.info.first_page} prints {n} amounts under no title we found; it gets no id",
                                   pages=t.info.pages))
    return out


def check_duplicate_tables(doc_id: str, tables: Sequence[NormalizedTable]) -> tuple[list[Finding], set[int]]:
    """Two tables read as one id: one finding per id; both are left out of checks across tables."""
    by_id: dict[TableKind, list[int]] = defaultdict(list)
    for n, t in enumerate(tables):
        if t.info.table_id is not None and not t.info.table_id.is_performance:
            by_id[t.info.table_id].append(n)
    out, shared = [], set()
    for kind, idx in by_id.items():
        if len(idx) < 2:
            continue
        shared.update(idx)
        where = "; ".join(f"'{tables[i].info.title}' p.{tables[i].info.first_page}" for i in idx)
        pages = tuple(sorted({p for i in idx for p in tables[i].info.pages}))
        out.append(new_finding("duplicate_table", doc_id, f"{len(idx)} tables read as {kind.value}: {where}; neither is used across tables",
                               table_id=kind.value, pages=pages))
    return out, shared


def run_baseline(doc_id: str, tables: Sequence[NormalizedTable], catalogue: Catalogue,
                 relations: Sequence[Sequence[Relation]] | None = None) -> Baseline:
    """The baseline over every table of a document (`relations`: each table's `table_relations`, when known)."""
    findings = check_unknown_tables(doc_id, tables)
    dup_findings, shared = check_duplicate_tables(doc_id, tables)
    findings += dup_findings
    failed = set()
    for n, t in enumerate(tables):
        causes = table_causes(t, catalogue, relations[n] if relations is not None else None)
        if causes:
            failed.add(n)
            findings.append(_table_finding(doc_id, t, causes))
    return Baseline(tuple(findings), frozenset(failed), frozenset(shared))
