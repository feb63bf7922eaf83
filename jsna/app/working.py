"""Show your working: how one number was produced, in words, with its own inputs substituted.

Pure text building (no Streamlit): one profile row plus its indicator's metadata row in, a
markdown string out. The method names follow PHE/OHID's Technical Guide: Confidence
Intervals (2018) and PHEindicatormethods.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from jsna.app.charts import LABELS, SUPPRESSED, category
from jsna.app.narrative import format_value
from jsna.core import stats

Z95 = stats.z_value(0.95)
Z998 = stats.z_value(0.998)


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _n(x: Any) -> str:
    """A count as written: 2,811 (or 1,234.5 if not whole)."""
    f = float(x)
    return f"{f:,.0f}" if f.is_integer() else f"{f:,.1f}"


def precise(value: Any, value_type: str, unit: str = "") -> str:
    """A value with two decimals for percentages and rates (the working shows more digits)."""
    if _missing(value):
        return "not available"
    v = float(value)
    if value_type == "proportion":
        return f"{v:.2f}%"
    if value_type == "rate":
        return f"{v:,.2f} {unit}".strip()
    return format_value(v, value_type, unit)


def _split_method(method: str) -> tuple[str, str]:
    """("how the counts were pooled", "statistical method"): "Pooled from ...; Wilson"."""
    how, _, stat = (method or "").rpartition("; ")
    return how, stat


def method_label(method: str, ci_method: str) -> str:
    """Plain name of the method behind a value."""
    how, m = _split_method(method)
    if how:
        return f"{how}; {method_label(m, ci_method)}"
    if m == "Wilson":
        return "Wilson score interval"
    if m in ("Byars", "Exact"):
        used = "Byar's approximation" if m == "Byars" else "exact Poisson limits"
        return f"Byar's method, exact Poisson below 10 events ({used} here)"
    if m.startswith("As published by OHID"):
        return "As published by OHID" + m.removeprefix("As published by OHID")
    if m:
        return m
    return {
        "wilson": "Wilson score interval",
        "byars": "Byar's method, exact Poisson below 10 events",
        "published": "As published by OHID",
    }.get(ci_method, "No calculation (value as published)")


def _multiplier(row: Mapping[str, Any]) -> float | None:
    """The multiplier that turns count / denominator into the value (100, 1,000, 100,000)."""
    v: Any = row.get("value")
    c: Any = row.get("count")
    d: Any = row.get("denominator")
    if _missing(v) or _missing(c) or _missing(d) or float(c) == 0:
        return 100.0 if row.get("value_type") == "proportion" else None
    m = float(v) * float(d) / float(c)
    return float(10 ** round(math.log10(m))) if m > 0 else None


def _formula(row: Mapping[str, Any]) -> list[str]:
    """The formula in words with the row's own numbers."""
    vt, unit = str(row.get("value_type", "")), str(row.get("unit", ""))
    method = _split_method(str(row.get("method") or ""))[1]
    value: Any = row.get("value")
    count: Any = row.get("count")
    den: Any = row.get("denominator")
    shown = precise(value, vt, unit)
    lines: list[str] = []
    mult = _multiplier(row)
    if method in ("Wilson", "Byars", "Exact") or method.startswith("Residents in"):
        if _missing(count) or _missing(den) or mult is None:
            return ["The count or denominator is not available, so the value cannot be shown."]
        lines.append(f"value = {_n(count)} / {_n(den)} × {_n(mult)} = {shown}")
    if method == "Wilson" and not _missing(count) and not _missing(den):
        p = float(count) / float(den)
        lines.append(
            f"limits = (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n) × {_n(mult or 100)}, "
            f"with p = {_n(count)} / {_n(den)} = {p:.6f}, n = {_n(den)}, "
            f"z = {Z95:.6f} for 95% and {Z998:.6f} for 99.8%"
        )
    elif method == "Byars" and not _missing(count):
        o = _n(count)
        lines.append(
            f"lower = O × (1 − 1/(9O) − z/(3√O))³, upper = (O + 1) × (1 − 1/(9(O + 1)) + "
            f"z/(3√(O + 1)))³, with O = {o} events; each limit ÷ {_n(den)} × {_n(mult or 1)}"
        )
    elif method == "Exact" and not _missing(count):
        lines.append(
            f"limits = exact Poisson limits for O = {_n(count)} events (chi-squared: "
            f"lower = χ²(α/2; 2O)/2, upper = χ²(1 − α/2; 2O + 2)/2), ÷ {_n(den)} × "
            f"{_n(mult or 1)}"
        )
    elif method.startswith("Sum of"):
        lines.append(f"value = sum of the member areas' figures = {shown}")
    elif method.startswith("Count of"):
        lines.append(f"value = number of member practices = {shown}")
    elif method.startswith("Population-weighted mean"):
        lines.append(
            "value = Σ(score × population) / Σ population over the small areas (LSOAs) = "
            f"{shown}" + (f", population {_n(den)}" if not _missing(den) else "")
        )
    elif method.startswith("Estimate:"):
        lines.append(
            "value = Σ(ward value × ward population) / Σ ward population = "
            f"{shown}; no count, so no confidence interval"
        )
    elif method.startswith("Average of the published values"):
        lines.append(f"value = mean of the councils' published values = {shown}")
    elif method.startswith("As published"):
        lines.append(f"value = {shown}, taken as published; nothing is recalculated here")
    return lines


