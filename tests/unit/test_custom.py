"""Build your own area: pooling wards reproduces the build, suppression, URL parsing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna import custom, queries
from jsna.profiles import load_indicators, load_place

POOLED_COLUMNS = ["value", "count", "denominator", *custom.CI_COLUMNS, "benchmark_value"]
TEXT_COLUMNS = ["comparison", "comparison_reason", "method", "benchmark"]


def built_rows(con, area_code: str, benchmark: str) -> pd.DataFrame:
    sql = (
        "select p.* from profile_all as p join indicators as i using (indicator_id) "
        "where p.area_code = $a and p.period = i.period and p.benchmark_key = $b"
    )
    return (
        con.execute(sql, {"a": area_code, "b": benchmark}).df().set_index(["indicator_id", "sex"])
    )


def pool(con, codes, vintage, benchmark="default") -> custom.CustomProfile:
    return custom.pool_wards(
        queries.custom_ward_rows(con, benchmark),
        queries.indicators(con),
        codes,
        vintage,
        benchmark_key=benchmark,
        indicator_multipliers=custom.multipliers(load_indicators()),
        place_name=load_place().name,
    )


@pytest.mark.parametrize("benchmark", ["default", "england", "la", "peers"])
def test_the_wards_of_north_reproduce_the_built_north_values_and_cis(con, benchmark):
    """Given North's 2004-vintage wards (profiles/place.toml), when they are pooled, then every
    pooled indicator has the built North value, count, denominator and 95%/99.8% limits to
    1e-9, and the same benchmark, comparison and reason: it is the same method."""
    north = load_place().neighbourhoods[0]
    assert north.name == "North"
    result = pool(con, north.wards_2004, "wards_2004", benchmark)
    built = built_rows(con, north.code, benchmark)
    assert len(result.rows) >= 10
    assert {"bad_health", "aged_65_plus", "imd2019_most_deprived_20"} <= set(
        result.rows["indicator_id"]
    )
    for r in result.rows.to_dict("records"):
        b = built.loc[(r["indicator_id"], r["sex"])]
        for c in POOLED_COLUMNS:
            if pd.isna(b[c]):
                assert pd.isna(r[c]), (r["indicator_id"], c)
            else:
                assert r[c] == pytest.approx(b[c], rel=1e-9, abs=1e-9), (r["indicator_id"], c)
        for c in TEXT_COLUMNS:
            assert (r[c] or "") == (b[c] or ""), (r["indicator_id"], c)


def test_every_neighbourhood_in_both_vintages_is_reproduced(con):
    for n in load_place().neighbourhoods:
        for vintage, codes in (("wards_2004", n.wards_2004), ("wards_2023", n.wards_2023)):
            built = built_rows(con, n.code, "default")
            for r in pool(con, codes, vintage).rows.to_dict("records"):
                b = built.loc[(r["indicator_id"], r["sex"])]
                assert r["value"] == pytest.approx(b["value"], rel=1e-9), (n.name, r)
                assert r["comparison"] == b["comparison"]


def test_north_wards_show_the_worked_bad_health_figure(con):
    north = load_place().neighbourhoods[0]
    rows = pool(con, north.wards_2004, "wards_2004").rows.set_index("indicator_id")
    assert rows.loc["bad_health", "count"] == 2811
    assert rows.loc["bad_health", "denominator"] == 49929
    assert rows.loc["bad_health", "value"] == pytest.approx(2811 / 49929 * 100)


def test_indicators_that_cannot_be_pooled_are_listed_with_a_reason(con):
    result = pool(con, ["E05000825", "E05000829"], "wards_2004")
    gone = result.unavailable.set_index("indicator_id")["reason"]
    assert "estimate" in gone["cancer_incidence"]
    assert "Trafford as a whole" in gone["life_expectancy"]
    assert "practice" in gone["qof_hyp"]
    assert "May 2023" in gone["population"]
    assert not set(gone.index) & set(result.rows["indicator_id"])


def test_may_2023_wards_pool_the_population_and_explain_the_census_gap(con):
    north = load_place().neighbourhoods[0]
    result = pool(con, north.wards_2023, "wards_2023")
    assert list(result.rows["indicator_id"]) == ["population"]
    built = built_rows(con, north.code, "default")
    assert result.rows["value"].iloc[0] == built.loc[("population", "Persons"), "value"]
    reason = result.unavailable.set_index("indicator_id").loc["bad_health", "reason"]
    assert "2004 to May 2023" in reason


# --------------------------------------------------------------------------- synthetic wards
INDICATORS = pd.DataFrame(
    [
        {
            "indicator_id": "ind",
            "indicator_name": "Something",
            "domain": "Disease",
            "value_type": "proportion",
            "ci_method": "wilson",
            "comparator": "england",
            "estimate": False,
            "geography": "wards_2004",
            "polarity": "low_is_good",
        }
    ]
)


def ward_rows(counts: list[float | None], dens: list[float], notes=None) -> pd.DataFrame:
    n = len(counts)
    notes = notes or [None] * n
    return pd.DataFrame(
        {
            "area_code": [f"W{i}" for i in range(n)],
            "area_name": [f"Ward {i}" for i in range(n)],
            "vintage": "wards_2004",
            "indicator_id": "ind",
            "indicator_name": "Something",
            "domain": "Disease",
            "domain_order": 0,
            "sort_order": 0,
            "period": "2021",
            "sex": "Persons",
            "age": "All ages",
            "unit": "%",
            "value_type": "proportion",
            "polarity": "low_is_good",
            "value": [
                np.nan if c is None else 100 * c / d for c, d in zip(counts, dens, strict=False)
            ],
            "count": [np.nan if c is None else c for c in counts],
            "denominator": dens,
            "england_value": 5.0,
            "la_value": 4.0,
            "benchmark": "England",
            "benchmark_value": 5.0,
            "comparison": "similar",
            "comparison_reason": "",
            "method": "Wilson",
            "is_estimate": False,
            "note": notes,
        }
    )


def test_a_pooled_count_of_one_to_four_is_suppressed():
    result = custom.pool_wards(
        ward_rows([1, 2, 50], [100, 100, 1000]), INDICATORS, ["W0", "W1"], "wards_2004"
    )
    row = result.rows.iloc[0]
    assert row["note"] == custom.SUPPRESSED_NOTE
    for c in ["value", "count", *custom.CI_COLUMNS]:
        assert pd.isna(row[c])
    assert row["comparison"] == "not compared"
    assert row["comparison_reason"] == "suppressed (small number)"


def test_a_pooled_count_of_five_is_shown_and_compared():
    result = custom.pool_wards(
        ward_rows([2, 3, 50], [100, 100, 1000]), INDICATORS, ["W0", "W1"], "wards_2004"
    )
    row = result.rows.iloc[0]
    assert row["count"] == 5
    assert row["value"] == pytest.approx(2.5)
    assert pd.isna(row["note"])
    assert row["comparison"] in {"better", "best", "similar"}


def test_a_ward_with_a_suppressed_count_makes_the_pooled_figure_not_available():
    """Never silently drop a ward: the figure is not available and the ward is named."""
    rows = ward_rows(
        [None, 30, 50],
        [100, 100, 1000],
        notes=["Suppressed: fewer than 5 (disclosure control)", None, None],
    )
    result = custom.pool_wards(rows, INDICATORS, ["W0", "W1"], "wards_2004")
    row = result.rows.iloc[0]
    assert pd.isna(row["value"])
    assert pd.isna(row["count"])
    assert row["note"].startswith("Not available")
    assert "Ward 0" in row["note"]
    assert "suppressed" in row["note"]
    assert row["comparison"] == "not compared"
    # Wards not chosen do not matter.
    ok = custom.pool_wards(rows, INDICATORS, ["W1", "W2"], "wards_2004").rows.iloc[0]
    assert ok["count"] == 80


def test_all_wards_compared_with_trafford_is_the_benchmark_itself():
    rows = ward_rows([20, 30], [100, 100]).assign(benchmark="Trafford", benchmark_value=25.0)
    result = custom.pool_wards(rows, INDICATORS, ["W0", "W1"], "wards_2004")
    assert result.rows.iloc[0]["comparison"] == "not compared"
    assert "benchmark" in result.rows.iloc[0]["comparison_reason"]


# --------------------------------------------------------------------------- selection
WARDS = pd.DataFrame(
    {
        "area_code": ["E05000825", "E05000829", "E05015247"],
        "area_name": ["Clifford", "Gorse Hill", "Gorse Hill & Cornbrook"],
        "vintage": ["wards_2004", "wards_2004", "wards_2023"],
    }
)


@pytest.mark.parametrize(
    ("raw", "codes", "vintage", "n_warnings"),
    [
        (None, (), "wards_2004", 0),
        ("", (), "wards_2004", 0),
        ("E05000825,E05000829", ("E05000825", "E05000829"), "wards_2004", 0),
        (" e05000825 , E05000825 ", ("E05000825",), "wards_2004", 0),
        ("E05015247,E05000825", ("E05015247",), "wards_2023", 1),
        ("NOPE,E05000829", ("E05000829",), "wards_2004", 1),
        ("NOPE,E05015247,E05000829", ("E05015247",), "wards_2023", 2),
    ],
)
def test_parse_wards_keeps_known_codes_of_the_first_vintage(raw, codes, vintage, n_warnings):
    sel = custom.parse_wards(raw, WARDS)
    assert sel.codes == codes
    assert sel.vintage == vintage
    assert len(sel.warnings) == n_warnings


def test_parse_wards_names_what_it_ignored():
    sel = custom.parse_wards("E05000825,BAD1,E05015247", WARDS)
    assert "“BAD1”" in sel.warnings[0]
    assert "Gorse Hill & Cornbrook (E05015247)" in sel.warnings[1]


@pytest.mark.parametrize(
    ("selected", "clicked", "expected"),
    [
        ([], ["A"], ["A"]),
        (["A"], ["B"], ["A", "B"]),
        (["A", "B"], ["A"], ["B"]),
        (["A"], ["A", "B"], ["A", "B"]),
        (["A", "B"], ["A", "B"], []),
        (["A"], [], ["A"]),
    ],
)
def test_a_map_click_adds_new_wards_and_removes_chosen_ones(selected, clicked, expected):
    assert custom.toggle_wards(selected, clicked) == expected


def test_selected_locations_reads_choropleth_points():
    points = [{"location": "E05000825", "z": 1}, {"customdata": ["E05000829"]}, {"z": 2}]
    assert custom.selected_locations(points) == ["E05000825", "E05000829"]


def test_area_name_lists_a_few_wards_then_counts():
    names = {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": "Delta"}
    assert custom.area_name(["A"], names) == "Alpha"
    assert custom.area_name(["A", "B"], names) == "Alpha and Beta"
    assert custom.area_name(["A", "B", "C", "D"], names).startswith("4 wards")


def test_the_map_highlights_the_chosen_wards():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": c,
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-2.3, 53.4], [-2.29, 53.4], [-2.29, 53.41], [-2.3, 53.4]]],
                },
            }
            for c in WARDS["area_code"][:2]
        ],
    }
    fig = custom.ward_selection_map(geojson, WARDS, ["E05000825"], "t")
    by_name = {t.name: list(t.locations) for t in fig.data}
    assert by_name == {"Not chosen": ["E05000829"], "Chosen": ["E05000825"]}
    assert all(t.type == "choroplethmap" for t in fig.data)
