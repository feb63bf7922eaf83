"""Inequalities: values by national IMD decile with the slope and relative indices.

Also GP practices by their patients' deprivation against any practice register.
"""

import pandas as pd
import streamlit as st

from jsna.app import inequality
from jsna.app.ui import state, topics, widgets

widgets.page("Inequalities", "⚖️")
place = state.place()
widgets.colour_scheme()
widgets.benchmark()
st.title("Inequalities by deprivation")

inds = topics.deprivation_indicators().set_index("indicator_id")
imd = state.source_period("imd") or "IMD"  # the deprivation index the build read, e.g. its year
if inds.empty:
    st.info("No indicator here has LSOA counts with IMD deciles, so there is nothing to pool.")
    widgets.footer()
    st.stop()
ind = widgets.url_select(
    "Indicator (residents, by LSOA)",
    list(inds.index),
    key="indicator",
    format_func=lambda i: str(inds.loc[i, "indicator_name"]),
    default="bad_health",
)
meta = inds.loc[ind]
lsoa = topics.lsoa_deprivation(ind)


def by_decile() -> tuple[pd.DataFrame, inequality.SII | None]:
    """The LSOAs pooled by decile, and the SII (100,000 simulations): remembered per indicator."""
    deciles = inequality.by_decile(lsoa)
    return deciles, inequality.decile_sii(deciles)


deciles, result = state.remember(("deciles", ind), by_decile)
name = str(meta["indicator_name"])
st.header(f"{name} by deprivation decile")
st.caption(
    f"Period: {meta['period']}. {place.name}'s small areas (LSOAs) grouped by how deprived they "
    f"are nationally ({imd} decile, 1 = England's most deprived tenth); each bar pools their "
    "counts, with its 95% confidence interval."
)
with st.expander("How the gap between most and least deprived is worked out"):
    st.markdown(
        "Each decile's value pools the counts and denominators of its LSOAs, with a Wilson "
        "95% confidence interval. The slope index of inequality (SII) follows "
        "PHEindicatormethods' `phe_sii`: a regression on the local population's rank from "
        "most to least deprived, weighted by population, on the logit scale, with 95% "
        "confidence intervals from 100,000 simulations. The relative index (RII) is the "
        "modelled value at the least deprived end divided by the modelled value at the most "
        "deprived end."
    )
empty = [str(d) for d in deciles.loc[deciles["lsoas"] == 0, "imd_decile"]]
if empty:
    st.caption(
        f"Decile{'s' if len(empty) > 1 else ''} {', '.join(empty)}: no {place.name} LSOA, so "
        f"no bar; the rank runs over {place.name}'s own population in national-decile order."
    )
missing = lsoa[lsoa["imd_decile"].isna()]
if not missing.empty:
    st.caption(
        f"Left out: {', '.join(missing['area_code'])} (a 2021 LSOA made of new output areas, "
        f"so its older LSOA, and {imd} decile, cannot be traced through the ONS lookups)."
    )
m1, m2 = st.columns(2)
if result is not None:
    m1.metric(
        "Slope index of inequality",
        f"{result.sii:+.1f} pts",
        help=f"95% CI {result.sii_lower:.1f} to {result.sii_upper:.1f} percentage points",
    )
    m2.metric(
        "Relative index of inequality",
        f"{result.rii:.2f}",
        help=f"95% CI {result.rii_lower:.2f} to {result.rii_upper:.2f}",
    )
st.write(inequality.sii_sentence(result, "percentage points", name.lower()))
st.plotly_chart(
    state.figure(
        ("deciles", ind),
        inequality.decile_figure,
        deciles,
        result,
        f"% by national {imd} decile",
        "%",
    ),
    key="deciles",
    config={"displayModeBar": False},
)
table = deciles.rename(
    columns={
        "imd_decile": f"{imd} decile (1 = most deprived)",
        "lsoas": "LSOAs",
        "count": "Count",
        "denominator": "Denominator",
        "value": "Value %",
        "lower_ci95": "Lower 95% CI",
        "upper_ci95": "Upper 95% CI",
    }
)
if result is not None:
    table = table.assign(
        **{
            "SII (pts)": result.sii,
            "SII lower 95% CI": result.sii_lower,
            "SII upper 95% CI": result.sii_upper,
            "RII": result.rii,
            "RII lower 95% CI": result.rii_lower,
            "RII upper 95% CI": result.rii_upper,
        }
    )
with st.expander("Table"):
    st.dataframe(table, hide_index=True, key="decile_table")
widgets.download(
    table, "Download this table (CSV)", "by_deprivation_decile", "dl_deciles", indicator=ind
)

st.divider()
regs = topics.practice_indicators().set_index("indicator_id")
reg = widgets.url_select(
    "Practice indicator",
    list(regs.index),
    key="register",
    format_func=lambda i: str(regs.loc[i, "indicator_name"]),
    default="qof_hyp",
)
rmeta = regs.loc[reg]
st.header(f"Practices by deprivation: {rmeta['indicator_name']}")
prac = topics.practice_deprivation(reg)
shown = prac.dropna(subset=["imd_score", "value"])
years = sorted({int(y) for y in shown["imd_year"].dropna()})
st.caption(
    f"Period: {rmeta['period']}. Each dot is a {place.name} practice: its patients' average "
    "IMD "
    f"score (interpolated from the LSOAs its patients live in, {', '.join(map(str, years))}; "
    "higher = more deprived) against its value with a 95% CI. Prevalence recorded by GPs "
    "reflects both illness and how well it is found."
)
if shown.empty:
    st.info("No practice has both an IMD score and a value for this indicator.")
else:
    r = inequality.correlation(shown["imd_score"], shown["value"])
    st.write(
        f"{len(shown)} practices; correlation between deprivation and value r = {r:.2f} "
        "(unweighted Pearson)."
    )
    st.plotly_chart(
        state.figure(
            ("practices_imd", reg),
            inequality.practice_scatter,
            shown,
            str(rmeta["indicator_name"]),
            "%",
        ),
        key="practices",
        config={"displayModeBar": False},
    )
ptable = prac.rename(
    columns={
        "area_code": "Practice code",
        "area_name": "Practice",
        "pcn_name": "PCN",
        "value": "Value %",
        "lower_ci95": "Lower 95% CI",
        "upper_ci95": "Upper 95% CI",
        "count": "Count",
        "denominator": "Denominator",
        "period": "Period",
        "imd_score": "IMD score",
        "imd_year": "IMD year",
    }
)
with st.expander("Practice table"):
    st.dataframe(ptable, hide_index=True, key="practice_table")
widgets.download(
    ptable, "Download practices (CSV)", "practices_by_deprivation", "dl_prac", indicator=reg
)
widgets.footer()
