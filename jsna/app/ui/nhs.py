"""Every English practice, PCN, sub-ICB, ICB and region in the profile pages.

Hierarchical pickers (region -> ICB -> sub-ICB -> PCN -> practice) with search by name or
code (or the name or code of an area it lies in), kept in the URL as ``?area=<code>`` (and
``?scope=england``); the national views that use them are `jsna.app.ui.nhs_views`. Each picker's
options come from one query filtered by its parent, labelled through a dict; no page loads
every area to show one.
Membership is NHS England's for the year of the QOF files (the build records it), and every
view says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from jsna.app.safe import url_text
from jsna.app.ui import national_queries as national
from jsna.app.ui import state, url

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


def membership() -> str:
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


def default_register() -> str:
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
    raw_area = url.get("area")
    # A link naming an English area but no scope opens the England pickers: their default.
    linked = raw_area is not None and raw_area not in local_codes and not url.has("scope")
    default = "england" if linked and not _lookup(raw_area).empty else "local"
    if linked and url.changed("area"):
        st.session_state.pop("scope", None)  # a followed link wins over the remembered scope
    labels = {
        "local": f"{p.name}'s areas (every indicator)",
        "england": "Any NHS area in England (GP registers only)",
    }
    chosen = url.select(
        "Areas to choose from",
        list(labels),
        key="scope",
        format_func=labels.__getitem__,
        default=default,
    )
    # An area left over from the England pickers is not a bad link: drop it quietly.
    if chosen == "local" and url.written_here("area") and raw_area not in local_codes:
        url.put("area", None)
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
        "Find an area in England by its name or code, or the ICB or PCN it is in",
        key="nhs_search",
        placeholder="e.g. Sale, Glenfield, West Yorkshire, U87499, P91004",
        max_chars=60,
    ).strip()
    if len(text) < 2:
        return
    found = national.nhs_search(text, SEARCH_LIMIT)
    if found.empty:
        st.caption(f"No English practice, PCN, sub-ICB, ICB or region matches “{url_text(text)}”.")
        return
    labels = {
        c: f"{n} ({NAMES[t]}, {c}{f', in {v}' if isinstance(v, str) else ''})"
        for c, n, t, v in zip(
            found["area_code"], found["area_name"], found["area_type"], found["via"], strict=True
        )
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
    raw = url.get("area")
    if raw is not None and url.changed("area"):
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
    # Three pickers a row, so a region's or ICB's whole name fits its box on a desktop; a
    # phone stacks them at full width.
    cols = [*st.columns(3), *st.columns(3)]
    for col, lv in zip(cols, LEVELS, strict=False):
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
            format_func=lambda c, o=options, n=noun or PLURALS[lv]: short_name(
                o.get(c, f"Choose one of {len(o):,} {n}")
            ),
            key=key,
            on_change=_clear_below,
            args=(lv,),
        )
        if value:
            chosen, chosen_type = str(value), lv
    if chosen == (raw or p.england_code):
        url.mark_seen("area")  # the URL already says it: nothing to add to the history
    else:
        url.put("area", None if chosen == p.england_code else chosen)
    st.caption(membership())
    return national.nhs_area(chosen).iloc[0]


def short_name(name: str) -> str:
    """An NHS name as a picker shows it: "Integrated Care Board" as "ICB", so it fits a phone."""
    return name.replace("Integrated Care Board", "ICB")
