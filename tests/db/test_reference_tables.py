"""Reference tables against the raw source rows (not against our own code)."""

from __future__ import annotations

import csv

import duckdb
import pytest

from jsna.app import postcode as pc
from tests.conftest import SOURCE


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def q(con, sql, params=None):
    return con.cursor().execute(sql, params).df()


def _ts007_england():
    with open(SOURCE / "england/census2021/census2021-ts007-ctry.csv", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["geography code"] == "E92000001")


def test_england_shape_matches_raw_ts007(con):
    row = _ts007_england()
    v = lambda label: float(row[f"Age: {label}; measures: Value"])  # noqa: E731
    e = q(con, "select * from england_age_bands").set_index("age_band")
    assert e.loc["0-4", "count"] == v("Aged 4 years and under")
    assert e.loc["5-9", "count"] == v("Aged 5 to 9 years")
    assert e.loc["20-24", "count"] == v("Aged 20 to 24 years")
    assert e.loc[["85-89", "90+"], "count"].sum() == v("Aged 85 years and over")
    assert e.loc["90+", "count"] == sum(v(f"Aged {a} years") for a in range(90, 100)) + v(
        "Aged 100 years and over"
    )
    assert e["count"].sum() == v("Total")
    assert e["percent"].sum() == pytest.approx(100)


def test_ward_pyramid_counts_equal_the_mid_year_file(con):
    with open(SOURCE / "indicators/population/mid-year_2024_population_estimates_ward.csv") as f:
        rows = {(r["area_code"], r["sex"]): r for r in csv.DictReader(f)}
    src = rows[("E05015239", "Females")]
    b = q(con, "select * from population_bands where area_code = 'E05015239' and sex = 'Females'")
    b = b.set_index("age_band")
    assert b.loc["0-4", "count"] == sum(int(src[str(a)]) for a in range(5))
    assert b.loc["90+", "count"] == int(src["90+"])
    assert b["count"].sum() == int(src["all_ages"])


def test_neighbourhood_pyramid_pools_its_2023_wards(con):
    with open(SOURCE / "lookups/trafford_ward_to_locality.csv") as f:
        north = {
            r["ward_code"]
            for r in csv.DictReader(f)
            if r["locality"] == "North" and r["ward_set"].startswith("May 2023")
        }
    with open(SOURCE / "indicators/population/mid-year_2024_population_estimates_ward.csv") as f:
        total = sum(
            int(r["all_ages"])
            for r in csv.DictReader(f)
            if r["area_code"] in north and r["sex"] in ("Males", "Females")
        )
    got = q(con, "select sum(count) as n from population_bands where area_code = 'NBH-NORTH'")
    assert got["n"].iloc[0] == total


def test_pcn_list_bands_come_from_the_published_columns(con):
    with open(
        SOURCE / "gp/age/hocl_gp_list_by_age_group_apr2020_trafford_p91_plus_england.csv"
    ) as f:
        r = next(r for r in csv.DictReader(f) if r["PRACTICE_CODE"] == "P91003")
    b = q(con, "select * from gp_list_bands where area_code = 'P91003'").set_index("age_band")
    assert b.loc["0-15", "count"] == int(r["TOTAL"]) - int(r["16OV"])
    assert b.loc["65+", "count"] == int(r["65OV"])
    assert b["count"].sum() == int(r["TOTAL"])
    assert list(b.index) == ["0-15", "16-17", "18-49", "50-64", "65+"]


def test_lsoa_deciles_are_the_published_imd_2019_deciles(con):
    with open(
        SOURCE / "indicators/deprivation/trafford_lsoa11_IoD2015_IoD2019_all_domains.csv"
    ) as f:
        src = {
            r["lsoa11cd"]: int(r["decile"])
            for r in csv.DictReader(f)
            if r["index_domain"] == "Index of Multiple Deprivation" and r["year"] == "2019"
        }
    d = q(con, "select lsoa_code, lsoa11_code, imd_decile from lsoa_imd")
    for _, row in d.iterrows():
        assert row["imd_decile"] == src[row["lsoa11_code"]]
    # E01034001 (2021) is made of output areas of E01006185 (2011), so it takes its decile.
    assert d.set_index("lsoa_code").loc["E01034001", "lsoa11_code"] == "E01006185"


@pytest.mark.parametrize("typed", ["M15 4AB", "m154ab", " m15  4ab ", "M154AB"])
def test_any_spacing_or_case_finds_the_postcode(con, typed):
    key = pc.key(pc.normalise(typed))
    r = q(con, "select * from postcodes where postcode_key = $k", {"k": key})
    assert r["ward_code"].iloc[0] == "E05015247"
    assert r["neighbourhood_code"].iloc[0] == "NBH-NORTH"


def test_every_source_postcode_is_stored_once(con):
    with open(SOURCE / "lookups/trafford_postcodes.csv") as f:
        n = sum(1 for _ in csv.DictReader(f))
    assert q(con, "select count(distinct postcode_key) as n from postcodes")["n"].iloc[0] == n
