"""Public-health statistics: values, confidence intervals and benchmark comparisons.

A vectorised Python restatement of the Fingertips / PHEindicatormethods methods set out in
``docs/METHODS.md``: Wilson intervals for proportions, Byar's and exact Poisson intervals for
counts and rates, indirectly standardised ratios, Dobson directly standardised rates, Chiang II
life expectancy with Silcocks variance, the "compared with England" rule and funnel-plot
control limits.

Every function is pure: it takes numbers, numpy arrays or pandas Series and returns numpy
arrays or a pandas DataFrame. Inputs are validated first (``ValueError`` with a specific
message); NaN inputs are allowed and give NaN outputs, because the build passes NaN for
suppressed or missing values. Array-returning functions keep the broadcast shape of their
inputs (a scalar gives 0-d arrays, so ``float(lo)`` works); frame-returning functions give one
row per element (or per area).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special
from scipy.stats import chi2, norm

__all__ = [
    "CONFIDENCE_LABEL",
    "ESP2013",
    "LE_AGE_STARTS",
    "RESULT_COLUMNS",
    "Z95",
    "Z998",
    "Comparison",
    "Polarity",
    "byars_ci",
    "compare_to_benchmark",
    "crude_rate",
    "directly_standardised_rate",
    "exact_poisson_ci",
    "expected_count",
    "funnel_proportion_limits",
    "funnel_rate_limits",
    "funnel_ratio_limits",
    "funnel_significance",
    "indirectly_standardised_ratio",
    "life_expectancy",
    "poisson_ci",
    "proportion",
    "wilson_ci",
    "z_value",
]

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

Z95: Final[float] = float(norm.ppf(0.975))
"""Two-sided 95% normal quantile, 1.959964…"""
Z998: Final[float] = float(norm.ppf(0.999))
"""Two-sided 99.8% normal quantile, 3.090232…"""

CONFIDENCE_LABEL: Final[str] = "95%, 99.8%"
"""The ``confidence`` label of every result frame (PHEindicatormethods style)."""

RESULT_COLUMNS: Final[tuple[str, ...]] = (
    "value",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
    "method",
    "confidence",
    "note",
)
"""Columns of the frames returned by the value-and-interval functions."""

ESP2013: Final[FloatArray] = np.array(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    dtype=np.float64,
)  # fmt: skip
"""European Standard Population 2013, 19 bands 0-4, 5-9, …, 85-89, 90+ (sums to 100,000)."""
ESP2013.flags.writeable = False

LE_AGE_STARTS: Final[tuple[int, ...]] = (0, 1, *range(5, 95, 5))
"""Start ages of the 20 life-table bands: 0, 1-4, 5-9, …, 85-89, 90+."""

DSR_MIN_COUNT: Final[int] = 10
EXACT_BELOW: Final[int] = 10
LE_MIN_POPULATION: Final[int] = 5000
LE_MAX_HALF_WIDTH: Final[float] = 10.0

FUNNEL_HIGH_0001: Final[str] = "High (0.001)"
FUNNEL_HIGH_0025: Final[str] = "High (0.025)"
FUNNEL_LOW_0025: Final[str] = "Low (0.025)"
FUNNEL_LOW_0001: Final[str] = "Low (0.001)"
FUNNEL_NOT_SIGNIFICANT: Final[str] = "Not significant"
FUNNEL_DSR_TOO_FEW: Final[str] = "Not applicable for events less than 10 for dsrs"
FUNNEL_MISSING: Final[str] = "Not applicable (missing value)"


class Polarity(StrEnum):
    """Whether a higher value is better, worse, or neither (Fingertips RAG / BOB)."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    NO_JUDGEMENT = "no_judgement"


class Comparison(StrEnum):
    """Outcome of comparing an area with a benchmark (Fingertips methods 1 and 17)."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    BEST = "best"
    WORST = "worst"
    LOWER = "lower"
    HIGHER = "higher"
    LOWEST = "lowest"
    HIGHEST = "highest"
    NOT_COMPARED = "not compared"


# --------------------------------------------------------------------------- helpers
def _floats(x: Any) -> FloatArray:
    """Return ``x`` as a float array (NaN for missing), keeping its shape (0-d for a scalar)."""
    if isinstance(x, pd.DataFrame | pd.Series | pd.Index):
        x = x.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(x, dtype=np.float64)


def _non_negative(x: FloatArray, name: str) -> None:
    if np.any(x < 0):
        raise ValueError(f"{name} must be non-negative")


def _positive(x: FloatArray, name: str) -> None:
    if np.any(x <= 0):
        raise ValueError(f"{name} must be positive")


def _alpha(confidence: float) -> float:
    """Return the one-sided tail probability (1 - confidence) / 2, validating confidence."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be strictly between 0 and 1, e.g. 0.95")
    return (1.0 - confidence) / 2.0


