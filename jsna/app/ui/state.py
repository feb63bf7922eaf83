"""The one place pages get data: cached query wrappers over `jsna.app.ui.connection`.

Every query runs on its own cursor of the process's one read-only connection; results are
cached per process and dropped when a rebuild replaces the database (`connection.refresh`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from jsna.app import db, downloads, maps, queries
from jsna.app.ui.connection import check_schema, cursor
from jsna.core import stored
from jsna.core.model import IndicatorProfile, Place

T = TypeVar("T")


@st.cache_resource(show_spinner=False, max_entries=1)
def place() -> Place:
    """The place (the council, ward sets, neighbourhoods, PCNs, peers), as the build stored it.

    Shared and read-only; read from the database (never from `profiles/`), cleared by
    `refresh` when a rebuild replaces the file.
    """
    cur = cursor()
    return stored.place_from_rows(
        queries.place(cur),
        queries.place_ward_sets(cur),
        queries.place_lsoa_sets(cur),
        queries.place_groups(cur),
        queries.place_group_members(cur),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def areas(area_type: str) -> pd.DataFrame:
    """Areas of one type."""
    return queries.areas(cursor(), area_type)


@st.cache_data(show_spinner=False, max_entries=64)
def place_areas(area_type: str) -> pd.DataFrame:
    """The place's own areas of one type (England-wide tables may hold every council's)."""
    return queries.place_areas(cursor(), place().code, area_type)


@st.cache_data(show_spinner=False, max_entries=1024)
def area(area_code: str) -> dict[str, Any]:
    """Code, name, type, ward set and parent of one area (empty if unknown)."""
    rows = queries.area(cursor(), area_code).to_dict("records")
    return rows[0] if rows else {}


@st.cache_resource(show_spinner=False, max_entries=1)
def area_labels() -> dict[str, str]:
    """Code -> "Name (kind)" for every area, built once per database (shared, read-only)."""
    kinds = {
        "neighbourhood": "neighbourhood",
        "pcn": "PCN",
        "ward": "ward",
        "practice": "practice",
        "local_authority": "local authority",
        "england": "country",
    }
    short = {w.id: w.short for w in place().ward_sets}
    labels = {}
    for code, name, kind, vintage in cursor().execute(db.load_sql("area_names")).fetchall():
        words = kinds.get(kind, kind)
        if kind == "ward":
            words += f", {short.get(vintage, vintage)}"
        labels[code] = f"{name} ({words})"
    return labels


@st.cache_resource(show_spinner=False, max_entries=1)
def indicator_labels() -> dict[str, str]:
    """Indicator id -> "Name (estimate) · Domain", built once per database (read-only)."""
    rows = queries.indicators(cursor())[["indicator_id", "indicator_name", "estimate", "domain"]]
    return {
        i: f"{name}{' (estimate)' if est else ''} · {domain}"
        for i, name, est, domain in rows.itertuples(index=False)
    }


def query_csv(name: str, **params: Any) -> bytes:
    """The rows of `jsna/app/sql/<name>.sql` as a plain CSV written by DuckDB (for downloads)."""
    p = place()
    return downloads.copy_csv(cursor(), db.load_sql(name), params, p.name, p.ward_set_names)


@st.cache_data(show_spinner=False, max_entries=256)
def area_profile(area_code: str, benchmark: str = "default") -> pd.DataFrame:
    """Every indicator for one area at its headline period, compared with a benchmark."""
    return queries.area_profile(cursor(), area_code, benchmark)


@st.cache_data(show_spinner=False, max_entries=256)
def indicator_values(indicator_id: str, area_type: str, benchmark: str = "default") -> pd.DataFrame:
    """One indicator across areas of a type, compared with a benchmark."""
    return queries.indicator_values(cursor(), indicator_id, area_type, benchmark)


def ours(rows: pd.DataFrame, area_type: str) -> pd.DataFrame:
    """The rows of the place's own areas of a type (England-wide tables hold every council's)."""
    return rows[rows["area_code"].isin(place_areas(area_type)["area_code"])].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=256)
def place_values(indicator_id: str, area_type: str, benchmark: str = "default") -> pd.DataFrame:
    """One indicator across the place's own areas of a type (what a map of the place draws)."""
    return ours(indicator_values(indicator_id, area_type, benchmark), area_type)


