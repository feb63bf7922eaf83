"""What every recipe shares: groups of areas and the recipe registry (pooling: `core.pooling`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from jsna.build.geography import Geography
from jsna.build.sources import SourceError, Sources
from jsna.core.errors import ProfileError
from jsna.core.model import Indicator


def area_groups(geo_: Geography, geography: str) -> dict[str, list[str]]:
    """Neighbourhoods and the council as lists of wards of one vintage."""
    mapping = geo_.ward_map(geography)
    groups: dict[str, list[str]] = {n.code: [] for n in geo_.place.neighbourhoods}
    for ward, nbh in mapping.items():
        groups[nbh].append(ward)
    groups[geo_.place.code] = list(mapping)
    return groups


def lsoa_set(
    geo_: Geography, codes: Iterable[str], wanted: str | None, rel: str
) -> tuple[dict[str, str], str]:
    """The LSOA set (LSOA -> ward, and its ward set) a file's LSOA codes are on.

    `wanted` (an indicator's `build.lsoa_set`) names it; otherwise it is the place's LSOA set
    holding most of the codes, so no set's id is written in a recipe. Stops when no set
    holds any of them, or two hold the same number.
    """
    sets = {s.id: s for s in geo_.place.lsoa_sets}
    if wanted:
        if wanted not in sets:
            raise ProfileError(
                f"{rel}: lsoa_set '{wanted}' is not one of the place's LSOA sets "
                f"({', '.join(sets) or 'none'})"
            )
        return geo_.lsoa_wards[wanted], sets[wanted].ward_set
    found = set(codes)
    held = sorted(((len(found & geo_.lsoa_wards[i].keys()), i) for i in sets), reverse=True)
    if not held or held[0][0] == 0 or (len(held) > 1 and held[1][0] == held[0][0]):
        raise SourceError(
            rel,
            "its LSOA codes are not those of one of the place's LSOA sets "
            f"({', '.join(sets) or 'none'}); name one with lsoa_set",
        )
    best = held[0][1]
    return geo_.lsoa_wards[best], sets[best].ward_set


def pcn_groups(geo_: Geography) -> dict[str, list[str]]:
    """PCNs and the council as lists of practices."""
    groups = {c.code: list(c.practices) for c in geo_.place.pcns}
    groups[geo_.place.code] = list(geo_.practice_pcn)
    return groups


Recipe = Callable[[Sources, Geography, Indicator], pd.DataFrame]


@dataclass(frozen=True)
class Kind:
    """A recipe and the keys of its `build` table.

    Keys map to type names of `jsna.core.schema.TYPES`, a trailing "?" for an optional key; file
    keys (`jsna.core.schema.SOURCE_KEYS`) come from the place's `[source.<name>]` table.
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
