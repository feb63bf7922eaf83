"""Small-number suppression: counts 1 to 4, and any figure that would reveal one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna import stats
from jsna.recipes.common import CI_COLUMNS, SMALL_MAX


def suppress(values: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Blank counts of 1 to 4, and a second area wherever one could be recovered by subtraction.

    Primary: any row with a count from 1 to SMALL_MAX. Secondary: within each group whose
    total is published (a neighbourhood and its wards, a PCN and its practices, the council and
    its neighbourhoods or PCNs), if exactly one member is suppressed, the smallest other
    member is suppressed too, repeated until stable.
    """
    values = values.copy()
    small = values["count"].between(1, SMALL_MAX)
    values["suppressed"] = small
    values.loc[small, "note"] = "Suppressed: fewer than 5 (disclosure control)"
    key_cols = ["indicator_id", "period", "sex", "age"]
    counted = values["count"].notna()
    while True:
        v = values.loc[counted, ["area_code", *key_cols, "count", "suppressed"]]
        kids = members.merge(v, left_on="member_code", right_on="area_code")
        parents = v[~v["suppressed"]].rename(columns={"area_code": "group_code"})
        kids = kids.merge(parents[["group_code", *key_cols]], on=["group_code", *key_cols])
        n_sup = kids.groupby(["group_code", *key_cols])["suppressed"].transform("sum")
        exposed = kids[(n_sup == 1) & ~kids["suppressed"]]
        if exposed.empty:
            break
        # In each exposed group, hide the smallest other member.
        victims = exposed.loc[exposed.groupby(["group_code", *key_cols])["count"].idxmin()]
        hit = values.reset_index().merge(
            victims[["area_code", *key_cols]], on=["area_code", *key_cols]
        )["index"]
        values.loc[hit, "suppressed"] = True
        values.loc[hit, "note"] = "Suppressed: would reveal a small number by subtraction"
    sup = values["suppressed"]
    values.loc[sup, ["value", "count", *CI_COLUMNS]] = np.nan
    values.loc[sup, "comparison"] = stats.Comparison.NOT_COMPARED.value
    values.loc[sup, "comparison_reason"] = "suppressed (small number)"
    return values.drop(columns="suppressed")
