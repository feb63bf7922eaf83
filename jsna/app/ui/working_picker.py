"""“Show the working for…”: a picker and an expander explaining how one number was produced.

The choice lives in the URL as `?working=<option>` (an indicator id, or an area code, with
`:Male`/`:Female` for sex-specific rows). A stale or unknown value is quietly ignored, because
the options change with the area or indicator shown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from jsna.app import working
from jsna.app.narrative import format_value
from jsna.app.ui import url

NONE = ""


def _option(row: dict[str, object], by: str) -> str:
    key = str(row["indicator_id"] if by == "indicator" else row["area_code"])
    sex = str(row.get("sex") or "Persons")
    return key if sex == "Persons" else f"{key}:{sex}"


def working_panel(
    rows: pd.DataFrame,
    indicators: pd.DataFrame,
    by: str = "indicator",
    key: str = "working",
    label: str = "Show the working for…",
) -> None:
    """A selectbox over `rows` (by indicator or by area) and the chosen row's working.

    Args:
        rows: Profile-shaped rows (the area's indicators, or one indicator's areas).
        indicators: The indicators table (metadata for each row).
        by: "indicator" lists indicators; "area" lists areas.
        key: Widget key and URL parameter.
        label: The picker's label.
    """
    if rows.empty:
        return
    records = {_option(r, by): r for r in rows.to_dict("records")}
    options = [NONE, *records]

    def fmt(opt: str) -> str:
        if opt == NONE:
            return "Choose a number…"
        r = records[opt]
        name = str(r["indicator_name"] if by == "indicator" else r["area_name"])
        sex = str(r.get("sex") or "Persons")
        value = format_value(r.get("value"), str(r["value_type"]), str(r.get("unit", "")))
        return f"{name}{'' if sex == 'Persons' else f' ({sex})'}: {value}"

    if key not in st.session_state or st.session_state[key] not in options:
        raw = url.get(key)
        st.session_state[key] = raw if raw in options else NONE
    choice = st.selectbox(label, options, format_func=fmt, key=key)
    if choice == NONE:
        url.put(key, None)
        return
    url.put(key, choice)
    row = records[choice]
    meta = indicators.set_index("indicator_id")
    ind_id = str(row["indicator_id"])
    ind = meta.loc[ind_id].to_dict() if ind_id in meta.index else {}
    ind["indicator_id"] = ind_id
    with st.expander(f"Working: {fmt(choice)}", expanded=True):
        st.markdown(working.working(row, ind))
