"""Generate a place (a profiles folder and its derived data) for any English council.

`python -m jsna.place new E08000007 --name Stockport --sub-icb 01W [--neighbourhoods
wards.csv] [--serves pcns.csv] [--out profiles_stockport] [--source ../shared/data]` reads
only England-wide open data (the data folder's `national/` and `gp/qof/`, each file named by
its id in the repository's `profiles/manifest.toml`) and writes:

- `OUT/place.toml`, `OUT/indicators.toml` and `OUT/manifest.toml` (the national files the
  build reads, copied from the repository's manifest, and every derived file with its
  derivation and sha256);
- `OUT/data/`, the new place's data folder (`python -m jsna.build --source OUT/data`):
  `place/` holds the derived files, and `national` and `gp/qof` link to the data folder's,
  so the build can open nothing else.

What is derived, once, here (and recorded in each file's manifest `derivation`):

- wards: the May 2023 electoral wards that ONS best-fits the council's 2021 LSOAs to (a
  ward whose LSOAs all best-fit elsewhere is left out); a county (E10) is the wards of all
  its districts (LAD 2023 to UTLA 2023 lookup);
- neighbourhoods: from a CSV `ward_code, neighbourhood`; by default the whole council is one
  neighbourhood (a county: one neighbourhood per district), since the national files hold
  nothing (practice sites, registrations by LSOA) from which to draw better ones;
- practices and PCNs: NHS England's practice to PCN map of 1 January 2026 for the sub-ICB
  locations given with `--sub-icb` (ODS codes: the national files place practices in
  sub-ICBs, not councils); practices in no PCN are left out. QOF values are those of
  2022/23 for the practices the QOF file holds. A PCN serves the neighbourhoods listed for it
  in `--serves` (`pcn_code, neighbourhood`), or the only neighbourhood if there is one;
- Census 2021 counts (TS001 residents, TS007A age in five-year bands, TS021 five broad
  ethnic groups, TS038 disability) by LSOA, summed to wards and to the peer councils, and
  England's totals summed over every English LSOA row (E01);
- deprivation: the residents (TS001) of each LSOA counted in or out of England's most
  deprived fifth (IoD 2025 deciles 1 and 2, LSOA 2021; IoD 2019 deciles of the 2011 LSOA
  each 2021 LSOA came from, where ONS's exact lookup gives one);
- boundaries: wards, neighbourhoods and the council dissolved from their best-fit LSOAs
  (the simplified national LSOA layer), so each shape is the footprint its values are
  pooled over, not the legal boundary.

Not available from national data, and named so in the generated place: life expectancy and
every OHID Local Health outcome (no England-wide ward or MSOA extract), mid-year estimates
(none by LSOA), practice sites (no practice postcode lookup) and practices' registered
patients by LSOA of residence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jsna.config import profiles_dir

# National inputs by their id in the repository's profiles/manifest.toml (paths from there).
INPUTS = {
    "ward_lookup": "national_lookups_lsoa_2021_to_electoral_ward_2023_to_lad_2023_"
    "best_fit_lookup_in_ew",
    "ward_region": "national_lookups_ward_to_local_authority_district_to_county_to_region_"
    "to_country_may_2023_lookup_in_united_kingdom",
    "lad_utla": "national_lookups_local_authority_district_to_county_and_unitary_authority_"
    "april_2023_lookup_in_ew",
    "lsoa11_21": "national_lookups_lsoa11_to_lsoa21_to_lad22_exact_ew",
    "gp_map": "national_gp_gp_reg_pat_prac_map_01jan2026",
    "ts001": "national_census2021_ts001_residence_type_2021_csv_gz",
    "ts007a": "national_census2021_census2021_ts007a_age_5yr_bands_lsoa21_nomis",
    "ts021": "national_census2021_census2021_ts021_ethnic_group_5cat_lsoa21_nomis",
    "ts038": "national_census2021_ts038_disability_3a_2021_csv_gz",
    "imd2019": "national_deprivation_iod2019_file_1_imd2019_index_of_multiple_deprivation_xlsx",
    "imd2025": "national_deprivation_iod2025_file_1_iod2025_index_of_multiple_deprivation_xlsx",
    "qof": "gp_qof_qof_2022_23_prevalence_all_practices_england",
    "qof_geography": "gp_qof_qof_2022_23_nhs_geography_all_practices_england",
}
LSOA_BOUNDARY_DIR = "national_boundaries_lsoa21_by_lad_"  # id prefix: one file per LAD
WARD_SET = "wards_2023"
LSOA_SET = "lsoa21"
WARD_LABEL = "May 2023 wards (best fit from 2021 LSOAs)"
ENGLAND = ("E92000001", "England")
# Census tables by LSOA disagree with TS001 by more than one person per cell: measured over
# every English LSOA, TS038 by up to 7 (2 cells + 1), TS021 by up to 10 (5 + 1) and TS007A
# by up to 13 (18 + 1). Three per cell covers them all.
NOISE_PER_CELL = 3
NOT_AVAILABLE = (
    (
        "Life expectancy and OHID Local Health outcomes (admissions, deaths, cancer incidence)",
        "no England-wide ward or MSOA extract is in the national data",
    ),
    (
        "Mid-year population estimates and population pyramids",
        "none by LSOA in the national data, so residents are Census 2021 counts",
    ),
    (
        "Practice sites on the maps, list sizes and postcode search",
        "no practice postcode lookup, registrations file or postcode file for all of England",
    ),
    (
        "Registered patients by LSOA of residence",
        "not obtainable, so practices cannot be placed in wards, nor PCNs matched to "
        "neighbourhoods from the data",
    ),
    (
        "Fingertips council-level indicators",
        "no England-wide Fingertips extract for every council is in the national data",
    ),
)


class PlaceError(ValueError):
    """The place cannot be generated; `str()` is the one line to print."""


@dataclass
class National:
    """The repository's manifest entries (by id) and the data folder."""

    source: Path
    entries: dict[str, dict[str, Any]]
    used: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, source: Path, manifest: Path | None = None) -> National:
        """Read the repository's manifest (default: the profiles folder's)."""
        manifest = manifest or profiles_dir() / "manifest.toml"
        with manifest.open("rb") as fh:
            raw = tomllib.load(fh)
        return cls(source, {f["id"]: f for f in raw.get("file", [])})

    def path(self, key: str) -> Path:
        """The data folder's copy of a national input, by `INPUTS` key or manifest id."""
        ident = INPUTS.get(key, key)
        if ident not in self.entries:
            raise PlaceError(f"manifest: no national file with id '{ident}'")
        if ident not in self.used:
            self.used.append(ident)
        rel = str(self.entries[ident]["path"])
        path = self.source / rel
        if not path.is_file():
            raise PlaceError(f"{rel}: not in {self.source} (python -m jsna.fetch gets it)")
        return path


