"""Funnel-plot control limits and each area's funnel significance."""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
from scipy import special

from jsna.core.stats._base import FloatArray, ObjectArray, _alpha, _floats, _non_negative, _positive
from jsna.core.stats.intervals import poisson_ci
from jsna.core.stats.rates import DSR_MIN_COUNT

FUNNEL_HIGH_0001: Final[str] = "High (0.001)"
FUNNEL_HIGH_0025: Final[str] = "High (0.025)"
FUNNEL_LOW_0025: Final[str] = "Low (0.025)"
FUNNEL_LOW_0001: Final[str] = "Low (0.001)"
FUNNEL_NOT_SIGNIFICANT: Final[str] = "Not significant"
FUNNEL_DSR_TOO_FEW: Final[str] = "Not applicable for events less than 10 for dsrs"
FUNNEL_MISSING: Final[str] = "Not applicable (missing value)"


def _sigma_adjustment(
    p: float, population: FloatArray, average: FloatArray
) -> tuple[FloatArray, FloatArray]:
    z2 = special.ndtri(p) ** 2
    first = average * (population / z2 + 1)
    with np.errstate(invalid="ignore"):
        adj = np.sqrt(
            (8 * average * (population / z2 + 1)) ** 2
            - 64
            * (1 / z2 + 1 / population)
            * average
            * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1))
        )
    last = 1 / z2 + 1 / population
    return (first - adj / 8) / last / population, (first + adj / 8) / last / population


