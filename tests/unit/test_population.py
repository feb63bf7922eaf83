"""Pyramid and age-band builders, small-number suppression, postcode helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.app import postcode
from jsna.app import pyramids as population
from jsna.core import suppression


def _bands():
    return pd.DataFrame(
        {
            "sex": ["Males", "Males", "Females", "Females"],
            "age_band": ["0-4", "5-9", "0-4", "5-9"],
            "band_start": [0, 5, 0, 5],
            "count": [30.0, 70.0, 50.0, 50.0],
        }
    )


def test_each_side_of_the_pyramid_is_that_sexs_own_percentage():
    england = pd.DataFrame({"age_band": ["0-4", "5-9"], "percent": [40.0, 60.0]})
    t = population.pyramid_table(_bands(), population.england_outline(england))
    assert list(t["males_pct"]) == [30.0, 70.0]
    assert list(t["females_pct"]) == [50.0, 50.0]
    assert list(t["outline_males_pct"]) == list(t["outline_females_pct"]) == [40.0, 60.0]


def test_pyramid_figure_puts_males_left_and_females_right():
    t = population.pyramid_table(_bands(), population.area_outline(_bands()))
    fig = population.pyramid_figure(t, "t", "Trafford")
    males, females = fig.data[0], fig.data[1]
    assert males.name == "Males"
    assert all(x < 0 for x in males.x)
    assert all(x > 0 for x in females.x)


def test_gp_bands_table_gives_percent_of_list_and_england():
    area = pd.DataFrame({"age_band": ["0-15", "65+"], "band_start": [0, 65], "count": [25.0, 75.0]})
    eng = pd.DataFrame({"age_band": ["0-15", "65+"], "count": [1.0, 3.0]})
    t = population.bands_table(area, eng)
    assert list(t["percent"]) == [25.0, 75.0]
    assert list(t["england_percent"]) == [25.0, 75.0]


def test_a_lone_small_count_is_blanked_with_the_next_smallest():
    """Given one count of 3 in a group with a shown total, 3 alone could be recovered."""
    df = pd.DataFrame(
        {
            "area_code": ["a"] * 4 + ["b"] * 2,
            "band_start": [0, 5, 10, 15, 0, 5],
            "count": [3.0, 10.0, 20.0, 0.0, 2.0, 1.0],
        }
    )
    out = suppression.suppress_bands(df, pd.DataFrame(columns=["group_code", "member_code"]), [])
    assert list(out["suppressed"]) == [True, True, False, False, True, True]
    assert list(out["secondary"]) == [False, True, False, False, False, False]
    assert np.isnan(out["count"].iloc[0])
    assert out["count"].iloc[3] == 0  # zeros are not disclosive and stay


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("m33 7xw", "M33 7XW"),
        ("M337XW", "M33 7XW"),
        ("  wa14 1aa", "WA14 1AA"),
        ("M1 1AA", "M1 1AA"),
    ],
)
def test_postcodes_are_normalised_whatever_the_spacing_or_case(typed, expected):
    assert postcode.normalise(typed) == expected


@pytest.mark.parametrize("typed", ["", "hello", "**M33**", "M33 7X", "123 456", None])
def test_text_that_cannot_be_a_postcode_gives_none(typed):
    assert postcode.normalise(typed) is None


def test_great_circle_distance_matches_a_hand_worked_case():
    """One degree of latitude is 2πR/360 = 111.195 km on a sphere of radius 6371.0088 km."""
    d = postcode.distance_km(-2.3, 53.0, pd.Series([-2.3]), pd.Series([54.0]))
    assert d[0] == pytest.approx(111.195, abs=0.001)


def test_nearest_practices_are_in_distance_order():
    p = pd.DataFrame(
        {"practice_code": ["far", "near", "mid"], "lon": [-2.0, -2.3, -2.2], "lat": [53.0] * 3}
    )
    n = postcode.nearest_practices(p, -2.3, 53.0, n=2)
    assert list(n["practice_code"]) == ["near", "mid"]
