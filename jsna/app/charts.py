"""Plotly figure builders: pure functions from DataFrames (and GeoJSON) to `go.Figure`.

Colours follow Fingertips (legacy `shared.ts`), with a colour-blind-safe alternative built on
the Okabe-Ito palette. Maps need no tile server: they draw GeoJSON on a blank geo layer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna.app.narrative import format_value
from jsna.core import vocabulary
from jsna.core.stats import Comparison

SUPPRESSED = "suppressed"
FINGERTIPS = {
    Comparison.BETTER: "#92d050",
    Comparison.SIMILAR: "#ffc000",
    Comparison.WORSE: "#c00000",
    Comparison.BEST: "#00b092",
    Comparison.WORST: "#821733",
    Comparison.LOWER: "#5555E6",
    Comparison.HIGHER: "#bfe3f2",
    Comparison.LOWEST: "#252563",
    # Fingertips' pale turquoise made "higher (99.8%)" lighter than "higher (95%)", and a
    # mid blue made it hard to tell from "lower (95%)": "higher" is a sky blue here, its
    # stricter level the darker shade, "lower" a violet blue (issue 19).
    Comparison.HIGHEST: "#2b8cbe",
    Comparison.NOT_COMPARED: "#c9c9c9",
    SUPPRESSED: "#f2f2f2",
}
COLOUR_BLIND = {
    Comparison.BETTER: "#0072B2",
    Comparison.SIMILAR: "#F0E442",
    Comparison.WORSE: "#E69F00",
    Comparison.BEST: "#003F6B",
    Comparison.WORST: "#D55E00",
    Comparison.LOWER: "#56B4E9",
    Comparison.HIGHER: "#CC79A7",
    Comparison.LOWEST: "#1F5F85",
    Comparison.HIGHEST: "#8E4F77",
    Comparison.NOT_COMPARED: "#BBBBBB",
    SUPPRESSED: "#f2f2f2",
}
SCHEMES = {"fingertips": FINGERTIPS, "colour_blind": COLOUR_BLIND}
LABELS = {
    Comparison.BETTER: "Better (95%)",
    Comparison.BEST: "Better (99.8%)",
    Comparison.SIMILAR: "Similar",
    Comparison.WORSE: "Worse (95%)",
    Comparison.WORST: "Worse (99.8%)",
    Comparison.LOWER: "Lower (95%)",
    Comparison.LOWEST: "Lower (99.8%)",
    Comparison.HIGHER: "Higher (95%)",
    Comparison.HIGHEST: "Higher (99.8%)",
    Comparison.NOT_COMPARED: "Not compared",
    SUPPRESSED: "Suppressed (small number)",
}
# Marker shapes, so a comparison is never shown by colour alone (with the word in the legend).
MARKERS = {
    Comparison.BEST: "triangle-up",
    Comparison.BETTER: "triangle-up-open",
    Comparison.SIMILAR: "circle",
    Comparison.WORSE: "triangle-down-open",
    Comparison.WORST: "triangle-down",
    Comparison.LOWEST: "square",
    Comparison.LOWER: "square-open",
    Comparison.HIGHER: "diamond-open",
    Comparison.HIGHEST: "diamond",
    Comparison.NOT_COMPARED: "x-thin-open",
    SUPPRESSED: "asterisk-open",
}
# Bar fill patterns for the same purpose (none for "similar").
PATTERNS = {
    Comparison.BEST: "/",
    Comparison.BETTER: "/",
    Comparison.SIMILAR: "",
    Comparison.WORSE: "x",
    Comparison.WORST: "x",
    Comparison.LOWEST: "-",
    Comparison.LOWER: "-",
    Comparison.HIGHER: "|",
    Comparison.HIGHEST: "|",
    Comparison.NOT_COMPARED: ".",
    SUPPRESSED: ".",
}
LEGEND_ORDER = [
    Comparison.BEST,
    Comparison.BETTER,
    Comparison.SIMILAR,
    Comparison.WORSE,
    Comparison.WORST,
    Comparison.LOWEST,
    Comparison.LOWER,
    Comparison.HIGHER,
    Comparison.HIGHEST,
    Comparison.NOT_COMPARED,
    SUPPRESSED,
]
# Dark text (GOV.UK #0b0c0c) so axis and legend labels keep 4.5:1 contrast under any theme.
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#0b0c0c"}


def category(row: Mapping[Any, Any]) -> str:
    """Colour category of a row: its comparison, or 'suppressed'."""
    note = row.get("note")
    if isinstance(note, str) and note.startswith("Suppressed"):
        return SUPPRESSED
    comp = row.get("comparison")
    return str(comp) if comp else Comparison.NOT_COMPARED.value


def comparison_words(cat: str, benchmark: str | None = None) -> str:
    """Fingertips' words for a comparison, naming the benchmark when it is known.

    'Better than England (95%)', 'Worse than the council (99.8%)', 'Similar to England',
    'Not compared' (its reason goes in the hover text);
    with no benchmark, the short legend label ('Better (95%)').
    """
    if cat == SUPPRESSED:
        return LABELS[SUPPRESSED]
    key = Comparison(cat)
    if not benchmark or key is Comparison.NOT_COMPARED:
        return LABELS[key]
    return vocabulary.comparison_words(key, benchmark)


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    f = float(x)
    return None if math.isnan(f) else f


def hover_text(row: Mapping[Any, Any]) -> str:
    """Value, CI and comparison for a hover label."""
    vt, unit = row.get("value_type", "score"), row.get("unit", "")
    parts = [f"<b>{row.get('area_name', '')}</b>", format_value(row.get("value"), vt, unit)]
    lo, hi = _num(row.get("lower_ci95")), _num(row.get("upper_ci95"))
    if lo is not None and hi is not None:
        parts.append(f"95% CI {format_value(lo, vt, unit)} to {format_value(hi, vt, unit)}")
    cat = category(row)
    bench = row.get("benchmark") or "England"
    if cat == SUPPRESSED:
        parts.append("Suppressed (small number)")
    elif cat == Comparison.NOT_COMPARED:
        parts.append(f"Not compared: {row.get('comparison_reason') or 'no benchmark'}")
    else:
        parts.append(comparison_words(cat, bench))
    if row.get("is_estimate"):
        parts.append("Estimate (population-weighted)")
    return "<br>".join(parts)


def layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        # The title hangs from the top, so a title of several lines grows down into the
        # margin each chart sizes for it, never over the plot.
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 10},
            "font": {"size": 15},
        },
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


# --------------------------------------------------------------------------- spine chart
def spine_positions(row: Mapping[Any, Any], spread: Mapping[Any, Any]) -> dict[str, float] | None:
    """Scale one indicator to 0..1 with the benchmark at 0.5 and 'better' to the right.

    Half-width = max(benchmark - min, max - benchmark) over areas of the type (fingertipscharts
    `spine_rescaler`); for 'low is good' the axis is flipped.
    """
    bench = _num(row.get("benchmark_value"))
    if bench is None:
        bench = _num(row.get("england_value"))
    value = _num(row.get("value"))
    lo, hi = _num(spread.get("min_value")), _num(spread.get("max_value"))
    if bench is None or lo is None or hi is None:
        return None
    vals = [lo, hi] + ([value] if value is not None else [])
    half = max(bench - min(vals), max(vals) - bench)
    if half <= 0:
        half = abs(bench) * 0.1 or 1.0
    flip = row.get("polarity") == "low_is_good"

    def scale(x: float | None) -> float:
        if x is None:
            return float("nan")
        s = 0.5 + (x - bench) / (2 * half)
        return 1 - s if flip else s

    return {
        "value": scale(value),
        "min": scale(lo),
        "q25": scale(_num(spread.get("q25"))),
        "q75": scale(_num(spread.get("q75"))),
        "max": scale(hi),
    }


def spine_chart(
    profile: pd.DataFrame,
    spread: pd.DataFrame,
    scheme: str = "fingertips",
    area_type_label: str = "areas",
) -> go.Figure:
    """Fingertips-style spine chart: one row per indicator, benchmark in the centre.

    Args:
        profile: rows of `area_profile` (one area).
        spread: rows of `indicator_spread` for the same area type.
        scheme: 'fingertips' or 'colour_blind'.
        area_type_label: what the grey bars span, for the legend ("neighbourhoods").
    """
    colours = SCHEMES[scheme]
    spread_by = {(r["indicator_id"], r["sex"]): r for r in spread.to_dict("records")}
    rows = []
    for r in profile.to_dict("records"):
        sp = spread_by.get((r["indicator_id"], r["sex"]))
        pos = spine_positions(r, sp) if sp else None
        if pos is None:
            continue
        label = r["indicator_name"] + ("" if r["sex"] == "Persons" else f" ({r['sex']})")
        # Wrapped, so the names leave the chart room on a phone.
        rows.append((wrap(label, 26), pos, r))
    fig = go.Figure()
    if not rows:
        return layout(fig, "No indicators can be drawn on a spine chart for this area", 200)
    labels = [lab for lab, _, _ in rows]
    # After scaling, "better" is always to the right, so the band nearest the left edge is
    # the worst quarter whatever the polarity (for no-judgement rows: the lowest quarter).
    edges = [sorted((p["min"], p["q25"], p["q75"], p["max"])) for _, p, _ in rows]
    bands = [
        (0, 1, "#8c8c8c", "Quarter at the worse (or lower) end"),
        (1, 2, "#bdbdbd", "Middle half"),
        (2, 3, "#e0e0e0", "Quarter at the better (or higher) end"),
    ]
    for start, end, colour, name in bands:
        lefts = [e[start] for e in edges]
        widths = [e[end] - e[start] for e in edges]
        fig.add_bar(
            y=labels,
            x=widths,
            base=lefts,
            orientation="h",
            marker_color=colour,
            name=wrap(f"{name} of {area_type_label}", 36),
            hoverinfo="skip",
            width=0.6,
        )
    cats = [category(r) for _, _, r in rows]
    names = [r.get("benchmark") for _, _, r in rows if r.get("benchmark")]
    spine_benchmark = max(set(names), key=names.count) if len(set(names)) == 1 else None
    for cat in LEGEND_ORDER:
        idx = [i for i, c in enumerate(cats) if c == cat]
        if not idx:
            continue
        fig.add_scatter(
            y=[labels[i] for i in idx],
            x=[rows[i][1]["value"] for i in idx],
            mode="markers",
            marker={
                "size": 13,
                "color": colours[cat],
                "line": {"width": 1, "color": "#333"},
                "symbol": MARKERS[cat].removesuffix("-open"),
            },
            name=comparison_words(cat, spine_benchmark),
            text=[hover_text(rows[i][2]) for i in idx],
            hovertemplate="%{text}<extra></extra>",
            cliponaxis=False,
        )
    fig.add_vline(x=0.5, line_color="#c00000", line_width=2)
    fig.update_xaxes(
        range=[-0.05, 1.05],  # room for a marker's half at either end
        showticklabels=False,
        showgrid=False,
        zeroline=False,
    )
    # A fixed range, first row on top: autorange would pad for the markers' size, leaving
    # two empty rows at each end.
    fig.update_yaxes(range=[len(labels) - 0.5, -0.5], automargin=True, tickfont={"size": 12})
    fig.update_xaxes(side="top")
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "y": -0.01, "yanchor": "top"})
    title = "Spine chart" + subtitle(
        f"this area (marker) against the spread of {area_type_label}. The benchmark is the "
        "red line, with worse to the left and better to the right (no judgement: lower to "
        "the left, higher to the right)."
    )
    # Rows share the plot's height evenly: each is as tall as the longest wrapped name.
    lines = max(1 + lab.count("<br>") for lab in labels)
    layout(fig, title, 200 + len(labels) * (16 + 15 * lines))
    fig.update_layout(margin={"t": 30 + 20 * title.count("<br>"), "b": 130})
    return fig


# --------------------------------------------------------------------------- compare areas
def wrap(text: str, width: int = 24) -> str:
    """Break a long name onto lines of about `width` characters with '<br>'."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def subtitle(text: str, width: int = 52) -> str:
    """A chart title's second part: '<br>'-led lines of 13 px text that fit a phone.

    Plotly's `<sup>` shrinks text to about 10 px; this stays readable, and wraps at `width`
    characters so it is never cut at 390 px.
    """
    return "".join(
        f"<br><span style='font-size:13px'>{line}</span>"
        for line in wrap(text, width).split("<br>")
    )


