"""Where to act: the gaps to England that matter most, the worst area per indicator, funnels.

Pure pandas and plotly, no Streamlit. Three things:

- :func:`triage` ranks an area's indicators that are significantly worse than a benchmark
  (England by default) by the *excess*: the observed count minus the count the benchmark's
  rate would give, E = denominator × benchmark value / multiplier, with an interval from the
  count's own confidence limits (Wilson × denominator for proportions, Poisson limits of the
  count for rates) minus E. This is the "how many people" reading of an SIR-style comparison:
  the benchmark is treated as fixed, exactly as in the "compared with England" test.
- :func:`worst_areas` finds, per indicator, the area with the worst value (polarity-aware) and
  says whether it is significantly worse than England.
- :func:`funnel` and :func:`funnel_chart` draw a funnel plot of wards or practices against
  their denominators with 95% and 99.8% control limits (PHEindicatormethods
  ``calculate_funnel_limits``; Spiegelhalter 2005), around Trafford's or England's value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna import stats
from jsna.charts import FONT, LABELS, SCHEMES
from jsna.narrative import format_value
from jsna.stats import Comparison, Polarity
from jsna.tables import comparison_label

__all__ = [
    "FUNNEL_CENTRES",
    "Funnel",
    "Triage",
    "excess_chart",
    "excess_sentence",
    "funnel",
    "funnel_chart",
    "funnel_problem",
    "multiplier",
    "round_people",
    "triage",
    "triage_sentences",
    "triage_table",
    "unsized_table",
    "untested_gaps",
    "untested_sentence",
    "worst_areas",
    "worst_table",
]

WORSE: Final[tuple[str, str]] = (Comparison.WORSE.value, Comparison.WORST.value)
"""Comparison labels that mean "significantly worse" (at 95%, or at 99.8% as well)."""

Centre = Literal["la", "england"]
FUNNEL_CENTRES: Final[tuple[Centre, Centre]] = ("la", "england")

_PER = re.compile(r"per\s+([\d,]+)")

RANKED_COLUMNS: Final[tuple[str, ...]] = (
    "rank",
    "area_code",
    "area_name",
    "indicator_id",
    "indicator_name",
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


# --------------------------------------------------------------------------- helpers
def multiplier(unit: str, value_type: str) -> float | None:
    """The multiplier that turns a value into a per-person fraction, if it can be sized.

    Args:
        unit: The indicator's unit ("%", "% aged 16+", "per 1,000", ...).
        value_type: "proportion", "rate", "ratio", "count", ...

    Returns:
        100 for a percentage, 1,000 or 100,000 for a crude rate "per" that many, or None
        where an excess count cannot be worked out (age-standardised rates, ratios, scores).

    Examples:
        >>> multiplier("% aged 16+", "proportion"), multiplier("per 1,000", "rate")
        (100.0, 1000.0)
    """
    text = str(unit or "")
    if value_type == "proportion":
        return 100.0 if text.strip().startswith("%") else None
    if value_type == "rate" and "standardised" not in text:
        m = _PER.search(text)
        if m:
            return float(m.group(1).replace(",", ""))
    return None


def _rounding_digits(x: float) -> int:
    """Decimal places (negative: tens, hundreds) that keep three significant figures."""
    if not math.isfinite(x) or abs(x) < 100:
        return 0
    return 2 - math.floor(math.log10(abs(x)))


def round_people(x: float, digits: int | None = None) -> int:
    """Round a number of people for words: whole numbers below 100, else 3 significant figures.

    Args:
        x: The number.
        digits: Decimal places to round to (as :func:`round`); by default from ``x`` itself.

    Returns:
        The rounded whole number.

    Examples:
        >>> round_people(1243.4), round_people(551.3), round_people(42.6)
        (1240, 551, 43)
    """
    d = _rounding_digits(x) if digits is None else digits
    return int(round(x, min(d, 0)))


def _noun(indicator_name: str) -> str:
    """An indicator name as a noun inside a sentence: first letter lower-cased unless an acronym."""
    name = str(indicator_name)
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _sex(sex: Any) -> str:
    return "" if sex in (None, "Persons") or pd.isna(sex) else f" ({str(sex).lower()}s)"


# --------------------------------------------------------------------------- triage
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
    of the count (exact below 10, Byar's above; :func:`jsna.stats.poisson_ci`) − E.

    Args:
        profile: Rows of the ``profile`` view for one area (``area_profile``).
        benchmark: Which benchmark's comparisons to use ("England", or "Trafford").
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

    Examples: "North Trafford: about 551 more smokers recorded by GPs (15+) than England's
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
    d = _rounding_digits(gap)
    bench = str(r.get("benchmark") or "England")
    name = str(r["indicator_name"])
    sex = _sex(r.get("sex"))
    pct = f"{confidence * 100:g}%"
    n = f"about {round_people(gap, d):,} {r['direction']}"
    if _is_plural_noun(name):
        what = f"{n} {_noun(name)}{sex}"
    else:
        who = "people" if r.get("value_type") == "proportion" else "events"
        what = f"{_noun(name)}{sex}, {n} {who}"
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
        benchmarks: Benchmarks in order, e.g. ("England", "Trafford") to follow the England
            gaps with those compared with Trafford where England has no figure.

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
        f"{r['indicator_name']}{_sex(r.get('sex'))}: {format_value(r['value'], vt, unit)}"
        f"{estimate}, {size} than {ref}{judgement}; not tested for significance."
    )


def triage_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Display table of :attr:`Triage.ranked`: plain column names, formatted numbers."""
    if ranked.empty:
        return pd.DataFrame()
    rows = []
    for r in ranked.to_dict("records"):
        vt, unit = str(r["value_type"]), str(r["unit"])
        d = _rounding_digits(float(r["gap"]))
        bench = str(r["benchmark"])
        rows.append(
            {
                "Rank": int(r["rank"]),
                "Indicator": str(r["indicator_name"]) + _sex(r.get("sex")),
                "Value": format_value(r["value"], vt, unit),
                bench: format_value(r["benchmark_value"], vt, unit),
                "Count": f"{float(r['count']):,.0f} / {float(r['denominator']):,.0f}",
                "Expected": f"{float(r['expected']):,.0f}",
                "Gap": f"{round_people(float(r['gap']), d):,} {r['direction']}",
                "95% interval": f"{round_people(float(r['gap_lower']), d):,} to "
                f"{round_people(float(r['gap_upper']), d):,}",
                "Comparison": LABELS[Comparison(str(r["comparison"]))],
            }
        )
    return pd.DataFrame(rows)


