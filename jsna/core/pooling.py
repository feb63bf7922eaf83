"""Pooling counts: sum members' numerators and denominators, then compute the value.

Shared by the build's recipes, the registered-patient rows and build-your-own areas: a group's
value is always worked out from its members' summed counts, never by averaging their rates.
"""

from __future__ import annotations

import pandas as pd

from jsna.core import stats
from jsna.core.errors import SourceError
from jsna.core.schema import CI_COLUMNS


def pool(counts: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Sum `count` and `denominator` of member areas into each group (never average rates).

    Args:
        counts: One row per member area: `area_code`, `count`, `denominator`.
        groups: Group code -> the codes of its member areas.

    Returns:
        One row per group: `area_code` (the group's), `count`, `denominator`.

    Raises:
        SourceError: a member area has no row, or a blank count or denominator.
    """
    idx = counts.set_index("area_code")
    rows = []
    for group, members in groups.items():
        sub = idx.loc[idx.index.intersection(members)]
        if len(sub) != len(members):
            missing = sorted(set(members) - set(sub.index))
            raise SourceError("(pooling)", f"{group} lacks data for member area {missing[0]}")
        if sub[["count", "denominator"]].isna().any().any():
            raise SourceError("(pooling)", f"{group} has a member area with a blank count")
        rows.append(
            {
                "area_code": group,
                "count": sub["count"].sum(),
                "denominator": sub["denominator"].sum(),
            }
        )
    return pd.DataFrame(rows)


def with_proportion(df: pd.DataFrame, multiplier: float = 100.0) -> pd.DataFrame:
    """Add `value`, the Wilson intervals and `method` from `count` / `denominator` (in place)."""
    res = stats.proportion(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df


def with_rate(df: pd.DataFrame, multiplier: float) -> pd.DataFrame:
    """Add a crude rate per `multiplier`, Byar's intervals and `method` (in place)."""
    res = stats.crude_rate(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df
