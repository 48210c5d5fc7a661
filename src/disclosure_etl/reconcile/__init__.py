"""Reconciliation: the catalogue of checks (one registry: data/rules.csv). Pure."""

from __future__ import annotations


def all_rule_ids() -> set[str]:
    """Every rule id a finding can carry (docs/checks.md documents each)."""
    from .registry import load_rules

    return set(load_rules())