def unsized_table(unsized: pd.DataFrame) -> pd.DataFrame:
    """Display table of :attr:`Triage.unsized`."""
    if unsized.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Indicator": [
                str(n) + _sex(s)
                for n, s in zip(unsized["indicator_name"], unsized["sex"], strict=True)
            ],
            "Value": [
                format_value(v, t, u)
                for v, t, u in zip(
                    unsized["value"], unsized["value_type"], unsized["unit"], strict=True
                )
            ],
            "Comparison": [LABELS[Comparison(str(c))] for c in unsized["comparison"]],
            "Why it cannot be sized": unsized["reason"].astype(str).to_numpy(),
        }
    )


def excess_chart(
    ranked: pd.DataFrame, title: str, scheme: str = "fingertips", confidence: float = 0.95
) -> go.Figure:
    """Horizontal bars of the gap (people or events) with its interval as error bars.

    Args:
        ranked: :attr:`Triage.ranked` rows (one area).
        title: Chart title.
        scheme: "fingertips" or "colour_blind".
        confidence: The interval's confidence level (for the axis title).

    Returns:
        A figure with one bar trace per comparison label (worse, worst).
    """
    colours = SCHEMES[scheme]
    fig = go.Figure()
    df = ranked.copy()
    df["_label"] = [str(n) + _sex(s) for n, s in zip(df["indicator_name"], df["sex"], strict=True)]
    for comp in (Comparison.WORST, Comparison.WORSE):
        sub = df[df["comparison"] == comp.value]
        if sub.empty:
            continue
        fig.add_bar(
            y=sub["_label"],
            x=sub["gap"],
            orientation="h",
            name=LABELS[comp],
            marker_color=colours[comp],
            marker_line={"width": 0.5, "color": "#555"},
            error_x={
                "type": "data",
                "array": (sub["gap_upper"] - sub["gap"]).to_numpy(dtype=float),
                "arrayminus": (sub["gap"] - sub["gap_lower"]).to_numpy(dtype=float),
                "color": "#333",
                "thickness": 1.2,
                "visible": True,
            },
            hovertext=[excess_sentence(r, confidence) for r in sub.to_dict("records")],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["_label"])[::-1], automargin=True)
    bench = str(df["benchmark"].iloc[0]) if not df.empty else "England"
    note = f"people (or events) beyond {bench}'s rate; bars show the {confidence * 100:g}% interval"
    fig.update_xaxes(rangemode="tozero", zeroline=True, gridcolor="#eee")
    fig.update_layout(
        title={
            "text": f"{title}<br><sup>{note}</sup>",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        height=190 + 40 * max(len(df), 1),
        font=FONT,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        barmode="overlay",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15},
    )
    return fig


