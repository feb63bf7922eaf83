"""Empirical-Bayes smoothing of small-area rates, ratios and proportions.

Ward and LSOA figures from small counts jump about: one death more or less moves a ward's
ratio by a tenth. Smoothing pulls each area towards the average of all the areas by as much as
its own count is too small to tell it apart, and no further: an area with a large count keeps
close to its own figure, one with a handful moves most of the way to the average.

- Counts against an expected count or a population (rates and ratios): the Poisson-Gamma
  model of Clayton & Kaldor (1987, Biometrics 43:671), with Marshall's (1991, Applied
  Statistics 40:283) moment estimates of the Gamma prior's mean ``b`` and variance ``a``:
  ``b = ΣO / ΣE``, ``s² = Σ E_i (r_i − b)² / ΣE`` and ``a = s² − b / Ē`` (``Ē`` the mean of
  ``E_i``), truncated at 0. Area i's posterior is Gamma(shape ``b²/a + O_i``, rate
  ``b/a + E_i``); its mean is Marshall's shrinkage estimate ``b + C_i (r_i − b)`` with
  ``C_i = a / (a + b / E_i)``.
- Proportions (``y_i`` of ``n_i``): the beta-binomial analogue, with the same moment estimates
  (``p = Σy / Σn``, ``s² = Σ n_i (p_i − p)² / Σn``, ``a = s² − p(1 − p) / n̄``); the Beta
  prior has mean ``p`` and variance ``a``, and area i's posterior is Beta(``α + y_i``,
  ``β + n_i − y_i``).

With no variation between areas beyond chance (``a = 0``) every area shrinks to the overall
rate, which is what the data then support. Each result carries the smoothed value, its 95%
credible interval (equal-tailed posterior quantiles) and the posterior probability that the
area's true value is higher than a benchmark (England). Only ``scipy.special`` is used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from jsna.core.stats._base import FloatArray, _floats, _non_negative

SMOOTHED_COLUMNS = ("smoothed_value", "smoothed_lower95", "smoothed_upper95", "p_higher")
"""Columns of the frames the smoothing functions return (one row per area)."""


def _between_variance(rates: FloatArray, weights: FloatArray, mean: float, within: float) -> float:
    """Marshall's moment estimate of the variance between areas, truncated at 0."""
    s2 = float(np.sum(weights * (rates - mean) ** 2) / np.sum(weights))
    return max(s2 - within, 0.0)


def _frame(value: FloatArray, lower: FloatArray, upper: FloatArray, p: FloatArray) -> pd.DataFrame:
    return pd.DataFrame(dict(zip(SMOOTHED_COLUMNS, (value, lower, upper, p), strict=True)))


def smooth_poisson(
    observed: Any, expected: Any, benchmark: float, multiplier: float = 1.0
) -> pd.DataFrame:
    """Poisson-Gamma smoothed rates (``observed / expected × multiplier``), one row per area.

    ``expected`` is the expected count for a ratio (and ``multiplier`` 100 gives an SMR) or the
    population for a rate (``multiplier`` 1,000 gives a rate per 1,000). ``benchmark`` is on
    the same scale as the result (e.g. 100 for England's SMR). Areas with NaN inputs get NaN
    and take no part in the estimates.
    """
    o, e = _floats(observed), _floats(expected)
    _non_negative(o, "observed")
    ok = ~(np.isnan(o) | np.isnan(e)) & (e > 0)
    out = [np.full(o.shape, np.nan) for _ in SMOOTHED_COLUMNS]
    if not ok.any():
        return _frame(*out)
    oo, ee = o[ok], e[ok]
    b = float(oo.sum() / ee.sum())
    a = _between_variance(oo / ee, ee, b, b / float(ee.mean()))
    theta = benchmark / multiplier
    if a == 0.0:  # no variation beyond chance: the prior is a point at b
        value = np.full(oo.shape, b)
        lower, upper = value, value
        p = np.where(b > theta, 1.0, 0.0)
    else:
        shape, rate = b * b / a + oo, b / a + ee
        value = shape / rate
        lower = special.gammaincinv(shape, 0.025) / rate
        upper = special.gammaincinv(shape, 0.975) / rate
        p = special.gammaincc(shape, rate * theta)  # P(Gamma(shape, rate) > theta)
    for col, v in zip(
        out, (value * multiplier, lower * multiplier, upper * multiplier, p), strict=True
    ):
        col[ok] = v
    return _frame(*out)


def smooth_proportion(
    numerator: Any, denominator: Any, benchmark: float, multiplier: float = 100.0
) -> pd.DataFrame:
    """Beta-binomial smoothed proportions (``numerator / denominator × multiplier``), per area.

    ``benchmark`` is on the result's scale (a percentage with the default ``multiplier``).
    """
    y, n = _floats(numerator), _floats(denominator)
    _non_negative(y, "numerator")
    ok = ~(np.isnan(y) | np.isnan(n)) & (n > 0)
    if np.any(y[ok] > n[ok]):
        raise ValueError("numerator must not exceed denominator")
    out = [np.full(y.shape, np.nan) for _ in SMOOTHED_COLUMNS]
    if not ok.any():
        return _frame(*out)
    yy, nn = y[ok], n[ok]
    p = float(yy.sum() / nn.sum())
    a = _between_variance(yy / nn, nn, p, p * (1 - p) / float(nn.mean()))
    theta = benchmark / multiplier
    if a == 0.0 or p in (0.0, 1.0):
        value = np.full(yy.shape, p)
        lower, upper = value, value
        prob = np.where(p > theta, 1.0, 0.0)
    else:
        total = p * (1 - p) / a - 1  # α + β of the prior; > 0, as a < s² ≤ p(1 − p)
        alpha, beta = p * total + yy, (1 - p) * total + nn - yy
        value = alpha / (alpha + beta)
        lower = special.betaincinv(alpha, beta, 0.025)
        upper = special.betaincinv(alpha, beta, 0.975)
        prob = 1.0 - special.betainc(alpha, beta, theta)
    for col, v in zip(
        out, (value * multiplier, lower * multiplier, upper * multiplier, prob), strict=True
    ):
        col[ok] = v
    return _frame(*out)
