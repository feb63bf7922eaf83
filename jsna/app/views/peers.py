"""Our PCN among the PCNs most like it, every QOF register at once, for a first screen.

Pure builders (no Streamlit) over the rows of `pcn_peers.peer_comparison`: a short table (our
value, the peers' median and our place, registers furthest from the median first) and a small
chart of how far ours is from the peers' median on each register.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import FONT
from jsna.app.judgements import ordinal

SUFFIX = ": recorded prevalence"
HIGHER, LOWER = "#1d70b8", "#912b88"  # blue and purple: 3:1 or more on white


def short_register(name: str) -> str:
    """'Diabetes (17+): recorded prevalence' -> 'Diabetes (17+)'."""
    return name.removesuffix(SUFFIX)


def peer_rows(comparison: pd.DataFrame) -> pd.DataFrame:
    """Registers where ours and the peers' median are both known, furthest from it first.

    Returns:
        register, value, peer_median, difference (ours against the median, % of the median),
        position (1 = highest of us and the peers) and of (how many, us included).
    """
    c = comparison[comparison["value"].notna() & comparison["peer_median"].notna()]
    c = c[c["peer_median"] > 0]
    out = pd.DataFrame(
        {
            "register": [short_register(str(n)) for n in c["indicator_name"]],
            "value": c["value"].astype(float).to_numpy(),
            "peer_median": c["peer_median"].astype(float).to_numpy(),
            "position": c["position"].to_numpy(),
            "of": (c["peers"] + 1).to_numpy(),
        }
    )
    out["difference"] = 100 * (out["value"] / out["peer_median"] - 1)
    order = out["difference"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def peer_answer_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`peer_rows` as the reader sees them: percentages to 2 places, place in words."""
    return pd.DataFrame(
        {
            "Register": rows["register"].to_numpy(),
            "Ours": [f"{v:.2f}%" for v in rows["value"]],
            "Peers' median": [f"{v:.2f}%" for v in rows["peer_median"]],
            "Our place (1 = highest)": [
                f"{ordinal(p)} of {n}" for p, n in zip(rows["position"], rows["of"], strict=True)
            ],
        }
    )


def peer_gap_figure(rows: pd.DataFrame, title: str) -> go.Figure:
    """A small bar chart: ours against the peers' median on each register (% of the median).

    Registers in the table's order (furthest first, at the top); bars to the right are
    registers where ours is higher than the peers' median, to the left lower.
    """
    df = rows.iloc[::-1]
    colours = [HIGHER if d >= 0 else LOWER for d in df["difference"]]
    fig = go.Figure(
        go.Bar(
            x=df["difference"],
            y=df["register"],
            orientation="h",
            marker={"color": colours},
            hovertemplate="%{y}: %{x:+.0f}% against the peers' median<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=0, line={"color": "#0b0c0c", "width": 1})
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 14}},
        height=90 + 17 * len(df),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        bargap=0.25,
        xaxis={
            "title": {"text": "Against the median", "font": {"size": 12}},
            "gridcolor": "#e5e5e5",
            "ticksuffix": "%",
            "zeroline": False,
        },
        yaxis={"automargin": True, "type": "category", "tickfont": {"size": 11}},
    )
    return fig
