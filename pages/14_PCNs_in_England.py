"""PCNs in England: our PCNs among all 1,267 English PCNs for every QOF register.

A funnel plot of every PCN with ours marked, rank and decile, and the PCNs most like ours.
QOF 2022/23, PCN membership as at 2022/23.
"""

import streamlit as st

from jsna import england
from jsna.ui import national, state, widgets

widgets.page("PCNs in England", "🗺️")
place = state.place()
meta = state.indicators()
registers = list(meta.loc[meta["indicator_id"].str.startswith("qof_"), "indicator_id"])
if not registers:
    st.info("This database has no QOF registers, so there is nothing to compare.")
    st.stop()
indicator = widgets.url_select(
    "QOF register",
    registers,
    key="indicator",
    format_func=widgets.indicator_label,
    default="qof_dm" if "qof_dm" in registers else registers[0],
)
ours = {p.code: p.name for p in place.pcns}
pcn = widgets.url_select(
    "PCN to find others like", list(ours), key="pcn", format_func=ours.__getitem__
)
pcns = national.national_pcn_values(indicator)
name = meta.set_index("indicator_id").at[indicator, "indicator_name"]

st.title(f"{place.name}'s PCNs among all of England's")
if pcns.empty:
    st.info("This database was built without the national QOF files, so no comparison exists.")
    st.stop()
st.caption(
    f"{name}, QOF 2022/23: every English PCN ({len(pcns):,}) as NHS England's 2022/23 "
    "membership defines it, pooled from its practices (sum of registers / sum of lists, "
    "Wilson intervals). Recorded prevalence counts patients on GP registers, not everyone "
    "with the condition, and has no 'better' or 'worse' direction: higher or lower only."
)
st.plotly_chart(
    state.figure(
        ("england_funnel", indicator),
        lambda: england.funnel_figure(pcns, ours, "Every PCN in England"),
    ),
    key="england_funnel",
)
st.caption(
    "Points outside the dashed lines differ from England at 95% confidence; outside the "
    "dotted lines, at 99.8%. Limits are drawn around England's value for each list size "
    "(PHEindicatormethods funnel method)."
)

st.header("Our PCNs: rank and decile in England")
table = england.ours_table(pcns, ours)
st.dataframe(table, hide_index=True, key="ours_table")
widgets.download(
    pcns[pcns["area_code"].isin(list(ours))],
    "Download our PCNs (CSV)",
    "our_pcns_in_england",
    "dl_ours",
    indicator=indicator,
)

st.header(f"PCNs like {ours[pcn]}")
st.caption(england.SIMILAR_METHOD)
similar = england.similar_pcns(pcns, pcn, england.SIMILAR_COUNT)
if similar.empty:
    st.info(f"{ours[pcn]} lacks the age or deprivation figures needed to find similar PCNs.")
else:
    shown = england.similar_table(similar)
    st.dataframe(shown, hide_index=True, key="similar_table")
    widgets.download(
        similar,
        "Download PCNs like ours (CSV)",
        "pcns_like",
        "dl_similar",
        area=pcn,
        indicator=indicator,
    )
widgets.download(
    pcns,
    "Download every PCN in England (CSV)",
    "every_pcn_in_england",
    "dl_all",
    indicator=indicator,
)
widgets.footer()
