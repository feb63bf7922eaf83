"""Area profile: a neighbourhood, PCN or ward against its benchmark.

Or any English practice, PCN, sub-ICB, ICB or region (QOF registers only), chosen with the
hierarchical pickers or linked by code (``?area=U87499``).

A spine chart, a table and plain words.
"""

import html

import pandas as pd
import streamlit as st

from jsna.app import charts, narrative, populations, tables
from jsna.app.ui import nhs, nhs_views, reports, state, widgets
from jsna.app.ui.working_picker import working_panel

widgets.page("Area profile", "📋")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
local_types = ("neighbourhood", "pcn", "ward")
local_codes = [c for t in local_types for c in state.place_areas(t)["area_code"]]
if nhs.scope(local_codes) == "england":
    nhs_views.profile_view(nhs.area_picker(local_codes), scheme)
    widgets.footer()
    st.stop()
code = widgets.area_picker(local_types)
area = state.area(code)
area_type = str(area["area_type"])
profile = state.area_profile(code, bench)

st.title(widgets.area_label(code))
# What the page derives from the cached profile is remembered: a warm rerun does no pandas.
sel = (code, bench)
footprints = state.remember(("footprints", *sel), populations.footprints, profile)
if footprints:
    st.caption("Who these figures count: " + " · ".join(footprints) + ".")
if profile.empty:
    st.info("There is no data for this area yet.")
    st.stop()

# The answer first (issue 19): every significant difference, health first, each under a
# heading that names its benchmark.
noun = {"neighbourhood": "neighbourhood", "pcn": "PCN", "ward": "ward"}.get(area_type, "area")
scarce = state.remember(("little", *sel), narrative.little_data, profile, noun)
groups = state.remember(("plain", *sel), narrative.plain_findings, profile)
with st.container(key="in_plain_words"):
    if scarce:
        st.warning(scarce)
    for heading, lines in groups:
        # A level-2 heading (they follow the title), sized as a label so the answer fits
        # the first screen.
        st.markdown(
            f"<h2 style='font-size:1.2rem;padding:0.4rem 0 0'>{html.escape(heading)}</h2>",
            unsafe_allow_html=True,
        )
        st.markdown("\n".join(f"- {line}" for line in lines))
    if not groups and not scarce:
        st.markdown(f"No indicator differs significantly from {widgets.benchmark_phrase(bench)}.")
    rest = state.remember(("rest", *sel), narrative.rest_in_words, profile)
    registered = profile["population"].fillna("").str.startswith("Registered patients of")
    who = str(profile.loc[registered, "population"].iloc[0]) if registered.any() else ""
    st.caption(
        " ".join(
            part
            for part in (
                f"GP figures (registers, smoking, A&E) count the {who[:1].lower() + who[1:]}, "
                "wherever they live, not the residents."
                if who
                else "",
                "Each figure is the area's value vs the benchmark's, with the difference in "
                "per cent; (95%) and (99.8%) say how sure the difference is."
                if groups
                else "",
                rest,
            )
            if part
        )
    )
gap = state.remember(("gap", *sel), populations.footprint_gap, profile)
if gap:
    st.caption(gap)
st.caption(
    f"Each indicator compared with {widgets.benchmark_phrase(bench)} at 95% and 99.8% "
    "confidence. Neighbourhood and PCN values are pooled from ward or practice counts, never "
    "averaged rates, except indicators marked estimate."
)
widgets.brief_button(lambda: reports.area_brief(code, bench, scheme), reports.brief_file_name(code))

if area_type in ("neighbourhood", "pcn"):  # Where to act: the five largest gaps
    with st.container(border=True, key="where_to_act"):
        st.header("Where to act: the largest gaps")
        names = list(dict.fromkeys(b for b in profile["benchmark"].dropna() if b))
        lines = state.triage_lines(code, bench, 5)
        gaps = [sentence for _, sentence in lines]
        if lines and len(names) > 1 and lines[0][0] != names[0]:
            st.caption(
                f"Nothing here is significantly worse than {names[0]} with a count to size the "
                f"gap; these are against {names[1]}, for indicators with no {names[0]} figure."
            )
        st.markdown(
            "\n".join(f"- {s}" for s in gaps)
            or f"No indicator here is significantly worse than {widgets.benchmark_phrase(bench)} "
            "with a count to size the gap."
        )
        st.page_link(
            "pages/6_Where_to_act.py",
            label="Where to act: the full ranking, with intervals",
            query_params={"area": code, "benchmark": bench},
            icon=":material/arrow_forward:",
        )

