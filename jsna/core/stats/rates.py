"""Indicator values with 95% and 99.8% intervals: proportions, crude rates, ISRs and DSRs."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jsna.core.stats._base import (
    FloatArray,
    ObjectArray,
    _floats,
    _frame,
    _missing_note,
    _non_negative,
    _positive,
)
from jsna.core.stats.intervals import byars_ci, poisson_ci, wilson_ci

ESP2013: Final[FloatArray] = np.array(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    dtype=np.float64,
)  # fmt: skip
"""European Standard Population 2013, 19 bands 0-4, 5-9, …, 85-89, 90+ (sums to 100,000)."""
ESP2013.flags.writeable = False


DSR_MIN_COUNT: Final[int] = 10


def _scaled_count(o: FloatArray, scale: FloatArray, note: ObjectArray) -> pd.DataFrame:
    """A count times `scale`, with the count's Poisson limits (exact below 10, else Byar's)."""
    lo95, hi95, method = poisson_ci(o, 0.95)
    lo998, hi998, _ = poisson_ci(o, 0.998)
    limits = {
        "lower_ci95": lo95 * scale,
        "upper_ci95": hi95 * scale,
        "lower_ci998": lo998 * scale,
        "upper_ci998": hi998 * scale,
    }
    return _frame(o * scale, limits, method, note)


def proportion(
    count: npt.ArrayLike, denominator: npt.ArrayLike, multiplier: float = 100.0
) -> pd.DataFrame:
    """Proportion with Wilson score intervals at 95% and 99.8%.

    Args:
        count: Numerators x.
        denominator: Denominators n (x ≤ n).
        multiplier: 1 for a proportion, 100 for a percentage.

    Returns:
        DataFrame with columns ``value``, ``lower_ci95``, ``upper_ci95``, ``lower_ci998``,
        ``upper_ci998``, ``method`` ("Wilson"), ``confidence`` and ``note``.

    Raises:
        ValueError: If a count is negative, a denominator is not positive or a count
            exceeds its denominator.

    References:
        Wilson (1927); Newcombe & Altman (2000); PHEindicatormethods ``phe_proportion``.

    Examples:
        >>> round(float(proportion([20], [100])["upper_ci95"][0]), 4)
        28.8829
    """
    x, n = np.broadcast_arrays(np.atleast_1d(_floats(count)), _floats(denominator))
    lo95, hi95 = wilson_ci(x, n, 0.95)
    lo998, hi998 = wilson_ci(x, n, 0.998)
    limits = {
        "lower_ci95": lo95 * multiplier,
        "upper_ci95": hi95 * multiplier,
        "lower_ci998": lo998 * multiplier,
        "upper_ci998": hi998 * multiplier,
    }
    note = _missing_note(x, n, what="count or denominator")
    return _frame(x / n * multiplier, limits, "Wilson", note)


def crude_rate(
    count: npt.ArrayLike, denominator: npt.ArrayLike, multiplier: float = 100_000.0
) -> pd.DataFrame:
    """Crude rate with exact (O < 10) or Byar's Poisson intervals at 95% and 99.8%.

    Args:
        count: Event counts O (may exceed the denominator).
        denominator: Populations or person-years (positive).
        multiplier: Rate per this many, default 100,000.

    Returns:
        DataFrame with the standard result columns; ``method`` is "Exact" or "Byars" per row.

    Raises:
        ValueError: If a count is negative or a denominator is not positive.

    References:
        PHEindicatormethods ``phe_rate`` (R/Rates.R); Breslow & Day (1987).

    Examples:
        >>> crude_rate([1, 20], [100, 100], 100)["method"].tolist()
        ['Exact', 'Byars']
    """
    o, n = np.broadcast_arrays(np.atleast_1d(_floats(count)), _floats(denominator))
    _non_negative(o, "count")
    _positive(n, "denominator")
    return _scaled_count(o, multiplier / n, _missing_note(o, n, what="count or denominator"))


def indirectly_standardised_ratio(
    observed: npt.ArrayLike, expected: npt.ArrayLike, refvalue: float = 100.0
) -> pd.DataFrame:
    """Indirectly standardised ratio (e.g. SMR) O/E × refvalue with Poisson intervals.

    Limits are exact (O < 10) or Byar's limits on O, divided by E. Passing
    ``refvalue = Σx_ref/Σn_ref × multiplier`` gives the indirectly standardised rate.

    Args:
        observed: Observed counts O.
        expected: Expected counts E (positive), e.g. from :func:`expected_count`.
        refvalue: 100 for a ratio × 100, 1 for a plain ratio.

    Returns:
        DataFrame with the standard result columns; ``method`` is "Exact" or "Byars" per row.

    Raises:
        ValueError: If an observed count is negative or an expected count is not positive.

    References:
        Breslow & Day (1987); PHEindicatormethods ``calculate_ISRatio`` / ``calculate_ISRate``.

    Examples:
        >>> round(float(indirectly_standardised_ratio([50], [40])["value"][0]), 1)
        125.0
    """
    o, e = np.broadcast_arrays(np.atleast_1d(_floats(observed)), _floats(expected))
    _non_negative(o, "observed")
    _positive(e, "expected")
    return _scaled_count(o, refvalue / e, _missing_note(o, e, what="observed or expected count"))


def expected_count(
    ref_count: npt.ArrayLike, ref_pop: npt.ArrayLike, pop: npt.ArrayLike
) -> FloatArray:
    """Expected events from reference age-specific rates: E = Σᵢ (x_ref,i / n_ref,i)·nᵢ.

    Args:
        ref_count: Reference events per band (1-D, length = bands).
        ref_pop: Reference population per band (1-D, positive).
        pop: Local population per band: 1-D (one area) or 2-D (areas × bands).

    Returns:
        Expected counts, one per area (a 1-element array for 1-D ``pop``). NaN in a band
        gives NaN.

    Raises:
        ValueError: If shapes disagree, a reference count or population is negative, or a
            reference population is not positive.

    References:
        Breslow & Day (1987); PHEindicatormethods ``calculate_ISRatio`` (R/ISRatio.R).

    Examples:
        >>> expected_count([10, 20], [1000, 1000], [100, 50]).tolist()
        [2.0]
    """
    x_ref, n_ref, n = _floats(ref_count), _floats(ref_pop), _floats(pop)
    if x_ref.ndim != 1 or x_ref.shape != n_ref.shape:
        raise ValueError("ref_count and ref_pop must be 1-D arrays of the same length")
    if n.ndim not in (1, 2) or n.shape[-1] != x_ref.shape[0]:
        raise ValueError("pop must have one column per reference band")
    _non_negative(x_ref, "ref_count")
    _positive(n_ref, "ref_pop")
    _non_negative(n, "pop")
    result: FloatArray = np.atleast_1d(np.sum(np.atleast_2d(n) * (x_ref / n_ref), axis=-1))
    return result


def directly_standardised_rate(
    counts: npt.ArrayLike,
    pops: npt.ArrayLike,
    standard: npt.ArrayLike = ESP2013,
    multiplier: float = 100_000.0,
) -> pd.DataFrame:
    """Directly standardised rate with Dobson intervals based on Byar's limits.

    DSR = Σ(xᵢwᵢ/nᵢ)/Σwᵢ; var = Σ xᵢ(wᵢ/nᵢ)²/(Σwᵢ)²; with O = Σxᵢ the limits are
    DSR + √(var/O)·(Byar's(O) − O). Value and limits are NaN when O < 10.

    Args:
        counts: Events per age band: 1-D (one area) or 2-D (areas × bands).
        pops: Populations, same shape as ``counts`` (positive).
        standard: Standard population weights per band, default ESP2013 (19 bands).
        multiplier: Rate per this many, default 100,000.

    Returns:
        DataFrame with the standard result columns, one row per area; ``method`` is
        "Dobson" and ``note`` says why a value is missing.

    Raises:
        ValueError: If shapes disagree, a count or weight is negative, or a population is
            not positive.

    References:
        Dobson AJ, Kuulasmaa K, Eberle E & Scherer J (1991) Stat Med 10:457–462;
        PHEindicatormethods ``calculate_dsr`` (R/DSR.R).

    Examples:
        >>> df = directly_standardised_rate([5, 10], [1000, 1000], [1, 1], 1000)
        >>> round(float(df["value"][0]), 1)
        7.5
    """
    x, n, w = np.atleast_2d(_floats(counts)), np.atleast_2d(_floats(pops)), _floats(standard)
    if x.ndim != 2 or x.shape != n.shape:
        raise ValueError("counts and pops must have the same shape (areas x bands)")
    if w.ndim != 1 or w.shape[0] != x.shape[1]:
        raise ValueError("standard must have one weight per age band")
    _non_negative(x, "counts")
    _positive(n, "pops")
    _non_negative(w, "standard")
    _positive(np.array([w.sum()]), "standard total")
    total_w = w.sum()
    o = x.sum(axis=1)
    dsr = np.sum(x * w / n, axis=1) / total_w
    var = np.sum(x * (w / n) ** 2, axis=1) / total_w**2
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(var / o)
    limits: dict[str, FloatArray] = {}
    for conf, tag in ((0.95, "95"), (0.998, "998")):
        lo_o, hi_o = byars_ci(o, conf)
        limits[f"lower_ci{tag}"] = (dsr + sd * (lo_o - o)) * multiplier
        limits[f"upper_ci{tag}"] = (dsr + sd * (hi_o - o)) * multiplier
    value = dsr * multiplier
    too_few = o < DSR_MIN_COUNT
    note = np.where(
        np.isnan(o) | np.isnan(n).any(axis=1),
        "missing count or population in an age band",
        np.where(too_few, "dsr NA for total count < 10", ""),
    ).astype(object)
    value = np.where(too_few, np.nan, value)
    limits = {k: np.where(too_few, np.nan, v) for k, v in limits.items()}
    return _frame(value, limits, "Dobson", note)
