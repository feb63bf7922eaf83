"""Build-time reference tables for the population, inequalities and postcode pages.

`build(src, geo_)` returns ``{table_name: DataFrame}``; `jsna.build.pipeline.build_database` writes
them beside the indicator tables. Every source is read through `Sources.read_csv`, so bad
input names its file, row and column.

Subtotals: the ONS mid-year estimate files carry ``all_ages`` and broad bands
(``aged_0_to_15`` …) beside the single years, and Census 2021 TS007 mixes published bands
("Aged 5 to 9 years", "Aged 85 years and over") with single years. Only single years (and the
one open top band each source has) are summed here, so no person is counted twice.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jsna.build.list_bands import gp_list_bands
from jsna.build.manifest import NOT_RECORDED
from jsna.build.sources import SourceError, Sources, check_codes, check_complete, check_points
from jsna.core.suppression import suppress_bands


def _period(src: Sources, rel: str) -> str:
    """A source file's period in words, as the data release declares it."""
    return src.release.period(rel) if src.release is not None else NOT_RECORDED


if TYPE_CHECKING:  # jsna.build.pipeline imports this module
    from jsna.build.geography import Geography

ENGLAND_CODE = "E92000001"

# 5-year bands 0-4 … 85-89 and an open 90+ band (the top band of the mid-year estimates).
BAND_STARTS = list(range(0, 95, 5))
SEXES = {"Males": "Males", "Females": "Females"}
_TS007_SINGLE = re.compile(
    r"^Age: Aged (under 1 year|\d+ years?|100 years and over); measures: Value$"
)


def band_label(start: int) -> str:
    """'0-4', '5-9', … '85-89', '90+'."""
    return "90+" if start >= 90 else f"{start}-{start + 4}"


