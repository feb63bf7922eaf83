"""The national views of the Area profile and Compare areas pages: any English NHS area.

The Area profile of a practice, PCN, sub-ICB, ICB or region (its QOF registers against England,
with rank and decile among areas of its kind), and Compare areas for the areas of one kind
inside a chosen area. The pickers, search and URL state are `jsna.app.ui.nhs`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from jsna.app import charts, judgements, narrative, pcn_peers, tables, views
from jsna.app.ui import national_queries as national
from jsna.app.ui import state, widgets
from jsna.app.ui.nhs import (
    LEVEL_LABELS,
    LEVELS,
    MAX_BARS,
    NAMES,
    PLURALS,
    area_picker,
    default_register,
    membership,
    registers,
)


def _path(area: pd.Series) -> str:
    """'North West › NHS Greater Manchester ICB › …' for the areas above this one."""
    names = [
        area[f"{lv}_name"]
        for lv in LEVELS[:-1]
        if lv != area["area_type"] and isinstance(area[f"{lv}_name"], str)
    ]
    own = area["own_sub_icb_name"]
    if area["area_type"] == "practice" and isinstance(own, str) and own != area["sub_icb_name"]:
        names.append(f"(the practice itself is in {own}; its PCN is listed under the other)")
    return " › ".join(names)


def title(area: pd.Series) -> str:
    """'G3 PCN (PCN, U87499)'."""
    if area["area_type"] == "england":
        return str(area["area_name"])
    return f"{area['area_name']} ({NAMES[str(area['area_type'])]}, {area['area_code']})"


def _ranked_table(rows: pd.DataFrame, by_area: bool) -> pd.DataFrame:
    """The profile table with rank and decile among England's areas of the same type."""
    shown = rows.assign(indicator_name=rows["area_name"]) if by_area else rows
    la_name = state.place().name  # England-wide rows have no council figure
    table = tables.profile_table(shown, la_name).drop(columns=[la_name, "Unit"])
    if by_area:
        table = table.drop(columns=["Domain"]).rename(columns={"Indicator": "Area"})
    table["Rank in England (1 = highest)"] = [
        judgements.rank_text(*r)
        for r in zip(rows["rank"], rows["rank_lower"], rows["rank_upper"], rows["of"], strict=True)
    ]
    table["Decile (10 = highest tenth)"] = [
        judgements.decile_text(d, p) for d, p in zip(rows["decile"], rows["p_decile"], strict=True)
    ]
    table["Allowing for real variation between areas"] = [
        judgements.among_words(a, str(t))
        for a, t in zip(rows["among_peers"], rows["area_type"], strict=True)
    ]
    return table


def _members_links(area: pd.Series) -> None:
    counts = national.nhs_member_counts(str(area["area_code"]), str(area["area_type"]))
    below = [lv for lv in LEVELS if counts.get(lv, 0) and lv != area["area_type"]]
    if not below:
        return
    st.header("Compare the areas inside it")
    for lv in below:
        n = counts[lv]
        if n > MAX_BARS and lv == "pcn":
            st.page_link(
                "pages/14_PCNs_in_England.py",
                label=f"All {n:,} PCNs on one funnel plot (PCNs in England)",
                query_params={"indicator": default_register()},
                icon=":material/scatter_plot:",
            )
            continue
        if n > MAX_BARS:
            st.markdown(f"- {n:,} {PLURALS[lv]}: too many for one chart; choose a smaller area.")
            continue
        st.page_link(
            "pages/2_Compare_areas.py",
            label=f"Compare its {n:,} {PLURALS[lv]}",
            query_params={
                "scope": "england",
                "area": str(area["area_code"]),
                "level": lv,
                "indicator": default_register(),
            },
            icon=":material/bar_chart:",
        )


def _similar(code: str, name: str) -> None:
    shown = default_register()
    pcns = national.national_pcn_values(shown)
    similar = pcn_peers.similar_pcns(pcns, code, pcn_peers.SIMILAR_COUNT)
    st.header(f"PCNs like {name}")
    st.caption(f"{pcn_peers.SIMILAR_METHOD} Values shown: {widgets.indicator_label(shown)}.")
    if similar.empty:
        st.info(f"{name} lacks the age or deprivation figures needed to find similar PCNs.")
        return
    st.dataframe(pcn_peers.similar_table(similar), hide_index=True, key="similar_table")