# --------------------------------------------------------------------------- worst area
def _worse_than(row: dict[str, Any], primary: str = "England") -> str:
    bench = str(row.get("benchmark") or "")
    comp = str(row.get("comparison") or Comparison.NOT_COMPARED.value)
    label = comparison_label(row)
    if label.startswith("Not compared: "):  # keep the first clause: "no confidence interval"
        label = f"Not compared ({label.removeprefix('Not compared: ').split(':')[0]})"
    if bench == primary:
        if comp in WORSE:
            return f"Yes: {label}"
        if comp == Comparison.NOT_COMPARED.value:
            return label
        return f"No: {label}"
    if bench:
        return f"No {primary} figure; compared with {bench}: {label}"
    return label


def worst_areas(values: pd.DataFrame, primary: str = "England") -> pd.DataFrame:
    """The worst area for each indicator (and sex), polarity-aware.

    Worst is the highest value where low is good and the lowest where high is good;
    indicators with no judgement are skipped, as are missing values. Ties go to the first
    area in profile order.

    Args:
        values: Rows of ``triage_area_values`` for one area type (e.g. neighbourhoods).
        primary: The benchmark the verdict is about (England unless the user chose another).

    Returns:
        One row per indicator and sex: ``indicator_id, indicator_name, domain, sex, unit,
        value_type, polarity, area_code, area_name, value, n_areas, england_value,
        la_value, benchmark, benchmark_value, comparison, comparison_reason,
        is_estimate, note, worse_than_england`` (bool: benchmark England and worse or worst)
        and ``england_verdict`` (the answer in words).
    """
    cols = [
        "indicator_id",
        "indicator_name",
        "domain",
        "sex",
        "unit",
        "value_type",
        "polarity",
        "area_code",
        "area_name",
        "value",
        "n_areas",
        "england_value",
        "la_value",
        "benchmark",
        "benchmark_value",
        "comparison",
        "comparison_reason",
        "is_estimate",
        "note",
        "worse_than_england",
        "england_verdict",
    ]
    if values.empty:
        return pd.DataFrame(columns=cols)
    df = values[(values["polarity"] != Polarity.NO_JUDGEMENT.value) & values["value"].notna()]
    rows: list[dict[str, Any]] = []
    for _, grp in df.groupby(["indicator_id", "sex"], sort=False):
        pol = str(grp["polarity"].iloc[0])
        vals = grp["value"].astype(float)
        pos = int(
            np.argmax(vals.to_numpy())
            if pol == Polarity.LOW_IS_GOOD.value
            else np.argmin(vals.to_numpy())
        )
        rec: dict[str, Any] = {str(k): v for k, v in grp.iloc[pos].items()}
        r = {k: rec.get(k) for k in cols}
        r["n_areas"] = len(grp)
        r["worse_than_england"] = rec.get("benchmark") == primary and rec.get("comparison") in WORSE
        r["england_verdict"] = _worse_than(rec, primary)
        rows.append(r)
    return pd.DataFrame(rows, columns=cols)


