"""Shared page furniture: page set-up, URL-bound pickers, keys, downloads and footers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from jsna.app import downloads
from jsna.app.db import DatabaseMissingError
from jsna.app.ui import connection, files, state, url
from jsna.core import model as profiles  # count_words (the runtime model, not the TOML loader)

log = logging.getLogger(__name__)
# Streamlit's chart theme draws axis, legend and title text in a faded grey (under 4.5:1 on
# white); every chart's text is drawn in the page's text colour instead. Page links keep
# their whole label on a phone: Streamlit cuts it to one line with an ellipsis. Long words
# (file names) in written tables break, so the table fits a phone.
PAGE_STYLE = """<style>
.stPlotlyChart .xtick text, .stPlotlyChart .ytick text, .stPlotlyChart .legendtext,
.stPlotlyChart .gtitle, .stPlotlyChart .g-xtitle text, .stPlotlyChart .g-ytitle text,
.stPlotlyChart .xtitle, .stPlotlyChart .ytitle, .stPlotlyChart .cbtitle text,
.stPlotlyChart .cbaxis text { fill: #0b0c0c !important; }
[data-testid='stPageLink-NavLink'] > span:has([data-testid='stMarkdownContainer']),
[data-testid='stPageLink-NavLink'] [data-testid='stMarkdownContainer'],
[data-testid='stPageLink-NavLink'] [data-testid='stMarkdownContainer'] p {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; }
[data-testid='stMarkdownContainer'] td, [data-testid='stMarkdownContainer'] th {
  overflow-wrap: anywhere; }
</style>"""
FAVICON = Path(__file__).resolve().parent / "favicon.png"
DATABASE_UNAVAILABLE = (
    "The health database is missing or cannot be read, so this page has no figures to show. "
    "Whoever runs the explorer can rebuild it with `python -m jsna.build` (or `make data`)."
)
ATTRIBUTION = (
    "Contains National Statistics and OS data © Crown copyright and database right{year}. "
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(ONS, OHID Fingertips, NHS England, MHCLG)."
)


def attribution() -> str:
    """`ATTRIBUTION` with the copyright year of the boundaries the build read."""
    year = state.source_period("os_copyright")
    return ATTRIBUTION.format(year=f" {year}" if year else "")


COMPARISON_KEY = (
    "Colours compare each area with the benchmark chosen in the sidebar: "
    "**better / similar / worse** where a high or low value is good or bad; "
    "**higher / lower** where there is no judgement. Significance uses the 95% confidence "
    "interval; '(99.8%)' marks differences that are significant at 99.8% as well. Grey means "
    "*not compared* (no interval, an estimate, or no benchmark); pale grey means *suppressed* "
    "(a count from 1 to 4)."
)
# A map is no wider than this, so on a desktop it fits the screen's height too.
MAP_MAX_WIDTH = 760
AREA_TYPE_LABELS = {
    "neighbourhood": "Neighbourhoods",
    "pcn": "Primary Care Networks",
    "ward": "Wards",
    "practice": "GP practices",
    "lsoa": "LSOAs (small areas)",
}


def area_type_words(area_type: str) -> str:
    """An area type's label inside a sentence: "wards", "Primary Care Networks", "LSOAs …"."""
    label = AREA_TYPE_LABELS.get(area_type, "areas")
    return label if label.split()[0] in ("Primary", "GP", "LSOAs") else label.lower()


def page(title: str, icon: str = "📊") -> None:
    """Set up a page; switch to a rebuilt database; stop kindly if it is missing or broken.

    `{place}` in the title stands for the place's name (read from the database).
    """
    if PagesManager.uses_pages_directory:
        # Streamlit's first run after start-up (and each AppTest run) sees the folder named
        # pages/ and runs the page script alone, skipping app.py's st.navigation: the sidebar
        # would list file names. Leave that legacy route and run again through the router.
        PagesManager.uses_pages_directory = False
        st.rerun()
    try:
        connection.refresh()
        state.build_info()
        name = state.place().name  # the database names the place
    except (DatabaseMissingError, duckdb.Error, OSError) as exc:
        # One line for whoever runs the app; the reader sees no path and no traceback.
        log.error("health database unavailable: %s", " ".join(str(exc).split()))
        st.set_page_config(
            page_title=title.replace("{place}", "Health explorer"),
            page_icon=str(FAVICON),
            layout="wide",
        )
        st.error(DATABASE_UNAVAILABLE, icon=":material/error:")
        st.stop()
    # The favicon is a file served by the app itself: an emoji icon would make every page
    # fetch an image from Google's font servers, the one request outside the app's origin.
    st.set_page_config(
        page_title=f"{title.replace('{place}', name)} · {name} health explorer",
        page_icon=str(FAVICON),
        layout="wide",
    )
    st.html(PAGE_STYLE)


def map_chart(fig: Any, key: str, **kwargs: Any) -> Any:
    """A map from `maps.fit_map` drawn at its area's shape, whatever the screen's width.

    The chart's height follows its width (a CSS container query): the map part keeps the
    aspect of the map's bounds, so MapLibre fits the whole area on a phone and a desktop
    alike, and the title and legend keep the room `fit_map` measured for them.
    """
    meta = fig.layout.meta
    with st.container(key=key + "_frame"):
        st.html(
            f"<style>.st-key-{key}_frame {{ container-type: inline-size; "
            f"max-width: {MAP_MAX_WIDTH}px; }}\n"
            f".st-key-{key}_frame .stPlotlyChart {{ height: calc((100cqw - "
            f"{meta['map_side']}px) / {meta['map_aspect']:.4f} + {meta['map_fixed']}px) "
            "!important; }</style>"
        )
        return st.plotly_chart(fig, key=key, height="stretch", **kwargs)


url_select = url.select  # a selectbox kept in the URL (`jsna.app.ui.url.select`)


def colour_scheme() -> str:
    """Sidebar toggle for the colour-blind-safe palette (kept in the URL as ?colours=cb)."""
    cb = url.toggle("Colour-blind-safe colours", "colours_cb", "colours", "cb", where=st.sidebar)
    return "colour_blind" if cb else "fingertips"


def benchmark() -> str:
    """Sidebar choice of benchmark, kept in the URL as ?benchmark=…; every comparison follows it."""
    p = state.place()
    peers = p.peers.name if p.peers is not None else "peer councils"
    # Short enough for the sidebar's box; the help says what "else" means.
    labels = {
        "default": f"{p.england_name} (else {p.name})",
        "england": f"{p.england_name} only",
        "la": p.name,
        "peers": peers,
    }
    return url_select(
        "Compare with",
        list(labels),
        key="benchmark",
        format_func=lambda k: labels[k],
        where=st.sidebar,
        help=(
            "The benchmark every colour and sentence uses. "
            f"{p.england_name} (else {p.name}): {p.england_name}'s figure, or {p.name}'s "
            f"where {p.england_name} has none."
        ),
        # Links made before the keys became generic named the council: `?benchmark=<slug>`.
        aliases={p.slug: "la"},
    )


def benchmark_phrase(key: str) -> str:
    """How captions name the chosen benchmark."""
    p = state.place()
    return {
        "default": f"{p.england_name} (or {p.name} where {p.england_name} has no figure)",
        "england": p.england_name,
        "la": p.name,
        "peers": p.peers.description if p.peers is not None else "peer councils",
    }.get(key, p.england_name)


def comparison_key() -> None:
    """The sentence that explains the colours."""
    st.caption(COMPARISON_KEY)


def footer() -> None:
    """Attribution and build date."""
    info = state.build_info()
    st.divider()
    st.caption(
        f"{attribution()} Data built {info.get('built_at', 'unknown')}. "
        "Small numbers (1 to 4) are suppressed."
    )


def download_query(label: str, file_name: str, key: str, sql: str, **params: Any) -> None:
    """A CSV download of a query's rows, written by DuckDB only when clicked (many rows).

    `file_name` is what the file holds ("indicator", "profile"); the file is named
    `<place>_<what>_<indicator>_<data date>.csv` (the indicator when `indicator_id` is a param).
    """
    name, _ = files.name_and_context(
        file_name.removesuffix(".csv"), None, params.get("indicator_id")
    )
    st.download_button(
        label,
        lambda: state.query_csv(sql, **params),
        file_name=name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def download(
    df: pd.DataFrame,
    label: str,
    file_name: str,
    key: str,
    *,
    area: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
) -> None:
    """A CSV download an analyst can file (built only when clicked).

    Plain column names, comparisons in words, values rounded as shown with the exact values
    in their own columns (`downloads.plain`). `file_name` says what the file holds
    ("profile"); the file is named `<place>_<what>_<area name>_<indicator name>_<data date>.csv`
    from `area` (a code; the place when None) and `indicator` (an id), and carries Area,
    Indicator and Period columns wherever its rows do not say them.
    """
    p = state.place()
    name, context = files.name_and_context(file_name.removesuffix(".csv"), area, indicator, period)
    st.download_button(
        label,
        lambda: downloads.to_csv(df, p.name, p.ward_set_names, context),
        file_name=name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def brief_button(make: Callable[[], str], file_name: str) -> None:
    """Download the area brief (HTML), generated only when clicked; `file_name` in full."""
    st.download_button(
        "Download a one-page brief for this area (HTML, opens offline, prints on one A4 page)",
        lambda: make().encode("utf-8"),
        file_name=file_name,
        mime="text/html",
        key="dl_brief",
        icon=":material/description:",
        on_click="ignore",
        type="primary",
    )


def area_picker(area_types: Sequence[str]) -> str:
    """The area selectbox (neighbourhoods first), kept in the URL as ?area=…."""
    options = [code for t in area_types for code in state.place_areas(t)["area_code"]]
    labels = state.area_labels()
    return url_select(
        "Area",
        options,
        key="area",
        format_func=lambda c: labels.get(c, c),
        default=state.place().neighbourhoods[0].code,
    )


def indicator_picker(default: str | None = "bad_health") -> str:
    """The indicator selectbox every indicator page shares, kept in the URL as ?indicator=…."""
    labels = state.indicator_labels()
    return url_select(
        "Indicator",
        list(labels),
        key="indicator",
        format_func=lambda i: labels.get(i, i),
        default=default,
    )


def indicator_label(ind_id: str) -> str:
    """Indicator name for pickers, with its domain."""
    return state.indicator_labels().get(ind_id, ind_id)


def ward_sets_sentence() -> str:
    """How many ward sets the data use, and which data use which."""
    p = state.place()
    if len(p.ward_sets) == 1:
        return f"Ward figures use the {p.ward_sets[0].name}."
    sets = "; ".join(f"the {w.name} ({w.note})" for w in p.ward_sets)
    return (
        f"{profiles.count_words(len(p.ward_sets)).capitalize()} ward sets are used, depending "
        f"on the data: {sets}. A neighbourhood covers different people on each (its profile "
        "gives the size of each footprint)."
    )


def area_label(code: str) -> str:
    """Area name with its type (and ward vintage)."""
    return state.area_labels().get(code, code)


# On a phone the sidebar lies over the page. Streamlit's own page list closes it after a
# choice (on a phone's browser only); page links do not, so the same is done here: a click
# on a page link in the open sidebar, on a screen too narrow to show the page beside it,
# presses the sidebar's own "Collapse sidebar" button. Installed once per browser tab.
_CLOSE_SIDEBAR_ON_NAVIGATION = """<script>
if (!window.jsnaNavCloses) {
  window.jsnaNavCloses = true;
  const doc = document;
  doc.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(
      "[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']");
    const sidebar = doc.querySelector("[data-testid='stSidebar']");
    if (!link || !sidebar || sidebar.getAttribute("data-collapsed") === "true") return;
    // Beside the page (a desktop), the sidebar stays; over it (a phone), it closes.
    const main = doc.querySelector("[data-testid='stMain']");
    if (main && main.getBoundingClientRect().left >= sidebar.getBoundingClientRect().right) return;
    const close = doc.querySelector("[data-testid='stSidebarCollapseButton'] button");
    if (close) setTimeout(() => close.click(), 0);
  }, true);
}
</script>"""


def navigation(sections: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Every page in the sidebar as a link, under the question it answers (`st.Page`s).

    Plain links, not Streamlit's sectioned page list, which fails axe's list rules.
    """
    with st.sidebar.container(key="site_nav", gap="xsmall"):
        st.html(_CLOSE_SIDEBAR_ON_NAVIGATION, unsafe_allow_javascript=True)
        for question, pages in sections:
            if question:
                st.markdown(f"**{question}**")
            for pg in pages:
                st.page_link(pg, label=pg.title, icon=pg.icon)
        st.divider()


def link_row(
    page: Any, areas: Sequence[tuple[str, str]], key: str, bench: str, icon: str | None = None
) -> None:
    """A wrapping row of links to an area profile, one per area.

    Each link carries every parameter the profile settles on (`area`, `benchmark`, `scope`):
    a page that adds one to the URL pushes another entry into the browser's history, and Back
    would then return to the profile rather than to where the reader came from.
    """
    with st.container(horizontal=True, gap="small", key=f"links_{key}"):
        for name, code in areas:
            params = {"area": code, "benchmark": bench, "scope": "local"}
            st.page_link(page, label=name, query_params=params, width="content", icon=icon)
