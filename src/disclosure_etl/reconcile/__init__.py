"""Reconciliation: the catalogue of checks. Pure; one `check_*` per rule."""

from __future__ import annotations


def all_rule_ids() -> set[str]:
    """Every rule id a finding can carry (docs/checks.md documents each)."""
    from .cross import IDENTITIES
    from .crossdoc import RULE_IDS as BATCH_RULES
    from .tables import ROW_RULES

    fixed = {
        "toc_table_missing", "toc_unknown_table", "table_not_in_toc", "required_table_missing",
        "placeholder", "unreadable_amount", "ocr_low_confidence", "hierarchy_sum", "total_row_sum", "two_sided_balance",
        "narrative_amount", "narrative_percentage", "narrative_share", "narrative_direction", "narrative_old_name",
    }
    return fixed | {r for r, _, _ in ROW_RULES} | {i.rule_id for i in IDENTITIES} | set(BATCH_RULES)
