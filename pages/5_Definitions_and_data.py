"""Definitions and data: what each indicator means and where it comes from.

How it is computed, and CSV downloads of any indicator or of the whole profile.
"""

import streamlit as st

from jsna.app import judgements, pcn_peers, trend
from jsna.app.ui import state, widgets

widgets.page("Definitions and data", "📖")
place = state.place()
meta = state.indicators()
st.title("Definitions and data")
st.markdown(
    "Every indicator's definition, source, period, method and polarity. Neighbourhood and "
    "PCN values are computed by pooling counts from wards or practices and recomputing the "
    "value and its confidence interval (Wilson score for proportions, Byar's or exact "
    "Poisson for rates). Where only published ward values exist, neighbourhood figures are "
    "labelled **estimates** and are not tested for significance. Counts from 1 to 4 are "
    "suppressed, along with any figure that would reveal one by subtraction."
)
if place.not_available:
    st.subheader(f"Not available for {place.name}")
    st.markdown("\n".join(f"- **{item}**: {reason}." for item, reason in place.not_available))
indicator = widgets.indicator_picker(default=None)
row = meta.set_index("indicator_id").loc[indicator]
polarity = {
    "high_is_good": "Higher is better",
    "low_is_good": "Lower is better",
    "no_judgement": "No judgement (higher or lower, not better or worse)",
}
comparator = {
    "england": "England",
    "la": f"{place.name} (England has no figure in the data)",
    "none": "Not compared",
}
estimate = "Yes: population-weighted, no significance claimed" if row["estimate"] else "No"
st.header(row["indicator_name"])
st.markdown(f"""
| | |
|---|---|
| **Definition** | {row["definition"]} |
| **Domain** | {row["domain"]} |
| **Period** | {row["period"]} |
| **Unit** | {row["unit"]} |
| **Polarity** | {polarity[row["polarity"]]} |
| **Confidence interval** | {row["ci_method_label"]} |
| **Compared with** | {comparator[row["comparator"]]} |
| **Geography** | {row["geography_label"]} |
| **Estimate** | {estimate} |
| **Source** | {row["publisher"]} |
| **Files** | {row["sources"]} |
| **Licence** | {row["licence"]} |
""")
widgets.download_query(
    f"Download {row['indicator_name']} for every area (CSV)",
    "every_area",
    "dl_indicator",
    "indicator_rows",
    indicator_id=indicator,
)
st.header("Recent trend marker")
st.markdown(trend.METHOD_MARKDOWN)
st.header("Compare two indicators")
st.markdown(
    "The scatter plots one value per area for each indicator (persons, latest period). "
    "Pearson's r is computed from those values across every area of the chosen type that "
    "has both; the line is the ordinary least-squares fit of y on x, and the p-value is the "
    "two-sided t test of r on n − 2 degrees of freedom. Correlation is not cause."
)
st.header("Every practice and PCN in England")
if state.source_period("qof"):
    st.markdown(
        f"QOF {state.source_period('qof')}, with practices, PCNs, sub-ICBs, ICBs and regions as "
        f"NHS England's {state.source_period('nhs_membership')} membership defines them."
    )
st.markdown(judgements.NATIONAL_METHOD)
st.header("PCNs like ours")
st.markdown(pcn_peers.SIMILAR_METHOD)
st.header("All indicators")
st.dataframe(
    meta[
        [
            "indicator_name",
            "domain",
            "period",
            "unit",
            "polarity",
            "ci_method_label",
            "comparator",
            "geography_label",
            "publisher",
            "licence",
        ]
    ].rename(
        columns={
            "indicator_name": "Indicator",
            "domain": "Domain",
            "period": "Period",
            "unit": "Unit",
            "polarity": "Polarity",
            "ci_method_label": "Interval",
            "comparator": "Compared with",
            "geography_label": "Geography",
            "publisher": "Source",
            "licence": "Licence",
        }
    ),
    hide_index=True,
    key="definitions",
)
widgets.download_query(
    "Download the whole profile: every area, indicator and period (CSV)",
    "neighbourhood_health_profile.csv",
    "dl_full",
    "full_profile",
)
release = state.release_date()
files = state.data_release()
st.header("Data release")
st.markdown(
    f"Every figure here comes from data release **{release}**: the {len(files)} source files "
    "below, each checked against its recorded fingerprint (SHA-256) when the database was "
    "built. A file that was missing or had changed would have stopped the build."
    if release != "unverified"
    else f"These figures were built from {len(files)} source files that were not checked "
    "against a data release (this place has no manifest)."
)
st.dataframe(
    files[["source_id", "path", "period", "publisher", "licence", "origin", "sha256"]].rename(
        columns={
            "source_id": "Source",
            "path": "File",
            "period": "Period",
            "publisher": "Publisher",
            "licence": "Licence",
            "origin": "Where it comes from",
            "sha256": "SHA-256",
        }
    ),
    hide_index=True,
    key="data_release",
)
widgets.footer()