def _band_of(age: np.ndarray) -> np.ndarray:
    return np.asarray(np.minimum(age // 5 * 5, 90), dtype=np.int64)


def _mye_bands(src: Sources, rel: str, codes: set[str]) -> pd.DataFrame:
    ages = [str(a) for a in range(90)]
    df = src.read_csv(rel, ["area_code", "sex", *ages, "90+"], counts=[*ages, "90+"])
    check_complete(df, rel, [*ages, "90+"])
    df = df[df["sex"].isin(list(SEXES)) & df["area_code"].isin(codes)]
    long = df.melt(id_vars=["area_code", "sex"], value_vars=[*ages, "90+"], var_name="age")
    long["age"] = long["age"].str.rstrip("+").astype(int)
    long["band_start"] = _band_of(long["age"].to_numpy())
    return long.groupby(["area_code", "sex", "band_start"], as_index=False).agg(
        value=("value", "sum")
    )


def population_bands(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Mid-2024 residents by sex and 5-year band for the council, its wards and neighbourhoods.

    Neighbourhoods pool the counts of their wards (the place's current ward set). Small
    counts are blanked over the whole hierarchy at once, band by band (ward ⊂ neighbourhood
    ⊂ council) and across each area's bands (:func:`jsna.core.suppression.suppress_bands`).
    """
    wards = _mye_bands(src, geo_.place.files["population_wards"], set(geo_.current))
    missing = set(geo_.current) - set(wards["area_code"])
    if missing:
        raise SourceError(
            geo_.place.files["population_wards"],
            f"no rows for ward {sorted(missing)[0]}",
            column="area_code",
        )
    nbh = wards.assign(area_code=wards["area_code"].map(geo_.current))
    nbh = nbh.groupby(["area_code", "sex", "band_start"], as_index=False).agg(
        value=("value", "sum")
    )
    la = _mye_bands(src, geo_.place.files["population_la"], {geo_.place.code})
    if la.empty:
        raise SourceError(
            geo_.place.files["population_la"], f"no rows for {geo_.place.code}", column="area_code"
        )
    out = pd.concat(
        [
            la.assign(area_type="local_authority"),
            nbh.assign(area_type="neighbourhood"),
            wards.assign(area_type="ward"),
        ],
        ignore_index=True,
    ).rename(columns={"value": "count"})
    groups = pd.DataFrame(
        [(n, w) for w, n in geo_.current.items()]
        + [(geo_.place.code, n) for n in sorted(set(geo_.current.values()))],
        columns=["group_code", "member_code"],
    )
    out = suppress_bands(out, groups, ["sex"])
    out["age_band"] = out["band_start"].map(band_label)
    out["period"] = _period(src, geo_.place.files["population_wards"])
    out["source"] = "ONS mid-year population estimates"
    cols = ["area_code", "area_type", "sex", "age_band", "band_start", "count", "suppressed"]
    return out[[*cols, "secondary", "period", "source"]]


def england_age_bands(src: Sources, rel: str) -> pd.DataFrame:
    """England's residents by 5-year band (persons only: TS007 has no sex split), Census 2021.

    Summed from the single-year columns only; the file's published bands ("Aged 5 to 9
    years", "Aged 85 years and over", …) are subtotals of those and are left out.
    """
    path = src.root / rel
    head = pd.read_csv(path, nrows=0) if path.is_file() else pd.DataFrame()
    singles = [c for c in head.columns if _TS007_SINGLE.match(c)]
    total_col = "Age: Total; measures: Value"
    df = src.read_csv(rel, ["geography code", total_col], counts=[*singles, total_col])
    if len(singles) != 101:
        raise SourceError(rel, f"expected 101 single-year age columns, found {len(singles)}", 1)
    row = df[df["geography code"] == ENGLAND_CODE]
    if len(row) != 1:
        raise SourceError(rel, f"expected one row for {ENGLAND_CODE}", column="geography code")
    check_complete(row, rel, singles)
    ages = [0 if "under 1" in c else int(re.findall(r"\d+", c)[0]) for c in singles]
    counts = row[singles].iloc[0].to_numpy(dtype=float)
    if counts.sum() != float(row[total_col].iloc[0]):
        raise SourceError(
            rel,
            f"single years sum to {counts.sum():,.0f}, not the Total {row[total_col].iloc[0]:,.0f}",
            int(row["_row"].iloc[0]),
            total_col,
        )
    bands = pd.DataFrame({"band_start": _band_of(np.array(ages)), "count": counts})
    bands = bands.groupby("band_start", as_index=False).agg(count=("count", "sum"))
    bands["percent"] = 100 * bands["count"] / bands["count"].sum()
    bands["age_band"] = bands["band_start"].map(band_label)
    bands["period"] = _period(src, rel)
    return bands[["age_band", "band_start", "count", "percent", "period"]]


def postcodes(src: Sources, geo_: Geography) -> pd.DataFrame:
    """The council's postcodes: ward (current set), LSOA 2021, neighbourhood and location."""
    cols = ["postcode", "ward_code", "lsoa_code", "locality", "lon", "lat"]
    df = src.read_csv(geo_.place.files["postcodes"], cols, numbers=["lon", "lat"])
    check_complete(df, geo_.place.files["postcodes"], ["postcode", "ward_code", "lon", "lat"])
    check_points(df, geo_.place.files["postcodes"])
    check_codes(df, geo_.place.files["postcodes"], "ward_code", geo_.current, "ward")
    key = df["postcode"].str.upper().str.replace(r"\s+", "", regex=True)
    dup = key.duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            geo_.place.files["postcodes"], "duplicate postcode", int(df["_row"].iloc[i]), "postcode"
        )
    return pd.DataFrame(
        {
            "postcode_key": key,
            "postcode": key.str[:-3] + " " + key.str[-3:],
            "ward_code": df["ward_code"],
            "neighbourhood_code": df["ward_code"].map(geo_.current),
            "lsoa_code": df["lsoa_code"],
            "lon": df["lon"],
            "lat": df["lat"],
        }
    )


def lsoa_imd(src: Sources, geo_: Geography) -> pd.DataFrame:
    """The newest IMD in the file: score, national rank and national decile by LSOA.

    `imd_year` says which IMD. The IMD is on 2011 LSOAs; a 2021 LSOA that was split from a
    2011 one (same output areas) takes its parent's decile, so every Census 2021 LSOA has one.
    """
    df = src.read_csv(
        geo_.place.files["lsoa_imd"],
        ["lsoa11cd", "index_domain", "decile", "rank", "score", "year"],
        counts=["decile", "rank"],
        numbers=["score"],
    )
    df = df[df["index_domain"] == "Index of Multiple Deprivation"]
    year = str(df["year"].max()) if not df.empty else ""
    df = df[df["year"] == year]
    dup = df["lsoa11cd"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            geo_.place.files["lsoa_imd"],
            f"duplicate IMD {year} row",
            int(df["_row"].iloc[i]),
            "lsoa11cd",
        )
    check_complete(df, geo_.place.files["lsoa_imd"], ["decile", "rank", "score"])
    bad = ~df["decile"].between(1, 10)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise SourceError(
            geo_.place.files["lsoa_imd"],
            "decile must be 1 to 10",
            int(df["_row"].iloc[i]),
            "decile",
        )
    imd = df.set_index("lsoa11cd")[["score", "rank", "decile"]]
    oa11 = src.read_csv(geo_.place.files["oa11_lookup"], ["oa11cd", "lsoa11cd"], key=["oa11cd"])
    oa21 = src.read_csv(geo_.place.files["oa21_lookup"], ["oa21cd", "lsoa21cd"], key=["oa21cd"])
    parents = oa21.merge(oa11, left_on="oa21cd", right_on="oa11cd")[["lsoa21cd", "lsoa11cd"]]
    parents = parents[parents["lsoa11cd"].isin(imd.index)].drop_duplicates()
    # Only LSOA21s that sit inside exactly one 2011 LSOA inherit its decile.
    one = parents.groupby("lsoa21cd")["lsoa11cd"].transform("nunique") == 1
    parents = parents[one & ~parents["lsoa21cd"].isin(imd.index)]
    out = pd.concat(
        [
            imd.reset_index()
            .rename(columns={"lsoa11cd": "lsoa_code"})
            .assign(lsoa11_code=lambda d: d["lsoa_code"]),
            parents.join(imd, on="lsoa11cd").rename(
                columns={"lsoa21cd": "lsoa_code", "lsoa11cd": "lsoa11_code"}
            ),
        ],
        ignore_index=True,
    )
    out = out.rename(columns={"score": "imd_score", "rank": "imd_rank", "decile": "imd_decile"})
    out["imd_decile"] = out["imd_decile"].astype("int64")
    out["imd_year"] = year
    return out[["lsoa_code", "lsoa11_code", "imd_score", "imd_rank", "imd_decile", "imd_year"]]


def practice_imd(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Each current practice's IMD score interpolated to its patients, latest year."""
    df = src.read_csv(
        geo_.place.files["practice_imd"], ["Practice.Code", "IMD", "Year"], numbers=["IMD", "Year"]
    )
    check_complete(df, geo_.place.files["practice_imd"], ["IMD", "Year"])
    df = df[df["Practice.Code"].isin(geo_.practice_pcn)]
    latest = df.sort_values("Year").groupby("Practice.Code").tail(1)
    return pd.DataFrame(
        {
            "practice_code": latest["Practice.Code"],
            "imd_score": latest["IMD"],
            "year": latest["Year"].astype("int64"),
        }
    ).reset_index(drop=True)


def build(src: Sources, geo_: Geography) -> dict[str, pd.DataFrame]:
    """Every reference table, keyed by table name."""
    files = geo_.place.files
    # Each table is made where the place names its files (`[files]` in place.toml); a place
    # built from national data alone has no mid-year estimates, postcodes or practice files.
    makers = {
        "population_bands": (("population_wards", "population_la"), population_bands),
        "england_age_bands": (
            ("england_ages",),
            lambda s, g: england_age_bands(s, g.place.files["england_ages"]),
        ),
        "gp_list_bands": (("gp_age",), gp_list_bands),
        "postcodes": (("postcodes",), postcodes),
        "lsoa_imd": (("lsoa_imd", "oa11_lookup", "oa21_lookup"), lsoa_imd),
        "practice_imd": (("practice_imd",), practice_imd),
    }
    return {
        name: make(src, geo_) if all(files.get(k) for k in needs) else _empty(name)
        for name, (needs, make) in makers.items()
    }


# The columns of each reference table, for the empty table a place without its files gets
# (pages then say there is no such data for this place).
_TEXT, _INT, _REAL, _BOOL = "string", "Int64", "float64", "boolean"
EMPTY_SCHEMAS: dict[str, dict[str, str]] = {
    "population_bands": {
        "area_code": _TEXT,
        "area_type": _TEXT,
        "sex": _TEXT,
        "age_band": _TEXT,
        "band_start": _INT,
        "count": _REAL,
        "suppressed": _BOOL,
        "secondary": _BOOL,
        "period": _TEXT,
        "source": _TEXT,
    },
    "england_age_bands": {
        "age_band": _TEXT,
        "band_start": _INT,
        "count": _REAL,
        "percent": _REAL,
        "period": _TEXT,
    },
    "gp_list_bands": {  # jsna.build.list_bands
        "area_code": _TEXT,
        "area_type": _TEXT,
        "age_band": _TEXT,
        "band_start": _INT,
        "count": _REAL,
        "suppressed": _BOOL,
        "secondary": _BOOL,
        "period": _TEXT,
    },
    "postcodes": {
        "postcode_key": _TEXT,
        "postcode": _TEXT,
        "ward_code": _TEXT,
        "neighbourhood_code": _TEXT,
        "lsoa_code": _TEXT,
        "lon": _REAL,
        "lat": _REAL,
    },
    "lsoa_imd": {
        "lsoa_code": _TEXT,
        "lsoa11_code": _TEXT,
        "imd_score": _REAL,
        "imd_rank": _REAL,
        "imd_decile": _INT,
        "imd_year": _TEXT,
    },
    "practice_imd": {"practice_code": _TEXT, "imd_score": _REAL, "year": _INT},
}


def _empty(name: str) -> pd.DataFrame:
    """The reference table with no rows (its files are not named by the place)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in EMPTY_SCHEMAS[name].items()})
