"""Population: an age pyramid for any area, with England's (or the council's) shape as an outline.

Wards, neighbourhoods and the council from ONS mid-year estimates by sex; PCNs and practices from
the registered list by the age bands that file publishes.
"""

import streamlit as st

from jsna.app import populations
from jsna.app import pyramids as population
from jsna.app.ui import files, state, topics, widgets

widgets.page("Population", "👥")
place = state.place()
widgets.colour_scheme()
bench = widgets.benchmark()
wards = state.place_areas("ward")
codes = [place.code]
for kind in ("neighbourhood", "pcn"):
    codes += list(state.place_areas(kind)["area_code"])
codes += list(wards.loc[wards["vintage"] == place.current_ward_set, "area_code"])
codes += list(state.place_areas("practice")["area_code"])
labels = state.area_labels()
code = widgets.url_select(
    "Area",
    codes,
    key="area",
    format_func=lambda c: labels.get(c, c),
    default=place.neighbourhoods[0].code,
    help=f"Wards are the {place.ward_set(place.current_ward_set).name}; neighbourhoods pool "
    "those wards.",
)
kind = str(state.area(code)["area_type"])
st.title(f"Population: {widgets.area_label(code)}")

if kind in ("pcn", "practice"):
    rows = topics.gp_list_bands(code)
    own = rows[rows["area_code"] == code]
    eng = rows[rows["area_code"] == place.england_code]
    if own.empty:
        st.info("There is no registered-list age data for this area.")
        st.stop()
    table = population.bands_table(own, eng)
    st.caption(
        f"Registered patients, {state.source_period('gp_age')} (NHS Digital, via the House of "
        "Commons Library), "
        + ("pooled from today's member practices. " if kind == "pcn" else "for this practice. ")
        + "England is the sum of every English practice's list."
    )
    st.info(
        "The registered-list file publishes only these age bands (0–15, 16–17, 18–49, 50–64, "
        "65+) and no split by sex, so a 5-year pyramid cannot be drawn for a PCN or practice. "
        "The bands are shown as published; none is split or estimated."
    )
    st.plotly_chart(
        population.bands_figure(table, "Registered patients by age band"),
        key="gp_bands",
        config={"displayModeBar": False},
    )
    shown = table.rename(
        columns={
            "age_band": "Age band",
            "patients": "Registered patients",
            "percent": "% of list",
            "england_percent": "England % of list",
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="bands_table",
        # Counts with thousands separators (48,469), shares to one decimal, as on screen.
        column_config={
            "Registered patients": st.column_config.NumberColumn(format="localized"),
            "% of list": st.column_config.NumberColumn(format="%.1f"),
            "England % of list": st.column_config.NumberColumn(format="%.1f"),
        },
    )
    widgets.download(
        shown,
        "Download this table (CSV)",
        "gp_list_ages",
        "dl_pop",
        area=code,
        indicator="Registered patients by age band",
        period=files.indicator("list_65_plus")[1],
    )
    widgets.footer()
    st.stop()

bands = topics.population_bands(code)
if bands.empty:
    st.info("There are no population estimates by age and sex for this area.")
    st.stop()
if bench == "la" and code != place.code:
    outline = population.area_outline(topics.population_bands(place.code))
    outline_label = f"{place.name} ({bands['period'].iloc[0]})"
    outline_note = f"The outline is {place.name}'s own shape, by sex, from the same estimates."
else:
    eng = topics.england_age_bands()
    outline = population.england_outline(eng)
    census = str(eng["period"].iloc[0]) if not eng.empty else ""
    outline_label = f"England, all residents ({census})"
    outline_note = (
        f"The outline is England's age shape from {census}. Our England data has "
        "no split by sex, so the same all-residents shape is drawn on both sides; choose "
        f"{place.name} under 'Compare with' for an outline by sex."
    )
    if bench == "peers":
        outline_note += " The peer councils have no age data here, so England is used."
table = population.pyramid_table(bands, outline)
total = int(table["males"].sum() + table["females"].sum())
period = str(bands["period"].iloc[0])
c1, c2, c3 = st.columns(3)
c1.metric(f"Residents, {period}", f"{total:,}")
older = table.loc[table["age_band"].isin(["65-69", "70-74", "75-79", "80-84", "85-89", "90+"])]
young = table.loc[table["age_band"].isin(["0-4", "5-9", "10-14"])]
c2.metric(
    f"Aged 65 and over, {period}",
    f"{100 * (older['males'].sum() + older['females'].sum()) / total:.1f}%",
)
c3.metric(
    f"Aged 0 to 14, {period}",
    f"{100 * (young['males'].sum() + young['females'].sum()) / total:.1f}%",
)
current_wards = place.ward_set(place.current_ward_set).name
note = f" Pooled from its wards ({current_wards})." if kind == "neighbourhood" else ""
st.caption(
    f"ONS mid-year population estimates, {period}, by sex and 5-year band (the top band is "
    f"90 and over). Each side is that sex's own age mix, so areas of any size compare.{note} "
    + outline_note
)
if kind == "neighbourhood":
    # Issue 19: the profile's age shares are Census 2021 on older wards; say which is which.
    shown_words = (
        f"ONS mid-year estimates for {period} on the "
        f"{place.ward_set(place.current_ward_set).name} ({total:,} residents)"
    )
    st.caption(populations.age_share_note(state.area_profile(code, bench), shown_words))
st.plotly_chart(
    population.pyramid_figure(table, f"Age and sex, {period}", outline_label),
    key="pyramid",
    config={"displayModeBar": False},
)
shown = table.rename(
    columns={
        "age_band": "Age band",
        "males": "Males",
        "females": "Females",
        "males_pct": "% of males",
        "females_pct": "% of females",
        "outline_males_pct": f"{outline_label}: % of males",
        "outline_females_pct": f"{outline_label}: % of females",
    }
)
if outline_label.startswith("England"):
    shown = shown.drop(columns=[f"{outline_label}: % of females"]).rename(
        columns={f"{outline_label}: % of males": f"{outline_label}: % of all residents"}
    )
with st.expander("Table"):
    st.dataframe(
        shown,
        hide_index=True,
        key="pyramid_table",
        column_config={
            c: st.column_config.NumberColumn(format="%.1f" if "%" in c else "localized")
            for c in shown.columns
            if c != "Age band"
        },
    )
widgets.download(
    shown,
    "Download this table (CSV)",
    "population",
    "dl_pop",
    area=code,
    indicator="Population by age and sex",
    period=period,
)
widgets.footer()
