"""Typed query functions, one per file in `jsna/app/sql/`; each returns a pandas DataFrame."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from duckdb import DuckDBPyConnection

from jsna.app.db import load_sql


def _df(con: DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    return con.execute(load_sql(name), params or None).df()


def areas(con: DuckDBPyConnection, area_type: str) -> pd.DataFrame:
    """Areas of one type, in profile order."""
    return _df(con, "areas", area_type=area_type)


def place_areas(con: DuckDBPyConnection, la_code: str, area_type: str) -> pd.DataFrame:
    """The areas of one type inside a local authority, in profile order."""
    return _df(con, "place_areas", la_code=la_code, area_type=area_type)


def area(con: DuckDBPyConnection, area_code: str) -> pd.DataFrame:
    """The area with this code (empty if unknown)."""
    return _df(con, "area", area_code=area_code)


def area_profile(
    con: DuckDBPyConnection, area_code: str, benchmark: str = "default"
) -> pd.DataFrame:
    """Every indicator for one area at its headline period, compared with a benchmark."""
    return _df(con, "area_profile", area_code=area_code, benchmark=benchmark)


def indicator_values(
    con: DuckDBPyConnection, indicator_id: str, area_type: str, benchmark: str = "default"
) -> pd.DataFrame:
    """One indicator across the areas of a type, at its headline period."""
    return _df(
        con,
        "indicator_values",
        indicator_id=indicator_id,
        area_type=area_type,
        benchmark=benchmark,
    )


def indicator_spread(con: DuckDBPyConnection, area_type: str) -> pd.DataFrame:
    """Min, quartiles and max per indicator among areas of a type."""
    return _df(con, "indicator_spread", area_type=area_type)


def indicator_trend(
    con: DuckDBPyConnection, indicator_id: str, la_code: str, england_code: str
) -> pd.DataFrame:
    """Time series of one indicator for the council and England."""
    return _df(
        con,
        "indicator_trend",
        indicator_id=indicator_id,
        la_code=la_code,
        england_code=england_code,
    )


def area_type_indicators(con: DuckDBPyConnection, area_type: str) -> list[str]:
    """Ids of the indicators with a headline value for some area of this type."""
    rows = con.execute(load_sql("area_type_indicators"), {"area_type": area_type}).fetchall()
    return [r[0] for r in rows]


def indicators(con: DuckDBPyConnection) -> pd.DataFrame:
    """Indicator metadata in profile order."""
    return _df(con, "indicators")


def practices(con: DuckDBPyConnection, la_code: str) -> pd.DataFrame:
    """The place's GP practices with PCN, list size and location."""
    return _df(con, "practices", la_code=la_code)


def members(con: DuckDBPyConnection, group_code: str) -> pd.DataFrame:
    """Member areas of a neighbourhood, PCN or the council."""
    return _df(con, "members", group_code=group_code)


