"""The place's geography: areas, ward sets, memberships, checked against the source lookups.

:func:`load_geography` turns `profiles/place.toml` into the `areas` and `area_members` tables
and the ward -> neighbourhood, practice -> PCN and LSOA -> ward maps every recipe uses, and
stops (one line naming the file) where the profile and the lookups disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jsna.build import boundaries as geo
from jsna.build.sources import SourceError, Sources, check_codes
from jsna.core.errors import ProfileError
from jsna.core.model import Place


@dataclass
class Geography:
    """Areas and memberships derived from the place profile and checked against lookups."""

    place: Place
    areas: pd.DataFrame  # area_code, area_name, area_type, vintage, parent_code, sort_order
    members: pd.DataFrame  # group_code, member_code
    ward_sets: dict[str, dict[str, str]]  # ward set id -> ward code -> neighbourhood code
    practice_pcn: dict[str, str]  # practice code -> PCN code
    lsoa_wards: dict[str, dict[str, str]]  # LSOA set id -> LSOA -> ward (ONS best fit)

    def ward_map(self, geography: str) -> dict[str, str]:
        """Ward -> neighbourhood map for a ward set."""
        return self.ward_sets[geography]

    @property
    def lsoa_ward_set(self) -> str:
        """The ward set the LSOA best-fit lookups map to."""
        return self.place.lsoa_sets[0].ward_set

    @property
    def current(self) -> dict[str, str]:
        """Ward -> neighbourhood for the place's current ward set."""
        return self.ward_sets[self.place.current_ward_set]