def worst_table(
    worst: pd.DataFrame, primary: str = "England", la_name: str = "Local authority"
) -> pd.DataFrame:
    """Display table of :func:`worst_areas`; `la_name` heads the local authority's column."""
    if worst.empty:
        return pd.DataFrame()
    rows = []
    for r in worst.to_dict("records"):
        vt, unit = str(r["value_type"]), str(r["unit"])
        est = " (estimate)" if bool(r["is_estimate"]) else ""
        rows.append(
            {
                "Indicator": str(r["indicator_name"]) + _sex(r.get("sex")) + est,
                "Worst neighbourhood": r["area_name"],
                "Value": format_value(r["value"], vt, unit),
                f"Significantly worse than {primary}?": r["england_verdict"],
                la_name: format_value(r["la_value"], vt, unit) if pd.notna(r["la_value"]) else "",
                "England": format_value(r["england_value"], vt, unit)
                if pd.notna(r["england_value"])
                else "",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- funnels
@dataclass(frozen=True)
class Funnel:
    """A funnel plot's data: the points, the control limits and what they are centred on.

    Attributes:
        points: One row per area with a count: ``area_code, area_name, value, count,
            denominator, label`` (a :func:`jsna.stats.funnel_significance` label).
        limits: ``denominator, lower95, upper95, lower998, upper998`` on a grid of
            denominators spanning the points, in the indicator's unit.
        centre: The centre value (Trafford's or England's), in the indicator's unit.
        centre_name: "Trafford" or "England".
        statistic: "proportion" or "rate".
        multiplier: 100 for a percentage, 1,000 or 100,000 for a rate.
        polarity: The indicator's polarity (for colours).
        value_type: The indicator's value type.
        unit: The indicator's unit.
        indicator_name: The indicator's name.
        left_out: Areas with no count (suppressed) that are not plotted.
    """

    points: pd.DataFrame
    limits: pd.DataFrame
    centre: float
    centre_name: str
    statistic: Literal["proportion", "rate"]
    multiplier: float
    polarity: str
    value_type: str
    unit: str
    indicator_name: str
    left_out: int


def funnel_problem(
    values: pd.DataFrame, centre: Centre = "la", la_name: str = "The local authority"
) -> str | None:
    """Why these values cannot make a funnel plot, or None if they can.

    Args:
        values: Rows of ``funnel_values`` (one indicator, one area type).
        centre: "la" or "england".
        la_name: The local authority's name, as the sentence names it.

    Returns:
        A sentence a reader can act on, or None.
    """
    if values.empty:
        return "There are no values for these areas."
    first = values.iloc[0]
    vt, unit = str(first["value_type"]), str(first["unit"])
    needs = "A funnel plot needs counts and denominators"
    if vt not in ("proportion", "rate"):
        return f"{needs} of a proportion or a crude rate; this indicator is a {vt}."
    if multiplier(unit, vt) is None:
        return f"{needs} of a proportion or a crude rate; this one is {unit}."
    has = values["count"].notna() & values["denominator"].gt(0)
    if not has.any():
        return f"{needs}, and this indicator is published for these areas without them."
    if str(first.get("ci_method")) == "none":
        return (
            f"{needs} subject to chance variation; this indicator is a whole-population "
            "measure with no confidence interval, so control limits would mean nothing."
        )
    if int(has.sum()) < 3:
        return f"{needs}; only {int(has.sum())} of these areas have them."
    col = "la_value" if centre == "la" else "england_value"
    if values[col].dropna().empty:
        return f"{la_name if centre == 'la' else 'England'} has no figure to centre on."
    return None


def _limit_labels(
    value: np.ndarray, lo95: np.ndarray, hi95: np.ndarray, lo998: np.ndarray, hi998: np.ndarray
) -> np.ndarray:
    return np.select(
        [value < lo998, value < lo95, value > hi998, value > hi95],
        [
            stats.FUNNEL_LOW_0001,
            stats.FUNNEL_LOW_0025,
            stats.FUNNEL_HIGH_0001,
            stats.FUNNEL_HIGH_0025,
        ],
        default=stats.FUNNEL_NOT_SIGNIFICANT,
    ).astype(object)


def _limits(
    statistic: str, centre: float, mult: float, n: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    if statistic == "proportion":
        lo, hi = stats.funnel_proportion_limits(centre / mult, n, confidence)
        return lo * mult, hi * mult
    return stats.funnel_rate_limits(centre, n, confidence, mult)


def funnel(
    values: pd.DataFrame,
    centre: Centre = "la",
    grid: int = 200,
    la_name: str = "The local authority",
) -> Funnel:
    """Points and 95% / 99.8% control limits for a funnel plot.

    Each point is labelled against the drawn control limits at its own denominator (the
    labels of :func:`jsna.stats.funnel_significance` when the centre is the areas' pooled
    value).

    Args:
        values: Rows of ``funnel_values`` (one indicator, wards or practices).
        centre: "la" (default) or "england".
        grid: Number of denominators at which the limit curves are drawn.
        la_name: The local authority's name (the centre's name when centre is "la").

    Returns:
        A :class:`Funnel`.

    Raises:
        ValueError: If the values cannot make a funnel plot (see :func:`funnel_problem`) or
            the centre is unknown.
    """
    if centre not in FUNNEL_CENTRES:
        raise ValueError(f"centre must be one of {FUNNEL_CENTRES}")
    problem = funnel_problem(values, centre, la_name)
    if problem:
        raise ValueError(problem)
    df = values
    if "sex" in df.columns and df["sex"].nunique() > 1:
        keep = "Persons" if (df["sex"] == "Persons").any() else df["sex"].iloc[0]
        df = df[df["sex"] == keep]
    first = df.iloc[0]
    vt, unit = str(first["value_type"]), str(first["unit"])
    mult = multiplier(unit, vt)
    assert mult is not None  # checked by funnel_problem
    statistic: Literal["proportion", "rate"] = "proportion" if vt == "proportion" else "rate"
    has = df["count"].notna() & df["denominator"].gt(0)
    pts = df[has].copy()
    x = pts["count"].to_numpy(dtype=float)
    n = pts["denominator"].to_numpy(dtype=float)
    value = x / n * mult
    col = "la_value" if centre == "la" else "england_value"
    centre_value = float(df[col].dropna().iloc[0])
    # Each point is judged against the very limits drawn, at its own denominator, so the
    # colour and the picture always agree (whichever centre is chosen).
    lo95, hi95 = _limits(statistic, centre_value, mult, n, 0.95)
    lo998, hi998 = _limits(statistic, centre_value, mult, n, 0.998)
    labels = _limit_labels(value, lo95, hi95, lo998, hi998)
    points = pd.DataFrame(
        {
            "area_code": pts["area_code"].to_numpy(),
            "area_name": pts["area_name"].to_numpy(),
            "value": value,
            "count": x,
            "denominator": n,
            "label": labels,
        }
    )
    lo_n, hi_n = max(float(n.min()) * 0.85, 1.0), float(n.max()) * 1.1
    ns = np.geomspace(lo_n, hi_n, grid)
    l95, u95 = _limits(statistic, centre_value, mult, ns, 0.95)
    l998, u998 = _limits(statistic, centre_value, mult, ns, 0.998)
    limits = pd.DataFrame(
        {"denominator": ns, "lower95": l95, "upper95": u95, "lower998": l998, "upper998": u998}
    )
    return Funnel(
        points=points,
        limits=limits,
        centre=centre_value,
        centre_name=la_name if centre == "la" else "England",
        statistic=statistic,
        multiplier=mult,
        polarity=str(first["polarity"]),
        value_type=vt,
        unit=unit,
        indicator_name=str(first["indicator_name"]),
        left_out=int((~has).sum()),
    )


_FUNNEL_COMPARISON: Final[dict[str, dict[str, Comparison]]] = {
    stats.FUNNEL_HIGH_0001: {
        Polarity.HIGH_IS_GOOD: Comparison.BEST,
        Polarity.LOW_IS_GOOD: Comparison.WORST,
        Polarity.NO_JUDGEMENT: Comparison.HIGHEST,
    },
    stats.FUNNEL_HIGH_0025: {
        Polarity.HIGH_IS_GOOD: Comparison.BETTER,
        Polarity.LOW_IS_GOOD: Comparison.WORSE,
        Polarity.NO_JUDGEMENT: Comparison.HIGHER,
    },
    stats.FUNNEL_LOW_0025: {
        Polarity.HIGH_IS_GOOD: Comparison.WORSE,
        Polarity.LOW_IS_GOOD: Comparison.BETTER,
        Polarity.NO_JUDGEMENT: Comparison.LOWER,
    },
    stats.FUNNEL_LOW_0001: {
        Polarity.HIGH_IS_GOOD: Comparison.WORST,
        Polarity.LOW_IS_GOOD: Comparison.BEST,
        Polarity.NO_JUDGEMENT: Comparison.LOWEST,
    },
}
_FUNNEL_MEANING: Final[dict[str, str]] = {
    stats.FUNNEL_HIGH_0001: "above the 99.8% limit",
    stats.FUNNEL_HIGH_0025: "above the 95% limit",
    stats.FUNNEL_NOT_SIGNIFICANT: "within the 95% limits",
    stats.FUNNEL_LOW_0025: "below the 95% limit",
    stats.FUNNEL_LOW_0001: "below the 99.8% limit",
}

# A shape per position, so the funnel never relies on colour alone.
_FUNNEL_SYMBOL: Final[dict[str, str]] = {
    stats.FUNNEL_HIGH_0001: "triangle-up",
    stats.FUNNEL_HIGH_0025: "triangle-up",
    stats.FUNNEL_NOT_SIGNIFICANT: "circle",
    stats.FUNNEL_LOW_0025: "triangle-down",
    stats.FUNNEL_LOW_0001: "triangle-down",
}


def _funnel_colour(label: str, polarity: str, scheme: str) -> str:
    colours = SCHEMES[scheme]
    by_pol = _FUNNEL_COMPARISON.get(label)
    if by_pol is None:
        key = Comparison.SIMILAR if label == stats.FUNNEL_NOT_SIGNIFICANT else None
        return colours[key or Comparison.NOT_COMPARED]
    return colours[by_pol[Polarity(polarity)]]


def funnel_chart(f: Funnel, title: str, scheme: str = "fingertips") -> go.Figure:
    """A funnel plot: points against their denominators with 95% and 99.8% control limits.

    Args:
        f: A :class:`Funnel`.
        title: Chart title.
        scheme: "fingertips" or "colour_blind".

    Returns:
        A figure with four limit line traces (95% and 99.8%, lower and upper), a centre line
        and one marker trace per significance label present.
    """
    fig = go.Figure()
    lim = f.limits
    for conf, dash, colour in (("998", "solid", "#555"), ("95", "dash", "#999")):
        pct = "99.8%" if conf == "998" else "95%"
        for side in ("upper", "lower"):
            fig.add_scatter(
                x=lim["denominator"],
                y=lim[f"{side}{conf}"],
                mode="lines",
                line={"dash": dash, "color": colour, "width": 1.5},
                name=f"{pct} control limits",
                legendgroup=f"limit{conf}",
                showlegend=side == "upper",
                hoverinfo="skip",
            )
    fig.add_scatter(
        x=[lim["denominator"].iloc[0], lim["denominator"].iloc[-1]],
        y=[f.centre, f.centre],
        mode="lines",
        line={"color": "#000", "width": 2},
        name=f"{f.centre_name} {format_value(f.centre, f.value_type, f.unit)}",
        hoverinfo="skip",
    )
    order = [
        stats.FUNNEL_HIGH_0001,
        stats.FUNNEL_HIGH_0025,
        stats.FUNNEL_NOT_SIGNIFICANT,
        stats.FUNNEL_LOW_0025,
        stats.FUNNEL_LOW_0001,
    ]
    pts = f.points
    for label in [*order, *sorted(set(pts["label"]) - set(order))]:
        sub = pts[pts["label"] == label]
        if sub.empty:
            continue
        # The label's p-value code ("High (0.001)") stays in the working; the legend says
        # where the point lies in words.
        meaning = _FUNNEL_MEANING.get(label, "")
        name = meaning[:1].upper() + meaning[1:] if meaning else label
        fig.add_scatter(
            x=sub["denominator"],
            y=sub["value"],
            mode="markers",
            name=name,
            marker={
                "size": 11,
                "color": _funnel_colour(label, f.polarity, scheme),
                "line": {"width": 1, "color": "#333"},
                "symbol": _FUNNEL_SYMBOL.get(label, "x-thin-open"),
            },
            text=[
                f"<b>{r.area_name}</b><br>{format_value(r.value, f.value_type, f.unit)}"
                f"<br>{r.count:,.0f} of {r.denominator:,.0f}<br>{name}"
                for r in sub.itertuples()
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    fig.update_xaxes(title="Denominator (population)", showgrid=True, gridcolor="#eee")
    fig.update_yaxes(title=f.unit, showgrid=True, gridcolor="#eee")
    # Room for every line of the title above the plot, and for the legend in its own band
    # at the foot of the figure (measured from the container, so it never meets the x-axis
    # title however narrow the screen).
    top = 40 + 22 * (title.count("<br>") + 1)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=620,
        font=FONT,
        margin={"l": 10, "r": 10, "t": top, "b": 190},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    )
    return fig
