"""Smoothed small-area values, written by the build beside the raw ones (`smoothed_values`).

For every ward and LSOA proportion built from counts (Wilson intervals), each set of areas of
one type and boundary set is smoothed together (`jsna.core.stats.smoothing.smooth_proportion`):
each area is pulled towards the average of all of them by as much as its count is too small
to tell it apart. Suppressed rows have no count and get no smoothed value, and take no part
in the average, so nothing hidden can be worked back from it. Rates and ratios published
without their counts (Local Health's SMRs) cannot be smoothed honestly and are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from jsna.core.stats.smoothing import SMOOTHED_COLUMNS, smooth_proportion

if TYPE_CHECKING:
    from jsna.core.model import IndicatorProfile

SMALL_AREAS = ("ward", "lsoa")
KEY = ["area_code", "indicator_id", "period", "sex", "age"]
SMOOTHED_TABLE_COLUMNS = (*KEY, *SMOOTHED_COLUMNS, "higher_than", "towards", "areas_pooled")
"""Columns of `smoothed_values`: the row's key, the smoothed value with its 95% credible
interval, the probability its true value is higher than its benchmark's (`higher_than`:
England, or the council where England has no figure), the average it is pulled towards and
how many areas that average pools."""


def smoothed_values(
    values: pd.DataFrame, areas: pd.DataFrame, profile: IndicatorProfile
) -> pd.DataFrame:
    """One row per ward or LSOA proportion with counts: its smoothed value (see module)."""
    ids = {
        i.id for i in profile.indicators if i.value_type == "proportion" and i.ci_method == "wilson"
    }
    rows = values.merge(areas[["area_code", "area_type", "vintage"]], on="area_code")
    rows = rows[
        rows["area_type"].isin(SMALL_AREAS)
        & rows["indicator_id"].isin(ids)
        & rows["count"].notna()
        & (rows["denominator"] > 0)
    ]
    frames = []
    group = ["indicator_id", "period", "sex", "age", "area_type", "vintage"]
    for _, g in rows.groupby(group, dropna=False, sort=True):
        # The default benchmark: England, or the council where England has no figure.
        bench = g.loc[g["benchmark_value"].notna(), ["benchmark", "benchmark_value"]]
        out = smooth_proportion(
            g["count"],
            g["denominator"],
            float(bench["benchmark_value"].iloc[0]) if len(bench) else float("nan"),
        )
        out.index = g.index
        out["higher_than"] = bench["benchmark"].iloc[0] if len(bench) else None
        out["towards"] = 100 * g["count"].sum() / g["denominator"].sum()
        out["areas_pooled"] = len(g)
        frames.append(pd.concat([g[KEY], out], axis=1))
    if not frames:
        return pd.DataFrame(columns=list(SMOOTHED_TABLE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(SMOOTHED_TABLE_COLUMNS)]
