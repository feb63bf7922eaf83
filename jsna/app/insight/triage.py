"""Where to act: an area's indicators significantly worse than a benchmark, ranked by excess.

:func:`triage` ranks an area's indicators that are significantly worse than a benchmark
(England by default) by the *excess*: the observed count minus the count the benchmark's
rate would give, E = denominator × benchmark value / multiplier, with an interval from the
count's own confidence limits (Wilson × denominator for proportions, Poisson limits of the
count for rates) minus E. This is the "how many people" reading of an SIR-style comparison:
the benchmark is treated as fixed, exactly as in the "compared with England" test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from jsna.app.insight.common import (
    WORSE,
    multiplier,
    noun,
    round_people,
    rounding_digits,
    sex_suffix,
)
from jsna.app.narrative import format_value
from jsna.core import stats
from jsna.core.stats import Comparison, Polarity

RANKED_COLUMNS: Final[tuple[str, ...]] = (
    "rank",
    "area_code",
    "area_name",
    "indicator_id",
    "indicator_name",
    "period",
    "sex",
    "unit",
    "value_type",
    "polarity",
    "value",
    "benchmark",
    "benchmark_value",
    "comparison",
    "count",
    "denominator",
    "multiplier",
    "expected",
    "excess",
    "excess_lower",
    "excess_upper",
    "gap",
    "gap_lower",
    "gap_upper",
    "direction",
    "interval_method",
    "method",
)
UNSIZED_COLUMNS: Final[tuple[str, ...]] = (
    "area_code",
    "area_name",
    "indicator_id",
    "indicator_name",
    "sex",
    "unit",
    "value_type",
    "value",
    "benchmark",
    "benchmark_value",
    "comparison",
    "is_estimate",
    "reason",
)


@dataclass(frozen=True)
class Triage:
    """Indicators significantly worse than a benchmark, sized where the data allow.

    Attributes:
        ranked: One row per sizeable indicator, largest gap first (columns
            ``RANKED_COLUMNS``). ``excess`` = count − expected (signed); ``gap`` is the excess
            in the "worse" direction (more people where low is good, fewer where high is
            good), with ``gap_lower``/``gap_upper`` its 95% interval.
        unsized: Significantly worse rows with no count to size the gap, with a ``reason``.
    """

    ranked: pd.DataFrame
    unsized: pd.DataFrame


def _unsized_reason(row: pd.Series) -> str:
    if bool(row.get("is_estimate")):
        return "estimate only: no count"
    if pd.isna(row.get("count")) or pd.isna(row.get("denominator")):
        return "no count or denominator published for this area"
    if pd.isna(row.get("benchmark_value")):
        return "no benchmark value"
    if "standardised" in str(row.get("unit")):
        return "age-standardised rate: a crude count cannot be set against it"
    return f"a {row.get('value_type')} cannot be turned into a number of people"


def triage(profile: pd.DataFrame, benchmark: str = "England", confidence: float = 0.95) -> Triage:
    """Rank an area's significantly-worse indicators by the people affected beyond the benchmark.

    Expected E = denominator × benchmark value / multiplier; excess = count − E. Interval:
    proportions, Wilson limits of count/denominator × denominator − E; rates, Poisson limits
    of the count (exact below 10, Byar's above; :func:`jsna.core.stats.poisson_ci`) − E.

    Args:
        profile: Rows of the ``profile`` view for one area (``area_profile``).
        benchmark: Which benchmark's comparisons to use ("England", or the council's name).
        confidence: Confidence level of the excess interval.

    Returns:
        A :class:`Triage` with the ranked (sized) rows and the rows that cannot be sized.

    Examples:
        >>> p = pd.DataFrame({"area_code": ["A"], "area_name": ["A"], "indicator_id": ["x"],
        ...     "indicator_name": ["X"], "sex": ["Persons"], "unit": ["%"],
        ...     "value_type": ["proportion"], "polarity": ["low_is_good"], "value": [12.0],
        ...     "benchmark": ["England"], "benchmark_value": [10.0], "comparison": ["worse"],
        ...     "count": [120.0], "denominator": [1000.0], "is_estimate": [False],
        ...     "method": ["Wilson"]})
        >>> float(triage(p).ranked["excess"].iloc[0])
        20.0
    """
    if profile.empty or "benchmark" not in profile.columns:
        return Triage(
            pd.DataFrame(columns=list(RANKED_COLUMNS)),
            pd.DataFrame(columns=list(UNSIZED_COLUMNS)),
        )
    sig = profile[(profile["benchmark"] == benchmark) & profile["comparison"].isin(WORSE)].copy()
    mult = pd.Series(
        [multiplier(u, t) for u, t in zip(sig["unit"], sig["value_type"], strict=True)],
        index=sig.index,
        dtype="float64",
    )
    sig["multiplier"] = mult
    count = pd.to_numeric(sig["count"], errors="coerce")
    den = pd.to_numeric(sig["denominator"], errors="coerce")
    bval = pd.to_numeric(sig["benchmark_value"], errors="coerce")
    sizeable = (
        count.notna()
        & den.gt(0)
        & bval.notna()
        & mult.notna()
        & ~sig["is_estimate"].fillna(False).astype(bool)
    )
    unsized = sig[~sizeable].copy()
    unsized["reason"] = [_unsized_reason(r) for _, r in unsized.iterrows()]
    df = sig[sizeable].copy()
    x = count[sizeable].to_numpy(dtype=float)
    n = den[sizeable].to_numpy(dtype=float)
    expected = n * bval[sizeable].to_numpy(dtype=float) / mult[sizeable].to_numpy(dtype=float)
    lower = np.full(len(df), np.nan)
    upper = np.full(len(df), np.nan)
    how = np.full(len(df), "", dtype=object)
    is_prop = (df["value_type"] == "proportion").to_numpy()
    if is_prop.any():
        lo, hi = stats.wilson_ci(x[is_prop], n[is_prop], confidence)
        lower[is_prop], upper[is_prop] = lo * n[is_prop], hi * n[is_prop]
        how[is_prop] = "Wilson"
    if (~is_prop).any():
        lo, hi, meth = stats.poisson_ci(x[~is_prop], confidence)
        lower[~is_prop], upper[~is_prop] = np.nan_to_num(lo), hi
        how[~is_prop] = np.asarray([f"Poisson ({m})" for m in meth], dtype=object)
    df["expected"] = expected
    df["excess"] = x - expected
    df["excess_lower"] = lower - expected
    df["excess_upper"] = upper - expected
    sign = np.where((df["polarity"] == Polarity.HIGH_IS_GOOD.value).to_numpy(), -1.0, 1.0)
    df["gap"] = sign * df["excess"].to_numpy()
    df["gap_lower"] = np.where(sign > 0, df["excess_lower"], -df["excess_upper"])
    df["gap_upper"] = np.where(sign > 0, df["excess_upper"], -df["excess_lower"])
    df["direction"] = np.where(sign > 0, "more", "fewer")
    df["interval_method"] = how
    df = df.sort_values("gap", ascending=False, kind="stable")
    df["rank"] = np.arange(1, len(df) + 1)
    for col in RANKED_COLUMNS:
        if col not in df.columns:
            df[col] = None
    for col in UNSIZED_COLUMNS:
        if col not in unsized.columns:
            unsized[col] = None
    return Triage(
        df[list(RANKED_COLUMNS)].reset_index(drop=True),
        unsized[list(UNSIZED_COLUMNS)].reset_index(drop=True),
    )


def _is_plural_noun(indicator_name: str) -> bool:
    """Whether a name reads as "N more <name>" ("Adults with ...", "A&E attendances ...")."""
    words = [w.lower().rstrip(",") for w in str(indicator_name).split(" ")[:2]]
    return any(w in {"children", "people"} or (w.endswith("s") and len(w) > 3) for w in words)


def excess_sentence(row: pd.Series | Mapping[Any, Any], confidence: float = 0.95) -> str:
    """The excess in words.

    Examples: "North: about 551 more smokers recorded by GPs (15+) than England's
    rate would give (95% interval 410 to 695)."; where the indicator's name is not a plural
    noun, "West: disabled under the Equality Act, about 845 more people than England's rate
    would give (95% interval 671 to 1,021)."

    Args:
        row: A row of :attr:`Triage.ranked`.
        confidence: The interval's confidence level (for the words only).

    Returns:
        One sentence.
    """
    r = dict(row)
    gap, lo, hi = float(r["gap"]), float(r["gap_lower"]), float(r["gap_upper"])
    d = rounding_digits(gap)
    bench = str(r.get("benchmark") or "England")
    name = str(r["indicator_name"])
    sex = sex_suffix(r.get("sex"))
    pct = f"{confidence * 100:g}%"
    n = f"about {round_people(gap, d):,} {r['direction']}"
    if _is_plural_noun(name):
        what = f"{n} {noun(name)}{sex}"
    else:
        who = "people" if r.get("value_type") == "proportion" else "events"
        what = f"{noun(name)}{sex}, {n} {who}"
    return (
        f"{r['area_name']}: {what} than {bench}'s rate would give ({pct} interval "
        f"{round_people(lo, d):,} to {round_people(hi, d):,})."
    )


def triage_sentences(
    profile: pd.DataFrame, limit: int | None = 5, benchmarks: tuple[str, ...] = ("England",)
) -> list[str]:
    """The largest gaps in words: each benchmark's ranked rows in turn, at most ``limit``.

    Args:
        profile: Rows of the ``profile`` view for one area.
        limit: Most sentences to return (None for all).
        benchmarks: Benchmarks in order, e.g. ("England", the council's name) to follow the England
            gaps with those compared with the council where England has no figure.

    Returns:
        Sentences from :func:`excess_sentence`.
    """
    lines = [
        excess_sentence(r) for b in benchmarks for r in triage(profile, b).ranked.to_dict("records")
    ]
    return lines if limit is None else lines[:limit]


LARGE_GAP: Final[float] = 0.10
"""A value with no interval is listed as a large gap when it is 10% or more from its reference."""


def untested_gaps(
    profile: pd.DataFrame,
    min_relative: float = LARGE_GAP,
    worse_only: bool = False,
    la_name: str = "the council",
) -> pd.DataFrame:
    """Values with no confidence interval that sit far from England (or the council).

    Estimates pooled from published ward ratios and whole-population measures have no
    interval, so they are never called better, similar or worse; but a standardised ratio of
    139 must not hide. Each such value is set against England's value where the data hold one,
    else the council's, and listed when the relative gap is at least ``min_relative``, largest
    first, with the words "not tested for significance".

    Args:
        profile: Rows of the ``profile`` view for one area (``area_profile``).
        min_relative: Smallest relative gap listed (0.10 = 10%).
        worse_only: Only gaps in the worse direction (indicators with a polarity).
        la_name: The council's name, for values set against it.

    Returns:
        The rows with ``reference`` (name), ``reference_value``, ``relative`` (signed),
        ``judgement`` ("worse", "better" or "") and ``sentence``.

    Examples:
        >>> p = pd.DataFrame({"indicator_name": ["Deaths"], "value": [139.2], "sex": ["Persons"],
        ...     "lower_ci95": [None], "value_type": ["ratio"], "unit": ["SMR"],
        ...     "polarity": ["low_is_good"], "england_value": [100.0], "la_value": [102.6],
        ...     "is_estimate": [True], "comparison": ["not compared"], "area_name": ["North"],
        ...     "domain_order": [0], "sort_order": [0]})
        >>> print(untested_gaps(p)["sentence"].iloc[0])  # doctest: +NORMALIZE_WHITESPACE
        Deaths: 139.2 (estimate), 39% higher than England (100.0), worse;
        not tested for significance.
    """
    if profile.empty:
        return profile.assign(
            reference="", reference_value=np.nan, relative=np.nan, judgement="", sentence=""
        )
    df = profile[
        profile["value"].notna()
        & profile["lower_ci95"].isna()
        & (profile["value_type"] != "count")
        & (profile["comparison"].fillna("not compared") == Comparison.NOT_COMPARED.value)
    ].copy()
    eng = pd.to_numeric(df["england_value"], errors="coerce")
    la = pd.to_numeric(df["la_value"], errors="coerce")
    df["reference_value"] = eng.fillna(la)
    df["reference"] = np.where(eng.notna(), "England", la_name)
    df = df[df["reference_value"].notna() & (df["reference_value"] != 0)]
    df["relative"] = (df["value"] - df["reference_value"]) / df["reference_value"].abs()
    higher = df["relative"] > 0
    pol = df["polarity"]
    df["judgement"] = np.select(
        [
            (pol == Polarity.LOW_IS_GOOD.value) & higher,
            (pol == Polarity.HIGH_IS_GOOD.value) & ~higher,
            pol.isin([Polarity.LOW_IS_GOOD.value, Polarity.HIGH_IS_GOOD.value]),
        ],
        ["worse", "worse", "better"],
        "",
    )
    df = df[df["relative"].abs() >= min_relative]
    if worse_only:
        df = df[df["judgement"] == "worse"]
    df = df.reindex(df["relative"].abs().sort_values(ascending=False, kind="stable").index)
    df["sentence"] = [untested_sentence(r) for r in df.to_dict("records")]
    return df


def untested_sentence(row: Mapping[Any, Any]) -> str:
    """One large gap with no interval, in words that never claim significance."""
    r = dict(row)
    vt, unit = str(r["value_type"]), str(r.get("unit", ""))
    rel = float(r["relative"])
    size = f"{abs(rel) * 100:.0f}% {'higher' if rel > 0 else 'lower'}"
    estimate = " (estimate)" if bool(r.get("is_estimate")) else ""
    judgement = f", {r['judgement']}" if r.get("judgement") else ""
    ref = f"{r['reference']} ({format_value(r['reference_value'], vt, unit)})"
    return (
        f"{r['indicator_name']}{sex_suffix(r.get('sex'))}: {format_value(r['value'], vt, unit)}"
        f"{estimate}, {size} than {ref}{judgement}; not tested for significance."
    )
