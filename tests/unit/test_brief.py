"""The HTML brief: every section, escaped text, self-contained."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from jsna import brief

ROW = {
    "area_code": "NBH-X",
    "area_name": "X",
    "indicator_id": "bad_health",
    "indicator_name": "Bad <health>",
    "domain": "Disease",
    "domain_order": 3,
    "sort_order": 1,
    "period": "2021",
    "sex": "Persons",
    "unit": "%",
    "value_type": "proportion",
    "polarity": "low_is_good",
    "value": 5.6,
    "lower_ci95": 5.4,
    "upper_ci95": 5.8,
    "lower_ci998": 5.3,
    "upper_ci998": 5.9,
    "count": 2811.0,
    "denominator": 49929.0,
    "england_value": None,
    "la_value": 4.65,
    "benchmark": "Trafford",
    "benchmark_value": 4.65,
    "comparison": "worst",
    "comparison_reason": "",
    "method": "Wilson",
    "is_estimate": False,
    "note": None,
}
META = pd.DataFrame(
    [
        {
            "indicator_id": "bad_health",
            "indicator_name": "Bad <health>",
            "definition": "Def & more",
            "period": "2021",
            "ci_method_label": "Wilson score interval",
            "publisher": "ONS",
            "sources": "a.csv",
            "licence": "OGL v3",
        }
    ]
)


def make(triage: list[str]) -> str:
    return brief.render(
        brief.BriefInputs(
            area_name="North & West",
            area_kind="Neighbourhood",
            benchmark_phrase="England",
            built_at="2026-11-23",
            profile=pd.DataFrame([ROW]),
            triage=triage,
            spine=go.Figure(go.Bar(x=[1])),
            map_svg='<figure class="map"><svg role="img"></svg></figure>',
            indicators=META,
            attribution="Contains National Statistics and OS data",
        )
    )


def test_brief_has_every_section_in_order():
    html = make(["North: about 10 more"])
    heads = [
        "Summary",
        "Where to act",
        "Spine chart",
        "Map",
        "Every indicator",
        "Definitions and sources",
        "Caveats",
    ]
    positions = [html.index(f">{h}</h2>") for h in heads]
    assert positions == sorted(positions)
    assert "data built 2026-11-23" in html
    assert "Contains National Statistics and OS data" in html


def test_brief_escapes_text_and_embeds_plotly_once():
    html = make([])
    assert "Bad &lt;health&gt;" in html
    assert "North &amp; West" in html
    assert html.count("<script>") >= 1
    assert "cdn.plot.ly" not in html.split("</head>")[1][:200]
    assert "significantly worse, 99.8% confidence" in html


def test_brief_with_no_gaps_says_none():
    assert "<p>None.</p>" in make([])


def test_brief_has_landmarks_a_section_per_page_and_no_plotly_map():
    html = make([])
    body = html.split("</head>")[1]
    assert body.index("<header>") < body.index("<nav") < body.index("<main>")
    assert body.count("<main>") == 1
    assert "</main><footer>" in body
    assert body.count("<section ") == 8
    assert "@page { size: A4 portrait" in html
    assert "section + section { break-before: page" in html
    assert '<a href="#s3">Map</a>' in body
    # The map is the inline SVG given, not a plotly (WebGL) figure.
    assert '<section id="s3" aria-labelledby="s3-h"><h2 id="s3-h">Map</h2><figure' in body
    assert body.count('class="plotly-graph-div"') == 1


SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "A",
            "properties": {"area_name": "Alpha"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        },
        {
            "type": "Feature",
            "id": "B",
            "properties": {"area_name": "Beta"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[1, 0], [2, 0], [2, 1], [1, 1]]]],
            },
        },
    ],
}


def test_svg_map_draws_every_polygon_scaled_to_its_box_and_names_the_area():
    practices = pd.DataFrame(
        {"pcn_name": ["P"], "practice_name": ["Dr <Who>"], "lon": [1.5], "lat": [0.5]}
    )
    out = brief.svg_map(SQUARES, {"B"}, practices, "Where Beta is", "Trafford")
    # Two degrees wide at latitude 0.5: cos(0.5°) = 0.999962, so 1° of longitude is 320 px
    # and the map is 640 / (2 × 0.999962) = 320.01 px tall, rounded to 320.
    assert 'viewBox="0 0 640 320"' in out
    assert out.count("<path ") == 2
    assert 'fill="#e8e8e8"' in out
    assert 'fill="#005eb8"' in out
    assert "Where Beta is: Beta within Trafford" in out
    assert 'role="img"' in out
    # The practice sits half-way across Beta (x = 1.5° → 480 px) and half-way up (y = 160 px).
    assert '<circle cx="480.0" cy="160.0"' in out
    assert "Dr &lt;Who&gt;" in out
    assert "GP practices of P PCN" in out
