"""Build your own area: pooling wards (hand-worked from source rows), suppression, URL parsing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from jsna.app import custom, queries
from jsna.build.profiles import IndicatorProfile, load_indicators, load_place
from jsna.core import stored
from jsna.core.schema import CI_COLUMNS
from jsna.core.suppression import SUPPRESSED_NOTE


def pool(con, codes, vintage, benchmark="default") -> custom.CustomProfile:
    """Pool as the app does: the place and indicators as the build stored them."""
    place = stored.place_from_rows(
        queries.place(con),
        queries.place_ward_sets(con),
        queries.place_lsoa_sets(con),
        queries.place_groups(con),
        queries.place_group_members(con),
    )
    return custom.pool_wards(
        queries.custom_ward_rows(con, benchmark),
        stored.profile_from_rows(queries.indicator_settings(con), queries.domains(con)),
        place,
        codes,
        vintage,
        benchmark_key=benchmark,
    )


# Clifford (E05000825) and Gorse Hill (E05000829), Census 2021 TS037, from
# indicators/census2021/health_disability_unpaid_care/2021_general_health_ward_trafford.csv:
#   Clifford:   very good 6677, good 4247, fair 1608, bad 641, very bad 201 -> 842 of 13,374
#   Gorse Hill: very good 5978, good 4061, fair 1494, bad 490, very bad 155 -> 645 of 12,178
# Pooled: x = 842 + 645 = 1,487 of n = 13,374 + 12,178 = 25,552; 1487 / 25552 = 5.819505%.
# Wilson: (2x + z² ± z·sqrt(z² + 4x(1 - x/n))) / (2(n + z²)), z = 1.959964 (95%), 3.090232 (99.8%).
TWO_WARDS = ["E05000825", "E05000829"]
BAD_HEALTH = {
    "count": 1487,
    "denominator": 25552,
    "value": 5.819505,
    "lower_ci95": 5.539040,
    "upper_ci95": 6.113253,
    "lower_ci998": 5.383207,
    "upper_ci998": 6.288814,
}


def test_two_wards_pool_to_the_hand_worked_bad_health_figure(con):
    row = pool(con, TWO_WARDS, "wards_2004").rows.set_index("indicator_id").loc["bad_health"]
    for column, expected in BAD_HEALTH.items():
        assert row[column] == pytest.approx(expected, abs=5e-7), column
    assert row["method"] == "Wilson"
    assert row["area_code"] == custom.CUSTOM_CODE
    # Compared with Trafford (bad_health's comparator; England has no ward-census figure):
    # 21 wards, 10,932 of 235,058 = 4.650767%, below even the 99.8% lower limit 5.383207, and
    # low is good, so the two wards are "worst".
    assert row["benchmark"] == "Trafford"
    assert row["benchmark_value"] == pytest.approx(10932 / 235058 * 100, rel=1e-12)
    assert row["comparison"] == "worst"
    assert row["comparison_reason"] == "England: no figure in the data, so compared with Trafford"


def test_two_wards_against_the_peer_group_are_similar(con):
    """The peers are the rest of Greater Manchester (2021_general_health_la_gm.csv without
    Trafford): 159,001 of 2,632,710 = 6.039442%, inside the 95% interval 5.539 to 6.113."""
    row = pool(con, TWO_WARDS, "wards_2004", "peers").rows.set_index("indicator_id")
    row = row.loc["bad_health"]
    assert row["value"] == pytest.approx(BAD_HEALTH["value"], abs=5e-7)
    assert row["benchmark"] == "Rest of Greater Manchester"
    assert row["benchmark_value"] == pytest.approx(159001 / 2632710 * 100, rel=1e-12)
    assert row["comparison"] == "similar"
    assert row["comparison_reason"] == ""
    england = pool(con, TWO_WARDS, "wards_2004", "england").rows.set_index("indicator_id")
    assert england.loc["bad_health", "comparison"] == "not compared"
    assert england.loc["bad_health", "comparison_reason"] == "no England figure in the data"


def test_north_wards_show_the_worked_bad_health_figure(con):
    north = load_place().neighbourhoods[0]
    rows = pool(con, north.wards["wards_2004"], "wards_2004").rows.set_index("indicator_id")
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


# North's May 2023 wards, mid-2024 estimates, all ages, Persons, from
# indicators/population/mid-year_2024_population_estimates_ward.csv: Gorse Hill & Cornbrook
# (E05015247) 13,301 + Longford (E05015250) 11,186 + Lostock & Barton (E05015251) 11,245 +
# Old Trafford (E05015253) 13,077 + Stretford & Humphrey Park (E05015256) 12,338 = 61,147.
NORTH_2023_WARDS = ["E05015247", "E05015250", "E05015251", "E05015253", "E05015256"]


def test_may_2023_wards_pool_the_population_and_explain_the_census_gap(con):
    result = pool(con, NORTH_2023_WARDS, "wards_2023")
    assert list(result.rows["indicator_id"]) == ["population"]
    assert result.rows["value"].iloc[0] == 13301 + 11186 + 11245 + 13077 + 12338
    assert result.rows["count"].iloc[0] == 61147
    reason = result.unavailable.set_index("indicator_id").loc["bad_health", "reason"]
    assert "2004 to May 2023" in reason


# --------------------------------------------------------------------------- synthetic wards
def _one_indicator() -> IndicatorProfile:
    """A Wilson proportion compared with England, low is good, on 2004 wards: id "ind"."""
    profile = load_indicators()
    ind = replace(profile.get("bad_health"), id="ind", comparator="england")
    return IndicatorProfile(profile.domains, (ind,))


PROFILE = _one_indicator()
PLACE = load_place()


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
        ward_rows([1, 2, 50], [100, 100, 1000]), PROFILE, PLACE, ["W0", "W1"], "wards_2004"
    )
    row = result.rows.iloc[0]
    assert row["note"] == SUPPRESSED_NOTE
    for c in ["value", "count", *CI_COLUMNS]:
        assert pd.isna(row[c])
    assert row["comparison"] == "not compared"
    assert row["comparison_reason"] == "suppressed (small number)"


def test_a_pooled_count_of_five_is_shown_and_compared():
    result = custom.pool_wards(
        ward_rows([2, 3, 50], [100, 100, 1000]), PROFILE, PLACE, ["W0", "W1"], "wards_2004"
    )
    row = result.rows.iloc[0]
    assert row["count"] == 5
    assert row["denominator"] == 200
    assert row["value"] == pytest.approx(2.5)
    # Wilson 95% for 5 of 200 (z = 1.959964): 1.072472% to 5.717834%, which holds England's 5.0.
    assert row["lower_ci95"] == pytest.approx(1.072472, abs=5e-7)
    assert row["upper_ci95"] == pytest.approx(5.717834, abs=5e-7)
    assert pd.isna(row["note"])
    assert row["comparison"] == "similar"


def test_a_ward_with_a_suppressed_count_makes_the_pooled_figure_not_available():
    """Never silently drop a ward: the figure is not available and the ward is named."""
    rows = ward_rows(
        [None, 30, 50],
        [100, 100, 1000],
        notes=["Suppressed: fewer than 5 (disclosure control)", None, None],
    )
    result = custom.pool_wards(rows, PROFILE, PLACE, ["W0", "W1"], "wards_2004")
    row = result.rows.iloc[0]
    assert pd.isna(row["value"])
    assert pd.isna(row["count"])
    assert row["note"].startswith("Not available")
    assert "Ward 0" in row["note"]
    assert "suppressed" in row["note"]
    assert row["comparison"] == "not compared"
    # Wards not chosen do not matter.
    ok = custom.pool_wards(rows, PROFILE, PLACE, ["W1", "W2"], "wards_2004").rows.iloc[0]
    assert ok["count"] == 80


def test_all_wards_compared_with_trafford_is_the_benchmark_itself():
    rows = ward_rows([20, 30], [100, 100]).assign(benchmark=PLACE.name, benchmark_value=25.0)
    result = custom.pool_wards(rows, PROFILE, PLACE, ["W0", "W1"], "wards_2004")
    assert result.rows.iloc[0]["comparison"] == "not compared"
    assert "benchmark" in result.rows.iloc[0]["comparison_reason"]


# --------------------------------------------------------------------------- selection
VINTAGES = {"wards_2004": "wards of 2004 to May 2023", "wards_2023": "wards from May 2023"}
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
    sel = custom.parse_wards(raw, WARDS, VINTAGES)
    assert sel.codes == codes
    assert sel.vintage == vintage
    assert len(sel.warnings) == n_warnings


def test_parse_wards_names_what_it_ignored():
    sel = custom.parse_wards("E05000825,BAD1,E05015247", WARDS, VINTAGES)
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
