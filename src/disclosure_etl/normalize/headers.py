"""Pure: header blocks -> one `ColumnSpec` per leaf column.

Each leaf column is described by its header path: the texts of the header
cells above it, top to bottom (`因公出国(境)费 / 小计`). Roles and canonical
`column_key`s come from that path by the ordered rules below, never from
column positions, so any province's layout maps the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from ..records import ColumnSpec, RawRow, Side, TableKind

_CODE_RE = re.compile(r"编码|代码|^[类款项]$")
_DEPT_CODE_RE = re.compile(r"(部门|单位)(编码|代码)")
_NAME_RE = re.compile(r"^((收入|支出)?项目|科目|.*名称)$")

# (pattern on the joined header path, column_key); first match wins.
KEY_RULES: tuple[tuple[str, str], ...] = (
    # Bare leaves under 公务用车购置及运行费 (corpus: 万里街道24年预算 p.31).
    (r"^(车辆)?购置费?$", "vehicle_purchase"),
    (r"^运行(维护)?费$", "vehicle_operation"),
    (r"因公出国.*(小计|合计)$", "overseas_travel"),
    (r"一般公务出国", "overseas_general"),
    (r"学术交流", "overseas_academic"),
    (r"因公出国[^/]*$", "overseas_travel"),
    (r"公务接待", "reception"),
    (r"公务用车.*(小计|合计)$", "vehicle_total"),
    (r"公务用车购置及运行[^/]*$", "vehicle_total"),
    (r"公务用车.*运行", "vehicle_operation"),
    (r"公务用车.*购置", "vehicle_purchase"),
    (r"调整(后)?预算", "adjusted_budget"),
    (r"用事业基金弥补收支差额", "business_fund_offset"),
    (r"增减额|增减金额|增加额|比上年增减|^增减数?$", "change"),
    (r"机关运行经费", "office_operation"),
    (r"会议费", "meeting"),
    (r"培训费", "training"),
    (r"三公", "three_public_total"),
    (r"单位预留机动经费|预留机动", "reserve_fund"),
    (r"结转下年", "carryover_to_next_year"),
    (r"^本年收入$", "current_revenue"),
    (r"^本年支出$", "current_expenditure"),
    (r"使用非财政拨款结余", "use_of_non_fiscal_balance"),
    (r"支出用途|按经济分类", "amount_by_use"),
    (r"^财政拨款支出$", "total"),
    (r"人员经费", "personnel"),
    (r"公用经费", "public_funds"),
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"上缴上级支出", "remit_to_superior"),
    (r"对(附属|下级)单位补助支出", "subsidy_to_subsidiaries"),
    (r"经营支出", "operating_expenditure"),
    (r"年初结转和?结余", "opening_balance"),
    (r"年末结转和?结余", "closing_balance"),
    (r"上年结转", "prior_carryover"),
    (r"一般公共预算", "general_budget"),
    (r"政府性基金", "government_fund"),
    (r"国有资本经营", "state_capital"),
    (r"财政专户", "special_account"),
    (r"上级补助收入", "superior_subsidy"),
    (r"附属单位上缴收入", "subsidiary_remittance"),
    (r"事业单位经营收入|经营性?收入", "operating_income"),
    (r"事业收入", "business_income"),
    (r"其他收入", "other_income"),
    (r"单位(自有)?资金", "unit_funds"),
    (r"非财政拨款", "non_fiscal"),  # before 财政拨款, which it contains and means the opposite of
    (r"财政拨款", "fiscal_appropriation"),
    (r"(合\s*计|小\s*计|总\s*计)$", "total"),
    (r"(预算数|决算数|执行数|金额|数额)$", "amount"),
)
_KEY_PATTERNS = tuple((re.compile(pattern), key) for pattern, key in KEY_RULES)
_THREE_PUBLIC = (TableKind.THREE_PUBLIC_EXPENSES, TableKind.FINAL_THREE_PUBLIC_EXPENSES)
TWO_SIDED = (
    TableKind.REVENUE_EXPENDITURE_SUMMARY,
    TableKind.FISCAL_APPROPRIATION_SUMMARY,
    TableKind.FINAL_REVENUE_EXPENDITURE_SUMMARY,
    TableKind.FINAL_FISCAL_APPROPRIATION_SUMMARY,
)


def _clean(text: str) -> str:
    return _SPACE_RE.sub("", text)


_SPACE_RE = re.compile(r"\s+")


# '项目(按功能分类)', '金额（万元）': the parenthesis qualifies, it does not name the column.
_QUALIFIER_RE = re.compile(r"[（(](按[^）)]*|[万]?元|单位[:：]?[万]?元)[)）]$")


def _core(text: str) -> str:
    return _QUALIFIER_RE.sub("", text)


def header_paths(header_rows: Sequence[RawRow], n_cols: int) -> list[list[str]]:
    """For each leaf column, the header texts above it, top to bottom."""
    paths: list[list[str]] = [[] for _ in range(n_cols)]
    for row in header_rows:
        for cell in row.cells:
            text = _clean(cell.text)
            if not text:
                continue
            for j in range(cell.col, min(cell.col + cell.col_span, n_cols)):
                if not paths[j] or paths[j][-1] != text:
                    paths[j].append(text)
    return paths


def column_role(path: Sequence[str]) -> str:
    return _column_role(tuple(path))


# Remembered, as the keys below: the same header paths come back in every table of every document.
@lru_cache(maxsize=4096)
def _column_role(path: tuple[str, ...]) -> str:
    # A 合计 row taken into the header of an empty form sits under 科目编码/科目名称 too.
    while len(path) > 1 and _TOTAL_RE.match(_core(path[-1])) and column_role(path[:-1]) != "amount":
        path = path[:-1]
    leaf = _core(path[-1]) if path else ""
    if _DEPT_CODE_RE.search(leaf):
        return "dept_code"
    if _CODE_RE.search(leaf):
        return "code"
    if _NAME_RE.match(leaf):
        return "name"
    if _RATIO_RE.search(leaf):
        return "ratio"  # a percentage or a share, not money: never an amount in yuan
    return "amount"


_RATIO_RE = re.compile(r"[%％‰]|百分比|(增长|增减|变动)(率|幅度?)|增幅|占比|比重")


_TOTAL_RE = re.compile(r"^(合\s*计|小\s*计|总\s*计|本年(收入|支出)合计)$")
_GENERIC_RE = re.compile(r"^(金额|数额|预算数|决算数|执行数|(本|上)年度?预算数?)$")
_PHASE_LEAF_RE = re.compile(r"^(\d{4}年度?)?(年初|调整后?|全年)?(预算数|决算数|执行数)$")
_OF_WHICH_RE = re.compile(r"^其中[:：]?(.+)$")


def path_to_key(path: Sequence[str], kind: TableKind | None) -> str:
    """Canonical key: the leaf decides; a bare 合计/小计/金额 takes its meaning from its group.

    A `其中：X` column is a part of the column group above it, never the group
    itself: '事业收入 / 其中：教育收费' is `business_income_of_which_tuition`.
    """
    return _path_to_key(tuple(path), kind)


@lru_cache(maxsize=4096)
def _path_to_key(printed: tuple[str, ...], kind: TableKind | None) -> str:
    # 预算数 / 决算数 under an item name the phase, not the column (三公 决算 tables).
    path = [_core(p) for p in printed]
    while len(path) > 1 and _PHASE_LEAF_RE.match(path[-1]):
        path = path[:-1]
    if not path:
        return "amount"
    leaf = path[-1]
    part = _OF_WHICH_RE.match(leaf)
    if part:
        return f"{_group_key(path[:-1], kind) or 'total'}_of_which_{_part_key(part.group(1))}"
    if _TOTAL_RE.match(leaf) or _GENERIC_RE.match(leaf):
        group = _group_key(path[:-1], kind)
        if group:
            return group
        if _GENERIC_RE.match(leaf):
            return "amount"
        return "three_public_total" if kind in _THREE_PUBLIC else "total"
    return _rule_key(leaf) or _rule_key("/".join(path)) or ("col_" + re.sub(r"\W+", "_", leaf).strip("_"))


@lru_cache(maxsize=4096)
def _rule_key(text: str) -> str | None:
    # Remembered: the same header texts come back in every table; the 50 rules took a tenth of normalizing.
    return next((key for pattern, key in _KEY_PATTERNS if pattern.search(text)), None)


def _group_key(parents: Sequence[str], kind: TableKind | None) -> str | None:
    """The key a column group names ('项目支出' over 小计 → project), nearest group first."""
    for parent in reversed(parents):
        sub = next((k for word, k in _SUBGROUPS if word in parent), None)
        found = sub or _rule_key(parent)
        if found and found != "amount":
            return found
    return None


_SUBGROUPS = (("因公出国", "overseas_travel"), ("公务用车", "vehicle_total"))
# The parts printed under 其中：… (data/column_keys.csv lists them with their labels).
_PART_RULES: tuple[tuple[str, str], ...] = (
    (r"教育收费", "tuition"),
    (r"基本建设", "capital_construction"),
    (r"捐赠", "donation"),
    (r"政府性基金", "government_fund"),
    (r"财政拨款", "fiscal_appropriation"),
)


def _part_key(text: str) -> str:
    return next((key for pattern, key in _PART_RULES if re.search(pattern, text)), None) or _rule_key(text) or "part"


_PHASE_RULES = (
    # '上年结转' is this year's money carried in, not a figure of last year.
    (re.compile(r"上年(?!结转|结余)"), "prior_year"),
    # A budget's 执行数 is last year's outturn: this year's budget is not yet executed.
    (re.compile(r"执行数"), "prior_year"),
    (re.compile(r"决算"), "final"),
    (re.compile(r"预算数|年初预算|全年预算|调整预算"), "budget"),
)


def path_to_phase(path: Sequence[str], default: str) -> str:
    """Which figure a column holds; '一般公共预算' names a fund, not a phase."""
    return _path_to_phase("/".join(path), default)


@lru_cache(maxsize=4096)
def _path_to_phase(joined: str, default: str) -> str:
    for pattern, phase in _PHASE_RULES:
        if pattern.search(joined):
            return phase
    return default


def _sides(paths: list[list[str]], roles: list[str], kind: TableKind | None) -> list[Side | None]:
    """Revenue/expenditure half of each column of a two-sided summary table."""
    names = [j for j, r in enumerate(roles) if r == "name"]
    if kind not in TWO_SIDED or len(names) < 2:
        return [None] * len(paths)
    split = names[1]
    sides: list[Side | None] = []
    for j, path in enumerate(paths):
        top = _core(path[0]) if path else ""
        if "支出" in top and "收入" not in top:
            sides.append(Side.EXPENDITURE)
        elif "收入" in top and "支出" not in top:
            sides.append(Side.REVENUE)
        else:
            sides.append(Side.REVENUE if j < split else Side.EXPENDITURE)
    return sides


def map_columns(
    header_rows: Sequence[RawRow], n_cols: int, kind: TableKind | None, default_phase: str,
    body_rows: Sequence[RawRow] = (),
) -> list[ColumnSpec]:
    """One spec per leaf column: role, canonical key, side and phase.

    A column whose header names no known amount and whose body holds text, not
    amounts (政府采购's 采购品目大类, 采购组织形式) is a text column.
    """
    paths = header_paths(header_rows, n_cols)
    roles = [column_role(p) for p in paths]
    sides = _sides(paths, roles, kind)
    halves = _halves(paths, roles)
    keyed = _drop_banners([_strip_side_head(p, sides[j]) for j, p in enumerate(paths)], roles, sides, halves)
    specs = []
    for j, path in enumerate(paths):
        key = path_to_key(keyed[j], kind) if roles[j] == "amount" else roles[j]
        role = roles[j]
        if role == "amount" and (key.startswith("col_") or not keyed[j]) and _holds_text(body_rows, j):
            # No header of its own (under a label header spanning two columns, corpus:
            # jiangsu/省法院2017 收入预算总表 '一般公共预算资金 | 小计'): a second label column.
            role = key = "name" if not keyed[j] else "text"
        specs.append(ColumnSpec(j, key, "/".join(path), sides[j], path_to_phase(path, default_phase), role, halves[j]))
    # Halves are counted again once text columns are known: a text column is no amount block.
    final = _halves(paths, [sp.role for sp in specs])
    # `replace` only where something changed: it cost a third of mapping the columns.
    specs = [sp if (sp.half, sp.phase) == (h, p) else replace(sp, half=h, phase=p) for sp, h, p in zip(specs, final, _earlier_years(paths, specs))]
    return _dedupe_keys(_grand_total(specs, kind))


_YEAR_RE = re.compile(r"(\d{4})年")


def _earlier_years(paths: list[list[str]], specs: list[ColumnSpec]) -> list[str]:
    """Each column's phase; where amount columns name different years ('2023年执行数 | 2024年预算数'),
    those of an earlier year than the latest hold last year's figures: `prior_year`."""
    years = [int(m.group(1)) if (m := _YEAR_RE.search("/".join(p))) else None for p in paths]
    latest = max((y for y, sp in zip(years, specs) if y is not None and sp.role == "amount"), default=None)
    return [
        "prior_year" if sp.role == "amount" and y is not None and latest is not None and y < latest else sp.phase
        for y, sp in zip(years, specs)
    ]


def _drop_banners(paths: list[list[str]], roles: list[str], sides: list[Side | None], halves: list[int]) -> list[list[str]]:
    """Drop a header spanning every amount column of its half ('2024年预算数', '一般公共预算支出'): it names the table, not a column."""
    out = [list(p) for p in paths]
    for j, path in enumerate(paths):
        if roles[j] != "amount":
            continue
        peers = [k for k in range(len(paths)) if roles[k] == "amount" and (sides[k], halves[k]) == (sides[j], halves[j])]
        if len(peers) < 2:
            continue
        out[j] = [e for d, e in enumerate(path) if d == len(path) - 1 or not all(d < len(paths[k]) - 1 and paths[k][d] == e for k in peers)]
    return out


def _grand_total(specs: list[ColumnSpec], kind: TableKind | None) -> list[ColumnSpec]:
    """三公 tables that add 会议费 and 培训费: the outer 合计 is the grand total, not the 三公 sum."""
    if kind not in _THREE_PUBLIC or not any(s.key in ("meeting", "training") for s in specs):
        return specs
    top = [s for s in specs if s.key == "three_public_total"]
    if len(top) < 2:
        return specs
    return [replace(s, key="total") if s is top[0] else s for s in specs]


def _holds_text(rows: Sequence[RawRow], col: int) -> bool:
    texts = [c.text.strip() for r in rows for c in r.cells if c.col == col and c.text.strip()]
    return bool(texts) and sum(not _AMOUNT_TEXT_RE.match(t.replace(" ", "")) for t in texts) * 2 > len(texts)


_AMOUNT_TEXT_RE = re.compile(r"^[-−(（]?[\d,]*\.?\d+[)）]?$|^[-—–－]+$|^[XＸ×xX*＊]+$")


def _halves(paths: list[list[str]], roles: list[str]) -> list[int]:
    """Two label blocks (科目编码 | 名称 | 决算数 twice) make two independent halves."""
    starts = [j for j, r in enumerate(roles) if r in ("code", "name", "dept_code") and (j == 0 or roles[j - 1] in ("amount", "ratio"))]
    if len(starts) < 2:
        return [0] * len(paths)
    return [sum(1 for s in starts[1:] if j >= s) for j in range(len(paths))]


def _strip_side_head(path: list[str], side: Side | None) -> list[str]:
    """Drop the '本年收入' / '支出' banner over a half; it names the side, not the column."""
    if side is not None and len(path) > 1 and ("收入" in path[0] or "支出" in path[0]) and len(path[0]) <= 6:
        return path[1:]
    return path


def _dedupe_keys(specs: list[ColumnSpec]) -> list[ColumnSpec]:
    """Two amount columns with one key in one half: qualify the later ones by their group."""
    seen: dict[tuple[Side | None, int, str, str], int] = {}
    out = []
    for spec in specs:
        if spec.role != "amount":
            out.append(spec)
            continue
        slot = (spec.side, spec.half, spec.phase, spec.key)
        n = seen.get(slot, 0)
        seen[slot] = n + 1
        out.append(spec if n == 0 else replace(spec, key=f"{spec.key}_{n + 1}"))
    return out
