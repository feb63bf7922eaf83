"""Small-number suppression: counts 1 to 4, and any figure that would reveal one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna import stats
from jsna.schema import CI_COLUMNS

SMALL_MAX = 4  # counts 1..4 are suppressed (disclosure control)
SUPPRESSED_NOTE = "Suppressed: fewer than 5 (disclosure control)"


def suppress(values: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Blank counts of 1 to 4, and a second area wherever one could be recovered by subtraction.

    Primary: any row with a count from 1 to SMALL_MAX. Secondary: within each group whose
    total is published (a neighbourhood and its wards, a PCN and its practices, the council and
    its neighbourhoods or PCNs), if exactly one member is suppressed, the smallest other
    member is suppressed too, repeated until stable. A group whose one hidden member has no
    other member to hide with it (a PCN of one practice, say, hidden from another total)
    has its own total suppressed instead.
    """
    values = values.copy()
    small = values["count"].between(1, SMALL_MAX)
    values["suppressed"] = small
    values.loc[small, "note"] = SUPPRESSED_NOTE
    key_cols = ["indicator_id", "period", "sex", "age"]
    counted = values["count"].notna()
    while True:
        v = values.loc[counted, ["area_code", *key_cols, "count", "suppressed"]]
        kids = members.merge(v, left_on="member_code", right_on="area_code")
        parents = v[~v["suppressed"]].rename(columns={"area_code": "group_code"})
        kids = kids.merge(parents[["group_code", *key_cols]], on=["group_code", *key_cols])
        by_group = kids.groupby(["group_code", *key_cols])["suppressed"]
        n_sup = by_group.transform("sum")
        exposed = kids[(n_sup == 1) & ~kids["suppressed"]]
        # A lone hidden member (nothing else to hide beside it): hide the group's total.
        lone = kids[(n_sup == 1) & (by_group.transform("size") == 1)]
        if exposed.empty and lone.empty:
            break
        # In each exposed group, hide the smallest other member.
        victims = pd.concat(
            [
                exposed.loc[exposed.groupby(["group_code", *key_cols])["count"].idxmin()][
                    ["area_code", *key_cols]
                ],
                lone[["group_code", *key_cols]].rename(columns={"group_code": "area_code"}),
            ],
            ignore_index=True,
        )
        hit = values.reset_index().merge(victims, on=["area_code", *key_cols])["index"]
        values.loc[hit, "suppressed"] = True
        values.loc[hit, "note"] = "Suppressed: would reveal a small number by subtraction"
    sup = values["suppressed"]
    values.loc[sup, ["value", "count", *CI_COLUMNS]] = np.nan
    values.loc[sup, "comparison"] = stats.Comparison.NOT_COMPARED.value
    values.loc[sup, "comparison_reason"] = "suppressed (small number)"
    return values.drop(columns="suppressed")
