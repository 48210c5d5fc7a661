"""The classification catalogue and vocabularies shipped as package data.

Read once from `disclosure_etl/data/*.csv`; lookups are pure.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Official names of functional (2xx) and economic (3xx) subject codes."""

    names: dict[str, str]
    aliases: dict[str, str]

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def code_for_alias(self, name: str) -> str | None:
        return self.aliases.get(name)


def data_rows(filename: str) -> list[dict[str, str]]:
    """Rows of a vocabulary file under disclosure_etl/data/."""
    text = resources.files("disclosure_etl.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    names: dict[str, str] = {}
    for filename in ("functional_subjects.csv", "economic_subjects.csv"):
        for row in data_rows(filename):
            names[row["code"]] = row["name"]
    aliases: dict[str, str] = {}
    try:
        for row in data_rows("subject_aliases.csv"):
            aliases[row["alias"]] = row["code"]
    except FileNotFoundError:
        pass
    return Catalogue(names, aliases)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """English labels of the canonical table ids and column keys (data/*.csv)."""

    tables: dict[str, str]
    columns: dict[str, str]

    def table_label(self, table_id: object) -> str | None:
        return self.tables.get(table_id) if isinstance(table_id, str) else None

    def column_label(self, key: object) -> str | None:
        if not isinstance(key, str):
            return None
        whole, of_which, part = key.partition("_of_which_")
        if of_which:
            outer, inner = self.column_label(whole), self.column_label(part)
            return f"{outer}, of which: {inner}" if outer and inner else None
        base, _, n = key.rpartition("_")
        if key not in self.columns and n.isdigit() and base in self.columns:
            return f"{self.columns[base]} ({n})"
        return self.columns.get(key)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    tables = {row["table_id"]: row["label_en"] for row in data_rows("table_ids.csv")}
    columns = {row["column_key"]: row["label_en"] for row in data_rows("column_keys.csv")}
    return Vocabulary(tables, columns)


@lru_cache(maxsize=1)
def load_budget_terms() -> tuple[str, ...]:
    """Words that only a budget or final-accounts document prints (data/budget_terms.csv)."""
    return tuple(row["term"] for row in data_rows("budget_terms.csv"))
