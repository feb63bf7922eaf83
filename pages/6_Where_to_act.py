"""Where to act: the gaps to England that affect the most people, and the worst neighbourhood.

For a neighbourhood or PCN, the indicators significantly worse than England ranked by how
many more people (or events) there are than England's rate would give; then, per indicator,
which neighbourhood is worst in Trafford.
"""

import streamlit as st

from jsna import insight
from jsna.ui import state, widgets

widgets.page("Where to act", "🎯")
place = state.place()
scheme = widgets.colour_scheme()
options = [*state.areas("neighbourhood")["area_code"], *state.areas("pcn")["area_code"]]
code = widgets.url_select(
    "Area",
    options,
    key="area",
    format_func=widgets.area_label,
    default=place.neighbourhoods[0].code,
)
name = state.all_areas().set_index("area_code").at[code, "area_name"]
profile = state.area_profile(code)

st.title(f"Where to act: {widgets.area_label(code)}")
st.caption(
    "Indicators significantly worse than England (95% confidence), ranked by the gap in "
    "people or events: the observed count minus the count England's rate would give "
    "(denominator × England value). The interval comes from the count's own confidence "
    "limits (Wilson for proportions, Poisson for rates), treating England's value as fixed."
)

gaps = insight.triage(profile, "England")
st.header("Significantly worse than England, largest gap first")
if gaps.ranked.empty:
    st.info(f"No indicator in {name} is significantly worse than England with a count to size.")
else:
    st.markdown("\n".join(f"- {s}" for s in insight.triage_sentences(profile, None)))
    st.plotly_chart(
        insight.excess_chart(gaps.ranked, f"{name}: the gap to England", scheme),
        key="triage_chart",
    )
    st.dataframe(insight.triage_table(gaps.ranked), hide_index=True, key="triage_table")
    widgets.download(
        gaps.ranked, "Download this ranking (CSV)", f"trafford_where_to_act_{code}.csv", "dl_triage"
    )
if not gaps.unsized.empty:
    st.subheader("Significantly worse but no count to size the gap")
    st.dataframe(insight.unsized_table(gaps.unsized), hide_index=True, key="unsized_table")

local = insight.triage(profile, "Trafford")
if not local.ranked.empty:
    st.header("Where England has no figure: significantly worse than Trafford")
    st.caption(
        "These indicators have no England value in the data, so they are compared with "
        "Trafford as a whole; the gap is against Trafford's rate, not England's."
    )
    st.markdown("\n".join(f"- {s}" for s in insight.triage_sentences(profile, None, ("Trafford",))))
    st.plotly_chart(
        insight.excess_chart(local.ranked, f"{name}: the gap to Trafford", scheme),
        key="triage_chart_trafford",
    )
    st.dataframe(insight.triage_table(local.ranked), hide_index=True, key="triage_table_trafford")

st.header("Worst neighbourhood for each indicator")
st.caption(
    "For each indicator with neighbourhood values and a judgement of good or bad, the "
    "neighbourhood with the worst value (highest where low is good, lowest where high is "
    "good), and whether it is significantly worse than England. Estimates have no interval, "
    "so they are not compared."
)
worst = insight.worst_areas(state.triage_area_values("neighbourhood"))
st.dataframe(insight.worst_table(worst), hide_index=True, height="content", key="worst_table")
widgets.footer()
