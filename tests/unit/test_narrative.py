"""Sentences never hide a significant difference behind 'about the same'."""

from jsna import narrative


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
