"""Expected values read straight from Loamshire's generated source files (csv and tomllib):
the tests sum these rows themselves and never call the build's code."""

from __future__ import annotations

import csv
import tomllib
from collections import defaultdict
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def place(profiles: Path) -> dict:
    return tomllib.loads((profiles / "place.toml").read_text(encoding="utf-8"))


def census_counts(path: Path, column: str, numerator: set[str]) -> dict[str, tuple[int, int]]:
    """area -> (count, denominator): categories in `numerator` over every category."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows(path):
        v = int(r["value"])
        out[r["area_code"]][1] += v
        if r[column] in numerator:
            out[r["area_code"]][0] += v
    return {a: (c, d) for a, (c, d) in out.items()}


def pooled(leaves: dict[str, tuple[int, int]], groups: dict[str, list[str]]) -> dict:
    """Each group's summed count and denominator."""
    return {
        g: (sum(leaves[m][0] for m in ms), sum(leaves[m][1] for m in ms))
        for g, ms in groups.items()
    }


def expected(data: Path, profiles: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """indicator -> area code -> (count, denominator), from the source files alone."""
    p = place(profiles)
    code = p["place"]["code"]
    nbhs = {n["code"]: n for n in p["neighbourhood"]}
    lsoa_ward = {r["sa_code"]: r["ward"] for r in rows(data / p["lsoa_set"][0]["lookup"])}
    out: dict[str, dict[str, tuple[int, int]]] = {}
    census = {  # indicator: (source, category column, numerator categories or None for total)
        "ethnic_minority": ("ethnic_minority", "ethnic_group", None),
        "disabled": ("disabled", "disability_category", {"Disabled under the Equality Act"}),
        "aged_65_plus": ("census_age", "age", {"Aged 65 to 84 years", "Aged 85 years and over"}),
        "aged_85_plus": ("census_age", "age", {"Aged 85 years and over"}),
    }
    for ind, (key, column, num) in census.items():
        src = p["source"][key]
        ward_rows = rows(data / src["file"])
        cats = {r[column] for r in ward_rows}
        chosen = num if num is not None else cats - {"White"}
        wards = census_counts(data / src["file"], column, chosen)
        groups = {n: nbhs[n]["wards"][src["ward_set"]] for n in nbhs}
        groups[code] = sorted(wards)
        peers = census_counts(data / src["peer_file"], column, chosen)
        groups[p["peer_group"]["code"]] = p["peer_group"]["members"]
        out[ind] = wards | pooled(wards | peers, groups)
        table = {"ethnic_group": "TS021", "disability_category": "TS038", "age": "TS007A"}
        eng = [r for r in rows(data / src["england_file"]) if r["table"] == table[column]]
        count = sum(int(r["count"]) for r in eng if r["category"] in chosen)
        out[ind][p["place"]["england_code"]] = (count, int(eng[0]["denominator"]))
        if src.get("lsoa_file"):
            lsoas = census_counts(data / src["lsoa_file"], column, chosen)
            out[ind] |= {a: v for a, v in lsoas.items() if a in lsoa_ward}
    qof_path = data / p["source"]["qof_registers"]["file"]
    ours = {pr: c["code"] for c in p["pcn"] for pr in c["practices"]}
    for r in rows(qof_path):
        ind = "qof_" + r["GROUP_CODE"].lower()
        leaves = out.setdefault(ind, {})
        leaves[r["PRACTICE_CODE"]] = (int(r["REGISTER"]), int(r["PRACTICE_LIST_SIZE"]))
    for ind, leaves in out.items():
        if not ind.startswith("qof_"):
            continue
        england = (sum(v[0] for v in leaves.values()), sum(v[1] for v in leaves.values()))
        groups = {c["code"]: c["practices"] for c in p["pcn"]}
        groups[code] = sorted(ours)
        for n in nbhs:
            serving = [pr for c in p["pcn"] if n in c["serves"] for pr in c["practices"]]
            if serving:
                groups[n] = serving
        mine = {pr: leaves[pr] for pr in ours}
        out[ind] = mine | pooled(mine, groups) | {p["place"]["england_code"]: england}
    return out


def families(data: Path, profiles: Path) -> list[tuple[str, str, list[str]]]:
    """(indicator prefix, group, members): every published total and the parts it sums."""
    p = place(profiles)
    code = p["place"]["code"]
    out = []
    census = {"ethnic_minority": "electoral", "disabled": "divisions"}
    census |= {"aged_65_plus": "legacy", "aged_85_plus": "legacy"}
    for ind, ward_set in census.items():
        for n in p["neighbourhood"]:
            out.append((ind, n["code"], n["wards"][ward_set]))
        out.append((ind, code, [n["code"] for n in p["neighbourhood"]]))
    by_ward: dict[str, list[str]] = defaultdict(list)
    for r in rows(data / p["lsoa_set"][0]["lookup"]):
        if r["council"] == code:
            by_ward[r["ward"]].append(r["sa_code"])
    out += [("ethnic_minority", w, ls) for w, ls in by_ward.items()]
    for c in p["pcn"]:
        out.append(("qof_", c["code"], c["practices"]))
    out.append(("qof_", code, [c["code"] for c in p["pcn"]]))
    for n in p["neighbourhood"]:
        serving = [c["code"] for c in p["pcn"] if n["code"] in c["serves"]]
        if serving:
            out.append(("qof_", n["code"], serving))
    return out
