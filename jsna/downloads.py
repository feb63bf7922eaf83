"""CSV exports with plain column names, the geography, and England and the council included."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PLAIN_NAMES = {
    "area_code": "Area code",
    "area_name": "Area name",
    "area_type": "Area type",
    "vintage": "Ward boundaries",
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator",
    "domain": "Domain",
    "period": "Period",
    "sex": "Sex",
    "age": "Age",
    "unit": "Unit",
    "value_type": "Value type",
    "polarity": "Polarity",
    "value": "Value",
    "lower_ci95": "Lower 95% confidence limit",
    "upper_ci95": "Upper 95% confidence limit",
    "lower_ci998": "Lower 99.8% confidence limit",
    "upper_ci998": "Upper 99.8% confidence limit",
    "count": "Count (numerator)",
    "denominator": "Denominator",
    "england_value": "England value",
    "la_value": "Local authority value",
    "benchmark": "Compared with",
    "benchmark_value": "Benchmark value",
    "comparison": "Comparison with benchmark",
    "comparison_reason": "Why not compared",
    "method": "Method",
    "is_estimate": "Estimate (not pooled counts)",
    "note": "Note",
    "population": "Who is counted",
}
DROP = ["domain_order", "sort_order"]
"""Profile columns (`jsna.schema.PROFILE_COLUMNS`) left out of downloads; the rest are named."""
VINTAGES = {
    "lsoa_2011": "LSOA 2011",
    "lsoa_2021": "LSOA 2021",
    "lsoa_2011_2021": "LSOA 2011 and 2021",
}


def plain(
    df: pd.DataFrame, la_name: str | None = None, ward_sets: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Rename profile columns to plain English and drop internal ones.

    `la_name` (the local authority's name) names the `la_value` column when given;
    `ward_sets` maps each ward set id to its name, shown in the boundaries column.
    """
    out = df.drop(columns=[c for c in DROP if c in df.columns])
    if "vintage" in out.columns:
        names = {k: v[:1].upper() + v[1:] for k, v in (ward_sets or {}).items()}
        out["vintage"] = out["vintage"].map(VINTAGES | names)
    names = dict(PLAIN_NAMES)
    if la_name:
        names["la_value"] = f"{la_name} value"
    return out.rename(columns=names)


def to_csv(
    df: pd.DataFrame, la_name: str | None = None, ward_sets: Mapping[str, str] | None = None
) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read the encoding)."""
    return plain(df, la_name, ward_sets).to_csv(index=False).encode("utf-8-sig")
