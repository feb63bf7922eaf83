"""Cached queries for the topic pages: overview, trends, population, inequalities, postcode.

Each result is cached per process, like `jsna.app.ui.state`, and dropped by `connection.refresh`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from jsna.app import queries
from jsna.app.ui.connection import cursor
from jsna.app.ui.state import indicator_profile, indicators, ours, place, place_areas


@st.cache_data(show_spinner=False, max_entries=32)
def overview_values(benchmark: str = "default", ward_parent: str = "") -> pd.DataFrame:
    """Every indicator for the overview grid's areas, compared with a benchmark."""
    return queries.overview_values(cursor(), place().code, benchmark, ward_parent)


@st.cache_data(show_spinner=False, max_entries=128)
def trend_values(indicator_id: str, area_code: str, benchmark: str = "default") -> pd.DataFrame:
    """Every period of one indicator for an area, the council and England."""
    p = place()
    code, england = p.code, p.england_code
    return queries.trend_values(cursor(), indicator_id, area_code, code, england, benchmark)


@st.cache_data(show_spinner=False, max_entries=1)
def trend_indicators() -> pd.DataFrame:
    """Indicator and area pairs with more than one period (England, peers, the place's areas)."""
    rows = queries.trend_indicators(cursor())
    kinds = ("local_authority", "neighbourhood", "pcn", "ward", "practice", "lsoa")
    ours = {c for kind in kinds for c in place_areas(kind)["area_code"]} | {place().england_code}
    keep = rows["area_code"].isin(ours) | rows["area_type"].eq("peer_group")
    return rows[keep].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=8)
def trend_summary(benchmark: str = "default") -> pd.DataFrame:
    """The council's recent trend for every indicator with more than one period."""
    from jsna.app import trend

    la = place().code
    meta = indicators().set_index("indicator_id")
    summary = []
    for ind_id in dict.fromkeys(trend_indicators()["indicator_id"]):
        rows = trend_values(ind_id, la, benchmark)
        got = trend.recent_trends(
            rows[rows["area_code"] == la],
            ["sex"],
            polarity=str(meta.loc[ind_id, "polarity"]),
            use_proportions=ind_id in trend_by_counts(),
        )
        for r in got.to_dict("records"):
            summary.append(
                {
                    "Indicator": meta.loc[ind_id, "indicator_name"]
                    + ("" if r["sex"] == "Persons" else f" ({r['sex']})"),
                    "Recent trend": r["trend_label"],
                    "Why not calculated": r["trend_reason"] or "",
                }
            )
    return pd.DataFrame(summary)


@st.cache_resource(show_spinner=False, max_entries=1)
def trend_by_counts() -> frozenset[str]:
    """Indicators whose trend is tested on counts (Fingertips' "use proportions for trend")."""
    return frozenset(i.id for i in indicator_profile().indicators if i.trend_by_counts)


@st.cache_data(show_spinner=False, max_entries=64)
def scatter_values(x_indicator: str, y_indicator: str, area_type: str) -> pd.DataFrame:
    """Two indicators across the place's areas of a type, with each area's parent."""
    return ours(queries.scatter_values(cursor(), x_indicator, y_indicator, area_type), area_type)


@st.cache_data(show_spinner=False, max_entries=64)
def population_bands(area_code: str) -> pd.DataFrame:
    """Residents by sex and 5-year age band for one area."""
    return queries.population_bands(cursor(), area_code)


@st.cache_data(show_spinner=False)
def england_age_bands() -> pd.DataFrame:
    """England's residents by 5-year age band (persons)."""
    return queries.england_age_bands(cursor())


@st.cache_data(show_spinner=False, max_entries=64)
def gp_list_bands(area_code: str) -> pd.DataFrame:
    """Registered patients by published age band for a PCN or practice, and England."""
    return queries.gp_list_bands(cursor(), area_code, place().england_code)


@st.cache_data(show_spinner=False, max_entries=512)
def postcode(postcode_key: str) -> pd.DataFrame:
    """The postcode of the council with this key (empty if it is not one)."""
    return queries.postcode(cursor(), postcode_key)


@st.cache_data(show_spinner=False)
def deprivation_indicators() -> pd.DataFrame:
    """Proportion indicators with LSOA counts."""
    return queries.deprivation_indicators(cursor())


@st.cache_data(show_spinner=False, max_entries=64)
def lsoa_deprivation(indicator_id: str) -> pd.DataFrame:
    """One indicator's counts in the place's LSOAs with IMD 2019 deciles."""
    return ours(queries.lsoa_deprivation(cursor(), indicator_id), "lsoa")


@st.cache_data(show_spinner=False)
def practice_indicators() -> pd.DataFrame:
    """Proportion indicators with practice values and CIs."""
    return queries.practice_indicators(cursor())


@st.cache_data(show_spinner=False, max_entries=64)
def practice_deprivation(indicator_id: str) -> pd.DataFrame:
    """One indicator's values for the place's practices with IMD scores."""
    return ours(queries.practice_deprivation(cursor(), indicator_id), "practice")
