"""Smoothed small-area values as the Map and Compare areas show them (app side, no I/O).

The build writes `smoothed_values` (`jsna.build.smoothed`); these functions put its rows beside the
raw ones, in words a commissioner reads: the smoothed value, its 95% credible interval, the
chance of being higher than the benchmark, and the raw value with its count. The comparison
colours always stay those of the raw value and its confidence interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jsna.app.charts import hover_text
from jsna.app.narrative import format_value

FIGURES = {"raw": "As published", "smoothed": "Smoothed"}
"""The choice between the published and the smoothed value (`?figures=`)."""
SMOOTHED_AREA_TYPES = ("ward", "lsoa")
EXPLANATION = (
    "Smoothing pulls each small area's figure towards the average of all the areas, more so "
    "the smaller the area, so figures from a few people jump about less; it does not change "
    "which areas are significantly different (the colours still show that)."
)
CREDIBLE = (
    "The whiskers are 95% credible intervals of the smoothed values (where the true value "
    "probably lies), not confidence intervals."
)
DISPLAY_COLUMNS = [
    "smoothed_value",
    "smoothed_lower95",
    "smoothed_upper95",
    "chance_higher",
    "higher_than",
    "towards",
    "areas_pooled",
]
"""Columns `with_smoothed` adds (and downloads carry, with plain names in `jsna.app.downloads`)."""


def unavailable(area_type: str, words: str, other_levels: list[str]) -> str:
    """Why there are no smoothed values for this indicator and type of area."""
    if area_type not in SMOOTHED_AREA_TYPES:
        why = (
            f"Smoothed values are not available for {words}: only wards and LSOAs are "
            "smoothed, as bigger areas' figures are already steady."
        )
    else:
        why = (
            "Smoothed values are not available for this indicator: only percentages built "
            "from published counts are smoothed (figures published without their counts, "
            "such as standardised ratios, cannot be)."
        )
    if other_levels:
        why += f" This indicator has smoothed values for {' and '.join(other_levels)}."
    return why


def with_smoothed(values: pd.DataFrame, smoothed: pd.DataFrame) -> pd.DataFrame:
    """`values` with each row's smoothed columns (`DISPLAY_COLUMNS`; empty where none)."""
    rows = smoothed.assign(chance_higher=100 * smoothed["p_higher"])
    keep = ["area_code", "sex", "age", *DISPLAY_COLUMNS]
    out = values.merge(rows[keep], on=["area_code", "sex", "age"], how="left")
    out.index = values.index
    return out


def chance_words(p: Any, benchmark: Any) -> str:
    """The chance the true value is higher than the benchmark, in words ("97% chance…")."""
    bench = benchmark if isinstance(benchmark, str) and benchmark else "England"
    pct = 100 * float(p)
    said = "over 99%" if pct > 99 else "under 1%" if pct < 1 else f"{pct:.0f}%"
    return f"{said[:1].upper()}{said[1:]} chance its true value is higher than {bench}'s"


def _published(row: Mapping[Any, Any]) -> str:
    """The published value with its count ("4.4% (460 of 10,347)"); never a count of 1 to 4."""
    vt, unit = str(row.get("value_type", "proportion")), str(row.get("unit", ""))
    c, d = row.get("count"), row.get("denominator")
    if pd.notna(c) and 1 <= float(c) <= 4:  # with its denominator, the value would tell it
        return "As published: suppressed (small number)"
    count = ""
    if pd.notna(c):
        count = f" ({float(c):,.0f} of {float(d):,.0f})" if pd.notna(d) else f" ({float(c):,.0f})"
    return f"As published: {format_value(row.get('value'), vt, unit)}{count}"


