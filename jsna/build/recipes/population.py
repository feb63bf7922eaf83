"""Population recipes: mid-year totals, IMD by LSOA, published ward estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.build.geography import Geography
from jsna.build.recipes.common import area_groups, lsoa_set, recipe
from jsna.build.sources import SourceError, Sources, check_codes, check_complete, check_range
from jsna.core.model import Indicator
from jsna.core.pooling import pool


@recipe("mye_total", file="str")
def mye_total(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Resident population (mid-year estimate) summed over wards."""
    rel = ind.build["file"]
    df = src.read_csv(
        rel, ["area_code", "sex", "all_ages"], counts=["all_ages"], key=["area_code", "sex"]
    )
    df = df[df["sex"] == "Persons"]
    check_codes(df, rel, "area_code", geo_.ward_map(ind.geography), "ward code")
    check_complete(df, rel, ["all_ages"])
    wards = pd.DataFrame(
        {"area_code": df["area_code"], "count": df["all_ages"], "denominator": np.nan}
    )
    pooled = pool(wards.fillna({"denominator": 0}), area_groups(geo_, ind.geography))
    out = pd.concat([wards, pooled], ignore_index=True)
    out["denominator"] = np.nan
    out["value"] = out["count"]
    out["method"] = "Sum of ward estimates"
    return out


def _lsoa11_population(src: Sources, geo_: Geography, lsoa_ward: dict[str, str]) -> pd.Series:
    """Mid-year residents by LSOA of the IMD's LSOA set (`lsoa_ward`: its LSOA -> ward).

    Population LSOAs that are new (an older LSOA was split) are matched to the LSOA that
    disappeared from the same MSOA; the build stops if that match is ambiguous.
    """
    rel = geo_.place.files["lsoa_population"]
    raw = src.read_csv(
        rel, ["area_code", "sex", "all_ages"], counts=["all_ages"], key=["area_code", "sex"]
    )
    pop: pd.Series = raw[raw["sex"] == "Persons"].set_index("area_code")["all_ages"]
    oa11 = src.read_csv(geo_.place.files["oa11_lookup"], ["lsoa11cd", "msoa11cd"])
    oa21 = src.read_csv(geo_.place.files["oa21_lookup"], ["lsoa21cd", "msoa21cd"])
    msoa11 = dict(zip(oa11["lsoa11cd"], oa11["msoa11cd"], strict=False))
    msoa21 = dict(zip(oa21["lsoa21cd"], oa21["msoa21cd"], strict=False))
    vanished: dict[str, list[str]] = {}
    for l11 in set(lsoa_ward) - set(pop.index):
        vanished.setdefault(msoa11.get(l11, ""), []).append(l11)
    mapping: dict[str, str] = {}
    for l21 in pop.index:
        if l21 in lsoa_ward:
            mapping[l21] = l21
            continue
        candidates = vanished.get(msoa21.get(l21, "?"), [])
        if len(candidates) != 1:
            raise SourceError(
                rel, f"LSOA {l21} cannot be matched to one 2011 LSOA", column="area_code"
            )
        mapping[l21] = candidates[0]
    return pop.groupby(pop.index.map(mapping)).sum()


@recipe("imd_lsoa", measure="str", max_decile="int?", lsoa_set="str?", year="str?")
def imd_lsoa(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """IMD by LSOA: residents' share in England's most deprived deciles, or mean score.

    The rows of `year` (default: the indicator's period) on the LSOA set `lsoa_set` (default:
    the place's first), whose best-fit wards it pools into.
    """
    rel = geo_.place.files["lsoa_imd"]
    year = str(ind.build.get("year") or ind.period)
    df = src.read_csv(
        rel,
        ["lsoa11cd", "index_domain", "decile", "score", "year"],
        numbers=["decile", "score"],
        key=["lsoa11cd", "index_domain", "year"],
    )
    df = df[(df["year"] == year) & (df["index_domain"] == "Index of Multiple Deprivation")]
    if df.empty:
        raise SourceError(rel, f"no Index of Multiple Deprivation rows for {year}", column="year")
    lsoa_ward, ward_set = lsoa_set(geo_, df["lsoa11cd"], ind.build.get("lsoa_set"), rel)
    check_codes(df, rel, "lsoa11cd", lsoa_ward, "LSOA code")
    pop = _lsoa11_population(src, geo_, lsoa_ward)
    df = df.assign(pop=df["lsoa11cd"].map(pop))
    if df["pop"].isna().any():
        i = int(df["pop"].isna().to_numpy().argmax())
        raise SourceError(rel, "no population for this LSOA", int(df["_row"].iloc[i]), "lsoa11cd")
    df["ward"] = df["lsoa11cd"].map(lsoa_ward)
    groups = area_groups(geo_, ward_set)
    ward_nbh = geo_.ward_map(ward_set)
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


def _ward_weights(
    src: Sources, rel: str, sex_col: str, sex: str, ages: list[int] | None
) -> pd.Series:
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


@recipe(
    "ward_estimate",
    file="str",
    weight_file="str",
    weight_sex_column="str",
    weight_sex="str?",
    weight_ages="list[int]?",
    female_file="str?",
    la_file="str?",
)
def ward_estimate(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Ward values as published; neighbourhoods as population-weighted estimates."""
    b = ind.build
    files = [(b["file"], b.get("weight_sex", "Persons"))]
    if b.get("female_file"):
        files = [(b["file"], "Males"), (b["female_file"], "Females")]
    frames = []
    groups = area_groups(geo_, ind.geography)
    for rel, sex in files:
        df = src.read_csv(rel, ["area_code", "value"], numbers=["value"], key=["area_code"])
        check_codes(df, rel, "area_code", geo_.ward_map(ind.geography), "ward code")
        check_range(df, rel, "value", ind.unit)
        w = _ward_weights(src, b["weight_file"], b["weight_sex_column"], sex, b.get("weight_ages"))
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
