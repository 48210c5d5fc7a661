"""`out.table(doc, table_id)`: one table rebuilt as printed, from its line items.

Rows come in printed order (`row_index`, over all the table's pages); each
printed amount column becomes one column, in printed order (by the cells' x
position), headed by its Chinese header as printed and its English label.
Amounts are in the table's printed unit (元 or 万元, `df.attrs["unit"]`).

A table printed as blocks side by side gets a code and name column per block:
the two sides of a summary (收入 | 支出), or the two halves of a final-accounts
basic-expenditure table (人员经费 | 公用经费), each with its own code, name and
amount columns. A row that prints no amount at all has no line item, so it is
not in the rebuilt table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..catalogue import load_vocabulary
from ..records import Unit

HEADER_LEVELS = ("header", "label_en")
_SIDE_ZH = {"revenue": "收入", "expenditure": "支出"}


@dataclass(frozen=True, slots=True)
class Column:
    """One printed amount column: which block it is in, its key and its headers."""

    block: int
    key: tuple[str, str, str]  # side, column_key, phase
    header: str
    label_en: str
    x0: float


def _blocks(items: pd.DataFrame) -> pd.Series:
    """Block of each item: its side for a two-sided table; else, for a table printed
    as halves (two labels on one row), the half whose first amount column begins at
    or left of the item's cell (a row may print only its right half)."""
    if items["side"].notna().any():
        return items["side"].map({"revenue": 0, "expenditure": 1}).fillna(0).astype(int)
    label = items["subject_code"].fillna("") + "\x00" + items["row_label"].fillna("")
    first_x = items.assign(label=label).groupby(["row_index", "label"])["x0"].transform("min")
    rank = first_x.groupby(items["row_index"]).rank(method="dense").astype(int) - 1
    widest = rank.groupby(items["row_index"]).transform("max")
    n = int(widest.max())
    if n == 0:
        return pd.Series(0, index=items.index)
    starts = sorted(items.loc[widest == n].groupby(rank[widest == n])["x0"].min())
    return items["x0"].map(lambda x: max(b for b, start in enumerate(starts) if x >= start - 1.0) if x >= starts[0] - 1.0 else 0)


def _columns(items: pd.DataFrame, n_blocks: int) -> list[Column]:
    vocab = load_vocabulary()
    cols = []
    for (block, side, key, phase), group in items.groupby(["block", "side_key", "column_key", "phase"], sort=False):
        header = group["column_label"].mode().iloc[0] if group["column_label"].notna().any() else key
        label = vocab.column_label(key) or key
        if side:
            label = f"{side}: {label}"
        elif n_blocks > 1:
            label = f"{label} ({int(block) + 1})"  # the halves print the same headers
        cols.append(Column(int(block), (side, key, phase), str(header), label, float(group["x0"].median())))
    return sorted(cols, key=lambda c: (c.block, c.x0))


def _block_names(blocks: list[int], two_sided: bool) -> dict[int, tuple[tuple[str, str], tuple[str, str]]]:
    """(code header, name header) per block, each as (Chinese, English)."""
    out = {}
    for b in blocks:
        if two_sided:
            side = "revenue" if b == 0 else "expenditure"
            out[b] = ((f"{_SIDE_ZH[side]}/科目编码", f"{side}: code"), (f"{_SIDE_ZH[side]}/项目", f"{side}: item"))
        else:
            n = "" if len(blocks) == 1 else f" ({b + 1})"
            out[b] = ((f"科目编码{n}", f"code{n}"), (f"项目{n}", f"item{n}"))
    return out


def _printed(value: Decimal, unit: object, exact: bool) -> Decimal | float:
    amount = value / (Unit(unit).factor if isinstance(unit, str) else Decimal(1))
    return amount if exact else float(amount)


def _row(group: pd.DataFrame, cols: list[Column], names: dict, exact: bool) -> list[object]:
    row: list[object] = []
    for block in names:
        part = group[group["block"] == block]
        first = part.iloc[0] if len(part) else None
        row += [first["subject_code"], first["row_label"]] if first is not None else [None, None]
        for c in (c for c in cols if c.block == block):
            hit = part[(part["side_key"] == c.key[0]) & (part["column_key"] == c.key[1]) & (part["phase"] == c.key[2])]
            row.append(_printed(hit["amount_yuan"].iloc[0], hit["unit"].iloc[0], exact) if len(hit) else None)
    return row


def rebuild_table(items: pd.DataFrame, exact: bool = False) -> pd.DataFrame:
    """Pure: one table's line items (Decimal `amount_yuan`) -> the table as printed.

    Columns are a two-level index (`header` as printed, `label_en`); amounts are
    floats in the printed unit, or Decimal with `exact=True`; a blank cell is None."""
    if items.empty:
        return pd.DataFrame(columns=pd.MultiIndex.from_tuples([], names=HEADER_LEVELS))
    items = items.assign(block=_blocks(items), side_key=items["side"].fillna(""), phase=items["phase"].fillna(""))
    blocks = sorted(int(b) for b in items["block"].unique())
    cols = _columns(items, len(blocks))
    names = _block_names(blocks, bool(items["side"].notna().any()))
    rows = [_row(group, cols, names, exact) for _, group in items.groupby("row_index", sort=True)]
    order = [h for b in blocks for h in (*names[b], *[(c.header, c.label_en) for c in cols if c.block == b])]
    frame = pd.DataFrame(rows, columns=pd.MultiIndex.from_tuples(order, names=HEADER_LEVELS))
    codes = [names[b][0] for b in blocks]
    frame = frame.drop(columns=[c for c in codes if frame[c].isna().all()])  # a table printing no codes
    units = items["unit"].dropna().unique()
    frame.attrs["unit"] = str(units[0]) if len(units) == 1 else "/".join(map(str, units))
    frame.attrs["pages"] = sorted(int(p) for p in items["page"].unique())
    return frame
