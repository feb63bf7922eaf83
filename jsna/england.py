"""Our PCNs among all of England's: funnel plot, rank and decile, and "PCNs like ours".

Pure pandas and plotly (no Streamlit). Input: rows of ``national_pcn_values`` (one QOF
register, every English PCN, 2022/23 membership).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna import stats
from jsna.charts import FONT, PCN_COLOURS
from jsna.narrative import format_value

SIMILAR_FEATURES: Final[tuple[str, ...]] = ("list_size", "pct_65_plus", "imd_score")
SIMILAR_COUNT: Final[int] = 10
SIMILAR_METHOD: Final[str] = (
    f"PCNs like ours: the {SIMILAR_COUNT} English PCNs nearest to the chosen PCN by "
    "straight-line (Euclidean) distance over three standardised measures, each given equal "
    "weight: registered list size (log "
    "scale, QOF 2022/23 lists), % of patients aged 65 and over and the practice IMD 2019 "
    "score (both list-weighted over the PCN's practices, from the HEEC practice file of "
    "2023). Each measure is turned into a z-score (mean 0, standard deviation 1) across all "
    "PCNs that have all three, and the chosen PCN itself is not listed. PCNs "
    "whose practices cover under half their list in the HEEC file are left out, since "
    "their age and deprivation would rest on too few practices."
)
NATIONAL_METHOD: Final[str] = (
    "Every English GP practice, PCN, sub-ICB location, ICB and region has the 21 QOF "
    "2022/23 registers, from NHS England's national prevalence file and its 2022/23 "
    "practice-to-region geography: each area's registers are summed over its practices and "
    "divided by their summed lists in the register's age group (never an average of "
    "practice rates), with Wilson 95% and 99.8% intervals, compared with England (higher, "
    "similar or lower; recorded prevalence has no better or worse direction). England's "
    "and the council's own diabetes and dementia registers and lists match OHID's "
    "published figures exactly. Membership is 2022/23's: a PCN is the "
    "practices NHS England listed in it that year, wherever they sit, and is filed under the "
    "sub-ICB holding most of them; practices in no PCN sit under their sub-ICB. Rank 1 is "
    "the highest value among areas of the same kind; decile 10 is the highest tenth. Counts "
    "from 1 to 4 are suppressed, along with any other figure that would let a reader work "
    "one out, or narrow it, from the totals published for every level at once. A register "
    "larger than its list, as one specialist practice publishes, has no prevalence of its "
    "own but still counts in the totals above it. Only the QOF registers exist for areas "
    "outside the place's own; every other indicator is built from local sources."
)
MIN_COVERAGE: Final[float] = 0.5
TICKS: Final[tuple[float, ...]] = (2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5)
OUR_SYMBOLS: Final[tuple[str, ...]] = ("diamond", "square", "triangle-up", "star", "pentagon")


def _features(pcns: pd.DataFrame) -> pd.DataFrame:
    ok = pcns[list(SIMILAR_FEATURES)].notna().all(axis=1) & (pcns["coverage"] >= MIN_COVERAGE)
    x = pcns.loc[ok, list(SIMILAR_FEATURES)].astype(float).copy()
    x["list_size"] = np.log(x["list_size"])
    return (x - x.mean()) / x.std(ddof=0)


def similar_pcns(pcns: pd.DataFrame, code: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` PCNs most like ``code`` (see :data:`SIMILAR_METHOD`), nearest first.

    Args:
        pcns: Rows of ``national_pcn_values``.
        code: The PCN to match.
        n: How many to return.

    Returns:
        The matching rows with a ``distance`` column; empty if ``code`` lacks the measures.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCD"), "list_size": [1e4, 1.1e4, 5e4, 1e4],
        ...     "pct_65_plus": [20, 21, 10, 30], "imd_score": [10, 11, 40, 10],
        ...     "coverage": 1.0})
        >>> similar_pcns(df, "A", 2)["area_code"].tolist()
        ['B', 'D']
    """
    z = _features(pcns.set_index("area_code"))
    if code not in z.index:
        return pcns.iloc[0:0].assign(distance=np.nan)
    dist = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code)
    nearest = dist.nsmallest(n)
    out: pd.DataFrame = pcns.set_index("area_code").loc[nearest.index].reset_index()
    out["distance"] = nearest.to_numpy()
    return out


def _pct(v: float) -> str:
    return f"{v:.2f}%" if pd.notna(v) else "not available"


def similar_table(similar: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`similar_pcns` as a readable table (value, CI, the three measures)."""
    return pd.DataFrame(
        {
            "PCN": similar["area_name"].to_numpy(),
            "Value": [_pct(v) for v in similar["value"]],
            "95% CI": [
                f"{_pct(lo)} to {_pct(hi)}" if pd.notna(lo) else ""
                for lo, hi in zip(similar["lower_ci95"], similar["upper_ci95"], strict=True)
            ],
            "List size": [f"{v:,.0f}" for v in similar["list_size"]],
            "% aged 65+": [f"{v:.1f}" for v in similar["pct_65_plus"]],
            "IMD score": [f"{v:.1f}" for v in similar["imd_score"]],
            "ICB": similar["icb_name"].to_numpy(),
            "Compared with England": similar["comparison"].str.capitalize().to_numpy(),
        }
    )


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
                f"{r:,.0f} of {o:,.0f}" if pd.notna(r) else "not ranked"
                for r, o in zip(df["rank"], df["of"], strict=True)
            ],
            "Decile (10 = highest tenth)": [
                f"{d:.0f}" if pd.notna(d) else "" for d in df["decile"]
            ],
            "Compared with England": df["comparison"].str.capitalize().to_numpy(),
        }
    )


def funnel_figure(
    pcns: pd.DataFrame, highlight: Mapping[str, str], title: str, height: int = 520
) -> go.Figure:
    """All PCNs against their list size, with 95% and 99.8% limits around England's value.

    Args:
        pcns: Rows of ``national_pcn_values`` for one register.
        highlight: Code -> name of the PCNs to mark and label (ours).
        title: Chart title.
        height: Figure height in pixels.

    Returns:
        A plotly figure: grey circles for every PCN, ours each in its own colour and shape
        (named in the legend), England's value as a line, control limits as dashed (95%) and
        dotted (99.8%) lines.
    """
    df = pcns[pcns["value"].notna() & (pcns["denominator"] > 0)]
    fig = go.Figure()
    if df.empty:
        return fig
    england = float(df["england_value"].iloc[0])
    grid = np.geomspace(max(df["denominator"].min() * 0.9, 100), df["denominator"].max() * 1.1, 200)
    for conf, dash, name in ((0.95, "dash", "95% limits"), (0.998, "dot", "99.8% limits")):
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
    for i, (pcn, sub) in enumerate(ours.groupby("_name", sort=True)):
        fig.add_trace(
            go.Scatter(
                x=sub["denominator"],
                y=sub["value"],
                mode="markers",
                marker={
                    "color": PCN_COLOURS[i % len(PCN_COLOURS)],
                    "size": 12,
                    "symbol": OUR_SYMBOLS[i % len(OUR_SYMBOLS)],
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
        legend={"orientation": "h", "y": -0.32, "yanchor": "top"},
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
