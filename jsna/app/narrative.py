"""Plain-English sentences about an area's indicators, written from the data.

Rule: a difference is never called higher or lower without saying whether it is significant;
anything not compared says so and why. Significant differences come first.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jsna.core import vocabulary
from jsna.core.stats import Comparison

# Order in which findings are listed: significant and worse first.
ORDER = {
    Comparison.WORST: 0,
    Comparison.WORSE: 1,
    Comparison.BEST: 2,
    Comparison.BETTER: 3,
    Comparison.HIGHEST: 4,
    Comparison.LOWEST: 4,
    Comparison.HIGHER: 5,
    Comparison.LOWER: 5,
    Comparison.SIMILAR: 6,
    Comparison.NOT_COMPARED: 7,
}
QUALIFIER = {
    Comparison.WORST: "significantly worse, 99.8% confidence",
    Comparison.WORSE: "significantly worse, 95% confidence",
    Comparison.BEST: "significantly better, 99.8% confidence",
    Comparison.BETTER: "significantly better, 95% confidence",
    Comparison.HIGHEST: "significantly higher, 99.8% confidence; no judgement of good or bad",
    Comparison.LOWEST: "significantly lower, 99.8% confidence; no judgement of good or bad",
    Comparison.HIGHER: "significantly higher, 95% confidence; no judgement of good or bad",
    Comparison.LOWER: "significantly lower, 95% confidence; no judgement of good or bad",
    Comparison.SIMILAR: "statistically similar",
}
SIGNIFICANT = {c for c in ORDER if c not in (Comparison.SIMILAR, Comparison.NOT_COMPARED)}


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def format_value(value: Any, value_type: str, unit: str = "") -> str:
    """A value with its unit, as a reader would say it ("12.3%", "79.5 years")."""
    if _missing(value):
        return "not available"
    v = float(value)
    if value_type == "count":
        return f"{v:,.0f}"
    if value_type == "proportion":
        return f"{v:.1f}%"
    if value_type == "rate":
        return f"{v:,.1f} {unit}".strip()
    if value_type == "ratio":
        return f"{v:.1f}"
    if value_type == "years":
        return f"{v:.1f} years"
    return f"{v:.2f}" if abs(v) < 100 else f"{v:,.1f}"


def difference_phrase(value: float, benchmark: float) -> str:
    """Relative difference, e.g. '15% higher' or 'the same'."""
    if benchmark == 0:
        return "different"
    pct = (value - benchmark) / abs(benchmark) * 100
    if pct == 0:
        return "the same as"
    # One decimal below 1%, so a significant difference never reads as "the same".
    size = f"{abs(pct):.1f}" if abs(pct) < 1 else f"{abs(pct):.0f}"
    return f"{size}% {'higher' if pct > 0 else 'lower'} than"


def sentence(row: pd.Series | dict[str, Any]) -> str:
    """One finding about one indicator in one area."""
    r = dict(row)
    name = r["indicator_name"]
    sex = "" if r.get("sex") in (None, "Persons") else f" ({str(r['sex']).lower()}s)"
    val = format_value(r.get("value"), r["value_type"], r.get("unit", ""))
    bench = r.get("benchmark") or "England"
    bval: Any = r.get("benchmark_value")
    comp = Comparison(r.get("comparison") or Comparison.NOT_COMPARED)
    if _missing(r.get("value")):
        why = r.get("note") or r.get("comparison_reason") or "no value"
        return f"{name}{sex}: not available ({why})."
    if comp is Comparison.NOT_COMPARED or _missing(bval):
        reason = r.get("comparison_reason") or "no benchmark value"
        estimate = " (estimate)" if r.get("is_estimate") else ""
        context = ""
        eng = r.get("england_value")
        if not _missing(eng):
            context = f"; England {format_value(eng, r['value_type'], r.get('unit', ''))}"
        return f"{name}{sex}: {val}{estimate}{context}. Not compared: {reason}."
    diff = difference_phrase(float(r["value"]), float(bval))  # both checked above
    return f"{name}{sex}: {val}, {diff} {bench} ({QUALIFIER[comp]})."


def summary(profile: pd.DataFrame, limit: int | None = None) -> list[str]:
    """Sentences for an area's profile, significant differences first."""
    if profile.empty:
        return []
    df = profile.copy()
    df["_rank"] = df["comparison"].map(lambda c: ORDER.get(Comparison(c), 9) if c else 9)
    df = df.sort_values(["_rank", "domain_order", "sort_order"], kind="stable")
    rows = df.head(limit) if limit else df
    return [sentence(r) for _, r in rows.iterrows()]


