"""Compose the downloadable area brief from cached data (called only when clicked)."""

from __future__ import annotations

from jsna.app import brief, insight, populations, svg
from jsna.app.ui import files, state, widgets

KINDS = {"neighbourhood": "Neighbourhood", "pcn": "Primary Care Network", "ward": "Ward"}


def brief_file_name(code: str) -> str:
    """`<place>_brief_<area name>_<data date>.html`, e.g. `trafford_brief_central_2026-04.html`."""
    return files.name_and_context("brief", code, ext="html")[0]


def area_brief(code: str, bench: str, scheme: str) -> str:
    """The HTML brief for one area, compared with the chosen benchmark."""
    area = state.area(code)
    area_type = str(area["area_type"])
    profile = state.area_profile(code, bench)
    names = tuple(dict.fromkeys(n for n in profile["benchmark"].dropna() if n))
    spread = state.indicator_spread(area_type)
    label = widgets.area_type_words(area_type)
    practices = state.practices()
    place = state.place()
    current = place.ward_set(place.current_ward_set)
    if area_type == "pcn":
        layer, highlight = current.neighbourhood_layer, set()
        practices = practices[practices["pcn_code"] == code]
    elif area_type == "ward":
        layer = place.ward_set(str(area["vintage"])).layer
        highlight = {code}
    else:
        layer, highlight = current.neighbourhood_layer, {code}
    where = svg.svg_map(
        state.boundary(layer),
        highlight,
        practices,
        f"Where {area['area_name']} is",
        place.name,
    )
    return brief.render(
        brief.BriefInputs(
            area_name=str(area["area_name"]),
            area_kind=KINDS.get(area_type, area_type),
            benchmark_phrase=widgets.benchmark_phrase(bench),
            data_date=files.data_date(),
            built_at=state.build_info().get("built_at", "unknown"),
            profile=profile,
            triage=insight.triage_sentences(profile, None, names) if names else [],
            spread=spread,
            map_svg=where,
            indicators=state.indicators(),
            attribution=widgets.attribution(),
            place_name=place.name,
            la_name=place.name,
            footprints=tuple(populations.footprints(profile)),
            ward_set_caveat=(widgets.ward_sets_sentence(),),
            scheme=scheme,
            area_words=label,
        )
    )