def hover(row: Mapping[Any, Any], raw_hover: str) -> str:
    """A hover label led by the smoothed value; `raw_hover` when the row has none."""
    if pd.isna(row.get("smoothed_value")):
        return raw_hover
    vt, unit = str(row.get("value_type", "proportion")), str(row.get("unit", ""))
    lo, hi = row["smoothed_lower95"], row["smoothed_upper95"]
    lines = [
        f"<b>{row.get('area_name', '')}</b>",
        f"Smoothed: {format_value(row['smoothed_value'], vt, unit)}",
        f"95% credible interval {format_value(lo, vt, unit)} to {format_value(hi, vt, unit)}",
        chance_words(row["chance_higher"] / 100, row.get("higher_than")),
        _published(row),
    ]
    # The last line of the raw label is its comparison (or why it is not compared).
    return "<br>".join([*lines, raw_hover.rsplit("<br>", 1)[-1]])


def as_bars(values: pd.DataFrame) -> pd.DataFrame:
    """Rows for `charts.compare_bars` drawn at the smoothed value with its credible interval.

    The comparison (and so the colour) is the raw value's; `_hover` holds each row's label.
    """
    out = values.copy()
    out["_hover"] = [hover(r, hover_text(r)) for r in values.to_dict("records")]
    return out.assign(
        value=values["smoothed_value"],
        lower_ci95=values["smoothed_lower95"],
        upper_ci95=values["smoothed_upper95"],
    )


def add_table_columns(table: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Put "Smoothed" and its credible interval after "Value" in a `tables.profile_table`.

    `rows` are the table's rows in its order (from `with_smoothed`).
    """
    shown, lo, hi = [], [], []
    for r in rows.to_dict("records"):
        vt, unit = str(r["value_type"]), str(r.get("unit", ""))
        missing = pd.isna(r.get("smoothed_value"))
        shown.append("" if missing else format_value(r["smoothed_value"], vt, unit))
        lo.append("" if missing else format_value(r["smoothed_lower95"], vt, unit))
        hi.append("" if missing else format_value(r["smoothed_upper95"], vt, unit))
    at = list(table.columns).index("Value") + 1
    table.insert(at, "Smoothed", shown)
    table.insert(
        at + 1,
        "95% credible interval",
        [f"{a} to {b}" if a else "" for a, b in zip(lo, hi, strict=True)],
    )


def method_text(smoothed: pd.DataFrame, words: str) -> str:
    """How the smoothed values were made, for the page's expander (markdown)."""
    sets = (
        smoothed.dropna(subset=["towards"])
        .groupby(["towards", "areas_pooled"])
        .size()
        .sort_values(ascending=False, kind="stable")
    )
    if sets.empty:
        average = "the average of all the areas"
    else:
        towards, pooled = (float(x) for x in sets.index[0])
        average = (
            f"the average of all {int(pooled):,} {words} on the same boundaries "
            f"({towards:.1f}%, their counts added up before dividing)"
        )
        if len(sets) > 1:
            others = int(sets.iloc[1:].sum())
            sizes = " and ".join(f"{int(n):,}" for _, n in sets.index[1:])
            average += (
                f"; {others:,} {words} on other boundaries are smoothed within their own "
                f"set{'s' if len(sets) > 2 else ''} of {sizes}"
            )
            if max(n for _, n in sets.index[1:]) < 10:
                average += ", too few for the average to say much"
    bench = smoothed["higher_than"].dropna()
    return (
        f"Each value is pulled towards {average}. How far depends on how much the areas "
        "really differ, beyond chance, and on how small each area's count is: an area with "
        "a large count keeps close to its own figure, one with a small count moves most of "
        "the way (an empirical-Bayes beta-binomial model: Clayton & Kaldor 1987; Marshall "
        "1991). The 95% credible interval is where the true value lies with 95% "
        "probability under that model; it is usually narrower than the confidence interval "
        "because it borrows strength from the other areas. The chance of being higher than "
        f"{bench.iloc[0] if not bench.empty else 'England'} is read from the same model. "
        "Suppressed areas (counts of 1 to 4) are not smoothed and take no part in the "
        "average. The colours and the words *higher* or *lower than* still come from each "
        "area's own figure and its confidence interval."
    )