# --------------------------------------------------------------------------- reading
def _read_ons(path: Path, usecols: list[str]) -> pd.DataFrame:
    """An ONS lookup (byte-order mark, ObjectId column) as text."""
    return pd.read_csv(path, usecols=usecols, dtype=str, encoding="utf-8-sig")


def _read_nomis(path: Path) -> pd.DataFrame:
    """A Nomis bulk table: the header row after the title lines, to the first blank line."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('"2021 super output'))
    first = next(i for i in range(start + 1, len(lines)) if lines[i].strip())
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    text = "\n".join([lines[start], *lines[first:end]])
    df = pd.read_csv(io.StringIO(text), dtype={"mnemonic": str})
    return df.rename(columns={"mnemonic": "lsoa"}).drop(columns=df.columns[0])


def _read_visual(path: Path) -> pd.DataFrame:
    """An ONS visual-team Census export: its LSOA rows."""
    df = pd.read_csv(path, dtype={"Geography code": str})
    df = df[df["Geography area type"] == "LSOA"]
    return df.rename(columns={"Geography code": "lsoa"})


def _imd_deciles(path: Path, code_col: str, decile_col: str) -> pd.Series:
    """IMD decile by LSOA from an IoD workbook's first data sheet (openpyxl)."""
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for df in sheets.values():
        cols = {str(c).strip(): c for c in df.columns}
        code = next((cols[c] for c in cols if c.startswith(code_col)), None)
        dec = next((cols[c] for c in cols if decile_col in c), None)
        if code is not None and dec is not None:
            return pd.Series(df[dec].astype(int).to_numpy(), index=df[code].astype(str))
    raise PlaceError(f"{path.name}: no sheet with '{code_col}' and '{decile_col}' columns")


