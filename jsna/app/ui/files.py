"""What a downloaded file is called and what it says about itself.

The place, the area and the indicator in words, and the data's release date (read from the
database, never a literal).
"""

from __future__ import annotations

from jsna.app import downloads
from jsna.app.ui import national_queries as national
from jsna.app.ui import state


def data_date() -> str:
    """The data's release date (YYYY-MM): the newest period of any indicator in the database.

    Worked out once per database (`state.remember`), since every download button names it.
    """
    return state.remember(
        ("data_date",),
        lambda: downloads.release_date(state.indicators()["period"].astype(str)),
    )


def area_name(code: str) -> str:
    """An area's name from its code: the place's areas, then any English NHS area; else as given."""
    name = state.area(code).get("area_name")
    if name:
        return str(name)
    rows = national.nhs_area(code)
    if not rows.empty and "area_code" in rows.columns:
        hit = rows[rows["area_code"] == code]
        if not hit.empty:
            return str(hit.iloc[0]["area_name"])
    return code


def indicator(ind_id: str) -> tuple[str, str]:
    """An indicator's name and headline period; words that are no indicator id, with ""."""
    names = state.remember(
        ("indicator_name_period",),
        lambda: {
            str(i): (str(n), str(p))
            for i, n, p in state.indicators()[
                ["indicator_id", "indicator_name", "period"]
            ].itertuples(index=False)
        },
    )
    return names.get(ind_id, (ind_id, ""))


def name_and_context(
    what: str,
    area: str | None = None,
    indicator_id: str | None = None,
    period: str | None = None,
    ext: str = "csv",
) -> tuple[str, dict[str, str]]:
    """The file name `<place>_<what>_<area>_<indicator>_<date>.<ext>`, and its context.

    The context is the Area, Indicator and Period columns a file must carry where its rows
    do not say them already.
    """
    area_words = area_name(area) if area else state.place().name
    ind_name, ind_period = indicator(indicator_id) if indicator_id else ("", "")
    parts = ([area_words] if area else []) + ([ind_name] if ind_name else [])
    name = downloads.file_name(state.place().slug, what, parts, data_date(), ext)
    context = {"Area": area_words, "Indicator": ind_name, "Period": period or ind_period}
    return name, context
