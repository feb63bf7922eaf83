"""The place and its indicators as the app reads them: frozen dataclasses, no I/O.

The build loads them from `profiles/*.toml` (`jsna.build.profiles`) and writes them into the
database (`jsna.core.stored`); the app reads them back from the database and never from TOML. A
`Place` read from the database has no `files` or `sources` (the source files are the build's
business), and an `Indicator`'s `build` holds only the settings the app uses (`multiplier`,
`trend_by_counts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jsna.core.stats import Polarity


@dataclass(frozen=True)
class WardSet:
    """One set of ward boundaries: its wards' lookup label, boundaries and words."""

    id: str
    name: str
    short: str
    note: str
    lookup_label: str
    layer: str
    boundary: str
    neighbourhood_layer: str
    neighbourhood_boundary: str


@dataclass(frozen=True)
class LsoaSet:
    """LSOAs of one census, with their best-fit lookup to a ward set."""

    id: str
    lookup: str
    lsoa_column: str
    ward_column: str
    la_column: str
    ward_set: str
    layer: str
    boundary: str


@dataclass(frozen=True)
class Neighbourhood:
    """A neighbourhood: a named set of wards in each ward set (ward set id -> ward codes)."""

    code: str
    name: str
    wards: dict[str, tuple[str, ...]] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Pcn:
    """A Primary Care Network: a named set of practices and the neighbourhoods it serves."""

    code: str
    name: str
    serves: tuple[str, ...]
    practices: tuple[str, ...]


@dataclass(frozen=True)
class PeerGroup:
    """A group of councils used as an alternative benchmark."""

    code: str
    name: str
    description: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """The place: local authority, England, ward sets, neighbourhoods, PCNs and its files."""

    code: str
    name: str
    england_code: str
    england_name: str
    neighbourhoods: tuple[Neighbourhood, ...]
    pcns: tuple[Pcn, ...]
    peers: PeerGroup | None = None
    ward_sets: tuple[WardSet, ...] = ()
    lsoa_sets: tuple[LsoaSet, ...] = ()
    current_ward_set: str = ""
    # People of Census perturbation noise allowed per published cell summed when two tables'
    # totals of one area are compared (jsna.build.checks); 1 unless the place says otherwise.
    census_noise_per_cell: int = 1
    # (item, reason) for what the place's data cannot give, shown on Definitions and data.
    not_available: tuple[tuple[str, str], ...] = ()
    files: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def ward_set_names(self) -> dict[str, str]:
        """Ward set id -> its name in words ("wards from May 2023"), in profile order."""
        return {w.id: w.name for w in self.ward_sets}

    def ward_set(self, ward_set_id: str) -> WardSet:
        """The ward set with this id (KeyError if unknown)."""
        for w in self.ward_sets:
            if w.id == ward_set_id:
                return w
        raise KeyError(ward_set_id)

    def geography_label(self, geography: str) -> str:
        """How the Definitions page names an indicator's geography."""
        ward_names = {w.id: w.name[:1].upper() + w.name[1:] for w in self.ward_sets}
        lsoa = [w for w in self.lsoa_sets if w.ward_set in ward_names]
        fixed = {
            "lsoa": "LSOAs"
            + (f" (best-fit to {self.ward_set(lsoa[0].ward_set).name})" if lsoa else ""),
            "practice": "GP practices",
            "local_authority": f"{self.name} only",
        }
        return ward_names.get(geography) or fixed.get(geography, geography)

    @property
    def slug(self) -> str:
        """The name in lower case with runs of other characters as `_` (for file names)."""
        return re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_") or "place"

    def summary(self) -> str:
        """'four neighbourhoods and five Primary Care Networks' (counted from the profile)."""
        n, p = len(self.neighbourhoods), len(self.pcns)
        nbh = f"{count_words(n)} neighbourhood{'s' if n != 1 else ''}"
        pcn = f"{count_words(p)} Primary Care Network{'s' if p != 1 else ''}"
        return f"{nbh} and {pcn}"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(n: int) -> str:
    """A small count in words as style guides ask (one to nine), larger ones in digits."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


@dataclass(frozen=True)
class Domain:
    """A profile domain, in display order."""

    id: str
    name: str
    order: int


@dataclass(frozen=True)
class Indicator:
    """One indicator's definition and the recipe that builds it."""

    id: str
    name: str
    domain: str
    definition: str
    value_type: str
    unit: str
    polarity: Polarity
    ci_method: str
    comparator: str
    period: str
    sources: tuple[str, ...]
    publisher: str
    licence: str
    geography: str
    estimate: bool
    england_value: float | None
    build: dict[str, Any] = field(hash=False, compare=False)

    @property
    def trend_by_counts(self) -> bool:
        """Whether its recent trend is tested on counts (Fingertips' "use proportions")."""
        return bool(self.build.get("trend_by_counts", False))


@dataclass(frozen=True)
class IndicatorProfile:
    """Domains in order and indicators in profile order."""

    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if unknown)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)


def multiplier(ind: Indicator) -> float:
    """What a value is per: 100 for a percentage, else `build.multiplier` (or 100,000)."""
    default = 100.0 if ind.value_type == "proportion" else 100_000.0
    return float(ind.build.get("multiplier", default))