@st.cache_data(show_spinner=False, max_entries=16)
def indicator_spread(area_type: str) -> pd.DataFrame:
    """Spread of values among areas of a type (spine chart bars)."""
    return queries.indicator_spread(cursor(), area_type)


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_trend(indicator_id: str) -> pd.DataFrame:
    """The council and England over time."""
    p = place()
    return queries.indicator_trend(cursor(), indicator_id, p.code, p.england_code)


@st.cache_data(show_spinner=False, max_entries=16)
def area_type_indicators(area_type: str) -> list[str]:
    """Ids of the indicators with a headline value for some area of this type."""
    return queries.area_type_indicators(cursor(), area_type)


@st.cache_data(show_spinner=False)
def indicators() -> pd.DataFrame:
    """Indicator metadata."""
    return queries.indicators(cursor())


@st.cache_data(show_spinner=False, max_entries=1)
def practices() -> pd.DataFrame:
    """The place's GP practices."""
    return queries.practices(cursor(), place().code)


@st.cache_data(show_spinner=False, max_entries=64)
def members(group_code: str) -> pd.DataFrame:
    """Members of a neighbourhood, PCN or the council."""
    return queries.members(cursor(), group_code)


@st.cache_resource(show_spinner=False, max_entries=16)
def boundary(layer: str) -> dict[str, Any]:
    """GeoJSON for a layer, the place's own areas only (shared, read-only: do not mutate).

    Parsed once per process; a layer stored for all of England is cut down to the place
    before it is kept, so memory and every map's payload follow the place, not England.
    """
    layer_json = queries.boundary(cursor(), layer)
    kinds = ("local_authority", "neighbourhood", "ward", "lsoa")
    ours = {code for kind in kinds for code in place_areas(kind)["area_code"]}
    return maps.subset(layer_json, [f["id"] for f in layer_json["features"] if f["id"] in ours])


@st.cache_data(show_spinner=False)
def build_info() -> dict[str, str]:
    """Facts about the build, once its shape is checked (every page calls this first).

    Raises:
        DatabaseSchemaError: the database is not this app's shape; the page shows its
            friendly message instead of a query failing halfway down.
    """
    cur = cursor()
    check_schema(cur)
    return queries.build_info(cur)


def source_period(key: str) -> str:
    """A source's period in words, as the build read it from the data release's manifest.

    `key`: a `[files]` key of the place ("pcn_lookup", "gp_age", …), or "qof",
    "nhs_membership", "imd", "os_copyright" (`jsna.build`). "" where the build recorded none.
    """
    return build_info().get(f"period:{key}", "")


@st.cache_data(show_spinner=False)
def release_date() -> str:
    """The data release the database was built from (`queries.release_date`)."""
    return queries.release_date(cursor())


@st.cache_data(show_spinner=False)
def data_release() -> pd.DataFrame:
    """Every source file the build read (Definitions and data)."""
    return queries.data_release(cursor())


@st.cache_data(show_spinner=False, max_entries=64)
def member_values(group_code: str, benchmark: str = "default") -> pd.DataFrame:
    """Every indicator for the members of a neighbourhood or PCN."""
    return queries.member_values(cursor(), group_code, benchmark)


@st.cache_data(show_spinner=False, max_entries=8)
def triage_area_values(area_type: str, benchmark: str = "default") -> pd.DataFrame:
    """Every indicator for the place's areas of a type (worst neighbourhood per indicator)."""
    return ours(queries.triage_area_values(cursor(), area_type, benchmark), area_type)


@st.cache_data(show_spinner=False, max_entries=64)
def funnel_values(indicator_id: str, area_type: str) -> pd.DataFrame:
    """Counts and denominators of one indicator across wards or practices."""
    return queries.funnel_values(cursor(), indicator_id, area_type)


@st.cache_data(show_spinner=False, max_entries=64)
def smoothed_values(indicator_id: str, area_type: str) -> pd.DataFrame:
    """One indicator's smoothed values across the place's own wards or LSOAs (else empty)."""
    return ours(queries.smoothed_values(cursor(), indicator_id, area_type), area_type)


@st.cache_resource(show_spinner=False, max_entries=1)
def indicator_profile() -> IndicatorProfile:
    """The domains and indicators as the build stored them (shared, read-only)."""
    cur = cursor()
    return stored.profile_from_rows(queries.indicator_settings(cur), queries.domains(cur))


