"""The one-page HTML brief: headline findings health first, named benchmarks, no script,
an appendix folded away, and the QOF year read from the data."""

from __future__ import annotations

import pandas as pd

from jsna.app import brief, svg

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
    "la_value": 4.62,
    "benchmark": "Trafford",
    "benchmark_value": 4.62,
    "comparison": "worst",
    "comparison_reason": "",
    "method": "Wilson",
    "is_estimate": False,
    "note": None,
    "population": "Residents (wards of 2004 to May 2023)",
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
            "sources": "indicators/census2021/a.csv",
            "licence": "OGL v3",
        },
        {
            "indicator_id": "qof_dm",
            "indicator_name": "Diabetes",
            "definition": "Register",
            "period": "2022/23",
            "ci_method_label": "Wilson score interval",
            "publisher": "NHS England, Quality and Outcomes Framework 2022/23",
            "sources": "gp/qof/b.csv",
            "licence": "OGL v3",
        },
    ]
)


def row(**kw: object) -> dict[str, object]:
    return {**ROW, **kw}


def profile(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows) or [ROW])


def make(rows: pd.DataFrame | None = None, triage: list[str] | None = None) -> str:
    return brief.render(
        brief.BriefInputs(
            area_name="North & West",
            area_kind="Neighbourhood",
            benchmark_phrase="England",
            data_date="2026-04",
            built_at="2026-11-23",
            profile=profile() if rows is None else rows,
            triage=triage or [],
            spread=pd.DataFrame(
                [
                    {
                        "indicator_id": "bad_health",
                        "sex": "Persons",
                        "min_value": 3.0,
                        "q25": 4.0,
                        "q75": 5.0,
                        "max_value": 6.0,
                    }
                ]
            ),
            map_svg='<figure class="map"><svg role="img"></svg></figure>',
            indicators=META,
            attribution="Contains National Statistics and OS data",
            place_name="Trafford",
            footprints=("49,929 residents (wards of 2004 to May 2023), 2021",),
        )
    )


def test_brief_page_one_has_findings_action_map_and_spine_then_a_folded_appendix():
    html = make(triage=["a", "b", "c", "d"])
    heads = ["Headline findings", "Where to act", "Map", "Spine chart", "Appendix"]
    positions = [html.index(f">{h}</h2>") for h in heads]
    assert positions == sorted(positions)
    body = html.split("</head>")[1]
    # Only three actions reach page one.
    assert "<li>c</li>" in body
    assert "<li>d</li>" not in body
    # The full tables are inside a closed <details> that print CSS leaves out.
    appendix = body[body.index('id="appendix"') :]
    assert "<details><summary>" in appendix
    assert "<details open" not in body
    assert appendix.index("Every indicator</h3>") < appendix.index("Caveats</h3>")
    assert ".appendix:has(details:not([open])) { display: none; }" in html
    assert "data up to 2026-04" in html
    assert "Who is counted: 49,929 residents (wards of 2004 to May 2023), 2021." in html


def test_brief_has_no_script_no_network_and_no_file_paths():
    html = make()
    assert "<script" not in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")
    assert ".csv" not in html
    assert "Files" not in html
    assert len(html.encode()) < 60_000


def test_brief_escapes_text_and_words_each_finding_against_its_benchmark():
    html = make()
    assert (
        "Bad &lt;health&gt;: 5.6% against Trafford&#x27;s 4.6%. Worse than Trafford (99.8%)."
        in (html)
    )
    assert "North &amp; West" in html


def test_headline_puts_health_first_then_the_stricter_level_and_counts_the_rest():
    rows = profile(
        row(indicator_id="kids", indicator_name="Children", domain_order=0, comparison="highest"),
        row(indicator_id="a", indicator_name="A", comparison="worse", sort_order=1),
        row(indicator_id="b", indicator_name="B", comparison="best", sort_order=2),
        row(indicator_id="c", indicator_name="C", comparison="worst", sort_order=3),
        row(indicator_id="d", indicator_name="D", comparison="similar", sort_order=4),
        row(indicator_id="e", indicator_name="E", comparison="worse", note="Suppressed (1 to 4)"),
    )
    lines = brief.headline(rows, limit=3)
    # C (99.8% worse) before A (95% worse) before B (99.8% better); Children (demographics)
    # comes after every health row; D is similar and E suppressed: neither is a finding.
    assert [ln.split(":")[0] for ln in lines] == [
        "C",
        "A",
        "B",
        "And 1 more significant differences, listed in the appendix.",
    ]
    assert brief.headline(rows, limit=4)[-1].startswith(
        "Children: 5.6% against Trafford's 4.6%. Higher than Trafford (99.8%)"
    )


def test_an_area_with_nothing_compared_says_so_rather_than_no_difference():
    rows = profile(row(comparison="not compared"), row(indicator_id="x", comparison="not compared"))
    html = make(rows)
    assert "None of the 2 indicators for this area can be compared with a benchmark" in html
    rows = profile(row(comparison="similar"), row(indicator_id="x", comparison="not compared"))
    assert brief.no_findings(rows) == (
        "None of the 1 indicators that could be compared differs significantly from its "
        "benchmark; 1 of 2 could not be compared."
    )


def test_with_nothing_worse_where_to_act_says_so():
    assert "No indicator is significantly worse than its benchmark." in make(triage=[])


def test_qof_caveat_names_the_year_from_the_data():
    rows = profile(ROW, row(indicator_id="qof_dm"))
    html = make(rows)
    assert "probably" not in html
    assert (
        "GP register figures (Quality and Outcomes Framework) are for 2022/23, as published by "
        "NHS England" in html
    )
    assert brief.qof_caveat(profile(), META) == []


def test_short_spine_row_places_the_area_and_benchmark_by_hand():
    # Benchmark 4.62, spread 3 to 6: half-width = max(4.62 - 3, 6 - 4.62) = 1.62. Low is good,
    # so the axis is flipped: value 5.6 sits at 1 - (0.5 + 0.98 / 3.24) = 0.1975 of the bar.
    # The bar is 160 px with 4 px margins: x = 4 + 0.1975 × 152 = 34.0 px; the benchmark at
    # 4 + 76 = 80.0 px. "Worse" is a downward triangle whose tip is at x.
    html = make()
    spine = html[html.index('id="spine"') :]
    assert '<line x1="80.0" x2="80.0"' in spine
    assert " 34.0,12.5" in spine
    assert "<td>Worse than Trafford (99.8%)</td>" in spine
    assert 'aria-hidden="true"' in spine


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
    out = svg.svg_map(SQUARES, {"B"}, practices, "Where Beta is", "Trafford")
    # Two degrees wide at latitude 0.5: cos(0.5°) = 0.999962, so 1° of longitude is 240 px
    # and the map is 480 / (2 × 0.999962) = 240.01 px tall, rounded to 240.
    assert 'viewBox="0 0 480 240"' in out
    assert out.count("<path ") == 2
    assert 'fill="#e8e8e8"' in out
    assert 'fill="#005eb8"' in out
    assert "Where Beta is: Beta within Trafford" in out
    assert 'role="img"' in out
    # The practice sits half-way across Beta (x = 1.5° → 360 px) and half-way up (y = 120 px).
    assert '<circle cx="360.0" cy="120.0"' in out
    assert "Dr &lt;Who&gt;" in out
    assert "GP practices of P PCN" in out