def headline_findings(profile: pd.DataFrame, limit: int = 4) -> list[str]:
    """The most notable findings: significant differences only, worse first."""
    if profile.empty:
        return []
    sig = profile[profile["comparison"].isin([c.value for c in SIGNIFICANT])]
    return summary(sig, limit)


# ------------------------------------------------------------------ the first screen, in words
# Domains that describe who lives in an area and their circumstances; every other domain is
# health. Health comes first on the page (issue 19).
PEOPLE_DOMAINS = frozenset({"Demographics", "Wider determinants and deprivation"})
# Fewer indicators with a figure than this, and "no difference" would say little.
LITTLE_DATA = 5
_SHORT_SUFFIX = ": recorded prevalence"


def _short_value(value: float, value_type: str) -> str:
    """A value without its unit, for "18.1% vs 13.2%" and "895.4 vs 762.6 per 1,000"."""
    if value_type == "proportion":
        return f"{value:.1f}%"
    if value_type in ("rate", "count"):
        return f"{value:,.1f}" if value_type == "rate" else f"{value:,.0f}"
    if value_type in ("ratio", "years"):
        return f"{value:,.1f}"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:,.1f}"


def difference_item(row: pd.Series | dict[str, Any]) -> str:
    """One indicator in a findings line: "Diabetes (17+): 8.5% vs 7.5% (+14%)".

    The first value is the area's, the second its benchmark's; the percentage is the
    relative difference. Rates keep their unit once, after both values.
    """
    r = dict(row)
    name = str(r["indicator_name"]).removesuffix(_SHORT_SUFFIX)
    if r.get("sex") not in (None, "Persons"):
        name += f" ({str(r['sex']).lower()}s)"
    value, bench, vt = float(r["value"]), float(r["benchmark_value"]), str(r["value_type"])
    unit = f" {r.get('unit')}" if vt == "rate" and r.get("unit") else ""
    pct = vocabulary.signed_percent(value, bench)
    return f"{name}: {_short_value(value, vt)} vs {_short_value(bench, vt)}{unit} ({pct})"


def _relative(df: pd.DataFrame) -> pd.Series:
    bench = df["benchmark_value"].astype(float)
    return ((df["value"].astype(float) - bench) / bench.abs()).abs()


