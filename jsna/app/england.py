"""Our PCNs among all of England's: the funnel plot and the table of our PCNs.

Pure pandas and plotly (no Streamlit). Input: rows of ``national_pcn_values`` (one QOF
register, every English PCN, 2022/23 membership).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import FONT
from jsna.app.judgements import among_words, decile_text, england_words, rank_text
from jsna.app.narrative import format_value
from jsna.core import stats
from jsna.core.stats.overdispersion import overdispersed_proportion_limits
from jsna.core.vocabulary import area_colours, area_symbols

TICKS: Final[tuple[float, ...]] = (2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5)


def ours_table(pcns: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Our PCNs' values with their rank (1 = highest) and decile among England's PCNs."""
    df = pcns[pcns["area_code"].isin(list(names))]
    return pd.DataFrame(
        {
            "PCN": [names[c] for c in df["area_code"]],
            "Code": df["area_code"].to_numpy(),
            "Value": [format_value(v, "proportion") for v in df["value"]],
            "95% CI": [
                f"{format_value(lo, 'proportion')} to {format_value(hi, 'proportion')}"
                for lo, hi in zip(df["lower_ci95"], df["upper_ci95"], strict=True)
            ],
            "Register / list": [
                f"{c:,.0f} / {d:,.0f}" for c, d in zip(df["count"], df["denominator"], strict=True)
            ],
            "Rank in England (1 = highest)": [
                rank_text(*r)
                for r in zip(df["rank"], df["rank_lower"], df["rank_upper"], df["of"], strict=True)
            ],
            "Decile (10 = highest tenth)": [
                decile_text(d, p) for d, p in zip(df["decile"], df["p_decile"], strict=True)
            ],
            "Compared with England": [england_words(c) for c in df["comparison"]],
            "Among PCNs": [among_words(a, "pcn") for a in df["among_peers"]],
        }
    )


def funnel_figure(
    pcns: pd.DataFrame,
    highlight: Mapping[str, str],
    title: str,
    height: int = 600,
    tau2: float | None = None,
) -> go.Figure:
    """All PCNs against their list size, with 95% and 99.8% limits around England's value.

    Args:
        pcns: Rows of ``national_pcn_values`` for one register.
        highlight: Code -> name of the PCNs to mark and label (ours).
        title: Chart title.
        height: Figure height in pixels.
        tau2: The between-PCN variance τ² (as a proportion²); when given, the 99.8% limits
            widened by it (Spiegelhalter 2005) are drawn too, as solid blue lines.

    Returns:
        A plotly figure: grey circles for every PCN, ours each in its own colour and shape
        (named in the legend), England's value as a line, control limits as dashed (95%) and
        dotted (99.8%) lines, and the overdispersed 99.8% limits when ``tau2`` is given.
    """
    df = pcns[pcns["value"].notna() & (pcns["denominator"] > 0)]
    fig = go.Figure()
    if df.empty:
        return fig
    england = float(df["england_value"].iloc[0])
    grid = np.geomspace(max(df["denominator"].min() * 0.9, 100), df["denominator"].max() * 1.1, 200)
    plain = (
        (0.95, "dash", "95%: differs from England"),
        (0.998, "dot", "99.8%: differs from England"),
    )
    for conf, dash, name in plain:
        lo, hi = stats.funnel_proportion_limits(england / 100, grid, conf)
        for k, y in enumerate((lo, hi)):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=y * 100,
                    mode="lines",
                    line={"color": "#505a5f", "dash": dash, "width": 1.2},
                    name=name,
                    legendgroup=name,
                    showlegend=k == 0,
                    hoverinfo="skip",
                )
            )
    if tau2 is not None and not np.isnan(tau2):
        lo, hi = overdispersed_proportion_limits(england / 100, grid, 0.998, tau2)
        name = "99.8%: unusual among PCNs"
        for k, y in enumerate((lo, hi)):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=y * 100,
                    mode="lines",
                    line={"color": "#1d70b8", "width": 2},
                    name=name,
                    legendgroup=name,
                    showlegend=k == 0,
                    hoverinfo="skip",
                )
            )
    others = df[~df["area_code"].isin(list(highlight))]
    fig.add_trace(
        go.Scatter(
            x=others["denominator"],
            y=others["value"],
            mode="markers",
            marker={"color": "#8d98a0", "size": 5, "symbol": "circle"},
            name="Other PCNs in England",
            text=others["area_name"],
            hovertemplate="%{text}<br>%{y:.2f}% of %{x:,.0f} patients<extra></extra>",
        )
    )
    # Our PCNs each in the colour the maps give them, with a shape of their own, named in
    # the legend rather than by labels on the plot (which collide on a phone).
    ours = df[df["area_code"].isin(list(highlight))].assign(
        _name=lambda d: d["area_code"].map(highlight)
    )
    colours, symbols = area_colours(list(ours["_name"])), area_symbols(list(ours["_name"]))
    for pcn, sub in ours.groupby("_name", sort=True):
        fig.add_trace(
            go.Scatter(
                x=sub["denominator"],
                y=sub["value"],
                mode="markers",
                marker={
                    "color": colours[str(pcn)][0],
                    "size": 12,
                    "symbol": symbols[str(pcn)],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                text=[pcn] * len(sub),
                name=str(pcn),
                legendgroup="ours",
                legendgrouptitle={"text": "Our PCNs"},
                hovertemplate="%{text}<br>%{y:.2f}% of %{x:,.0f} patients<extra></extra>",
            )
        )
    line = {"color": "#0b0c0c", "width": 1.5}
    fig.add_hline(y=england, line=line)
    fig.add_scatter(x=[None], y=[None], mode="lines", line=line, name=f"England {england:.2f}%")
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 80},
        legend={"orientation": "h", "y": -0.42, "yanchor": "top"},
        xaxis={
            # Two lines, so the title fits a phone's width.
            "title": "Patients in the register's age group<br>(log scale)",
            "type": "log",
            "gridcolor": "#e5e5e5",
            "tickvals": TICKS,
            "ticktext": [f"{t / 1000:,.0f}k" for t in TICKS],
        },
        yaxis={"title": "Recorded prevalence (%)", "gridcolor": "#e5e5e5"},
    )
    return fig
