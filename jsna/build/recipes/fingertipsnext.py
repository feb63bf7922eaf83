"""Build recipe for FingertipsNext local authority series (counts, denominators, years).

The FingertipsNext extract (the place's `[source]` file) holds
the council's and England's rows in FingertipsNext's long format (``Year`` is the start year of a
financial year: 2023 = 2023/24). Values are recomputed from the published counts with Wilson
intervals, like every other proportion here, and checked against the published value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.build.recipes.common import recipe
from jsna.build.sources import SourceError, Sources, check_range
from jsna.core import stats
from jsna.core.model import Indicator
from jsna.core.schema import CI_COLUMNS

COLUMNS = ["IndicatorId", "Year", "SexID", "AreaCode", "Count", "Value", "Denominator"]
PERSONS = "4"
TOLERANCE = 0.01
"""Largest gap (percentage points) allowed between our value and the published one."""


@recipe("fingertipsnext_la", file="str", indicator_id="int", trend_by_counts="bool?")
def fingertipsnext_la(src: Sources, geo_: object, ind: Indicator) -> pd.DataFrame:
    """The council and England proportions per financial year, from counts and denominators."""
    place = geo_.place  # type: ignore[attr-defined]
    b = ind.build
    rel = b["file"]

    def used(d: pd.DataFrame) -> pd.Series:
        cat = d["CategoryType"] if "CategoryType" in d.columns else pd.Series(np.nan, d.index)
        return (
            (d["IndicatorId"] == str(b["indicator_id"]))
            & (d["SexID"] == PERSONS)
            & cat.isna()
            & d["AreaCode"].isin([place.code, place.england_code])
        )

    df = src.read_csv(rel, COLUMNS, counts=["Count", "Denominator"], numbers=["Value"], rows=used)
    df = df[used(df)]
    check_range(df, rel, "Value", ind.unit)
    if df.empty:
        raise SourceError(rel, f"no rows for indicator {b['indicator_id']}", column="IndicatorId")
    dup = df.duplicated(subset=["AreaCode", "Year"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(rel, "duplicate area and year", int(df["_row"].iloc[i]), "Year")
    blank = df["Count"].isna() | df["Denominator"].isna()
    if blank.any():
        i = int(blank.to_numpy().argmax())
        raise SourceError(rel, "blank count or denominator", int(df["_row"].iloc[i]), "Count")
    start = df["Year"].astype(int)
    out = pd.DataFrame(
        {
            "area_code": df["AreaCode"].to_numpy(),
            "period": [f"{y}/{(y + 1) % 100:02d}" for y in start],
            "count": df["Count"].to_numpy(dtype=float),
            "denominator": df["Denominator"].to_numpy(dtype=float),
        }
    )
    res = stats.proportion(out["count"].to_numpy(), out["denominator"].to_numpy(), 100.0)
    for c in ["value", *CI_COLUMNS, "method"]:
        out[c] = res[c].to_numpy()
    gap = np.abs(out["value"].to_numpy() - df["Value"].to_numpy(dtype=float))
    if (gap > TOLERANCE).any():
        i = int(gap.argmax())
        raise SourceError(
            rel,
            f"published value {df['Value'].iloc[i]} differs from count/denominator",
            int(df["_row"].iloc[i]),
            "Value",
        )
    return out.sort_values(["area_code", "period"], ignore_index=True)
