"""Maps fit their area at any width: bounds, aspect and the room around the map."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from jsna.app.maps import MAP_LEGEND_LINE, fit_map

# A one-degree square on the equator: in Web Mercator it is (very nearly) square.
SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "A",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]],
            },
        }
    ],
}


def test_fit_map_bounds_the_area_with_a_margin_and_starts_zoomed_out():
    fig = go.Figure(go.Choroplethmap(geojson=SQUARE, locations=["A"], z=[1], name="Area"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    fit_map(fig, SQUARE)
    b = fig.layout.map.bounds
    # 5% of the one-degree span on each side.
    assert (b.west, b.east) == pytest.approx((-0.05, 1.05))
    assert (b.south, b.north) == pytest.approx((-0.05, 1.05), abs=1e-3)
    assert fig.layout.map.zoom == 1
    assert fig.layout.map.center.lon == pytest.approx(0.5)
    meta = fig.layout.meta
    assert meta["map_aspect"] == pytest.approx(1.0, abs=1e-3)
    # Title margin 60 + bottom 10 + one legend line + 16 px of legend padding.
    assert meta["map_fixed"] == 60 + 10 + MAP_LEGEND_LINE + 16
    assert meta["map_side"] == 20
    # One legend entry a line, whatever the width.
    assert fig.layout.legend.entrywidth == 1
    assert fig.layout.legend.entrywidthmode == "fraction"


def test_fit_map_aspect_of_a_wide_area():
    wide = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "W",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [0, 1], [2, 1], [2, 0], [0, 0]]],
                },
            }
        ],
    }
    fig = fit_map(go.Figure(), wide)
    assert fig.layout.meta["map_aspect"] == pytest.approx(2.0, abs=2e-3)


def test_a_neighbourhood_has_one_colour_on_the_home_map_and_the_scatter():
    """Issue 19: North is the same hue wherever it is drawn, whatever order rows come in."""
    import pandas as pd

    from jsna.app import maps
    from jsna.app.views.figures import Correlation, scatter_figure

    square = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]
    names = ["West", "North", "South", "Central"]
    layer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": n,
                "properties": {"area_name": n},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
            for n in names
        ],
    }
    practices = pd.DataFrame(
        columns=["practice_code", "practice_name", "pcn_name", "lon", "lat", "registered_patients"]
    )
    home = maps.neighbourhood_map(layer, practices)
    fills = {t.name.removesuffix(" neighbourhood"): t.colorscale[0][1] for t in home.data}
    pairs = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 5.0], "area_name": ["a", "b", "c", "d"]}
        | {"parent_name": ["South", "North", "Central", "West"]}
    )
    scatter = scatter_figure(pairs, Correlation(4, float("nan"), 0, 0, 1), "x", "y", "t")
    markers = {t.name: t.marker.color for t in scatter.data}
    # Alphabetical: Central blue, North ochre, South purple, West magenta (tint, strong).
    assert fills == {
        "Central": "#cfe3f3",
        "North": "#f3e3c3",
        "South": "#e4d9f0",
        "West": "#f5d3e5",
    }
    assert markers == {
        "Central": "#1d70b8",
        "North": "#a6761d",
        "South": "#6a3d9a",
        "West": "#b0176b",
    }
