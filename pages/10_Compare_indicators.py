"""Compare two indicators: a scatter across wards, practices or PCNs, with r and a fitted line.

Points are coloured (and shaped) by neighbourhood or PCN. Correlation is not cause.
"""

import streamlit as st

from jsna.app import views
from jsna.app.ui import state, topics, widgets

widgets.page("Compare two indicators", "🔀")
scheme = widgets.colour_scheme()
bench = widgets.benchmark()
st.title("Compare two indicators")
LEVELS = {"ward": "Wards", "practice": "GP practices", "pcn": "Primary Care Networks"}
NOUNS = {"ward": "wards", "practice": "GP practices", "pcn": "Primary Care Networks"}
level = widgets.url_select("Areas", list(LEVELS), key="level", format_func=LEVELS.get)
meta = state.indicators()
ids = state.area_type_indicators(level)
if len(ids) < 2:
    st.info(f"Fewer than two indicators are published for {NOUNS[level]}.")
    st.stop()
defaults = {"ward": ("imd2019_score", "bad_health"), "practice": ("list_65_plus", "qof_hyp")}
dx, dy = defaults.get(level, (ids[0], ids[1]))
left, right = st.columns(2)
with left:
    x_id = widgets.url_select(
        "Horizontal axis (x)", ids, key="x", format_func=widgets.indicator_label, default=dx
    )
with right:
    y_id = widgets.url_select(
        "Vertical axis (y)", ids, key="y", format_func=widgets.indicator_label, default=dy
    )
m = meta.set_index("indicator_id")
xm, ym = m.loc[x_id], m.loc[y_id]
rows = topics.scatter_values(x_id, y_id, level)
pairs, left_out = views.scatter_pairs(rows, x_id, y_id)
if x_id == y_id:
    st.info("Choose two different indicators.")
    st.stop()
if len(pairs) < 3:
    sets = state.place().ward_set_names
    why = (
        "they are published on different ward boundaries ("
        f"{sets.get(xm['geography'], xm['geography'])} and "
        f"{sets.get(ym['geography'], ym['geography'])}), so no ward has both"
        if xm["geography"] != ym["geography"] and level == "ward"
        else "fewer than three areas have a value for both"
    )
    st.info(f"These two indicators cannot be compared across {NOUNS[level]}: {why}.")
    st.stop()
corr = views.correlation(pairs["x"], pairs["y"])
group = "area_name" if level == "pcn" else "parent_name"
by = {"ward": "neighbourhood", "practice": "PCN", "pcn": "PCN"}[level]
x_title = f"{xm['indicator_name']} ({xm['unit']}, {xm['period']})"
y_title = f"{ym['indicator_name']} ({ym['unit']}, {ym['period']})"
fig = state.figure(
    ("scatter", x_id, y_id, level),
    lambda: views.scatter_figure(
        pairs,
        corr,
        x_title,
        y_title,
        views.wrap_label(
            f"{ym['indicator_name']} against {xm['indicator_name']}, {NOUNS[level]}", 45
        )
        + f"<br><sup>each point is one area, coloured and shaped by {by}</sup>",
        group,
    ),
)
st.plotly_chart(fig, key="scatter_chart")
strength = abs(corr.r)
word = "strong" if strength >= 0.7 else "moderate" if strength >= 0.4 else "weak"
chance = (
    "significant at 95%, so unlikely to be chance alone"
    if corr.p_value < 0.05
    else "not significant at 95%, so it could be chance"
)
st.markdown(
    f"**Pearson's r = {corr.r:.2f}** across {corr.n} {NOUNS[level]} "
    f"(r² = {corr.r**2:.2f}; {chance}): a {word} "
    f"{'positive' if corr.r > 0 else 'negative'} association. Fitted line: y = "
    f"{corr.intercept:,.3g} + {corr.slope:,.3g} × x."
)
st.warning(
    "Correlation is not cause. Areas that differ on one indicator differ on many others "
    "(deprivation, age, ethnicity), and an association across areas need not hold for the "
    "people in them (the ecological fallacy). Use this to ask questions, not to answer them."
)
notes = []
if left_out:
    notes.append(
        f"{left_out} areas are left out because they lack one of the two values (suppressed, "
        "not published, or on other ward boundaries)."
    )
if xm["estimate"] or ym["estimate"]:
    notes.append("At least one indicator is an estimate, not pooled counts.")
if xm["period"] != ym["period"]:
    notes.append(f"The periods differ ({xm['period']} and {ym['period']}).")
if notes:
    st.caption(" ".join(notes))
shown = pairs.rename(
    columns={
        "parent_name": "neighbourhood_or_pcn",
        "x": f"x: {xm['indicator_name']} ({xm['unit']})",
        "y": f"y: {ym['indicator_name']} ({ym['unit']})",
    }
).drop(columns=["parent_code"])
with st.expander("The values plotted"):
    st.dataframe(shown, hide_index=True, key="scatter_table")
widgets.download(
    shown.assign(pearson_r=corr.r, n_areas=corr.n),
    "Download these points (CSV, with r)",
    f"by_{level}",
    key="dl_scatter",
    indicator=f"{xm['indicator_name']} against {ym['indicator_name']}",
    period=" and ".join(dict.fromkeys([str(xm["period"]), str(ym["period"])])),
)
widgets.footer()
