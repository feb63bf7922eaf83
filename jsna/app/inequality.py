"""Inequalities by deprivation: values by IMD decile, the slope and relative indices of inequality.

The SII and RII follow PHEindicatormethods' ``phe_sii`` (UKHSA): each quantile's value is
regressed on the mid-point of its population's cumulative rank (0 = most deprived, 1 = least
deprived), weighted by its share of the population. SII = slope (the modelled gap between the
least and the most deprived ends, in the indicator's units); RII = value at rank 1 / value at
rank 0. With a transform, the regression runs on log(rate) or logit(proportion) and both ends
are transformed back. CIs come from simulation: each quantile's value is drawn from a normal
distribution with its standard error (from its 95% CI, on the transformed scale where there is
a transform), the regression refitted, and the 2.5th and 97.5th percentiles taken.

References:
    PHEindicatormethods (UKHSA), R/phe_sii.R; Low A & Low A (2004) J Public Health 26:
    "Measuring the gap: quantifying and comparing local health inequalities".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from jsna.core import stats

ValueType = Literal["default", "rate", "proportion"]
Z95 = 1.959963984540054
DECILES = list(range(1, 11))
BAR = "#1d70b8"  # GOV.UK blue: 5.2:1 on white
LINE = "#0b0c0c"


@dataclass(frozen=True)
class SII:
    """Slope and relative index of inequality with simulated confidence limits."""

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    intercept: float
    confidence: float
    transform: Literal["none", "log", "logit"] = "none"
    coef: tuple[float, float] = (0.0, 0.0)  # intercept and slope on the transformed scale
    scale: float = 1.0  # |multiplier|

    def fitted(self, rank: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The regression's modelled value at population ranks 0..1, in the value's units."""
        t = self.coef[0] + self.coef[1] * np.asarray(rank, dtype=np.float64)
        if self.transform == "log":
            t = np.exp(t)
        elif self.transform == "logit":
            t = 1 / (1 + np.exp(-t))
        return np.asarray(t * self.scale, dtype=np.float64)


