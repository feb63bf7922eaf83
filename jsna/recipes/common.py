"""What every recipe shares: pooling counts, intervals, groups of areas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jsna import stats
from jsna.geography import Geography
from jsna.profiles import Indicator
from jsna.schema import CI_COLUMNS
from jsna.sources import SourceError, Sources


def _frame(area_codes: Any, **cols: Any) -> pd.DataFrame:
    df = pd.DataFrame({"area_code": list(area_codes)})
    for k, v in cols.items():
        df[k] = v.values if isinstance(v, pd.Series) else v
    return df


def _with_proportion(df: pd.DataFrame, multiplier: float = 100.0) -> pd.DataFrame:
    res = stats.proportion(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df


def _with_rate(df: pd.DataFrame, multiplier: float) -> pd.DataFrame:
    res = stats.crude_rate(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df


def _pool(counts: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Sum `count` and `denominator` of member areas into each group (never average rates)."""
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


def _area_groups(geo_: Geography, geography: str) -> dict[str, list[str]]:
    """Neighbourhoods and the council as lists of wards of one vintage."""
    mapping = geo_.ward_map(geography)
    groups: dict[str, list[str]] = {n.code: [] for n in geo_.place.neighbourhoods}
    for ward, nbh in mapping.items():
        groups[nbh].append(ward)
    groups[geo_.place.code] = list(mapping)
    return groups


def _pcn_groups(geo_: Geography) -> dict[str, list[str]]:
    groups = {c.code: list(c.practices) for c in geo_.place.pcns}
    groups[geo_.place.code] = list(geo_.practice_pcn)
    return groups


Recipe = Callable[[Sources, Geography, Indicator], pd.DataFrame]


@dataclass(frozen=True)
class Kind:
    """A recipe and the keys of its `build` table.

    Keys map to type names of `jsna.schema.TYPES`, a trailing "?" for an optional key; file
    keys (`jsna.schema.SOURCE_KEYS`) come from the place's `[source.<name>]` table.
    """

    run: Recipe
    settings: dict[str, str]


KINDS: dict[str, Kind] = {}
"""Every recipe by the `kind` an indicator's `build` table names (filled by `@recipe`)."""


def recipe(kind: str, **settings: str) -> Callable[[Recipe], Recipe]:
    """Declare a recipe: the `kind` that names it and the settings its `build` table takes."""

    def register(run: Recipe) -> Recipe:
        KINDS[kind] = Kind(run, settings)
        return run

    return register
