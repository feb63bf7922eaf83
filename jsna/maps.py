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

from jsna.charts import LABELS, LEGEND_ORDER, PCN_COLOURS, SCHEMES, _layout, category, hover_text


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


def map_view(geojson: dict[str, Any], width: int = 700, height: int = 520) -> dict[str, Any]:
    """Centre and zoom that fit every feature of `geojson` into a width x height map."""
    pts = [pt for f in geojson["features"] for pt in _coords(f["geometry"])]
    if not pts:
        return {"center": {"lon": -2.33, "lat": 53.42}, "zoom": 10.5}
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(lons) - min(lons) or 0.01
    y_span = merc(max(lats)) - merc(min(lats)) or 0.01
    zoom_x = math.log2(width * 360 / (256 * lon_span))
    zoom_y = math.log2(height * 2 * math.pi / (256 * y_span))
    centre_lat = math.degrees(
        2 * math.atan(math.exp((merc(max(lats)) + merc(min(lats))) / 2)) - math.pi / 2
    )
    return {
        "center": {"lon": (max(lons) + min(lons)) / 2, "lat": centre_lat},
        "zoom": min(zoom_x, zoom_y) - 0.5,
    }


def _map_layout(
    fig: go.Figure, title: str, geojson: dict[str, Any], height: int = 680, width: int = 800
) -> go.Figure:
    # "white-bg" is MapLibre's built-in blank style: no tiles, fonts or network at all.
    fig.update_layout(
        map={"style": "white-bg", **map_view(geojson, width, height - 250)},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
    )
    return _layout(fig, title, height)


def practice_points(practices: pd.DataFrame) -> list[go.Scattermap]:
    """Practices as points sized by list size and coloured by PCN."""
    traces = []
    size = practices["registered_patients"].astype(float).pow(0.5) / 8
    for i, (pcn, sub) in enumerate(practices.groupby("pcn_name", sort=True)):
        traces.append(
            go.Scattermap(
                lon=sub["lon"],
                lat=sub["lat"],
                mode="markers",
                name=f"{pcn} PCN practices",
                marker={
                    "size": size.loc[sub.index],
                    "color": PCN_COLOURS[i % len(PCN_COLOURS)],
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
) -> go.Figure:
    """Choropleth of one indicator, coloured by comparison (default) or by value.

    Draws the areas of `values` only (the view fits them), each geometry in one trace.
    """
    fig = go.Figure()
    df = values.copy()
    df["_text"] = [hover_text(r) for r in df.to_dict("records")]
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
        has = df[df["value"].notna()]
        add(
            has,
            z=has["value"],
            colorscale="Blues",
            name="Value",
            colorbar={
                "title": {"text": str(df["unit"].iloc[0])[:24] if "unit" in df and len(df) else ""}
            },
        )
        gone = df[df["value"].isna()]
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
                name=LABELS[cat],
            )
    if practices is not None and not practices.empty:
        for t in practice_points(practices):
            fig.add_trace(t)
    return _map_layout(fig, title, subset(geojson, df["area_code"]))


def neighbourhood_map(geojson: dict[str, Any], practices: pd.DataFrame) -> go.Figure:
    """The neighbourhoods with the GP practices on top (one trace, and geometry, per area)."""
    fig = go.Figure()
    palette = ["#cfe3f3", "#fde0c5", "#d9f0d3", "#e8dff0", "#fff3bf"]
    for i, f in enumerate(geojson["features"]):
        code, name = f["id"], f["properties"]["area_name"]
        fig.add_choroplethmap(
            geojson={"type": "FeatureCollection", "features": [f]},
            featureidkey="id",
            locations=[code],
            z=[1],
            colorscale=[[0, palette[i % 5]], [1, palette[i % 5]]],
            showscale=False,
            name=f"{name} neighbourhood",
            showlegend=True,
            marker_line_color="#555",
            marker_line_width=1.5,
            hovertemplate=f"<b>{name}</b> neighbourhood<extra></extra>",
        )
    for t in practice_points(practices):
        fig.add_trace(t)
    return _map_layout(
        fig,
        "Neighbourhoods and GP practices (sized by list, coloured by PCN)",
        geojson,
        600,
        width=440,
    )