def compare_bars(
    values: pd.DataFrame,
    title: str,
    scheme: str = "fingertips",
    england_value: float | None = None,
    la_value: float | None = None,
    benchmark: tuple[str, float | None] | None = None,
    la_name: str = "Local authority",
) -> go.Figure:
    """Horizontal bars with 95% CI error bars, coloured by comparison, sorted by value.

    The largest value is at the top (areas without a value last). The benchmark is drawn as
    a solid red line and England and the local authority as black lines, each named in the
    legend rather
    than by labels on the plot, so labels never collide. Long area names wrap onto two lines,
    and a name shared by two areas gets its code, so no two bars share a label.

    Args:
        values: `indicator_values` rows.
        title: figure title.
        scheme: 'fingertips' or 'colour_blind'.
        england_value: England's value, drawn as a reference line.
        la_value: The local authority's value, drawn as a reference line.
        benchmark: (name, value) of the benchmark the colours compare with.
        la_name: The local authority's name (its line's legend entry).
    """
    colours = SCHEMES[scheme]
    df = values.copy()
    df["_cat"] = [category(r) for r in df.to_dict("records")]
    name = df["area_name"] + np.where(df["sex"] == "Persons", "", " (" + df["sex"] + ")")
    name = name.where(~name.duplicated(keep=False), name + " " + df["area_code"])
    df["_label"] = [wrap(n) for n in name]
    df = df.sort_values("value", ascending=False, na_position="last", kind="stable")
    bench_name = benchmark[0] if benchmark is not None else None
    fig = go.Figure()
    for cat in LEGEND_ORDER:
        sub = df[df["_cat"] == cat]
        if sub.empty:
            continue
        err_plus = (sub["upper_ci95"] - sub["value"]).to_numpy(dtype=float)
        err_minus = (sub["value"] - sub["lower_ci95"]).to_numpy(dtype=float)
        fig.add_bar(
            y=sub["_label"],
            x=sub["value"].fillna(0),
            orientation="h",
            marker_color=colours[cat],
            # A dark outline gives every bar 3:1 contrast with the white page; the pattern
            # repeats the comparison for readers who cannot tell the colours apart.
            marker_line={"width": 1, "color": "#333"},
            marker_pattern={
                "shape": PATTERNS[cat],
                "fillmode": "overlay",
                "fgcolor": "#333",
                "size": 7,
                "solidity": 0.15,
            },
            name=comparison_words(cat, bench_name),
            # A `_hover` column (e.g. smoothed values' labels) replaces the usual label.
            hovertext=list(sub["_hover"])
            if "_hover" in sub
            else [hover_text(r) for r in sub.to_dict("records")],
            hovertemplate="%{hovertext}<extra></extra>",
            error_x={
                "type": "data",
                "array": np.nan_to_num(err_plus),
                "arrayminus": np.nan_to_num(err_minus),
                "color": "#333",
                "thickness": 1.2,
                "visible": bool(np.isfinite(err_plus).any()),
            },
        )
    order = list(df["_label"])
    lines = []
    if benchmark is not None and _num(benchmark[1]) is not None:
        lines.append((f"Benchmark: {benchmark[0]}", _num(benchmark[1]), "solid", "#d4351c", 3))
    for ref, ref_name, dash in (
        (england_value, "England", "dash"),
        (la_value, la_name, "dot"),
    ):
        val = _num(ref)
        if val is not None and not (benchmark and benchmark[0] == ref_name):
            lines.append((ref_name, val, dash, "#0b0c0c", 2))
    for label, val, dash, colour, width in lines:
        line = {"dash": dash, "color": colour, "width": width}
        fig.add_vline(x=val, line=line)
        # The line's name goes in the legend (a legend-only trace), never on the plot.
        fig.add_scatter(x=[None], y=[None], mode="lines", name=f"{label} {val:,.1f}", line=line)
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True)
    # The values' axis sits on top, under the title, and the legend below the plot: the
    # legend can never cover the axis labels, at any width (issue 19).
    fig.update_xaxes(side="top", automargin=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.01, "yanchor": "top"}, barmode="overlay")
    fig = layout(fig, title, 220 + 34 * len(df))
    fig.update_layout(margin={"t": 64 + 20 * title.count("<br>"), "b": 10})
    return fig


def trend_chart(trend: pd.DataFrame, title: str, value_type: str, unit: str) -> go.Figure:
    """The council and England over time."""
    fig = go.Figure()
    for (name, sex), sub in trend.groupby(["area_name", "sex"], sort=False):
        label = name if sex == "Persons" else f"{name} ({sex})"
        fig.add_scatter(
            x=sub["period"],
            y=sub["value"],
            mode="lines+markers",
            name=label,
            line={"dash": "dot" if name == "England" else "solid"},
            hovertemplate=f"{label} %{{x}}: %{{y:,.1f}}<extra></extra>",
        )
    fig.update_yaxes(title=unit)
    return layout(fig, title, 360)
