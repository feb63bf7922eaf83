"""PCNs like ours: the English PCNs most like one, and our PCN against them on each register.

Similar by list size, age and deprivation; each register compared with a predictive interval
(Dropkin 2018).

Pure pandas and plotly (no Streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import FONT
from jsna.app.judgements import among_words, england_words, ordinal
from jsna.core.stats.peers import CREDIBLE, compare_with_peers, gain_to_upper_half

SIMILAR_FEATURES: Final[tuple[str, ...]] = ("list_size", "pct_65_plus", "imd_score")


SIMILAR_COUNT: Final[int] = 10


SIMILAR_METHOD: Final[str] = (
    f"PCNs like ours: the {SIMILAR_COUNT} English PCNs nearest to the chosen PCN by "
    "straight-line (Euclidean) distance over three standardised measures, each given equal "
    "weight: registered list size (log "
    "scale, the QOF year's lists), % of patients aged 65 and over and the practice IMD "
    "score (both list-weighted over the PCN's practices, from the HEEC practice file; its "
    "period is in the data release). Each measure is turned into a z-score (mean 0, "
    "standard deviation 1) across all "
    "PCNs that have all three, and the chosen PCN itself is not listed. PCNs "
    "whose practices cover under half their list in the HEEC file are left out, since "
    "their age and deprivation would rest on too few practices."
)


MIN_COVERAGE: Final[float] = 0.5


PEER_CSV_NAMES: Final[dict[str, str]] = {
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator",
    "value": "Our value (%)",
    "denominator": "Our list (register's age group)",
    "peer_mean": "Peers' average (%)",
    "peer_median": "Peers' median (%)",
    "lower": "Expected range for a PCN like these, lower (95% predictive, %)",
    "upper": "Expected range for a PCN like these, upper (95% predictive, %)",
    "verdict": "Against PCNs like ours",
    "p_below": "Probability we are below the peers' average",
    "position": "Our place among us and our peers (1 = highest)",
    "peers": "Peers with a value",
    "gain": "Extra patients if we matched the higher half of our peers",
    "gain_lower": "Extra patients, lower 95% limit",
    "gain_upper": "Extra patients, upper 95% limit",
}


def peer_csv(comparison: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`peer_comparison` with plain column names and words, for the download."""
    words = [PEER_WORDS[int(v)] if pd.notna(v) else "Not compared" for v in comparison["verdict"]]
    out = comparison.assign(verdict=words)
    return out.rename(columns=PEER_CSV_NAMES)


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
            "Compared with England": [england_words(c) for c in similar["comparison"]],
            "Among PCNs": [among_words(a, "pcn") for a in similar["among_peers"]],
        }
    )


def ours_and_similar_table(pcns: pd.DataFrame, similar: pd.DataFrame, code: str) -> pd.DataFrame:
    """:func:`similar_table` with the chosen PCN's own row first, marked "Chosen PCN"."""
    ourselves = pcns[pcns["area_code"] == code].assign(distance=0.0)
    ourselves = ourselves.assign(area_name=ourselves["area_name"] + " (chosen)")
    return similar_table(pd.concat([ourselves, similar], ignore_index=True))


# --------------------------------------------------------------------------- PCNs like ours
PEER_METHOD: Final[str] = (
    "Each register compares the chosen PCN with its 10 most similar PCNs. The shaded band is "
    "the 95% predictive interval: where a PCN like these would be expected to fall, allowing "
    "for the real spread between the peers as well as chance (Dropkin, J Public Health 2018; "
    "comparing with the peers' average using chance alone wrongly flags about one PCN in "
    'eight). "If we matched the higher half" is shown only where our value is credibly '
    "below the peers' (more than 95% probability): the extra patients who would be on the "
    "register if ours matched the average of the peers above their median, with a 95% "
    "interval. Recorded prevalence has no better or worse direction: a higher register "
    "can mean more illness or more found and recorded."
)


PEER_WORDS: Final[dict[int, str]] = {
    1: "Higher than PCNs like ours",
    0: "Within the range expected of PCNs like ours",
    -1: "Lower than PCNs like ours",
}


def _se_pct(value: pd.Series, denominator: pd.Series) -> npt.NDArray[np.float64]:
    p = value.to_numpy(dtype=float) / 100
    return np.asarray(100 * np.sqrt(p * (1 - p) / denominator.to_numpy(dtype=float)))


