"""Load and validate the declarative profiles in `profiles/*.toml`.

`place.toml` defines the council, its ward sets, its neighbourhoods (sets of wards in each
ward set), its PCNs (sets of practices), its peer group and the source files every recipe
reads; `indicators.toml` defines the domains and indicators, each naming the place's source
it is built from. Both load into frozen dataclasses so the rest of the code never handles
raw dictionaries.
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
# `ward` in indicators.toml: the ward set named by the place's source (the stored geography).
GEOGRAPHIES = {"ward", "lsoa", "practice", "local_authority"}

CI_METHOD_LABELS = {
    "wilson": "Wilson score interval",
    "byars": "Byar's method (exact Poisson below 10 events)",
    "published": "Significance as published by OHID",
    "none": "No confidence interval",
}


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the entry."""


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
    # totals of one area are compared (jsna.checks); 1 unless the place says otherwise.
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


def _read(
    path: Path, spec: dict[str, schema.Table | schema.Array | schema.Entries]
) -> dict[str, Any]:
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


def _ward_sets(raw: dict[str, Any], path: Path) -> tuple[tuple[WardSet, ...], tuple[LsoaSet, ...]]:
    ward_sets = tuple(WardSet(**w) for w in raw.get("ward_set", []))
    ids = {w.id for w in ward_sets}
    lsoa_sets = tuple(LsoaSet(**s) for s in raw.get("lsoa_set", []))
    for s in lsoa_sets:
        if s.ward_set not in ids:
            raise ProfileError(f"{path}: lsoa_set {s.id} names unknown ward set '{s.ward_set}'")
    current = raw["place"]["current_ward_set"]
    if current not in ids:
        raise ProfileError(f"{path}: current_ward_set '{current}' is not a [[ward_set]] id")
    for key, src in raw.get("source", {}).items():
        if src.get("ward_set") is not None and src["ward_set"] not in ids:
            raise ProfileError(f"{path}: [source.{key}] names unknown ward set '{src['ward_set']}'")
    return ward_sets, lsoa_sets


def load_place(path: Path | None = None) -> Place:
    """Load `profiles/place.toml`."""
    path = path or profiles_dir() / "place.toml"
    raw = _read(path, schema.PLACE)
    top = _need(raw, "place", str(path))
    ward_sets, lsoa_sets = _ward_sets(raw, path)
    ids = [w.id for w in ward_sets]
    owner: dict[tuple[str, str], str] = {}
    nbhs_list = []
    for n in raw.get("neighbourhood", []):
        wards = n["wards"]
        if set(wards) != set(ids):
            raise ProfileError(
                f"{path}: neighbourhood {n['code']} lists wards for {sorted(wards)}, "
                f"not for each ward set {sorted(ids)}"
            )
        for set_id, codes in wards.items():
            for w in codes:
                if (set_id, w) in owner:
                    raise ProfileError(
                        f"{path}: ward {w} is in neighbourhoods {owner[(set_id, w)]} "
                        f"and {n['code']}"
                    )
                owner[(set_id, w)] = n["code"]
        nbhs_list.append(
            Neighbourhood(
                code=n["code"],
                name=n["name"],
                wards={k: tuple(wards[k]) for k in ids},
            )
        )
    nbhs = tuple(nbhs_list)
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
        ward_sets=ward_sets,
        lsoa_sets=lsoa_sets,
        current_ward_set=str(top["current_ward_set"]),
        census_noise_per_cell=int(top.get("census_noise_per_cell", 1)),
        not_available=tuple((n["item"], n["reason"]) for n in raw.get("not_available", [])),
        files=dict(raw["files"]),
        sources={k: dict(v) for k, v in raw.get("source", {}).items()},
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


def _check_settings(build: dict[str, Any], where: str, *, files: bool) -> None:
    """An indicator's `build` table, checked by its recipe (`jsna.recipes.check_settings`)."""
    from jsna.recipes import check_settings  # the recipes import this module

    try:
        check_settings(build, where, files=files)
    except schema.SchemaError as exc:
        raise ProfileError(str(exc)) from exc


def _resolve(
    e: dict[str, Any], place: Place, where: str
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """An indicator's geography, sources and build settings with the place's files merged in."""
    build = dict(_need(e, "build", where))
    _check_settings(build, f"{where} build", files=False)
    key = build.pop("source")
    if key not in place.sources:
        raise ProfileError(f"{where}: source '{key}' is not a [source.{key}] of the place")
    src = place.sources[key]
    geography = _choice(_need(e, "geography", where), GEOGRAPHIES, where, "geography")
    if geography == "ward":
        if not src.get("ward_set"):
            raise ProfileError(f"{where}: ward data, but [source.{key}] names no ward_set")
        geography = str(src["ward_set"])
    build.update({k: v for k, v in src.items() if k in schema.FILE_KEYS})
    _check_settings(build, f"{where} build (with [source.{key}])", files=True)
    return geography, tuple(src["sources"]), build


def load_indicators(path: Path | None = None, place: Place | None = None) -> IndicatorProfile:
    """Load and validate `profiles/indicators.toml`, each recipe taking its files from the place.

    Args:
        path: The indicators file (default: the profiles folder's).
        place: The place whose `[source.*]` tables hold the files (default: the profiles
            folder's `place.toml`).
    """
    path = path or profiles_dir() / "indicators.toml"
    place = place or load_place(path.parent / "place.toml")
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
        geography, sources, build = _resolve(e, place, where)
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
                sources=sources,
                publisher=_need(e, "publisher", where),
                licence=_need(e, "licence", where),
                geography=geography,
                estimate=bool(e.get("estimate", False)),
                england_value=float(england) if england is not None else None,
                build=build,
            )
        )
    return IndicatorProfile(domains=domains, indicators=tuple(indicators))