def _fit(
    y: npt.NDArray[np.float64], weight: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weighted least squares of each row of `y` on the population rank mid-points."""
    a = weight / weight.sum()
    b = np.cumsum(a) - a / 2
    x = np.column_stack([np.ones_like(b), b])
    xtw = x.T * a
    beta = np.linalg.solve(xtw @ x, xtw @ y.T)
    return beta[0], beta[1]


def phe_sii(
    population: npt.ArrayLike,
    value: npt.ArrayLike,
    lower_cl: npt.ArrayLike,
    upper_cl: npt.ArrayLike,
    value_type: ValueType = "default",
    transform: bool = False,
    multiplier: float = 1.0,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int = 1,
) -> SII:
    """Slope index of inequality (SII) and relative index (RII), with simulated CIs.

    Args:
        population: Population of each quantile, ordered from most to least deprived.
        value: The indicator's value in each quantile (proportions between 0 and 1 when
            ``value_type`` is "proportion").
        lower_cl: Lower 95% confidence limit of each value.
        upper_cl: Upper 95% confidence limit of each value.
        value_type: "default" (e.g. life expectancy), "rate" or "proportion".
        transform: Regress log(rate) or logit(proportion) instead of the value.
        multiplier: Scales the SII (100 for percentages); a negative multiplier reverses the
            direction (SII sign flipped, RII inverted), as in ``phe_sii``.
        confidence: Confidence level of the returned limits.
        repetitions: Number of simulated draws.
        seed: Seed of numpy's random generator, so a result is repeatable.

    Returns:
        An `SII` (intercept = modelled value at the most deprived end, untransformed).

    Raises:
        ValueError: fewer than two quantiles, a population that is not positive, a value
            outside its CI, a proportion outside 0..1, or a rate that is not positive with
            a log transform.

    References:
        PHEindicatormethods (UKHSA), R/phe_sii.R.

    Examples:
        >>> r = phe_sii([10, 10], [1.0, 2.0], [0.9, 1.9], [1.1, 2.1], repetitions=1000)
        >>> round(r.sii, 6), round(r.rii, 6)
        (2.0, 3.0)
    """
    pop, v, lo, hi = (
        np.asarray(a, dtype=np.float64) for a in (population, value, lower_cl, upper_cl)
    )
    if not (pop.shape == v.shape == lo.shape == hi.shape) or pop.ndim != 1:
        raise ValueError("population, value and confidence limits must be 1-d and the same length")
    if len(pop) < 2:
        raise ValueError("at least two quantiles are needed")
    if np.any(~np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError("every population must be positive")
    if np.any(~np.isfinite(v)) or np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)):
        raise ValueError("every value needs a value and both confidence limits")
    if np.any(lo > v) or np.any(hi < v):
        raise ValueError("each value must lie within its confidence limits")
    if value_type == "proportion" and (np.any(lo < 0) or np.any(hi > 1)):
        raise ValueError("proportions and their limits must lie between 0 and 1")
    if transform and value_type == "rate" and np.any(lo <= 0):
        raise ValueError("a log transform needs rates and limits above 0")
    if transform and value_type == "proportion" and (np.any(lo <= 0) or np.any(hi >= 1)):
        raise ValueError("a logit transform needs proportions and limits strictly between 0 and 1")

    def forward(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if transform and value_type == "rate":
            return np.log(t)
        if transform and value_type == "proportion":
            return np.log(t / (1 - t))
        return t

    def back(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if transform and value_type == "rate":
            return np.exp(t)
        if transform and value_type == "proportion":
            return 1 / (1 + np.exp(-t))
        return t

    y = forward(v)
    se = (forward(hi) - forward(lo)) / (2 * Z95)

    def ends(
        a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        start, end = back(a), back(a + b)
        sii = (end - start) * abs(multiplier)
        rii = end / start if multiplier >= 0 else start / end
        return (sii if multiplier >= 0 else -sii), rii, start

    a0, b0 = _fit(y[None, :], pop)
    sii0, rii0, start0 = ends(a0, b0)
    rng = np.random.default_rng(seed)
    a, b = _fit(rng.normal(y, se, size=(repetitions, len(y))), pop)
    sims, riis, _ = ends(a, b)
    q = [(1 - confidence) / 2, 1 - (1 - confidence) / 2]
    s_lo, s_hi = np.quantile(sims, q)
    r_lo, r_hi = np.quantile(riis, q)
    return SII(
        sii=float(sii0[0]),
        sii_lower=float(s_lo),
        sii_upper=float(s_hi),
        rii=float(rii0[0]),
        rii_lower=float(r_lo),
        rii_upper=float(r_hi),
        intercept=float(start0[0]),
        confidence=confidence,
        transform=("log" if value_type == "rate" else "logit") if transform else "none",
        coef=(float(a0[0]), float(b0[0])),
        scale=abs(multiplier),
    )


def by_decile(lsoa: pd.DataFrame, multiplier: float = 100.0) -> pd.DataFrame:
    """Pool LSOA counts and denominators by national IMD 2019 decile, with Wilson 95% CIs.

    Args:
        lsoa: One row per LSOA with ``imd_decile``, ``count`` and ``denominator``.
        multiplier: 100 for percentages.

    Returns:
        One row per decile 1..10 (most to least deprived): ``lsoas``, ``count``,
        ``denominator``, ``value``, ``lower_ci95``, ``upper_ci95``; deciles with no LSOA
        have ``lsoas`` = 0 and no value.
    """
    use = lsoa.dropna(subset=["imd_decile", "count", "denominator"])
    g = use.groupby("imd_decile").agg(
        lsoas=("count", "size"), count=("count", "sum"), denominator=("denominator", "sum")
    )
    g = g.reindex(DECILES)
    g.index.name = "imd_decile"
    g["lsoas"] = g["lsoas"].fillna(0).astype("int64")
    has = g["denominator"] > 0
    g["value"] = np.where(has, g["count"] / g["denominator"] * multiplier, np.nan)
    lo, hi = stats.wilson_ci(g["count"].where(has, 0), g["denominator"].where(has, 1))
    g["lower_ci95"] = np.where(has, lo * multiplier, np.nan)
    g["upper_ci95"] = np.where(has, hi * multiplier, np.nan)
    return g.reset_index()


def decile_sii(deciles: pd.DataFrame, multiplier: float = 100.0) -> SII | None:
    """SII/RII across the deciles that have residents (proportions, logit transform).

    Returns None when fewer than two deciles have a value. Deciles with no LSOAs drop out:
    the rank runs over the local population in national-decile order.
    """
    d = deciles.dropna(subset=["value"])
    d = d[d["denominator"] > 0]
    if len(d) < 2:
        return None
    p = d["count"] / d["denominator"]
    lo, hi = stats.wilson_ci(d["count"], d["denominator"])
    transform = bool((p > 0).all() and (p < 1).all())
    return phe_sii(
        d["denominator"],
        p,
        lo,
        hi,
        value_type="proportion",
        transform=transform,
        multiplier=multiplier,
    )


def sii_sentence(result: SII | None, unit: str, name: str) -> str:
    """Plain-English reading of an SII."""
    if result is None:
        return (
            f"The slope index of inequality for {name} cannot be calculated: "
            "fewer than two deciles have residents."
        )
    sign = "higher" if result.sii > 0 else "lower"
    return (
        f"Across the local population ranked from most to least deprived, {name} is modelled "
        f"to be {abs(result.sii):.1f} {unit} {sign} at the least deprived end than at the most "
        f"deprived (slope index of inequality {result.sii:.1f}, 95% CI {result.sii_lower:.1f} "
        f"to {result.sii_upper:.1f}); the relative index is {result.rii:.2f} "
        f"({result.rii_lower:.2f} to {result.rii_upper:.2f})."
    )


def decile_figure(deciles: pd.DataFrame, result: SII | None, title: str, unit: str) -> go.Figure:
    """Bars by IMD decile with 95% CIs and the fitted SII line drawn across the local population."""
    d = deciles.dropna(subset=["value"])
    labels = [str(int(k)) for k in d["imd_decile"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=d["value"],
            marker_color=BAR,
            name="Value (95% CI)",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": d["upper_ci95"] - d["value"],
                "arrayminus": d["value"] - d["lower_ci95"],
                "color": LINE,
                "thickness": 1.5,
            },
            customdata=np.column_stack([d["count"], d["denominator"], d["lsoas"]]),
            hovertemplate="Decile %{x}<br>%{y:.1f}"
            + unit
            + "<br>%{customdata[0]:,.0f} of %{customdata[1]:,.0f}"
            + "<br>%{customdata[2]} LSOAs<extra></extra>",
        )
    )
    if result is not None:
        # The fitted line from rank 0 to rank 1, placed at the deciles' rank mid-points.
        a = d["denominator"] / d["denominator"].sum()
        mid = (np.cumsum(a) - a / 2).to_numpy()
        fit = result.fitted(mid)
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=fit,
                mode="lines",
                name="Slope index of inequality (fitted)",
                line={"color": "#d4351c", "width": 2, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis={"title": "IMD decile (1 = most deprived)", "type": "category"},
        yaxis_title=unit,
        legend={"orientation": "h", "y": -0.3},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        height=420,
    )
    fig.update_yaxes(rangemode="tozero", gridcolor="#dddddd")
    return fig


def practice_scatter(df: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Practices: IMD score (x) against a register's prevalence (y) with 95% CIs."""
    d = df.dropna(subset=["imd_score", "value"])
    fig = go.Figure(
        go.Scatter(
            x=d["imd_score"],
            y=d["value"],
            mode="markers",
            marker={"color": BAR, "size": 9, "line": {"color": LINE, "width": 1}},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": d["upper_ci95"] - d["value"],
                "arrayminus": d["value"] - d["lower_ci95"],
                "color": "#505a5f",
                "thickness": 1,
            },
            text=d["area_name"],
            hovertemplate="%{text}<br>IMD score %{x:.1f}<br>%{y:.2f}" + unit + "<extra></extra>",
            name="Practice (95% CI)",
        )
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis_title="Practice IMD score (higher = more deprived)",
        yaxis_title=unit,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        height=420,
    )
    fig.update_xaxes(gridcolor="#dddddd")
    fig.update_yaxes(gridcolor="#dddddd")
    return fig


def correlation(x: pd.Series, y: pd.Series) -> float:
    """Pearson correlation of two series (NaN-safe), NaN with fewer than three pairs."""
    ok = x.notna() & y.notna()
    if ok.sum() < 3:
        return float("nan")
    return float(np.corrcoef(x[ok], y[ok])[0, 1])
