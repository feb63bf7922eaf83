"""Fingertips' recent-trend marker: is a series increasing or decreasing, significantly?

A vectorised restatement of OHID's ``TrendMarkerCalculator`` (fingertips-open, reused in
FingertipsNext ``trend-analysis``), as set out in ``docs/METHODS.md`` ("Recent trend marker"):

* Only the **five most recent** points with a value (and an interval or counts) are used; with
  fewer the marker is "Cannot be calculated".
* Values with confidence intervals: weighted least squares of value on time (t = 1..5) with
  weights 1/SE², SE = (UCL95 − LCL95)/3.92; χ² = (β/SE(β))².
* Proportions with counts and denominators: the chi-square test for trend in proportions
  (Cochran–Armitage form) on the counts; the slope sign for the robustness check comes from a
  weighted fit of the logits (weights = 1/Var(logit p) = r(n − r)/n).
* A trend is significant when χ² > 9.5495 (the 99.8% point of χ² on 1 degree of freedom) **and**
  the slope keeps its sign in all six fits: all five points, and each point left out in turn.
* The direction is the slope's sign; polarity adds "and getting better / worse".

Pure numpy: no Streamlit, no scipy.stats (kept off the import path for a fast cold start).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "CHI2_998",
    "POINTS",
    "TREND_COLUMNS",
    "proportion_trend",
    "recent_trends",
    "trend_label",
    "wls_trend",
]

FloatArray = npt.NDArray[np.float64]

POINTS: Final[int] = 5
"""How many of the most recent points the marker uses (Fingertips' ``PointsToUse``)."""
CHI2_998: Final[float] = 9.54953570608324
"""χ² on 1 degree of freedom at 99.8% (Fingertips' ``ChiSquareConfidence``)."""
TREND_COLUMNS: Final[list[str]] = [
    "trend",
    "trend_label",
    "chi_square",
    "slope",
    "points_used",
    "first_period",
    "last_period",
    "trend_reason",
]
"""Columns `recent_trends` adds, one row per series."""

METHOD_MARKDOWN: Final[str] = """
Fingertips' recent-trend marker, computed the same way here (OHID `TrendMarkerCalculator`):

1. Take the **five most recent periods** that have a value and a 95% confidence interval (or,
   for proportions tested on counts, a count and a denominator). With fewer than five the
   marker is **Cannot be calculated**; that includes every series OHID publishes here without
   intervals.
2. **Values with intervals**: number the periods t = 1..5 and give each a weight 1/SE², with
   SE = (upper 95% limit − lower 95% limit) / 3.92. Fit the weighted least-squares line of
   value on t; its slope β has standard error √(Σw / (Σw·Σwt² − (Σwt)²)), and
   χ² = (β / SE(β))².
3. **Proportions with counts** (diabetes and dementia recorded by GPs, as Fingertips does for
   its "use proportions for trend" indicators): the chi-square test for trend in proportions,
   χ² = N (N·Σrt − R·Σnt)² / (R (N − R) (N·Σnt² − (Σnt)²)), with r the counts, n the
   denominators, R = Σr and N = Σn.
4. The trend is significant when **χ² > 9.5495** (99.8%, one degree of freedom) **and** the
   slope keeps its sign when each of the five points is left out in turn (six fits in all; for
   proportions the fits are of the logits, log(r / (n − r)), weighted by r(n − r)/n).
5. A significant trend is **Increasing** or **Decreasing**, with **and getting better** or
   **and getting worse** when higher or lower values are good; otherwise **No significant
   change**.
"""
"""How the marker is computed, for the Definitions page."""

_DROP: Final[FloatArray] = np.vstack([np.ones(POINTS), 1.0 - np.eye(POINTS)])
"""Six masks over five points: all of them, then each point left out in turn."""


def _slopes(y: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted least-squares slopes of y on t = 1..5 for the six masks.

    Args:
        y: values, shape (series, 5).
        w: weights, shape (series, 5).

    Returns:
        slopes with shape (series, 6) (column 0 uses every point), and SE(β) of the
        all-points fit, shape (series,).
    """
    t = np.arange(1, POINTS + 1, dtype=float)
    wm = w[:, None, :] * _DROP[None, :, :]  # (series, 6, 5)
    s1 = wm.sum(axis=2)
    s2 = (wm * y[:, None, :] * t).sum(axis=2)
    s3 = (wm * t).sum(axis=2)
    s4 = (wm * y[:, None, :]).sum(axis=2)
    s5 = (wm * t**2).sum(axis=2)
    det = s1 * s5 - s3**2
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = (s1 * s2 - s3 * s4) / det
        se = np.sqrt(s1[:, 0] / det[:, 0])
    return slopes, se


def _robust(slopes: FloatArray) -> npt.NDArray[np.bool_]:
    """True where all six slopes share a sign (Fingertips counts a zero slope as positive)."""
    signs = np.where(slopes < 0, -1, 1)
    return np.asarray(np.abs(signs.sum(axis=1)) == len(_DROP)) & np.isfinite(slopes).all(axis=1)


def wls_trend(
    values: npt.ArrayLike, lower95: npt.ArrayLike, upper95: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Trend test for values with 95% confidence intervals (five points per row).

    Args:
        values: shape (series, 5), oldest first.
        lower95: lower 95% limits, same shape.
        upper95: upper 95% limits, same shape.

    Returns:
        (slope, chi_square, significant), each of shape (series,). ``significant`` is
        χ² > 9.5495 and a slope whose sign survives leaving out any one point.

    References:
        OHID, fingertips-open ``PholioVisualisation.Analysis/TrendMarkers/
        TrendMarkerCalculator.cs`` (``IsSignificant``, ``NoOutliersCheck``).
    """
    y = np.atleast_2d(np.asarray(values, dtype=float))
    se = (np.atleast_2d(np.asarray(upper95, dtype=float)) - np.atleast_2d(lower95)) / 3.92
    if y.shape[-1] != POINTS or se.shape != y.shape:
        raise ValueError(f"wls_trend needs {POINTS} values and intervals per series")
    if (se <= 0).any():
        raise ValueError("wls_trend: every interval must have UCL > LCL")
    slopes, se_beta = _slopes(y, 1.0 / se**2)
    chi = (slopes[:, 0] / se_beta) ** 2
    return slopes[:, 0], chi, _robust(slopes) & (chi > CHI2_998)


def proportion_trend(
    counts: npt.ArrayLike, denominators: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Chi-square test for trend in proportions (five points per row), with the logit check.

    χ² = N (N Σrt − R Σnt)² / (R (N − R) (N Σnt² − (Σnt)²)) with t = 1..5, R = Σr and N = Σn
    (Cochran–Armitage). The direction is the sign of N Σrt − R Σnt; the robustness check fits
    logit(r/n) on t with weights r(n − r)/n for the six masks.

    Args:
        counts: numerators r, shape (series, 5), oldest first.
        denominators: denominators n, same shape.

    Returns:
        (slope, chi_square, significant), each of shape (series,). ``slope`` is the
        all-points slope of the logits (per period).

    References:
        Armitage P. Tests for linear trends in proportions and frequencies. Biometrics
        1955;11:375-386. OHID fingertips-open ``TrendMarkerCalculator.cs`` (SPC for
        proportions branch).
    """
    r = np.atleast_2d(np.asarray(counts, dtype=float))
    n = np.atleast_2d(np.asarray(denominators, dtype=float))
    if r.shape[-1] != POINTS or n.shape != r.shape:
        raise ValueError(f"proportion_trend needs {POINTS} counts and denominators per series")
    if (n <= 0).any() or (r <= 0).any() or (r >= n).any():
        raise ValueError("proportion_trend needs 0 < count < denominator at every point")
    t = np.arange(1, POINTS + 1, dtype=float)
    big_n, big_r = n.sum(axis=1), r.sum(axis=1)
    srt, snt, sntt = (r * t).sum(axis=1), (n * t).sum(axis=1), (n * t**2).sum(axis=1)
    chi = (
        big_n
        * (big_n * srt - big_r * snt) ** 2
        / (big_r * (big_n - big_r) * (big_n * sntt - snt**2))
    )
    slopes, _ = _slopes(np.log(r / (n - r)), r * (n - r) / n)
    same_way = np.sign(slopes[:, 0]) == np.sign(big_n * srt - big_r * snt)
    return slopes[:, 0], chi, _robust(slopes) & same_way & (chi > CHI2_998)


def trend_label(trend: str, polarity: str) -> str:
    """Fingertips' words for a marker: "Increasing and getting worse", "No significant change"."""
    if trend not in ("increasing", "decreasing"):
        return {"no_change": "No significant change"}.get(trend, "Cannot be calculated")
    word = trend.capitalize()
    good_up = {"high_is_good": True, "low_is_good": False}.get(polarity)
    if good_up is None:
        return word
    better = (trend == "increasing") == good_up
    return f"{word} and getting {'better' if better else 'worse'}"


def recent_trends(
    rows: pd.DataFrame,
    by: Sequence[str],
    polarity: str = "no_judgement",
    use_proportions: bool = False,
) -> pd.DataFrame:
    """The recent-trend marker for every series in `rows`.

    Args:
        rows: one row per point, with ``period`` (sortable oldest to newest), ``value``,
            ``lower_ci95``, ``upper_ci95``, ``count`` and ``denominator`` and the ``by``
            columns.
        by: columns that name a series (for example ``["area_code", "sex"]``).
        polarity: ``high_is_good``, ``low_is_good`` or ``no_judgement``.
        use_proportions: test counts with the chi-square test for trend in proportions
            (Fingertips' "SPC for proportions" indicators) where every point has them.

    Returns:
        One row per series: the ``by`` columns and `TREND_COLUMNS`. ``trend`` is
        ``increasing``, ``decreasing``, ``no_change`` or ``cannot_calculate`` (with
        ``trend_reason``).
    """
    keys = list(by)
    has_ci = rows["lower_ci95"].notna() & rows["upper_ci95"].notna()
    has_counts = (
        rows["count"].notna()
        & rows["denominator"].notna()
        & (rows["count"] > 0)
        & (rows["count"] < rows["denominator"])
    )
    usable = rows["value"].notna() & (has_ci | (has_counts & use_proportions))
    df = rows[usable].sort_values([*keys, "period"])
    recent = df.groupby(keys, sort=False, dropna=False).tail(POINTS)
    size = recent.groupby(keys, sort=False, dropna=False)["period"].transform("size")
    full = recent[size == POINTS]
    series = rows[keys].drop_duplicates().reset_index(drop=True)
    out = series.assign(
        trend="cannot_calculate",
        chi_square=np.nan,
        slope=np.nan,
        points_used=0,
        first_period=None,
        last_period=None,
        trend_reason=None,
    )
    counted = recent.groupby(keys, sort=False, dropna=False)["period"].size()
    if not full.empty:
        shape = (-1, POINTS)
        heads = full.groupby(keys, sort=False, dropna=False)
        first = heads["period"].first()
        last = heads["period"].last()
        props = (
            has_counts.loc[full.index]
            .groupby([full[k] for k in keys], sort=False, dropna=False)
            .all()
        )
        sl = np.full(len(first), np.nan)
        chi = np.full(len(first), np.nan)
        sig = np.zeros(len(first), dtype=bool)
        prop_mask = props.to_numpy(dtype=bool) & use_proportions
        for mask, kind in ((prop_mask, "p"), (~prop_mask, "ci")):
            if not mask.any():
                continue
            rep = np.repeat(mask, POINTS)
            part = full[rep]
            if kind == "p":
                s, c, g = proportion_trend(
                    part["count"].to_numpy(float).reshape(shape),
                    part["denominator"].to_numpy(float).reshape(shape),
                )
            else:
                s, c, g = wls_trend(
                    part["value"].to_numpy(float).reshape(shape),
                    part["lower_ci95"].to_numpy(float).reshape(shape),
                    part["upper_ci95"].to_numpy(float).reshape(shape),
                )
            sl[mask], chi[mask], sig[mask] = s, c, g
        trend = np.where(sig, np.where(sl > 0, "increasing", "decreasing"), "no_change")
        done = pd.DataFrame(
            {
                "trend": trend,
                "chi_square": chi,
                "slope": sl,
                "points_used": POINTS,
                "first_period": first.to_numpy(),
                "last_period": last.to_numpy(),
            },
            index=first.index,
        )
        # Map computed series back onto the frame of every series.
        idx = pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else pd.Index(out[keys[0]])
        hit = idx.isin(done.index)
        looked = done.reindex(idx[hit])
        for col in done.columns:
            out.loc[hit, col] = looked[col].to_numpy()
    idx = pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else pd.Index(out[keys[0]])
    have = counted.reindex(idx).fillna(0).astype(int).to_numpy()
    short = out["trend"].to_numpy() == "cannot_calculate"
    out.loc[short, "trend_reason"] = np.where(
        have[short] == 0,
        "no period has a confidence interval or counts to test",
        [f"only {k} point{'s' if k != 1 else ''} with an interval (5 needed)" for k in have[short]],
    )
    out["points_used"] = out["points_used"].astype(int)
    out["trend_label"] = [trend_label(t, polarity) for t in out["trend"]]
    return out[[*keys, *TREND_COLUMNS]]
