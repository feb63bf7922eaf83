"""Spiegelhalter's overdispersed funnel limits: reference files, a hand-worked set, edge cases."""

import math

import numpy as np
import pytest

from jsna.core.stats.overdispersion import (
    overdispersed_outliers,
    overdispersed_proportion_limits,
    proportion_overdispersion,
)
from tests.unit.test_stats import ATOL, FUNNEL_LIMIT_COLUMNS, assert_close, read_csv

Z998 = 3.090232306167813  # Φ⁻¹(0.999), as METHODS.md gives it


@pytest.mark.parametrize(
    ("outputs", "max_denominator"),
    [
        ("testdata_funnel_prop_outputs.csv", math.inf),
        ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31_000),
    ],
)
def test_with_no_between_area_variance_the_limits_are_the_reference_funnel(
    outputs, max_denominator
):
    """Given τ² = 0, the overdispersed limits are PHEindicatormethods' published funnel."""
    inputs = read_csv("testdata_funnel_prop_inputs.csv")
    inputs = inputs[inputs["denominator"] < max_denominator]
    average = inputs["numerator"].sum() / inputs["denominator"].sum()
    ref = read_csv(outputs)
    for lower_col, upper_col, confidence in FUNNEL_LIMIT_COLUMNS:
        lower, upper = overdispersed_proportion_limits(average, ref["Population"], confidence, 0.0)
        assert_close(lower * 100, ref[lower_col], atol=ATOL)
        assert_close(upper * 100, ref[upper_col], atol=ATOL)


def test_hand_worked_phi_and_tau2():
    """Five areas of 100 with 10, 20, 30, 40 and 50 cases against a target of 0.3.

    s² = 0.3 × 0.7 / 100 = 0.0021 for every area, so z = (y − 0.3)/s with y − 0.3 =
    −0.2, −0.1, 0, 0.1, 0.2. The 10th percentile of five values (linear, position
    0.1 × 4 = 0.4) is −0.2 + 0.4 × 0.1 = −0.16 (in units of 1/s), the 90th +0.16, so the
    winsorised deviations are −0.16, −0.1, 0, 0.1, 0.16 and
    Σz² = 2 × (0.0256 + 0.01) / 0.0021 = 0.0712 / 0.0021; φ = that / 5 = 6.7809…
    nφ = 33.90 > n − 1 = 4, so with w = 1/0.0021 for all: Σw − Σw²/Σw = 5w − w = 4w and
    τ² = (0.0712/0.0021 − 4) × 0.0021 / 4 = (0.0712 − 0.0084) / 4 = 0.0157.
    """
    od = proportion_overdispersion([10, 20, 30, 40, 50], [100] * 5, 0.3)
    assert od.n == 5
    assert od.phi == pytest.approx(0.0712 / 0.0021 / 5, rel=1e-12)
    assert od.tau2 == pytest.approx(0.0157, rel=1e-12)


def test_hand_worked_limits_add_tau2_to_the_reference_half_width():
    """Given the reference funnel's 99.8% limits at a list of 10,000 (read from the file),
    with τ² = 0.0001 (a real spread of 1 percentage point) each limit moves out to
    p0 ± √((limit − p0)² + z² τ²)."""
    inputs = read_csv("testdata_funnel_prop_inputs.csv")
    inputs = inputs[inputs["denominator"] < 31_000]
    p0 = inputs["numerator"].sum() / inputs["denominator"].sum()
    ref = read_csv("testdata_funnel_prop_outputs_with_axis_variation.csv")
    row = ref[ref["Population"] == 10_000].iloc[0]
    lo0, hi0 = row["Lower3s0001limit"] / 100, row["Upper3s0001limit"] / 100
    expected_lo = p0 - math.sqrt((p0 - lo0) ** 2 + Z998**2 * 0.0001)
    expected_hi = p0 + math.sqrt((hi0 - p0) ** 2 + Z998**2 * 0.0001)
    lo, hi = overdispersed_proportion_limits(p0, [10_000], 0.998, 0.0001)
    assert float(lo[0]) == pytest.approx(expected_lo, abs=1e-8)
    assert float(hi[0]) == pytest.approx(expected_hi, abs=1e-8)


def test_no_overdispersion_when_the_areas_vary_by_chance_alone():
    """Five areas whose z-scores are −1, −0.5, 0, 0.5, 1 (n = 10,000, p0 = 0.5, s = 0.005):
    winsorised to ±0.8 (0.1 × 4 = 0.4 of the way from −1 to −0.5), Σz² = 2 × (0.64 + 0.25)
    = 1.78, nφ = 1.78 < 4, so τ² = 0."""
    x = [5000 - 50, 5000 - 25, 5000, 5000 + 25, 5000 + 50]
    od = proportion_overdispersion(x, [10_000] * 5, 0.5)
    assert od.phi == pytest.approx(1.78 / 5, rel=1e-9)
    assert od.tau2 == 0.0


def test_missing_values_are_left_out_and_one_area_gives_no_dispersion():
    od = proportion_overdispersion([np.nan, 10], [100, 100], 0.3)
    assert od == (1, 1.0, 0.0)


@pytest.mark.parametrize(
    ("target", "x", "n", "message"),
    [
        (0.0, [1], [10], "target"),
        (0.3, [11], [10], "count must be <= denominator"),
        (0.3, [-1], [10], "numerator"),
        (0.3, [1], [0], "denominator"),
    ],
)
def test_bad_input_is_rejected(target, x, n, message):
    with pytest.raises(ValueError, match=message):
        proportion_overdispersion(x, n, target)


def test_negative_tau2_is_rejected():
    with pytest.raises(ValueError, match="tau2"):
        overdispersed_proportion_limits(0.3, [100], 0.998, -1.0)


def test_outliers_against_wider_limits_are_fewer():
    """10 and 90 of 100 lie outside the plain 99.8% funnel around 0.5 (limits 0.35-0.65
    at n = 100); with τ² = 0.04 (z·τ = 3.09 × 0.2 = 0.62) neither does."""
    assert overdispersed_outliers([10, 50, 90], [100] * 3, 0.5, 0.0).tolist() == [-1, 0, 1]
    assert overdispersed_outliers([10, 50, 90], [100] * 3, 0.5, 0.04).tolist() == [0, 0, 0]