def _frame(
    value: FloatArray,
    limits: dict[str, FloatArray],
    method: Any,
    note: Any,
) -> pd.DataFrame:
    n = len(value)
    return pd.DataFrame(
        {
            "value": value,
            **limits,
            "method": np.broadcast_to(np.asarray(method, dtype=object), (n,)).copy(),
            "confidence": CONFIDENCE_LABEL,
            "note": np.broadcast_to(np.asarray(note, dtype=object), (n,)).copy(),
        },
        columns=list(RESULT_COLUMNS),
    )


def _missing_note(*arrays: FloatArray, what: str) -> ObjectArray:
    missing = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays)), dtype=bool)
    for a in arrays:
        missing |= np.isnan(a)
    return np.where(missing, f"missing {what}", "").astype(object)


# --------------------------------------------------------------------------- intervals
def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level.

    Args:
        confidence: Confidence level, strictly between 0 and 1 (0.95, 0.998).

    Returns:
        z = Φ⁻¹(1 − α/2), e.g. 1.959964 for 0.95 and 3.090232 for 0.998.

    Raises:
        ValueError: If ``confidence`` is not strictly between 0 and 1.

    References:
        PHEindicatormethods (UKHSA), R/utils.R.

    Examples:
        >>> round(z_value(0.95), 6)
        1.959964
    """
    return float(norm.ppf(1.0 - _alpha(confidence)))


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
        lower = np.where(o == 0, 0.0, chi2.ppf(alpha, 2 * np.where(o == 0, 1.0, o)) / 2)
    upper = chi2.ppf(1 - alpha, 2 * o + 2) / 2
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


# --------------------------------------------------------------------------- indicators
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
    lo95, hi95, method = poisson_ci(o, 0.95)
    lo998, hi998, _ = poisson_ci(o, 0.998)
    scale = multiplier / n
    limits = {
        "lower_ci95": lo95 * scale,
        "upper_ci95": hi95 * scale,
        "lower_ci998": lo998 * scale,
        "upper_ci998": hi998 * scale,
    }
    note = _missing_note(o, n, what="count or denominator")
    return _frame(o * scale, limits, method, note)


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
    lo95, hi95, method = poisson_ci(o, 0.95)
    lo998, hi998, _ = poisson_ci(o, 0.998)
    scale = refvalue / e
    limits = {
        "lower_ci95": lo95 * scale,
        "upper_ci95": hi95 * scale,
        "lower_ci998": lo998 * scale,
        "upper_ci998": hi998 * scale,
    }
    note = _missing_note(o, e, what="observed or expected count")
    return _frame(o * scale, limits, method, note)


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


def life_expectancy(
    deaths: npt.ArrayLike,
    pops: npt.ArrayLike,
    age_start: int | Sequence[int] | None = 0,
) -> pd.DataFrame:
    """Life expectancy from an abridged life table (Chiang II) with Silcocks intervals.

    Bands are 0, 1-4, 5-9, …, 85-89, 90+ (20). aᵢ = 0.1 at age 0 else 0.5; the 90+ band
    is open (n = 2/M). Results are NaN, with a ``note``, when any population is ≤ 0, any
    deaths are negative or exceed the population, the total population is ≤ 5,000, there
    are no deaths at 90+, an input is NaN, or the 95% interval is wider than 20 years.

    Args:
        deaths: Deaths per band: 1-D (20) or 2-D (areas × 20).
        pops: Populations (person-years) per band, same shape.
        age_start: Start age(s) to report (from :data:`LE_AGE_STARTS`); None for all 20.

    Returns:
        DataFrame with ``area`` (row index of the input), ``age_start`` and the standard
        result columns; ``method`` is "Chiang II; Silcocks".

    Raises:
        ValueError: If the inputs are not 20 bands of the same shape or ``age_start`` is
            not a band start.

    References:
        Chiang CL (1968) Introduction to Stochastic Processes in Biostatistics, Wiley;
        Silcocks PBS, Jenner DA & Reza R (2001) J Epidemiol Community Health 55:38–43;
        Eayres D & Williams ES (2004) J Epidemiol Community Health 58:243–249;
        PHEindicatormethods ``phe_life_expectancy`` (R/LifeExpectancy.R).

    Examples:
        >>> d = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
        ...      1605, 1936, 1937]
        >>> p = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
        ...      56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
        >>> round(float(life_expectancy(d, p)["value"][0]), 4)
        80.1696
    """
    d, p = np.atleast_2d(_floats(deaths)), np.atleast_2d(_floats(pops))
    bands = len(LE_AGE_STARTS)
    if d.ndim != 2 or d.shape != p.shape or d.shape[1] != bands:
        raise ValueError("deaths and pops must have 20 age bands (0, 1-4, 5-9, ..., 90+)")
    if age_start is None:
        starts = list(LE_AGE_STARTS)
    else:
        starts = [age_start] if isinstance(age_start, int) else list(age_start)
    bad = [a for a in starts if a not in LE_AGE_STARTS]
    if bad:
        raise ValueError(f"age_start must be one of {LE_AGE_STARTS}, not {bad[0]}")

    # Reasons to suppress a whole area, first reason wins.
    reasons: list[tuple[Any, str]] = [
        (np.isnan(d).any(axis=1) | np.isnan(p).any(axis=1), "missing deaths or population"),
        ((p <= 0).any(axis=1), "an age band has zero or negative population"),
        ((d < 0).any(axis=1), "an age band has negative deaths"),
        ((d > p).any(axis=1), "an age band has more deaths than population"),
        (p.sum(axis=1) <= LE_MIN_POPULATION, "total population 5,000 or fewer"),
        (d[:, -1] <= 0, "no deaths in the 90+ band"),
    ]
    note = np.full(d.shape[0], "", dtype=object)
    for mask, why in reversed(reasons):
        note[mask] = why
    invalid = note != ""
    d = np.where(invalid[:, None], np.nan, d)
    p = np.where(invalid[:, None], np.nan, p)

    a = np.full(bands, 0.5)
    a[0] = 0.1
    m = d / p
    with np.errstate(divide="ignore", invalid="ignore"):
        width = np.empty_like(m)
        width[:, :-1] = np.diff(np.asarray(LE_AGE_STARTS, dtype=np.float64))
        width[:, -1] = 2 / m[:, -1]
        q = width * m / (1 + width * m * (1 - a))
        q = np.where(d > p / width / a, 1.0, q)
        q[:, -1] = 1.0
        survivors = np.ones_like(q)
        survivors[:, 1:] = np.cumprod(1 - q[:, :-1], axis=1)
        lx = 1e5 * survivors
        l_next = np.zeros_like(lx)
        l_next[:, :-1] = lx[:, 1:]
        dx = lx - l_next
        big_l = width * (l_next + a * dx)
        big_l[:, -1] = lx[:, -1] / m[:, -1]
        tx = np.cumsum(big_l[:, ::-1], axis=1)[:, ::-1]
        ex = np.where(lx == 0, 0.0, tx / lx)
        s2 = np.where(dx == 0, 0.0, q**2 * (1 - q) / d)
        s2[:, -1] = 4 / (d[:, -1] * m[:, -1] ** 2)
        e_next = np.zeros_like(ex)
        e_next[:, :-1] = ex[:, 1:]
        w = s2 * lx**2 * ((1 - a) * width + e_next) ** 2
        w[:, -1] = (lx[:, -1] / 2) ** 2 * s2[:, -1]
        se = np.sqrt(np.cumsum(w[:, ::-1], axis=1)[:, ::-1] / lx**2)
    ex = np.where(np.isfinite(ex), ex, np.nan)

    cols = [LE_AGE_STARTS.index(s) for s in starts]
    n_areas = d.shape[0]
    value = ex[:, cols].ravel()
    se_sel = se[:, cols].ravel()
    row_note = np.repeat(note, len(cols))
    wide = Z95 * se_sel > LE_MAX_HALF_WIDTH
    row_note = np.where(
        (row_note == "") & wide, "95% confidence interval wider than 20 years", row_note
    ).astype(object)
    keep = ~wide
    limits = {
        "lower_ci95": np.where(keep, value - Z95 * se_sel, np.nan),
        "upper_ci95": np.where(keep, value + Z95 * se_sel, np.nan),
        "lower_ci998": np.where(keep, value - Z998 * se_sel, np.nan),
        "upper_ci998": np.where(keep, value + Z998 * se_sel, np.nan),
    }
    out = _frame(np.where(keep, value, np.nan), limits, "Chiang II; Silcocks", row_note)
    out.insert(0, "age_start", np.tile(np.asarray(starts, dtype=np.int64), n_areas))
    out.insert(0, "area", np.repeat(np.arange(n_areas), len(cols)))
    return out


# --------------------------------------------------------------------------- benchmarking
def _polarities(polarity: Any, shape: tuple[int, ...]) -> ObjectArray:
    raw = np.broadcast_to(np.asarray(polarity, dtype=object), shape)
    out = np.empty(shape, dtype=object)
    for idx, item in np.ndenumerate(raw):
        try:
            out[idx] = Polarity(item)
        except ValueError:
            raise ValueError(f"unknown polarity: {item!r}") from None
    return out


def compare_to_benchmark(
    value: npt.ArrayLike,
    lower95: npt.ArrayLike,
    upper95: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    polarity: Polarity | str | npt.ArrayLike,
    lower998: npt.ArrayLike | None = None,
    upper998: npt.ArrayLike | None = None,
) -> tuple[ObjectArray, ObjectArray]:
    """Compare each area with a benchmark point value (Fingertips methods 1 and 17).

    The benchmark B is treated as fixed. B inside [L95, U95] (inclusive) is SIMILAR.
    Otherwise the area differs at 95%; if 99.8% limits are given and B is also outside
    [L99.8, U99.8] it differs at 99.8% (BEST/WORST, or LOWEST/HIGHEST with no judgement),
    else BETTER/WORSE (LOWER/HIGHER). The direction comes from which side of B the interval
    lies.

    Args:
        value: Area values (only checked for presence).
        lower95: Lower 95% limits.
        upper95: Upper 95% limits.
        benchmark: Benchmark (e.g. England) values.
        polarity: A :class:`Polarity` (or its string value), or an array of them.
        lower998: Optional lower 99.8% limits.
        upper998: Optional upper 99.8% limits.

    Returns:
        Comparison labels (:class:`Comparison` members) and reasons: "" when compared, else
        "no value", "no benchmark value" or "no confidence interval".

    Raises:
        ValueError: If a polarity is unknown, only one 99.8% limit array is given, or a
            lower limit exceeds its upper limit.

    References:
        OHID Fingertips (fingertips-open ``PholioVisualisationWS/Analysis``, comparator
        methods 1 and 17; FingertipsNext ``BenchmarkComparisonEngine``); Public Health
        England (2018) Technical Guide: Confidence Intervals.

    Examples:
        >>> compare_to_benchmark([12], [10], [14], [15], Polarity.HIGH_IS_GOOD)[0].tolist()
        [<Comparison.WORSE: 'worse'>]
    """
    if (lower998 is None) != (upper998 is None):
        raise ValueError("give both lower998 and upper998, or neither")
    arrays = [_floats(x) for x in (value, lower95, upper95, benchmark)]
    if lower998 is not None and upper998 is not None:
        arrays += [_floats(lower998), _floats(upper998)]
    shape = np.broadcast_shapes(*(a.shape for a in arrays), np.shape(polarity))
    v, lo, hi, b, *strong = (np.broadcast_to(a, shape) for a in arrays)
    if np.any(lo > hi) or (strong and np.any(strong[0] > strong[1])):
        raise ValueError("lower confidence limit must be <= upper confidence limit")
    pol = _polarities(polarity, shape)

    below = hi < b
    above = lo > b
    if strong:
        below_998 = strong[1] < b
        above_998 = strong[0] > b
    else:
        below_998 = above_998 = np.zeros(shape, dtype=bool)

    labels = np.full(shape, Comparison.SIMILAR, dtype=object)
    table = {
        Polarity.HIGH_IS_GOOD: (Comparison.WORSE, Comparison.WORST, Comparison.BETTER,
                                Comparison.BEST),
        Polarity.LOW_IS_GOOD: (Comparison.BETTER, Comparison.BEST, Comparison.WORSE,
                               Comparison.WORST),
        Polarity.NO_JUDGEMENT: (Comparison.LOWER, Comparison.LOWEST, Comparison.HIGHER,
                                Comparison.HIGHEST),
    }  # fmt: skip
    for pol_value, (low, lowest, high, highest) in table.items():
        this = pol == pol_value
        labels[this & below] = low
        labels[this & below & below_998] = lowest
        labels[this & above] = high
        labels[this & above & above_998] = highest

    reasons = np.full(shape, "", dtype=object)
    for missing, why in (
        (np.isnan(lo) | np.isnan(hi), "no confidence interval"),
        (np.isnan(b), "no benchmark value"),
        (np.isnan(v), "no value"),
    ):
        reasons[missing] = why
    labels[reasons != ""] = Comparison.NOT_COMPARED
    return labels, reasons


# --------------------------------------------------------------------------- funnels
def _sigma_adjustment(
    p: float, population: FloatArray, average: FloatArray
) -> tuple[FloatArray, FloatArray]:
    z2 = norm.ppf(p) ** 2
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
