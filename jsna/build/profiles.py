"""Load and validate the declarative profiles in `profiles/*.toml`.

`place.toml` defines the council, its ward sets, its neighbourhoods (sets of wards in each
ward set), its PCNs (sets of practices), its peer group and the source files every recipe
reads; `indicators.toml` defines the domains and indicators, each naming the place's source
it is built from. Both load into the frozen dataclasses of `jsna.core.model` so the rest of the
code never handles raw dictionaries. This is the build's side: each recipe checks its own
settings here, so loading the profiles loads every recipe. The app never imports this module;
it reads the place and the indicators from the database (`jsna.core.stored`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from jsna.build.recipes import check_settings
from jsna.core import schema
from jsna.core.config import profiles_dir
from jsna.core.errors import ProfileError
from jsna.core.model import (
    Domain,
    Indicator,
    IndicatorProfile,
    LsoaSet,
    Neighbourhood,
    Pcn,
    PeerGroup,
    Place,
    WardSet,
    count_words,
    multiplier,
)
from jsna.core.stats import Polarity

__all__ = [
    "CI_METHODS",
    "CI_METHOD_LABELS",
    "COMPARATORS",
    "GEOGRAPHIES",
    "VALUE_TYPES",
    "Domain",
    "Indicator",
    "IndicatorProfile",
    "LsoaSet",
    "Neighbourhood",
    "Pcn",
    "PeerGroup",
    "Place",
    "ProfileError",
    "WardSet",
    "count_words",
    "load_indicators",
    "load_place",
    "multiplier",
]

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
    names: dict[str, str] = {}
    for n in raw.get("neighbourhood", []):
        wards = n["wards"]
        if set(wards) != set(ids):
            raise ProfileError(
                f"{path}: neighbourhood {n['code']} lists wards for {sorted(wards)}, "
                f"not for each ward set {sorted(ids)}"
            )
        if n["name"] in names:
            raise ProfileError(
                f"{path}: neighbourhoods {names[n['name']]} and {n['code']} are both named "
                f"'{n['name']}'; give each its own name"
            )
        names[n["name"]] = n["code"]
        for set_id, codes in wards.items():
            if not codes:
                raise ProfileError(
                    f"{path}: neighbourhood {n['code']} has no wards in ward set {set_id}"
                )
            for w in codes:
                if owner.get((set_id, w)) == n["code"]:
                    raise ProfileError(
                        f"{path}: neighbourhood {n['code']} lists ward {w} twice in {set_id}"
                    )
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
    pcn_names: dict[str, str] = {}
    for p in pcns:
        if not p.practices:
            raise ProfileError(f"{path}: PCN {p.code} has no practices")
        # A PCN may serve no neighbourhood (a place generated from national files where
        # nobody has said which PCNs serve which neighbourhood): its own rows still count.
        if p.name in pcn_names:
            raise ProfileError(
                f"{path}: PCNs {pcn_names[p.name]} and {p.code} are both named '{p.name}'"
            )
        pcn_names[p.name] = p.code
        twice = sorted({x for x in p.practices if p.practices.count(x) > 1})
        if twice:
            raise ProfileError(f"{path}: PCN {p.code} lists practice {twice[0]} twice")
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
        if top.get("code") in peers.members:
            raise ProfileError(
                f"{where}: members include the place itself ({top['code']}); a peer group "
                "is the other councils it is compared with"
            )
        if not peers.members:
            raise ProfileError(f"{where}: members is empty")
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
    """An indicator's `build` table, checked by its recipe (`jsna.build.recipes.check_settings`)."""
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
                unit=_choice(_need(e, "unit", where), set(schema.UNIT_RANGES), where, "unit"),
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
