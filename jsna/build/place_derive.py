"""A generated place's derived files, each recorded with its derivation (`jsna.build.placegen`).

Lookups, Census counts, deprivation and boundaries, summed or dissolved from national LSOA rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from jsna.build.place_national import (
    ENGLAND,
    INPUTS,
    LSOA_BOUNDARY_DIR,
    WARD_LABEL,
    National,
    PlaceError,
    imd_deciles,
    read_nomis,
    read_ons,
    read_visual,
)
from jsna.build.place_plan import Plan


# --------------------------------------------------------------------------- derived data
@dataclass
class Written:
    """A derived file: its path under the data folder and how it was made."""

    path: str
    derivation: str
    inputs: list[str]
    period: str = "2021"
    publisher: str = "Office for National Statistics (derived)"


class Writer:
    """Writes derived files into the new data folder and records each one."""

    def __init__(self, data: Path):
        """Write under `data`."""
        self.data = data
        self.files: list[Written] = []

    def csv(self, rel: str, df: pd.DataFrame, derivation: str, inputs: list[str], **kw: Any) -> str:
        """Write a CSV (no index) and record it."""
        path = self.data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(path, index=False, lineterminator="\n")
        self.files.append(Written(rel, derivation, inputs, **kw))
        return rel

    def text(self, rel: str, text: str, derivation: str, inputs: list[str], **kw: Any) -> str:
        """Write a text file (GeoJSON) and record it."""
        path = self.data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.files.append(Written(rel, derivation, inputs, **kw))
        return rel


def _long(lsoa_counts: pd.DataFrame, category: str, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Counts by LSOA (index lsoa, one column per category) summed into groups, long format."""
    frames = []
    for code, members in groups.items():
        sub = lsoa_counts.loc[lsoa_counts.index.intersection(members)]
        frames.append(
            pd.DataFrame(
                {
                    "area_code": code,
                    category: sub.columns,
                    "value": sub.sum().to_numpy(),
                    "cells": len(sub),  # published cells summed: the Census noise it may carry
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].astype("int64")
    return out


def derive(nat: National, plan: Plan, w: Writer) -> dict[str, str]:
    """Write the place's derived files; returns the `[source.*]`/`[files]` paths by key."""
    paths: dict[str, str] = {}
    lw = plan.lsoa_ward
    nbh_of = {ward: n for n, ws in plan.neighbourhoods.items() for ward in ws}
    # Lookups
    paths["lsoa_lookup"] = w.csv(
        "place/lsoa21_ward23_best_fit.csv",
        pd.DataFrame({"lsoa21cd": lw["lsoa"], "wd23cd": lw["ward"], "place_code": plan.code}),
        "Rows of the ONS best-fit LSOA 2021 to ward 2023 lookup for LAD(s) "
        f"{', '.join(plan.lads)}; "
        "place_code is the council's code (for a county, every district's rows)",
        [INPUTS["ward_lookup"], INPUTS["lad_utla"]],
        period="2023",
    )
    wards = lw.drop_duplicates("ward")
    paths["ward_lookup"] = w.csv(
        "place/ward_lookup.csv",
        pd.DataFrame(
            {
                "ward_code": wards["ward"],
                "ward_name": wards["ward_name"],
                "ward_set": WARD_LABEL,
                "locality": wards["ward"].map(nbh_of),
            }
        ),
        "Best-fit wards of the ONS lookup with the neighbourhood each is in",
        [INPUTS["ward_lookup"]],
        period="2023",
    )
    p = plan.practices
    paths["pcn_lookup"] = w.csv(
        "place/practice_to_pcn.csv",
        pd.DataFrame(
            {
                "PRACTICE_CODE": p["practice"],
                "PRACTICE_NAME": p["practice_name"],
                "PCN_CODE": p["pcn"],
            }
        ),
        "Practices of the given sub-ICB location(s) with their PCN, from NHS England's GP map "
        "of 1 January 2026 (practices in no PCN left out)",
        [INPUTS["gp_map"]],
        period="January 2026",
        publisher="NHS England (derived)",
    )

    # Census counts by LSOA (every English LSOA, for England's totals)
    eng_rows = []
    place_lsoas = list(lw["lsoa"])
    ward_groups = {str(ward): list(g) for ward, g in lw.groupby("ward")["lsoa"]}
    look = read_ons(nat.path("ward_lookup"), ["LSOA21CD", "LAD23CD"])
    peer_groups = {
        c: list(look.loc[look["LAD23CD"].isin(lads), "LSOA21CD"])
        for c, lads in plan.peer_lads.items()
    }
    tables: dict[str, tuple[pd.DataFrame, str, str]] = {}

    ts001 = read_visual(nat.path("ts001")).set_index("lsoa")
    residents = ts001[["Total"]].rename(columns={"Total": "All persons"}).astype("int64")
    tables["residents"] = (residents, "indicator", "TS001")
    ts007 = read_nomis(nat.path("ts007a")).set_index("lsoa")
    ages = ts007.drop(columns=[c for c in ts007.columns if c.startswith("Total")]).astype("int64")
    tables["age"] = (ages, "age", "TS007A")
    ts021 = read_nomis(nat.path("ts021")).set_index("lsoa")
    ethnic = ts021.drop(columns=[c for c in ts021.columns if c.startswith("Total")]).astype("int64")
    tables["ethnic_group"] = (ethnic, "ethnic_group", "TS021")
    ts038 = read_visual(nat.path("ts038")).set_index("lsoa")
    disab = ts038[
        ["Disabled under the Equality Act", "Not disabled under the Equality Act"]
    ].astype("int64")
    tables["disability"] = (disab, "disability_category", "TS038")

    # Deprivation: residents (TS001) of each LSOA in or out of England's most deprived fifth.
    fifth = "In England's most deprived 20% of LSOAs"
    rest = "Not in England's most deprived 20%"
    d25 = imd_deciles(
        nat.path("imd2025"), "LSOA code (2021)", "Index of Multiple Deprivation (IMD) Decile"
    )
    d19 = imd_deciles(
        nat.path("imd2019"), "LSOA code (2011)", "Index of Multiple Deprivation (IMD) Decile"
    )
    exact = read_ons(nat.path("lsoa11_21"), ["LSOA11CD", "LSOA21CD"])
    exact = exact[exact["LSOA21CD"].str.startswith("E")]
    exact["decile"] = exact["LSOA11CD"].map(d19)
    exact = exact.dropna(subset=["decile"]).assign(fifth=lambda d: d["decile"] <= 2)
    # A 2021 LSOA is in the fifth if every 2011 LSOA it came from was; mixed ones are unknown.
    every, some = (exact.groupby("LSOA21CD")["fifth"].agg(f) for f in ("all", "any"))
    deprived19 = every.astype(object).where(every == some, None)
    eng_res = residents["All persons"][residents.index.str.startswith("E01")]
    for key, deprived, year in (
        ("imd2025", d25.reindex(eng_res.index) <= 2, "2025"),
        ("imd2019", deprived19.reindex(eng_res.index), "2019"),
    ):
        unknown = deprived.isna()
        if unknown[eng_res.index.isin(place_lsoas)].any():
            lsoa = deprived[unknown & eng_res.index.isin(place_lsoas)].index[0]
            raise PlaceError(f"IoD {year}: no decile for LSOA {lsoa} (or its 2011 LSOAs differ)")
        known = eng_res[~unknown]
        flag = deprived[~unknown].astype(bool)
        tables[key] = (
            pd.DataFrame({fifth: known.where(flag, 0), rest: known.where(~flag, 0)}).astype(
                "int64"
            ),
            "deprivation",
            f"IMD{year}",
        )
        if unknown.any():
            plan.notes.append(
                f"IoD {year}: {int(unknown.sum())} English LSOA(s) with no single decile are left "
                "out of England's figure"
            )

    inputs = {
        "residents": [INPUTS["ts001"]],
        "age": [INPUTS["ts007a"]],
        "ethnic_group": [INPUTS["ts021"]],
        "disability": [INPUTS["ts038"]],
        "imd2025": [INPUTS["imd2025"], INPUTS["ts001"]],
        "imd2019": [INPUTS["imd2019"], INPUTS["lsoa11_21"], INPUTS["ts001"]],
    }
    for key, (counts, category, table) in tables.items():
        english = counts[counts.index.str.startswith("E01")]
        total = int(english.to_numpy().sum())
        for cat in counts.columns:
            eng_rows.append(
                {
                    "area_code": ENGLAND[0],
                    "area_name": ENGLAND[1],
                    "table": table,
                    "category": cat,
                    "count": int(english[cat].sum()),
                    "denominator": total,
                }
            )
        how = (
            f"Census 2021 {table} counts"
            if table.startswith("TS")
            else f"IoD {table[3:]} deciles with TS001 residents"
        )
        src_ids = inputs[key]
        lsoa_rows = counts.loc[counts.index.intersection(place_lsoas)]
        if len(lsoa_rows) != len(place_lsoas):
            missing = sorted(set(place_lsoas) - set(lsoa_rows.index))
            raise PlaceError(f"{table}: no row for LSOA {missing[0]}")
        frames = {
            "lsoa": _long(counts, category, {code: [code] for code in place_lsoas}),
            "ward": _long(counts, category, ward_groups),
            "peers": _long(counts, category, peer_groups),
        }
        if key == "age":
            for f in frames.values():
                f.insert(2, "sex", "All persons")
        if key == "residents":
            paths["census_residents_ward"] = w.csv(
                "place/census2021_residents_ward.csv",
                frames["ward"],
                f"{how} by LSOA summed over each ward's best-fit LSOAs",
                src_ids,
            )
            paths["residents_lsoa"] = w.csv(
                "place/census2021_residents_lsoa.csv", frames["lsoa"], f"{how} by LSOA", src_ids
            )
            paths["residents_peers"] = w.csv(
                "place/census2021_residents_peers.csv",
                frames["peers"],
                f"{how} summed over each peer council's LSOAs",
                src_ids,
            )
            continue
        for level, df in frames.items():
            paths[f"{key}_{level}"] = w.csv(
                f"place/{key}_{level}.csv",
                df,
                f"{how} by LSOA"
                + {
                    "lsoa": "",
                    "ward": ", summed over each ward's best-fit LSOAs",
                    "peers": ", summed over each peer council's LSOAs",
                }[level],
                src_ids,
                period="2021" if table.startswith("TS") else table[3:],
            )
    paths["england"] = w.csv(
        "place/england_census2021_totals.csv",
        pd.DataFrame(eng_rows),
        "England's count and total of each category: the sum over every English LSOA row "
        "(E01) of each table (Census cell-key perturbation: totals differ slightly by table)",
        sorted({i for ids in inputs.values() for i in ids}),
    )

    # Boundaries dissolved from the best-fit LSOAs.
    import geopandas as gpd

    layers = []
    for lad in plan.lads:
        rel_id = LSOA_BOUNDARY_DIR + lad.lower()
        layers.append(gpd.read_file(nat.path(rel_id)))
    lsoa_gdf = pd.concat(layers, ignore_index=True)
    lsoa_gdf = gpd.GeoDataFrame(lsoa_gdf, geometry="geometry", crs=layers[0].crs)
    lsoa_gdf = lsoa_gdf[lsoa_gdf["LSOA21CD"].isin(place_lsoas)].rename(
        columns={"LSOA21CD": "area_code"}
    )
    missing = sorted(set(place_lsoas) - set(lsoa_gdf["area_code"]))
    if missing:
        raise PlaceError(f"LSOA boundaries: no shape for LSOA {missing[0]}")
    ward_of = dict(zip(lw["lsoa"], lw["ward"], strict=True))
    lsoa_gdf["ward"] = lsoa_gdf["area_code"].map(ward_of)
    lsoa_gdf["nbh"] = lsoa_gdf["ward"].map(nbh_of)
    boundary_ids = [LSOA_BOUNDARY_DIR + lad.lower() for lad in plan.lads]
    shape_note = (
        "dissolved from the best-fit 2021 LSOAs (simplified national LSOA layer): a best-fit "
        "footprint, not the legal boundary"
    )

    def geojson(gdf: Any) -> str:
        return str(gdf.to_json(drop_id=True))

    paths["lsoa_boundary"] = w.text(
        "place/boundaries/lsoa21.geojson",
        geojson(lsoa_gdf[["area_code", "geometry"]]),
        "The council's 2021 LSOAs from the national simplified LSOA layer",
        boundary_ids,
    )
    wards_gdf = lsoa_gdf.dissolve(by="ward", as_index=False)[["ward", "geometry"]].rename(
        columns={"ward": "area_code"}
    )
    paths["ward_boundary"] = w.text(
        "place/boundaries/wards_2023.geojson",
        geojson(wards_gdf),
        "Ward shapes " + shape_note,
        boundary_ids,
    )
    nbh_gdf = lsoa_gdf.dissolve(by="nbh", as_index=False)[["nbh", "geometry"]].rename(
        columns={"nbh": "area_name"}
    )
    paths["nbh_boundary"] = w.text(
        "place/boundaries/neighbourhoods.geojson",
        geojson(nbh_gdf),
        "Neighbourhood shapes " + shape_note,
        boundary_ids,
    )
    la = lsoa_gdf.dissolve()[["geometry"]].assign(area_code=plan.code)[["area_code", "geometry"]]
    paths["la_boundary"] = w.text(
        "place/boundaries/council.geojson",
        geojson(la),
        "The council's shape " + shape_note,
        boundary_ids,
    )
    return paths