def load_geography(src: Sources, place: Place) -> Geography:
    """Build the area list and cross-check the place profile against the source lookups."""
    ward_lookup = place.files["ward_lookup"]
    lk = src.read_csv(
        ward_lookup, ["ward_code", "ward_name", "ward_set", "locality"], key=["ward_code"]
    )
    by_name = {n.name: n for n in place.neighbourhoods}
    wards: dict[str, dict[str, str]] = {w.id: {} for w in place.ward_sets}
    by_label = {w.lookup_label: w.id for w in place.ward_sets}
    for n in place.neighbourhoods:
        for set_id, codes in n.wards.items():
            for code in codes:
                wards[set_id][code] = n.code
    area_rows: list[dict[str, Any]] = []
    for r in lk.to_dict("records"):
        row = int(r["_row"])
        vintage = by_label.get(str(r["ward_set"]))
        if vintage is None:
            raise SourceError(
                ward_lookup,
                f"ward set '{r['ward_set']}' is not the lookup_label of a [[ward_set]] in "
                "profiles/place.toml",
                row,
                "ward_set",
            )
        nbh = by_name.get(str(r["locality"]))
        if nbh is None:
            raise SourceError(
                ward_lookup, f"unknown neighbourhood '{r['locality']}'", row, "locality"
            )
        if wards[vintage].get(str(r["ward_code"])) != nbh.code:
            raise SourceError(
                ward_lookup,
                f"ward {r['ward_code']} is in {r['locality']} here but not in profiles/place.toml",
                row,
                "ward_code",
            )
        area_rows.append(
            {
                "area_code": r["ward_code"],
                "area_name": r["ward_name"],
                "area_type": "ward",
                "vintage": vintage,
                "parent_code": nbh.code,
            }
        )
    for w in place.ward_sets:
        listed = set(lk.loc[lk["ward_set"] == w.lookup_label, "ward_code"])
        extra = set(wards[w.id]) - listed
        if extra:
            raise ProfileError(
                f"profiles/place.toml: ward {sorted(extra)[0]} is not in {ward_lookup}"
            )

    pcn_lookup = place.files["pcn_lookup"]
    pcn = src.read_csv(
        pcn_lookup, ["PRACTICE_CODE", "PRACTICE_NAME", "PCN_CODE"], key=["PRACTICE_CODE"]
    )
    practice_pcn = {p: c.code for c in place.pcns for p in c.practices}
    for r in pcn.to_dict("records"):
        if practice_pcn.get(str(r["PRACTICE_CODE"])) != r["PCN_CODE"]:
            raise SourceError(
                pcn_lookup,
                f"practice {r['PRACTICE_CODE']} is in PCN "
                f"{r['PCN_CODE']} here but not in profiles/place.toml",
                int(r["_row"]),
                "PRACTICE_CODE",
            )
    missing = set(practice_pcn) - set(pcn["PRACTICE_CODE"])
    if missing:
        raise ProfileError(
            f"profiles/place.toml: practice {sorted(missing)[0]} is not in {pcn_lookup}"
        )
    registrations = place.files.get("registrations")
    if registrations:
        reg = src.read_csv(
            registrations,
            ["practice_code", "practice_name", "registered_patients"],
            counts=["registered_patients"],
            key=["practice_code"],
        )
        check_codes(reg, registrations, "practice_code", practice_pcn, "practice code")
        names = dict(zip(reg["practice_code"], reg["practice_name"], strict=True))
    else:  # no list sizes: the practices' names from the PCN lookup
        names = dict(zip(pcn["PRACTICE_CODE"], pcn["PRACTICE_NAME"], strict=True))

    area_rows.insert(
        0,
        {
            "area_code": place.england_code,
            "area_name": place.england_name,
            "area_type": "england",
            "vintage": None,
            "parent_code": None,
        },
    )
    area_rows.insert(
        1,
        {
            "area_code": place.code,
            "area_name": place.name,
            "area_type": "local_authority",
            "vintage": None,
            "parent_code": place.england_code,
        },
    )
    if place.peers is not None:
        area_rows.insert(
            2,
            {
                "area_code": place.peers.code,
                "area_name": place.peers.name,
                "area_type": "peer_group",
                "vintage": None,
                "parent_code": None,
            },
        )
    for n in place.neighbourhoods:
        area_rows.append(
            {
                "area_code": n.code,
                "area_name": n.name,
                "area_type": "neighbourhood",
                "vintage": None,
                "parent_code": place.code,
            }
        )
    for c in place.pcns:
        area_rows.append(
            {
                "area_code": c.code,
                "area_name": c.name,
                "area_type": "pcn",
                "vintage": None,
                "parent_code": place.code,
            }
        )
        for p in c.practices:
            area_rows.append(
                {
                    "area_code": p,
                    "area_name": names.get(p, p),
                    "area_type": "practice",
                    "vintage": None,
                    "parent_code": c.code,
                }
            )

    lsoa_wards = {
        s.id: _lsoa_wards(
            src,
            s.lookup,
            s.lsoa_column,
            s.ward_column,
            s.la_column,
            place.code,
            wards[s.ward_set],
        )
        for s in place.lsoa_sets
    }
    # Most LSOA codes are in more than one LSOA set (2011 and 2021); each code is one area,
    # its vintage naming every set it is in ("lsoa_2011_2021") and its ward that of the last.
    set_ids = [s.id for s in place.lsoa_sets]
    for code in sorted(set().union(*lsoa_wards.values()) if lsoa_wards else ()):
        ids = [i for i in set_ids if code in lsoa_wards[i]]
        vintage = ids[0] + "".join("_" + i.removeprefix("lsoa_") for i in ids[1:])
        area_rows.append(
            {
                "area_code": code,
                "area_name": code,
                "area_type": "lsoa",
                "vintage": vintage,
                "parent_code": lsoa_wards[ids[-1]][code],
            }
        )
    areas = pd.DataFrame(area_rows)
    dup = areas["area_code"].duplicated()
    if dup.any():
        raise ProfileError(f"area code {areas.loc[dup, 'area_code'].iloc[0]} is used twice")
    areas["sort_order"] = range(len(areas))

    members = [(n.code, w) for n in place.neighbourhoods for ws in n.wards.values() for w in ws]
    members += [(c.code, p) for c in place.pcns for p in c.practices]
    members += [(place.code, n.code) for n in place.neighbourhoods]
    members += [(place.code, c.code) for c in place.pcns]
    return Geography(
        place=place,
        areas=areas,
        members=pd.DataFrame(members, columns=["group_code", "member_code"]),
        ward_sets=wards,
        practice_pcn=practice_pcn,
        lsoa_wards=lsoa_wards,
    )


def _lsoa_wards(
    src: Sources,
    rel: str,
    lsoa: str,
    ward: str,
    lad: str,
    la_code: str,
    known_wards: dict[str, str],
) -> dict[str, str]:
    df = src.read_csv(rel, [lsoa, ward, lad], key=[lsoa])
    df = df[df[lad] == la_code]
    check_codes(df, rel, ward, known_wards, "ward code")
    return dict(zip(df[lsoa], df[ward], strict=True))


