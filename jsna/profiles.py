"""Load and validate the declarative profiles in `profiles/*.toml`.

`place.toml` defines Trafford, its neighbourhoods (sets of wards, both vintages) and its PCNs
(sets of practices); `indicators.toml` defines the domains and indicators. Both load into
frozen dataclasses so the rest of the code never handles raw dictionaries.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsna import schema
from jsna.config import profiles_dir
from jsna.stats import Polarity

VALUE_TYPES = {"count", "proportion", "rate", "ratio", "years", "score"}
CI_METHODS = {"wilson", "byars", "published", "none"}
COMPARATORS = {"england", "la", "none"}
GEOGRAPHIES = {"wards_2004", "wards_2023", "lsoa", "practice", "local_authority"}

CI_METHOD_LABELS = {
    "wilson": "Wilson score interval",
    "byars": "Byar's method (exact Poisson below 10 events)",
    "published": "Significance as published by OHID",
    "none": "No confidence interval",
}
GEOGRAPHY_LABELS = {
    "wards_2004": "Wards of 2004 to May 2023",
    "wards_2023": "Wards from May 2023",
    "lsoa": "LSOAs (best-fit to wards of 2004 to May 2023)",
    "practice": "GP practices",
    "local_authority": "Trafford only",
}


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Neighbourhood:
    """A neighbourhood: a named set of wards in each ward vintage."""

    code: str
    name: str
    wards_2004: tuple[str, ...]
    wards_2023: tuple[str, ...]


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
    """The place: local authority, England, neighbourhoods and PCNs."""

    code: str
    name: str
    england_code: str
    england_name: str
    neighbourhoods: tuple[Neighbourhood, ...]
    pcns: tuple[Pcn, ...]
    peers: PeerGroup | None = None

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


def _read(path: Path, spec: dict[str, schema.Table | schema.Array]) -> dict[str, Any]:
    name = f"{path.parent.name}/{path.name}"
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{name}: {exc}") from exc
    try:
        schema.check(raw, spec, name)
    except schema.SchemaError as exc:
        raise ProfileError(str(exc)) from exc
    return raw


def _need(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise ProfileError(f"{where}: missing '{key}'")
    return entry[key]


def load_place(path: Path | None = None) -> Place:
    """Load `profiles/place.toml`."""
    path = path or profiles_dir() / "place.toml"
    raw = _read(path, schema.PLACE)
    top = _need(raw, "place", str(path))
    nbhs = tuple(
        Neighbourhood(
            code=_need(n, "code", f"{path} neighbourhood {i + 1}"),
            name=_need(n, "name", f"{path} neighbourhood {i + 1}"),
            wards_2004=tuple(_need(n, "wards_2004", f"{path} neighbourhood {i + 1}")),
            wards_2023=tuple(_need(n, "wards_2023", f"{path} neighbourhood {i + 1}")),
        )
        for i, n in enumerate(raw.get("neighbourhood", []))
    )
    pcns = tuple(
        Pcn(
            code=_need(p, "code", f"{path} pcn {i + 1}"),
            name=_need(p, "name", f"{path} pcn {i + 1}"),
            serves=tuple(_need(p, "serves", f"{path} pcn {i + 1}")),
            practices=tuple(_need(p, "practices", f"{path} pcn {i + 1}")),
        )
        for i, p in enumerate(raw.get("pcn", []))
    )
    codes = {n.code for n in nbhs}
    for p in pcns:
        unknown = set(p.serves) - codes
        if unknown:
            raise ProfileError(
                f"{path}: PCN {p.code} serves unknown neighbourhood {sorted(unknown)}"
            )
    peer_raw = raw.get("peer_group")
    peers = None
    if peer_raw is not None:
        where = f"{path} peer_group"
        peers = PeerGroup(
            code=_need(peer_raw, "code", where),
            name=_need(peer_raw, "name", where),
            description=_need(peer_raw, "description", where),
            members=tuple(_need(peer_raw, "members", where)),
        )
    return Place(
        peers=peers,
        code=_need(top, "code", str(path)),
        name=_need(top, "name", str(path)),
        england_code=_need(top, "england_code", str(path)),
        england_name=_need(top, "england_name", str(path)),
        neighbourhoods=nbhs,
        pcns=pcns,
    )


def _choice(value: Any, allowed: set[str], where: str, key: str) -> str:
    if value not in allowed:
        raise ProfileError(f"{where}: {key} '{value}' is not one of {sorted(allowed)}")
    return str(value)


def load_indicators(path: Path | None = None) -> IndicatorProfile:
    """Load and validate `profiles/indicators.toml`."""
    path = path or profiles_dir() / "indicators.toml"
    raw = _read(path, schema.INDICATORS)
    domains = tuple(
        Domain(id=_need(d, "id", str(path)), name=_need(d, "name", str(path)), order=i)
        for i, d in enumerate(raw.get("domain", []))
    )
    domain_ids = {d.id for d in domains}
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for i, e in enumerate(raw.get("indicator", [])):
        where = f"{path} indicator {i + 1} ({e.get('id', '?')})"
        ind_id = _need(e, "id", where)
        if ind_id in seen:
            raise ProfileError(f"{where}: duplicate id '{ind_id}'")
        seen.add(ind_id)
        polarity = _need(e, "polarity", where)
        _choice(polarity, {p.value for p in Polarity}, where, "polarity")
        england = e.get("england_value")
        indicators.append(
            Indicator(
                id=ind_id,
                name=_need(e, "name", where),
                domain=_choice(_need(e, "domain", where), domain_ids, where, "domain"),
                definition=_need(e, "definition", where),
                value_type=_choice(_need(e, "value_type", where), VALUE_TYPES, where, "value_type"),
                unit=_need(e, "unit", where),
                polarity=Polarity(polarity),
                ci_method=_choice(_need(e, "ci_method", where), CI_METHODS, where, "ci_method"),
                comparator=_choice(_need(e, "comparator", where), COMPARATORS, where, "comparator"),
                period=str(_need(e, "period", where)),
                sources=tuple(_need(e, "sources", where)),
                publisher=_need(e, "publisher", where),
                licence=_need(e, "licence", where),
                geography=_choice(_need(e, "geography", where), GEOGRAPHIES, where, "geography"),
                estimate=bool(e.get("estimate", False)),
                england_value=float(england) if england is not None else None,
                build=dict(_need(e, "build", where)),
            )
        )
    return IndicatorProfile(domains=domains, indicators=tuple(indicators))
