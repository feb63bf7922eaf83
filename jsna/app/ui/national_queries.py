"""Cached queries of the national tables: every English practice, PCN, sub-ICB, ICB and region.

A build without the national QOF files has no such tables; every function here then returns
an empty result, and the pages say the national view is not available.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from jsna.app import queries
from jsna.app.ui.state import cursor


def _national(run: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]) -> pd.DataFrame:
    """A national query's rows, or an empty frame when the build has no national tables."""
    try:
        return run(cursor())
    except duckdb.CatalogException:
        return pd.DataFrame()


@st.cache_data(show_spinner=False, max_entries=1024)
def nhs_area(area_code: str) -> pd.DataFrame:
    """The English NHS area with this code and its ancestors (empty if unknown)."""
    return _national(lambda c: queries.nhs_area(c, area_code))


@st.cache_data(show_spinner=False, max_entries=512)
def nhs_children(parent_code: str, area_type: str) -> dict[str, str]:
    """Code -> name of the English NHS areas of one type directly under a parent, by name."""
    df = _national(lambda c: queries.nhs_children(c, parent_code, area_type))
    return dict(zip(df["area_code"], df["area_name"], strict=True)) if not df.empty else {}


@st.cache_data(show_spinner=False, max_entries=256)
def nhs_search(text: str, limit: int = 50) -> pd.DataFrame:
    """English NHS areas whose code starts with, or whose name contains, the text."""
    return _national(lambda c: queries.nhs_search(c, text, limit))


@st.cache_data(show_spinner=False, max_entries=256)
def nhs_profile(area_code: str, area_type: str) -> pd.DataFrame:
    """Every QOF register for one English NHS area, shaped like profile rows."""
    return _national(lambda c: queries.nhs_profile(c, area_code, area_type))


@st.cache_data(show_spinner=False, max_entries=256)
def nhs_member_values(
    indicator_id: str, area_type: str, parent_code: str, parent_type: str
) -> pd.DataFrame:
    """One QOF register for every English NHS area of a type inside a parent area."""
    return _national(
        lambda c: queries.nhs_member_values(c, indicator_id, area_type, parent_code, parent_type)
    )


@st.cache_data(show_spinner=False, max_entries=256)
def nhs_member_counts(parent_code: str, parent_type: str) -> dict[str, int]:
    """Area type -> how many English NHS areas of that type lie inside a parent area."""
    df = _national(lambda c: queries.nhs_member_counts(c, parent_code, parent_type))
    if df.empty:
        return {}
    return {str(t): int(n) for t, n in zip(df["area_type"], df["n"], strict=True)}


@st.cache_data(show_spinner=False, max_entries=8)
def nhs_spread(area_type: str) -> pd.DataFrame:
    """Spread of each QOF register among English NHS areas of one type (spine chart bars)."""
    return _national(lambda c: queries.nhs_spread(c, area_type))


@st.cache_data(show_spinner=False, max_entries=32)
def national_pcn_values(indicator_id: str) -> pd.DataFrame:
    """Every English PCN's value for one QOF register (empty if the build has no national data)."""
    return _national(lambda c: queries.national_pcn_values(c, indicator_id))


@st.cache_data(show_spinner=False, max_entries=256)
def national_dispersion(indicator_id: str, area_type: str) -> pd.DataFrame:
    """φ, τ², rankability and counts outside each set of limits (empty if not built)."""
    return _national(lambda c: queries.national_dispersion(c, indicator_id, area_type))


@st.cache_data(show_spinner=False, max_entries=64)
def national_peer_values(codes: tuple[str, ...]) -> pd.DataFrame:
    """Every QOF register for a PCN and its peers (empty if not built)."""
    return _national(lambda c: queries.national_peer_values(c, list(codes)))


@st.cache_data(show_spinner=False, max_entries=8)
def national_dispersion_by_type(area_type: str) -> pd.DataFrame:
    """Every register's φ, τ², rankability and counts outside each set of limits."""
    return _national(lambda c: queries.national_dispersion_by_type(c, area_type))
