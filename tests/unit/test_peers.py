"""An area against its peers: predictive interval (Dropkin 2018) and the gain to the better half."""

import numpy as np
import pytest
from scipy import stats as sps

from jsna.core.stats.peers import compare_with_peers, gain_to_upper_half, predictive_sd


def _simulate(flag, reps=4000, k=10, spread=1.0, se=0.5, seed=18):
    """Areas drawn alike: true values N(0, spread²) and observed ones with sampling error se.
    Returns the share of the first area flagged against the other k."""
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(reps):
        truth = rng.normal(0, spread, k + 1)
        y = truth + se * rng.standard_normal(k + 1)
        hits += flag(y[0], y[1:])
    return hits / reps


def test_no_true_difference_flags_close_to_five_percent():
    """Given an area and 10 peers drawn from the same distribution (real spread sd 1,
    sampling error 0.5), the predictive interval flags about 5% of areas."""
    rate = _simulate(
        lambda ours, peers: compare_with_peers(ours, 0.5, peers, [0.5] * 10).verdict != 0
    )
    assert 0.04 <= rate <= 0.06


def test_ignoring_the_spread_between_peers_flags_far_too_many():
    """The naive test (peers' mean ± 1.96 × the sampling error alone) on the same
    simulation flags far more than 5%: the false alarms the predictive interval avoids."""

    def naive(ours, peers):
        sd = np.sqrt(0.5**2 + 0.5**2 / len(peers))
        return abs(ours - peers.mean()) > 1.959964 * sd

    assert _simulate(naive) > 0.2


def test_predictive_sd_is_the_classical_prediction_interval_when_precision_is_equal():
    """Given the area measured as precisely as its peers and a real spread, sd is
    s_b·√(1 + 1/k) (s_b the peers' sample sd): peers 1, 2, 3, 4 (s_b² = 5/3), se 0.1."""
    sd = predictive_sd(0.1, [1.0, 2.0, 3.0, 4.0], [0.1] * 4)
    assert sd == pytest.approx(np.sqrt(5 / 3 * (1 + 1 / 4)))


def test_hand_worked_comparison():
    """Peers 5, 6, 7, 5, 6, 7 (mean 6, s_b² = 0.8, se 0.1 so σ² = 0.79) and ours 10 with
    se 0.1: sd = √(0.79 + 0.01 + 0.8/6), t(5, 0.975) from scipy.stats; 10 is above."""
    c = compare_with_peers(10.0, 0.1, [5.0, 6.0, 7.0, 5.0, 6.0, 7.0], [0.1] * 6)
    sd = np.sqrt(0.79 + 0.01 + 0.8 / 6)
    t = sps.t.ppf(0.975, 5)
    assert (c.lower, c.upper) == pytest.approx((6 - t * sd, 6 + t * sd))
    assert c.verdict == 1
    assert c.position == 1
    assert c.peer_median == 6.0
    assert c.p_above == pytest.approx(sps.t.cdf((10 - 6) / sd, 5))


def test_too_few_peers_give_no_verdict():
    c = compare_with_peers(10.0, 0.1, [5.0, np.nan], [0.1, 0.1])
    assert c.k == 1
    assert c.verdict == 0
    assert np.isnan(c.lower)


def test_gain_hand_worked():
    """Peers 0.04, 0.05, 0.07, 0.09: median 0.06, higher half 0.07 and 0.09, mean 0.08
    (sample variance 0.0002, over 2 = 0.0001). Ours 0.05 of 1,000 with se 0.01:
    gain (0.08 − 0.05) × 1,000 = 30, ± 1.96 × 1,000 × √(0.0001 + 0.0001)."""
    g = gain_to_upper_half(0.05, 0.01, 1000, [0.04, 0.05, 0.07, 0.09])
    half = 1.959964 * 1000 * np.sqrt(0.0002)
    assert (g.people, g.lower, g.upper, g.target) == pytest.approx(
        (30.0, 30 - half, 30 + half, 0.08)
    )
