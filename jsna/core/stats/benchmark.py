"""Polarity, comparison labels and the "compared with England" rule (Fingertips methods 1, 17)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from jsna.core.stats._base import ObjectArray, _floats


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
