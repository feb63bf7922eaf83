"""Unit tests for jsna.app.views (overview grid, trend and scatter builders), sorted compare bars.

Expected values are worked by hand in the docstrings, never produced by the code under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jsna.app import charts, views
from jsna.core.stats import Comparison


@pytest.mark.parametrize("scheme", list(charts.SCHEMES))
def test_every_cell_fill_gets_text_with_at_least_4_5_to_1_contrast(scheme):
    for cat, fill in charts.SCHEMES[scheme].items():
        ratio = views.contrast_ratio(fill, views.text_colour(fill))
        assert ratio >= 4.5, (scheme, cat, fill, ratio)


def test_contrast_ratio_matches_wcag_for_black_on_white_and_grey():
    """Black on white is 21:1; #767676 on white is WCAG's well-known 4.54:1."""
    assert views.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert views.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_every_comparison_has_its_own_symbol_so_colour_is_not_the_only_cue():
    assert set(views.SYMBOLS) == set(charts.LEGEND_ORDER)
    assert len(set(views.SYMBOLS.values())) == len(views.SYMBOLS)


def test_correlation_matches_the_hand_worked_example():
    """x = 1, 2, 3, 4; y = 2, 4, 5, 8. Means 2.5 and 4.75.

    dx = −1.5, −0.5, 0.5, 1.5; dy = −2.75, −0.75, 0.25, 3.25.
    Sxx = 5, Syy = 7.5625 + 0.5625 + 0.0625 + 10.5625 = 18.75,
    Sxy = 4.125 + 0.375 + 0.125 + 4.875 = 9.5.
    r = 9.5 / √(5 · 18.75) = 9.5 / 9.682458 = 0.981156; slope = 9.5 / 5 = 1.9;
    intercept = 4.75 − 1.9 · 2.5 = 0.
    t = r √(2 / (1 − r²)) = 0.981156 · √(2 / 0.037333) = 7.1814. On 2 df the two-sided
    p = 1 − t/√(t² + 2), and t/√(t² + 2) = r exactly, so p = 1 − 0.981156 = 0.018844.
    """
    c = views.correlation([1, 2, 3, 4], [2, 4, 5, 8])
    assert c.n == 4
    assert c.r == pytest.approx(0.981156, abs=1e-6)
    assert c.slope == pytest.approx(1.9)
    assert c.intercept == pytest.approx(0.0, abs=1e-12)
    assert c.p_value == pytest.approx(0.018844, abs=1e-6)


def test_correlation_with_too_few_areas_or_no_spread_is_not_available():
    assert math.isnan(views.correlation([1, 2], [3, 4]).r)
    assert math.isnan(views.correlation([1, 1, 1], [3, 4, 5]).r)


def test_scatter_pairs_keep_areas_with_both_values_and_count_the_rest():
    rows = pd.DataFrame(
        {
            "area_code": ["A", "A", "B", "B", "C"],
            "area_name": ["Ay", "Ay", "Bee", "Bee", "Cee"],
            "vintage": None,
            "parent_code": "P",
            "parent_name": "Parent",
            "indicator_id": ["x", "y", "x", "y", "x"],
            "value": [1.0, 2.0, 3.0, None, 5.0],
        }
    )
    pairs, left_out = views.scatter_pairs(rows, "x", "y")
    assert list(pairs["area_code"]) == ["A"]
    assert (pairs["x"].iloc[0], pairs["y"].iloc[0]) == (1.0, 2.0)
    assert left_out == 2


def _cells() -> pd.DataFrame:
    base = {
        "unit": "%",
        "value_type": "proportion",
        "polarity": "low_is_good",
        "sex": "Persons",
        "lower_ci95": None,
        "upper_ci95": None,
        "count": None,
        "denominator": None,
        "benchmark": "England",
        "benchmark_value": 10.0,
        "comparison_reason": None,
        "is_estimate": False,
        "note": None,
        "vintage": None,
        "parent_code": None,
        "period": "2021",
    }
    rows = []
    for ind, name, dom, order in (("a", "Zeta", "D1", 1), ("b", "Alpha", "D1", 2)):
        for code, area, kind, ao, comp in (
            ("E", "England", "england", 0, "not compared"),
            ("N", "North", "neighbourhood", 2, "worse" if ind == "b" else "better"),
            ("T", "Trafford", "local_authority", 1, "similar"),
        ):
            rows.append(
                base
                | {
                    "indicator_id": ind,
                    "indicator_name": name,
                    "domain": dom,
                    "domain_order": 0,
                    "sort_order": order,
                    "area_code": code,
                    "area_name": area,
                    "area_type": kind,
                    "area_order": ao,
                    "value": 12.345,
                    "comparison": comp,
                }
            )
    return views.overview_cells(pd.DataFrame(rows))


