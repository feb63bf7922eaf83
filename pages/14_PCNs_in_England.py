"""PCNs in England: our PCNs among all 1,267 English PCNs for every QOF register.

A funnel plot of every PCN with ours marked (with England's plain limits and limits that allow
for real variation between PCNs), rank and decile with their 95% intervals, and the PCNs most
like ours with a predictive interval that allows for the spread between them.
QOF and PCN membership of the year the build read (`state.source_period`).
"""

import streamlit as st

from jsna.app import england, judgements, pcn_peers
from jsna.app.ui import files, state, widgets
from jsna.app.ui import national_queries as national

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
    f"{name}, QOF {state.source_period('qof')}: every English PCN ({len(pcns):,}) as NHS "
    f"England's {state.source_period('nhs_membership')} membership defines it, pooled from "
    "its practices (sum of registers / sum of lists, with 95% and 99.8% confidence "
    "intervals). Recorded prevalence counts patients on GP registers, not everyone "
    "with the condition, and has no 'better' or 'worse' direction: higher or lower only."
)
dispersion = national.national_dispersion(indicator, "pcn")
tau2 = float(dispersion["tau2"].iloc[0]) if not dispersion.empty else None
st.plotly_chart(
    state.figure(
        ("england_funnel", indicator),
        lambda: england.funnel_figure(pcns, ours, "Every PCN in England", tau2=tau2),
    ),
    key="england_funnel",
)
st.caption(
    "Points outside the dashed grey lines differ from England at 95% confidence; outside the "
    "dotted grey lines, at 99.8% (limits around England's value for each list size, "
    "PHEindicatormethods funnel method). The solid blue lines are 99.8% limits widened by the "
    "real variation between PCNs: points outside them are unusual among PCNs, not just "
    "different from England."
)
if not dispersion.empty:
    st.markdown(judgements.outside_counts(dispersion, "pcn"))
st.caption(judgements.JUDGEMENTS_METHOD.format(plural="PCNs"))

st.header("Our PCNs: rank and decile in England")
table = england.ours_table(pcns, ours)
st.dataframe(table, hide_index=True, key="ours_table")
widgets.download(
    judgements.with_rank_words(pcns[pcns["area_code"].isin(list(ours))], "pcn"),
    "Download our PCNs (CSV)",
    "our_pcns_in_england",
    "dl_ours",
    indicator=indicator,
)

st.header(f"PCNs like {ours[pcn]}")
st.caption(pcn_peers.SIMILAR_METHOD)
similar = pcn_peers.similar_pcns(pcns, pcn, pcn_peers.SIMILAR_COUNT)
if similar.empty:
    st.info(f"{ours[pcn]} lacks the age or deprivation figures needed to find similar PCNs.")
else:
    shown = pcn_peers.ours_and_similar_table(pcns, similar, pcn)
    st.dataframe(shown, hide_index=True, key="similar_table")
    widgets.download(
        judgements.with_rank_words(similar, "pcn"),
        "Download PCNs like ours (CSV)",
        "pcns_like",
        "dl_similar",
        area=pcn,
        indicator=indicator,
    )
    peer_codes = tuple(similar["area_code"])
    peer_values = national.national_peer_values((pcn, *peer_codes))
    comparison = pcn_peers.peer_comparison(peer_values, pcn, peer_codes)
    st.subheader(f"{ours[pcn]} against PCNs like it, register by register")
    st.caption(pcn_peers.PEER_METHOD)
    row = comparison[comparison["indicator_id"] == indicator]
    if not row.empty:
        st.plotly_chart(
            state.figure(
                ("peer_figure", pcn, indicator),
                lambda: pcn_peers.peer_figure(
                    peer_values[peer_values["indicator_id"] == indicator],
                    row.iloc[0],
                    pcn,
                    f"{name}:<br>{ours[pcn]} and PCNs like it",
                ),
            ),
            key="peer_chart",
        )
    st.dataframe(pcn_peers.peer_table(comparison), hide_index=True, key="peer_table")
    widgets.download(
        pcn_peers.peer_csv(comparison),
        "Download our PCN against its peers (CSV)",
        "pcn_against_peers",
        "dl_peers",
        area=pcn,
        period=files.indicator(indicator)[1],
    )
widgets.download(
    judgements.with_rank_words(pcns, "pcn"),
    "Download every PCN in England (CSV)",
    "every_pcn_in_england",
    "dl_all",
    indicator=indicator,
)
widgets.footer()
