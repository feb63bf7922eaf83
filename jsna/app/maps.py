"""Map figures: choropleths of the place's areas and its GP practices, with no map tiles.

Every figure carries each area's geometry once: a trace holds a FeatureCollection of only the
features it draws (plotly copies a trace's `geojson` into the page for every trace that names
it), and only the areas asked for are drawn, so the payload grows with the areas in view, not
with the square of them or with England's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from jsna.app import smoothed_view
from jsna.app.charts import (
    LEGEND_ORDER,
    SCHEMES,
    category,
    comparison_words,
    hover_text,
    layout,
    subtitle,
)
from jsna.core.vocabulary import area_colours

# Share of the area's width and height left blank on each side of a map.
MAP_MARGIN = 0.05
# Height of one line of a map's legend (13 px text).
MAP_LEGEND_LINE = 19


def _coords(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    rings = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        rings = [rings]
    return [tuple(pt) for poly in rings for ring in poly for pt in ring]


def subset(geojson: dict[str, Any], codes: Iterable[str]) -> dict[str, Any]:
    """A FeatureCollection of the features with these ids, in their order (unknown ids skipped).

    The features are shared with `geojson`, not copied: treat both as read-only.
    """
    by_id = {f["id"]: f for f in geojson.get("features", [])}
    return {"type": "FeatureCollection", "features": [by_id[c] for c in codes if c in by_id]}


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_map(fig: go.Figure, geojson: dict[str, Any]) -> go.Figure:
    """Set a finished map figure to show every feature of `geojson` at any chart width.

    The server cannot know how wide the reader's screen is, so no fixed zoom fits both a
    phone and a desktop. Instead the map's bounds (MapLibre's `maxBounds`) are the area's
    box with a margin, and the starting zoom is far out: MapLibre zooms in until the bounds
    fill the chart, which shows the whole area when the chart has the bounds' shape.
    `widgets.map_chart` keeps it so, from what `layout.meta` says: the map's aspect ratio
    and the pixels taken by the title, legend and margins. The legend has one entry a line,
    so it is as tall on a phone as on a desktop. The figure's own height leaves a small map,
    so MapLibre starts zoomed out and only ever zooms in as the chart grows to its size.
    """
    pts = [pt for f in geojson["features"] for pt in _coords(f["geometry"])]
    lons, lats = [p[0] for p in pts] or [-1.0, 1.0], [p[1] for p in pts] or [51.0, 53.0]
    west, east = min(lons), max(lons)
    south, north = _merc(min(lats)), _merc(max(lats))
    pad_x, pad_y = (east - west) * MAP_MARGIN, (north - south) * MAP_MARGIN
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y

    def lat(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)

    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    margin = fig.layout.margin
    fixed = (margin.t or 0) + (margin.b or 0) + MAP_LEGEND_LINE * entries + 16
    return fig.update_layout(
        map={
            # "white-bg" is MapLibre's built-in blank style: no tiles, fonts or network.
            "style": "white-bg",
            "bounds": {"west": west, "east": east, "south": lat(south), "north": lat(north)},
            "center": {"lon": (west + east) / 2, "lat": lat((south + north) / 2)},
            "zoom": 1,
        },
        meta={
            "map_aspect": math.radians(east - west) / (north - south),
            "map_fixed": fixed,
            "map_side": (margin.l or 0) + (margin.r or 0),
        },
        legend={
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "entrywidth": 1,
            "entrywidthmode": "fraction",
        },
        height=fixed + 120,
    )


def _map_layout(fig: go.Figure, title: str, geojson: dict[str, Any]) -> go.Figure:
    layout(fig, title, 680).update_layout(margin={"t": 40 + 20 * title.count("<br>")})
    return fit_map(fig, geojson)


def practice_points(practices: pd.DataFrame) -> list[go.Scattermap]:
    """Practices as points sized by list size and coloured by PCN."""
    traces = []
    # A place built from national data has no practice sites: nothing to draw.
    practices = practices[practices["lon"].notna() & practices["lat"].notna()]
    size = practices["registered_patients"].astype(float).pow(0.5) / 8
    colours = area_colours(list(practices["pcn_name"]))
    for pcn, sub in practices.groupby("pcn_name", sort=True):
        traces.append(
            go.Scattermap(
                lon=sub["lon"],
                lat=sub["lat"],
                mode="markers",
                name=f"{pcn} PCN practices",
                marker={
                    "size": size.loc[sub.index],
                    "color": colours[str(pcn)][0],
                    "opacity": 0.9,
                },
                text=[
                    f"<b>{r.practice_name}</b> ({r.practice_code})<br>{pcn} PCN<br>"
                    f"{r.registered_patients:,} registered patients"
                    for r in sub.itertuples()
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    return traces


def comparison_map(
    values: pd.DataFrame,
    geojson: dict[str, Any],
    title: str,
    scheme: str = "fingertips",
    colour_by: str = "comparison",
    practices: pd.DataFrame | None = None,
    smoothed: bool = False,
) -> go.Figure:
    """Choropleth of one indicator, coloured by comparison (default) or by value.

    Draws the areas of `values` only (the view fits them), each geometry in one trace. With
    `smoothed` (rows from `smoothed_view.with_smoothed`), the hover leads with the smoothed
    value and "by value" colours by it; comparison colours stay the raw value's.
    """
    fig = go.Figure()
    df = values.copy()
    df["_text"] = [hover_text(r) for r in df.to_dict("records")]
    shown = "value"
    if smoothed:
        rows = zip(df.to_dict("records"), df["_text"], strict=True)
        df["_text"] = [smoothed_view.hover(r, t) for r, t in rows]
        shown = "smoothed_value"
    common = {
        "featureidkey": "id",
        "marker_line_color": "#ffffff",
        "marker_line_width": 1,
        "hovertemplate": "%{text}<extra></extra>",
    }

    def add(sub: pd.DataFrame, **trace: Any) -> None:
        codes = list(sub["area_code"])
        fig.add_choroplethmap(
            geojson=subset(geojson, codes), locations=codes, text=sub["_text"], **common, **trace
        )

    if colour_by == "value":
        has = df[df[shown].notna()]
        unit = str(df["unit"].iloc[0])[:24] if "unit" in df and len(df) else ""
        add(
            has,
            z=has[shown],
            colorscale="Blues",
            name="Smoothed value" if smoothed else "Value",
            colorbar={"title": {"text": f"Smoothed<br>{unit}" if smoothed else unit}},
        )
        gone = df[df[shown].isna()]
        if not gone.empty:
            add(
                gone,
                z=[0] * len(gone),
                showscale=False,
                showlegend=True,
                colorscale=[[0, "#f2f2f2"], [1, "#f2f2f2"]],
                name="No value (suppressed or not available)",
            )
    else:
        colours = SCHEMES[scheme]
        df["_cat"] = [category(r) for r in df.to_dict("records")]
        # The legend names the benchmark ("Higher than England (99.8%)") when one is shared.
        named = df["benchmark"].dropna() if "benchmark" in df else pd.Series(dtype=str)
        named = named[named != ""]
        bench = str(named.mode().iloc[0]) if named.nunique() == 1 else None
        for cat in LEGEND_ORDER:
            sub = df[df["_cat"] == cat]
            if sub.empty:
                continue
            add(
                sub,
                z=[1] * len(sub),
                showscale=False,
                showlegend=True,
                colorscale=[[0, colours[cat]], [1, colours[cat]]],
                name=comparison_words(cat, bench),
            )
    if practices is not None and not practices.empty:
        for t in practice_points(practices):
            fig.add_trace(t)
    return _map_layout(fig, title, subset(geojson, df["area_code"]))


def neighbourhood_map(geojson: dict[str, Any], practices: pd.DataFrame) -> go.Figure:
    """The neighbourhoods with the GP practices on top (one trace, and geometry, per area)."""
    fig = go.Figure()
    tints = area_colours([f["properties"]["area_name"] for f in geojson["features"]])
    for f in geojson["features"]:
        code, name = f["id"], f["properties"]["area_name"]
        tint = tints[str(name)][1]
        fig.add_choroplethmap(
            geojson={"type": "FeatureCollection", "features": [f]},
            featureidkey="id",
            locations=[code],
            z=[1],
            colorscale=[[0, tint], [1, tint]],
            showscale=False,
            name=f"{name} neighbourhood",
            showlegend=True,
            marker_line_color="#555",
            marker_line_width=1.5,
            hovertemplate=f"<b>{name}</b> neighbourhood<extra></extra>",
        )
    for t in practice_points(practices):
        fig.add_trace(t)
    title = "Neighbourhoods and GP practices" + subtitle("dots sized by list, coloured by PCN")
    return _map_layout(fig, title, geojson)
