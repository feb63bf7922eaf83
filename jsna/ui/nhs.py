"""Every English practice, PCN, sub-ICB, ICB and region in the profile pages.

Hierarchical pickers (region -> ICB -> sub-ICB -> PCN -> practice) with search by name or
code, kept in the URL as ``?area=<code>`` (and ``?scope=england``), and the national views of
the Area profile and Compare areas pages. Each picker's options come from one query filtered
by its parent, labelled through a dict; no page loads every area to show one.
Membership is NHS England's for the year of the QOF files (the build records it), and every
view says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from jsna import charts, england, narrative, tables, views
from jsna import england as england_
from jsna.safe import url_text
from jsna.ui import national, state, widgets

LEVELS = ("region", "icb", "sub_icb", "pcn", "practice")
NAMES = {
    "england": "country",
    "region": "NHS region",
    "icb": "ICB",
    "sub_icb": "sub-ICB",
    "pcn": "PCN",
    "practice": "GP practice",
}
PICKER_LABELS = {
    "region": "NHS region",
    "icb": "ICB",
    "sub_icb": "Sub-ICB location",
    "pcn": "PCN",
    "practice": "GP practice",
}
LEVEL_LABELS = {
    "region": "NHS regions",
    "icb": "ICBs",
    "sub_icb": "Sub-ICB locations",
    "pcn": "PCNs",
    "practice": "GP practices",
}
PLURALS = {
    "region": "NHS regions",
    "icb": "ICBs",
    "sub_icb": "sub-ICB locations",
    "pcn": "PCNs",
    "practice": "GP practices",
}


def _membership() -> str:
    """Which year's NHS membership the national views use (the QOF data's year)."""
    return (
        "Practices, PCNs, sub-ICBs, ICBs and regions as NHS England's "
        f"{state.source_period('nhs_membership')} membership defines them (the year of the QOF "
        "data); some have merged, split or moved since."
    )


SEARCH_LIMIT = 50
MAX_CODE = 12  # the longest code is England's, E92000001
MAX_BARS = 250  # compare at most this many areas in one bar chart
_KEYS = {lv: f"nhs_{lv}" for lv in LEVELS}
_MATCH = "nhs_match"
# The picker levels each level's options hang from: practices sit under their PCN, or directly
# under their sub-ICB when they are in no PCN.
_PARENTS = {
    "region": ("england",),
    "icb": ("region",),
    "sub_icb": ("icb",),
    "pcn": ("sub_icb",),
    "practice": ("pcn", "sub_icb"),
}


def registers() -> list[str]:
    """The QOF registers (the indicators every English area has)."""
    meta = state.indicators()
    return list(meta.loc[meta["indicator_id"].str.startswith("qof_"), "indicator_id"])


def _default_register() -> str:
    regs = registers()
    return "qof_dm" if "qof_dm" in regs else regs[0]


def has_national_data() -> bool:
    """Whether the build holds the national tables."""
    return not national.nhs_area(state.place().england_code).empty


def scope(local_codes: Sequence[str]) -> str:
    """The choice of the place's own areas ("local") or any English NHS area ("england").

    Kept in the URL as ``?scope=``. A link that names an area but no scope opens the scope
    holding that area, so ``?area=U12345`` opens an English PCN directly.
    """
    if not has_national_data():
        return "local"
    p = state.place()
    raw_area = st.query_params.get("area")
    linked = "scope" not in st.query_params and raw_area is not None
    if linked and raw_area not in local_codes and not _lookup(str(raw_area)).empty:
        st.query_params["scope"] = "england"
    labels = {
        "local": f"{p.name}'s areas (every indicator)",
        "england": "Any practice, PCN, sub-ICB, ICB or region in England (GP registers)",
    }
    chosen = widgets.url_select(
        "Areas to choose from",
        list(labels),
        key="scope",
        format_func=labels.__getitem__,
    )
    # An area left over from the England pickers is not a bad link: drop it quietly.
    ours = raw_area is not None and raw_area == st.session_state.get("_url_area")
    if chosen == "local" and ours and raw_area not in local_codes:
        del st.query_params["area"]
    return chosen


def _lookup(code: str) -> pd.DataFrame:
    """`national.nhs_area` for a code from a URL; text longer than any NHS code is not looked up."""
    return national.nhs_area(code) if len(code) <= MAX_CODE else pd.DataFrame()


def _set_path(row: Any) -> None:
    """Point the pickers at an area (a row of `national.nhs_area`), or at England if None."""
    for lv in LEVELS:
        code = None if row is None or lv == "practice" else row[f"{lv}_code"]
        st.session_state[_KEYS[lv]] = code if isinstance(code, str) else ""
    if row is not None and row["area_type"] in _KEYS:
        st.session_state[_KEYS[str(row["area_type"])]] = str(row["area_code"])


def _clear_below(level: str) -> None:
    for lv in LEVELS[LEVELS.index(level) + 1 :]:
        st.session_state[_KEYS[lv]] = ""


def _open_match() -> None:
    code = st.session_state.get(_MATCH) or ""
    found = national.nhs_area(code) if code else pd.DataFrame()
    if not found.empty:
        _set_path(found.iloc[0])
    st.session_state[_MATCH] = ""


def _search() -> None:
    text = st.text_input(
        "Find an area in England by name or code",
        key="nhs_search",
        placeholder="e.g. Sale, Glenfield, U87499, P91004",
        max_chars=60,
    ).strip()
    if len(text) < 2:
        return
    found = national.nhs_search(text, SEARCH_LIMIT)
    if found.empty:
        st.caption(f"No English practice, PCN, sub-ICB, ICB or region matches “{url_text(text)}”.")
        return
    labels = {
        c: f"{n} ({NAMES[t]}, {c})"
        for c, n, t in zip(found["area_code"], found["area_name"], found["area_type"], strict=True)
    }
    more = f" (the first {SEARCH_LIMIT}; type more to narrow)" if len(found) == SEARCH_LIMIT else ""
    st.selectbox(
        f"{len(found)} match{'' if len(found) == 1 else 'es'}{more}: choose one to open it",
        ["", *labels],
        format_func=lambda c: labels.get(c, "Choose a match…"),
        key=_MATCH,
        on_change=_open_match,
    )


def area_picker(local_codes: Sequence[str] = ()) -> pd.Series:
    """Search and hierarchical pickers for any English NHS area; the URL keeps ``?area=``.

    Args:
        local_codes: codes the page also knows as the place's own areas: a link to one of
            them is not warned about here.

    Returns:
        The chosen area's row of `national.nhs_area` (England when nothing is chosen).
    """
    p = state.place()
    raw = st.query_params.get("area")
    if raw is not None and raw != st.session_state.get("_url_area"):
        # A pasted or followed link wins over the pickers' remembered state.
        found = _lookup(raw)
        if found.empty and raw not in local_codes:
            st.warning(
                f"“{url_text(raw)}” is not the code of an English practice, PCN, sub-ICB, ICB "
                f"or region in NHS England's {state.source_period('nhs_membership')} list, so this "
                f"shows {p.england_name}."
            )
        _set_path(None if found.empty else found.iloc[0])
    _search()
    chosen, chosen_type = p.england_code, "england"
    cols = st.columns(len(LEVELS))
    for col, lv in zip(cols, LEVELS, strict=True):
        options = national.nhs_children(chosen, lv) if chosen_type in _PARENTS[lv] else {}
        key = _KEYS[lv]
        if st.session_state.get(key, "") not in options:
            st.session_state[key] = ""
        if not options:
            continue
        noun = "practices in no PCN" if chosen_type == "sub_icb" and lv == "practice" else ""
        value = col.selectbox(
            PICKER_LABELS[lv],
            ["", *options],
            format_func=lambda c, o=options, n=noun or PLURALS[lv]: o.get(
                c, f"Choose one of {len(o):,} {n}"
            ),
            key=key,
            on_change=_clear_below,
            args=(lv,),
        )
        if value:
            chosen, chosen_type = str(value), lv
    st.query_params["area"] = chosen
    st.session_state["_url_area"] = chosen
    st.caption(_membership())
    return national.nhs_area(chosen).iloc[0]


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
        england.rank_text(*r)
        for r in zip(rows["rank"], rows["rank_lower"], rows["rank_upper"], rows["of"], strict=True)
    ]
    table["Decile (10 = highest tenth)"] = [
        england.decile_text(d, p) for d, p in zip(rows["decile"], rows["p_decile"], strict=True)
    ]
    table["Allowing for real variation between areas"] = [
        england.among_words(a, str(t))
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
                query_params={"indicator": _default_register()},
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
                "indicator": _default_register(),
            },
            icon=":material/bar_chart:",
        )


def _similar(code: str, name: str) -> None:
    shown = _default_register()
    pcns = national.national_pcn_values(shown)
    similar = england.similar_pcns(pcns, code, england.SIMILAR_COUNT)
    st.header(f"PCNs like {name}")
    st.caption(f"{england.SIMILAR_METHOD} Values shown: {widgets.indicator_label(shown)}.")
    if similar.empty:
        st.info(f"{name} lacks the age or deprivation figures needed to find similar PCNs.")
        return
    st.dataframe(england.similar_table(similar), hide_index=True, key="similar_table")


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
        f"Recorded prevalence from QOF {state.source_period('qof')}: each area's registers summed "
        "over its "
        "practices and divided by their summed lists in the register's age group, with "
        "Wilson 95% and 99.8% intervals, compared with England. Registers count patients with "
        "a recorded condition, not everyone with it, and have no better or worse direction: "
        "higher or lower only. Rank and decile are among every English area of the same kind."
    )
    if kind != "england":
        st.caption(england_.JUDGEMENTS_METHOD.format(plural=PLURALS[kind]))
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
        england_.with_rank_words(
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
                england_.outside_table(spread_by_register, kind),
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
        default=_default_register(),
    )
    st.markdown("**Compare the areas inside**")
    area = area_picker()
    code, kind = str(area["area_code"]), str(area["area_type"])
    counts = national.nhs_member_counts(code, kind)
    levels = [lv for lv in LEVELS if 0 < counts.get(lv, 0) <= MAX_BARS and lv != kind]
    meta = state.indicators().set_index("indicator_id").loc[indicator]
    st.title(f"{meta['indicator_name']}: inside {title(area)}")
    st.caption(f"{meta['definition']} Period: {meta['period']}. {_membership()}")
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
        membership = state.source_period("nhs_membership")
        st.caption(
            f"{len(values):,} {PLURALS[level]}, NHS England's {membership} membership.{note}"
        )
        st.caption(
            "In England as a whole: "
            + england_.outside_counts(national.national_dispersion(indicator, level), level)
        )
    with right:
        st.dataframe(_ranked_table(values, by_area=True), hide_index=True, key="compare_table")
    widgets.download(
        england_.with_rank_words(values, level),
        "Download this view (CSV)",
        f"compare_{level}s_in",
        key="dl_compare",
        area=code,
        indicator=indicator,
    )
