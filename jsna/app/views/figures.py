"""Trend lines over time and the two-indicator scatter with Pearson's r (plotly figures)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import FONT, SCHEMES, category, hover_text
from jsna.core.vocabulary import area_colours, area_symbols


# --------------------------------------------------------------------------- trends
def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        font=FONT,
        # Room for every line of the title (and its subtitle), so it never overlaps the plot.
        margin={"l": 10, "r": 10, "t": 40 + 20 * title.count("<br>"), "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


TREND_STYLES = (
    ("#1d70b8", "solid", "circle"),
    ("#0b0c0c", "dot", "square"),
    ("#6a3d9a", "dash", "diamond"),
)
"""Line colour, dash and marker per series: the chosen area, then the council, then England."""


def trend_figure(
    rows: pd.DataFrame,
    order: Sequence[str],
    title: str,
    unit: str,
    scheme: str = "fingertips",
) -> go.Figure:
    """Lines over time with 95% intervals; markers coloured by the comparison each period.

    Args:
        rows: `trend_values` rows (one sex).
        order: area codes to draw, first (the chosen area) to last; each gets its own colour,
            dash and marker shape, so lines are told apart without colour.
        title: figure title.
        unit: y-axis title.
        scheme: comparison colour scheme for the markers of the first area.
    """
    colours = SCHEMES[scheme]
    fig = go.Figure()
    for i, code in enumerate(order):
        sub = rows[rows["area_code"] == code].sort_values("period")
        if sub.empty or sub["value"].notna().sum() == 0:
            continue
        colour, dash, symbol = TREND_STYLES[min(i, len(TREND_STYLES) - 1)]
        name = str(sub["area_name"].iloc[0])
        plus = (sub["upper_ci95"] - sub["value"]).to_numpy(dtype=float)
        minus = (sub["value"] - sub["lower_ci95"]).to_numpy(dtype=float)
        has_ci = bool(np.isfinite(plus).any())
        marker_fill = [colours[category(r)] for r in sub.to_dict("records")] if i == 0 else colour
        fig.add_scatter(
            x=sub["period"],
            y=sub["value"],
            mode="lines+markers",
            name=name + (" (95% CI)" if has_ci else ""),
            line={"color": colour, "dash": dash, "width": 2.5 if i == 0 else 2},
            marker={
                "symbol": symbol,
                "size": 11 if i == 0 else 8,
                "color": marker_fill,
                "line": {"color": colour, "width": 1.5},
            },
            error_y={
                "type": "data",
                "array": np.nan_to_num(plus),
                "arrayminus": np.nan_to_num(minus),
                "visible": has_ci,
                "color": colour,
                "thickness": 1.2,
                "width": 4,
            },
            connectgaps=False,
            text=[hover_text(r) for r in sub.to_dict("records")],
            hovertemplate="%{x}<br>%{text}<extra></extra>",
        )
    fig.update_yaxes(title=unit, gridcolor="#e5e5e5", zeroline=False)
    fig.update_xaxes(type="category", title="Period", tickangle=-45)
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "yanchor": "top"})
    return _layout(fig, title, 440)


# --------------------------------------------------------------------------- scatter
@dataclass(frozen=True)
class Correlation:
    """Pearson's r of two indicators across areas, with the OLS line y = a + b·x."""

    n: int
    r: float
    intercept: float
    slope: float
    p_value: float


def scatter_pairs(rows: pd.DataFrame, x_id: str, y_id: str) -> tuple[pd.DataFrame, int]:
    """Areas with a value for both indicators, and how many areas were left out.

    Args:
        rows: `scatter_values` rows (persons, one area type).
        x_id: indicator on the x axis.
        y_id: indicator on the y axis.

    Returns:
        (pairs, left_out): pairs has area_code, area_name, vintage, parent_code, parent_name,
        x and y; left_out counts areas with only one of the two values (suppressed, not
        published, or on other ward boundaries).
    """
    base = ["area_code", "area_name", "vintage", "parent_code", "parent_name"]
    areas = rows.drop_duplicates("area_code")[base]
    x = rows[rows["indicator_id"] == x_id].set_index("area_code")["value"]
    y = rows[rows["indicator_id"] == y_id].set_index("area_code")["value"]
    out = areas.assign(x=areas["area_code"].map(x), y=areas["area_code"].map(y))
    both = out["x"].notna() & out["y"].notna()
    return out[both].reset_index(drop=True), int((~both).sum())