def plain_findings(profile: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """An area's significant differences in words, under headings naming their benchmark.

    Health first, then who lives there and their circumstances; within each, the benchmark
    most lines use (England by default) before the one used where it has no figure. Each
    line is one kind of difference, strictest first ("Worse than England (99.8%): …"), its
    indicators by size of the relative difference. Returns (heading, lines) pairs; a group
    with no significant difference is left out.
    """
    if profile.empty:
        return []
    df = profile[
        profile["comparison"].isin([c.value for c in vocabulary.SIGNIFICANT])
        & profile["value"].notna()
        & profile["benchmark_value"].notna()
        & profile["benchmark"].fillna("").ne("")
    ]
    if df.empty:
        return []
    main = str(df["benchmark"].value_counts().index[0])
    df = df.assign(_rel=_relative(df), _people=df["domain"].isin(PEOPLE_DOMAINS))
    out = []
    for people, subject in ((False, "Health"), (True, "Who lives here and their circumstances")):
        part = df[df["_people"] == people]
        names = [main, *sorted(set(part["benchmark"]) - {main})]
        for bench in names:
            group = part[part["benchmark"] == bench]
            lines = []
            for comp in vocabulary.ORDER:
                rows = group[group["comparison"] == comp.value]
                if rows.empty:
                    continue
                rows = rows.sort_values("_rel", ascending=False, kind="stable")
                items = "; ".join(difference_item(r) for _, r in rows.iterrows())
                lines.append(f"**{vocabulary.comparison_words(comp, bench)}**: {items}.")
            if lines:
                heading = vocabulary.benchmark_heading(subject, bench, main, bench != main)
                out.append((heading, lines))
    return out


def rest_in_words(profile: pd.DataFrame) -> str:
    """What the findings leave out, counted, so "not compared" never reads as "no difference".

    >>> rest_in_words(pd.DataFrame({"comparison": ["similar", "not compared", "worst"],
    ...     "value_type": ["proportion", "ratio", "proportion"], "value": [1.0, 2.0, 3.0]}))
    'Not significantly different: 1 indicator. Not compared (no confidence interval, or no benchmark figure): 1 indicator.'
    """  # noqa: E501
    if profile.empty:
        return ""
    df = profile[(profile["value_type"] != "count") & profile["value"].notna()]
    similar = int((df["comparison"] == Comparison.SIMILAR.value).sum())
    nc = int(df["comparison"].fillna(Comparison.NOT_COMPARED.value).eq("not compared").sum())

    def n(k: int) -> str:
        return f"{k} indicator{'s' if k != 1 else ''}"

    parts = []
    if similar:
        parts.append(f"Not significantly different: {n(similar)}.")
    if nc:
        parts.append(f"Not compared (no confidence interval, or no benchmark figure): {n(nc)}.")
    return " ".join(parts)


def little_data(profile: pd.DataFrame, noun: str = "area") -> str | None:
    """A warning when an area has too few indicators for "no difference" to mean anything.

    >>> little_data(pd.DataFrame({"indicator_name": ["Resident population", "IMD"],
    ...     "value_type": ["count", "score"], "value": [13301.0, 25.8]}), "ward")
    'Little data: only 2 indicators have a figure for this ward (Resident population, IMD). Most figures are published for other areas, so this page cannot say how its health compares.'
    """  # noqa: E501
    df = profile[profile["value"].notna()] if not profile.empty else profile
    if len(df) >= LITTLE_DATA:
        return None
    names = ", ".join(dict.fromkeys(str(n) for n in df["indicator_name"])) if len(df) else ""
    count = (
        f"only {len(df)} indicator{'s' if len(df) != 1 else ''} have"
        if len(df)
        else "no indicator has"
    )
    listed = f" ({names})" if names else ""
    return (
        f"Little data: {count} a figure for this {noun}{listed}. Most figures are published "
        "for other areas, so this page cannot say how its health compares."
    )


# ------------------------------------------------------------------ compare areas, in words
def _count_phrase(row: dict[Any, Any], who: str) -> str:
    count: Any = row.get("count")
    den: Any = row.get("denominator")
    if _missing(count) or _missing(den):
        return ""
    return f" ({float(count):,.0f} of {float(den):,.0f} {who})"


def highest_answer(values: pd.DataFrame, plural: str) -> str:
    """Which area has the highest value, and whether it differs significantly from its benchmark.

    Args:
        values: one indicator's rows for the areas compared (``place_values``).
        plural: the areas in words ("neighbourhoods").
    """
    have = values[values["value"].notna()]
    if have.empty:
        return f"No value is published for these {plural}."
    top = have.sort_values("value", ascending=False, kind="stable").iloc[0].to_dict()
    vt, unit = str(top["value_type"]), str(top.get("unit") or "")
    who = (
        "registered patients"
        if str(top.get("population") or "").startswith("Registered")
        else "people"
    )
    ratio = ""
    if vt == "ratio" and unit:
        ratio = " (England = 100)" if "England = 100" in unit else f" ({unit})"
    head = (
        f"Highest of the {len(have)} {plural}: **{top['area_name']}**, "
        f"{format_value(top['value'], vt, unit)}{_count_phrase(top, who)}{ratio}."
    )
    bench = str(top.get("benchmark") or "")
    bval = top.get("benchmark_value")
    comp = Comparison(top.get("comparison") or Comparison.NOT_COMPARED)
    if comp is Comparison.NOT_COMPARED or not bench or _missing(bval):
        eng = top.get("england_value")
        ref = bval if not _missing(bval) else eng
        ref_text = ""
        if not _missing(ref) and "England" not in unit:
            ref_text = f" (England: {format_value(ref, vt, unit)})"
        reason = top.get("comparison_reason") or "no benchmark figure"
        return (
            f"{head} Not compared: {reason}, so the data cannot say whether it differs "
            f"significantly from England{ref_text}."
        )
    words = vocabulary.comparison_words(comp, bench)
    bench_text = f"{bench} {format_value(bval, vt, unit)}"
    if comp is Comparison.SIMILAR:
        return f"{head} {words} ({bench_text}): not a significant difference."
    return f"{head} **{words}** ({bench_text}): a significant difference."


def intervals_phrase(values: pd.DataFrame) -> str:
    """What the bars' whiskers are, truthfully: 95% intervals, or none (and why)."""
    if values["lower_ci95"].notna().any():
        return "bars show 95% confidence intervals"
    reasons = values["comparison_reason"].dropna()
    reasons = reasons[reasons != ""]
    why = f": {reasons.iloc[0]}" if not reasons.empty else ""
    return f"no confidence intervals{why}"
