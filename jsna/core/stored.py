"""The place and the indicator settings as database tables, and back: the app's only profile.

The build writes `tables(place, profile)` into the database; the app rebuilds the same
`jsna.core.model.Place` and `IndicatorProfile` from those rows (`place_from_rows`,
`profile_from_rows`), so it never reads `profiles/*.toml` and never loads a recipe.

Tables (every list keeps the profile's order in `sort_order`):

- `place`: one row: the council's `code` and `name`, `england_code`, `england_name`, the
  `current_ward_set` and `not_available` (JSON: what the place's data cannot give, and why).
- `place_ward_sets`: one row per ward set: its id (`ward_set`), words (`name`, `short`,
  `note`), `lookup_label`, map `layer`s and boundary files.
- `place_lsoa_sets`: one row per LSOA set and the ward set its best-fit lookup names.
- `place_groups`: one row per neighbourhood, PCN and peer group (`group_type`
  `neighbourhood`, `pcn` or `peer_group`) with its code, name and (peer group) description.
- `place_group_members`: one row per member of a group: a neighbourhood's wards
  (`member_type` `ward`, with their `ward_set`), a PCN's practices (`practice`) and the
  neighbourhoods it serves (`neighbourhood`), a peer group's councils (`local_authority`).
- `domains`: one row per domain in profile order.
- `indicator_settings`: one row per indicator: what the app uses beyond the `indicators`
  table: its source list, fixed England value, `multiplier` and `trend_by_counts`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

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
    multiplier,
)
from jsna.core.stats import Polarity

WARD_SET_COLUMNS = (
    "name",
    "short",
    "note",
    "lookup_label",
    "layer",
    "boundary",
    "neighbourhood_layer",
    "neighbourhood_boundary",
)
LSOA_SET_COLUMNS = (
    "lookup",
    "lsoa_column",
    "ward_column",
    "la_column",
    "ward_set",
    "layer",
    "boundary",
)
MEMBER_COLUMNS = ("group_code", "member_type", "ward_set", "member_code", "sort_order")


# --------------------------------------------------------------------------- writing (build)
def _frame(rows: list[dict[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    """Rows as a frame with these columns even when there are none (text columns as object)."""
    return pd.DataFrame(rows, columns=list(columns))


def place_tables(place: Place) -> dict[str, pd.DataFrame]:
    """The place as the `place*` tables (see the module docstring)."""
    top = pd.DataFrame(
        [
            {
                "code": place.code,
                "name": place.name,
                "england_code": place.england_code,
                "england_name": place.england_name,
                "current_ward_set": place.current_ward_set,
                # What the place's data cannot give: [[item, reason], …] as JSON.
                "not_available": json.dumps([list(n) for n in place.not_available]),
            }
        ]
    )
    ward_sets = _frame(
        [
            {"ward_set": w.id, "sort_order": n, **{c: getattr(w, c) for c in WARD_SET_COLUMNS}}
            for n, w in enumerate(place.ward_sets)
        ],
        ["ward_set", "sort_order", *WARD_SET_COLUMNS],
    )
    lsoa_sets = _frame(
        [
            {"lsoa_set": s.id, "sort_order": n, **{c: getattr(s, c) for c in LSOA_SET_COLUMNS}}
            for n, s in enumerate(place.lsoa_sets)
        ],
        ["lsoa_set", "sort_order", *LSOA_SET_COLUMNS],
    )
    groups: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []

    def member(group: str, kind: str, codes: Iterable[str], ward_set: str | None = None) -> None:
        members.extend(
            {
                "group_code": group,
                "member_type": kind,
                "ward_set": ward_set,
                "member_code": code,
                "sort_order": n,
            }
            for n, code in enumerate(codes)
        )

    def group(kind: str, code: str, name: str, description: str | None = None) -> None:
        groups.append(
            {
                "group_type": kind,
                "group_code": code,
                "group_name": name,
                "description": description,
                "sort_order": len(groups),
            }
        )

    for nbh in place.neighbourhoods:
        group("neighbourhood", nbh.code, nbh.name)
        for set_id, wards in nbh.wards.items():
            member(nbh.code, "ward", wards, set_id)
    for pcn in place.pcns:
        group("pcn", pcn.code, pcn.name)
        member(pcn.code, "practice", pcn.practices)
        member(pcn.code, "neighbourhood", pcn.serves)
    if place.peers is not None:
        group("peer_group", place.peers.code, place.peers.name, place.peers.description)
        member(place.peers.code, "local_authority", place.peers.members)
    return {
        "place": top,
        "place_ward_sets": ward_sets,
        "place_lsoa_sets": lsoa_sets,
        "place_groups": _frame(
            groups, ["group_type", "group_code", "group_name", "description", "sort_order"]
        ),
        "place_group_members": _frame(members, MEMBER_COLUMNS),
    }


def profile_tables(profile: IndicatorProfile) -> dict[str, pd.DataFrame]:
    """The domains and what the app needs of each indicator beyond the `indicators` table."""
    domains = pd.DataFrame(
        [{"domain_id": d.id, "domain": d.name, "domain_order": d.order} for d in profile.domains]
    )
    settings = pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "sort_order": n,
                "sources": list(i.sources),
                "england_value": i.england_value,
                "multiplier": multiplier(i),
                "trend_by_counts": i.trend_by_counts,
            }
            for n, i in enumerate(profile.indicators)
        ]
    )
    settings["england_value"] = settings["england_value"].astype(float)
    return {"domains": domains, "indicator_settings": settings}


def tables(place: Place, profile: IndicatorProfile) -> dict[str, pd.DataFrame]:
    """Every table the app needs to know the place and its indicators."""
    return place_tables(place) | profile_tables(profile)


# --------------------------------------------------------------------------- reading (app)
def _text(value: Any) -> str | None:
    """A text cell as `str`, a missing one as None."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def place_from_rows(
    place: pd.DataFrame,
    ward_sets: pd.DataFrame,
    lsoa_sets: pd.DataFrame,
    groups: pd.DataFrame,
    members: pd.DataFrame,
) -> Place:
    """The `Place` stored by `place_tables` (each frame in `sort_order`; no files or sources)."""
    top = place.iloc[0]
    set_ids = [str(s) for s in ward_sets["ward_set"]]
    by_group: dict[str, dict[tuple[str, str | None], list[str]]] = {}
    for code, kind, ward_set, member in members[
        ["group_code", "member_type", "ward_set", "member_code"]
    ].itertuples(index=False):
        key = (str(kind), _text(ward_set))
        by_group.setdefault(str(code), {}).setdefault(key, []).append(str(member))

    def listed(code: str, kind: str, ward_set: str | None = None) -> tuple[str, ...]:
        return tuple(by_group.get(code, {}).get((kind, ward_set), ()))

    neighbourhoods, pcns, peers = [], [], None
    for kind, code, name, description in groups[
        ["group_type", "group_code", "group_name", "description"]
    ].itertuples(index=False):
        code, name = str(code), str(name)
        if kind == "neighbourhood":
            wards = {s: listed(code, "ward", s) for s in set_ids}
            neighbourhoods.append(Neighbourhood(code=code, name=name, wards=wards))
        elif kind == "pcn":
            pcns.append(
                Pcn(
                    code=code,
                    name=name,
                    serves=listed(code, "neighbourhood"),
                    practices=listed(code, "practice"),
                )
            )
        elif kind == "peer_group":
            peers = PeerGroup(
                code=code,
                name=name,
                description=_text(description) or "",
                members=listed(code, "local_authority"),
            )
    return Place(
        code=str(top["code"]),
        name=str(top["name"]),
        england_code=str(top["england_code"]),
        england_name=str(top["england_name"]),
        neighbourhoods=tuple(neighbourhoods),
        pcns=tuple(pcns),
        peers=peers,
        ward_sets=tuple(
            WardSet(id=str(r["ward_set"]), **{c: str(r[c]) for c in WARD_SET_COLUMNS})
            for r in ward_sets.to_dict("records")
        ),
        lsoa_sets=tuple(
            LsoaSet(id=str(r["lsoa_set"]), **{c: str(r[c]) for c in LSOA_SET_COLUMNS})
            for r in lsoa_sets.to_dict("records")
        ),
        current_ward_set=str(top["current_ward_set"]),
        not_available=tuple((str(i), str(r)) for i, r in json.loads(top["not_available"])),
    )