def profile_view(area: pd.Series, scheme: str) -> None:
    """The Area profile of an English NHS area: its QOF registers against England."""
    p = state.place()
    code, kind = str(area["area_code"]), str(area["area_type"])
    st.title(title(area))
    path = _path(area)
    st.caption((f"{path}. " if path else "") + f"NHS England's {area['membership']} membership.")
    if kind == "pcn" and code in {pc.code for pc in p.pcns}:
        st.page_link(
            "pages/1_Area_profile.py",
            label=f"Open {area['area_name']}'s full {p.name} profile (every indicator)",
            query_params={"scope": "local", "area": code},
            icon=":material/arrow_forward:",
        )
    profile = national.nhs_profile(code, kind)
    if profile.empty:
        st.info("There are no QOF registers for this area in this build.")
        return
    st.caption(
        f"Recorded prevalence from QOF {state.source_period('qof')}: each area's registers "
        "summed over its "
        "practices and divided by their summed lists in the register's age group, with "
        "95% and 99.8% confidence intervals, compared with England. Registers count patients with "
        "a recorded condition, not everyone with it, and have no better or worse direction: "
        "higher or lower only. Rank and decile are among every English area of the same kind."
    )
    if kind != "england":
        st.caption(judgements.JUDGEMENTS_METHOD.format(plural=PLURALS[kind]))
    st.header("Summary")
    findings = narrative.headline_findings(profile, limit=8)
    st.markdown(
        "\n".join(f"- {s}" for s in findings) or "No register differs significantly from England's."
    )
    if kind != "england":
        st.header("Spine chart")
        spread = national.nhs_spread(kind)
        n = int(spread["n_areas"].max()) if not spread.empty else 0
        label = f"all {n:,} English {PLURALS[kind]}"
        st.plotly_chart(
            state.figure(
                ("nhs_spine", code, kind, scheme),
                lambda: charts.spine_chart(profile, spread, scheme, label),
            ),
            key="spine",
        )
        widgets.comparison_key()
    st.header("QOF registers")
    st.dataframe(_ranked_table(profile, by_area=False), hide_index=True, key="profile_table")
    england = national.nhs_profile(p.england_code, "england")
    widgets.download(
        judgements.with_rank_words(
            pd.concat([profile, england] if kind != "england" else [profile], ignore_index=True),
            kind,
        ),
        "Download this profile (CSV, with England)",
        "profile",
        key="dl_profile",
        area=code,
    )
    if kind == "pcn":
        _similar(code, str(area["area_name"]))
    _members_links(area)
    spread_by_register = national.national_dispersion_by_type(kind)
    if kind != "england" and not spread_by_register.empty:
        with st.expander(f"How many {PLURALS[kind]} differ from England, and how many are unusual"):
            st.dataframe(
                judgements.outside_table(spread_by_register, kind),
                hide_index=True,
                key="outside_table",
            )
    meta = state.indicators()
    others = meta[~meta["indicator_id"].isin(profile["indicator_id"])]
    if not others.empty:
        with st.expander(f"Not available for areas outside {p.name} ({len(others)} indicators)"):
            st.markdown(
                f"These indicators are built from sources that cover {p.name}'s wards, "
                f"small areas and practices only (Census and population estimates by ward, "
                f"OHID Fingertips rows for {p.name}, local practice files), so no figure "
                f"exists for {area['area_name']}. Only the QOF registers are published for "
                "every practice in England."
            )
            st.dataframe(
                others[["domain", "indicator_name"]].rename(
                    columns={"domain": "Domain", "indicator_name": "Indicator"}
                ),
                hide_index=True,
                key="not_available",
            )


def compare_view(scheme: str) -> None:
    """Compare areas for English NHS areas: the areas of one kind inside a chosen area."""
    p = state.place()
    regs = registers()
    indicator = widgets.url_select(
        "QOF register",
        regs,
        key="indicator",
        format_func=widgets.indicator_label,
        default=default_register(),
    )
    st.markdown("**Compare the areas inside**")
    area = area_picker()
    code, kind = str(area["area_code"]), str(area["area_type"])
    counts = national.nhs_member_counts(code, kind)
    levels = [lv for lv in LEVELS if 0 < counts.get(lv, 0) <= MAX_BARS and lv != kind]
    meta = state.indicators().set_index("indicator_id").loc[indicator]
    st.title(f"{meta['indicator_name']}: inside {title(area)}")
    st.caption(f"{meta['definition']} Period: {meta['period']}. {membership()}")
    if not levels:
        st.info(
            f"{area['area_name']} has no smaller areas to compare"
            + (" (a practice is the smallest)." if kind == "practice" else ".")
            + " Choose a larger area above."
            if not counts
            else f"{area['area_name']} holds too many areas for one chart (more than "
            f"{MAX_BARS}). Choose a region, ICB or smaller area above."
        )
        return
    level = widgets.url_select("Areas", levels, key="level", format_func=LEVEL_LABELS.__getitem__)
    values = national.nhs_member_values(indicator, level, code, kind)
    eng = values["england_value"].dropna()
    england = float(eng.iloc[0]) if not eng.empty else None
    note = (
        " A PCN is listed under the sub-ICB holding most of its practices."
        if level == "pcn" and kind in ("sub_icb", "icb", "region")
        else ""
    )
    chart_title = (
        views.wrap_label(
            f"{meta['indicator_name']}: {PLURALS[level]} in {area['area_name']}, {meta['period']}",
            60,
        )
        + "<br><sup>sorted by value; compared with England (red line); bars show 95% "
        "confidence intervals</sup>"
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.plotly_chart(
            state.figure(
                ("nhs_compare", indicator, level, code, scheme),
                lambda: charts.compare_bars(
                    values,
                    chart_title,
                    scheme,
                    england,
                    None,
                    (p.england_name, england) if england is not None else None,
                ),
            ),
            key="compare_chart",
        )
        widgets.comparison_key()
        year = state.source_period("nhs_membership")
        st.caption(f"{len(values):,} {PLURALS[level]}, NHS England's {year} membership.{note}")
        st.caption(
            "In England as a whole: "
            + judgements.outside_counts(national.national_dispersion(indicator, level), level)
        )
    with right:
        st.dataframe(_ranked_table(values, by_area=True), hide_index=True, key="compare_table")
    widgets.download(
        judgements.with_rank_words(values, level),
        "Download this view (CSV)",
        f"compare_{level}s_in",
        key="dl_compare",
        area=code,
        indicator=indicator,
    )
