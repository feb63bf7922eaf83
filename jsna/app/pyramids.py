"""Population pyramids and age profiles (pure pandas/plotly; no Streamlit).

Percentages, not counts, so areas of different size compare. Each side of a pyramid is that
sex's own age distribution (% of all males, % of all females): England's outline comes from
Census 2021 TS007, which in our data has no sex split, so it is the age distribution of all
England's residents and is drawn the same on both sides. That is the honest comparison the
data allow; splitting England by sex would be invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

MALE = "#1d70b8"  # GOV.UK blue, 5.2:1 on white
FEMALE = "#912b88"  # GOV.UK purple, 7.0:1 on white
OUTLINE = "#0b0c0c"


def sex_percentages(bands: pd.DataFrame) -> pd.DataFrame:
    """Counts and % of each sex by age band, youngest first.

    Columns ``age_band, band_start, males, females, males_pct, females_pct``. A suppressed
    count (NaN) leaves its % blank; percentages are of the shown counts' total.
    """
    wide = bands.groupby(["band_start", "age_band", "sex"])["count"].sum(min_count=1).unstack("sex")
    out = pd.DataFrame(index=wide.index)
    for sex, col in (("Males", "males"), ("Females", "females")):
        counts = wide[sex] if sex in wide else pd.Series(np.nan, index=wide.index)
        out[col] = counts
        out[f"{col}_pct"] = 100 * counts / counts.sum()
    return out.reset_index().sort_values("band_start").reset_index(drop=True)


def england_outline(england: pd.DataFrame) -> pd.DataFrame:
    """England's persons % by band, used for both sides (TS007 has no sex split here)."""
    return pd.DataFrame(
        {
            "age_band": england["age_band"],
            "outline_males_pct": england["percent"],
            "outline_females_pct": england["percent"],
        }
    )


def area_outline(bands: pd.DataFrame) -> pd.DataFrame:
    """Another area's own % of each sex by band (e.g. the council), as a comparison outline."""
    t = sex_percentages(bands)
    return pd.DataFrame(
        {
            "age_band": t["age_band"],
            "outline_males_pct": t["males_pct"],
            "outline_females_pct": t["females_pct"],
        }
    )


def pyramid_table(bands: pd.DataFrame, outline: pd.DataFrame) -> pd.DataFrame:
    """One row per age band: the area's counts and % of each sex, and the outline's %.

    Args:
        bands: ``sex``, ``age_band``, ``band_start``, ``count`` (NaN = suppressed).
        outline: ``age_band``, ``outline_males_pct``, ``outline_females_pct``.
    """
    t = sex_percentages(bands).merge(outline, on="age_band", how="left")
    cols = ["age_band", "males", "females", "males_pct", "females_pct"]
    return t[[*cols, "outline_males_pct", "outline_females_pct"]]


def pyramid_figure(table: pd.DataFrame, title: str, outline_label: str) -> go.Figure:
    """Males left, females right, 5-year bands; the comparison as a stepped outline each side."""
    y = table["age_band"]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=y,
            x=-table["males_pct"],
            orientation="h",
            name="Males",
            marker_color=MALE,
            customdata=table["males_pct"],
            hovertemplate="Males %{y}: %{customdata:.1f}% of males<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=y,
            x=table["females_pct"],
            orientation="h",
            name="Females",
            marker_color=FEMALE,
            marker_pattern_shape="/",
            marker_pattern_fgcolor="#ffffff",
            marker_pattern_size=6,
            marker_pattern_fillmode="overlay",
            hovertemplate="Females %{y}: %{x:.1f}% of females<extra></extra>",
        )
    )
    for side, col, show in ((-1, "outline_males_pct", True), (1, "outline_females_pct", False)):
        fig.add_trace(
            go.Scatter(
                y=y,
                x=side * table[col],
                mode="lines",
                line={"color": OUTLINE, "width": 2, "shape": "hvh"},
                name=outline_label,
                showlegend=show,
                legendgroup="outline",
                customdata=table[col],
                hovertemplate=outline_label + " %{y}: %{customdata:.1f}%<extra></extra>",
            )
        )
    top = float(
        np.nanmax(
            [
                table["males_pct"].max(),
                table["females_pct"].max(),
                table["outline_males_pct"].max(),
                1.0,
            ]
        )
    )
    step = 2 if top <= 10 else 5
    ticks = np.arange(-np.ceil(top / step) * step, np.ceil(top / step) * step + step, step)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        barmode="overlay",
        bargap=0.08,
        xaxis={
            "title": "% of that sex's residents (males left, females right)",
            "tickvals": ticks,
            "ticktext": [f"{abs(t):g}%" for t in ticks],
            "gridcolor": "#dddddd",
            "zeroline": True,
            "zerolinecolor": OUTLINE,
        },
        yaxis={"title": "Age", "categoryorder": "array", "categoryarray": list(y)},
        legend={"orientation": "h", "y": -0.18},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        height=560,
    )
    return fig


def bands_table(area: pd.DataFrame, england: pd.DataFrame) -> pd.DataFrame:
    """GP list bands: an area's count and % of its list beside England's %."""
    a = area.sort_values("band_start")
    total = a["count"].sum()
    out = pd.DataFrame(
        {
            "age_band": a["age_band"].to_numpy(),
            "patients": a["count"].to_numpy(),
            "percent": (100 * a["count"] / total).where(a["count"].notna()).to_numpy(),
        }
    )
    e = england.set_index("age_band")["count"]
    out["england_percent"] = out["age_band"].map(100 * e / e.sum())
    return out


def bands_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of % of the registered list by band, England as an outline marker."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=table["age_band"],
            x=table["percent"],
            orientation="h",
            name="This list",
            marker_color=MALE,
            hovertemplate="%{y}: %{x:.1f}% of registered patients<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=table["age_band"],
            x=table["england_percent"],
            mode="markers",
            name="England (all practices)",
            marker={
                "symbol": "line-ns",
                "size": 22,
                "color": OUTLINE,
                "line": {"width": 3, "color": OUTLINE},
            },
            hovertemplate="England %{y}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis={"title": "% of registered patients", "ticksuffix": "%", "gridcolor": "#dddddd"},
        yaxis={
            "title": "Age band (as published)",
            "categoryorder": "array",
            "categoryarray": list(table["age_band"]),
        },
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        height=380,
    )
    return fig
