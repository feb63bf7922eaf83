"""PCNs: each Primary Care Network with its practices, list sizes and profile.

Also which neighbourhoods its practices sit in.
"""

import pandas as pd
import streamlit as st

from jsna import charts, narrative, tables
from jsna.ui import state, widgets

widgets.page("Primary Care Networks", "🩺")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
practices = state.practices()
st.title("Primary Care Networks")
pcn_map, registered = state.source_period("pcn_lookup"), state.source_period("registrations")
st.caption(
    f"NHS England practice-to-PCN mapping ({pcn_map})"
    + (f"; registered patients on {registered}" if registered else "")
    + ". A practice's neighbourhood is where its main site is."
)
overview = (
    practices.groupby(["pcn_code", "pcn_name"], sort=False)
    .agg(
        practices=("practice_code", "count"),
        patients=("registered_patients", "sum"),
        sites=(
            "neighbourhood_name",
            lambda s: ", ".join(f"{n} ({c})" for n, c in s.value_counts().items()),
        ),
    )
    .reset_index()
)
nbh_names = {n.code: n.name for n in place.neighbourhoods}
overview["serves"] = overview["pcn_code"].map(
    {p.code: ", ".join(nbh_names[s] for s in p.serves) for p in place.pcns}
)
st.dataframe(
    overview.rename(
        columns={
            "pcn_code": "PCN code",
            "pcn_name": "PCN",
            "practices": "Practices",
            "patients": "Registered patients",
            "sites": "Practice sites by neighbourhood",
            "serves": "Neighbourhood it serves",
        }
    ),
    hide_index=True,
    key="pcn_overview",
)

pcn = widgets.url_select(
    "PCN",
    [p.code for p in place.pcns],
    key="pcn",
    format_func=lambda c: next(p.name for p in place.pcns if p.code == c),
)
name = next(p.name for p in place.pcns if p.code == pcn)
st.header(f"{name} PCN")
members = practices[practices["pcn_code"] == pcn]
left, right = st.columns([1, 1], gap="medium")
with left:
    st.subheader("Practices")
    st.dataframe(
        members[
            ["practice_code", "practice_name", "registered_patients", "neighbourhood_name"]
        ].rename(
            columns={
                "practice_code": "Code",
                "practice_name": "Practice",
                "registered_patients": "Patients",
                "neighbourhood_name": "Site in",
            }
        ),
        hide_index=True,
        key="pcn_practices",
    )
    outside = members[
        ~members["neighbourhood_code"].isin(next(p.serves for p in place.pcns if p.code == pcn))
    ]
    for r in outside.itertuples():
        st.info(
            f"{r.practice_name} is sited in {r.neighbourhood_name}, outside the "
            "neighbourhood this PCN serves."
        )
with right:
    st.subheader(f"How it compares with {widgets.benchmark_phrase(bench)}")
    profile = state.area_profile(pcn, bench)
    findings = state.remember(
        ("pcn_summary", pcn, bench),
        lambda: narrative.summary(profile[profile["comparison"] != "not compared"]),
    )
    st.markdown("\n".join(f"- {s}" for s in findings) or "No compared indicators.")
    st.page_link(
        "pages/1_Area_profile.py",
        label=f"Full {name} profile with spine chart",
        query_params={"area": pcn},
        icon=":material/arrow_forward:",
    )
st.dataframe(
    state.remember(("pcn_table", pcn, bench), tables.profile_table, profile, place.name),
    hide_index=True,
    key="pcn_profile",
)
st.plotly_chart(
    state.figure(
        ("pcn_sizes", scheme),
        lambda: charts.compare_bars(
            state.place_values("registered_patients", "pcn"),
            f"Registered patients by PCN, {registered}".rstrip(", "),
            scheme,
        ),
    ),
    key="pcn_sizes",
)
bench = pd.concat([state.area_profile(place.code), state.area_profile(place.england_code)])
widgets.download(
    pd.concat([profile, bench[bench["indicator_id"].isin(profile["indicator_id"])]]),
    "Download this PCN's profile (CSV)",
    "pcn_profile",
    key="dl_pcn",
    area=pcn,
)
widgets.footer()
