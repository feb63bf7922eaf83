"""Funnel limits that allow for real variation between areas (Spiegelhalter's overdispersion).

With lists of tens of thousands of patients almost every area differs "significantly" from
England: the sampling error is tiny beside the real spread between areas. Spiegelhalter
(2005) estimates that spread from the areas' z-scores against the target and widens the
funnel by it (an additive random-effects model), so the limits then say which areas are
unusual among their peers rather than merely different from England.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from jsna.core.stats._base import FloatArray, _floats, _non_negative, _positive, z_value
from jsna.core.stats.funnels import funnel_proportion_limits

WINSORISE: Final[float] = 0.10
"""Share of z-scores pulled in at each end before φ is estimated (Spiegelhalter 2005)."""


class Overdispersion(NamedTuple):
    """The dispersion of a set of areas' proportions around a target.

    Attributes:
        n: Areas used (those with a value and a positive denominator).
        phi: φ, the mean of the winsorised squared z-scores (1 when there is no overdispersion).
        tau2: τ², the between-area variance of the proportion (0 unless nφ > n − 1).
    """

    n: int
    phi: float
    tau2: float


def _winsorised(z: FloatArray, share: float) -> FloatArray:
    # Percentiles by linear interpolation (R's default type 7, as FunnelPlotR uses).
    lo, hi = np.percentile(z, [100 * share, 100 * (1 - share)])
    return np.asarray(np.clip(z, lo, hi))


def proportion_overdispersion(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    target: float,
    winsorise: float = WINSORISE,
) -> Overdispersion:
    """φ and τ² for proportions x/n around a target proportion p0 (additive random effects).

    z_i = (y_i − p0) / s_i with y_i = x_i/n_i and s_i² = p0(1 − p0)/n_i; the z-scores are
    winsorised (the lowest and highest ``winsorise`` share set to those percentiles); φ is
    the mean of their squares. If nφ > n − 1 (overdispersion), τ² = (nφ − (n − 1)) /
    (Σw − Σw²/Σw) with w = 1/s², else 0. Areas with a missing value are left out.

    Args:
        numerator: Counts x (NaN for suppressed or missing).
        denominator: Denominators n (positive where x is present).
        target: The target proportion p0 (England's), strictly between 0 and 1.
        winsorise: Share of z-scores winsorised at each end (0.1).

    Returns:
        :class:`Overdispersion` (n, φ, τ²); with fewer than 2 areas φ = 1 and τ² = 0.

    Raises:
        ValueError: If the target is not strictly between 0 and 1, a count is negative or
            larger than its denominator, or a denominator is not positive.

    References:
        Spiegelhalter DJ (2005) Funnel plots for comparing institutional performance. Stat
        Med 24:1185-1202 (sections 3.2 and 3.3: winsorised φ and the additive random-effects
        τ², after DerSimonian & Laird 1986).

    Examples:
        >>> od = proportion_overdispersion([10, 20, 30, 40, 50], [100] * 5, 0.3)
        >>> od.n, round(od.phi, 3), round(od.tau2, 6)
        (5, 6.781, 0.0157)
    """
    if not 0 < target < 1:
        raise ValueError("target must be strictly between 0 and 1")
    x, n = np.broadcast_arrays(_floats(numerator), _floats(denominator))
    ok = ~(np.isnan(x) | np.isnan(n))
    x, n = x[ok], n[ok]
    _non_negative(x, "numerator")
    _positive(n, "denominator")
    if np.any(x > n):
        raise ValueError("count must be <= denominator")
    k = len(x)
    if k < 2:
        return Overdispersion(k, 1.0, 0.0)
    s2 = target * (1 - target) / n
    z = _winsorised((x / n - target) / np.sqrt(s2), winsorise)
    phi = float(np.mean(z**2))
    w = 1 / s2
    excess = k * phi - (k - 1)
    tau2 = max(0.0, excess / (w.sum() - (w**2).sum() / w.sum())) if excess > 0 else 0.0
    return Overdispersion(k, phi, float(tau2))


def overdispersed_proportion_limits(
    target: float, denominators: npt.ArrayLike, confidence: float, tau2: float
) -> tuple[FloatArray, FloatArray]:
    """Funnel limits around p0 widened by the between-area variance τ².

    Each side's half-width at τ² = 0 is the PHEindicatormethods funnel limit's
    (:func:`~jsna.core.stats.funnels.funnel_proportion_limits`), so h = |limit − p0| / z is the
    sampling standard error that limit implies; with τ² the limit is p0 ± z·√(h² + τ²)
    (Spiegelhalter's additive random effects), clipped to [0, 1]. At τ² = 0 these are
    exactly the plain funnel limits; for large n, h² → p0(1 − p0)/n.

    Args:
        target: p0, between 0 and 1.
        denominators: Denominators n (positive).
        confidence: 0.95 or 0.998.
        tau2: τ² from :func:`proportion_overdispersion` (non-negative).

    Returns:
        Lower and upper limits as proportions.

    Raises:
        ValueError: If τ² is negative, or as :func:`funnel_proportion_limits`.

    References:
        Spiegelhalter DJ (2005) Stat Med 24:1185-1202, section 3.3.

    Examples:
        >>> lo, hi = overdispersed_proportion_limits(0.5, [100], 0.95, 0.0)
        >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
        (0.402, 0.598)
    """
    if not tau2 >= 0:
        raise ValueError("tau2 must be non-negative")
    lo, hi = funnel_proportion_limits(target, denominators, confidence)
    if tau2 == 0:
        return lo, hi
    z = z_value(confidence)
    lower = target - np.sqrt((target - lo) ** 2 + z**2 * tau2)
    upper = target + np.sqrt((hi - target) ** 2 + z**2 * tau2)
    return np.asarray(np.clip(lower, 0.0, 1.0)), np.asarray(np.clip(upper, 0.0, 1.0))


def overdispersed_outliers(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    target: float,
    tau2: float,
    confidence: float = 0.998,
) -> npt.NDArray[np.int8]:
    """Where each x/n lies against the overdispersed limits: −1 below, +1 above, 0 within.

    Missing values (NaN) give 0; use the caller's own "not compared" for them.

    Args:
        numerator: Counts x.
        denominator: Denominators n.
        target: p0.
        tau2: τ² (0 gives the plain funnel).
        confidence: 0.998 (default) or 0.95.

    Returns:
        An int8 array of −1, 0 or +1.

    Examples:
        >>> overdispersed_outliers([10, 50, 90], [100] * 3, 0.5, 0.0).tolist()
        [-1, 0, 1]
    """
    x, n = np.broadcast_arrays(_floats(numerator), _floats(denominator))
    ok = ~(np.isnan(x) | np.isnan(n)) & (n > 0)
    out = np.zeros(x.shape, dtype=np.int8)
    lo, hi = overdispersed_proportion_limits(target, n[ok], confidence, tau2)
    p = x[ok] / n[ok]
    out[ok] = np.where(p > hi, 1, np.where(p < lo, -1, 0))
    return out
