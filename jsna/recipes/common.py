"""What every recipe shares: groups of areas and the recipe registry (pooling: `jsna.pooling`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from jsna.geography import Geography
from jsna.model import Indicator
from jsna.sources import Sources


def area_groups(geo_: Geography, geography: str) -> dict[str, list[str]]:
    """Neighbourhoods and the council as lists of wards of one vintage."""
    mapping = geo_.ward_map(geography)
    groups: dict[str, list[str]] = {n.code: [] for n in geo_.place.neighbourhoods}
    for ward, nbh in mapping.items():
        groups[nbh].append(ward)
    groups[geo_.place.code] = list(mapping)
    return groups


def pcn_groups(geo_: Geography) -> dict[str, list[str]]:
    """PCNs and the council as lists of practices."""
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
