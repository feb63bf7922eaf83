"""Maps carry each area's geometry once, and only the areas asked for."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from jsna.app import maps


def _square(code: str, x: float) -> dict:
    ring = [[x, 53.0], [x + 0.01, 53.0], [x + 0.01, 53.01], [x, 53.01], [x, 53.0]]
    return {
        "type": "Feature",
        "id": code,
        "properties": {"area_name": f"Area {code}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


LAYER = {
    "type": "FeatureCollection",
    "features": [_square(c, -2.3 + i * 0.01) for i, c in enumerate(["A", "B", "C", "D", "E"])],
}
VALUES = pd.DataFrame(
    {
        "area_code": ["A", "B", "C"],
        "area_name": ["Area A", "Area B", "Area C"],
        "value": [10.0, 20.0, None],
        "lower_ci95": [8.0, 18.0, None],
        "upper_ci95": [12.0, 22.0, None],
        "comparison": ["better", "worse", "not compared"],
        "comparison_reason": [None, None, "no value"],
        "benchmark": ["England"] * 3,
        "value_type": ["proportion"] * 3,
        "unit": ["%"] * 3,
        "note": [None, None, None],
    }
)


def _drawn(fig) -> Counter:
    return Counter(
        f["id"] for t in fig.data if t.type == "choroplethmap" for f in t.geojson["features"]
    )


def test_comparison_map_sends_each_asked_area_once_whatever_the_colouring():
    for colour_by in ("comparison", "value"):
        fig = maps.comparison_map(VALUES, LAYER, "t", colour_by=colour_by)
        assert _drawn(fig) == Counter({"A": 1, "B": 1, "C": 1}), colour_by
        for t in fig.data:
            assert {f["id"] for f in t.geojson["features"]} == set(t.locations)


def test_comparison_map_keeps_a_legend_entry_per_comparison():
    fig = maps.comparison_map(VALUES, LAYER, "t")
    # One vocabulary (issue 19): the legend names the benchmark the rows share.
    assert [t.name for t in fig.data] == [
        "Better than England (95%)",
        "Worse than England (95%)",
        "Not compared",
    ]


def test_neighbourhood_map_payload_grows_with_the_areas_not_their_square():
    practices = pd.DataFrame(
        columns=["pcn_name", "lon", "lat", "registered_patients", "practice_name", "practice_code"]
    )
    fig = maps.neighbourhood_map(LAYER, practices)
    assert _drawn(fig) == Counter(dict.fromkeys("ABCDE", 1))


def test_subset_keeps_the_order_asked_and_skips_unknown_codes():
    assert [f["id"] for f in maps.subset(LAYER, ["C", "Z", "A"])["features"]] == ["C", "A"]
