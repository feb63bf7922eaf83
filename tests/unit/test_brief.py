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
            map_figure=go.Figure(go.Bar(x=[2])),
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
    positions = [html.index(f"<h2>{h}</h2>") for h in heads]
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
