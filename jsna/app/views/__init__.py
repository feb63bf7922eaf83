"""Builders for the Fingertips-style views, one module per feature.

- `overview`: the overview grid (indicators by areas) as HTML and a download table;
- `figures`: trend lines over time and the two-indicator scatter with Pearson's r.

Pure functions (no Streamlit). Pages use the names re-exported here (`views.trend_figure`).
"""

from jsna.app.views.figures import (
    TREND_STYLES,
    Correlation,
    correlation,
    scatter_figure,
    scatter_pairs,
    trend_figure,
    wrap_label,
)
from jsna.app.views.overview import (
    OVERVIEW_SORTS,
    SYMBOLS,
    contrast_ratio,
    overview_cells,
    overview_columns,
    overview_download,
    overview_html,
    overview_legend_html,
    overview_rows,
    profile_href,
    short_value,
    text_colour,
)

__all__ = [
    "OVERVIEW_SORTS",
    "SYMBOLS",
    "TREND_STYLES",
    "Correlation",
    "contrast_ratio",
    "correlation",
    "overview_cells",
    "overview_columns",
    "overview_download",
    "overview_html",
    "overview_legend_html",
    "overview_rows",
    "profile_href",
    "scatter_figure",
    "scatter_pairs",
    "short_value",
    "text_colour",
    "trend_figure",
    "wrap_label",
]