@st.cache_data(show_spinner=False, max_entries=4)
def custom_ward_rows(benchmark: str = "default") -> pd.DataFrame:
    """Every ward's rows at the headline period, compared with a benchmark (for pooling)."""
    return queries.custom_ward_rows(cursor(), benchmark)


@st.cache_data(show_spinner=False, max_entries=64)
def custom_profile(codes: tuple[str, ...], vintage: str, benchmark: str = "default") -> Any:
    """A custom area pooled from these wards (a `jsna.app.custom.CustomProfile`)."""
    from jsna.app import custom

    wards = areas("ward")
    names = dict(zip(wards["area_code"], wards["area_name"], strict=True))
    return custom.pool_wards(
        custom_ward_rows(benchmark),
        indicator_profile(),
        place(),
        codes,
        vintage,
        area_name=custom.area_name(codes, names),
        benchmark_key=benchmark,
    )


@st.cache_resource(show_spinner=False)
def _remembered() -> tuple[threading.Lock, OrderedDict[tuple[Any, ...], Any]]:
    return threading.Lock(), OrderedDict()


REMEMBER_SIZE = 512


def remember(key: tuple[Any, ...], build: Callable[..., T], *args: Any) -> T:
    """What `build(*args)` returns, kept per process for every session; treat it as read-only.

    For what a page derives from cached query results (figures, HTML, sentences, display
    tables): a warm rerun then costs a dict lookup, not the 5-100 ms of pandas and plotly
    work. Unlike `st.cache_data` nothing is pickled or copied, so the caller must not change
    the result. `key` must spell out everything the result depends on, its first item
    naming what is built. The oldest entries go past `REMEMBER_SIZE`; a rebuilt database
    clears them all (`refresh`).
    """
    lock, cache = _remembered()
    with lock:
        if key in cache:
            cache.move_to_end(key)
            return cast(T, cache[key])
    value = build(*args)
    with lock:
        cache[key] = value
        while len(cache) > REMEMBER_SIZE:
            cache.popitem(last=False)
    return value


def headline_findings(area_code: str, benchmark: str, limit: int) -> list[str]:
    """An area's significant differences in words, at most `limit` (remembered)."""
    from jsna.app import narrative

    return remember(
        ("findings", area_code, benchmark, limit),
        lambda: narrative.headline_findings(area_profile(area_code, benchmark), limit),
    )


def summary_sentences(area_code: str, benchmark: str) -> list[str]:
    """Every indicator of an area in words (remembered)."""
    from jsna.app import narrative

    return remember(
        ("summary", area_code, benchmark),
        lambda: narrative.summary(area_profile(area_code, benchmark)),
    )


def figure(key: tuple[Any, ...], build: Callable[..., go.Figure], *args: Any) -> go.Figure:
    """A built plotly figure (20-40 ms of plotly validation), remembered: see `remember`."""
    return remember(("figure", *key), build, *args)


@st.cache_data(show_spinner=False, max_entries=256)
def triage_lines(area_code: str, benchmark: str, limit: int | None) -> list[tuple[str, str]]:
    """Where-to-act sentences, as (benchmark name, sentence), against each benchmark used."""
    from jsna.app import insight

    profile = area_profile(area_code, benchmark)
    names = dict.fromkeys(b for b in profile["benchmark"].dropna() if b)
    lines = [(n, s) for n in names for s in insight.triage_sentences(profile, None, (n,))]
    return lines if limit is None else lines[:limit]


@st.cache_data(show_spinner=False, max_entries=64)
def member_table(group_code: str, benchmark: str) -> pd.DataFrame:
    """Wards (or practices) of a group as rows, indicators as columns."""
    from jsna.app import tables

    short = {w.id: w.short for w in place().ward_sets}
    return tables.member_table(member_values(group_code, benchmark), short)


@st.cache_data(show_spinner=False, max_entries=256)
def untested_gaps(area_code: str, benchmark: str, worse_only: bool) -> pd.DataFrame:
    """Large gaps with no interval for one area, largest first ("not tested for significance")."""
    from jsna.app import insight

    return insight.untested_gaps(
        area_profile(area_code, benchmark), worse_only=worse_only, la_name=place().name
    )
