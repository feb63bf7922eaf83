"""Reshape profile rows into the tables pages show (pure pandas, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from jsna.app.charts import SUPPRESSED, category, comparison_words
from jsna.app.narrative import format_value
from jsna.core.stats import Comparison


def _ci(row: Mapping[Any, Any]) -> str:
    lo, hi = row.get("lower_ci95"), row.get("upper_ci95")
    if pd.isna(lo) or pd.isna(hi):
        return ""
    return f"{format_value(lo, row['value_type'])} to {format_value(hi, row['value_type'])}"


def comparison_label(row: Mapping[Any, Any]) -> str:
    """'Better than England (95%)', 'Not compared: reason', or 'Suppressed'."""
    cat = category(row)
    if cat == SUPPRESSED:
        return "Suppressed (small number)"
    if cat == Comparison.NOT_COMPARED:
        reason = row.get("comparison_reason") or ""
        return f"Not compared: {reason}" if reason else "Not compared"
    return comparison_words(cat, row.get("benchmark") or None)


def profile_table(profile: pd.DataFrame, la_name: str = "Local authority") -> pd.DataFrame:
    """One readable row per indicator: value, England, the council, comparison, CI, count.

    The benchmarks and the comparison come straight after the value, so a phone shows them
    without scrolling the table sideways. `la_name` heads the local authority's column.
    """
    if profile.empty:
        return pd.DataFrame()
    rows = []
    for r in profile.to_dict("records"):
        vt, unit = r["value_type"], r["unit"]
        name = r["indicator_name"] + ("" if r["sex"] == "Persons" else f" ({r['sex']})")
        rows.append(
            {
                "Indicator": name + (" (estimate)" if r["is_estimate"] else ""),
                "Value": format_value(r["value"], vt, unit)
                if pd.notna(r["value"])
                else (r["note"] or "not available"),
                "England": format_value(r["england_value"], vt, unit)
                if pd.notna(r["england_value"])
                else "",
                la_name: format_value(r["la_value"], vt, unit) if pd.notna(r["la_value"]) else "",
                "Comparison": comparison_label(r),
                "95% CI": _ci(r),
                "Count": "" if pd.isna(r["count"]) else f"{r['count']:,.0f}",
                "Denominator": "" if pd.isna(r["denominator"]) else f"{r['denominator']:,.0f}",
                "Period": r["period"],
                "Compared with": r["benchmark"] or "",
                "Domain": r["domain"],
                "Unit": unit,
            }
        )
    return pd.DataFrame(rows)


def member_table(values: pd.DataFrame, vintages: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Member areas (wards or practices) as rows, indicators as columns (formatted values).

    `vintages` maps a ward set id to its short name, shown in the "Ward boundaries" column.
    """
    if values.empty:
        return pd.DataFrame()
    df = values.copy()
    df["label"] = df["indicator_name"] + df["sex"].map(
        lambda s: "" if s == "Persons" else f" ({s})"
    )
    notes = df["note"].fillna("")
    df["shown"] = [
        format_value(v, t, u)
        if pd.notna(v)
        else ("suppressed" if n.startswith("Suppressed") else "not available")
        for v, t, u, n in zip(df["value"], df["value_type"], df["unit"], notes, strict=True)
    ]
    # Practices have no ward vintage; a NaN index level would drop them from the pivot.
    df["vintage"] = df["vintage"].map(
        lambda v: (vintages or {}).get(v, v) if isinstance(v, str) else ""
    )
    order = list(dict.fromkeys(df["label"]))
    wide = df.pivot_table(
        index=["area_name", "vintage"], columns="label", values="shown", aggfunc="first", sort=False
    )
    wide = wide.reindex(columns=order).reset_index()
    wide = wide.rename(columns={"area_name": "Area", "vintage": "Ward boundaries"})
    if (wide["Ward boundaries"] == "").all():
        wide = wide.drop(columns="Ward boundaries")
    return wide
