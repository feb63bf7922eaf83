"""Intervals for a proportion (Wilson) and a count (Byar's, exact Poisson)."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import special

from jsna.core.stats._base import (
    FloatArray,
    ObjectArray,
    _alpha,
    _floats,
    _non_negative,
    _positive,
    z_value,
)

EXACT_BELOW: Final[int] = 10


def wilson_ci(
    count: npt.ArrayLike, denominator: npt.ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a proportion.

    Args:
        count: Numerators x (non-negative; need not be integers).
        denominator: Denominators n (positive, x ≤ n).
        confidence: Confidence level, e.g. 0.95 or 0.998.

    Returns:
        Lower and upper limits as proportions between 0 and 1 (NaN where an input is NaN).

    Raises:
        ValueError: If a count is negative, a denominator is not positive, a count exceeds
            its denominator, or ``confidence`` is out of range.

    References:
        Wilson EB (1927) J Am Stat Assoc 22:209–212; Newcombe RG & Altman DG (2000),
        in Statistics with Confidence, 2nd edn, pp. 46–48.

    Examples:
        >>> lo, hi = wilson_ci(65, 100)
        >>> round(float(lo), 6), round(float(hi), 6)
        (0.552544, 0.736358)
    """
    x, n = np.broadcast_arrays(_floats(count), _floats(denominator))
    _non_negative(x, "count")
    _positive(n, "denominator")
    if np.any(x > n):
        raise ValueError("count must be <= denominator")
    z = z_value(confidence)
    centre = 2 * x + z**2
    half = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    scale = 2 * (n + z**2)
    lower = np.clip((centre - half) / scale, 0.0, 1.0)
    upper = np.clip((centre + half) / scale, 0.0, 1.0)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def _byars_lower(o: FloatArray, z: float) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    return np.where(lower < 0, np.nan, lower)


def _byars_upper(o: FloatArray, z: float) -> FloatArray:
    o1 = o + 1
    result: FloatArray = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    return result


def byars_ci(count: npt.ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the Poisson interval for a count.

    Args:
        count: Observed counts O (non-negative).
        confidence: Confidence level, e.g. 0.95 or 0.998.

    Returns:
        Lower and upper limits on the count. The lower limit is NaN where the formula goes
        negative (small O at high confidence) and for O = 0.

    Raises:
        ValueError: If a count is negative or ``confidence`` is out of range.

    References:
        Breslow NE & Day NE (1987) Statistical Methods in Cancer Research, vol. II, IARC,
        p. 69; PHEindicatormethods ``byars_lower`` / ``byars_upper``.

    Examples:
        >>> lo, hi = byars_ci(65)
        >>> round(float(lo), 6), round(float(hi), 6)
        (50.163188, 82.849139)
    """
    o = _floats(count)
    _non_negative(o, "count")
    z = z_value(confidence)
    return _byars_lower(o, z), np.asarray(_byars_upper(o, z), dtype=np.float64)


def exact_poisson_ci(
    count: npt.ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Exact (chi-square based) Poisson interval for a count.

    L = χ²_{α/2}(2O)/2 (0 when O = 0) and U = χ²_{1−α/2}(2O + 2)/2.

    Args:
        count: Observed counts O (non-negative).
        confidence: Confidence level, e.g. 0.95 or 0.998.

    Returns:
        Lower and upper limits on the count.

    Raises:
        ValueError: If a count is negative or ``confidence`` is out of range.

    References:
        Garwood F (1936) Biometrika 28:437–442; PHEindicatormethods R/utils.R.

    Examples:
        >>> lo, hi = exact_poisson_ci(0)
        >>> float(lo), round(float(hi), 6)
        (0.0, 3.688879)
    """
    o = _floats(count)
    _non_negative(o, "count")
    alpha = _alpha(confidence)
    with np.errstate(invalid="ignore"):
        # χ²_p(2k)/2 is the inverse regularised lower gamma function P⁻¹(k, p).
        lower = np.where(o == 0, 0.0, special.gammaincinv(np.where(o == 0, 1.0, o), alpha))
    upper = special.gammaincinv(o + 1, 1 - alpha)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def poisson_ci(
    count: npt.ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, ObjectArray]:
    """Poisson interval for a count: exact when O < 10, Byar's otherwise.

    Args:
        count: Observed counts O (non-negative).
        confidence: Confidence level, e.g. 0.95 or 0.998.

    Returns:
        Lower limits, upper limits and the method used per element ("Exact" or "Byars";
        None where the count is NaN).

    Raises:
        ValueError: If a count is negative or ``confidence`` is out of range.

    References:
        PHEindicatormethods ``phe_rate`` / ``calculate_ISRatio`` (R/Rates.R, R/ISRatio.R);
        Breslow & Day (1987).

    Examples:
        >>> poisson_ci([9, 10])[2].tolist()
        ['Exact', 'Byars']
    """
    o = _floats(count)
    ex_lo, ex_hi = exact_poisson_ci(o, confidence)
    by_lo, by_hi = byars_ci(o, confidence)
    small = o < EXACT_BELOW
    method = np.where(small, "Exact", "Byars").astype(object)
    method[np.isnan(o)] = None
    return np.where(small, ex_lo, by_lo), np.where(small, ex_hi, by_hi), method
