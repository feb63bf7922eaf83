"""Show your working: hand-worked strings for each kind of number."""

from __future__ import annotations

import math

import pytest

from jsna.app import working

BAD_HEALTH = {
    "indicator_id": "bad_health",
    "indicator_name": "Bad or very bad general health",
    "ci_method": "wilson",
    "polarity": "low_is_good",
    "period": "2021",
    "sources": "census/general_health_ward.csv; census/general_health_lsoa.csv",
    "publisher": "ONS Census 2021",
    "licence": "OGL v3",
}


def wilson_row(**over):
    row = {
        "area_name": "North",
        "indicator_name": "Bad or very bad general health",
        "sex": "Persons",
        "period": "2021",
        "value_type": "proportion",
        "unit": "%",
        "value": 2811 / 49929 * 100,
        "count": 2811.0,
        "denominator": 49929.0,
        "lower_ci95": 5.431205,
        "upper_ci95": 5.835611,
        "lower_ci998": 5.319621,
        "upper_ci998": 5.957338,
        "benchmark": "Trafford",
        "benchmark_value": 4.650767,
        "comparison": "worst",
        "comparison_reason": "England: no figure in the data, so compared with Trafford",
        "method": "Wilson",
        "note": None,
    }
    row.update(over)
    return row


def test_a_wilson_proportion_shows_inputs_formula_intervals_sources_and_comparison():
    text = working.working(wilson_row(), BAD_HEALTH)
    assert text.startswith("**Bad or very bad general health, North: 5.6%**")
    assert "- **Inputs:** count 2,811, denominator 49,929" in text
    assert "- **Method:** Wilson score interval" in text
    assert "value = 2,811 / 49,929 × 100 = 5.63%" in text
    assert "95% (z = 1.959964): 5.43% to 5.84%" in text
    assert "99.8% (z = 3.090232): 5.32% to 5.96%" in text
    assert "p = 2,811 / 49,929 = 0.056300" in text
    assert "- **Period:** 2021" in text
    assert "`census/general_health_ward.csv`, `census/general_health_lsoa.csv`" in text
    assert "- **Benchmark:** Trafford, 4.65%" in text
    assert (
        "**Worse (99.8%)**: the 95% interval (5.43% to 5.84%) lies wholly above Trafford's "
        "4.65%, and so does the 99.8% interval; lower is better (England: no figure in the "
        "data, so compared with Trafford)."
    ) in text


def test_a_similar_result_says_the_interval_contains_the_benchmark():
    row = wilson_row(
        benchmark_value=5.6, comparison="similar", comparison_reason="", benchmark="England"
    )
    text = working.working(row, BAD_HEALTH)
    assert "**Similar**: the 95% interval (5.43% to 5.84%) contains England's 5.60%" in text


def test_a_byars_rate_substitutes_the_events_and_the_multiplier():
    row = {
        "area_name": "Trafford",
        "indicator_name": "A&E attendances",
        "value_type": "rate",
        "unit": "per 1,000",
        "value": 8490 / 12868 * 1000,
        "count": 8490.0,
        "denominator": 12868.0,
        "lower_ci95": 645.82,
        "upper_ci95": 673.96,
        "lower_ci998": 637.87,
        "upper_ci998": 682.20,
        "benchmark": "England",
        "benchmark_value": 762.59,
        "comparison": "best",
        "comparison_reason": "",
        "method": "Byars",
        "period": "2021/22",
    }
    meta = {"ci_method": "byars", "polarity": "low_is_good", "sources": "ae.csv"}
    text = working.working(row, meta)
    assert "Byar's method, exact Poisson below 10 events (Byar's approximation here)" in text
    assert "value = 8,490 / 12,868 × 1,000 = 659.78 per 1,000" in text
    assert "O = 8,490 events; each limit ÷ 12,868 × 1,000" in text
    assert "**Better (99.8%)**" in text
    assert "wholly below England's 762.59 per 1,000" in text


def test_a_small_rate_says_exact_poisson():
    row = {
        "value_type": "rate",
        "unit": "per 100,000",
        "value": 7 / 5000 * 100_000,
        "count": 7.0,
        "denominator": 5000.0,
        "method": "Exact",
        "comparison": "similar",
        "lower_ci95": 56.3,
        "upper_ci95": 288.4,
        "benchmark": "England",
        "benchmark_value": 150.0,
    }
    text = working.working(row, {"ci_method": "byars"})
    assert "exact Poisson limits here" in text
    assert "value = 7 / 5,000 × 100,000 = 140.00 per 100,000" in text


def test_a_published_value_says_so_and_uses_ohids_comparison():
    row = {
        "area_name": "Trafford",
        "indicator_name": "Life expectancy",
        "sex": "Female",
        "value_type": "years",
        "unit": "years",
        "value": 84.1,
        "method": "As published by OHID (no interval in this extract)",
        "benchmark": "England",
        "benchmark_value": 83.5,
        "comparison": "better",
        "comparison_reason": "",
        "period": "2023-25",
    }
    text = working.working(row, {"ci_method": "published", "polarity": "high_is_good"})
    assert text.startswith("**Life expectancy, Trafford (female): 84.1 years**")
    assert "- **Method:** As published by OHID (no interval in this extract)" in text
    assert "- **Inputs:** none published (a value only)" in text
    assert "- **Confidence intervals:** none" in text
    assert "value = 84.1 years, taken as published" in text
    assert "OHID's own comparison with England, as published" in text


def test_an_estimate_explains_the_weighted_average_and_why_not_compared():
    row = {
        "area_name": "North",
        "indicator_name": "Cancer incidence",
        "value_type": "ratio",
        "value": 108.5,
        "method": "Estimate: population-weighted average of ward values",
        "benchmark": "England",
        "benchmark_value": 100.0,
        "comparison": "not compared",
        "comparison_reason": "estimate only: published without counts or confidence intervals",
    }
    text = working.working(row, {"ci_method": "none"})
    assert "- **Method:** Estimate: population-weighted average of ward values" in text
    assert "Σ(ward value × ward population) / Σ ward population = 108.5" in text
    assert (
        "Not compared: estimate only: published without counts or confidence intervals."
    ) in text


def test_a_suppressed_value_shows_the_note_and_is_not_compared():
    row = wilson_row(
        value=math.nan,
        count=math.nan,
        lower_ci95=math.nan,
        upper_ci95=math.nan,
        lower_ci998=math.nan,
        upper_ci998=math.nan,
        comparison="not compared",
        comparison_reason="suppressed (small number)",
        note="Suppressed: fewer than 5 (disclosure control)",
    )
    text = working.working(row, BAD_HEALTH)
    assert "*Suppressed: fewer than 5 (disclosure control)*" in text
    assert "Not compared: suppressed (small number)." in text
    assert "- **Inputs:** denominator 49,929" in text


def test_a_count_without_benchmark_says_so():
    row = {
        "area_name": "North",
        "indicator_name": "Resident population",
        "value_type": "count",
        "unit": "people",
        "value": 61147.0,
        "count": 61147.0,
        "method": "Sum of ward estimates",
        "benchmark": "England",
        "benchmark_value": math.nan,
        "comparison": "not compared",
        "comparison_reason": "a count, not a rate",
    }
    text = working.working(row, {"ci_method": "none"})
    assert "value = sum of the member areas' figures = 61,147" in text
    assert "- **Benchmark:** England, no figure for this indicator" in text


@pytest.mark.parametrize(("confidence", "z"), [(0.95, "1.959964"), (0.998, "3.090232")])
def test_the_z_values_are_the_standard_ones(confidence, z):
    assert f"{working.stats.z_value(confidence):.6f}" == z
