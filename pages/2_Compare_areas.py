"""Compare areas: one indicator across areas, with confidence intervals.

Wards, neighbourhoods, PCNs or practices, coloured by comparison with the benchmark; or the
practices, PCNs, sub-ICBs or ICBs inside any English NHS area (QOF registers, ``?scope=england``).
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from jsna.app import charts, insight, narrative, populations, smoothed_view, tables, views
from jsna.app.insight.funnel_plots import Centre
from jsna.app.ui import nhs, nhs_views, state, url, widgets
from jsna.app.ui.working_picker import working_panel

widgets.page("Compare areas", "📊")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
if nhs.scope(()) == "england":
    nhs_views.compare_view(scheme)
    widgets.footer()
    st.stop()
meta = state.indicators().set_index("indicator_id")
indicator = widgets.indicator_picker()
levels = [
    t
    for t in ("neighbourhood", "pcn", "ward", "practice")
    if not state.place_values(indicator, t).empty
]
ind = meta.loc[indicator]
st.title(ind["indicator_name"])
answer_slot = st.container(key="answer")  # filled once the areas are chosen
st.caption(f"Period: {ind['period']}. Unit: {ind['unit']}.")
# The definition's technical words (register codes, list types) stay one click away.
with st.expander("What this indicator measures"):
    st.caption(str(ind["definition"]))
if not levels:
    st.info(
        f"This indicator is published for {place.name} as a whole only, so there are no "
        "areas to compare. See its trend below and its definition on the Definitions "
        "page."
    )
    trend = state.indicator_trend(indicator)
    if not trend.empty:
        st.plotly_chart(
            charts.trend_chart(
                trend,
                f"{ind['indicator_name']}: {place.name} and England over time",
                ind["value_type"],
                ind["unit"],
            ),
            key="trend",
        )
    widgets.footer()
    st.stop()
level = widgets.url_select(
    "Areas", levels, key="level", format_func=lambda t: widgets.AREA_TYPE_LABELS[t]
)
# Funnel plot of wards or practices: below the bars, or first when linked with ?view=funnel.
funnel_level = "practice" if level in ("pcn", "practice") else "ward"
funnel_slot = st.container() if url.get("view") == "funnel" else None
values = state.place_values(indicator, level, bench)
# Smoothed values beside the raw ones, for wards (issue 18); raw by default.
smooth_rows = state.smoothed_values(indicator, level)
figures = "raw"
if not smooth_rows.empty:
    figures = widgets.url_select(
        "Figures",
        list(smoothed_view.FIGURES),
        key="figures",
        format_func=smoothed_view.FIGURES.__getitem__,
    )
    values = smoothed_view.with_smoothed(values, smooth_rows)
smoothed = figures == "smoothed"
named = values["benchmark"].dropna()
bench_name = named.iloc[0] if not named.empty and named.iloc[0] else "no benchmark"
if ind["estimate"] and level != "ward":
    st.warning(
        "Estimate: these values are population-weighted averages of published ward "
        "figures, with no confidence interval, so they are not compared."
    )
# The answer first (issue 19): the highest area, its value and whether it differs
# significantly; then whose figures these are.
plural = widgets.area_type_words(level)
singular = {"pcn": "PCN", "practice": "practice"}.get(level, level)
with answer_slot:
    st.markdown(narrative.highest_answer(values, plural))
    who = populations.whose(values, singular)
    intervals = narrative.intervals_phrase(values)
    st.caption(
        " ".join(
            part
            for part in (
                who,
                ""
                if intervals.startswith("bars")
                else f"These values have {intervals}, so the bars are grey (not compared) and "
                "have no whiskers: no difference can be called significant.",
            )
            if part
        )
    )

if smoothed:
    intervals = "bars are smoothed values, whiskers 95% credible intervals"
title = views.wrap_label(
    f"{ind['indicator_name']} by {plural}, {ind['period']}", 42
) + charts.subtitle(
    f"sorted by value; compared with {bench_name} (red line); {intervals}"
    if bench_name != "no benchmark"
    else f"sorted by value; not compared; {intervals}"
)
eng = values["england_value"].dropna()
traf = values["la_value"].dropna()
bv = values["benchmark_value"].dropna()
left, right = st.columns([3, 2], gap="medium")
with left:
    fig = state.figure(
        ("compare", indicator, level, bench, scheme, figures),
        lambda: charts.compare_bars(
            smoothed_view.as_bars(values) if smoothed else values,
            title,
            scheme,
            float(eng.iloc[0]) if not eng.empty else None,
            float(traf.iloc[0]) if not traf.empty else None,
            (bench_name, float(bv.iloc[0])) if bv.nunique() == 1 else None,
            la_name=place.name,
        ),
    )
    st.plotly_chart(fig, key="compare_chart")
    with st.container(key="smoothing_note"):
        if smoothed:
            st.caption(f"{smoothed_view.EXPLANATION} {smoothed_view.CREDIBLE}")
        elif not smooth_rows.empty:
            st.caption(smoothed_view.EXPLANATION)
        else:
            st.caption(
                smoothed_view.unavailable(
                    level,
                    plural,
                    [widgets.area_type_words("ward")]
                    if level != "ward" and not state.smoothed_values(indicator, "ward").empty
                    else [],
                )
            )
    widgets.comparison_key()
with right:
    by_value = values.sort_values("value", ascending=False, na_position="last", kind="stable")
    table = tables.profile_table(by_value.assign(indicator_name=by_value["area_name"]), place.name)
    if smoothed:  # beside the published value, in the same order
        smoothed_view.add_table_columns(table, by_value)
    # England and the council stay, next to the value (the table scrolls inside its box).
    st.dataframe(
        table.drop(columns=["Domain", "Unit"]).rename(columns={"Indicator": "Area"}),
        hide_index=True,
        key="compare_table",
    )
working_panel(values, state.indicators(), by="area")
if smoothed:
    with st.expander("How the smoothed values are made"):
        st.markdown(smoothed_view.method_text(smooth_rows, plural))
bench_rows = [
    b[b["indicator_id"] == indicator]
    for b in (state.area_profile(place.code, bench), state.area_profile(place.england_code, bench))
]
shown = values if smoothed else values.drop(columns=smoothed_view.DISPLAY_COLUMNS, errors="ignore")
view = pd.concat([shown, *bench_rows], ignore_index=True)
# The label names only the rows the file holds (England has no figure for some indicators).
with_rows = " and ".join(
    n for n, b in zip((place.name, place.england_name), bench_rows, strict=True) if not b.empty
)
extras = [x for x in ("the smoothed values" if smoothed else "", with_rows) if x]
widgets.download(
    view,
    "Download this view (CSV" + (f", with {', '.join(extras)})" if extras else ")"),
    f"compare_{level}s",
    key="dl_compare",
    indicator=indicator,
)
with funnel_slot if funnel_slot is not None else st.container():
    st.header(f"Funnel plot: {widgets.AREA_TYPE_LABELS[funnel_level]}")
    funnel_rows = state.funnel_values(indicator, funnel_level)
    problem = insight.funnel_problem(funnel_rows)
    if problem:
        st.info(problem)
    else:
        # One benchmark per page: the funnel's centre line is the bars' benchmark (the
        # sidebar's choice); a funnel can centre only on the council or England.
        centre: Centre = "la" if bench_name == place.name else "england"
        if bench == "peers":
            st.info(
                f"The funnel is centred on {place.england_name}: control limits need the "
                f"council's or {place.england_name}'s figure, not {bench_name}'s."
            )
        problem = insight.funnel_problem(funnel_rows, centre, place.name)
        if problem:
            st.info(problem)
        else:
            fun = insight.funnel(funnel_rows, centre, la_name=place.name)

            def build_funnel() -> go.Figure:
                return insight.funnel_chart(
                    fun,
                    views.wrap_label(
                        f"{ind['indicator_name']}: {widgets.AREA_TYPE_LABELS[funnel_level]} "
                        f"against their denominators, {ind['period']}",
                        42,
                    )
                    + charts.subtitle(f"95% and 99.8% control limits around {fun.centre_name}"),
                    scheme,
                )

            st.plotly_chart(
                state.figure(("funnel", indicator, funnel_level, centre, scheme), build_funnel),
                key="funnel_chart",
            )
            st.caption(
                "Each point is one area; the funnel narrows as denominators grow, because "
                "chance matters less in bigger areas. Points outside the 99.8% limits are "
                "unlikely to differ by chance alone. "
                + (
                    f"{fun.left_out} areas without a count (suppressed or not published) are "
                    "not plotted."
                    if fun.left_out
                    else ""
                )
            )
widgets.footer()
