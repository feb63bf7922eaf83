"""Sentences never hide a significant difference behind 'about the same'."""

from jsna.app import narrative, populations


def test_a_small_significant_difference_keeps_one_decimal():
    assert narrative.difference_phrase(100.4, 100.0) == "0.4% higher than"
    assert narrative.difference_phrase(84.0, 100.0) == "16% lower than"
    assert narrative.difference_phrase(5.0, 5.0) == "the same as"


def test_a_not_compared_row_never_says_higher_or_lower():
    row = {
        "indicator_name": "Deaths from cancer",
        "value_type": "ratio",
        "unit": "SMR",
        "value": 117.5,
        "benchmark": "England",
        "benchmark_value": 100.0,
        "england_value": 100.0,
        "comparison": "not compared",
        "is_estimate": True,
        "comparison_reason": "estimate only: published without counts",
    }
    text = narrative.sentence(row)
    assert "higher" not in text
    assert "lower" not in text
    assert "Not compared: estimate only" in text


# ------------------------------------------------------------------ the first screen, in words
import pandas as pd  # noqa: E402

from jsna.core import vocabulary  # noqa: E402


def _row(name, domain, value, bench, bench_value, comparison, **extra):
    return {
        "indicator_name": name,
        "domain": domain,
        "value": value,
        "benchmark": bench,
        "benchmark_value": bench_value,
        "comparison": comparison,
        "value_type": extra.get("value_type", "proportion"),
        "unit": extra.get("unit", "%"),
        "sex": "Persons",
    }


PROFILE = pd.DataFrame(
    [
        # Hand-worked: (8.5 - 7.5) / 7.5 = +13.3% -> "+13%"; (1.6 - 1.0) / 1.0 = +60%.
        _row(
            "Diabetes (17+): recorded prevalence",
            "Recorded disease",
            8.5,
            "England",
            7.5,
            "highest",
        ),
        _row(
            "Serious mental illness: recorded prevalence",
            "Recorded disease",
            1.6,
            "England",
            1.0,
            "highest",
        ),
        # (900 - 750) / 750 = +20%, a rate keeps its unit once.
        _row(
            "A&E attendances, under 5",
            "Primary care",
            900.0,
            "England",
            750.0,
            "worse",
            value_type="rate",
            unit="per 1,000",
        ),
        # Compared with the council because England has no figure: (5.6 - 4.0) / 4.0 = +40%.
        _row("Bad or very bad general health", "Disease", 5.6, "Trafford", 4.0, "worst"),
        # Demographics after health: (12.0 - 16.0) / 16.0 = -25%.
        _row("Older people aged 65 and over", "Demographics", 12.0, "England", 16.0, "lowest"),
        _row("Unpaid carers", "Demographics", 8.6, "England", 8.7, "similar"),
        _row(
            "Deaths from circulatory disease under 75",
            "Life expectancy",
            139.2,
            "",
            None,
            "not compared",
            value_type="ratio",
            unit="SMR",
        ),
    ]
)


def test_plain_findings_put_health_first_under_headings_that_name_their_benchmark():
    assert narrative.plain_findings(PROFILE) == [
        (
            "Health, compared with England",
            [
                "**Worse than England (95%)**: A&E attendances, under 5: 900.0 vs 750.0 "
                "per 1,000 (+20%).",
                "**Higher than England (99.8%)**: Serious mental illness: 1.6% vs 1.0% (+60%); "
                "Diabetes (17+): 8.5% vs 7.5% (+13%).",
            ],
        ),
        (
            "Health, compared with Trafford (England has no figure for these)",
            [
                "**Worse than Trafford (99.8%)**: Bad or very bad general health: "
                "5.6% vs 4.0% (+40%)."
            ],
        ),
        (
            "Who lives here and their circumstances, compared with England",
            [
                "**Lower than England (99.8%)**: Older people aged 65 and over: "
                "12.0% vs 16.0% (-25%)."
            ],
        ),
    ]


def test_rest_in_words_counts_similar_and_not_compared_apart():
    assert narrative.rest_in_words(PROFILE) == (
        "Not significantly different: 1 indicator. Not compared (no confidence interval, or "
        "no benchmark figure): 1 indicator."
    )


def test_an_area_with_two_indicators_says_it_has_little_data_not_no_difference():
    rows = pd.DataFrame(
        {
            "indicator_name": ["Resident population", "Average deprivation score (IMD 2025)"],
            "value_type": ["count", "score"],
            "value": [13301.0, 25.8],
        }
    )
    assert narrative.little_data(rows, "ward") == (
        "Little data: only 2 indicators have a figure for this ward (Resident population, "
        "Average deprivation score (IMD 2025)). Most figures are published for other areas, so "
        "this page cannot say how its health compares."
    )
    assert narrative.little_data(PROFILE, "ward") is None


def test_two_footprints_are_given_with_their_sizes_and_the_gap_between_them():
    # North: 61,147 residents on the wards from May 2023 (mid-2024 estimate) and 49,908 on the
    # wards of 2004 to May 2023 (Census 2021): 11,239 apart, about 11,000.
    rows = pd.DataFrame(
        {
            "population": [
                "Residents (wards from May 2023)",
                "Residents (wards of 2004 to May 2023)",
            ],
            "value_type": ["count", "proportion"],
            "unit": ["people", "%"],
            "value": [61147.0, 21.2],
            "denominator": [None, 49908.0],
            "count": [61147.0, 10581.0],
            "period": ["mid-2024", "2021"],
        }
    )
    text = populations.footprint_gap(rows)
    assert text is not None
    assert "61,147 residents" in text
    assert "49,908" in text
    assert "about 11,000 people apart" in text
    assert "slightly" not in text


def test_vocabulary_never_shows_a_code():
    words = {
        c: vocabulary.comparison_words(c, "England")
        for c in ("best", "worst", "highest", "lowest", "similar", "not compared")
    }
    assert words == {
        "best": "Better than England (99.8%)",
        "worst": "Worse than England (99.8%)",
        "highest": "Higher than England (99.8%)",
        "lowest": "Lower than England (99.8%)",
        "similar": "Similar to England",
        "not compared": "Not compared: no England figure",
    }
    assert vocabulary.signed_percent(8.5, 7.5) == "+13%"
    assert vocabulary.signed_percent(100.4, 100.0) == "+0.4%"
