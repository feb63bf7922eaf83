"""What a generated place is made of, planned from the national lookups (`jsna.build.placegen`).

Its wards, LSOAs, neighbourhoods, practices, PCNs and peers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jsna.build.place_national import National, PlaceError, read_ons


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
    utla = read_ons(nat.path("lad_utla"), ["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"])
    utla = utla[utla["LTLA23CD"].str.startswith("E")]
    lads = sorted(utla.loc[utla["UTLA23CD"] == code, "LTLA23CD"])
    if not lads:
        raise PlaceError(f"{code}: not a council in the LAD 2023 to UTLA 2023 lookup")
    look = read_ons(nat.path("ward_lookup"), ["LSOA21CD", "WD23CD", "WD23NM", "LAD23CD"])
    look = look[look["LSOA21CD"].str.startswith("E")]
    look = look.rename(
        columns={"LSOA21CD": "lsoa", "WD23CD": "ward", "WD23NM": "ward_name", "LAD23CD": "lad"}
    )
    mine = look[look["lad"].isin(lads)].sort_values(["ward", "lsoa"]).reset_index(drop=True)
    wards = dict(zip(mine["ward"], mine["ward_name"], strict=False))
    notes = []
    regions = read_ons(nat.path("ward_region"), ["WD23CD", "LAD23CD", "RGN23CD", "RGN23NM"])
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
