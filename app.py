"""Home: Trafford at a glance.

The four neighbourhoods and their GP practices, and how each compares with England in
plain words.
"""

import streamlit as st

from jsna import charts, narrative
from jsna.ui import state, widgets

place = state.place()
widgets.page(f"{place.name} at a glance", "🏠")
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
        lambda: charts.neighbourhood_map(state.boundary("neighbourhood_2023"), state.practices()),
    )
    st.plotly_chart(fig, key="home_map", config={"displayModeBar": False})
    st.caption(widgets.ATTRIBUTION)
with right:
    st.subheader("What the explorer shows")
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
        findings = narrative.headline_findings(profile, limit=4)
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
