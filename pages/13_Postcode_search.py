"""Postcode search: a postcode's ward, neighbourhood, nearest practices and PCN."""

import pandas as pd
import streamlit as st

from jsna.app import narrative, postcode
from jsna.app.ui import files, state, topics, url, widgets

widgets.page("Postcode search", "🔎")
place = state.place()
widgets.colour_scheme()
bench = widgets.benchmark()
st.title("Find your area")

raw = url.get("postcode") or ""
# The URL wins when it changed, or when the box's state was dropped (Streamlit forgets a
# widget's value once another page has run): Back from a profile shows this search again.
if url.changed("postcode") or "postcode_box" not in st.session_state:
    st.session_state["postcode_box"] = raw
    url.mark_seen("postcode")
typed = st.text_input(
    f"{place.name} postcode",
    key="postcode_box",
    placeholder="e.g. M33 7XW",
    help="Any spacing or case is fine.",
)
if not typed.strip():
    url.put("postcode", None)
    st.caption("Type a postcode and press Enter.")
    widgets.footer()
    st.stop()

pc = postcode.normalise(typed)
found = topics.postcode(postcode.key(pc)) if pc else pd.DataFrame()
if found.empty:
    # Plain text: what the user typed is never rendered as Markdown.
    st.text(
        f"That is not a {place.name} postcode we know. Check it, or try another one in "
        f"{place.name}."
    )
    widgets.footer()
    st.stop()

row = found.iloc[0]
url.put("postcode", str(row["postcode"]))
practices = state.practices()
near = postcode.nearest_practices(practices, float(row["lon"]), float(row["lat"]), n=5)
nbh_code, nbh_name = str(row["neighbourhood_code"]), str(row["neighbourhood_name"])
# The GP networks serving the neighbourhood, and that of the nearest practice if another.
pcns = [(p.code, p.name) for p in place.pcns if nbh_code in p.serves]
nearest_pcn = (str(near.loc[0, "pcn_code"]), str(near.loc[0, "pcn_name"]))
if nearest_pcn[0] not in {c for c, _ in pcns}:
    pcns.append(nearest_pcn)
ward_set = place.ward_set(place.current_ward_set)
SIGNIFICANT = [c.value for c in narrative.SIGNIFICANT]
NONE_SIGNIFICANT = "No figure differs significantly from the benchmark."
# Each area's box is tight (a phone shows all three on its first screen); its second finding
# is for wider screens only, and is in the profile the box links to.
st.html(
    "<style>[class*='st-key-pc_box_'] { padding: 0.75rem; gap: 0.5rem; }\n"
    "@media (max-width: 640px) { [class*='st-key-pc_more_'] { display: none; } }</style>"
)


def area_box(kind: str, name: str, code: str, lines: list[str], link: bool = True) -> None:
    """One area: its name, its main issues (or why there are none), a link to its profile."""
    with st.container(border=True, key=f"pc_box_{code}"):
        st.markdown(f"**{kind}: {name}**")
        st.markdown(lines[0])
        if len(lines) > 1:
            with st.container(key=f"pc_more_{code}"):
                st.markdown(f"Also: {lines[1]}")
        if link:
            st.page_link(
                "pages/1_Area_profile.py",
                label=f"Open the {name} profile",
                # Every parameter the profile settles on, so opening it adds one entry to
                # the browser's history and Back returns here, to this search.
                query_params={"area": code, "benchmark": bench, "scope": "local"},
                icon=":material/arrow_forward:",
            )


st.markdown(f"**{row['postcode']}** is in these areas, each with its main issue:")
ward_code, ward_name = str(row["ward_code"]), str(row["ward_name"])
ward_rows = state.area_profile(ward_code, bench)
ward_findings = state.headline_findings(ward_code, bench, 2)
compared = int(ward_rows["comparison"].isin(["similar", *SIGNIFICANT]).sum())
boxes = st.columns(2 + len(pcns))
with boxes[0]:
    if ward_findings:
        area_box("Ward", ward_name, ward_code, ward_findings)
    elif compared:
        area_box("Ward", ward_name, ward_code, [NONE_SIGNIFICANT])
    else:
        # Next to no figures: say so (no data is not "no difference"), and send the reader
        # where the findings are rather than to a profile with nothing in it.
        residents = ward_rows.loc[ward_rows["indicator_id"] == "population", "value"].dropna()
        counted = f"{residents.iloc[0]:,.0f} residents. " if not residents.empty else ""
        area_box(
            "Ward",
            ward_name,
            ward_code,
            [
                f"{counted}Too little is published for wards this new to show main issues: "
                f"see {nbh_name}."
            ],
            link=False,
        )
with boxes[1]:
    area_box(
        "Neighbourhood",
        nbh_name,
        nbh_code,
        state.headline_findings(nbh_code, bench, 2) or [NONE_SIGNIFICANT],
    )
for box, (code, name) in zip(boxes[2:], pcns, strict=True):
    nearest = " (nearest practice)" if (code, name) == nearest_pcn and len(pcns) > 1 else ""
    with box:
        area_box(
            "GP network" + nearest,
            name,
            code,
            state.headline_findings(code, bench, 2) or [NONE_SIGNIFICANT],
        )
st.caption(
    f"Main issues are statistically significant differences from "
    f"{widgets.benchmark_phrase(bench)}, worse first. The ward is on the {ward_set.name}. "
    "GP networks have no boundaries: anyone may register with any practice that covers their "
    "address, so these are the networks serving the neighbourhood and that of the nearest "
    "practice."
)
st.header("Nearest GP practices")
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
st.dataframe(
    table,
    hide_index=True,
    key="nearest",
    column_config={"Registered patients": st.column_config.NumberColumn(format="localized")},
)
widgets.download(
    table.assign(**{"Searched postcode": str(row["postcode"])}),
    "Download this table (CSV)",
    f"from_postcode_{postcode.key(str(row['postcode']))}",
    "dl_nearest",
    indicator="Nearest GP practices",
    period=files.indicator("registered_patients")[1],
)
widgets.footer()
