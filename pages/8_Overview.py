"""Overview ("tartan rug"): every indicator by area, coloured by comparison with the benchmark.

Rows are indicators grouped by domain; columns are England, the council, the neighbourhoods, the
PCNs and, when asked, one neighbourhood's wards. Each cell opens that area's profile.
"""

import streamlit as st

from jsna.app import populations, views
from jsna.app.ui import state, topics, widgets

widgets.page("Overview", "🧮")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
st.title("Overview: every indicator, every area")
st.caption(
    f"Each cell is an area's value at the indicator's latest period, coloured and marked by its "
    f"comparison with {widgets.benchmark_phrase(bench)}. Choose a cell or a column heading to "
    "open that area's profile. Hover a cell for the full value and comparison."
)
hoods = {n.code: n.name for n in place.neighbourhoods}
serving = populations.serving_pcns(hoods, [(p.name, p.serves) for p in place.pcns])
if serving:
    # Issue 19: a neighbourhood's GP figures are its serving PCNs' patients, so its column
    # repeats theirs for those rows; say so where the columns are.
    st.caption(
        "For GP figures (registers, smoking, A&E, list ages) a neighbourhood's column repeats "
        f"the registered patients of the PCNs that serve it: {serving}. They are patients on "
        "those GP lists, wherever they live, not the neighbourhood's residents."
    )
left, mid, right = st.columns(3)
with left:
    wards_of = widgets.url_select(
        "Add the wards of",
        ["none", *hoods],
        key="wards_of",
        format_func=lambda c: "No wards" if c == "none" else f"{hoods[c]} neighbourhood",
    )
cells = state.remember(
    ("overview_cells", bench, wards_of),
    lambda: views.overview_cells(
        topics.overview_values(bench, "" if wards_of == "none" else wards_of)
    ),
)
if cells.empty:
    st.info("There are no indicators in the database yet.")
    st.stop()
meta = state.indicators()
domains = dict(zip(meta["domain_id"], meta["domain"], strict=False))
with mid:
    domain = widgets.url_select(
        "Domain",
        ["all", *domains],
        key="domain",
        format_func=lambda d: "All domains" if d == "all" else domains[d],
    )
with right:
    sort = widgets.url_select(
        "Order rows by",
        list(views.OVERVIEW_SORTS),
        key="sort",
        format_func=views.OVERVIEW_SORTS.get,
    )
shown = cells if domain == "all" else cells[cells["domain"] == domains[domain]]
link = {"benchmark": bench} | ({"colours": "cb"} if scheme == "colour_blind" else {})
st.html(views.overview_legend_html(scheme))
short = {w.id: w.short for w in place.ward_sets}
selection = (bench, wards_of, domain, sort)
st.html(
    state.remember(
        ("overview_html", *selection, scheme),
        lambda: views.overview_html(shown, scheme, sort, link, short),
    )
)
n_rows = shown["row_label"].nunique()
n_cols = shown["area_code"].nunique()
st.caption(
    f"{n_rows} indicators × {n_cols} areas. ▲ better, ▼ worse, ● similar, ↑ higher, ↓ lower "
    "(doubled when significant at 99.8% too), ○ not compared, ∗ suppressed (a count from 1 to "
    "4). Blank: no figure for that area (many indicators are published for "
    f"{place.name} only)."
)
widgets.comparison_key()
cols = state.remember(("overview_columns", *selection), lambda: views.overview_columns(shown))
choice = st.selectbox(
    "Open an area's profile",
    [
        c
        for c, t in zip(cols["area_code"], cols["area_type"], strict=True)
        if t != "england" and t != "local_authority"
    ],
    format_func=widgets.area_label,
    key="open_area",
)
st.page_link(
    "pages/1_Area_profile.py",
    label=f"Open the profile of {widgets.area_label(choice)}",
    query_params=link | {"area": choice},
    icon=":material/arrow_forward:",
)
widgets.download(
    state.remember(("overview_download", *selection), lambda: views.overview_download(shown, sort)),
    "Download this overview (CSV, exactly the cells shown)",
    f"overview_{bench}.csv",
    key="dl_overview",
)
widgets.footer()