# --------------------------------------------------------------------------- the place
@dataclass
class Plan:
    """What the place is made of."""

    code: str
    name: str
    lads: list[str]
    lsoa_ward: pd.DataFrame  # lsoa, ward, ward_name, lad
    neighbourhoods: dict[str, list[str]]  # name -> ward codes
    practices: pd.DataFrame  # practice, practice_name, pcn, pcn_name
    serves: dict[str, list[str]]  # pcn -> neighbourhood names
    peers: list[str]
    peer_lads: dict[str, list[str]]  # peer council -> its LADs
    region: str
    notes: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "place"


def _read_two_columns(path: Path, first: str, second: str) -> list[tuple[str, str, int]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or {first, second} - set(reader.fieldnames):
            raise PlaceError(f"{path}: row 1: expected columns '{first}' and '{second}'")
        rows = []
        for n, row in enumerate(reader, start=2):
            a, b = (row[first] or "").strip(), (row[second] or "").strip()
            if not a or not b:
                column = first if not a else second
                raise PlaceError(f"{path}: row {n}, column '{column}': blank")
            rows.append((a, b, n))
    return rows


def plan_place(
    nat: National,
    code: str,
    name: str,
    sub_icbs: Iterable[str] = (),
    neighbourhoods: Path | None = None,
    serves: Path | None = None,
    peers: Iterable[str] | None = None,
) -> Plan:
    """Work out the council's wards, LSOAs, neighbourhoods, practices, PCNs and peers."""
    if not re.fullmatch(r"E(0[6-9]|10)\d{6}", code):
        raise PlaceError(f"{code}: not an English council code (E06 to E10 and 6 digits)")
    utla = _read_ons(nat.path("lad_utla"), ["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"])
    utla = utla[utla["LTLA23CD"].str.startswith("E")]
    lads = sorted(utla.loc[utla["UTLA23CD"] == code, "LTLA23CD"])
    if not lads:
        raise PlaceError(f"{code}: not a council in the LAD 2023 to UTLA 2023 lookup")
    look = _read_ons(nat.path("ward_lookup"), ["LSOA21CD", "WD23CD", "WD23NM", "LAD23CD"])
    look = look[look["LSOA21CD"].str.startswith("E")]
    look = look.rename(
        columns={"LSOA21CD": "lsoa", "WD23CD": "ward", "WD23NM": "ward_name", "LAD23CD": "lad"}
    )
    mine = look[look["lad"].isin(lads)].sort_values(["ward", "lsoa"]).reset_index(drop=True)
    wards = dict(zip(mine["ward"], mine["ward_name"], strict=False))
    notes = []
    regions = _read_ons(nat.path("ward_region"), ["WD23CD", "LAD23CD", "RGN23CD", "RGN23NM"])
    all_wards = regions[regions["LAD23CD"].isin(lads)]
    unfit = sorted(set(all_wards["WD23CD"]) - set(wards))
    if unfit:
        notes.append(
            f"{len(unfit)} ward(s) of May 2023 have no LSOA best-fitted to them and are left "
            f"out: {', '.join(unfit)}"
        )
    region = all_wards["RGN23CD"].iloc[0]
    region_name = all_wards["RGN23NM"].iloc[0]

    if neighbourhoods is not None:
        nbhs: dict[str, list[str]] = {}
        for ward, nbh, row in _read_two_columns(neighbourhoods, "ward_code", "neighbourhood"):
            if ward not in wards:
                raise PlaceError(
                    f"{neighbourhoods}: row {row}, column 'ward_code': {ward} is not a best-fit "
                    f"ward of {name}"
                )
            if any(ward in w for w in nbhs.values()):
                raise PlaceError(f"{neighbourhoods}: row {row}, column 'ward_code': {ward} twice")
            nbhs.setdefault(nbh, []).append(ward)
        missing = sorted(set(wards) - {w for ws in nbhs.values() for w in ws})
        if missing:
            raise PlaceError(f"{neighbourhoods}: no neighbourhood for ward {missing[0]}")
    elif len(lads) > 1:
        names = dict(zip(utla["LTLA23CD"], utla["LTLA23NM"], strict=False))
        nbhs = {names[lad]: sorted(mine.loc[mine["lad"] == lad, "ward"].unique()) for lad in lads}
        notes.append("Neighbourhoods: one per district (none given)")
    else:
        nbhs = {name: sorted(wards)}
        notes.append("Neighbourhoods: the whole council as one (none given)")

    gp = pd.read_csv(nat.path("gp_map"), dtype=str)
    sub_icbs = [s.strip().upper() for s in sub_icbs if s.strip()]
    if not sub_icbs:
        raise PlaceError(
            "--sub-icb: name the sub-ICB location(s) whose practices are the place's (ODS code, "
            "e.g. 01W for Stockport): the national files place practices in sub-ICBs, not councils"
        )
    unknown = sorted(set(sub_icbs) - set(gp["SUB_ICB_LOCATION_CODE"]))
    if unknown:
        raise PlaceError(f"--sub-icb {unknown[0]}: no practice of that sub-ICB in the GP map")
    gp = gp[gp["SUB_ICB_LOCATION_CODE"].isin(sub_icbs)]
    notes.append(
        f"Practices: every practice of sub-ICB location(s) {', '.join(sub_icbs)} in NHS "
        "England's map of 1 January 2026 (a sub-ICB can cover more than the council)"
    )
    in_pcn = gp["PCN_CODE"].fillna("").str.fullmatch(r"U\d{5}")
    if (~in_pcn).any():
        notes.append(f"{int((~in_pcn).sum())} practice(s) in no PCN left out")
    gp = gp[in_pcn]
    qof_geo = pd.read_csv(
        nat.path("qof_geography"), dtype=str, usecols=["PCN_ODS_CODE", "PCN_NAME"]
    )
    pcn_names = dict(zip(qof_geo["PCN_ODS_CODE"], qof_geo["PCN_NAME"], strict=False))
    practices = pd.DataFrame(
        {
            "practice": gp["PRACTICE_CODE"],
            "practice_name": gp["PRACTICE_NAME"].str.title(),
            "pcn": gp["PCN_CODE"],
            "pcn_name": [
                pcn_names.get(c, n.title())
                for c, n in zip(gp["PCN_CODE"], gp["PCN_NAME"], strict=True)
            ],
        }
    ).sort_values(["pcn", "practice"], ignore_index=True)

    pcn_serves: dict[str, list[str]] = {p: [] for p in practices["pcn"].unique()}
    if serves is not None:
        for pcn, nbh, row in _read_two_columns(serves, "pcn_code", "neighbourhood"):
            if pcn not in pcn_serves:
                raise PlaceError(f"{serves}: row {row}, column 'pcn_code': {pcn} is not a PCN here")
            if nbh not in nbhs:
                raise PlaceError(f"{serves}: row {row}, column 'neighbourhood': unknown {nbh}")
            pcn_serves[pcn].append(nbh)
    elif len(nbhs) == 1:
        pcn_serves = {p: list(nbhs) for p in pcn_serves}
    else:
        notes.append(
            "No PCN serves a neighbourhood (none given with --serves): neighbourhoods have no "
            "registered-patient figures"
        )

    if peers is None:
        reg_lads = sorted(set(regions.loc[regions["RGN23CD"] == region, "LAD23CD"]))
        tier = utla[utla["LTLA23CD"].isin(reg_lads)]
        councils = sorted(set(tier["UTLA23CD"]) - {code})
        notes.append(f"Peers: the other councils (upper tier) of {region_name}")
    else:
        councils = [p for p in peers if p != code]
    peer_lads = {c: sorted(utla.loc[utla["UTLA23CD"] == c, "LTLA23CD"]) or [c] for c in councils}
    return Plan(
        code=code,
        name=name,
        lads=lads,
        lsoa_ward=mine,
        neighbourhoods=nbhs,
        practices=practices,
        serves=pcn_serves,
        peers=councils,
        peer_lads=peer_lads,
        region=region_name,
        notes=notes,
    )


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
    look = _read_ons(nat.path("ward_lookup"), ["LSOA21CD", "LAD23CD"])
    peer_groups = {
        c: list(look.loc[look["LAD23CD"].isin(lads), "LSOA21CD"])
        for c, lads in plan.peer_lads.items()
    }
    tables: dict[str, tuple[pd.DataFrame, str, str]] = {}

    ts001 = _read_visual(nat.path("ts001")).set_index("lsoa")
    residents = ts001[["Total"]].rename(columns={"Total": "All persons"}).astype("int64")
    tables["residents"] = (residents, "indicator", "TS001")
    ts007 = _read_nomis(nat.path("ts007a")).set_index("lsoa")
    ages = ts007.drop(columns=[c for c in ts007.columns if c.startswith("Total")]).astype("int64")
    tables["age"] = (ages, "age", "TS007A")
    ts021 = _read_nomis(nat.path("ts021")).set_index("lsoa")
    ethnic = ts021.drop(columns=[c for c in ts021.columns if c.startswith("Total")]).astype("int64")
    tables["ethnic_group"] = (ethnic, "ethnic_group", "TS021")
    ts038 = _read_visual(nat.path("ts038")).set_index("lsoa")
    disab = ts038[
        ["Disabled under the Equality Act", "Not disabled under the Equality Act"]
    ].astype("int64")
    tables["disability"] = (disab, "disability_category", "TS038")

    # Deprivation: residents (TS001) of each LSOA in or out of England's most deprived fifth.
    fifth = "In England's most deprived 20% of LSOAs"
    rest = "Not in England's most deprived 20%"
    d25 = _imd_deciles(
        nat.path("imd2025"), "LSOA code (2021)", "Index of Multiple Deprivation (IMD) Decile"
    )
    d19 = _imd_deciles(
        nat.path("imd2019"), "LSOA code (2011)", "Index of Multiple Deprivation (IMD) Decile"
    )
    exact = _read_ons(nat.path("lsoa11_21"), ["LSOA11CD", "LSOA21CD"])
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


# --------------------------------------------------------------------------- TOML
def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _table(header: str, items: dict[str, Any]) -> str:
    lines = [header] + [f"{_key(k)} = {_toml_value(v)}" for k, v in items.items() if v is not None]
    return "\n".join(lines) + "\n"


def place_toml(plan: Plan, paths: dict[str, str]) -> str:
    """The generated place.toml."""
    nbh_codes = {n: f"NBH-{i + 1:02d}" for i, n in enumerate(plan.neighbourhoods)}
    out = [
        f"# {plan.name} ({plan.code}), generated by `python -m jsna.place new` from\n"
        "# England-wide open data alone (see jsna/placegen.py and manifest.toml for every\n"
        "# derivation).\n"
        + "".join(f"# {note}\n" for note in plan.notes)
        + "# What the national files cannot give: [[not_available]] (shown on Definitions).\n",
        _table(
            "[place]",
            {
                "code": plan.code,
                "name": plan.name,
                "england_code": ENGLAND[0],
                "england_name": ENGLAND[1],
                "current_ward_set": WARD_SET,
                "census_noise_per_cell": NOISE_PER_CELL,
            },
        ),
        _table(
            "[files]",
            {
                "ward_lookup": paths["ward_lookup"],
                "pcn_lookup": paths["pcn_lookup"],
                "census_residents_ward": paths["census_residents_ward"],
                "census_residents_peers": paths["residents_peers"],
                "la_boundary": paths["la_boundary"],
            },
        ),
        _table(
            "[[ward_set]]",
            {
                "id": WARD_SET,
                "name": "wards from May 2023 (best fit from 2021 LSOAs)",
                "short": "2023 best fit",
                "note": "each ward is the set of 2021 LSOAs ONS best-fits to it; its shape is "
                "dissolved from them",
                "lookup_label": WARD_LABEL,
                "layer": "ward_2023",
                "boundary": paths["ward_boundary"],
                "neighbourhood_layer": "neighbourhood_2023",
                "neighbourhood_boundary": paths["nbh_boundary"],
            },
        ),
        _table(
            "[[lsoa_set]]",
            {
                "id": LSOA_SET,
                "lookup": paths["lsoa_lookup"],
                "lsoa_column": "lsoa21cd",
                "ward_column": "wd23cd",
                "la_column": "place_code",
                "ward_set": WARD_SET,
                "layer": "lsoa_2021",
                "boundary": paths["lsoa_boundary"],
            },
        ),
    ]
    for n, wards in plan.neighbourhoods.items():
        out.append(
            _table("[[neighbourhood]]", {"code": nbh_codes[n], "name": n})
            + f"wards.{WARD_SET} = {_toml_value(sorted(wards))}\n"
        )
    pcns = plan.practices.groupby("pcn", sort=True)
    for pcn, sub in pcns:
        out.append(
            _table(
                "[[pcn]]",
                {
                    "code": str(pcn),
                    "name": str(sub["pcn_name"].iloc[0]),
                    "serves": [nbh_codes[n] for n in plan.serves.get(str(pcn), [])],
                    "practices": sorted(sub["practice"]),
                },
            )
        )
    if plan.peers:
        out.append(
            _table(
                "[peer_group]",
                {
                    "code": "PEERS",
                    "name": f"Rest of {plan.region}",
                    "description": f"the other councils of {plan.region}",
                    "members": plan.peers,
                },
            )
        )
    for item, reason in NOT_AVAILABLE:
        out.append(_table("[[not_available]]", {"item": item, "reason": reason}))
    ward = {"ward_set": WARD_SET}
    england = paths["england"]
    sources: dict[str, dict[str, Any]] = {
        "residents": {
            "file": paths["census_residents_ward"],
            "lsoa_file": paths["residents_lsoa"],
            "peer_file": paths["residents_peers"],
            "england_file": england,
            "lsoa_set": LSOA_SET,
            **ward,
        },
        "census_age": {
            "file": paths["age_ward"],
            "peer_file": paths["age_peers"],
            "england_file": england,
            **ward,
        },
        "ethnic_minority": {
            "file": paths["ethnic_group_ward"],
            "lsoa_file": paths["ethnic_group_lsoa"],
            "peer_file": paths["ethnic_group_peers"],
            "england_file": england,
            "lsoa_set": LSOA_SET,
            **ward,
        },
        "disabled": {
            "file": paths["disability_ward"],
            "lsoa_file": paths["disability_lsoa"],
            "peer_file": paths["disability_peers"],
            "england_file": england,
            "lsoa_set": LSOA_SET,
            **ward,
        },
        "imd2025": {
            "file": paths["imd2025_ward"],
            "lsoa_file": paths["imd2025_lsoa"],
            "peer_file": paths["imd2025_peers"],
            "england_file": england,
            "lsoa_set": LSOA_SET,
            **ward,
        },
        "imd2019": {
            "file": paths["imd2019_ward"],
            "lsoa_file": paths["imd2019_lsoa"],
            "peer_file": paths["imd2019_peers"],
            "england_file": england,
            "lsoa_set": LSOA_SET,
            **ward,
        },
        "qof_registers": {"file": paths["qof"]},
    }
    for key, s in sources.items():
        s["sources"] = [v for k, v in s.items() if k.endswith("file")]
        out.append(_table(f"[source.{key}]", s))
    return "\n".join(out)


_CENSUS = {
    "ci_method": "wilson",
    "comparator": "england",
    "licence": "OGL v3",
    "geography": "ward",
}


def indicators_toml(repo_indicators: Path) -> str:
    """The generated indicators.toml: Census shares, deprivation and the 21 QOF registers."""
    with repo_indicators.open("rb") as fh:
        repo = tomllib.load(fh)
    census = [
        {
            "id": "residents",
            "name": "Usual residents (Census 2021)",
            "domain": "demographics",
            "definition": "Usual residents on Census day 2021, summed from the best-fit LSOAs.",
            "value_type": "count",
            "unit": "people",
            "polarity": "no_judgement",
            "ci_method": "none",
            "comparator": "none",
            "period": "2021",
            "publisher": "Office for National Statistics, Census 2021 (TS001)",
            "licence": "OGL v3",
            "geography": "ward",
            "build": {
                "kind": "census_total",
                "source": "residents",
                "category_column": "indicator",
                "england_table": "TS001",
            },
        }
    ]
    for ident, name, lo, hi, label in (
        (
            "aged_0_14",
            "Children aged 0 to 14",
            0,
            14,
            "0 to 14 (the five-year bands of TS007A cannot give 0 to 15)",
        ),
        ("aged_65_plus", "Older people aged 65 and over", 65, None, "65 and over"),
        ("aged_85_plus", "Older people aged 85 and over", 85, None, "85 and over"),
    ):
        build: dict[str, Any] = {
            "kind": "census_age_share",
            "source": "census_age",
            "england_table": "TS007A",
            "min_age": lo,
        }
        if hi is not None:
            build["max_age"] = hi
        census.append(
            {
                "id": ident,
                "name": name,
                "domain": "demographics",
                "definition": (
                    f"Usual residents aged {label} as a percentage of all "
                    "usual residents (Census 2021, TS007A five-year age bands by LSOA)."
                ),
                "value_type": "proportion",
                "unit": "%",
                "polarity": "no_judgement",
                **_CENSUS,
                "period": "2021",
                "publisher": "Office for National Statistics, Census 2021 (TS007A)",
                "build": build,
            }
        )
    census.append(
        {
            "id": "ethnic_minority",
            "name": "Ethnic minority residents (all but White)",
            "domain": "demographics",
            "definition": (
                "Usual residents in any ethnic group other than White, as a "
                "percentage of all usual residents (Census 2021 TS021; by LSOA only five "
                "broad groups are published, so White minorities are not counted here)."
            ),
            "value_type": "proportion",
            "unit": "%",
            "polarity": "no_judgement",
            **_CENSUS,
            "period": "2021",
            "publisher": "Office for National Statistics, Census 2021 (TS021)",
            "build": {
                "kind": "census_share",
                "source": "ethnic_minority",
                "category_column": "ethnic_group",
                "exclude": ["White"],
                "england_table": "TS021",
                "england_exclude": ["White"],
            },
        }
    )
    census.append(
        {
            "id": "disabled",
            "name": "Disabled under the Equality Act",
            "domain": "disease",
            "definition": (
                "Usual residents disabled under the Equality Act, as a "
                "percentage of all usual residents (Census 2021 TS038; not age-standardised)."
            ),
            "value_type": "proportion",
            "unit": "%",
            "polarity": "low_is_good",
            **_CENSUS,
            "period": "2021",
            "publisher": "Office for National Statistics, Census 2021 (TS038)",
            "build": {
                "kind": "census_share",
                "source": "disabled",
                "category_column": "disability_category",
                "include": ["Disabled under the Equality Act"],
                "england_table": "TS038",
                "england_include": ["Disabled under the Equality Act"],
            },
        }
    )
    for year in ("2025", "2019"):
        census.append(
            {
                "id": f"imd{year}_most_deprived_20",
                "name": f"Residents in England's most deprived 20% of areas (IMD {year})",
                "domain": "wider_determinants",
                "definition": (
                    "Usual residents (Census 2021) living in LSOAs in "
                    "England's two most deprived deciles of the Index of Multiple "
                    f"Deprivation {year}"
                )
                + (
                    " (2011 LSOAs: each 2021 LSOA takes the decile of the 2011 LSOA(s) it came"
                    " from)"
                    if year == "2019"
                    else ""
                )
                + ", as a percentage of all usual residents.",
                "value_type": "proportion",
                "unit": "% of residents",
                "polarity": "low_is_good",
                **_CENSUS,
                "period": year,
                "publisher": f"MHCLG English Indices of Deprivation {year}; "
                "ONS Census 2021 (TS001)",
                "build": {
                    "kind": "census_share",
                    "source": f"imd{year}",
                    "category_column": "deprivation",
                    "include": ["In England's most deprived 20% of LSOAs"],
                    "england_table": f"IMD{year}",
                    "england_include": ["In England's most deprived 20% of LSOAs"],
                },
            }
        )
    qof = [dict(i) for i in repo["indicator"] if i["build"]["kind"] == "qof_prevalence"]
    for i in qof:
        i["build"] = {**i["build"], "source": "qof_registers"}
    domains = [
        {"id": "demographics", "name": "Demographics"},
        {"id": "wider_determinants", "name": "Wider determinants and deprivation"},
        {"id": "disease", "name": "Disability"},
    ] + [d for d in repo["domain"] if d["id"] in {i["domain"] for i in qof}]
    out = [
        "# Generated by `python -m jsna.place new` (jsna/placegen.py): what England-wide\n"
        "# open data supports for any council; place.toml lists what is not available.\n"
    ]
    out += [_table("[[domain]]", d) for d in domains]
    out += [_table("[[indicator]]", i) for i in census + qof]
    return "\n".join(out)


def _sha(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def manifest_toml(nat: National, w: Writer, name: str) -> str:
    """The generated manifest: the national files read and every derived file."""
    out = [
        f"# The data release of {name}, generated by `python -m jsna.place new`.\n",
        _table("[release]", {"name": f"{_slug(name)}-national-{time.strftime('%Y-%m-%d')}"}),
    ]
    keys = (
        "id",
        "path",
        "role",
        "coverage",
        "publisher",
        "licence",
        "attribution",
        "period",
        "origin",
        "repository",
        "commit",
        "origin_path",
        "derivation",
        "bytes",
        "sha256",
    )
    for ident in nat.used:
        e = nat.entries[ident]
        out.append(_table("[[file]]", {k: e[k] for k in keys if k in e and e[k] != ""}))
    for f in w.files:
        size, sha = _sha(w.data / f.path)
        parents = ", ".join(f"{i} (sha256 {nat.entries[i]['sha256'][:12]})" for i in f.inputs)
        out.append(
            _table(
                "[[file]]",
                {
                    "id": "place_" + _slug(f.path.removeprefix("place/")),
                    "path": f.path,
                    "role": "build",
                    "coverage": "place",
                    "publisher": f.publisher,
                    "licence": "OGL-3.0",
                    "attribution": (
                        "Contains public sector information licensed under "
                        "the Open Government Licence v3.0; Source: Office for National "
                        "Statistics licensed under the Open Government Licence v3.0."
                    ),
                    "period": f.period,
                    "derivation": f"{f.derivation}. Made by jsna/placegen.py from {parents}.",
                    "bytes": size,
                    "sha256": sha,
                },
            )
        )
    return "\n".join(out)


def _link(data: Path, source: Path, rel: str) -> None:
    """`data/rel` -> `source/rel` (the national folders, read in place)."""
    target = (source / rel).resolve()
    link = data / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(target, link, target_is_directory=True)


def generate(
    code: str,
    name: str,
    source: Path,
    out: Path,
    sub_icbs: Iterable[str] = (),
    neighbourhoods: Path | None = None,
    serves: Path | None = None,
    peers: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Write the place's profiles folder and data folder; returns a summary."""
    start = time.perf_counter()
    repo = profiles_dir()
    nat = National.load(source, repo / "manifest.toml")
    plan = plan_place(nat, code, name, sub_icbs, neighbourhoods, serves, peers)
    data = out / "data"
    if (data / "place").exists():
        import shutil

        shutil.rmtree(data / "place")
    w = Writer(data)
    paths = derive(nat, plan, w)
    for key in ("qof",):  # read by the build where it is
        nat.path(key)
        paths[key] = nat.entries[INPUTS[key]]["path"]
    for rel in ("national", "gp/qof"):
        _link(data, source, rel)
    (out / "place.toml").write_text(place_toml(plan, paths), encoding="utf-8")
    (out / "indicators.toml").write_text(
        indicators_toml(repo / "indicators.toml"), encoding="utf-8"
    )
    (out / "manifest.toml").write_text(manifest_toml(nat, w, name), encoding="utf-8")
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "wards": plan.lsoa_ward["ward"].nunique(),
        "lsoas": len(plan.lsoa_ward),
        "neighbourhoods": len(plan.neighbourhoods),
        "pcns": plan.practices["pcn"].nunique(),
        "practices": len(plan.practices),
        "peers": len(plan.peers),
        "notes": plan.notes,
    }
