"""Empirical-Bayes smoothing (jsna/core/stats/smoothing.py) against hand-worked cases.

Expected values are worked by hand below (Marshall's moment estimates written out), and the
credible intervals are checked through identities that do not use the code's route: the
Gamma(k, rate) CDF with integer k equals a Poisson tail, summed here term by term with math.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jsna.core.stats.smoothing import smooth_poisson, smooth_proportion

# O = (2, 10, 30), E = (5, 10, 20): b = 42/35 = 1.2; raw r = (0.4, 1.0, 1.5);
# s² = (5·0.64 + 10·0.04 + 20·0.09)/35 = 5.4/35; Ē = 35/3, so b/Ē = 3.6/35;
# a = 1.8/35 = 9/175. Prior Gamma(shape b²/a = 28, rate b/a = 70/3).
# Posteriors: (30, 85/3), (38, 100/3), (58, 130/3); means 90/85, 114/100, 174/130.
OBSERVED, EXPECTED = [2, 10, 30], [5, 10, 20]
SHAPES, RATES = [30, 38, 58], [85 / 3, 100 / 3, 130 / 3]


def _poisson_cdf(k: int, lam: float) -> float:
    """P(Poisson(lam) <= k), term by term."""
    return sum(math.exp(-lam) * lam**j / math.factorial(j) for j in range(k + 1))


def test_poisson_gamma_hand_worked_means() -> None:
    out = smooth_poisson(OBSERVED, EXPECTED, benchmark=1.0)
    assert out["smoothed_value"].tolist() == pytest.approx([90 / 85, 1.14, 174 / 130], rel=1e-12)
    # Marshall's shrinkage form gives the same: area 3, C = a / (a + b/E) = (9/175)/(9/175 + 0.06).
    c3 = (9 / 175) / (9 / 175 + 0.06)
    assert out["smoothed_value"][2] == pytest.approx(1.2 + c3 * (1.5 - 1.2), rel=1e-12)


def test_poisson_gamma_interval_and_probability_from_poisson_tails() -> None:
    out = smooth_poisson(OBSERVED, EXPECTED, benchmark=1.0)
    for i, (k, rate) in enumerate(zip(SHAPES, RATES, strict=True)):
        # P(Gamma(k, rate) <= x) = P(Poisson(rate·x) >= k) = 1 - P(Poisson <= k - 1).
        lo, hi = out["smoothed_lower95"][i], out["smoothed_upper95"][i]
        assert 1 - _poisson_cdf(k - 1, rate * lo) == pytest.approx(0.025, abs=1e-9)
        assert 1 - _poisson_cdf(k - 1, rate * hi) == pytest.approx(0.975, abs=1e-9)
        # P(true ratio > 1) = P(Gamma > 1) = P(Poisson(rate) <= k - 1).
        assert out["p_higher"][i] == pytest.approx(_poisson_cdf(k - 1, rate), abs=1e-9)


def test_multiplier_scales_values_not_probabilities() -> None:
    plain = smooth_poisson(OBSERVED, EXPECTED, benchmark=1.0)
    smr = smooth_poisson(OBSERVED, EXPECTED, benchmark=100.0, multiplier=100.0)
    assert smr["smoothed_value"].tolist() == pytest.approx(
        (plain["smoothed_value"] * 100).tolist(), rel=1e-12
    )
    assert smr["p_higher"].tolist() == pytest.approx(plain["p_higher"].tolist(), rel=1e-12)


def test_smoothed_tends_to_raw_as_counts_grow() -> None:
    raw = np.array([0.4, 1.0, 1.5])
    gaps = []
    for k in (1, 10, 100, 10_000):
        out = smooth_poisson(np.array(OBSERVED) * k, np.array(EXPECTED) * k, benchmark=1.0)
        gaps.append(float(np.max(np.abs(out["smoothed_value"] - raw))))
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 1e-3
    assert gaps[0] > 0.1  # area 1 (2 observed of 5 expected) moves a long way at k = 1


def test_no_variation_beyond_chance_shrinks_every_area_to_the_overall_rate() -> None:
    # O = (4, 6), E = (5, 5): b = 1, s² = (5·0.04 + 5·0.04)/10 = 0.04 < b/Ē = 0.2, so a = 0.
    out = smooth_poisson([4, 6], [5, 5], benchmark=0.9)
    assert out["smoothed_value"].tolist() == [1.0, 1.0]
    assert out["p_higher"].tolist() == [1.0, 1.0]


def test_missing_inputs_stay_missing_and_take_no_part() -> None:
    out = smooth_poisson([2, np.nan, 10, 30], [5, 7, 10, 20], benchmark=1.0)
    assert np.isnan(out["smoothed_value"][1])
    assert out["smoothed_value"][[0, 2, 3]].tolist() == pytest.approx(
        [90 / 85, 1.14, 174 / 130], rel=1e-12
    )


# y = (1, 5, 30) of n = (10, 20, 60): p = 36/90 = 0.4; p_i = (0.1, 0.25, 0.5);
# s² = (10·0.09 + 20·0.0225 + 60·0.01)/90 = 1.95/90; n̄ = 30, p(1 − p)/n̄ = 0.008;
# a = 1.95/90 − 0.008 = 41/3000; α + β = 0.24/a − 1 = 679/41; α = 0.4 · 679/41 = 271.6/41.
# Area 1: (271.6/41 + 1) / (679/41 + 10) = 312.6/1089.
def test_beta_binomial_hand_worked() -> None:
    out = smooth_proportion([1, 5, 30], [10, 20, 60], benchmark=40.0)
    alpha0, beta0 = 271.6 / 41, (679 - 271.6) / 41
    expected = [(alpha0 + y) / (alpha0 + beta0 + n) for y, n in ((1, 10), (5, 20), (30, 60))]
    assert out["smoothed_value"][0] == pytest.approx(100 * 312.6 / 1089, rel=1e-12)
    assert out["smoothed_value"].tolist() == pytest.approx([100 * v for v in expected], rel=1e-12)
    # The interval and probability against draws from the same Beta posterior (seeded).
    rng = np.random.default_rng(3)
    draws = rng.beta(alpha0 + 1, beta0 + 9, size=1_000_000) * 100
    assert out["smoothed_lower95"][0] == pytest.approx(np.quantile(draws, 0.025), abs=0.05)
    assert out["smoothed_upper95"][0] == pytest.approx(np.quantile(draws, 0.975), abs=0.05)
    assert out["p_higher"][0] == pytest.approx(float(np.mean(draws > 40.0)), abs=0.002)


def test_beta_binomial_with_identical_proportions_shrinks_to_the_overall() -> None:
    out = smooth_proportion([10, 20], [100, 200], benchmark=5.0)
    assert out["smoothed_value"].tolist() == pytest.approx([10.0, 10.0], rel=1e-12)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="must not exceed"):
        smooth_proportion([5], [4], benchmark=50.0)
    with pytest.raises(ValueError, match="non-negative"):
        smooth_poisson([-1, 2], [1, 2], benchmark=1.0)
