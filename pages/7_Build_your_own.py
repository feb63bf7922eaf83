"""Build your own neighbourhood: pool any set of wards and profile it against the benchmark.

The selection lives in the URL as `?wards=E05000825,E05000829` (one ward vintage).
"""

import streamlit as st

from jsna.app import custom, narrative, tables
from jsna.app.ui import state, url, widgets
from jsna.app.ui.working_picker import working_panel
from jsna.core import model as profiles  # count_words (the runtime model, not the TOML loader)

widgets.page("Build your own area", "🧩")
place = state.place()
bench = widgets.benchmark()
wards = state.place_areas("ward")
names = dict(zip(wards["area_code"], wards["area_name"], strict=True))

# First run of a session: read the URL once, warn about codes that were ignored.
if "wards" not in st.session_state:
    parsed = custom.parse_wards(url.get("wards"), wards, place.ward_set_names)
    st.session_state["wards"] = list(parsed.codes)
    st.session_state["ward_vintage"] = parsed.vintage
    st.session_state["ward_warnings"] = list(parsed.warnings)
for message in st.session_state.pop("ward_warnings", []):
    st.warning(message, icon=":material/warning:")


def _clear() -> None:
    st.session_state["wards"] = []


def _start_from(codes: tuple[str, ...]) -> None:
    st.session_state["wards"] = list(codes)


def _map_clicked() -> None:
    event = st.session_state.get("ward_map")
    points = event.selection.points if event is not None else []
    clicked = custom.selected_locations(points)
    if clicked:
        st.session_state["wards"] = custom.toggle_wards(st.session_state["wards"], clicked)


st.title("Build your own area")
st.caption(
    "Choose any set of wards: their counts and denominators are added together and every "
    "indicator that can be pooled is recomputed exactly as for the "
    f"{profiles.count_words(len(place.neighbourhoods))} neighbourhoods, with "
    "95% and 99.8% confidence intervals and the comparison with "
    f"{widgets.benchmark_phrase(bench)}."
)
vintages = place.ward_set_names
vintage = st.radio(
    "Ward boundaries",
    list(vintages),
    format_func=lambda v: vintages[v][0].upper() + vintages[v][1:],
    key="ward_vintage",
    horizontal=True,
    on_change=_clear,
    help="; ".join(f"{w.name}: {w.note}" for w in place.ward_sets) + ".",
)
options = list(wards.loc[wards["vintage"] == vintage, "area_code"])
st.session_state["wards"] = [c for c in st.session_state["wards"] if c in options]
st.multiselect(
    "Wards",
    options,
    key="wards",
    format_func=lambda c: f"{names.get(c, c)} ({c})",
    placeholder="Choose wards, or click them on the map",
)
cols = st.columns(len(place.neighbourhoods) + 1)
for col, n in zip(cols, place.neighbourhoods, strict=False):
    codes = n.wards[vintage]
    col.button(
        f"Start from {n.name}",
        key=f"start_{n.code}",
        on_click=_start_from,
        args=(codes,),
        width="stretch",
    )
cols[-1].button("Clear", key="clear_wards", on_click=_clear, width="stretch")

chosen = tuple(st.session_state["wards"])
url.put("wards", ",".join(chosen) or None)

layer = place.ward_set(vintage).layer
map_title = "Click a ward to add or remove it<br>(or use box or lasso select)"
widgets.map_chart(
    state.figure(
        ("ward_selection", vintage, chosen),
        custom.ward_selection_map,
        state.boundary(layer),
        wards,
        chosen,
        map_title,
    ),
    "ward_map",
    on_select=_map_clicked,
    selection_mode=("points", "box", "lasso"),
)

if not chosen:
    st.info(
        "**No wards chosen yet.** Pick wards in the box above, click them on the map, or "
        "start from a neighbourhood and add or remove wards. The link in your address bar "
        "keeps your choice, so you can share it.",
        icon=":material/touch_app:",
    )
    widgets.footer()
    st.stop()

result = state.custom_profile(chosen, vintage, bench)
rows, unavailable = result.rows, result.unavailable
st.header(custom.area_name(chosen, names))
st.caption(f"{len(chosen)} {vintages[vintage]}: " + ", ".join(names[c] for c in chosen))
same = [n.name for n in place.neighbourhoods if set(chosen) == set(n.wards[vintage])]
if same:
    st.success(
        f"These are exactly the wards of {same[0]}: the figures match its Area profile.",
        icon=":material/check_circle:",
    )

st.subheader("In words")
custom_key = (chosen, vintage, bench)
sentences = state.remember(("custom_summary", *custom_key), narrative.summary, rows)
st.markdown("\n".join(f"- {s}" for s in sentences) if sentences else "Nothing to report.")

st.subheader("Indicators")
st.dataframe(
    state.remember(("custom_table", *custom_key), tables.profile_table, rows, place.name),
    hide_index=True,
    key="custom_table",
)
working_panel(rows, state.indicators(), by="indicator")
widgets.download(
    custom.download_frame(result, chosen),
    "Download this area (CSV)",
    "custom_area.csv",
    key="dl_custom",
)

if not unavailable.empty:
    st.subheader("Not available for a custom area")
    st.caption("These indicators cannot be pooled from ward counts, for the reason given.")
    st.dataframe(
        unavailable.drop(columns="indicator_id").rename(
            columns={
                "indicator_name": "Indicator",
                "domain": "Domain",
                "period": "Period",
                "reason": "Why not",
            }
        ),
        hide_index=True,
        key="unavailable_table",
    )
widgets.footer()