def profile_from_rows(indicators: pd.DataFrame, domains: pd.DataFrame) -> IndicatorProfile:
    """The `IndicatorProfile` stored by the build (`indicators` joined to `indicator_settings`).

    Each indicator's `build` holds only `multiplier` and `trend_by_counts`.
    """
    out = []
    for r in indicators.to_dict("records"):
        england = r["england_value"]
        out.append(
            Indicator(
                id=str(r["indicator_id"]),
                name=str(r["indicator_name"]),
                domain=str(r["domain_id"]),
                definition=str(r["definition"]),
                value_type=str(r["value_type"]),
                unit=str(r["unit"]),
                polarity=Polarity(str(r["polarity"])),
                ci_method=str(r["ci_method"]),
                comparator=str(r["comparator"]),
                period=str(r["period"]),
                sources=tuple(str(s) for s in r["source_list"]),
                publisher=str(r["publisher"]),
                licence=str(r["licence"]),
                geography=str(r["geography"]),
                estimate=bool(r["estimate"]),
                england_value=None if pd.isna(england) else float(england),
                build={
                    "multiplier": float(r["multiplier"]),
                    "trend_by_counts": bool(r["trend_by_counts"]),
                },
            )
        )
    return IndicatorProfile(
        domains=tuple(
            Domain(id=str(d), name=str(n), order=int(o))
            for d, n, o in domains[["domain_id", "domain", "domain_order"]].itertuples(index=False)
        ),
        indicators=tuple(out),
    )