def funnel_proportion_limits(
    average_proportion: npt.ArrayLike, denominators: npt.ArrayLike, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """Funnel-plot control limits for a proportion around the average proportion.

    The limits are the proportions x/N whose Wilson interval just reaches the average π
    (PHEindicatormethods ``sigma_adjustment``), clipped to [0, 1]. NB this is not the
    Fingertips "method 5" formula (a Wilson interval around E = Nπ), which gives different
    (narrower at small N) limits.

    Args:
        average_proportion: π = Σx/Σn, between 0 and 1.
        denominators: Denominators N at which to evaluate the limits (positive).
        confidence: 0.95 for the 2-sigma (0.025) funnel, 0.998 for 3-sigma (0.001).

    Returns:
        Lower and upper control limits as proportions.

    Raises:
        ValueError: If π is outside [0, 1], a denominator is not positive or
            ``confidence`` is out of range.

    References:
        PHEindicatormethods ``calculate_funnel_limits`` / ``sigma_adjustment`` (R/Funnels.R);
        Spiegelhalter DJ (2005) Stat Med 24:1185–1202.

    Examples:
        >>> lo, hi = funnel_proportion_limits(0.5, [100], 0.95)
        >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
        (0.402, 0.598)
    """
    pi, n = np.broadcast_arrays(_floats(average_proportion), _floats(denominators))
    if np.any((pi < 0) | (pi > 1)):
        raise ValueError("average_proportion must be between 0 and 1")
    _positive(n, "denominators")
    lower, upper = _sigma_adjustment(1 - _alpha(confidence), n, pi)
    return np.asarray(np.clip(lower, 0.0, 1.0)), np.asarray(np.clip(upper, 0.0, 1.0))


def _poisson_funnel_counts(
    expected: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """Continuous Poisson control limits on a count around an expected count E.

    Lower: the O with P(X ≤ O | E) = α (regularised gamma, 0 when e^−E ≥ α); upper: the O
    with P(X ≥ O | E) = α. Equivalently E is the exact upper (lower) limit of O.
    """
    alpha = _alpha(confidence)
    with np.errstate(invalid="ignore"):
        lower = np.where(expected <= -np.log(alpha), 0.0, special.pdtrik(alpha, expected))
        upper = special.pdtrik(1 - alpha, expected) + 1
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def funnel_ratio_limits(
    expected: npt.ArrayLike, confidence: float, refvalue: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Funnel-plot control limits for an indirectly standardised ratio at expected count E.

    The limits are exact Poisson control limits on the count around E, divided by E: the
    lower limit O_L solves P(X ≤ O_L | E) = α and the upper O_U solves P(X ≥ O_U | E) = α
    (continuous in O through the regularised gamma function). Equivalently, E is the exact
    chi-square upper (lower) confidence limit of O_L (O_U), which is how PHEindicatormethods
    tabulates the funnel (by bisection).

    Args:
        expected: Expected counts E (positive).
        confidence: 0.95 or 0.998.
        refvalue: 1 for a ratio, 100 for a ratio × 100.

    Returns:
        Lower and upper control limits on the ratio scale (× refvalue).

    Raises:
        ValueError: If an expected count is not positive or ``confidence`` is out of range.

    References:
        PHEindicatormethods ``calculate_funnel_limits(statistic = "ratio")`` (R/Funnels.R,
        ``poisson_funnel`` in R/utils.R); Spiegelhalter (2005).

    Examples:
        >>> lo, hi = funnel_ratio_limits([100.0], 0.95)
        >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
        (0.804, 1.206)
    """
    e = _floats(expected)
    _positive(e, "expected")
    lower, upper = _poisson_funnel_counts(e, confidence)
    return np.asarray(lower / e * refvalue), np.asarray(upper / e * refvalue)


def funnel_rate_limits(
    average_rate: npt.ArrayLike,
    denominators: npt.ArrayLike,
    confidence: float,
    multiplier: float = 100_000.0,
) -> tuple[FloatArray, FloatArray]:
    """Funnel-plot control limits for a rate at each denominator (Poisson, exact).

    With E = average_rate / multiplier × N, the limits are the Poisson control limits on the
    count around E (see :func:`funnel_ratio_limits`) divided by N, times ``multiplier``.

    Args:
        average_rate: Baseline rate per ``multiplier`` (e.g. Σevents/Σpopulation × 100,000).
        denominators: Populations N (e.g. person-years over all years of data; positive).
        confidence: 0.95 or 0.998.
        multiplier: Rate per this many, default 100,000.

    Returns:
        Lower and upper control limits per ``multiplier``.

    Raises:
        ValueError: If the average rate is negative, a denominator is not positive or
            ``confidence`` is out of range.

    References:
        PHEindicatormethods ``calculate_funnel_limits(statistic = "rate")`` (R/Funnels.R).

    Examples:
        >>> lo, hi = funnel_rate_limits(100.0, [100_000], 0.95)
        >>> round(float(lo[0]), 2), round(float(hi[0]), 2)
        (80.39, 120.56)
    """
    rate, n = np.broadcast_arrays(_floats(average_rate), _floats(denominators))
    _non_negative(rate, "average_rate")
    _positive(n, "denominators")
    lower, upper = _poisson_funnel_counts(rate / multiplier * n, confidence)
    return np.asarray(lower / n * multiplier), np.asarray(upper / n * multiplier)


def _funnel_labels(
    low_0001: npt.NDArray[np.bool_],
    low_0025: npt.NDArray[np.bool_],
    high_0001: npt.NDArray[np.bool_],
    high_0025: npt.NDArray[np.bool_],
) -> ObjectArray:
    return np.select(
        [low_0001, low_0025, high_0001, high_0025],
        [FUNNEL_LOW_0001, FUNNEL_LOW_0025, FUNNEL_HIGH_0001, FUNNEL_HIGH_0025],
        default=FUNNEL_NOT_SIGNIFICANT,
    ).astype(object)


def _poisson_outside(
    observed: FloatArray, scale: FloatArray, target: FloatArray | float
) -> ObjectArray:
    """Funnel label from comparing ``target`` with the Poisson limits of O / scale."""
    limits = {conf: poisson_ci(observed, conf)[:2] for conf in (0.95, 0.998)}
    with np.errstate(divide="ignore", invalid="ignore"):
        lo95, hi95 = (np.nan_to_num(limits[0.95][0]) / scale, limits[0.95][1] / scale)
        lo998, hi998 = (np.nan_to_num(limits[0.998][0]) / scale, limits[0.998][1] / scale)
    return _funnel_labels(target > hi998, target > hi95, target < lo998, target < lo95)


def funnel_significance(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    statistic: Literal["proportion", "ratio", "rate"] = "proportion",
    *,
    rate: npt.ArrayLike | None = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    multiplier: float = 100_000.0,
) -> ObjectArray:
    """Funnel-plot outlier level of each area: "High (0.001)" … "Not significant".

    - proportion: x/n against :func:`funnel_proportion_limits` around π = Σx/Σn;
    - ratio (``denominator`` = expected counts): 1 against the Poisson limits (exact when
      O < 10, else Byar's) of O/E;
    - rate: the weighted average rate against the Poisson limits of O/N, where N is derived
      as O/rate × multiplier (for crude rates with O = 0 the given denominator is used;
      DSRs with O < 10 are "Not applicable for events less than 10 for dsrs").

    Args:
        numerator: Observed counts.
        denominator: Denominators (proportion, crude rate) or expected counts (ratio).
        statistic: "proportion", "ratio" or "rate".
        rate: Rates per ``multiplier`` (required for ``statistic="rate"``).
        rate_type: "crude" or "dsr" (rate only).
        multiplier: The rate's multiplier (rate only).

    Returns:
        Labels "High (0.001)", "High (0.025)", "Low (0.025)", "Low (0.001)",
        "Not significant" (or a "Not applicable …" label) per area.

    Raises:
        ValueError: If a numerator is negative, a denominator is not positive, a proportion's
            numerator exceeds its denominator, or the arguments are inconsistent.

    References:
        PHEindicatormethods ``assign_funnel_significance`` (R/Funnels.R); Spiegelhalter
        (2005); OHID Fingertips technical guidance.

    Examples:
        >>> funnel_significance([50, 10, 90], [100, 100, 100]).tolist()
        ['Not significant', 'Low (0.001)', 'High (0.001)']
    """
    x, n = np.broadcast_arrays(_floats(numerator), _floats(denominator))
    _non_negative(x, "numerator")
    _positive(n, "denominator")
    missing = np.isnan(x) | np.isnan(n)
    ok = ~missing
    if statistic == "proportion":
        if np.any(x > n):
            raise ValueError("count must be <= denominator")
        average = x[ok].sum() / n[ok].sum()
        with np.errstate(invalid="ignore"):
            lo998, hi998 = funnel_proportion_limits(average, n, 0.998)
            lo95, hi95 = funnel_proportion_limits(average, n, 0.95)
        p = x / n
        labels = _funnel_labels(p < lo998, p < lo95, p > hi998, p > hi95)
    elif statistic == "ratio":
        labels = _poisson_outside(x, n, 1.0)
    elif statistic == "rate":
        if rate is None:
            raise ValueError("rate is required when statistic is 'rate'")
        if rate_type not in ("crude", "dsr"):
            raise ValueError("rate_type must be 'crude' or 'dsr'")
        r = np.broadcast_to(_floats(rate), x.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = np.where(x == 0, np.nan if rate_type == "dsr" else n, x / r * multiplier)
        missing |= np.isnan(r) & (x != 0)
        ok = ~missing
        average = x[ok].sum() / np.nansum(derived[ok])
        labels = _poisson_outside(x, derived, average)
        if rate_type == "dsr":
            labels[x < DSR_MIN_COUNT] = FUNNEL_DSR_TOO_FEW
    else:
        raise ValueError("statistic must be 'proportion', 'ratio' or 'rate'")
    labels[missing] = FUNNEL_MISSING
    return labels
