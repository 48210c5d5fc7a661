"""The panel's DuckDB views; kept at this path for `from disclosure_etl.panel import create_panel_views`.

The code lives in `disclosure_etl.read.panel` (docs/panel.md)."""

from .read.panel import KEY_COLUMNS, create_panel_views, panel_frame, panel_long_sql, panel_sql, years_in

__all__ = ["KEY_COLUMNS", "create_panel_views", "panel_frame", "panel_long_sql", "panel_sql", "years_in"]
