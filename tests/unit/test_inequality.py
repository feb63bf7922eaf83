"""SII/RII against PHEindicatormethods' reference file, and pooling by IMD decile."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jsna.app import inequality
from tests.conftest import SOURCE

SII_FILE = SOURCE / "reference_tests" / "PHEindicatormethods" / "testdata_SII.xlsx"

# (test description, value type, transform, multiplier, confidence, repetitions)
CASES = [
    ("default (e.g. life expectancy) - default parameters", "default", False, 1, 0.95, 100_000),
    ("default - testing 99% confidence", "default", False, 1, 0.99, 100_000),
    ("default - testing 10,000 repetitions", "default", False, 1, 0.95, 10_000),
    ("rate (e.g. infant mortality) - default parameters", "rate", False, 1, 0.95, 100_000),
    ("proportion (e.g. child obesity) - default parameters", "proportion", False, 1, 0.95, 100_000),
    ("proportion - testing multiplier (x 100)", "proportion", False, 100, 0.95, 100_000),
    ("proportion - testing multiplier (x -100)", "proportion", False, -100, 0.95, 100_000),
    ("default (e.g. life expectancy) - intercept", "default", False, 1, 0.95, 100_000),
    ("rate (e.g. infant mortality) - intercept", "rate", False, 1, 0.95, 100_000),
    ("rate (e.g. infant mortality) - log transform with intercept", "rate", True, 1, 0.95, 100_000),
    (
        "rate (e.g. infant mortality) - log transform with negative multiplier",
        "rate",
        True,
        -1,
        0.95,
        100_000,
    ),
    ("rate (e.g. infant mortality) - log transform with 98% CI", "rate", True, 1, 0.98, 100_000),
    (
        "proportion (e.g. child obesity) - logit transform with intercept",
        "proportion",
        True,
        1,
        0.95,
        100_000,
    ),
    (
        "proportion (e.g. child obesity) - logit transform with negative multiplier",
        "proportion",
        True,
        -1,
        0.95,
        100_000,
    ),
    (
        "proportion (e.g. child obesity) - logit transform with 98% cis",
        "proportion",
        True,
        1,
        0.98,
        100_000,
    ),
]


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_excel(SII_FILE, sheet_name="testdata_SII")


def _groups(reference, description):
    rows = reference[reference["TestDescription"] == description]
    assert not rows.empty, description
    return [g.sort_values("Quantile") for _, g in rows.groupby("Area")]


@pytest.mark.parametrize(("description", "vtype", "transform", "mult", "conf", "reps"), CASES)
def test_sii_and_rii_match_phe_sii_reference_cases(
    reference, description, vtype, transform, mult, conf, reps
):
    """Point values (regression, exact) match tightly; simulated CIs match within Monte Carlo noise.

    The reference CIs come from R's random numbers (100,000 draws, or 10,000), ours from numpy's;
    two independent simulations of a 2.5th/97.5th percentile differ by about 0.3% of the SII, so
    limits must agree within 1% of the SII (2% for the 10,000-draw case).
    """
    tol = 0.02 if reps < 100_000 else 0.01
    for g in _groups(reference, description):
        ref = g.iloc[0]
        r = inequality.phe_sii(
            g["Population"],
            g["Value"],
            g["LowerCL"],
            g["UpperCL"],
            value_type=vtype,
            transform=transform,
            multiplier=mult,
            confidence=conf,
            repetitions=reps,
        )
        assert r.sii == pytest.approx(ref["sii"], rel=1e-7)
        if not math.isnan(ref["rii"]):
            assert r.rii == pytest.approx(ref["rii"], rel=1e-7)
        if not math.isnan(ref["Intercept"]):
            assert r.intercept == pytest.approx(ref["Intercept"], rel=1e-7)
        band = tol * abs(ref["sii"])
        assert abs(r.sii_lower - ref["sii_lowercl_1"]) <= band
        assert abs(r.sii_upper - ref["sii_uppercl_1"]) <= band
        if not math.isnan(ref["rii_lowercl_1"]):
            assert abs(r.rii_lower - ref["rii_lowercl_1"]) <= tol * ref["rii"]
            assert abs(r.rii_upper - ref["rii_uppercl_1"]) <= tol * ref["rii"]


def test_quintile_case_gives_the_reference_point_values(reference):
    for g in _groups(reference, "default - testing quintiles"):
        r = inequality.phe_sii(
            g["Population"], g["Value"], g["LowerCL"], g["UpperCL"], repetitions=1000
        )
        assert r.sii == pytest.approx(g.iloc[0]["sii"], rel=1e-7)
        assert r.rii == pytest.approx(g.iloc[0]["rii"], rel=1e-7)


def test_same_seed_gives_the_same_limits():
    args = ([10, 20, 30], [1.0, 2.0, 2.5], [0.8, 1.8, 2.2], [1.2, 2.2, 2.8])
    assert inequality.phe_sii(*args, repetitions=5000) == inequality.phe_sii(
        *args, repetitions=5000
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([10], [1.0], [0.9], [1.1]), "at least two"),
        (([10, -1], [1.0, 2.0], [0.9, 1.9], [1.1, 2.1]), "population must be positive"),
        (([10, 10], [1.0, 2.0], [1.1, 1.9], [1.2, 2.1]), "within its confidence limits"),
        (([10, 10], [1.0, float("nan")], [0.9, 1.9], [1.1, 2.1]), "needs a value"),
    ],
)
def test_bad_inputs_are_rejected_with_a_reason(args, message):
    with pytest.raises(ValueError, match=message):
        inequality.phe_sii(*args)


def test_deciles_pool_counts_and_mark_deciles_with_no_lsoas():
    """Given LSOAs in deciles 1 and 3 only, decile 1 pools 10+30 of 100+200 (hand-worked 13.33%)."""
    lsoa = pd.DataFrame(
        {"imd_decile": [1, 1, 3], "count": [10.0, 30.0, 5.0], "denominator": [100.0, 200.0, 50.0]}
    )
    d = inequality.by_decile(lsoa).set_index("imd_decile")
    assert d.loc[1, "value"] == pytest.approx(40 / 300 * 100)
    assert d.loc[1, "lsoas"] == 2
    assert d.loc[2, "lsoas"] == 0
    assert np.isnan(d.loc[2, "value"])
    assert d.loc[1, "lower_ci95"] < d.loc[1, "value"] < d.loc[1, "upper_ci95"]
    # Wilson 95% for 40/300, by hand: centre (40 + 1.92)/303.84 = 0.13797, half-width 0.03850
    assert d.loc[1, "lower_ci95"] == pytest.approx(9.947, abs=0.001)
    assert d.loc[1, "upper_ci95"] == pytest.approx(17.647, abs=0.001)


def test_decile_figure_keeps_every_decile_as_a_category():
    lsoa = pd.DataFrame(
        {"imd_decile": [1, 5, 10], "count": [10.0, 8.0, 5.0], "denominator": [100.0] * 3}
    )
    d = inequality.by_decile(lsoa)
    fig = inequality.decile_figure(d, inequality.decile_sii(d), "t", "%")
    assert list(fig.data[0].x) == ["1", "5", "10"]
    assert fig.layout.xaxis.type == "category"