def peer_comparison(values: pd.DataFrame, code: str, peers: Sequence[str]) -> pd.DataFrame:
    """Our PCN against its peers for every register in ``values``.

    Args:
        values: Rows of ``national_peer_values`` (our PCN and its peers, every register).
        code: Our PCN's code.
        peers: The peers' codes.

    Returns:
        One row per register (in profile order): indicator_id, indicator_name, value,
        denominator, peer_mean, peer_median, lower, upper (the 95% predictive interval, in
        %), verdict (−1, 0, 1), p_below, position (1 = highest of us and the peers), peers
        (how many had a value), gain, gain_lower, gain_upper (people; NaN unless credible).
    """
    rows = []
    df = values.assign(se=_se_pct(values["value"], values["denominator"]))
    for ind, sub in df.groupby("indicator_id", sort=False):
        ours = sub[sub["area_code"] == code]
        theirs = sub[sub["area_code"].isin(list(peers))]
        if ours.empty:
            continue
        o = ours.iloc[0]
        c = compare_with_peers(float(o["value"]), float(o["se"]), theirs["value"], theirs["se"])
        gain = (np.nan, np.nan, np.nan)
        if c.k >= 3 and c.p_below > CREDIBLE:
            g = gain_to_upper_half(
                float(o["value"]) / 100,
                float(o["se"]) / 100,
                float(o["denominator"]),
                theirs["value"].to_numpy(dtype=float) / 100,
            )
            gain = (g.people, max(g.lower, 0.0), g.upper)
        rows.append(
            {
                "indicator_id": ind,
                "indicator_name": o["indicator_name"],
                "value": o["value"],
                "denominator": o["denominator"],
                "peer_mean": c.peer_mean,
                "peer_median": c.peer_median,
                "lower": c.lower,
                "upper": c.upper,
                "verdict": c.verdict if c.k >= 3 and pd.notna(o["value"]) else np.nan,
                "p_below": c.p_below,
                "position": c.position if pd.notna(o["value"]) else np.nan,
                "peers": c.k,
                "gain": gain[0],
                "gain_lower": gain[1],
                "gain_upper": gain[2],
            }
        )
    return pd.DataFrame(rows)


def peer_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`peer_comparison` as a readable table."""
    c = comparison
    return pd.DataFrame(
        {
            "Register": c["indicator_name"].to_numpy(),
            "Ours": [_pct(v) for v in c["value"]],
            "Peers' average": [_pct(v) for v in c["peer_mean"]],
            "Expected range for a PCN like these (95%)": [
                f"{_pct(lo)} to {_pct(hi)}" if pd.notna(lo) else "too few peers"
                for lo, hi in zip(c["lower"], c["upper"], strict=True)
            ],
            "Peers' median": [_pct(v) for v in c["peer_median"]],
            "Our place (1 = highest)": [
                f"{ordinal(p)} of {k + 1}" if pd.notna(p) else ""
                for p, k in zip(c["position"], c["peers"], strict=True)
            ],
            "Against PCNs like ours": [
                PEER_WORDS[int(v)] if pd.notna(v) else "Not compared" for v in c["verdict"]
            ],
            "If we matched the higher half of our peers": [
                f"{g:,.0f} more patients on the register (95% interval {lo:,.0f} to {hi:,.0f})"
                if pd.notna(g)
                else ""
                for g, lo, hi in zip(c["gain"], c["gain_lower"], c["gain_upper"], strict=True)
            ],
        }
    )


def peer_figure(values: pd.DataFrame, comparison: pd.Series, code: str, title: str) -> go.Figure:
    """Our PCN and its peers for one register, with the peers' predictive interval shaded.

    Args:
        values: Rows of ``national_peer_values`` for one register (ours and the peers).
        comparison: That register's row of :func:`peer_comparison`.
        code: Our PCN's code.
        title: Chart title.

    Returns:
        A horizontal dot plot (highest at the top) with 95% intervals as bars, the peers'
        average as a line and the 95% predictive interval as a shaded band.
    """
    df = values[values["value"].notna()].sort_values("value")
    # Short labels, so the plot keeps its width on a phone; the full name is on hover.
    df = df.assign(label=[n if len(n) <= 26 else n[:25] + "…" for n in df["area_name"].astype(str)])
    ours = df["area_code"] == code
    fig = go.Figure()
    if pd.notna(comparison["lower"]):
        fig.add_vrect(
            x0=comparison["lower"],
            x1=comparison["upper"],
            fillcolor="#d2e2f1",
            line_width=0,
            layer="below",
        )
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 12, "color": "#d2e2f1"},
            name="Expected range for a PCN like these (95%)",
        )
    for mask, name, colour, size in (
        (~ours, "PCNs like ours", "#505a5f", 8),
        (ours, "Chosen PCN", "#d4351c", 12),
    ):
        sub = df[mask]
        fig.add_scatter(
            x=sub["value"],
            y=sub["label"],
            text=sub["area_name"],
            mode="markers",
            marker={"color": colour, "size": size, "symbol": "diamond" if size > 8 else "circle"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (sub["upper_ci95"] - sub["value"]).to_numpy(),
                "arrayminus": (sub["value"] - sub["lower_ci95"]).to_numpy(),
                "color": colour,
                "thickness": 1,
                "width": 0,
            },
            name=name,
            hovertemplate="%{text}<br>%{x:.2f}%<extra></extra>",
        )
    if pd.notna(comparison["peer_mean"]):
        line = {"color": "#0b0c0c", "width": 1.5, "dash": "dash"}
        fig.add_vline(x=float(comparison["peer_mean"]), line=line)
        fig.add_scatter(x=[None], y=[None], mode="lines", line=line, name="Peers' average")
    # The axis covers the shaded band as well as the points.
    ends = [*df["lower_ci95"], *df["upper_ci95"], comparison["lower"], comparison["upper"]]
    ends = [float(e) for e in ends if pd.notna(e)]
    pad = (max(ends) - min(ends)) * 0.04 if ends else 0.0
    xrange = [min(ends) - pad, max(ends) + pad] if ends else None
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=170 + 28 * len(df),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
        xaxis={"title": "Recorded prevalence (%)", "gridcolor": "#e5e5e5", "range": xrange},
        # Category axis set outright: the legend-only traces carry no names to infer it from.
        yaxis={
            "automargin": True,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": df["label"].tolist(),
        },
    )
    return fig