def test_overview_rows_sort_by_profile_order_name_or_most_worse_cells():
    cells = _cells()
    assert [r for _, r in views.overview_rows(cells, "domain")] == ["Zeta", "Alpha"]
    assert [r for _, r in views.overview_rows(cells, "name")] == ["Alpha", "Zeta"]
    assert [r for _, r in views.overview_rows(cells, "worse")] == ["Alpha", "Zeta"]


def test_overview_html_colours_marks_and_links_each_cell():
    html = views.overview_html(_cells(), "fingertips", "domain", {"benchmark": "england"})
    worse = charts.FINGERTIPS[Comparison.WORSE]
    assert f"background:{worse};color:#ffffff" in html
    assert "12.3" in html
    assert views.SYMBOLS[Comparison.WORSE] in html
    assert 'href="Area_profile?area=N&amp;benchmark=england"' in html
    assert "North, Alpha: 12.3%. Worse (95%) compared with England." in html
    # England and Trafford are columns but not links (they have no area profile).
    assert "area=E&" not in html
    assert "area=T&" not in html


def test_overview_download_is_exactly_the_cells_in_grid_order():
    cells = _cells()
    out = views.overview_download(cells, "name")
    assert len(out) == len(cells) == 6
    assert list(out["indicator_name"]) == ["Alpha"] * 3 + ["Zeta"] * 3
    assert list(out["area_name"][:3]) == ["England", "Trafford", "North"]
    assert out["comparison"].iloc[2] == "Worse (95%)"


def test_wrap_label_breaks_long_names_between_words():
    assert views.wrap_label("Limelight Health And Wellbeing Hub", 22) == (
        "Limelight Health And<br>Wellbeing Hub"
    )
    assert views.wrap_label("Short", 22) == "Short"


def test_compare_bars_are_sorted_by_value_with_the_benchmark_as_a_line_and_unique_names():
    values = pd.DataFrame(
        {
            "area_code": ["W1", "W2", "W3", "W4"],
            "area_name": [
                "Altrincham",
                "Altrincham",
                "Bowdon",
                "Limelight Health And Wellbeing Hub",
            ],
            "sex": "Persons",
            "value": [5.0, 9.0, None, 7.0],
            "lower_ci95": [4.0, 8.0, None, 6.0],
            "upper_ci95": [6.0, 10.0, None, 8.0],
            "comparison": ["better", "worse", None, "similar"],
            "note": None,
            "value_type": "proportion",
            "unit": "%",
            "benchmark": "England",
            "comparison_reason": None,
            "is_estimate": False,
        }
    )
    fig = charts.compare_bars(
        values,
        "t",
        england_value=6.5,
        la_value=6.0,
        benchmark=("England", 6.5),
        la_name="Trafford",
    )
    order = list(fig.layout.yaxis.categoryarray)[::-1]  # top to bottom
    assert order == [
        "Altrincham W2",
        "Limelight Health And<br>Wellbeing Hub",
        "Altrincham W1",
        "Bowdon",
    ]
    names = [t.name for t in fig.data]
    assert "Benchmark: England 6.5" in names
    assert "Trafford 6.0" in names
    assert "England 6.5" not in names, "the benchmark line is not drawn twice"
    assert [s.x0 for s in fig.layout.shapes] == [6.5, 6.0]
    assert not fig.layout.annotations, "reference lines are named in the legend, not on the plot"


def test_comparison_words_name_the_benchmark_and_the_stricter_level():
    assert charts.comparison_words("better", "England") == "Better than England (95%)"
    assert charts.comparison_words("worst", "Trafford") == "Worse than Trafford (99.8%)"
    assert charts.comparison_words("higher", "England") == "Higher than England (95%)"
    assert charts.comparison_words("similar", "England") == "Similar to England"
    assert charts.comparison_words("not compared", "England") == "Not compared"
    assert charts.comparison_words("worse") == "Worse (95%)"
    assert charts.comparison_words("suppressed", "England") == "Suppressed (small number)"


def test_every_comparison_has_its_own_shape_and_the_stricter_level_is_darker():
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    assert len(set(charts.MARKERS.values())) == len(charts.MARKERS)
    for scheme in charts.SCHEMES.values():
        for strict, loose in (
            (Comparison.BEST, Comparison.BETTER),
            (Comparison.WORST, Comparison.WORSE),
            (Comparison.HIGHEST, Comparison.HIGHER),
            (Comparison.LOWEST, Comparison.LOWER),
        ):
            assert luminance(scheme[strict]) < luminance(scheme[loose]), (strict, scheme)
