"""Where to act, shown: the ranked gaps as a display table and a bar chart with intervals.

Pure pandas and plotly (no Streamlit); the ranking itself is `jsna.app.insight.triage`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import LABELS, SCHEMES, layout, subtitle, wrap
from jsna.app.insight.common import round_people, rounding_digits, sex_suffix
from jsna.app.insight.triage import excess_sentence
from jsna.app.narrative import format_value
from jsna.core.stats import Comparison


def triage_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Display table of :attr:`Triage.ranked`: plain column names, formatted numbers."""
    if ranked.empty:
        return pd.DataFrame()
    rows = []
    for r in ranked.to_dict("records"):
        vt, unit = str(r["value_type"]), str(r["unit"])
        d = rounding_digits(float(r["gap"]))
        bench = str(r["benchmark"])
        rows.append(
            {
                "Rank": int(r["rank"]),
                "Indicator": str(r["indicator_name"]) + sex_suffix(r.get("sex")),
                "Value": format_value(r["value"], vt, unit),
                bench: format_value(r["benchmark_value"], vt, unit),
                "Count": f"{float(r['count']):,.0f} / {float(r['denominator']):,.0f}",
                "Expected": f"{float(r['expected']):,.0f}",
                "Gap": f"{round_people(float(r['gap']), d):,} {r['direction']}",
                "95% interval": f"{round_people(float(r['gap_lower']), d):,} to "
                f"{round_people(float(r['gap_upper']), d):,}",
                "Comparison": LABELS[Comparison(str(r["comparison"]))],
            }
        )
    return pd.DataFrame(rows)


def unsized_table(unsized: pd.DataFrame) -> pd.DataFrame:
    """Display table of :attr:`Triage.unsized`."""
    if unsized.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Indicator": [
                str(n) + sex_suffix(s)
                for n, s in zip(unsized["indicator_name"], unsized["sex"], strict=True)
            ],
            "Value": [
                format_value(v, t, u)
                for v, t, u in zip(
                    unsized["value"], unsized["value_type"], unsized["unit"], strict=True
                )
            ],
            "Comparison": [LABELS[Comparison(str(c))] for c in unsized["comparison"]],
            "Why it cannot be sized": unsized["reason"].astype(str).to_numpy(),
        }
    )


def excess_chart(
    ranked: pd.DataFrame, title: str, scheme: str = "fingertips", confidence: float = 0.95
) -> go.Figure:
    """Horizontal bars of the gap (people or events) with its interval as error bars.

    Args:
        ranked: :attr:`Triage.ranked` rows (one area).
        title: Chart title.
        scheme: "fingertips" or "colour_blind".
        confidence: The interval's confidence level (for the axis title).

    Returns:
        A figure with one bar trace per comparison label (worse, worst).
    """
    colours = SCHEMES[scheme]
    fig = go.Figure()
    df = ranked.copy()
    # Names wrapped, so the bars keep their room on a phone.
    df["_label"] = [
        wrap(str(n) + sex_suffix(s), 30)
        for n, s in zip(df["indicator_name"], df["sex"], strict=True)
    ]
    for comp in (Comparison.WORST, Comparison.WORSE):
        sub = df[df["comparison"] == comp.value]
        if sub.empty:
            continue
        fig.add_bar(
            y=sub["_label"],
            x=sub["gap"],
            orientation="h",
            name=LABELS[comp],
            marker_color=colours[comp],
            # 99.8% is hatched as well as darker, so the level never rests on colour alone.
            marker_pattern_shape="/" if comp == Comparison.WORST else "",
            marker_pattern_fgcolor="#ffffff",
            marker_pattern_fillmode="overlay",
            marker_line={"width": 0.5, "color": "#555"},
            error_x={
                "type": "data",
                "array": (sub["gap_upper"] - sub["gap"]).to_numpy(dtype=float),
                "arrayminus": (sub["gap"] - sub["gap_lower"]).to_numpy(dtype=float),
                "color": "#333",
                "thickness": 1.2,
                "visible": True,
            },
            hovertext=[excess_sentence(r, confidence) for r in sub.to_dict("records")],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["_label"])[::-1], automargin=True)
    bench = str(df["benchmark"].iloc[0]) if not df.empty else "England"
    note = f"people (or events) beyond {bench}'s rate; bars show the {confidence * 100:g}% interval"
    fig.update_xaxes(rangemode="tozero", zeroline=True, gridcolor="#eee")
    text = wrap(title, 52) + subtitle(note)
    lines = max(1 + lab.count("<br>") for lab in df["_label"]) if len(df) else 1
    top = 30 + 20 * text.count("<br>") + 28  # the title's lines, then the legend's
    layout(fig, text, top + 120 + (22 + 14 * lines) * max(len(df), 1))
    return fig.update_layout(
        showlegend=True,
        margin={"t": top},
        barmode="overlay",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1, "x": 0},
    )
