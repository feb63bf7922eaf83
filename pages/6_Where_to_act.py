"""Where to act: the gaps to the benchmark that affect the most people, and the worst neighbourhood.

For a neighbourhood or PCN, the indicators significantly worse than the benchmark (England by
default) ranked by how many more people (or events) there are than the benchmark's rate would
give; then, per indicator, which neighbourhood is worst in the council.
"""

import streamlit as st

from jsna.app import insight
from jsna.app.ui import state, widgets

widgets.page("Where to act", "🎯")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
code = widgets.area_picker(("neighbourhood", "pcn"))
name = state.area(code)["area_name"]
profile = state.area_profile(code, bench)
# The benchmarks used, in order: England then the council (where England has no figure) for the
# default choice, otherwise just the one chosen.
names = list(dict.fromkeys(b for b in profile["benchmark"].dropna() if b))
primary = names[0] if names else place.england_name

st.title(f"Where to act: {widgets.area_label(code)}")
st.caption(
    f"Where {name} is clearly worse than {widgets.benchmark_phrase(bench)}, largest first by "
    "how many more people (or events) there are than the benchmark's rate would give."
)
with st.expander("How the gap is worked out"):
    st.markdown(
        "Indicators significantly worse than the benchmark at 95% confidence, ranked by the "
        "gap: the observed count minus the count the benchmark's rate would give "
        "(denominator × benchmark value). The gap's 95% interval comes from the count's own "
        "confidence limits (Wilson for proportions, Poisson for rates), treating the "
        "benchmark's value as fixed."
    )

for i, bench_name in enumerate(names):
    # Derived from the cached profile and remembered: a warm rerun does no pandas or plotly.
    gaps = state.remember(("triage", code, bench, bench_name), insight.triage, profile, bench_name)
    if i == 0:
        st.header(f"Significantly worse than {bench_name}, largest gap first")
    elif gaps.ranked.empty:
        continue
    else:
        st.header(f"Where {primary} has no figure: significantly worse than {bench_name}")
        st.caption(
            f"These indicators have no {primary} value in the data, so they are compared with "
            f"{bench_name}; the gap is against {bench_name}'s rate."
        )
    if gaps.ranked.empty:
        st.info(
            f"No indicator in {name} is significantly worse than {bench_name} with a count to "
            "size the gap."
        )
    else:
        sentences = state.remember(
            ("triage_sentences", code, bench, bench_name),
            insight.triage_sentences,
            profile,
            None,
            (bench_name,),
        )
        st.markdown("\n".join(f"- {s}" for s in sentences))
        st.plotly_chart(
            state.figure(
                ("excess", code, bench, bench_name, scheme),
                insight.excess_chart,
                gaps.ranked,
                f"{name}: the gap to {bench_name}",
                scheme,
            ),
            key=f"triage_chart_{i}",
        )
        st.dataframe(
            state.remember(
                ("triage_table", code, bench, bench_name),
                insight.triage_table,
                gaps.ranked,
            ),
            hide_index=True,
            key=f"triage_table_{i}",
        )
        widgets.download(
            gaps.ranked,
            "Download this ranking (CSV)",
            f"where_to_act_against_{bench_name}",
            f"dl_triage_{i}",
            area=code,
        )
    if not gaps.unsized.empty:
        st.subheader("Significantly worse but no count to size the gap")
        st.dataframe(insight.unsized_table(gaps.unsized), hide_index=True, key=f"unsized_{i}")

st.header("Large gaps, not tested for significance")
st.caption(
    "Values with no confidence interval (estimates pooled from published ward figures, and "
    "whole-population measures), 10% or more worse than England's value (or the council's "
    "where England has none), largest first. Without an interval they cannot be called "
    "significantly worse, but they are too large to ignore."
)
untested = state.untested_gaps(code, bench, True)
if untested.empty:
    st.info(f"No value without an interval in {name} is 10% or more worse than its reference.")
else:
    st.markdown("\n".join(f"- {s}" for s in untested["sentence"]))
    widgets.download(
        untested.drop(columns=["sentence"]),
        "Download these gaps (CSV)",
        "large_gaps_not_tested",
        "dl_untested",
        area=code,
    )

st.header("Worst neighbourhood for each indicator")
st.caption(
    "For each indicator with neighbourhood values and a judgement of good or bad, the "
    "neighbourhood with the worst value (highest where low is good, lowest where high is "
    f"good), and whether it is significantly worse than {primary}. Estimates have no interval, "
    "so they are not compared."
)
st.dataframe(
    state.remember(
        ("worst_table", bench, primary),
        lambda: insight.worst_table(
            insight.worst_areas(state.triage_area_values("neighbourhood", bench), primary),
            primary,
            place.name,
        ),
    ),
    hide_index=True,
    height="content",
    key="worst_table",
)
widgets.footer()