def _comparison_text(row: Mapping[str, Any], indicator: Mapping[str, Any]) -> str:
    cat = category(row)
    vt, unit = str(row.get("value_type", "")), str(row.get("unit", ""))
    bench = str(row.get("benchmark") or "")
    reason = str(row.get("comparison_reason") or "")
    if cat == SUPPRESSED:
        return "Not compared: suppressed (small number)."
    if cat == stats.Comparison.NOT_COMPARED.value:
        return f"Not compared: {reason or 'no benchmark'}."
    label = LABELS[stats.Comparison(cat)]
    polarity = str(indicator.get("polarity") or row.get("polarity") or "")
    judged = {
        "high_is_good": "higher is better",
        "low_is_good": "lower is better",
    }.get(polarity, "no judgement of better or worse")
    lo: Any = row.get("lower_ci95")
    hi: Any = row.get("upper_ci95")
    bval = precise(row.get("benchmark_value"), vt, unit)
    ci = f"{precise(lo, vt, unit)} to {precise(hi, vt, unit)}"
    extra = f" ({reason})" if reason else ""
    if str(row.get("method") or "").startswith("As published by OHID"):
        shown = f" The 95% interval shown is {ci}." if not _missing(lo) else ""
        return (
            f"**{label}**: OHID's own comparison with {bench}, as published (OHID tests with "
            f"its unrounded data); {judged}{extra}.{shown}"
        )
    if cat == stats.Comparison.SIMILAR.value:
        why = f"the 95% interval ({ci}) contains {bench}'s {bval}"
    else:
        above = not _missing(lo) and float(lo) > float(row["benchmark_value"])
        side = "above" if above else "below"
        why = f"the 95% interval ({ci}) lies wholly {side} {bench}'s {bval}"
        if "99.8%" in label:
            why += ", and so does the 99.8% interval"
        elif not _missing(row.get("lower_ci998")):
            why += ", but the 99.8% interval does not"
    return f"**{label}**: {why}; {judged}{extra}."


def working(row: Mapping[str, Any], indicator: Mapping[str, Any]) -> str:
    """How one value was worked out, as markdown.

    Args:
        row: One row of the `profile` view (or a custom area's profile-shaped row).
        indicator: Its row of the `indicators` table (definition, ci_method, sources, …).

    Returns:
        Markdown: the value, inputs, method, confidence levels, formula with the numbers
        substituted, period, sources, benchmark and why it was or was not compared.
    """
    vt, unit = str(row.get("value_type", "")), str(row.get("unit", ""))
    name = str(row.get("indicator_name") or indicator.get("indicator_name") or "")
    sex = str(row.get("sex") or "Persons")
    who = f"{row.get('area_name', '')}" + ("" if sex == "Persons" else f" ({sex.lower()})")
    method = str(row.get("method") or "")
    ci_method = str(indicator.get("ci_method") or "")
    note = row.get("note")
    lines = [f"**{name}, {who}: {format_value(row.get('value'), vt, unit)}**", ""]
    if isinstance(note, str) and note:
        lines += [f"*{note}*", ""]

    inputs = []
    if not _missing(row.get("count")):
        inputs.append(f"count {_n(row['count'])}")
    if not _missing(row.get("denominator")):
        inputs.append(f"denominator {_n(row['denominator'])}")
    if not _missing(row.get("expected")):
        inputs.append(f"expected count {_n(row['expected'])}")
    given = ", ".join(inputs) if inputs else "none published (a value only)"
    population = row.get("population")
    if isinstance(population, str) and population:
        lines.append(f"- **Who is counted:** {population}")
    lines.append(f"- **Inputs:** {given}")
    lines.append(f"- **Method:** {method_label(method, ci_method)}")
    has_ci = not _missing(row.get("lower_ci95")) and not _missing(row.get("upper_ci95"))
    if has_ci:
        ci95 = f"{precise(row['lower_ci95'], vt, unit)} to {precise(row['upper_ci95'], vt, unit)}"
        ci = f"95% (z = {Z95:.6f}): {ci95}"
        if not _missing(row.get("lower_ci998")) and not _missing(row.get("upper_ci998")):
            ci998 = (
                f"{precise(row['lower_ci998'], vt, unit)} to "
                f"{precise(row['upper_ci998'], vt, unit)}"
            )
            ci += f"; 99.8% (z = {Z998:.6f}): {ci998}"
        lines.append(f"- **Confidence intervals:** {ci}")
    else:
        lines.append("- **Confidence intervals:** none")
    formula = _formula(row)
    if formula:
        lines.append("- **Formula:** " + formula[0])
        lines += [f"  - {f}" for f in formula[1:]]
    lines.append(f"- **Period:** {row.get('period') or indicator.get('period') or ''}")
    sources = [s.strip() for s in str(indicator.get("sources") or "").split(";") if s.strip()]
    if sources:
        lines.append("- **Source files:** " + ", ".join(f"`{s}`" for s in sources))
    if indicator.get("publisher"):
        lines.append(f"- **Publisher:** {indicator['publisher']} ({indicator.get('licence', '')})")
    bench = str(row.get("benchmark") or "")
    if bench:
        bval = row.get("benchmark_value")
        shown = precise(bval, vt, unit) if not _missing(bval) else "no figure for this indicator"
        lines.append(f"- **Benchmark:** {bench}, {shown}")
    else:
        lines.append("- **Benchmark:** none for this indicator")
    lines.append(f"- **Comparison:** {_comparison_text(row, indicator)}")
    return "\n".join(lines)
