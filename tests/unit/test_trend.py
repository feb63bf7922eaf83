"""Unit tests for jsna.app.trend (Fingertips' recent-trend marker).

Expected values are worked by hand in each test's docstring, or read from FingertipsNext's own
``Trend`` column in the shared reference extract; none is produced by running this code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.app.trend import CHI2_998, proportion_trend, recent_trends, trend_label, wls_trend


def ci(values: list[float], se: float) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=float)
    return y - 1.96 * se, y + 1.96 * se


def test_a_straight_rising_line_gives_the_hand_worked_chi_square_of_40():
    """y = 10..14 at t = 1..5, every SE = 0.5, so every weight w = 1/0.25 = 4.

    S1 = Σw = 20, S3 = Σwt = 4·15 = 60, S5 = Σwt² = 4·55 = 220, S4 = Σwy = 4·60 = 240,
    S2 = Σwyt = 4·(10 + 22 + 36 + 52 + 70) = 760.
    β = (S1·S2 − S3·S4)/(S1·S5 − S3²) = (15200 − 14400)/(4400 − 3600) = 1.
    SE(β) = √(S1/(S1·S5 − S3²)) = √(20/800) = 0.158114; χ² = (1/0.158114)² = 40 > 9.5495.
    """
    lo, hi = ci([10, 11, 12, 13, 14], 0.5)
    slope, chi, sig = wls_trend([[10, 11, 12, 13, 14]], [lo], [hi])
    assert slope[0] == pytest.approx(1.0)
    assert chi[0] == pytest.approx(40.0)
    assert sig[0]


def test_a_flat_noisy_series_is_no_significant_change():
    """y = 10, 10.2, 10.1, 10.3, 10.2 with SE 0.5: equal weights, so β = Σ(t − 3)y / Σ(t − 3)².

    Σ(t − 3)y = −20 − 10.2 + 0 + 10.3 + 20.4 = 0.5, Σ(t − 3)² = 10, β = 0.05.
    SE(β) = √(1/(4·10)) = 0.158114, χ² = (0.05/0.158114)² = 0.1.
    """
    y = [10, 10.2, 10.1, 10.3, 10.2]
    lo, hi = ci(y, 0.5)
    slope, chi, sig = wls_trend([y], [lo], [hi])
    assert slope[0] == pytest.approx(0.05)
    assert chi[0] == pytest.approx(0.1)
    assert not sig[0]


def test_a_slope_that_flips_when_one_point_is_dropped_is_not_significant():
    """y = 20, 10, 10.5, 11, 11.5 with SE 0.5.

    All five: Σ(t − 3)y = −40 − 10 + 0 + 11 + 23 = −16, β = −1.6, χ² = (1.6/0.158114)² = 102.4,
    far above 9.5495. Without the first point the rest rise by 0.5 a period (β = +0.5): the
    sign changes, so Fingertips' outlier check says "no significant change".
    """
    y = [20, 10, 10.5, 11, 11.5]
    lo, hi = ci(y, 0.5)
    slope, chi, sig = wls_trend([y], [lo], [hi])
    assert slope[0] == pytest.approx(-1.6)
    assert chi[0] == pytest.approx(102.4)
    assert chi[0] > CHI2_998
    assert not sig[0]


def test_the_chi_square_test_for_trend_in_proportions_matches_the_hand_worked_value():
    """r = 10, 20, 30, 40, 50 out of n = 100 each, t = 1..5.

    N = 500, R = 150, Σrt = 10 + 40 + 90 + 160 + 250 = 550, Σnt = 1500, Σnt² = 5500.
    N·Σrt − R·Σnt = 275000 − 225000 = 50000.
    χ² = N·50000² / (R·(N − R)·(N·Σnt² − (Σnt)²))
       = 500·2.5e9 / (150·350·(2,750,000 − 2,250,000)) = 1.25e12 / 2.625e10 = 47.619.
    """
    slope, chi, sig = proportion_trend([[10, 20, 30, 40, 50]], [[100] * 5])
    assert chi[0] == pytest.approx(1.25e12 / 2.625e10)
    assert slope[0] > 0
    assert sig[0]


def test_inputs_that_cannot_be_tested_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="5 values"):
        wls_trend([[1, 2, 3]], [[0, 1, 2]], [[2, 3, 4]])
    with pytest.raises(ValueError, match="UCL > LCL"):
        wls_trend([[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]], [[1, 2, 3, 4, 5]])
    with pytest.raises(ValueError, match="0 < count < denominator"):
        proportion_trend([[0, 1, 2, 3, 4]], [[10] * 5])


@pytest.mark.parametrize(
    ("trend", "polarity", "words"),
    [
        ("increasing", "low_is_good", "Increasing and getting worse"),
        ("increasing", "high_is_good", "Increasing and getting better"),
        ("decreasing", "low_is_good", "Decreasing and getting better"),
        ("decreasing", "high_is_good", "Decreasing and getting worse"),
        ("decreasing", "no_judgement", "Decreasing"),
        ("no_change", "low_is_good", "No significant change"),
        ("cannot_calculate", "low_is_good", "Cannot be calculated"),
    ],
)
def test_markers_are_worded_as_fingertips_words_them(trend, polarity, words):
    assert trend_label(trend, polarity) == words


def test_only_the_last_five_points_with_intervals_count_and_short_series_cannot_be_calculated():
    """Series A has seven points: an early fall (30 → 10) then a steady rise 10..14 over the last
    five, so only the rise is tested (β = 1, as in the first test). Series B has four points;
    series C has values but no intervals or counts.
    """
    rise = [10, 11, 12, 13, 14]
    a = [30, 20, *rise]
    rows = []
    for i, v in enumerate(a):
        rows.append(("A", 2010 + i, v, v - 0.98, v + 0.98))
    for i, v in enumerate([1, 2, 3, 4]):
        rows.append(("B", 2010 + i, v, v - 0.98, v + 0.98))
    for i in range(6):
        rows.append(("C", 2010 + i, 5.0, np.nan, np.nan))
    df = pd.DataFrame(rows, columns=["area", "period", "value", "lower_ci95", "upper_ci95"])
    df["count"] = np.nan
    df["denominator"] = np.nan
    out = recent_trends(df, ["area"], polarity="low_is_good").set_index("area")
    assert out.loc["A", "trend"] == "increasing"
    assert out.loc["A", "trend_label"] == "Increasing and getting worse"
    assert out.loc["A", "chi_square"] == pytest.approx(40.0)
    assert (out.loc["A", "first_period"], out.loc["A", "last_period"]) == (2012, 2016)
    assert out.loc["B", "trend"] == "cannot_calculate"
    assert out.loc["B", "trend_reason"] == "only 4 points with an interval (5 needed)"
    assert out.loc["C", "trend_reason"] == "no period has a confidence interval or counts to test"


def test_markers_match_fingertipsnext_for_trafford_and_england_diabetes_and_dementia(source):
    """FingertipsNext's own ``Trend`` column (2023/24 rows) is the expected value: diabetes
    (241) "Increasing" for Trafford and England, dementia (247) "No significant change" for
    both. Both are "UseProportionsForTrend" indicators, so the counts are tested.
    """
    raw = pd.read_csv(source / "gp/fingertips/fingertipsnext_healthdata_trafford_england.csv")
    raw = raw[raw["IndicatorId"].isin([241, 247]) & raw["CategoryType"].isna()]
    rows = raw.rename(
        columns={
            "Year": "period",
            "Value": "value",
            "LowerCI": "lower_ci95",
            "UpperCI": "upper_ci95",
            "Count": "count",
            "Denominator": "denominator",
        }
    )
    got = recent_trends(rows, ["IndicatorId", "AreaCode"], use_proportions=True)
    expected = raw[raw["Trend"].notna()].set_index(["IndicatorId", "AreaCode"])["Trend"]
    assert len(expected) == 4
    labels = got.set_index(["IndicatorId", "AreaCode"])["trend_label"]
    assert labels.reindex(expected.index).to_dict() == expected.to_dict()
