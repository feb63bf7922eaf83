"""Funnel plots of wards or practices against their denominators.

95% and 99.8% control limits (PHEindicatormethods ``calculate_funnel_limits``; Spiegelhalter
2005) around the council's or England's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna.app.charts import FONT, SCHEMES
from jsna.app.insight.common import multiplier
from jsna.app.narrative import format_value
from jsna.core import stats
from jsna.core.stats import Comparison, Polarity

Centre = Literal["la", "england"]
FUNNEL_CENTRES: Final[tuple[Centre, Centre]] = ("la", "england")


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's data: the points, the control limits and what they are centred on.

    Attributes:
        points: One row per area with a count: ``area_code, area_name, value, count,
            denominator, label`` (a :func:`jsna.core.stats.funnel_significance` label).
        limits: ``denominator, lower95, upper95, lower998, upper998`` on a grid of
            denominators spanning the points, in the indicator's unit.
        centre: The centre value (the council's or England's), in the indicator's unit.
        centre_name: the council's name or "England".
        statistic: "proportion" or "rate".
        multiplier: 100 for a percentage, 1,000 or 100,000 for a rate.
        polarity: The indicator's polarity (for colours).
        value_type: The indicator's value type.
        unit: The indicator's unit.
        indicator_name: The indicator's name.
        left_out: Areas with no count (suppressed) that are not plotted.
    """

    points: pd.DataFrame
    limits: pd.DataFrame
    centre: float
    centre_name: str
    statistic: Literal["proportion", "rate"]
    multiplier: float
    polarity: str
    value_type: str
    unit: str
    indicator_name: str
    left_out: int


def funnel_problem(
    values: pd.DataFrame, centre: Centre = "la", la_name: str = "The local authority"
) -> str | None:
    """Why these values cannot make a funnel plot, or None if they can.

    Args:
        values: Rows of ``funnel_values`` (one indicator, one area type).
        centre: "la" or "england".
        la_name: The local authority's name, as the sentence names it.

    Returns:
        A sentence a reader can act on, or None.
    """
    if values.empty:
        return "There are no values for these areas."
    first = values.iloc[0]
    vt, unit = str(first["value_type"]), str(first["unit"])
    needs = "A funnel plot needs counts and denominators"
    if vt not in ("proportion", "rate"):
        return f"{needs} of a proportion or a crude rate; this indicator is a {vt}."
    if multiplier(unit, vt) is None:
        return f"{needs} of a proportion or a crude rate; this one is {unit}."
    has = values["count"].notna() & values["denominator"].gt(0)
    if not has.any():
        return f"{needs}, and this indicator is published for these areas without them."
    if str(first.get("ci_method")) == "none":
        return (
            f"{needs} subject to chance variation; this indicator is a whole-population "
            "measure with no confidence interval, so control limits would mean nothing."
        )
    if int(has.sum()) < 3:
        return f"{needs}; only {int(has.sum())} of these areas have them."
    col = "la_value" if centre == "la" else "england_value"
    if values[col].dropna().empty:
        return f"{la_name if centre == 'la' else 'England'} has no figure to centre on."
    return None


def _limit_labels(
    value: np.ndarray, lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray
) -> np.ndarray:
    return np.select(
        [value < lo998, value < lo95, value > hi998, value > hi95],
        [
            stats.FUNNEL_LOW_0001,
            stats.FUNNEL_LOW_0025,
            stats.FUNNEL_HIGH_0001,
            stats.FUNNEL_HIGH_0025,
        ],
        default=stats.FUNNEL_NOT_SIGNIFICANT,
    ).astype(object)


