"""Map: any indicator by ward, neighbourhood or LSOA.

Coloured by comparison with the benchmark (or by value), with GP practices on top. Needs no
internet: no map tiles.
"""

import streamlit as st

from jsna.app import charts, insight, maps, populations, smoothed_view, views
from jsna.app.ui import state, widgets

widgets.page("Map", "🗺️")
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
meta = state.indicators().set_index("indicator_id")
indicator = widgets.indicator_picker()
ind = meta.loc[indicator]
levels = [
    t for t in ("ward", "neighbourhood", "lsoa") if not state.place_values(indicator, t).empty
]
st.title(f"Map: {ind['indicator_name']}")
st.caption(f"Period: {ind['period']}.")
with st.expander("What this indicator measures"):
    st.caption(str(ind["definition"]))
if not levels:
    st.info(
        f"This indicator is published for {state.place().name} as a whole only, so it cannot be "
        "mapped. The Compare areas page shows its trend against England."
    )
    widgets.footer()
    st.stop()
notice = st.container()  # why the map is coloured as it is, above the pickers
c1, c2, c3, c4 = st.columns(4)
level = widgets.url_select(
    "Areas", levels, key="level", where=c1, format_func=lambda t: widgets.AREA_TYPE_LABELS[t]
)
values = state.place_values(indicator, level, bench)
# Smoothed values beside the raw ones, for wards and LSOAs (issue 18); raw by default.
smooth_rows = state.smoothed_values(indicator, level)
figures = "raw"
if not smooth_rows.empty:
    figures = widgets.url_select(
        "Figures",
        list(smoothed_view.FIGURES),
        key="figures",
        where=c4,
        format_func=smoothed_view.FIGURES.__getitem__,
    )
    values = smoothed_view.with_smoothed(values, smooth_rows)
smoothed = figures == "smoothed"
compared = values["comparison"].ne("not compared").any()
colour_by = widgets.url_select(
    "Colour by",
    ["comparison", "value"],
    key="colour",
    where=c2,
    format_func=lambda c: {"comparison": "Comparison with benchmark", "value": "Value"}[c],
    default="comparison" if compared else "value",
)
show_practices = c3.checkbox("Show GP practices", value=True, key="practices")
vintage = values["vintage"].dropna()
place = state.place()
ward_sets = {w.id: w for w in place.ward_sets}
# The ward set the indicator is published on (its neighbourhoods are built from it).
ward_set = ward_sets.get(
    str(ind["geography"]),
    next((ward_sets[v] for v in vintage if v in ward_sets), place.ward_sets[0]),
)
lsoa_sets = [s for s in place.lsoa_sets if (vintage == s.id).any()] or list(place.lsoa_sets)[-1:]
if level == "neighbourhood":
    layer, boundary_note = (
        ward_set.neighbourhood_layer,
        f"neighbourhoods built from the {ward_set.name}",
    )
elif level == "ward":
    layer, boundary_note = ward_set.layer, ward_set.name
else:
    layer, boundary_note = lsoa_sets[0].layer, f"LSOAs ({lsoa_sets[0].id})"
if not set(values["area_code"]) <= {f["id"] for f in state.boundary(layer)["features"]}:
    st.warning("Some areas have no boundary on this layer and are not drawn.")
named = values["benchmark"].dropna()
bench_name = named.iloc[0] if not named.empty and named.iloc[0] else "no benchmark"
if colour_by == "comparison" and compared:
    what = f"coloured by comparison with {bench_name} (95% and 99.8% confidence)"
else:
    # Never an all-grey map (issue 19): with no comparison to show, colour by value and say so.
    colour_by = "value"
    what = f"coloured by {'smoothed ' if smoothed else ''}value (darker = higher)"
    if not compared:
        reason = values["comparison_reason"].dropna()
        reason = reason[reason != ""]
        why = reason.iloc[0] if not reason.empty else "no benchmark figure"
        what += f"; not compared with England: {why}"
        notice.info(
            f"These values cannot be compared with England ({why}), so the map is coloured "
            "by value: darker blue is higher."
        )
# Whose figures these are, on the map itself when they are not the areas' residents.
who = populations.whose(values, {"lsoa": "LSOA"}.get(level, level))
if who and "registered patients" in who:
    what += "; values are registered patients of the PCNs serving each"
    st.caption(
        who + " The map draws each value on the neighbourhood's boundary: the patients "
        "counted live in and around it."
    )
# The title names the place, so a map shared on its own still says where it is.
title = views.wrap_label(
    f"{place.name}: {ind['indicator_name']} by {widgets.area_type_words(level)}, {ind['period']}",
    42,
)
if ind["estimate"] and level != "ward":
    st.warning("Estimate: population-weighted averages of ward figures, not compared.")
if smoothed and colour_by == "comparison":
    what += "; hover for smoothed values"
fig = state.figure(
    ("map", indicator, level, bench, scheme, colour_by, show_practices, figures),
    lambda: maps.comparison_map(
        values,
        state.boundary(layer),
        title + charts.subtitle(what),
        scheme,
        colour_by,
        state.practices() if show_practices else None,
        smoothed,
    ),
)
with st.container(key="smoothing_note"):
    if not smooth_rows.empty:
        st.caption(
            smoothed_view.EXPLANATION
            + (
                " Hover over an area for its smoothed value, or colour the map by value."
                if smoothed and colour_by == "comparison"
                else ""
            )
        )
    else:
        others = [
            widgets.area_type_words(t)
            for t in smoothed_view.SMOOTHED_AREA_TYPES
            if t in levels and t != level and not state.smoothed_values(indicator, t).empty
        ]
        st.caption(smoothed_view.unavailable(level, widgets.area_type_words(level), others))
widgets.map_chart(fig, "map")
if smoothed:
    with st.expander("How the smoothed values are made"):
        st.markdown(smoothed_view.method_text(smooth_rows, widgets.area_type_words(level)))
if insight.funnel_problem(state.funnel_values(indicator, "ward")) is None:
    st.page_link(
        "pages/2_Compare_areas.py",
        label="The same wards on a funnel plot, against their population (Compare areas)",
        query_params={
            "indicator": indicator,
            "level": "ward" if level == "lsoa" else level,
            "view": "funnel",
        },
        icon=":material/filter_list:",
    )
st.caption(f"Boundaries: {boundary_note}.")
widgets.download(
    values if smoothed else values.drop(columns=smoothed_view.DISPLAY_COLUMNS, errors="ignore"),
    "Download these values (CSV" + (", with the smoothed values)" if smoothed else ")"),
    f"map_{level}s",
    key="dl_map",
    indicator=indicator,
)
widgets.comparison_key()
widgets.footer()
