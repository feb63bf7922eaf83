"""The explorer's entry point: grouped navigation, and the Home page.

`st.navigation` lists every page under a section; the page scripts stay in `pages/` and each
sets up its own frame (`widgets.page`, the sidebar pickers), so a page behaves the same whether
Streamlit reaches it through this router or runs it on its own (AppTest, first request).
Every URL keeps its old path (`/Area_profile?area=…`).

Home: the council's neighbourhoods and their GP practices, and how each compares with England
in plain words.
"""

import streamlit as st

from jsna import maps
from jsna.ui import state, widgets


def home() -> None:
    """The place at a glance: the map, what the explorer shows, each neighbourhood's findings."""
    widgets.page("{place} at a glance", "🏠")
    place = state.place()
    st.title(f"{place.name} neighbourhood health profiles")
    st.markdown(
        f"How {place.name}'s {place.summary()} compare with England: "
        "every figure with its confidence interval, counts pooled from wards or practices, and "
        "the comparison written out in words."
    )
    bench = widgets.benchmark()
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = state.figure(
            ("home_map",),
            lambda: maps.neighbourhood_map(
                maps.subset(
                    state.boundary(place.ward_set(place.current_ward_set).neighbourhood_layer),
                    [n.code for n in place.neighbourhoods],
                ),
                state.practices(),
            ),
        )
        widgets.map_chart(fig, "home_map", config={"displayModeBar": False})
        st.caption(widgets.ATTRIBUTION)
    with right:
        st.header("What the explorer shows")
        st.markdown(
            "- **Area profile**: a spine chart and a written summary for a neighbourhood, PCN "
            "or ward.\n"
            "- **Compare areas**: one indicator across areas, with confidence intervals.\n"
            "- **Map**: any indicator by ward, neighbourhood or small area.\n"
            "- **PCNs**: practices, list sizes and the neighbourhoods they serve.\n"
            "- **Definitions and data**: what each indicator means, and CSV downloads."
        )
        widgets.comparison_key()

    st.header(f"The neighbourhoods compared with {widgets.benchmark_phrase(bench)}")
    cols = st.columns(len(place.neighbourhoods))
    for col, nbh in zip(cols, place.neighbourhoods, strict=True):
        profile = state.area_profile(nbh.code, bench)
        pop = profile.loc[profile["indicator_id"] == "population", "value"]
        with col, st.container(border=True):
            st.subheader(nbh.name)
            if not pop.empty and pop.notna().all():
                st.metric("Residents (mid-2024)", f"{pop.iloc[0]:,.0f}")
            findings = state.headline_findings(nbh.code, bench, 4)
            if findings:
                st.markdown("\n".join(f"- {s}" for s in findings))
            else:
                st.markdown("No significant differences from the benchmark.")
            large = state.untested_gaps(nbh.code, bench, True)
            if not large.empty:
                st.markdown("**Large gaps, not tested for significance**")
                st.markdown("\n".join(f"- {s}" for s in large["sentence"].head(3)))
            st.page_link(
                "pages/1_Area_profile.py",
                label=f"Open the {nbh.name} profile",
                query_params={"area": nbh.code},
                icon=":material/arrow_forward:",
            )
    widgets.footer()


def _page(script: str, title: str, icon: str) -> st.Page:
    """A page script in pages/ under its old URL path (the file name without its number)."""
    return st.Page(f"pages/{script}.py", title=title, icon=icon, url_path=script.split("_", 1)[1])


NAVIGATION = {
    "": [st.Page(home, title="Home", icon=":material/home:", default=True)],
    "Places": [
        _page("1_Area_profile", "Area profile", ":material/assignment:"),
        _page("11_Population", "Population", ":material/groups:"),
        _page("13_Postcode_search", "Postcode search", ":material/search:"),
        _page("7_Build_your_own", "Build your own area", ":material/edit_location_alt:"),
    ],
    "Compare": [
        _page("2_Compare_areas", "Compare areas", ":material/bar_chart:"),
        _page("8_Overview", "Overview", ":material/grid_on:"),
        _page("3_Map", "Map", ":material/map:"),
        _page("9_Trends", "Trends", ":material/trending_up:"),
        _page("10_Compare_indicators", "Compare two indicators", ":material/scatter_plot:"),
        _page("12_Inequalities", "Inequalities", ":material/balance:"),
        _page("6_Where_to_act", "Where to act", ":material/flag:"),
    ],
    "GP networks": [
        _page("4_PCNs", "Primary Care Networks", ":material/stethoscope:"),
        _page("14_PCNs_in_England", "PCNs in England", ":material/public:"),
    ],
    "About the data": [
        _page("5_Definitions_and_data", "Definitions and data", ":material/menu_book:"),
    ],
}
# The favicon before the navigation: otherwise the browser first shows the page's material
# icon as the favicon, which Streamlit fetches from Google's font servers.
st.set_page_config(page_icon=str(widgets.FAVICON))
st.navigation(NAVIGATION, expanded=True).run()
