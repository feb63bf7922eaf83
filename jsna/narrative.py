"""Plain-English sentences about an area's indicators, written from the data.

Rule: a difference is never called higher or lower without saying whether it is significant;
anything not compared says so and why. Significant differences come first.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jsna.stats import Comparison

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


def footprints(profile: pd.DataFrame) -> list[str]:
    """Who an area's figures count, per population: "49,908 residents (wards of ...), 2021".

    A neighbourhood is built on different ward sets for different sources, and on its PCNs'
    registered patients for practice data, so each footprint is given with its own size: the
    head count, or else the denominator of its first pooled indicator in profile order.
    """
    if profile.empty or "population" not in profile.columns:
        return []
    df = profile[profile["population"].notna() & ~profile["population"].str.contains("LSOA")]
    people = (df["value_type"] == "count") & df["unit"].isin(["people", "patients"])
    size = df["value"].where(people, df["denominator"].where(df["count"].notna()))
    df = df.assign(size=size, _people=people)[size.notna()]
    out = []
    for label, sub in df.groupby("population", sort=False):
        top = sub.sort_values("_people", ascending=False, kind="stable").iloc[0]
        who, _, where = str(label).partition(" (")
        where = f" ({where}" if where else ""
        out.append(f"{top['size']:,.0f} {who[:1].lower() + who[1:]}{where}, {top['period']}")
    return out
