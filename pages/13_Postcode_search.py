"""Postcode search: a postcode's ward, neighbourhood, nearest practices and PCN."""

import pandas as pd
import streamlit as st

from jsna import postcode
from jsna.ui import files, state, widgets

widgets.page("Postcode search", "🔎")
place = state.place()
widgets.colour_scheme()
bench = widgets.benchmark()
st.title("Find your area by postcode")

raw = st.query_params.get("postcode", "")
if st.session_state.get("_url_postcode") != raw:
    st.session_state["postcode_box"] = raw
    st.session_state["_url_postcode"] = raw
typed = st.text_input(
    f"{place.name} postcode",
    key="postcode_box",
    placeholder="e.g. M33 7XW",
    help="Any spacing or case is fine.",
)
if not typed.strip():
    if "postcode" in st.query_params:
        del st.query_params["postcode"]
    st.caption("Type a postcode and press Enter.")
    widgets.footer()
    st.stop()

pc = postcode.normalise(typed)
found = state.postcode(postcode.key(pc)) if pc else pd.DataFrame()
if found.empty:
    # Plain text: what the user typed is never rendered as Markdown.
    st.text(
        f"That is not a {place.name} postcode we know. Check it, or try another one in "
        f"{place.name}."
    )
    widgets.footer()
    st.stop()

row = found.iloc[0]
st.query_params["postcode"] = str(row["postcode"])
st.session_state["_url_postcode"] = str(row["postcode"])
practices = state.practices()
near = postcode.nearest_practices(practices, float(row["lon"]), float(row["lat"]), n=5)
pcn_code, pcn_name = str(near.loc[0, "pcn_code"]), str(near.loc[0, "pcn_name"])

st.header(str(row["postcode"]))
c1, c2, c3 = st.columns(3)
with c1:
    st.metric("Ward (from May 2023)", str(row["ward_name"]))
    st.page_link(
        "pages/1_Area_profile.py",
        label=f"{row['ward_name']} ward profile",
        query_params={"area": str(row["ward_code"]), "benchmark": bench},
        icon=":material/arrow_forward:",
    )
with c2:
    st.metric("Neighbourhood", str(row["neighbourhood_name"]))
    st.page_link(
        "pages/1_Area_profile.py",
        label=f"{row['neighbourhood_name']} neighbourhood profile",
        query_params={"area": str(row["neighbourhood_code"]), "benchmark": bench},
        icon=":material/arrow_forward:",
    )
with c3:
    st.metric("PCN of the nearest practice", pcn_name)
    st.page_link(
        "pages/1_Area_profile.py",
        label=f"{pcn_name} PCN profile",
        query_params={"area": pcn_code, "benchmark": bench},
        icon=":material/arrow_forward:",
    )
st.caption(
    "PCNs have no boundaries: anyone may register with any practice that covers their "
    "address, so the PCN shown is that of the nearest practice site, not an assignment. "
    f"LSOA (2021): {row['lsoa_code']}."
)
st.subheader("Nearest GP practices")
st.caption("Straight-line distance from the postcode's centre to each practice's main site.")
table = pd.DataFrame(
    {
        "Practice": near["practice_name"],
        "Practice code": near["practice_code"],
        "PCN": near["pcn_name"],
        "Postcode": near["postcode"],
        "Distance (km)": near["distance_km"].round(2),
        "Registered patients": near["registered_patients"],
    }
)
st.dataframe(table, hide_index=True, key="nearest")
widgets.download(
    table.assign(**{"Searched postcode": str(row["postcode"])}),
    "Download this table (CSV)",
    f"from_postcode_{postcode.key(str(row['postcode']))}",
    "dl_nearest",
    indicator="Nearest GP practices",
    period=files.indicator("registered_patients")[1],
)
widgets.footer()
