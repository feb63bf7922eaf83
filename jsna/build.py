"""Build the health database: `python -m jsna.build [--source DIR] [--out FILE]`.

Reads the open data in the source folder, validates it, pools ward (or LSOA) numerators and
denominators into neighbourhoods and practice numerators and denominators into PCNs,
computes values, confidence intervals and comparisons with England (or Trafford where
England has no figure), suppresses small numbers, and writes one DuckDB file. The file is
written under a temporary name and renamed into place, so a failed build leaves the previous
database untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from jsna import checks, config, geo, national, reference_tables, stats
from jsna.profiles import (
    CI_METHOD_LABELS,
    GEOGRAPHY_LABELS,
    Indicator,
    IndicatorProfile,
    Pcn,
    Place,
    ProfileError,
    load_indicators,
    load_place,
    multiplier,
)
from jsna.recipe_fingertipsnext import fingertipsnext_la
from jsna.sources import SourceError, Sources, check_codes, check_complete, check_not_above

SMALL_MAX = 4  # counts 1..4 are suppressed (disclosure control)
VALUE_COLUMNS = [
    "area_code",
    "indicator_id",
    "period",
    "sex",
    "age",
    "value",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
    "count",
    "denominator",
    "method",
    "is_estimate",
    "published_comparison",
    "note",
    "population",
]
CI_COLUMNS = ["lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998"]
WARD_LOOKUP = "lookups/trafford_ward_to_locality.csv"
PCN_LOOKUP = "gp/trafford_practice_to_pcn_apr2026.csv"
REGISTRATIONS = "gp/trafford_gp_patient_registrations.csv"
ENGLAND_CENSUS = "england/census2021/census2021_england_totals.csv"


# --------------------------------------------------------------------------- geography
@dataclass
class Geography:
    """Areas and memberships derived from the place profile and checked against lookups."""

    place: Place
    areas: pd.DataFrame  # area_code, area_name, area_type, vintage, parent_code, sort_order
    members: pd.DataFrame  # group_code, member_code
    wards_2004: dict[str, str]  # ward code -> neighbourhood code
    wards_2023: dict[str, str]
    practice_pcn: dict[str, str]  # practice code -> PCN code
    lsoa11_ward: dict[str, str]  # LSOA 2011 -> 2004-2023 ward (ONS best fit)
    lsoa21_ward: dict[str, str]  # LSOA 2021 -> 2004-2023 ward (ONS best fit)

    def ward_map(self, geography: str) -> dict[str, str]:
        """Ward -> neighbourhood map for a ward vintage."""
        return self.wards_2023 if geography == "wards_2023" else self.wards_2004


def load_geography(src: Sources, place: Place) -> Geography:
    """Build the area list and cross-check the place profile against the source lookups."""
    lk = src.read_csv(
        WARD_LOOKUP, ["ward_code", "ward_name", "ward_set", "locality"], key=["ward_code"]
    )
    by_name = {n.name: n for n in place.neighbourhoods}
    wards: dict[str, dict[str, str]] = {"wards_2004": {}, "wards_2023": {}}
    for n in place.neighbourhoods:
        for code in n.wards_2004:
            wards["wards_2004"][code] = n.code
        for code in n.wards_2023:
            wards["wards_2023"][code] = n.code
    area_rows: list[dict[str, Any]] = []
    for r in lk.to_dict("records"):
        vintage = "wards_2004" if str(r["ward_set"]).startswith("2004") else "wards_2023"
        nbh = by_name.get(str(r["locality"]))
        row = int(r["_row"])
        if nbh is None:
            raise SourceError(
                WARD_LOOKUP, f"unknown neighbourhood '{r['locality']}'", row, "locality"
            )
        if wards[vintage].get(str(r["ward_code"])) != nbh.code:
            raise SourceError(
                WARD_LOOKUP,
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
    for vintage, mapping in wards.items():
        listed = set(
            lk.loc[
                lk["ward_set"].str.startswith("2004" if vintage == "wards_2004" else "May"),
                "ward_code",
            ]
        )
        extra = set(mapping) - listed
        if extra:
            raise ProfileError(
                f"profiles/place.toml: ward {sorted(extra)[0]} is not in {WARD_LOOKUP}"
            )

    pcn = src.read_csv(
        PCN_LOOKUP, ["PRACTICE_CODE", "PRACTICE_NAME", "PCN_CODE"], key=["PRACTICE_CODE"]
    )
    practice_pcn = {p: c.code for c in place.pcns for p in c.practices}
    for r in pcn.to_dict("records"):
        if practice_pcn.get(str(r["PRACTICE_CODE"])) != r["PCN_CODE"]:
            raise SourceError(
                PCN_LOOKUP,
                f"practice {r['PRACTICE_CODE']} is in PCN "
                f"{r['PCN_CODE']} here but not in profiles/place.toml",
                int(r["_row"]),
                "PRACTICE_CODE",
            )
    missing = set(practice_pcn) - set(pcn["PRACTICE_CODE"])
    if missing:
        raise ProfileError(
            f"profiles/place.toml: practice {sorted(missing)[0]} is not in {PCN_LOOKUP}"
        )
    reg = src.read_csv(
        REGISTRATIONS,
        ["practice_code", "practice_name", "registered_patients"],
        counts=["registered_patients"],
        key=["practice_code"],
    )
    check_codes(reg, REGISTRATIONS, "practice_code", practice_pcn, "practice code")
    names = dict(zip(reg["practice_code"], reg["practice_name"], strict=True))

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

    lsoa11 = _lsoa_wards(
        src,
        "lookups/gm_lsoa11_to_ward17_best_fit.csv",
        "lsoa11cd",
        "wd17cd",
        "lad17cd",
        place.code,
        wards["wards_2004"],
    )
    lsoa21 = _lsoa_wards(
        src,
        "lookups/gm_lsoa21_to_ward22_best_fit.csv",
        "lsoa21cd",
        "wd22cd",
        "lad22cd",
        place.code,
        wards["wards_2004"],
    )
    # Most LSOA codes are in both the 2011 and 2021 sets; each code is one area.
    for code in sorted(set(lsoa11) | set(lsoa21)):
        vintage = (
            "lsoa_2011_2021"
            if code in lsoa11 and code in lsoa21
            else "lsoa_2011"
            if code in lsoa11
            else "lsoa_2021"
        )
        area_rows.append(
            {
                "area_code": code,
                "area_name": code,
                "area_type": "lsoa",
                "vintage": vintage,
                "parent_code": lsoa21.get(code, lsoa11.get(code)),
            }
        )
    areas = pd.DataFrame(area_rows)
    dup = areas["area_code"].duplicated()
    if dup.any():
        raise ProfileError(f"area code {areas.loc[dup, 'area_code'].iloc[0]} is used twice")
    areas["sort_order"] = range(len(areas))

    members = [(n.code, w) for n in place.neighbourhoods for w in (*n.wards_2004, *n.wards_2023)]
    members += [(c.code, p) for c in place.pcns for p in c.practices]
    members += [(place.code, n.code) for n in place.neighbourhoods]
    members += [(place.code, c.code) for c in place.pcns]
    return Geography(
        place=place,
        areas=areas,
        members=pd.DataFrame(members, columns=["group_code", "member_code"]),
        wards_2004=wards["wards_2004"],
        wards_2023=wards["wards_2023"],
        practice_pcn=practice_pcn,
        lsoa11_ward=lsoa11,
        lsoa21_ward=lsoa21,
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


# --------------------------------------------------------------------------- value rows
def _frame(area_codes: Any, **cols: Any) -> pd.DataFrame:
    df = pd.DataFrame({"area_code": list(area_codes)})
    for k, v in cols.items():
        df[k] = v.values if isinstance(v, pd.Series) else v
    return df


def _with_proportion(df: pd.DataFrame, multiplier: float = 100.0) -> pd.DataFrame:
    res = stats.proportion(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df


def _with_rate(df: pd.DataFrame, multiplier: float) -> pd.DataFrame:
    res = stats.crude_rate(df["count"].to_numpy(), df["denominator"].to_numpy(), multiplier)
    for c in ["value", *CI_COLUMNS, "method"]:
        df[c] = res[c].to_numpy()
    return df


def _pool(counts: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Sum `count` and `denominator` of member areas into each group (never average rates)."""
    idx = counts.set_index("area_code")
    rows = []
    for group, members in groups.items():
        sub = idx.loc[idx.index.intersection(members)]
        if len(sub) != len(members):
            missing = sorted(set(members) - set(sub.index))
            raise SourceError("(pooling)", f"{group} lacks data for member area {missing[0]}")
        if sub[["count", "denominator"]].isna().any().any():
            raise SourceError("(pooling)", f"{group} has a member area with a blank count")
        rows.append(
            {
                "area_code": group,
                "count": sub["count"].sum(),
                "denominator": sub["denominator"].sum(),
            }
        )
    return pd.DataFrame(rows)


