"""The explorer's entry point: the navigation, and Home, the front door.

`st.navigation` knows every page but draws nothing (`position="hidden"`): the sidebar lists
the pages itself, as `st.page_link`s grouped by the question each answers, because
Streamlit's own sectioned list puts `<div>`s between its `<ul>` and `<li>`s and fails axe's
`list` and `listitem` rules (issue 19). The page scripts stay in `pages/` and each sets up its
own frame (`widgets.page`, the sidebar pickers), so a page behaves the same whether Streamlit
reaches it through this router or runs it on its own (AppTest, first request). Every URL
keeps its old path (`/Area_profile?area=…`).

Home starts from a postcode, a neighbourhood or a PCN, shows each neighbourhood's findings in
plain words, and lists every page with what it answers.
"""

import streamlit as st

from jsna.app import maps, postcode
from jsna.app.ui import state, widgets


def _page(script: str, title: str, icon: str) -> st.Page:
    """A page script in pages/ under its old URL path (the file name without its number)."""
    return st.Page(f"pages/{script}.py", title=title, icon=icon, url_path=script.split("_", 1)[1])


POSTCODE = _page("13_Postcode_search", "Postcode search", ":material/search:")
PROFILE = _page("1_Area_profile", "Area profile", ":material/assignment:")

# (question, [(page, what it answers in one line)]): the sidebar and Home's list of pages.
SECTIONS: list[tuple[str, list[tuple[st.Page, str]]]] = [
    (
        "Where are we?",
        [
            (POSTCODE, "A postcode's ward, neighbourhood and GP network, and their main issues."),
            (PROFILE, "One neighbourhood, PCN or ward against England, in plain words."),
            (
                _page("11_Population", "Population", ":material/groups:"),
                "Who lives there: ages and sexes against England's.",
            ),
            (
                _page("4_PCNs", "Primary Care Networks", ":material/stethoscope:"),
                "Each GP network's practices, list sizes and the neighbourhoods it serves.",
            ),
            (
                _page("7_Build_your_own", "Build your own area", ":material/edit_location_alt:"),
                "Pick any wards and see them profiled together.",
            ),
        ],
    ),
    (
        "How do we compare?",
        [
            (
                _page("2_Compare_areas", "Compare areas", ":material/bar_chart:"),
                "One indicator across wards, neighbourhoods, PCNs or practices.",
            ),
            (
                _page("3_Map", "Map", ":material/map:"),
                "Any indicator on a map, by ward, neighbourhood or small area.",
            ),
            (
                _page("8_Overview", "Overview", ":material/grid_on:"),
                "Every indicator for every area on one grid of colours.",
            ),
            (
                _page("9_Trends", "Trends", ":material/trending_up:"),
                "How an indicator has changed over the years.",
            ),
            (
                _page("10_Compare_indicators", "Compare two indicators", ":material/scatter_plot:"),
                "Whether two indicators rise and fall together across areas.",
            ),
            (
                _page("14_PCNs_in_England", "PCNs in England", ":material/public:"),
                "Our GP networks among every PCN in England, and the ones most like ours.",
            ),
        ],
    ),
    (
        "Where should we act?",
        [
            (
                _page("6_Where_to_act", "Where to act", ":material/flag:"),
                "The gaps to England that affect the most people, and where they are worst.",
            ),
            (
                _page("12_Inequalities", "Inequalities", ":material/balance:"),
                "How health differs between more and less deprived areas.",
            ),
        ],
    ),
    (
        "What's behind the numbers?",
        [
            (
                _page("5_Definitions_and_data", "Definitions and data", ":material/menu_book:"),
                "What each indicator means, where it comes from, and CSV downloads.",
            ),
        ],
    ),
]


def home() -> None:
    """The front door: where to start, each neighbourhood's findings, and every page."""
    widgets.page("{place} at a glance", "🏠")
    place = state.place()
    st.title(f"{place.name} neighbourhood health profiles")
    st.markdown(
        f"How {place.name}'s {place.summary()} compare with England, in plain words. "
        "Start from a postcode, a neighbourhood or a GP network."
    )
    bench = widgets.benchmark()
    start_from(bench)

    st.header("How each neighbourhood compares")
    st.caption(
        f"Differences from {widgets.benchmark_phrase(bench)} that are statistically "
        "significant, worse first; each line names what it is compared with."
    )
    cols = st.columns(len(place.neighbourhoods))
    for col, nbh in zip(cols, place.neighbourhoods, strict=True):
        profile = state.area_profile(nbh.code, bench)
        pop = profile.loc[profile["indicator_id"] == "population", "value"]
        with col, st.container(border=True, key=f"card_{nbh.code}"):
            st.subheader(nbh.name)
            if not pop.empty and pop.notna().all():
                st.caption(f"{pop.iloc[0]:,.0f} residents (mid-2024)")
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
                PROFILE,
                label=f"Open the {nbh.name} profile",
                query_params={"area": nbh.code, "benchmark": bench, "scope": "local"},
                icon=":material/arrow_forward:",
            )
    widgets.comparison_key()

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.header("Every page, by the question it answers")
        for question, pages in SECTIONS:
            st.subheader(question)
            for pg, line in pages:
                st.page_link(pg, label=f"**{pg.title}**: {line}", icon=pg.icon)
    with right:
        st.header(f"{place.name}'s neighbourhoods and GP practices")
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
    widgets.footer()


def start_from(bench: str) -> None:
    """Three ways in: a postcode (answered on the postcode page), a neighbourhood, a PCN."""
    p = state.place()
    box, nbhs, pcns = st.columns([2, 3, 3], gap="medium")
    with box, st.form("home_postcode", border=False, enter_to_submit=True):
        typed = st.text_input(f"Your {p.name} postcode", placeholder="e.g. M33 7XW")
        if st.form_submit_button("Find my area", icon=":material/search:") and typed.strip():
            # As the postcode page writes it back, so Back from there returns here.
            found = postcode.normalise(typed) or typed.strip()
            st.switch_page(POSTCODE, query_params={"postcode": found, "benchmark": bench})
    with nbhs:
        st.markdown("**Or open a neighbourhood**")
        widgets.link_row(
            PROFILE,
            [(n.name, n.code) for n in p.neighbourhoods],
            "nbh",
            bench,
            ":material/location_on:",
        )
    with pcns:
        st.markdown("**Or a GP network (PCN)**")
        widgets.link_row(
            PROFILE, [(n.name, n.code) for n in p.pcns], "pcn", bench, ":material/stethoscope:"
        )


# The favicon before the navigation: otherwise the browser first shows the page's material
# icon as the favicon, which Streamlit fetches from Google's font servers.
st.set_page_config(page_icon=str(widgets.FAVICON))
HOME = st.Page(home, title="Home", icon=":material/home:", default=True)
current = st.navigation(
    [HOME, *(pg for _, pages in SECTIONS for pg, _ in pages)], position="hidden"
)
widgets.navigation([("", [HOME]), *((q, [pg for pg, _ in pages]) for q, pages in SECTIONS)])
current.run()
