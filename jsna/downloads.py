"""CSV exports with plain column names, the geography, and England and Trafford included."""

from __future__ import annotations

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
}
DROP = ["domain_order", "sort_order"]
VINTAGES = {
    "wards_2004": "Wards 2004 to May 2023",
    "wards_2023": "Wards from May 2023",
    "lsoa_2011": "LSOA 2011",
    "lsoa_2021": "LSOA 2021",
    "lsoa_2011_2021": "LSOA 2011 and 2021",
}


def plain(df: pd.DataFrame, la_name: str | None = None) -> pd.DataFrame:
    """Rename profile columns to plain English and drop internal ones.

    `la_name` (the local authority's name) names the `la_value` column when given.
    """
    out = df.drop(columns=[c for c in DROP if c in df.columns])
    if "vintage" in out.columns:
        out["vintage"] = out["vintage"].map(VINTAGES)
    names = dict(PLAIN_NAMES)
    if la_name:
        names["la_value"] = f"{la_name} value"
    return out.rename(columns=names)


def to_csv(df: pd.DataFrame, la_name: str | None = None) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read the encoding)."""
    return plain(df, la_name).to_csv(index=False).encode("utf-8-sig")