def _area_groups(geo_: Geography, geography: str) -> dict[str, list[str]]:
    """Neighbourhoods and Trafford as lists of wards of one vintage."""
    mapping = geo_.ward_map(geography)
    groups: dict[str, list[str]] = {n.code: [] for n in geo_.place.neighbourhoods}
    for ward, nbh in mapping.items():
        groups[nbh].append(ward)
    groups[geo_.place.code] = list(mapping)
    return groups


def _pcn_groups(geo_: Geography) -> dict[str, list[str]]:
    groups = {c.code: list(c.practices) for c in geo_.place.pcns}
    groups[geo_.place.code] = list(geo_.practice_pcn)
    return groups


# --------------------------------------------------------------------------- recipes
Recipe = Callable[[Sources, Geography, Indicator], pd.DataFrame]


def _england_table(src: Sources, table: str) -> pd.DataFrame:
    """England's rows of one Census table (census2021_england_totals.csv)."""
    df = src.read_csv(
        ENGLAND_CENSUS,
        ["table", "category", "count", "denominator"],
        counts=["count", "denominator"],
        key=["table", "category"],
    )
    df = df[df["table"] == table]
    if df.empty:
        raise SourceError(ENGLAND_CENSUS, f"no rows for table {table}", column="table")
    check_complete(df, ENGLAND_CENSUS, ["count", "denominator"])
    if df["denominator"].nunique() != 1:
        raise SourceError(ENGLAND_CENSUS, f"{table} has more than one total", column="denominator")
    return df


def _england_census(
    src: Sources, table: str, include: list[str] | None, exclude: list[str] | None
) -> tuple[float, float]:
    """England's count and total for a Census category share.

    The categories of the table must add up to its published total (each person in exactly
    one category), or a subtotal or a missing category would skew England's value.
    """
    df = _england_table(src, table)
    total = float(df["denominator"].iloc[0])
    if df["count"].sum() != total:
        raise SourceError(
            ENGLAND_CENSUS,
            f"{table} categories sum to {df['count'].sum():,.0f}, not its total {total:,.0f}",
            column="count",
        )
    cats = df["category"]
    sel = cats.isin(include) if include else ~cats.isin(exclude or [])
    if include and sel.sum() != len(include):
        raise SourceError(ENGLAND_CENSUS, f"{table} lacks category {include}", column="category")
    return float(df.loc[sel, "count"].sum()), total


def _check_every_category(df: pd.DataFrame, rel: str, cat: str) -> None:
    """Every area must have a row for every category, or its total would be short."""
    per_area = df.groupby("area_code")[cat].nunique()
    expected = df[cat].nunique()
    short = per_area[per_area < expected]
    if not short.empty:
        raise SourceError(
            rel,
            f"area {short.index[0]} has {short.iloc[0]} of the {expected} categories",
            column=cat,
        )


def _peer_rows(
    src: Sources, rel: str, columns: list[str], counts: list[str], members: tuple[str, ...]
) -> pd.DataFrame:
    """Rows of a council-level file for the peer councils, checked to cover every one."""
    df = src.read_csv(rel, ["area_code", *columns], counts=counts)
    df = df[df["area_code"].isin(members)]
    missing = set(members) - set(df["area_code"])
    if missing:
        raise SourceError(rel, f"no rows for council {sorted(missing)[0]}", column="area_code")
    return df


def census_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Census 2021 category share: wards pooled to neighbourhoods and Trafford; Wilson CIs."""
    b = ind.build
    cat = b["category_column"]

    def counts(rel: str, known: dict[str, str], what: str) -> pd.DataFrame:
        df = src.read_csv(
            rel, ["area_code", cat, "value"], counts=["value"], key=["area_code", cat]
        )
        check_codes(df, rel, "area_code", known, what)
        return counts_from(df, rel)

    def counts_from(df: pd.DataFrame, rel: str = "") -> pd.DataFrame:
        check_complete(df, rel, ["value"])
        _check_every_category(df, rel, cat)
        cats = df[cat]
        if b.get("include"):
            missing = set(b["include"]) - set(cats)
            if missing:
                raise SourceError(rel, f"category '{sorted(missing)[0]}' not found", column=cat)
            num_sel = cats.isin(b["include"])
        else:
            num_sel = ~cats.isin(b.get("exclude", []))
        den = df.groupby("area_code")["value"].sum()
        num = df[num_sel].groupby("area_code")["value"].sum().reindex(den.index, fill_value=0)
        return pd.DataFrame(
            {"area_code": den.index, "count": num.values, "denominator": den.values}
        )

    wards = counts(b["file"], geo_.wards_2004, "ward code")
    frames = [wards, _pool(wards, _area_groups(geo_, "wards_2004"))]
    peers = geo_.place.peers
    if b.get("gm_file") and peers is not None:
        councils = _peer_rows(src, b["gm_file"], [cat, "value"], ["value"], peers.members)
        frames.append(_pool(counts_from(councils, b["gm_file"]), {peers.code: list(peers.members)}))
    if b.get("lsoa_file"):
        frames.append(counts(b["lsoa_file"], geo_.lsoa21_ward, "LSOA code"))
    if b.get("england_table"):
        n, d = _england_census(
            src, b["england_table"], b.get("england_include"), b.get("england_exclude")
        )
        frames.append(
            pd.DataFrame({"area_code": [geo_.place.england_code], "count": [n], "denominator": [d]})
        )
    return _with_proportion(pd.concat(frames, ignore_index=True))


_AGE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[Any], tuple[int, int]]], ...] = (
    (re.compile(r"^Aged under (\d+) years?$"), lambda a: (0, int(a[0]) - 1)),
    (re.compile(r"^Aged (\d+) years? and under$"), lambda a: (0, int(a[0]))),
    (re.compile(r"^Aged (\d+) years? and over$"), lambda a: (int(a[0]), OPEN_AGE)),
    (re.compile(r"^Aged (\d+) to (\d+) years$"), lambda a: (int(a[0]), int(a[1]))),
    (re.compile(r"^Aged (\d+) years?$"), lambda a: (int(a[0]), int(a[0]))),
)
OPEN_AGE = 999  # upper end of an "... and over" band


def age_interval(label: str) -> tuple[int, int] | None:
    """The ages (first, last) a Census age label covers; None if it is not an age label.

    Examples:
        >>> age_interval("Aged under 1 year"), age_interval("Aged 5 to 9 years")
        ((0, 0), (5, 9))
    """
    for pattern, span in _AGE_PATTERNS:
        m = pattern.match(label)
        if m:
            return span(m.groups())
    return None


def finest_age_categories(labels: pd.Series, rel: str, rows: pd.Series) -> pd.Series:
    """Which age labels to sum: the finest bands, so that each person is counted once.

    Census tables mix single years with published subtotals ("Aged 85 years and over" beside
    "Aged 85 years", ..., "Aged 100 years and over"). A band that contains another band is a
    subtotal and is left out; the bands left must then cover every age from 0 exactly once,
    or the build stops.
    """
    spans = labels.map(age_interval)
    if spans.isna().any():
        i = int(spans.isna().to_numpy().argmax())
        raise SourceError(rel, f"unrecognised age '{labels.iloc[i]}'", int(rows.iloc[i]), "age")
    distinct = sorted(set(spans))
    finest = {
        s for s in distinct if not any(o != s and s[0] <= o[0] and o[1] <= s[1] for o in distinct)
    }
    expected_start = 0
    for lo, hi in sorted(finest):
        if lo != expected_start:
            raise SourceError(
                rel,
                f"age bands overlap or leave a gap at age {expected_start} (next band starts "
                f"at {lo})",
                column="age",
            )
        expected_start = hi + 1
    if expected_start <= OPEN_AGE:
        raise SourceError(rel, f"no band covers ages {expected_start} and over", column="age")
    return spans.isin(finest)


def census_age_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Share of residents in an age range (Census 2021), England from TS007."""
    b = ind.build
    lo, hi = int(b["min_age"]), int(b.get("max_age", OPEN_AGE))
    df = src.read_csv(
        b["file"],
        ["area_code", "age", "sex", "value"],
        counts=["value"],
        key=["area_code", "age", "sex"],
    )
    df = df[df["sex"] == "All persons"]
    check_codes(df, b["file"], "area_code", geo_.wards_2004, "ward code")

    def age_counts(df: pd.DataFrame, rel: str, value: str = "value") -> pd.DataFrame:
        check_complete(df, rel, [value])
        df = df[finest_age_categories(df["age"], rel, df["_row"])]
        _check_every_category(df, rel, "age")
        spans = df["age"].map(age_interval)
        first = spans.map(lambda s: s[0])
        last = spans.map(lambda s: s[1])
        partial = (first < lo) & (last >= lo) | (first <= hi) & (last > hi)
        if partial.any():
            i = int(partial.to_numpy().argmax())
            raise SourceError(
                rel,
                f"age band '{df['age'].iloc[i]}' straddles the range {lo} to {hi}",
                int(df["_row"].iloc[i]),
                "age",
            )
        den = df.groupby("area_code")[value].sum()
        num = df[(first >= lo) & (last <= hi)].groupby("area_code")[value].sum()
        return pd.DataFrame(
            {
                "area_code": den.index,
                "count": num.reindex(den.index, fill_value=0).values,
                "denominator": den.values,
            }
        )

    wards = age_counts(df, b["file"])
    peers = geo_.place.peers
    peer_frames = []
    if b.get("gm_file") and peers is not None:
        councils = _peer_rows(src, b["gm_file"], ["age", "sex", "value"], ["value"], peers.members)
        councils = age_counts(councils[councils["sex"] == "All persons"], b["gm_file"])
        peer_frames.append(_pool(councils, {peers.code: list(peers.members)}))
    eng = _england_table(src, "TS007")
    england = age_counts(
        eng.rename(columns={"category": "age"}).assign(area_code=geo_.place.england_code),
        ENGLAND_CENSUS,
        "count",
    )
    published = float(eng["denominator"].iloc[0])
    if england["denominator"].iloc[0] != published:
        raise SourceError(
            ENGLAND_CENSUS,
            f"TS007 single-year ages sum to {england['denominator'].iloc[0]:,.0f}, not the "
            f"published total {published:,.0f}",
            column="count",
        )
    frames = [wards, _pool(wards, _area_groups(geo_, "wards_2004")), england, *peer_frames]
    return _with_proportion(pd.concat(frames, ignore_index=True))