def boundary(con: DuckDBPyConnection, layer: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection for a boundary layer (empty collection if unknown)."""
    row = con.execute(load_sql("boundary"), {"layer": layer}).fetchone()
    if row is None:
        return {"type": "FeatureCollection", "features": []}
    result: dict[str, Any] = json.loads(row[0])
    return result


def build_info(con: DuckDBPyConnection) -> dict[str, str]:
    """Facts about the build, as a dict."""
    rows = con.execute(load_sql("build_info")).fetchall()
    return {str(k): str(v) for k, v in rows}


def release_date(con: DuckDBPyConnection) -> str:
    """The data release the database was built from: its manifest's name (a date).

    "unverified" where the place had no manifest. Name downloads and captions with it.
    """
    return build_info(con).get("release", "unverified")


def data_release(con: DuckDBPyConnection) -> pd.DataFrame:
    """Every source file the build read: id, path, period, publisher, licence, origin, sha256."""
    return _df(con, "data_release")


def member_values(
    con: DuckDBPyConnection, group_code: str, benchmark: str = "default"
) -> pd.DataFrame:
    """Every indicator for each member ward or practice of a group."""
    return _df(con, "member_values", group_code=group_code, benchmark=benchmark)


def triage_area_values(
    con: DuckDBPyConnection, area_type: str, benchmark: str = "default"
) -> pd.DataFrame:
    """Every indicator for every area of a type at its headline period (worst-area finder)."""
    return _df(con, "triage_area_values", area_type=area_type, benchmark=benchmark)


def funnel_values(con: DuckDBPyConnection, indicator_id: str, area_type: str) -> pd.DataFrame:
    """One indicator's counts and denominators across wards or practices (funnel plots)."""
    return _df(con, "funnel_values", indicator_id=indicator_id, area_type=area_type)


def smoothed_values(con: DuckDBPyConnection, indicator_id: str, area_type: str) -> pd.DataFrame:
    """One indicator's smoothed values across the areas of a type (wards and LSOAs only)."""
    return _df(con, "smoothed_values", indicator_id=indicator_id, area_type=area_type)


def custom_ward_rows(con: DuckDBPyConnection, benchmark: str = "default") -> pd.DataFrame:
    """Every ward's indicator rows at the headline period, for pooling into a custom area."""
    return _df(con, "custom_ward_rows", benchmark=benchmark)


def national_pcn_values(con: DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    """Every English PCN's value for one QOF register, with context and hierarchy."""
    return _df(con, "national_pcn_values", indicator_id=indicator_id)


def national_dispersion(con: DuckDBPyConnection, indicator_id: str, area_type: str) -> pd.DataFrame:
    """φ, τ², rankability and the counts outside each funnel for one register and kind."""
    return _df(con, "national_dispersion", indicator_id=indicator_id, area_type=area_type)


def national_dispersion_by_type(con: DuckDBPyConnection, area_type: str) -> pd.DataFrame:
    """φ, τ², rankability and the counts outside each funnel for every register of a kind."""
    return _df(con, "national_dispersion_by_type", area_type=area_type)


def national_peer_values(con: DuckDBPyConnection, codes: list[str]) -> pd.DataFrame:
    """Every QOF register for a few English PCNs (one and its peers)."""
    return _df(con, "national_peer_values", codes=codes)


def nhs_area(con: DuckDBPyConnection, area_code: str) -> pd.DataFrame:
    """The English NHS area with this code and its ancestors (empty if unknown)."""
    return _df(con, "nhs_area", area_code=area_code)


def nhs_children(con: DuckDBPyConnection, parent_code: str, area_type: str) -> pd.DataFrame:
    """English NHS areas of one type directly under one parent, by name."""
    return _df(con, "nhs_children", parent_code=parent_code, area_type=area_type)


def nhs_search(con: DuckDBPyConnection, text: str, limit: int) -> pd.DataFrame:
    """English NHS areas whose code starts with or whose name contains `text`."""
    return _df(con, "nhs_search", text=text, limit=limit)


def nhs_profile(con: DuckDBPyConnection, area_code: str, area_type: str) -> pd.DataFrame:
    """Every QOF register for one English NHS area, shaped like profile rows."""
    return _df(con, "nhs_profile", area_code=area_code, area_type=area_type)


def nhs_member_values(
    con: DuckDBPyConnection, indicator_id: str, area_type: str, parent_code: str, parent_type: str
) -> pd.DataFrame:
    """One QOF register for every English NHS area of a type inside a parent area."""
    return _df(
        con,
        "nhs_member_values",
        indicator_id=indicator_id,
        area_type=area_type,
        parent_code=parent_code,
        parent_type=parent_type,
    )


def nhs_member_counts(con: DuckDBPyConnection, parent_code: str, parent_type: str) -> pd.DataFrame:
    """How many English NHS areas of each type lie inside a parent area."""
    return _df(con, "nhs_member_counts", parent_code=parent_code, parent_type=parent_type)


def nhs_spread(con: DuckDBPyConnection, area_type: str) -> pd.DataFrame:
    """Min, quartiles and max per QOF register among English NHS areas of one type."""
    return _df(con, "nhs_spread", area_type=area_type)


def overview_values(
    con: DuckDBPyConnection, la_code: str, benchmark: str = "default", ward_parent: str = ""
) -> pd.DataFrame:
    """Every indicator for England, the council, its neighbourhoods, PCNs (and one's wards)."""
    return _df(
        con, "overview_values", benchmark=benchmark, ward_parent=ward_parent, la_code=la_code
    )


def trend_values(
    con: DuckDBPyConnection,
    indicator_id: str,
    area_code: str,
    la_code: str,
    england_code: str,
    benchmark: str = "default",
) -> pd.DataFrame:
    """Every period of one indicator for an area, the council and England."""
    return _df(
        con,
        "trend_values",
        indicator_id=indicator_id,
        benchmark=benchmark,
        area_code=area_code,
        la_code=la_code,
        england_code=england_code,
    )


def trend_indicators(con: DuckDBPyConnection) -> pd.DataFrame:
    """Indicator and area pairs with more than one period."""
    return _df(con, "trend_indicators")


def scatter_values(
    con: DuckDBPyConnection, x_indicator: str, y_indicator: str, area_type: str
) -> pd.DataFrame:
    """Two indicators across the areas of a type, with each area's parent."""
    return _df(
        con,
        "scatter_values",
        x_indicator=x_indicator,
        y_indicator=y_indicator,
        area_type=area_type,
    )


def population_bands(con: DuckDBPyConnection, area_code: str) -> pd.DataFrame:
    """Residents by sex and 5-year age band for one area (mid-year estimates)."""
    return _df(con, "population_bands", area_code=area_code)


def england_age_bands(con: DuckDBPyConnection) -> pd.DataFrame:
    """England's residents by 5-year age band (persons, Census 2021)."""
    return _df(con, "england_age_bands")


def gp_list_bands(con: DuckDBPyConnection, area_code: str, england_code: str) -> pd.DataFrame:
    """Registered patients by published age band for a PCN or practice, and England."""
    return _df(con, "gp_list_bands", area_code=area_code, england_code=england_code)


def postcode(con: DuckDBPyConnection, postcode_key: str) -> pd.DataFrame:
    """The postcode of the council with this key (empty if it is not one)."""
    return _df(con, "postcode", postcode_key=postcode_key)


def deprivation_indicators(con: DuckDBPyConnection) -> pd.DataFrame:
    """Proportion indicators with LSOA counts (poolable by IMD decile)."""
    return _df(con, "deprivation_indicators")


def lsoa_deprivation(con: DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    """One indicator's LSOA counts with each LSOA's IMD 2019 decile."""
    return _df(con, "lsoa_deprivation", indicator_id=indicator_id)


def practice_indicators(con: DuckDBPyConnection) -> pd.DataFrame:
    """Proportion indicators with practice values and CIs."""
    return _df(con, "practice_indicators")


def practice_deprivation(con: DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    """One indicator's practice values with each practice's IMD score."""
    return _df(con, "practice_deprivation", indicator_id=indicator_id)


def place(con: DuckDBPyConnection) -> pd.DataFrame:
    """The place: one row (council, England, current ward set)."""
    return _df(con, "place")


def place_ward_sets(con: DuckDBPyConnection) -> pd.DataFrame:
    """The place's ward sets in profile order."""
    return _df(con, "place_ward_sets")


def place_lsoa_sets(con: DuckDBPyConnection) -> pd.DataFrame:
    """The place's LSOA sets in profile order."""
    return _df(con, "place_lsoa_sets")


def place_groups(con: DuckDBPyConnection) -> pd.DataFrame:
    """The place's neighbourhoods, PCNs and peer group in profile order."""
    return _df(con, "place_groups")


def place_group_members(con: DuckDBPyConnection) -> pd.DataFrame:
    """Every member of the place's neighbourhoods, PCNs and peer group."""
    return _df(con, "place_group_members")


def domains(con: DuckDBPyConnection) -> pd.DataFrame:
    """The indicator profile's domains in order."""
    return _df(con, "domains")


def indicator_settings(con: DuckDBPyConnection) -> pd.DataFrame:
    """Every indicator's metadata and app settings, in profile order."""
    return _df(con, "indicator_settings")
