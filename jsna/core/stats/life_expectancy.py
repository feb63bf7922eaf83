"""Life expectancy from an abridged life table (Chiang II) with Silcocks intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jsna.core.stats._base import Z95, Z998, _floats, _frame

LE_AGE_STARTS: Final[tuple[int, ...]] = (0, 1, *range(5, 95, 5))
"""Start ages of the 20 life-table bands: 0, 1-4, 5-9, …, 85-89, 90+."""

LE_MIN_POPULATION: Final[int] = 5000
LE_MAX_HALF_WIDTH: Final[float] = 10.0


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