def _limits(
    statistic: str, centre: float, mult: float, n: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    if statistic == "proportion":
        lo, hi = stats.funnel_proportion_limits(centre / mult, n, confidence)
        return lo * mult, hi * mult
    return stats.funnel_rate_limits(centre, n, confidence, mult)


def funnel(
    values: pd.DataFrame,
    centre: Centre = "la",
    grid: int = 200,
    la_name: str = "The local authority",
) -> Funnel:
    """Points and 95% / 99.8% control limits for a funnel plot.

    Each point is labelled against the drawn control limits at its own denominator (the
    labels of :func:`jsna.core.stats.funnel_significance` when the centre is the areas' pooled
    value).

    Args:
        values: Rows of ``funnel_values`` (one indicator, wards or practices).
        centre: "la" (default) or "england".
        grid: Number of denominators at which the limit curves are drawn.
        la_name: The local authority's name (the centre's name when centre is "la").

    Returns:
        A :class:`Funnel`.

    Raises:
        ValueError: If the values cannot make a funnel plot (see :func:`funnel_problem`) or
            the centre is unknown.
    """
    if centre not in FUNNEL_CENTRES:
        raise ValueError(f"centre must be one of {FUNNEL_CENTRES}")
    problem = funnel_problem(values, centre, la_name)
    if problem:
        raise ValueError(problem)
    df = values
    if "sex" in df.columns and df["sex"].nunique() > 1:
        keep = "Persons" if (df["sex"] == "Persons").any() else df["sex"].iloc[0]
        df = df[df["sex"] == keep]
    first = df.iloc[0]
    vt, unit = str(first["value_type"]), str(first["unit"])
    mult = multiplier(unit, vt)
    assert mult is not None  # checked by funnel_problem
    statistic: Literal["proportion", "rate"] = "proportion" if vt == "proportion" else "rate"
    has = df["count"].notna() & df["denominator"].gt(0)
    pts = df[has].copy()
    x = pts["count"].to_numpy(dtype=float)
    n = pts["denominator"].to_numpy(dtype=float)
    value = x / n * mult
    col = "la_value" if centre == "la" else "england_value"
    centre_value = float(df[col].dropna().iloc[0])
    # Each point is judged against the very limits drawn, at its own denominator, so the
    # colour and the picture always agree (whichever centre is chosen).
    lo95, hi95 = _limits(statistic, centre_value, mult, n, 0.95)
    lo998, hi998 = _limits(statistic, centre_value, mult, n, 0.998)
    labels = _limit_labels(value, lo95, hi95, lo998, hi998)
    points = pd.DataFrame(
        {
            "area_code": pts["area_code"].to_numpy(),
            "area_name": pts["area_name"].to_numpy(),
            "value": value,
            "count": x,
            "denominator": n,
            "label": labels,
        }
    )
    lo_n, hi_n = max(float(n.min()) * 0.85, 1.0), float(n.max()) * 1.1
    ns = np.geomspace(lo_n, hi_n, grid)
    l95, u95 = _limits(statistic, centre_value, mult, ns, 0.95)
    l998, u998 = _limits(statistic, centre_value, mult, ns, 0.998)
    limits = pd.DataFrame(
        {"denominator": ns, "lower95": l95, "upper95": u95, "lower998": l998, "upper998": u998}
    )
    return Funnel(
        points=points,
        limits=limits,
        centre=centre_value,
        centre_name=la_name if centre == "la" else "England",
        statistic=statistic,
        multiplier=mult,
        polarity=str(first["polarity"]),
        value_type=vt,
        unit=unit,
        indicator_name=str(first["indicator_name"]),
        left_out=int((~has).sum()),
    )


_FUNNEL_COMPARISON: Final[dict[str, dict[str, Comparison]]] = {
    stats.FUNNEL_HIGH_0001: {
        Polarity.HIGH_IS_GOOD: Comparison.BEST,
        Polarity.LOW_IS_GOOD: Comparison.WORST,
        Polarity.NO_JUDGEMENT: Comparison.HIGHEST,
    },
    stats.FUNNEL_HIGH_0025: {
        Polarity.HIGH_IS_GOOD: Comparison.BETTER,
        Polarity.LOW_IS_GOOD: Comparison.WORSE,
        Polarity.NO_JUDGEMENT: Comparison.HIGHER,
    },
    stats.FUNNEL_LOW_0025: {
        Polarity.HIGH_IS_GOOD: Comparison.WORSE,
        Polarity.LOW_IS_GOOD: Comparison.BETTER,
        Polarity.NO_JUDGEMENT: Comparison.LOWER,
    },
    stats.FUNNEL_LOW_0001: {
        Polarity.HIGH_IS_GOOD: Comparison.WORST,
        Polarity.LOW_IS_GOOD: Comparison.BEST,
        Polarity.NO_JUDGEMENT: Comparison.LOWEST,
    },
}
_FUNNEL_MEANING: Final[dict[str, str]] = {
    stats.FUNNEL_HIGH_0001: "above the 99.8% limit",
    stats.FUNNEL_HIGH_0025: "above the 95% limit",
    stats.FUNNEL_NOT_SIGNIFICANT: "within the 95% limits",
    stats.FUNNEL_LOW_0025: "below the 95% limit",
    stats.FUNNEL_LOW_0001: "below the 99.8% limit",
}


# A shape per position, so the funnel never relies on colour alone.
_FUNNEL_SYMBOL: Final[dict[str, str]] = {
    stats.FUNNEL_HIGH_0001: "triangle-up",
    stats.FUNNEL_HIGH_0025: "triangle-up",
    stats.FUNNEL_NOT_SIGNIFICANT: "circle",
    stats.FUNNEL_LOW_0025: "triangle-down",
    stats.FUNNEL_LOW_0001: "triangle-down",
}


def _funnel_colour(label: str, polarity: str, scheme: str) -> str:
    colours = SCHEMES[scheme]
    by_pol = _FUNNEL_COMPARISON.get(label)
    if by_pol is None:
        key = Comparison.SIMILAR if label == stats.FUNNEL_NOT_SIGNIFICANT else None
        return colours[key or Comparison.NOT_COMPARED]
    return colours[by_pol[Polarity(polarity)]]


def funnel_chart(f: Funnel, title: str, scheme: str = "fingertips") -> go.Figure:
    """A funnel plot: points against their denominators with 95% and 99.8% control limits.

    Args:
        f: A :class:`Funnel`.
        title: Chart title.
        scheme: "fingertips" or "colour_blind".

    Returns:
        A figure with four limit line traces (95% and 99.8%, lower and upper), a centre line
        and one marker trace per significance label present.
    """
    fig = go.Figure()
    lim = f.limits
    for conf, dash, colour in (("998", "solid", "#555"), ("95", "dash", "#999")):
        pct = "99.8%" if conf == "998" else "95%"
        for side in ("upper", "lower"):
            fig.add_scatter(
                x=lim["denominator"],
                y=lim[f"{side}{conf}"],
                mode="lines",
                line={"dash": dash, "color": colour, "width": 1.5},
                name=f"{pct} control limits",
                legendgroup=f"limit{conf}",
                showlegend=side == "upper",
                hoverinfo="skip",
            )
    fig.add_scatter(
        x=[lim["denominator"].iloc[0], lim["denominator"].iloc[-1]],
        y=[f.centre, f.centre],
        mode="lines",
        line={"color": "#000", "width": 2},
        name=f"{f.centre_name} {format_value(f.centre, f.value_type, f.unit)}",
        hoverinfo="skip",
    )
    order = [
        stats.FUNNEL_HIGH_0001,
        stats.FUNNEL_HIGH_0025,
        stats.FUNNEL_NOT_SIGNIFICANT,
        stats.FUNNEL_LOW_0025,
        stats.FUNNEL_LOW_0001,
    ]
    pts = f.points
    for label in [*order, *sorted(set(pts["label"]) - set(order))]:
        sub = pts[pts["label"] == label]
        if sub.empty:
            continue
        # The label's p-value code ("High (0.001)") stays in the working; the legend says
        # where the point lies in words.
        meaning = _FUNNEL_MEANING.get(label, "")
        name = meaning[:1].upper() + meaning[1:] if meaning else label
        fig.add_scatter(
            x=sub["denominator"],
            y=sub["value"],
            mode="markers",
            name=name,
            marker={
                "size": 11,
                "color": _funnel_colour(label, f.polarity, scheme),
                "line": {"width": 1, "color": "#333"},
                "symbol": _FUNNEL_SYMBOL.get(label, "x-thin-open"),
            },
            text=[
                f"<b>{r.area_name}</b><br>{format_value(r.value, f.value_type, f.unit)}"
                f"<br>{r.count:,.0f} of {r.denominator:,.0f}<br>{name}"
                for r in sub.itertuples()
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    fig.update_xaxes(title="Denominator (population)", showgrid=True, gridcolor="#eee")
    fig.update_yaxes(title=f.unit, showgrid=True, gridcolor="#eee")
    # Room for every line of the title above the plot, and for the legend in its own band
    # at the foot of the figure (measured from the container, so it never meets the x-axis
    # title however narrow the screen).
    top = 40 + 22 * (title.count("<br>") + 1)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=620,
        font=FONT,
        margin={"l": 10, "r": 10, "t": top, "b": 190},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    )
    return fig
