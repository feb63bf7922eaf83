"""Ranks with 95% intervals by simulation, decile probabilities and rankability."""

import numpy as np
import pytest

from jsna.core.stats.ranks import rank_intervals, rankability


def test_an_area_far_from_all_others_has_a_narrow_interval():
    """Given 50 areas around 10 (sd 1, se 0.5) and one at 100, the far one is 1st in
    every draw."""
    rng = np.random.default_rng(1)
    values = np.r_[100.0, rng.normal(10, 1, 50)]
    r = rank_intervals(values, np.full(51, 0.5))
    assert (r.lower[0], r.upper[0]) == (1.0, 1.0)
    assert r.p_decile[0] == 1.0


def test_identical_areas_have_wide_overlapping_intervals():
    """Given 20 areas with the same value and standard error, each rank is pure chance:
    every interval spans most of 1 to 20 and all of them overlap."""
    r = rank_intervals(np.full(20, 5.0), np.full(20, 0.1))
    assert np.all(r.lower <= 2)
    assert np.all(r.upper >= 19)
    assert r.lower.max() <= r.upper.min()


def test_intervals_cover_the_true_rank_about_95_percent_of_the_time():
    """Given true values and observed ones drawn around them with known standard errors
    (200 areas, se equal to the spread, 30 replications), the simulated 95% interval of
    each observed rank should contain the true rank close to 95% of the time (we accept
    93%-97%; 6,000 intervals give a binomial standard error of 0.3%)."""
    rng = np.random.default_rng(2026)
    covered, total = 0, 0
    for _ in range(30):
        truth = rng.normal(0, 1, 200)
        se = rng.uniform(0.2, 1.0, 200)
        observed = truth + se * rng.standard_normal(200)
        true_rank = (-truth).argsort().argsort() + 1
        r = rank_intervals(observed, se, draws=400, seed=int(rng.integers(1 << 30)))
        covered += int(((r.lower <= true_rank) & (true_rank <= r.upper)).sum())
        total += 200
    assert 0.93 <= covered / total <= 0.97


def test_missing_values_are_not_ranked():
    r = rank_intervals([3.0, np.nan, 1.0], [0.01, 0.01, 0.01])
    assert np.isnan(r.lower[1])
    assert np.isnan(r.p_decile[1])
    assert r.lower.tolist()[::2] == [1.0, 2.0]


def test_rankability_hand_worked():
    """y = 1, 2, 3 with s = 0.5: w = 4, weighted mean 2, Q = 4 × (1 + 0 + 1) = 8 on 2 df;
    Σw − Σw²/Σw = 12 − 48/12 = 8, so τ² = (8 − 2)/8 = 0.75 and ρ = 0.75/(0.75 + 0.25)."""
    assert rankability([1.0, 2.0, 3.0], [0.5, 0.5, 0.5]) == pytest.approx(0.75)


def test_rankability_is_zero_when_the_spread_is_all_chance():
    """y = 1, 1.1, 0.9 with s = 1: Q = 0.02 < 2, so τ² = 0 and ρ = 0."""
    assert rankability([1.0, 1.1, 0.9], [1.0, 1.0, 1.0]) == 0.0


def test_negative_standard_error_is_rejected():
    with pytest.raises(ValueError, match="se"):
        rank_intervals([1.0, 2.0], [0.1, -0.1])
