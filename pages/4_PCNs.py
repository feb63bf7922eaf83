"""PCNs: each Primary Care Network against the PCNs most like it, its practices and profile.

First (journey 3, "How does our PCN compare with similar PCNs?"): every GP register for the
chosen PCN beside the median of the 10 English PCNs most like it and its place among them,
with a small chart. Then its practices, which neighbourhoods they sit in, and its profile.
"""

import pandas as pd
import streamlit as st

from jsna.app import charts, narrative, pcn_peers, tables
from jsna.app.ui import national_queries as national
from jsna.app.ui import nhs, state, widgets
from jsna.app.views import peers

widgets.page("Primary Care Networks", "🩺")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
practices = state.practices()
st.title("Primary Care Networks")
names = {p.code: p.name for p in place.pcns}
pcn = widgets.url_select("PCN", list(names), key="pcn", format_func=names.__getitem__)
name = names[pcn]


def peer_comparison(code: str) -> tuple[pd.DataFrame, int]:
    """Every register for our PCN and the PCNs most like it (by list size, age, deprivation)."""
    # A place built without the national QOF tables has no English PCNs to compare with.
    pcns = national.national_pcn_values(nhs.default_register()) if nhs.registers() else None
    if pcns is None or pcns.empty or code not in set(pcns["area_code"]):
        return pd.DataFrame(), 0
    similar = pcn_peers.similar_pcns(pcns, code, pcn_peers.SIMILAR_COUNT)
    if similar.empty:
        return pd.DataFrame(), 0
    codes = tuple(similar["area_code"])
    values = national.national_peer_values((code, *codes))
    return pcn_peers.peer_comparison(values, code, codes), len(codes)


comparison, n_peers = state.remember(("pcn_peers", pcn), peer_comparison, pcn)
if n_peers:
    rows = peers.peer_rows(comparison)
    st.header(f"{name} against the {n_peers} PCNs in England most like it")
    st.caption(
        f"Recorded prevalence on each GP register, QOF {state.source_period('qof')}: ours, "
        "the median of the "
        f"{n_peers} PCNs nearest in list size, age (65+) and deprivation, and our place among "
        "us all (1 = highest). Registers furthest from the peers' median come first."
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.table(peers.peer_answer_table(rows), hide_index=True)
    with right:
        st.plotly_chart(
            state.figure(
                ("pcn_peer_gaps", pcn),
                lambda: peers.peer_gap_figure(rows, f"{name}: ours against the peers' median"),
            ),
            key="pcn_peer_gaps",
        )
    st.page_link(
        "pages/14_PCNs_in_England.py",
        label="Who the peers are, and each register against them (PCNs in England)",
        query_params={"pcn": pcn},
        icon=":material/arrow_forward:",
    )
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
st.header("Every PCN")
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
st.header(name if name.upper().endswith(" PCN") else f"{name} PCN")
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
benchmarks = pd.concat([state.area_profile(place.code), state.area_profile(place.england_code)])
widgets.download(
    pd.concat([profile, benchmarks[benchmarks["indicator_id"].isin(profile["indicator_id"])]]),
    "Download this PCN's profile (CSV)",
    "pcn_profile",
    key="dl_pcn",
    area=pcn,
)
widgets.footer()