def correlation(x: Sequence[float] | pd.Series, y: Sequence[float] | pd.Series) -> Correlation:
    """Pearson's r, the least-squares line and the two-sided p-value of r (t on n − 2 df).

    Args:
        x: values of the first indicator, one per area.
        y: values of the second, same order.

    Returns:
        A `Correlation`; r and the line are NaN with fewer than three areas or no spread.
    """
    from scipy import special

    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xa)
    nan = Correlation(n, math.nan, math.nan, math.nan, math.nan)
    if n < 3:
        return nan
    dx, dy = xa - xa.mean(), ya - ya.mean()
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    if sxx == 0 or syy == 0:
        return nan
    r = sxy / math.sqrt(sxx * syy)
    b = sxy / sxx
    a = float(ya.mean() - b * xa.mean())
    if abs(r) >= 1:
        p = 0.0
    else:
        t = r * math.sqrt((n - 2) / (1 - r * r))
        p = float(2 * special.stdtr(n - 2, -abs(t)))
    return Correlation(n, r, a, b, p)


def wrap_label(text: str, width: int = 22) -> str:
    """Break a long name onto lines of about `width` characters with '<br>' (for plotly)."""
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def scatter_figure(
    pairs: pd.DataFrame,
    corr: Correlation,
    x_title: str,
    y_title: str,
    title: str,
    group_by: str = "parent_name",
) -> go.Figure:
    """Two indicators across areas: points by group (colour and shape), OLS line, r.

    Args:
        pairs: output of `scatter_pairs`.
        corr: `correlation` of pairs.x and pairs.y.
        x_title: x axis title (indicator and unit).
        y_title: y axis title.
        title: figure title.
        group_by: column naming each point's group (neighbourhood or PCN).
    """
    fig = go.Figure()
    groups = list(dict.fromkeys(pairs[group_by].fillna("Other")))
    # Each area's own colour (the same on every page); the shape still tells groups apart.
    strong, symbols = area_colours(groups), area_symbols(groups)
    for g in groups:
        sub = pairs[pairs[group_by].fillna("Other") == g]
        colour, symbol = strong[str(g)][0], symbols[str(g)]
        fig.add_scatter(
            x=sub["x"],
            y=sub["y"],
            mode="markers",
            name=str(g),
            marker={
                "color": colour,
                "symbol": symbol,
                "size": 11,
                "line": {"width": 1, "color": "#fff"},
            },
            text=sub["area_name"],
            hovertemplate=(
                f"<b>%{{text}}</b> ({html.escape(str(g))})<br>{html.escape(x_title)}: %{{x:,.2f}}"
                f"<br>{html.escape(y_title)}: %{{y:,.2f}}<extra></extra>"
            ),
        )
    if math.isfinite(corr.r):
        xs = np.array([pairs["x"].min(), pairs["x"].max()], dtype=float)
        fig.add_scatter(
            x=xs,
            y=corr.intercept + corr.slope * xs,
            mode="lines",
            name=f"Least-squares line (r = {corr.r:.2f}, n = {corr.n})",
            line={"color": "#505a5f", "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    fig.update_xaxes(title=wrap_label(x_title, 40), gridcolor="#e5e5e5", zeroline=False)
    fig.update_yaxes(title=wrap_label(y_title, 32), gridcolor="#e5e5e5", zeroline=False)
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
    return _layout(fig, title, 560)