def mye_total(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Resident population (mid-year estimate) summed over wards."""
    rel = ind.build["file"]
    df = src.read_csv(
        rel, ["area_code", "sex", "all_ages"], counts=["all_ages"], key=["area_code", "sex"]
    )
    df = df[df["sex"] == "Persons"]
    check_codes(df, rel, "area_code", geo_.wards_2023, "ward code")
    check_complete(df, rel, ["all_ages"])
    wards = pd.DataFrame(
        {"area_code": df["area_code"], "count": df["all_ages"], "denominator": np.nan}
    )
    pooled = _pool(wards.fillna({"denominator": 0}), _area_groups(geo_, "wards_2023"))
    out = pd.concat([wards, pooled], ignore_index=True)
    out["denominator"] = np.nan
    out["value"] = out["count"]
    out["method"] = "Sum of ward estimates"
    return out


def _lsoa11_population(src: Sources, geo_: Geography) -> pd.Series:
    """Mid-2022 residents by 2011 LSOA.

    2021 LSOAs that are new (a 2011 LSOA was split) are matched to the 2011 LSOA that
    disappeared from the same MSOA; the build stops if that match is ambiguous.
    """
    rel = "indicators/population/mid-year_2022_population_estimates_lsoa.csv"
    raw = src.read_csv(
        rel, ["area_code", "sex", "all_ages"], counts=["all_ages"], key=["area_code", "sex"]
    )
    pop: pd.Series = raw[raw["sex"] == "Persons"].set_index("area_code")["all_ages"]
    oa11 = src.read_csv("lookups/gm_oa11_lsoa11_msoa11_lad.csv", ["lsoa11cd", "msoa11cd"])
    oa21 = src.read_csv("lookups/gm_oa21_lsoa21_msoa21_lad.csv", ["lsoa21cd", "msoa21cd"])
    msoa11 = dict(zip(oa11["lsoa11cd"], oa11["msoa11cd"], strict=False))
    msoa21 = dict(zip(oa21["lsoa21cd"], oa21["msoa21cd"], strict=False))
    vanished: dict[str, list[str]] = {}
    for l11 in set(geo_.lsoa11_ward) - set(pop.index):
        vanished.setdefault(msoa11.get(l11, ""), []).append(l11)
    mapping: dict[str, str] = {}
    for l21 in pop.index:
        if l21 in geo_.lsoa11_ward:
            mapping[l21] = l21
            continue
        candidates = vanished.get(msoa21.get(l21, "?"), [])
        if len(candidates) != 1:
            raise SourceError(
                rel, f"LSOA {l21} cannot be matched to one 2011 LSOA", column="area_code"
            )
        mapping[l21] = candidates[0]
    return pop.groupby(pop.index.map(mapping)).sum()


def imd_lsoa(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """IMD 2019 by LSOA: residents' share in England's most deprived deciles, or mean score."""
    rel = "indicators/deprivation/trafford_lsoa11_IoD2015_IoD2019_all_domains.csv"
    df = src.read_csv(
        rel,
        ["lsoa11cd", "index_domain", "decile", "score", "year"],
        numbers=["decile", "score"],
        key=["lsoa11cd", "index_domain", "year"],
    )
    df = df[(df["year"] == "2019") & (df["index_domain"] == "Index of Multiple Deprivation")]
    check_codes(df, rel, "lsoa11cd", geo_.lsoa11_ward, "LSOA code")
    pop = _lsoa11_population(src, geo_)
    df = df.assign(pop=df["lsoa11cd"].map(pop))
    if df["pop"].isna().any():
        i = int(df["pop"].isna().to_numpy().argmax())
        raise SourceError(rel, "no population for this LSOA", int(df["_row"].iloc[i]), "lsoa11cd")
    df["ward"] = df["lsoa11cd"].map(geo_.lsoa11_ward)
    groups = _area_groups(geo_, "wards_2004")
    ward_nbh = geo_.wards_2004
    rows = []
    keys: list[tuple[str, pd.Series]] = [(w, df["ward"] == w) for w in ward_nbh]
    keys += [(g, df["ward"].isin(members)) for g, members in groups.items()]
    measure = ind.build["measure"]
    for code, sel in keys:
        sub = df[sel]
        if measure == "share":
            deprived = sub.loc[sub["decile"] <= int(ind.build["max_decile"]), "pop"].sum()
            rows.append(
                {
                    "area_code": code,
                    "value": 100 * deprived / sub["pop"].sum(),
                    "count": deprived,
                    "denominator": sub["pop"].sum(),
                }
            )
        else:
            rows.append(
                {
                    "area_code": code,
                    "value": float(np.average(sub["score"], weights=sub["pop"])),
                    "count": np.nan,
                    "denominator": sub["pop"].sum(),
                }
            )
    if measure == "score":
        rows += [
            {"area_code": r.lsoa11cd, "value": r.score, "count": np.nan, "denominator": r.pop}
            for r in df.itertuples()
        ]
    out = pd.DataFrame(rows)
    out["method"] = (
        "Residents in most deprived LSOAs / all residents"
        if measure == "share"
        else "Population-weighted mean of LSOA scores"
    )
    return out


def _ward_weights(src: Sources, rel: str, sex: str, ages: list[int] | None) -> pd.Series:
    sex_col = "gender" if "2017wards" in rel else "sex"
    cols = [str(a) for a in range(91)] if ages else []
    df = src.read_csv(
        rel, ["area_code", sex_col, "all_ages"], counts=["all_ages"], key=["area_code", sex_col]
    )
    df = df[df[sex_col] == sex]
    if ages:
        missing = [c for c in cols[ages[0] : ages[1] + 1] if c not in df.columns]
        if missing:
            raise SourceError(rel, "missing column", 1, missing[0])
        band = df[[str(a) for a in range(ages[0], ages[1] + 1)]].apply(pd.to_numeric)
        return pd.Series(band.sum(axis=1).to_numpy(), index=df["area_code"])
    return pd.Series(df["all_ages"].to_numpy(), index=df["area_code"])


def ward_estimate(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Ward values as published; neighbourhoods as population-weighted estimates."""
    b = ind.build
    files = [(b["file"], b.get("weight_sex", "Persons"))]
    if b.get("female_file"):
        files = [(b["file"], "Males"), (b["female_file"], "Females")]
    frames = []
    groups = _area_groups(geo_, ind.geography)
    for rel, sex in files:
        df = src.read_csv(rel, ["area_code", "value"], numbers=["value"], key=["area_code"])
        check_codes(df, rel, "area_code", geo_.ward_map(ind.geography), "ward code")
        w = _ward_weights(src, b["weight_file"], sex, b.get("weight_ages"))
        vals = df.set_index("area_code")["value"]
        rows = [
            {
                "area_code": c,
                "value": v,
                "is_estimate": False,
                "note": None if pd.notna(v) else "Not available: no value published",
                "method": "As published (no confidence interval)",
            }
            for c, v in vals.items()
        ]
        for g, members in groups.items():
            weights = w.reindex(members)
            if weights.isna().any():
                raise SourceError(
                    b["weight_file"],
                    f"no population for ward {weights[weights.isna()].index[0]}",
                    column="area_code",
                )
            member_vals = vals.reindex(members)
            gaps = member_vals[member_vals.isna()].index
            # An estimate that silently dropped a ward would misdescribe the area.
            rows.append(
                {
                    "area_code": g,
                    "value": np.nan
                    if len(gaps)
                    else float(np.average(member_vals, weights=weights)),
                    "is_estimate": True,
                    "note": f"Not available: no published value for ward {gaps[0]}"
                    if len(gaps)
                    else None,
                    "method": "Estimate: population-weighted average of ward values",
                }
            )
        out = pd.DataFrame(rows)
        out["sex"] = (
            {"Males": "Male", "Females": "Female"}.get(sex, "Persons")
            if b.get("female_file")
            else "Persons"
        )
        frames.append(out)
    out = pd.concat(frames, ignore_index=True)
    if b.get("la_file"):
        out = _replace_with_la_score(src, b["la_file"], geo_.place.code, out)
    out["count"] = np.nan
    out["denominator"] = np.nan
    return out


def _replace_with_la_score(src: Sources, rel: str, la: str, out: pd.DataFrame) -> pd.DataFrame:
    df = src.read_csv(
        rel,
        ["area_code", "index_domain", "average_score"],
        numbers=["average_score"],
        key=["area_code", "index_domain"],
    )
    row = df[(df["area_code"] == la) & (df["index_domain"] == "Index of Multiple Deprivation")]
    if row.empty:
        raise SourceError(rel, f"no Index of Multiple Deprivation row for {la}", column="area_code")
    sel = out["area_code"] == la
    out.loc[sel, "value"] = float(row["average_score"].iloc[0])
    out.loc[sel, "is_estimate"] = False
    out.loc[sel, "method"] = "As published by MHCLG (population-weighted LSOA average)"
    return out


# OHID's "compared to England" labels; "99.8" marks significance at the stricter level.
_SIG = {
    "better": "better",
    "similar": "similar",
    "worse": "worse",
    "lower": "lower",
    "higher": "higher",
    "better 99.8": "best",
    "worse 99.8": "worst",
    "lower 99.8": "lowest",
    "higher 99.8": "highest",
    "not compared": "not compared",
}


def _published_labels(df: pd.DataFrame, rel: str, column: str) -> np.ndarray:
    """OHID's comparison labels as Comparison values; an unknown label stops the build."""
    text = df[column].str.strip().str.lower()
    unknown = text.notna() & ~text.isin(list(_SIG))
    if unknown.any():
        i = int(unknown.to_numpy().argmax())
        raise SourceError(
            rel, f"unknown comparison '{df[column].iloc[i]}'", int(df["_row"].iloc[i]), column
        )
    return text.map(_SIG).to_numpy()


def fingertips_la(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """OHID Fingertips local authority series for Trafford and England, as published."""
    b = ind.build
    rel = b["file"]
    raw = src.read_csv(rel, ["area_code", "period", "indicator", "value"], numbers=["value"])
    sig_col = next((c for c in ("compared_to_England", "significance") if c in raw.columns), None)
    peers = geo_.place.peers
    peer_codes = list(peers.members) if peers is not None else []
    df = raw[
        (raw["indicator"] == b["indicator"])
        & raw["area_code"].isin([geo_.place.code, geo_.place.england_code, *peer_codes])
    ]
    if df.empty:
        raise SourceError(
            rel,
            f"no {geo_.place.name} or England rows for '{b['indicator']}'",
            column="indicator",
        )
    sex_col = b.get("sex_column")
    if sex_col:
        df = df[df[sex_col].isin(["Male", "Female", "Persons"])]
        sex = df[sex_col]
    else:
        if "inequality" in df.columns:
            df = df[df["inequality"].isna() | (df["inequality"] == "NA")]
        sex = pd.Series("Persons", index=df.index)
    df = df.assign(sex=sex)
    dup = df.duplicated(subset=["area_code", "period", "sex"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            rel,
            f"duplicate row ({df['area_code'].iloc[i]}, {df['period'].iloc[i]})",
            int(df["_row"].iloc[i]),
            "period",
        )
    out = pd.DataFrame(
        {
            "area_code": df["area_code"].to_numpy(),
            "period": df["period"].str.replace(" - ", "-").to_numpy(),
            "sex": df["sex"].to_numpy(),
            "value": df["value"].to_numpy(),
        }
    )
    if sig_col:
        out["published_comparison"] = _published_labels(df, rel, sig_col)
    out["method"] = "As published by OHID (no interval in this extract)"
    if peers is not None:
        is_peer = out["area_code"].isin(peer_codes)
        by = out[is_peer].groupby(["period", "sex"])["value"]
        # A peer average only where every peer council has a value for that period.
        avg = by.mean()[by.count() == len(peer_codes)].reset_index()
        avg["area_code"] = peers.code
        avg["method"] = f"Average of the published values of {peers.description}"
        out = pd.concat([out[~is_peer], avg], ignore_index=True)
    out["count"] = np.nan
    out["denominator"] = np.nan
    return out


def fingertips_practice(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """A Fingertips practice-level export: practices pooled to PCNs, England from the file."""
    b = ind.build
    rel = b["file"]
    df = src.read_csv(
        rel,
        ["Area Code", "Area Type", "Sex", "Category Type", "Time period", "Count", "Denominator"],
        counts=["Count", "Denominator"],
        rows=lambda d: d["Time period"] == b["period"],  # earlier years hold estimates
    )
    df = df[
        (df["Time period"] == b["period"]) & (df["Sex"] == "Persons") & df["Category Type"].isna()
    ]
    dup = df.duplicated(subset=["Area Code", "Area Type"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            rel, f"duplicate row ({df['Area Code'].iloc[i]})", int(df["_row"].iloc[i]), "Area Code"
        )
    if ind.value_type == "proportion":  # a rate's events can outnumber its population
        check_not_above(df, rel, "Count", "Denominator")
    gps = df[df["Area Type"] == "GPs"]
    # Fingertips extracts include practices that have since closed or merged: keep the
    # current members of Trafford's PCNs (profiles/place.toml).
    gps = gps[gps["Area Code"].isin(geo_.practice_pcn)]
    missing = set(geo_.practice_pcn) - set(gps["Area Code"])
    if missing:
        raise SourceError(
            rel, f"no {b['period']} row for practice {sorted(missing)[0]}", column="Area Code"
        )
    check_complete(gps, rel, ["Count", "Denominator"])
    practices = pd.DataFrame(
        {
            "area_code": gps["Area Code"].to_numpy(),
            "count": gps["Count"].to_numpy(),
            "denominator": gps["Denominator"].to_numpy(),
        }
    )
    eng = df[df["Area Code"] == geo_.place.england_code].head(1)
    check_complete(eng, rel, ["Count", "Denominator"])
    if eng.empty:
        raise SourceError(rel, f"no England row for {b['period']}", column="Area Code")
    mult = float(b["multiplier"])
    if b.get("published_pcn_rows"):
        return _published_practice_rows(rel, df, gps, eng, geo_, mult)
    england = pd.DataFrame(
        {
            "area_code": eng["Area Code"].to_numpy(),
            "count": eng["Count"].to_numpy(),
            "denominator": eng["Denominator"].to_numpy(),
        }
    )
    out = pd.concat([practices, _pool(practices, _pcn_groups(geo_)), england], ignore_index=True)
    if ind.value_type == "proportion":
        return _with_proportion(out, mult)
    return _with_rate(out, mult)


def _numbers(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, or NaNs when the extract lacks it."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[column]).to_numpy(dtype=float)


def _published_practice_rows(
    rel: str, df: pd.DataFrame, gps: pd.DataFrame, eng: pd.DataFrame, geo_: Geography, mult: float
) -> pd.DataFrame:
    """Practices and England as OHID published them; PCNs and the council pooled from them.

    OHID rounds these hospital counts to multiples of 5 but computes its values and intervals
    from its own unrounded counts, so practice and England rows keep OHID's value and limits
    (compared here by the same two-level rule as every other row). PCNs and the council are
    pooled from today's member practices' published counts, with Byar's intervals; where OHID
    publishes a PCN row (on its own membership of the year) the note gives it beside ours.
    """
    pcn_codes = [c.code for c in geo_.place.pcns]
    pub_pcn = df[df["Area Type"].str.startswith("PCN") & df["Area Code"].isin(pcn_codes)]
    pub = pd.concat([gps, eng])
    for col in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"):
        if col not in pub.columns:
            raise SourceError(rel, "missing column", 1, col)
    published = pd.DataFrame(
        {
            "area_code": pub["Area Code"].to_numpy(),
            "count": pub["Count"].to_numpy(),
            "denominator": pub["Denominator"].to_numpy(),
            "value": pd.to_numeric(pub["Value"]).to_numpy(),
            "lower_ci95": pd.to_numeric(pub["Lower CI 95.0 limit"]).to_numpy(),
            "upper_ci95": pd.to_numeric(pub["Upper CI 95.0 limit"]).to_numpy(),
            "lower_ci998": _numbers(pub, "Lower CI 99.8 limit"),
            "upper_ci998": _numbers(pub, "Upper CI 99.8 limit"),
            "method": "OHID's published value and interval (counts rounded to multiples of 5)",
        }
    )
    practices = published[published["area_code"].isin(geo_.practice_pcn)]
    pooled = _with_rate(
        _pool(practices[["area_code", "count", "denominator"]], _pcn_groups(geo_)), mult
    )
    pooled["method"] = (
        "Pooled from today's member practices' published counts (rounded to multiples of 5); "
        + pooled["method"].astype(str)
    )
    theirs = dict(zip(pub_pcn["Area Code"], pd.to_numeric(pub_pcn["Value"]), strict=True))
    period = str(df["Time period"].iloc[0]) if len(df) else ""
    pooled["note"] = [
        f"OHID publishes {theirs[c]:,.1f} for this PCN on its {period} membership; this value is "
        f"pooled from today's member practices ({v:,.1f})"
        if c in theirs and round(theirs[c], 1) != round(v, 1)
        else None
        for c, v in zip(pooled["area_code"], pooled["value"], strict=True)
    ]
    return pd.concat([published, pooled], ignore_index=True)


# QOF 2022/23 registers and the list each is a share of (NHS England, QOF 2022/23
# prevalence tables: PATIENT_LIST_TYPE). A group or list type not listed here stops the build.
QOF_LIST_TYPES: dict[str, str] = {
    "AF": "TOTAL",
    "AST": "06OV",
    "CAN": "TOTAL",
    "CHD": "TOTAL",
    "CKD": "18OV",
    "COPD": "TOTAL",
    "DEM": "TOTAL",
    "DEP": "18OV",
    "DM": "17OV",
    "EP": "18OV",
    "HF": "TOTAL",
    "HYP": "TOTAL",
    "LD": "TOTAL",
    "MH": "TOTAL",
    "NDH": "18OV",
    "OB": "18OV",
    "OST": "50OV",
    "PAD": "TOTAL",
    "PC": "TOTAL",
    "RA": "16OV",
    "STIA": "TOTAL",
}
_QOF_COLUMNS = [
    "PRACTICE_CODE",
    "GROUP_CODE",
    "REGISTER",
    "PATIENT_LIST_TYPE",
    "PRACTICE_LIST_SIZE",
]


def _qof_national(src: Sources, rel: str) -> pd.DataFrame:
    """The national QOF prevalence file, validated once per build (`Sources.once`)."""

    def load() -> pd.DataFrame:
        df = src.read_csv(
            rel,
            _QOF_COLUMNS,
            counts=["REGISTER", "PRACTICE_LIST_SIZE"],
            key=["PRACTICE_CODE", "GROUP_CODE"],
        )
        check_complete(df, rel, ["REGISTER", "PRACTICE_LIST_SIZE"])
        unknown = ~df["GROUP_CODE"].isin(list(QOF_LIST_TYPES))
        if unknown.any():
            i = int(unknown.to_numpy().argmax())
            raise SourceError(
                rel,
                f"unknown QOF group code '{df['GROUP_CODE'].iloc[i]}'",
                int(df["_row"].iloc[i]),
                "GROUP_CODE",
            )
        wrong = df["PATIENT_LIST_TYPE"] != df["GROUP_CODE"].map(QOF_LIST_TYPES)
        if wrong.any():
            i = int(wrong.to_numpy().argmax())
            group = str(df["GROUP_CODE"].iloc[i])
            raise SourceError(
                rel,
                f"list type '{df['PATIENT_LIST_TYPE'].iloc[i]}' is not the "
                f"{group} register's ({QOF_LIST_TYPES[group]})",
                int(df["_row"].iloc[i]),
                "PATIENT_LIST_TYPE",
            )
        return df

    return src.once(("qof_national", rel), load)


def _qof_membership_notes(
    src: Sources, geo_: Geography, b: dict[str, Any], in_file: set[str]
) -> dict[str, str]:
    """Per PCN: practices of today's membership missing from the QOF year, and vice versa.

    PCN values are pooled from today's member practices (profiles/place.toml); practices that
    have closed, merged or moved PCN since the QOF year are named, never silently dropped.
    """
    notes: dict[str, list[str]] = {}
    for pcn in geo_.place.pcns:
        gone = sorted(set(pcn.practices) - in_file)
        if gone:
            notes.setdefault(pcn.code, []).append(
                f"no {b.get('year', 'QOF')} row for member practice(s) {', '.join(gone)} "
                "(opened or merged since), so they are not in this value"
            )
    if b.get("geography_file"):
        rel = b["geography_file"]
        geo_rows = src.read_csv(rel, ["PCN_ODS_CODE", "PRACTICE_CODE"], key=["PRACTICE_CODE"])
        for pcn in geo_.place.pcns:
            then = set(geo_rows.loc[geo_rows["PCN_ODS_CODE"] == pcn.code, "PRACTICE_CODE"])
            left = sorted(then - set(pcn.practices))
            if left:
                notes.setdefault(pcn.code, []).append(
                    f"practice(s) {', '.join(left)} were in this PCN in {b.get('year', 'QOF')} "
                    "but are not members today, so they are not in this value"
                )
    return {code: "; ".join(n).capitalize() for code, n in notes.items()}


def qof_prevalence(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """QOF recorded prevalence: register / list of its age group, pooled from practices.

    Practices as published; PCNs and the council pooled from today's member practices (sum of
    registers / sum of lists); England the sum over every practice in the national file,
    checked against NHS England's published England total. Wilson intervals.
    """
    b = ind.build
    rel, group = b["file"], str(b["group"])
    if group not in QOF_LIST_TYPES:
        raise ProfileError(f"profiles/indicators.toml: {ind.id}: unknown QOF group '{group}'")
    df = _qof_national(src, rel)
    df = df[df["GROUP_CODE"] == group]
    practices = df[df["PRACTICE_CODE"].isin(geo_.practice_pcn)]
    # A few specialist practices elsewhere in England have registers above their list (NHS
    # England publishes them so, and its England total includes them); ours must not.
    check_not_above(practices, rel, "REGISTER", "PRACTICE_LIST_SIZE")
    counts = pd.DataFrame(
        {
            "area_code": practices["PRACTICE_CODE"].to_numpy(),
            "count": practices["REGISTER"].to_numpy(),
            "denominator": practices["PRACTICE_LIST_SIZE"].to_numpy(),
        }
    )
    present = set(counts["area_code"])
    groups = {
        code: [p for p in members if p in present] for code, members in _pcn_groups(geo_).items()
    }
    england = pd.DataFrame(
        {
            "area_code": [geo_.place.england_code],
            "count": [df["REGISTER"].sum()],
            "denominator": [df["PRACTICE_LIST_SIZE"].sum()],
        }
    )
    if b.get("totals_file"):
        _check_qof_england(src, b["totals_file"], group, geo_.place.england_code, england)
    out = _with_proportion(pd.concat([counts, _pool(counts, groups), england], ignore_index=True))
    notes = _qof_membership_notes(src, geo_, b, set(df["PRACTICE_CODE"]))
    out["note"] = out["area_code"].map(notes)
    out["method"] = f"Register / list aged {_LIST_WORDS[QOF_LIST_TYPES[group]]}; Wilson"
    return out


_LIST_WORDS = {
    "TOTAL": "all ages",
    "06OV": "6 and over",
    "16OV": "16 and over",
    "17OV": "17 and over",
    "18OV": "18 and over",
    "50OV": "50 and over",
}


def _check_qof_england(
    src: Sources, rel: str, group: str, england_code: str, england: pd.DataFrame
) -> None:
    """England's register and list summed here must equal NHS England's published totals."""
    tot = src.read_csv(
        rel,
        ["AREA_CODE", "GROUP_CODE", "REGISTER", "LIST_SIZE"],
        counts=["REGISTER", "LIST_SIZE"],
        key=["AREA_CODE", "GROUP_CODE"],
    )
    row = tot[(tot["AREA_CODE"] == england_code) & (tot["GROUP_CODE"] == group)]
    if row.empty:
        raise SourceError(rel, f"no England row for QOF group {group}", column="GROUP_CODE")
    for ours, theirs in (("count", "REGISTER"), ("denominator", "LIST_SIZE")):
        if float(england[ours].iloc[0]) != float(row[theirs].iloc[0]):
            raise SourceError(
                rel,
                f"England {group} {theirs.lower()} {row[theirs].iloc[0]:,.0f} differs from the "
                f"sum over practices {england[ours].iloc[0]:,.0f}",
                int(row["_row"].iloc[0]),
                theirs,
            )


def gp_list_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Share of a practice list in an age group, pooled to PCNs; Wilson CIs."""
    b = ind.build
    rel, num, den = b["file"], b["numerator"], b["denominator"]
    df = src.read_csv(
        rel,
        ["PRACTICE_CODE", num, den],
        counts=[num, den],
        key=["PRACTICE_CODE"],
        estimates={"PRACTICE_CODE": ["ENGLAND_DERIVED"]},  # England's age groups are modelled
    )
    check_not_above(df, rel, num, den)
    eng = df[df["PRACTICE_CODE"] == "ENGLAND_DERIVED"]
    # The list file covers every P91 practice of April 2020, including closed ones.
    df = df[df["PRACTICE_CODE"].isin(geo_.practice_pcn)]
    check_complete(pd.concat([df, eng]), rel, [num, den])
    missing = set(geo_.practice_pcn) - set(df["PRACTICE_CODE"])
    if missing or eng.empty:
        what = f"practice {sorted(missing)[0]}" if missing else "ENGLAND_DERIVED"
        raise SourceError(rel, f"no row for {what}", column="PRACTICE_CODE")
    practices = pd.DataFrame(
        {
            "area_code": df["PRACTICE_CODE"].to_numpy(),
            "count": df[num].to_numpy(),
            "denominator": df[den].to_numpy(),
        }
    )
    england = pd.DataFrame(
        {
            "area_code": [geo_.place.england_code],
            "count": [round(float(eng[num].iloc[0]))],
            "denominator": [round(float(eng[den].iloc[0]))],
        }
    )
    out = pd.concat([practices, _pool(practices, _pcn_groups(geo_)), england], ignore_index=True)
    return _with_proportion(out)


def registered_patients(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Registered patients per practice, summed to PCNs and Trafford."""
    df = src.read_csv(
        REGISTRATIONS,
        ["practice_code", "registered_patients"],
        counts=["registered_patients"],
        key=["practice_code"],
    )
    check_complete(df, REGISTRATIONS, ["registered_patients"])
    practices = pd.DataFrame(
        {"area_code": df["practice_code"], "count": df["registered_patients"], "denominator": 0.0}
    )
    out = pd.concat([practices, _pool(practices, _pcn_groups(geo_))], ignore_index=True)
    out["denominator"] = np.nan
    out["value"] = out["count"]
    out["method"] = "Sum of practice lists"
    return out


def practice_count(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Number of practices in each PCN and in Trafford."""
    groups = _pcn_groups(geo_)
    out = pd.DataFrame(
        {"area_code": list(groups), "value": [float(len(m)) for m in groups.values()]}
    )
    out["method"] = "Count of member practices"
    return out


RECIPES: dict[str, Recipe] = {
    "census_share": census_share,
    "census_age_share": census_age_share,
    "mye_total": mye_total,
    "imd_lsoa": imd_lsoa,
    "ward_estimate": ward_estimate,
    "fingertips_la": fingertips_la,
    "fingertips_practice": fingertips_practice,
    "qof_prevalence": qof_prevalence,
    "gp_list_share": gp_list_share,
    "registered_patients": registered_patients,
    "practice_count": practice_count,
    "fingertipsnext_la": fingertipsnext_la,
}


# --------------------------------------------------------------------------- comparison
def _no_comparison_reason(ind: Indicator, rows: pd.DataFrame) -> np.ndarray:
    """Why rows of an indicator without intervals are not compared."""
    if ind.value_type == "count":
        why = "a count, not a rate"
    elif ind.geography == "local_authority":
        why = "OHID publishes no significance test for this indicator"
    elif ind.geography in ("wards_2004", "wards_2023") and ind.estimate:
        why = "published without counts or confidence intervals"
    else:
        why = "no confidence interval: a whole-population measure, not a sample"
    estimate = rows["is_estimate"].to_numpy(dtype=bool)
    return np.where(estimate, "estimate only: " + why, why).astype(object)


def _benchmark(values: pd.DataFrame, code: str) -> pd.Series:
    keyed = values[values["area_code"] == code].set_index(["indicator_id", "period", "sex", "age"])
    idx = pd.MultiIndex.from_frame(values[["indicator_id", "period", "sex", "age"]])
    return pd.Series(keyed["value"].reindex(idx).to_numpy(), index=values.index)


BENCHMARK_KEYS = ("default", "england", "la", "peers")
KEY_COLUMNS = ["area_code", "indicator_id", "period", "sex", "age"]


def _compare_with(
    values: pd.DataFrame,
    inds: dict[str, Indicator],
    bench_value: np.ndarray,
    bench_name: np.ndarray,
    bench_code: np.ndarray,
    published_ok: bool,
    place: Place,
) -> tuple[np.ndarray, np.ndarray]:
    """Comparison of every row with a per-row benchmark value (Fingertips method 1/17)."""
    comparison = np.full(len(values), stats.Comparison.NOT_COMPARED.value, dtype=object)
    reason = np.full(len(values), "", dtype=object)
    for ind_id, idx in values.groupby("indicator_id").groups.items():
        ind = inds[str(ind_id)]
        sub = values.loc[idx]
        pos = values.index.get_indexer(idx)
        has_ci = sub["lower_ci95"].notna().to_numpy()
        compute = np.zeros(len(sub), dtype=bool)
        if ind.ci_method == "published" and published_ok:
            # OHID's own comparisons (with England) where published.
            pub = sub["published_comparison"]
            comparison[pos] = pub.fillna(stats.Comparison.NOT_COMPARED.value).to_numpy()
            reason[pos] = np.where(
                pub.isna() | (pub == "not compared"),
                "OHID published no comparison for this row",
                "",
            )
            compute = pub.isna().to_numpy() & has_ci
        elif ind.ci_method == "published" and not has_ci.any():
            reason[pos] = "OHID publishes only its comparison with England; no interval here"
        elif ind.comparator == "none" or ind.ci_method == "none" or not has_ci.any():
            reason[pos] = _no_comparison_reason(ind, sub)
        else:
            compute = np.ones(len(sub), dtype=bool)
        if compute.any():
            comp, why = stats.compare_to_benchmark(
                sub["value"].to_numpy()[compute],
                sub["lower_ci95"].to_numpy()[compute],
                sub["upper_ci95"].to_numpy()[compute],
                bench_value[pos[compute]],
                ind.polarity,
                sub["lower_ci998"].to_numpy()[compute],
                sub["upper_ci998"].to_numpy()[compute],
            )
            why = np.asarray(why, dtype=object)
            names = bench_name[pos[compute]]
            why = np.where(why == "no benchmark value", "no " + names + " figure in the data", why)
            comparison[pos[compute]] = np.asarray(comp, dtype=object)
            reason[pos[compute]] = why
        # An area is not compared with itself; England is never compared with a part of it.
        is_bench = (sub["area_code"].to_numpy() == bench_code[pos]) | (
            sub["area_code"].to_numpy() == place.england_code
        )
        comparison[pos[is_bench]] = stats.Comparison.NOT_COMPARED.value
        reason[pos[is_bench]] = np.where(
            sub["area_code"].to_numpy()[is_bench] == bench_code[pos[is_bench]],
            "this area is the benchmark",
            "England is not compared with a part of itself",
        )
    suppressed = values["note"].fillna("").str.startswith("Suppressed").to_numpy()
    comparison[suppressed] = stats.Comparison.NOT_COMPARED.value
    reason[suppressed] = "suppressed (small number)"
    return comparison, reason


def compare(
    values: pd.DataFrame, profile: IndicatorProfile, place: Place
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add England, Trafford and peer values and compare every row with each benchmark.

    Benchmarks: `default` (England, or Trafford where the indicator has no England figure,
    the comparator named in the profile), `england`, `trafford` and `peers` (the peer group in
    profiles/place.toml). Returns the values with the default comparison columns, and a long
    table with one row per value row and benchmark.
    """
    inds = {i.id: i for i in profile.indicators}
    values = values.copy()
    values["england_value"] = _benchmark(values, place.england_code)
    fixed = values["indicator_id"].map({i.id: i.england_value for i in profile.indicators})
    values["england_value"] = values["england_value"].fillna(fixed)
    values["la_value"] = _benchmark(values, place.code)
    peer_code = place.peers.code if place.peers is not None else ""
    peer_name = place.peers.name if place.peers is not None else ""
    peer_value = _benchmark(values, peer_code) if peer_code else values["england_value"] * np.nan
    comparator = values["indicator_id"].map({i.id: i.comparator for i in profile.indicators})
    n = len(values)
    default_is_la = (comparator == "la").to_numpy()
    specs = {
        "default": (
            np.where(default_is_la, values["la_value"], values["england_value"]),
            np.where(default_is_la, place.name, place.england_name),
            np.where(default_is_la, place.code, place.england_code),
            True,
        ),
        "england": (
            values["england_value"].to_numpy(),
            np.full(n, place.england_name, dtype=object),
            np.full(n, place.england_code, dtype=object),
            True,
        ),
        "la": (
            values["la_value"].to_numpy(),
            np.full(n, place.name, dtype=object),
            np.full(n, place.code, dtype=object),
            False,
        ),
        "peers": (
            peer_value.to_numpy(),
            np.full(n, peer_name, dtype=object),
            np.full(n, peer_code, dtype=object),
            False,
        ),
    }
    frames = []
    for key, (bench_value, bench_name, bench_code, published_ok) in specs.items():
        comp, why = _compare_with(
            values,
            inds,
            bench_value.astype(float),
            bench_name.astype(object),
            bench_code.astype(object),
            published_ok,
            place,
        )
        if key == "default":
            why = np.where(
                default_is_la & (why == ""),
                f"England: no figure in the data, so compared with {place.name}",
                why,
            )
        frame = values[KEY_COLUMNS].copy()
        frame["benchmark_key"] = key
        frame["benchmark"] = bench_name
        frame["benchmark_value"] = bench_value
        frame["comparison"] = comp
        frame["comparison_reason"] = why
        frames.append(frame)
    long = pd.concat(frames, ignore_index=True)
    default = frames[0]
    values["benchmark"] = np.where(comparator == "none", "", default["benchmark"])
    values["benchmark_value"] = default["benchmark_value"].to_numpy()
    values["comparison"] = default["comparison"].to_numpy()
    values["comparison_reason"] = default["comparison_reason"].to_numpy()
    return values, long


# --------------------------------------------------------------------------- suppression
def suppress(values: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Blank counts of 1 to 4, and a second area wherever one could be recovered by subtraction.

    Primary: any row with a count from 1 to SMALL_MAX. Secondary: within each group whose
    total is published (a neighbourhood and its wards, a PCN and its practices, Trafford and
    its neighbourhoods or PCNs), if exactly one member is suppressed, the smallest other
    member is suppressed too, repeated until stable.
    """
    values = values.copy()
    small = values["count"].between(1, SMALL_MAX)
    values["suppressed"] = small
    values.loc[small, "note"] = "Suppressed: fewer than 5 (disclosure control)"
    key_cols = ["indicator_id", "period", "sex", "age"]
    counted = values["count"].notna()
    while True:
        v = values.loc[counted, ["area_code", *key_cols, "count", "suppressed"]]
        kids = members.merge(v, left_on="member_code", right_on="area_code")
        parents = v[~v["suppressed"]].rename(columns={"area_code": "group_code"})
        kids = kids.merge(parents[["group_code", *key_cols]], on=["group_code", *key_cols])
        n_sup = kids.groupby(["group_code", *key_cols])["suppressed"].transform("sum")
        exposed = kids[(n_sup == 1) & ~kids["suppressed"]]
        if exposed.empty:
            break
        # In each exposed group, hide the smallest other member.
        victims = exposed.loc[exposed.groupby(["group_code", *key_cols])["count"].idxmin()]
        hit = values.reset_index().merge(
            victims[["area_code", *key_cols]], on=["area_code", *key_cols]
        )["index"]
        values.loc[hit, "suppressed"] = True
        values.loc[hit, "note"] = "Suppressed: would reveal a small number by subtraction"
    sup = values["suppressed"]
    values.loc[sup, ["value", "count", *CI_COLUMNS]] = np.nan
    values.loc[sup, "comparison"] = stats.Comparison.NOT_COMPARED.value
    values.loc[sup, "comparison_reason"] = "suppressed (small number)"
    return values.drop(columns="suppressed")


# --------------------------------------------------------------------------- assembling
def serving_pcns(place: Place) -> dict[str, list[Pcn]]:
    """Neighbourhood code -> the PCNs that serve it (profiles/place.toml `serves`)."""
    out: dict[str, list[Pcn]] = {n.code: [] for n in place.neighbourhoods}
    for pcn in place.pcns:
        for code in pcn.serves:
            out[code].append(pcn)
    return out


def registered_label(pcns: list[Pcn]) -> str:
    """'registered patients of North Trafford PCN' (or '... of A and B PCNs')."""
    names = [p.name for p in pcns]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"registered patients of {joined} PCN{'s' if len(names) > 1 else ''}"


def registered_rows(
    values: pd.DataFrame, profile: IndicatorProfile, place: Place, practices: dict[str, str]
) -> pd.DataFrame:
    """Practice indicators for each neighbourhood's registered patients.

    A neighbourhood is served by one or more PCNs (profiles/place.toml); its row pools the
    counts and denominators of those PCNs' member practices, then computes the value and
    interval afresh, exactly as a PCN's. These are registered patients, not residents, and
    every row says so in `population`.
    """
    serving = serving_pcns(place)
    mult = {i.id: multiplier(i) for i in profile.indicators}
    kinds = {
        i.id: i.value_type
        for i in profile.indicators
        if i.geography == "practice" and i.value_type in ("proportion", "rate", "count")
    }
    rows = values[values["indicator_id"].isin(kinds) & values["area_code"].isin(practices)]
    frames = []
    for (ind_id, period, sex, age), sub in rows.groupby(
        ["indicator_id", "period", "sex", "age"], sort=False
    ):
        kind = kinds[str(ind_id)]
        if sub["count"].isna().any() or (kind != "count" and sub["denominator"].isna().any()):
            continue
        counts = sub[["area_code", "count", "denominator"]].fillna({"denominator": 0.0})
        present = set(counts["area_code"])
        groups = {
            nbh: [p for pcn in pcns for p in pcn.practices if p in present]
            for nbh, pcns in serving.items()
            if pcns
        }
        pooled = _pool(counts, groups)
        if kind == "proportion":
            pooled = _with_proportion(pooled, mult[str(ind_id)])
        elif kind == "rate":
            pooled = _with_rate(pooled, mult[str(ind_id)])
        else:
            pooled["value"] = pooled["count"]
            pooled["denominator"] = np.nan
            pooled["method"] = "Sum of practice values"
        labels = {n: registered_label(serving[n]) for n in groups}
        pooled["population"] = pooled["area_code"].map(labels).map(lambda t: t[:1].upper() + t[1:])
        pooled["method"] = (
            "Pooled from the member practices of the PCNs that serve this neighbourhood; "
            + pooled["method"].astype(str)
        )
        pooled = pooled.assign(
            indicator_id=str(ind_id), period=str(period), sex=str(sex), age=str(age)
        )
        frames.append(pooled)
    if not frames:
        return values.iloc[0:0]
    out = pd.concat(frames, ignore_index=True)
    for col in VALUE_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col in ("count", "denominator", *CI_COLUMNS) else None
    out["is_estimate"] = False
    return out[VALUE_COLUMNS]


def _population_label(values: pd.DataFrame, profile: IndicatorProfile) -> pd.Series:
    """Who each row counts: residents (and on which ward set) or registered patients."""
    geography = values["indicator_id"].map({i.id: i.geography for i in profile.indicators})
    label = geography.map(
        {
            "wards_2004": "Residents (wards of 2004 to May 2023)",
            "wards_2023": "Residents (wards from May 2023)",
            "lsoa": "Residents (LSOAs best-fit to wards of 2004 to May 2023)",
            "local_authority": "Residents",
            "practice": "Registered patients",
        }
    )
    return values["population"].fillna(label)


def compute_values(
    src: Sources, geo_: Geography, profile: IndicatorProfile
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every recipe, suppress small numbers, compare: value rows and benchmark rows."""
    frames = []
    for ind in profile.indicators:
        recipe = RECIPES.get(ind.build.get("kind", ""))
        if recipe is None:
            raise ProfileError(
                f"profiles/indicators.toml: {ind.id}: unknown build kind '{ind.build.get('kind')}'"
            )
        df = recipe(src, geo_, ind)
        df["indicator_id"] = ind.id
        for col, default in (
            ("period", ind.period),
            ("sex", "Persons"),
            ("age", "All ages"),
            ("is_estimate", False),
            ("note", None),
            ("published_comparison", None),
            ("population", None),
            ("count", np.nan),
            ("denominator", np.nan),
            ("method", ""),
        ):
            if col not in df.columns:
                df[col] = default
        for col in CI_COLUMNS:
            if col not in df.columns:
                df[col] = np.nan
        frames.append(df[VALUE_COLUMNS])
    values = pd.concat(frames, ignore_index=True)
    values = pd.concat(
        [values, registered_rows(values, profile, geo_.place, geo_.practice_pcn)],
        ignore_index=True,
    )
    values["population"] = _population_label(values, profile)
    for ind in profile.indicators:
        periods = set(values.loc[values["indicator_id"] == ind.id, "period"])
        if ind.period not in periods:
            raise ProfileError(
                f"profiles/indicators.toml: {ind.id}: no data for its period "
                f"'{ind.period}' (the sources have {sorted(periods)[-3:]})"
            )
    known = set(geo_.areas["area_code"])
    unknown = ~values["area_code"].isin(known)
    if unknown.any():
        raise ProfileError(
            f"build produced rows for unknown area {values.loc[unknown, 'area_code'].iloc[0]}"
        )
    values["is_estimate"] = values["is_estimate"].astype(bool)
    # Small areas inside wards count as members too, so a lone suppressed LSOA cannot be
    # recovered from its ward's total.
    lsoas = geo_.areas[geo_.areas["area_type"] == "lsoa"]
    # A neighbourhood's registered-patient rows are the sum of the PCNs that serve it.
    serving = [(n, p.code) for n, pcns in serving_pcns(geo_.place).items() for p in pcns]
    groups = pd.concat(
        [
            geo_.members,
            pd.DataFrame({"group_code": lsoas["parent_code"], "member_code": lsoas["area_code"]}),
            pd.DataFrame(serving, columns=["group_code", "member_code"]),
        ],
        ignore_index=True,
    )
    return compare(suppress(values, groups), profile, geo_.place)


def boundaries(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Simplified GeoJSON per layer, keyed by area code."""
    names = geo_.areas.set_index("area_code")["area_name"].to_dict()
    by_nbh_name = {n.name: n.code for n in geo_.place.neighbourhoods}
    layers = []
    specs = [
        ("ward_2004", "boundaries/ward_2017/trafford_ward_2017_generalised.geojson", "wards"),
        ("ward_2023", "boundaries/ward_2023/trafford_ward_2023_generalised.geojson", "wards"),
        (
            "neighbourhood_2004",
            "boundaries/localities_2022/trafford_localities_2022_generalised.geojson",
            "nbh",
        ),
        (
            "neighbourhood_2023",
            "boundaries/localities_2023/trafford_localities_2023_generalised.geojson",
            "nbh",
        ),
        ("lsoa_2011", "boundaries/lsoa_2011/trafford_lsoa_2011_generalised.geojson", "lsoa"),
        ("lsoa_2021", "boundaries/lsoa_2021/trafford_lsoa_2021_generalised.geojson", "lsoa"),
        (
            "local_authority",
            "boundaries/local_authority/trafford_la_2023_generalised.geojson",
            "la",
        ),
    ]
    expected = {
        "ward_2004": geo_.wards_2004,
        "ward_2023": geo_.wards_2023,
        "neighbourhood_2004": by_nbh_name,
        "neighbourhood_2023": by_nbh_name,
        "lsoa_2011": geo_.lsoa11_ward,
        "lsoa_2021": geo_.lsoa21_ward,
        "local_authority": [geo_.place.code],
    }
    for layer, rel, kind in specs:
        gdf = geo.read_layer(src.geojson_path(rel), rel)
        column = "area_name" if kind == "nbh" else "area_code"
        what = {"nbh": "neighbourhood", "wards": "ward code", "lsoa": "LSOA code"}
        gdf = geo.check_layer(gdf, rel, column, expected[layer], what.get(kind, "area code"))
        codes = (
            [by_nbh_name[n] for n in gdf["area_name"]] if kind == "nbh" else list(gdf["area_code"])
        )
        tol = 1e-4 if kind in ("lsoa", "la") else geo.DEFAULT_TOLERANCE
        fc = geo.to_feature_collection(gdf, codes, [names.get(c, c) for c in codes], tol)
        layers.append({"layer": layer, "geojson": json.dumps(fc, separators=(",", ":"))})
    return pd.DataFrame(layers)


def practices_table(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Practices with PCN, list size, site ward and neighbourhood, and location."""
    reg = src.read_csv(
        REGISTRATIONS,
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
    rel = "gp/trafford_general_practices.csv"
    pts = src.read_csv(rel, ["name", "postcode", "lon", "lat"], numbers=["lon", "lat"])
    # The points file has no practice code: join on postcode, then on name where two
    # practices share a building (same postcode).
    pts["key"] = pts["postcode"].str.replace(" ", "").str.upper()
    reg["key"] = reg["practice_postcode"].str.replace(" ", "").str.upper()
    loc = pts.drop_duplicates("key").set_index("key")[["lon", "lat"]]
    reg = reg.join(loc, on="key")
    if reg["lon"].isna().any():
        i = int(reg["lon"].isna().to_numpy().argmax())
        raise SourceError(
            REGISTRATIONS,
            f"no location for postcode {reg['practice_postcode'].iloc[i]} in {rel}",
            int(reg["_row"].iloc[i]),
            "practice_postcode",
        )
    nbh = {n.name: n.code for n in geo_.place.neighbourhoods}
    pcn_names = {c.code: c.name for c in geo_.place.pcns}
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


def indicators_table(profile: IndicatorProfile) -> pd.DataFrame:
    """The indicator metadata as a table."""
    domains = {d.id: d for d in profile.domains}
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "indicator_name": i.name,
                "domain_id": i.domain,
                "domain": domains[i.domain].name,
                "domain_order": domains[i.domain].order,
                "sort_order": n,
                "definition": i.definition,
                "value_type": i.value_type,
                "unit": i.unit,
                "polarity": i.polarity.value,
                "ci_method": i.ci_method,
                "ci_method_label": CI_METHOD_LABELS[i.ci_method],
                "comparator": i.comparator,
                "period": i.period,
                "sources": "; ".join(i.sources),
                "publisher": i.publisher,
                "licence": i.licence,
                "geography": i.geography,
                "geography_label": GEOGRAPHY_LABELS[i.geography],
                "estimate": i.estimate,
            }
            for n, i in enumerate(profile.indicators)
        ]
    )


PROFILE_VIEW = """
create view profile as
select a.area_code, a.area_name, a.area_type, a.vintage,
       v.indicator_id, i.indicator_name, i.domain, i.domain_order, i.sort_order,
       v.period, v.sex, v.age, i.unit, i.value_type, i.polarity,
       v.value, v.lower_ci95, v.upper_ci95, v.lower_ci998, v.upper_ci998,
       v.count, v.denominator, v.england_value, v.la_value,
       v.benchmark, v.benchmark_value, v.comparison, v.comparison_reason,
       v.method, v.is_estimate, v.note, v.population
from indicator_values as v
join areas as a using (area_code)
join indicators as i using (indicator_id);

create view profile_all as
select p.* replace (b.benchmark as benchmark, b.benchmark_value as benchmark_value,
                    b.comparison as comparison, b.comparison_reason as comparison_reason),
       b.benchmark_key
from profile as p
join benchmark_comparisons as b using (area_code, indicator_id, period, sex, age)
"""


def build_database(source: Path, out: Path) -> dict[str, Any]:
    """Build the database from `source` into `out`, atomically.

    Returns:
        A summary: counts of areas by type, indicators, rows and seconds taken.

    Raises:
        SourceError: a source file failed validation (nothing is written).
        ProfileError: a profile file is malformed (nothing is written).
    """
    start = time.perf_counter()
    src = Sources(source)
    place = load_place()
    profile = load_indicators()
    geo_ = load_geography(src, place)
    checks.validate(src, geo_, profile)
    values, comparisons = compute_values(src, geo_, profile)
    tables = {
        "areas": geo_.areas,
        "area_members": geo_.members,
        "indicators": indicators_table(profile),
        "indicator_values": values,
        "benchmark_comparisons": comparisons,
        "practices": practices_table(src, geo_),
        "boundaries": boundaries(src, geo_),
        **national.national_tables(src, profile, place),
        "build_info": pd.DataFrame(
            [
                {"key": "built_at", "value": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")},
                {"key": "source", "value": str(source)},
            ]
        ),
    }
    tables.update(reference_tables.build(src, geo_))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, df in tables.items():
                con.register("_df", df)
                con.execute(f"create table {name} as select * from _df")  # noqa: S608 (fixed names)
                con.unregister("_df")
            con.execute(PROFILE_VIEW)
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    counts = geo_.areas["area_type"].value_counts().to_dict()
    return {
        "areas": counts,
        "indicators": len(profile.indicators),
        "rows": len(values),
        "seconds": round(time.perf_counter() - start, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m jsna.build", description=__doc__)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="data folder (default: $JSNA_SOURCE or ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="database file (default: $JSNA_DB or data/jsna.duckdb)",
    )
    args = parser.parse_args(argv)
    source = args.source or config.source_dir()
    out = args.out or config.db_path()
    try:
        summary = build_database(source, out)
    except (SourceError, ProfileError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"built {out} in {summary['seconds']} s: {summary['indicators']} indicators, "
        f"{summary['rows']} values; areas {summary['areas']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
