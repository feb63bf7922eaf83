"""Trends: every indicator with more than one period, with Fingertips' recent-trend marker.

A line for the chosen area with 95% confidence intervals, the council and England alongside, and
the marker from the last five points (how it is computed: Definitions and data).
"""

import pandas as pd
import streamlit as st

from jsna.app import trend, views
from jsna.app.ui import state, topics, widgets

widgets.page("Trends", "📈")
place = state.place()
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
series = topics.trend_indicators()
st.title("Trends")
if series.empty:
    st.info("No indicator in the database has more than one period yet.")
    st.stop()
ids = list(dict.fromkeys(series["indicator_id"]))
indicator = widgets.url_select(
    "Indicator",
    ids,
    key="indicator",
    format_func=widgets.indicator_label,
    default="diabetes_qof_la",
)
meta = state.indicators().set_index("indicator_id").loc[indicator]
areas = list(dict.fromkeys(series.loc[series["indicator_id"] == indicator, "area_code"]))
areas = [c for c in areas if c != place.england_code] or [place.england_code]
area = widgets.url_select(
    "Area", areas, key="area", format_func=widgets.area_label, default=place.code
)
rows = topics.trend_values(indicator, area, bench)
sexes = list(dict.fromkeys(rows["sex"]))
sex = widgets.url_select("Sex", sexes, key="sex", default="Persons") if len(sexes) > 1 else sexes[0]
rows = rows[rows["sex"] == sex]
order = list(dict.fromkeys([area, place.code, place.england_code]))
marks = state.remember(
    ("recent_trends", indicator, area, bench, sex),
    lambda: trend.recent_trends(
        rows,
        ["area_code", "area_name"],
        polarity=str(meta["polarity"]),
        use_proportions=indicator in topics.trend_by_counts(),
    ),
)
marks = marks.set_index("area_code").reindex([c for c in order if c in set(marks["area_code"])])
name = widgets.area_label(area)
st.header(f"{meta['indicator_name']}: {name.split(' (')[0]}")
st.caption(
    f"{meta['definition']} Unit: {meta['unit']}. Markers on {name.split(' (')[0]}'s line are "
    f"coloured by comparison with {widgets.benchmark_phrase(bench)} in each period."
)
first = marks.loc[area] if area in marks.index else None
if first is not None:
    if first["trend"] == "cannot_calculate":
        st.info(
            f"**Recent trend for {first['area_name']}: cannot be calculated** "
            f"({first['trend_reason']})."
        )
    else:
        st.success(
            f"**Recent trend for {first['area_name']}: {first['trend_label']}** "
            f"(the five most recent points, {first['first_period']} to {first['last_period']}; "
            "how this is judged is under the table below)."
        )
sex_txt = "" if sex == "Persons" else f" ({sex})"
fig = state.figure(
    ("trend", indicator, area, sex, bench, scheme),
    lambda: views.trend_figure(
        rows,
        order,
        views.wrap_label(f"{meta['indicator_name']}{sex_txt} over time", 45)
        + "<br><sup>vertical bars: 95% confidence intervals where published or computed</sup>",
        str(meta["unit"]),
        scheme,
    ),
)
st.plotly_chart(fig, key="trend_chart")
widgets.comparison_key()
st.subheader("Recent trend (Fingertips' method)")
table = pd.DataFrame(
    {
        "Area": marks["area_name"],
        "Recent trend": marks["trend_label"],
        "Points used": [
            f"{a} to {b}" if n else ""
            for a, b, n in zip(
                marks["first_period"], marks["last_period"], marks["points_used"], strict=True
            )
        ],
        "Chi-square": marks["chi_square"].round(2),
        "Why not calculated": marks["trend_reason"].fillna(""),
    }
)
st.dataframe(table, hide_index=True, key="trend_marks")
st.caption(
    "From the five most recent points; increasing or decreasing only when the chi-square "
    "test for trend exceeds 9.55 (99.8%) and the direction holds when any one point is left "
    "out. See Definitions and data, 'Recent trend marker'."
)
with st.expander(f"Recent trend for {place.name}, every indicator with more than one period"):
    st.dataframe(topics.trend_summary(bench), hide_index=True, key="trend_summary")
view = rows.merge(
    marks.reset_index()[["area_code", "trend_label", "chi_square", "trend_reason"]].rename(
        columns={"trend_label": "recent_trend", "chi_square": "trend_chi_square"}
    ),
    on="area_code",
    how="left",
)
view = view.set_index("area_code").loc[[c for c in order if c in set(view["area_code"])]]
widgets.download(
    view.reset_index(),
    "Download this trend (CSV, every period shown, with the markers)",
    "trend",
    key="dl_trend",
    area=area,
    indicator=indicator,
)
widgets.footer()