def boundaries(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Simplified GeoJSON per layer, keyed by area code."""
    names = geo_.areas.set_index("area_code")["area_name"].to_dict()
    by_nbh_name = {n.name: n.code for n in geo_.place.neighbourhoods}
    layers = []
    place = geo_.place
    specs: list[tuple[str, str, str, Any]] = []
    for w in place.ward_sets:
        specs.append((w.layer, w.boundary, "wards", geo_.ward_map(w.id)))
        specs.append((w.neighbourhood_layer, w.neighbourhood_boundary, "nbh", by_nbh_name))
    specs = specs[::2] + specs[1::2]  # every ward layer, then every neighbourhood layer
    specs += [(s.layer, s.boundary, "lsoa", geo_.lsoa_wards[s.id]) for s in place.lsoa_sets]
    specs.append(("local_authority", place.files["la_boundary"], "la", [place.code]))
    for layer, rel, kind, expected in specs:
        gdf = geo.read_layer(src.geojson_path(rel), rel)
        column = "area_name" if kind == "nbh" else "area_code"
        what = {"nbh": "neighbourhood", "wards": "ward code", "lsoa": "LSOA code"}
        gdf = geo.check_layer(gdf, rel, column, expected, what.get(kind, "area code"))
        codes = (
            [by_nbh_name[n] for n in gdf["area_name"]] if kind == "nbh" else list(gdf["area_code"])
        )
        tol = 1e-4 if kind in ("lsoa", "la") else geo.DEFAULT_TOLERANCE
        fc = geo.to_feature_collection(gdf, codes, [names.get(c, c) for c in codes], tol)
        layers.append({"layer": layer, "geojson": json.dumps(fc, separators=(",", ":"))})
    return pd.DataFrame(layers)


def practices_table(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Practices with PCN, list size, site ward and neighbourhood, and location.

    A place without a registrations file (one built from national data) lists its practices
    from the PCN lookup, with no list size, site or location.
    """
    registrations = geo_.place.files.get("registrations")
    pcn_names = {c.code: c.name for c in geo_.place.pcns}
    if not registrations:
        names = geo_.areas[geo_.areas["area_type"] == "practice"]
        codes = names["area_code"]
        return pd.DataFrame(
            {
                "practice_code": codes.to_numpy(),
                "practice_name": names["area_name"].to_numpy(),
                "pcn_code": codes.map(geo_.practice_pcn).to_numpy(),
                "pcn_name": codes.map(geo_.practice_pcn).map(pcn_names).to_numpy(),
                "registered_patients": pd.array([None] * len(codes), dtype="Int64"),
                "postcode": pd.array([None] * len(codes), dtype="string"),
                "ward_code": pd.array([None] * len(codes), dtype="string"),
                "neighbourhood_code": pd.array([None] * len(codes), dtype="string"),
                "lon": np.full(len(codes), np.nan),
                "lat": np.full(len(codes), np.nan),
            }
        )
    reg = src.read_csv(
        registrations,
        [
            "practice_code",
            "practice_name",
            "practice_postcode",
            "registered_patients",
            "ward_code",
            "locality",
        ],
        counts=["registered_patients"],
        key=["practice_code"],
    )
    rel = geo_.place.files["practice_locations"]
    pts = src.read_csv(rel, ["name", "postcode", "lon", "lat"], numbers=["lon", "lat"])
    geo.check_points(pts, rel)
    # The points file has no practice code: join on postcode, then on name where two
    # practices share a building (same postcode).
    pts["key"] = pts["postcode"].str.replace(" ", "").str.upper()
    reg["key"] = reg["practice_postcode"].str.replace(" ", "").str.upper()
    loc = pts.drop_duplicates("key").set_index("key")[["lon", "lat"]]
    reg = reg.join(loc, on="key")
    if reg["lon"].isna().any():
        i = int(reg["lon"].isna().to_numpy().argmax())
        raise SourceError(
            registrations,
            f"no location for postcode {reg['practice_postcode'].iloc[i]} in {rel}",
            int(reg["_row"].iloc[i]),
            "practice_postcode",
        )
    nbh = {n.name: n.code for n in geo_.place.neighbourhoods}
    return pd.DataFrame(
        {
            "practice_code": reg["practice_code"],
            "practice_name": reg["practice_name"],
            "pcn_code": reg["practice_code"].map(geo_.practice_pcn),
            "pcn_name": reg["practice_code"].map(geo_.practice_pcn).map(pcn_names),
            "registered_patients": reg["registered_patients"].astype("int64"),
            "postcode": reg["practice_postcode"],
            "ward_code": reg["ward_code"],
            "neighbourhood_code": reg["locality"].map(nbh),
            "lon": reg["lon"],
            "lat": reg["lat"],
        }
    )