# Estimates have no interval: listed once, as large gaps that are not tested.
large = state.untested_gaps(code, bench, False)
if not large.empty:
    st.header("Large gaps, not tested for significance")
    st.caption(
        "Values 10% or more from their reference that have no confidence interval "
        "(estimates from published ward figures), so they are not tested for significance."
    )
    st.markdown("\n".join(f"- {s}" for s in large["sentence"]))
with st.expander(f"All {len(profile)} indicators in words"):
    st.markdown("\n".join(f"- {s}" for s in state.summary_sentences(code, bench)))

st.header("Spine chart")
spread = state.indicator_spread(area_type)
label = widgets.area_type_words(area_type)
spine = state.figure(
    ("spine", code, bench, scheme), lambda: charts.spine_chart(profile, spread, scheme, label)
)
if spine.data:
    st.plotly_chart(spine, key="spine")
    widgets.comparison_key()
else:  # no bare axes: say why there is nothing to draw
    st.info(
        "No indicator for this area can be drawn on a spine chart: none has a value to set "
        f"against the spread of {label}."
    )

registered = profile["population"].fillna("").str.startswith("Registered patients of")
st.header("Indicators")
if registered.any():
    st.caption("Residents of the area. Registered patients' health is in the next section.")
st.dataframe(
    state.remember(
        ("profile_table", *sel), lambda: tables.profile_table(profile[~registered], place.name)
    ),
    hide_index=True,
    key="profile_table",
)
if registered.any():
    who = str(profile.loc[registered, "population"].iloc[0])
    st.header(f"Health of {who[:1].lower() + who[1:]}")
    st.caption(
        f"{who}: the practices of the PCN(s) that serve this neighbourhood, pooled from their "
        "counts. These are patients on GP lists, wherever they live, not the neighbourhood's "
        "residents. GP registers count recorded conditions, not everyone with them."
    )
    st.dataframe(
        state.remember(
            ("registered_table", *sel),
            lambda: tables.profile_table(profile[registered], place.name),
        ),
        hide_index=True,
        key="registered_table",
    )
working_panel(profile, state.indicators(), by="indicator")


def with_benchmarks() -> pd.DataFrame:
    """The profile's rows with the council's and England's for the same indicators (the CSV)."""
    rows = [state.area_profile(place.code, bench), state.area_profile(place.england_code, bench)]
    ours = profile["indicator_id"]
    return pd.concat([profile, *[r[r["indicator_id"].isin(ours)] for r in rows]], ignore_index=True)


view = state.remember(("profile_download", *sel), with_benchmarks)
widgets.download(
    view,
    f"Download this profile (CSV, with {place.name} and England)",
    "profile",
    key="dl_profile",
    area=code,
)

if area_type in ("neighbourhood", "pcn"):
    noun = "wards" if area_type == "neighbourhood" else "practices"
    st.header(f"Its {noun}")
    if area_type == "neighbourhood":
        st.caption(
            "Ward values as published or computed for each ward. " + widgets.ward_sets_sentence()
        )
    st.dataframe(state.member_table(code, bench), hide_index=True, key="members_table")

if area_type in ("neighbourhood", "pcn", "ward"):
    whole = state.area_profile(place.code, bench)
    la_only = whole[~whole["indicator_id"].isin(profile["indicator_id"])]
    if not la_only.empty:
        st.header(f"{place.name}-wide context")
        st.caption(
            f"These indicators are published for {place.name} as a whole only (OHID "
            f"Fingertips), so no figure exists for this {noun}. Comparisons are OHID's."
        )
        st.dataframe(
            state.remember(("la_table", *sel), tables.profile_table, la_only, place.name),
            hide_index=True,
            key="la_table",
        )
widgets.footer()
