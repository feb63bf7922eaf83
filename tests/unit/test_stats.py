"""Unit tests for jsna.core.stats.

Golden values come from the PHEindicatormethods (R, v2.1.0) test fixtures. They are GPL-3, so
they are read at test time from ../shared (or $JSNA_REFERENCE_TESTS) and never copied into
this project. A missing fixture directory is a test failure, not a skip.

Tolerances: each comparison states whether it is absolute (``atol``) or relative (``rtol``).
Values on a 0-1 or percentage scale, ratios and life expectancies are compared absolutely
(1e-6); rates per 100,000 and counts, whose magnitude runs to 1e5, relatively (1e-6).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from jsna.core import stats
from jsna.core.stats import (
    ESP2013,
    Z95,
    Z998,
    Comparison,
    Polarity,
    byars_ci,
    compare_to_benchmark,
    crude_rate,
    directly_standardised_rate,
    exact_poisson_ci,
    expected_count,
    funnel_proportion_limits,
    funnel_rate_limits,
    funnel_ratio_limits,
    funnel_significance,
    indirectly_standardised_ratio,
    life_expectancy,
    poisson_ci,
    proportion,
    wilson_ci,
    z_value,
)
from tests.conftest import SOURCE

REF_DIR = Path(
    os.environ.get("JSNA_REFERENCE_TESTS") or SOURCE / "reference_tests" / "PHEindicatormethods"
)
ATOL = 1e-6
RTOL = 1e-6
CI_COLUMNS = ["lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998"]
R_CI_COLUMNS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
CONFIDENCE = {"95%": 0.95, "99.8%": 0.998}


# --------------------------------------------------------------------------- fixtures
def _ref(name: str) -> Path:
    path = REF_DIR / name
    if not path.is_file():
        pytest.fail(f"reference file {path} not found; set JSNA_REFERENCE_TESTS")
    return path


def read_sheet(book: str, sheet: str) -> pd.DataFrame:
    return pd.read_excel(_ref(book), sheet_name=sheet, engine="openpyxl")


def read_csv(name: str) -> pd.DataFrame:
    df = pd.read_csv(_ref(name), encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    return df


def assert_close(actual, expected, *, atol: float = 0.0, rtol: float = 0.0) -> None:
    """NaN must match NaN; otherwise |a - e| <= atol + rtol * |e|."""
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
        atol=atol,
        rtol=rtol,
        equal_nan=True,
    )


def test_the_reference_directory_exists():
    assert REF_DIR.is_dir(), f"{REF_DIR} missing; set JSNA_REFERENCE_TESTS"


# --------------------------------------------------------------------------- constants
def test_z_values_are_the_normal_quantiles_quoted_in_methods():
    assert abs(Z95 - 1.959964) < 1e-6
    assert abs(Z998 - 3.090232) < 1e-6
    assert z_value(0.95) == Z95
    assert z_value(0.998) == Z998


def test_esp2013_has_19_bands_summing_to_100000():
    assert ESP2013.shape == (19,)
    assert ESP2013.sum() == 100_000
    assert ESP2013[0] == 5000
    assert ESP2013[-1] == 1000


# --------------------------------------------------------------------------- reference files
@pytest.mark.parametrize("confidence", ["95%", "99.8%"])
def test_byars_limits_match_the_reference_file(confidence):
    ref = read_sheet("testdata_Byars_Wilson.xlsx", "testdata_B_W")
    ref = ref[(ref["method"] == "Byars") & (ref["confidence"] == confidence)]
    lower, upper = byars_ci(ref["x"], CONFIDENCE[confidence])
    assert_close(lower, ref["lowercl"], atol=ATOL)
    assert_close(upper, ref["uppercl"], atol=ATOL)


@pytest.mark.parametrize("confidence", ["95%", "99.8%"])
def test_wilson_limits_match_the_reference_file(confidence):
    ref = read_sheet("testdata_Byars_Wilson.xlsx", "testdata_B_W")
    ref = ref[(ref["method"] == "Wilson") & (ref["confidence"] == confidence)]
    lower, upper = wilson_ci(ref["x"], ref["n"], CONFIDENCE[confidence])
    assert_close(lower, ref["lowercl"], atol=ATOL)
    assert_close(upper, ref["uppercl"], atol=ATOL)


@pytest.mark.parametrize("multiplier", [1, 100])
def test_proportions_match_the_reference_file(multiplier):
    ref = read_sheet("testdata_Proportion.xlsx", "testdata_Prop")
    ref = ref[ref["multiplier"] == multiplier]
    got = proportion(ref["Numerator"], ref["Denominator"], multiplier)
    assert_close(got["value"], ref["value"], atol=ATOL)
    assert_close(got[CI_COLUMNS], ref[R_CI_COLUMNS], atol=ATOL)
    assert (got["method"] == "Wilson").all()
    assert (got["confidence"] == "95%, 99.8%").all()


def test_grouped_proportions_match_the_reference_file():
    ref = read_sheet("testdata_Proportion.xlsx", "testdata_Prop_g")
    got = proportion(ref["Numerator"], ref["Denominator"], 1)
    assert_close(got["value"], ref["value"], atol=ATOL)
    assert_close(got[["lower_ci95", "upper_ci95"]], ref[["lowercl", "uppercl"]], atol=ATOL)


@pytest.mark.parametrize("multiplier", [100, 100_000])
def test_crude_rates_match_the_reference_file(multiplier):
    ref = read_sheet("testdata_Rate.xlsx", "testdata_Rate")
    ref = ref[ref["multiplier"] == multiplier]
    got = crude_rate(ref["Numerator"], ref["Denominator"], multiplier)
    assert_close(got["value"], ref["value"], rtol=RTOL)
    assert_close(got[CI_COLUMNS], ref[R_CI_COLUMNS], rtol=RTOL)
    assert got["method"].fillna("").tolist() == ref["method"].fillna("").tolist()


def test_grouped_crude_rates_match_the_reference_file():
    ref = read_sheet("testdata_Rate.xlsx", "testdata_Rate_g")
    got = crude_rate(ref["Numerator"], ref["Denominator"], 100_000)
    assert_close(got["value"], ref["value"], rtol=RTOL)
    assert_close(got[["lower_ci95", "upper_ci95"]], ref[["lowercl", "uppercl"]], rtol=RTOL)
    assert got["method"].fillna("").tolist() == ref["method"].fillna("").tolist()


def _multiarea() -> tuple[list[str], np.ndarray, np.ndarray]:
    data = read_sheet("testdata_DSR_ISR.xlsx", "testdata_multiarea")
    areas = list(dict.fromkeys(data["area"]))
    counts = data["count"].to_numpy(float).reshape(len(areas), 19)
    pops = data["pop"].to_numpy(float).reshape(len(areas), 19)
    return areas, counts, pops


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_directly_standardised_rates_match_the_reference_file(multiplier):
    """testdata_tiny has a missing band and 9 deaths: R and we both give NA."""
    areas, counts, pops = _multiarea()
    ref = read_sheet("testdata_DSR_ISR.xlsx", "testresults_DSR").set_index("area")
    ref = ref[ref["statistic"].str.endswith(f"per {multiplier}") | ref["value"].isna()]
    ref = ref[~ref.index.duplicated()].loc[areas]
    got = directly_standardised_rate(counts, pops, ESP2013, multiplier)
    assert_close(got["value"], ref["value"], rtol=RTOL)
    assert_close(got[CI_COLUMNS], ref[R_CI_COLUMNS], rtol=RTOL)
    assert (got["method"] == "Dobson").all()


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_dsr_with_the_1976_standard_matches_the_reference_at_95_percent(multiplier):
    """Only the 95% limits: the file's 99.8% limits for testdata_1976 are 10 times too big
    (e.g. 7659.3-9599.2 around a value of 859.2 per 10,000), an error in the fixture."""
    data = read_sheet("testdata_DSR_ISR.xlsx", "testdata_1976")
    ref = read_sheet("testdata_DSR_ISR.xlsx", "testresults_DSR")
    ref = ref[(ref["area"] == "testdata_1976") & ref["statistic"].str.endswith(f" {multiplier}")]
    got = directly_standardised_rate(data["count"], data["pop"], data["esp1976"], multiplier)
    assert_close(got["value"], ref["value"], rtol=RTOL)
    assert_close(got[["lower_ci95", "upper_ci95"]], ref[R_CI_COLUMNS[:2]], rtol=RTOL)
    assert_close(got[["lower_ci998", "upper_ci998"]] * 10, ref[R_CI_COLUMNS[2:]], rtol=RTOL)


@pytest.mark.parametrize(
    ("rows", "refvalue"),
    [
        pytest.param(slice(6, 9), 1.0, id="ratio x 1"),
        pytest.param(slice(9, 12), 100.0, id="ratio x 100"),
        pytest.param(slice(0, 3), "rate per 100000", id="ISRate per 100,000"),
        pytest.param(slice(3, 6), "rate per 1000", id="ISRate per 1,000"),
    ],
)
def test_indirectly_standardised_ratios_match_the_reference_file(rows, refvalue):
    """R counts a missing band (testdata_tiny) as zero events, so observed is a nansum here."""
    _, counts, pops = _multiarea()
    ref_data = read_sheet("testdata_DSR_ISR.xlsx", "refdata")
    ref = read_sheet("testdata_DSR_ISR.xlsx", "testresults_ISR").iloc[rows]
    expected = expected_count(ref_data["refcount"], ref_data["refpop"], pops)
    if isinstance(refvalue, str):
        per = float(refvalue.rsplit(" ", 1)[1])
        refvalue = ref_data["refcount"].sum() / ref_data["refpop"].sum() * per
        assert_close(refvalue, ref["ref_rate"].iloc[0], rtol=RTOL)
    got = indirectly_standardised_ratio(np.nansum(counts, axis=1), expected, refvalue)
    assert_close(expected, ref["expected"], rtol=RTOL)
    assert_close(got["value"], ref["value"], rtol=RTOL)
    assert_close(got[CI_COLUMNS], ref[R_CI_COLUMNS], rtol=RTOL)
    assert got["method"].tolist() == ref["method"].tolist()


@pytest.mark.parametrize(
    ("rows", "per"),
    [
        pytest.param(slice(14, 16), None, id="ratio x 100"),
        pytest.param(slice(12, 14), 1e5, id="ISRate per 100,000"),
    ],
)
def test_isr_with_a_zero_population_band_matches_the_reference_file(rows, per):
    data = read_sheet("testdata_DSR_ISR.xlsx", "testdata_err2")
    ref_data = read_sheet("testdata_DSR_ISR.xlsx", "refdata")
    ref = read_sheet("testdata_DSR_ISR.xlsx", "testresults_ISR").iloc[rows]
    pops = data["pop"].to_numpy(float).reshape(2, 19)
    observed = data["count"].to_numpy(float).reshape(2, 19).sum(axis=1)
    expected = expected_count(ref_data["refcount"], ref_data["refpop"], pops)
    refvalue = 100.0 if per is None else ref_data["refcount"].sum() / ref_data["refpop"].sum() * per
    got = indirectly_standardised_ratio(observed, expected, refvalue)
    assert_close(expected, ref["expected"], rtol=RTOL)
    columns = ["value", "lower_ci95", "upper_ci95"]
    assert_close(got[columns], ref[["value", *R_CI_COLUMNS[:2]]], rtol=RTOL)


# --------------------------------------------------------------------------- funnels (reference)
FUNNEL_LIMIT_COLUMNS = [
    ("Lower2s0025limit", "Upper2s0025limit", 0.95),
    ("Lower3s0001limit", "Upper3s0001limit", 0.998),
]


@pytest.mark.parametrize(
    ("outputs", "max_denominator"),
    [
        ("testdata_funnel_prop_outputs.csv", math.inf),
        ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31_000),
    ],
)
def test_proportion_funnel_limits_match_the_reference_file(outputs, max_denominator):
    """Average from the inputs (as R does); the percentages are compared absolutely."""
    inputs = read_csv("testdata_funnel_prop_inputs.csv")
    inputs = inputs[inputs["denominator"] < max_denominator]
    average = inputs["numerator"].sum() / inputs["denominator"].sum()
    ref = read_csv(outputs)
    assert_close(average * 100, ref["Baseline"], atol=ATOL)
    for lower_col, upper_col, confidence in FUNNEL_LIMIT_COLUMNS:
        lower, upper = funnel_proportion_limits(average, ref["Population"], confidence)
        assert_close(lower * 100, ref[lower_col], atol=ATOL)
        assert_close(upper * 100, ref[upper_col], atol=ATOL)


# R's poisson_funnel() inverts the Poisson tail by bisection on v = E / (1 + O + E), stopping
# once the step is <= 1e-7 (last step 2**-24), and sums the Poisson series only until terms
# fall below 1e-10 of the total. Its tabulated expected counts are therefore exact only to
# about one final step in v (observed: at most 1.014 steps), i.e. relatively to about
# 2**-24 / (v (1 - v)), which is up to 1.2e-4 at O = 1. We check two steps row by row, and
# compare limits relatively to 1e-5 (the largest relative difference, 6.4e-6 at O = 1, is
# R's bisection error, not ours; see the pass-through test below for our own accuracy).
BISECTION_STEP = 2.0**-24
FUNNEL_RTOL = 1e-5


def _v(observed, expected):
    return expected / (1 + observed + expected)


@pytest.mark.parametrize(("level", "confidence"), [("2s", 0.95), ("3s", 0.998)])
def test_ratio_funnel_expected_counts_are_the_exact_poisson_limits(level, confidence):
    ref = read_csv("testdata_funnel_ratio_outputs.csv")
    observed = ref.iloc[:, 0].to_numpy(float)
    exact_lower, exact_upper = exact_poisson_ci(observed, confidence)
    for side, exact in (("lower", exact_upper), ("upper", exact_lower)):
        got_v = _v(observed, exact)
        ref_v = _v(observed, ref[f"{side}_{level}_exp_events"].to_numpy())
        assert np.all(np.abs(got_v - ref_v) <= 2 * BISECTION_STEP), side


@pytest.mark.parametrize(("level", "confidence"), [("2s", 0.95), ("3s", 0.998)])
@pytest.mark.parametrize(
    ("suffix", "refvalue", "offset"), [("isr", 100.0, 0.0), ("count", 1.0, 1.0)]
)
def test_ratio_funnel_limits_match_the_reference_file(level, confidence, suffix, refvalue, offset):
    ref = read_csv("testdata_funnel_ratio_outputs.csv")
    lower, _ = funnel_ratio_limits(ref[f"lower_{level}_exp_events"], confidence, refvalue)
    _, upper = funnel_ratio_limits(ref[f"upper_{level}_exp_events"], confidence, refvalue)
    # "count" limits are ratio - 1 (R's ratio_type = "count"): compare ratio to ref + 1.
    assert_close(lower, ref[f"lower_{level}_{suffix}"] + offset, rtol=FUNNEL_RTOL)
    assert_close(upper, ref[f"upper_{level}_{suffix}"] + offset, rtol=FUNNEL_RTOL)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_ratio_funnel_limits_pass_through_observed_counts_at_their_exact_limits(confidence):
    """At E = exact upper limit of O the lower funnel is O/E, and vice versa (to 1e-9)."""
    observed = np.arange(1.0, 2001.0)
    exact_lower, exact_upper = exact_poisson_ci(observed, confidence)
    lower, _ = funnel_ratio_limits(exact_upper, confidence)
    _, upper = funnel_ratio_limits(exact_lower, confidence)
    assert_close(lower, observed / exact_upper, rtol=1e-9)
    assert_close(upper, observed / exact_lower, rtol=1e-9)


@pytest.mark.parametrize(
    "outputs",
    [
        "testdata_funnel_rate_outputs.csv",  # dsr per 100,000, 3 years
        "testdata_funnel_rate_outputs_2.csv",  # crude, fewer than 10 events in one area
        "testdata_funnel_rate_outputs_3.csv",  # crude, 0 events and denominators supplied
    ],
)
@pytest.mark.parametrize(("level", "confidence"), [("2s", 0.95), ("3s", 0.998)])
def test_rate_funnel_limits_match_the_reference_files(outputs, level, confidence):
    """x = population per year x 3 years of data; baseline = average rate per 100,000."""
    ref = read_csv(outputs)
    average = ref["baseline"].iloc[0]
    for side, column in ((0, "lower"), (1, "upper")):
        denominators = ref[f"{column}_{level}_population_1_year"] * 3
        got = funnel_rate_limits(average, denominators, confidence, 100_000)[side]
        assert_close(got, ref[f"{column}_{level}_limit"], rtol=FUNNEL_RTOL)


def test_proportion_funnel_significance_matches_the_reference_file():
    ref = read_csv("testdata_funnel_prop_inputs.csv")
    got = funnel_significance(ref["numerator"], ref["denominator"], "proportion")
    assert got.tolist() == ref["significance"].tolist()


def test_ratio_funnel_significance_matches_the_reference_file():
    ref = read_csv("testdata_funnel_ratio_inputs.csv")
    got = funnel_significance(ref["obs"], ref["expected"], "ratio")
    assert got.tolist() == ref["significance"].tolist()


@pytest.mark.parametrize(
    ("rate_column", "rate_type", "multiplier", "with_zero", "expected_column"),
    [
        ("rate_dsr", "dsr", 1e5, True, "dsr_per_100000_with_0"),
        ("rate_dsr", "dsr", 100, True, "dsr_per_100_with_0"),
        ("rate_dsr", "dsr", 1e5, False, "dsr_per_100000_without_0"),
        ("rate_dsr", "dsr", 100, False, "dsr_per_100_without_0"),
        ("rate_crude_per_100000", "crude", 1e5, True, "crude_per_100000_with_0"),
        ("rate_crude_per_100", "crude", 100, True, "crude_per_100_with_0"),
        ("rate_crude_per_100000", "crude", 1e5, False, "crude_per_100000_without_0"),
        ("rate_crude_per_100", "crude", 100, False, "crude_per_100_without_0"),
    ],
)
def test_rate_funnel_significance_matches_the_reference_file(
    rate_column, rate_type, multiplier, with_zero, expected_column
):
    ref = read_csv("testdata_funnel_rate_dsr_inputs.csv")
    if not with_zero:
        ref = ref[ref["count"] != 0]
    got = funnel_significance(
        ref["count"], ref["pop"], "rate",
        rate=ref[rate_column], rate_type=rate_type, multiplier=multiplier,
    )  # fmt: skip
    assert got.tolist() == ref[expected_column].tolist()


# --------------------------------------------------------------------------- life expectancy
# Example population from the PHEindicatormethods man page / tests/testthat/testLifeExpectancy.R
# (df1 and answer1), ukhsa-collaboration/PHEindicatormethods. Bands 0, 1-4, 5-9, ..., 90+.
LE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605,
             1936, 1937]  # fmt: skip
LE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416,
           46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]  # fmt: skip
LE_VALUE = [80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088,
            55.78835987, 50.92752727, 46.06740425, 41.24505636, 36.49322717, 31.83343842,
            27.26027992, 22.9719144, 18.76856852, 14.95858336, 11.51684445, 8.618849241,
            6.163942934, 6.16210635]  # fmt: skip
LE_LOWER = [79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577,
            55.53801579, 50.68279939, 45.82666794, 41.00842831, 36.26223216, 31.60996318,
            27.04337271, 22.76653134, 18.57570352, 14.77985004, 11.34831778, 8.451134045,
            5.978358351, 5.887683386]  # fmt: skip
LE_UPPER = [80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436,
            56.03870395, 51.17225516, 46.30814055, 41.48168441, 36.72422219, 32.05691365,
            27.47718713, 23.17729746, 18.96143352, 15.13731667, 11.68537112, 8.786564437,
            6.349527517, 6.436529314]  # fmt: skip


def test_life_expectancy_at_birth_matches_the_man_page_example():
    got = life_expectancy(LE_DEATHS, LE_POPS)
    assert len(got) == 1
    assert got["value"][0] == pytest.approx(80.16960813, abs=1e-8)
    assert got["lower_ci95"][0] == pytest.approx(79.8827, abs=5e-5)
    assert got["upper_ci95"][0] == pytest.approx(80.4565, abs=5e-5)
    assert got["note"][0] == ""


def test_life_expectancy_at_every_age_matches_the_r_test_answers():
    """The R answers' limits were made with z = 1.96 (PHE Excel tool), ours with 1.959964,
    so the limits differ by up to 6e-6 years: values to 1e-6 absolute, limits to 1e-5
    absolute, and the standard errors implied by R's limits (half-width / 1.96) to 1e-6."""
    got = life_expectancy(LE_DEATHS, LE_POPS, age_start=None)
    assert got["age_start"].tolist() == list(stats.LE_AGE_STARTS)
    assert_close(got["value"], LE_VALUE, atol=ATOL)
    assert_close(got["lower_ci95"], LE_LOWER, atol=1e-5)
    assert_close(got["upper_ci95"], LE_UPPER, atol=1e-5)
    our_se = (got["upper_ci95"] - got["lower_ci95"]) / (2 * Z95)
    r_se = (np.array(LE_UPPER) - np.array(LE_LOWER)) / (2 * 1.96)
    assert_close(our_se, r_se, atol=ATOL)


def test_life_expectancy_handles_several_areas_and_chosen_ages():
    deaths = np.array([LE_DEATHS, LE_DEATHS])
    pops = np.array([LE_POPS, LE_POPS])
    got = life_expectancy(deaths, pops, age_start=[5, 25])
    assert got["area"].tolist() == [0, 0, 1, 1]
    assert got["age_start"].tolist() == [5, 25, 5, 25]
    assert_close(got["value"], [LE_VALUE[2], LE_VALUE[6]] * 2, atol=ATOL)


BAND = "an age band"
# df_low_pops from the same R test file: valid bands but only 2,883 people in all.
LOW_DEATHS = [58, 93, 78, 94, 59, 71, 80, 73, 69, 72, 91, 69, 78, 71, 54, 91, 82, 53, 50, 84]
LOW_POPS = [128, 152, 120, 176, 194, 180, 145, 149, 107, 185, 165, 109, 100, 122, 133, 189, 123,
            121, 147, 138]  # fmt: skip


def _le_case(band: int, *, deaths: float | None = None, pop: float | None = None):
    d, p = list(map(float, LE_DEATHS)), list(map(float, LE_POPS))
    if deaths is not None:
        d[band] = deaths
    if pop is not None:
        p[band] = pop
    return d, p


@pytest.mark.parametrize(
    ("deaths", "pops", "note"),
    [
        pytest.param(*_le_case(3, deaths=-5), f"{BAND} has negative deaths", id="neg deaths"),
        pytest.param(*_le_case(5, pop=0), f"{BAND} has zero or negative population", id="0 pop"),
        pytest.param(*_le_case(18, pop=119), f"{BAND} has more deaths than population", id="D>P"),
        pytest.param(LOW_DEATHS, LOW_POPS, "total population 5,000 or fewer", id="low pops"),
        pytest.param(*_le_case(19, deaths=0), "no deaths in the 90+ band", id="no 90+ deaths"),
        pytest.param(*_le_case(0, deaths=np.nan), "missing deaths or population", id="NaN"),
    ],
)
def test_life_expectancy_is_suppressed_with_a_reason(deaths, pops, note):
    got = life_expectancy(deaths, pops, age_start=None)
    assert got[["value", *CI_COLUMNS]].isna().all().all()
    assert (got["note"] == note).all()


def test_life_expectancy_with_a_95_percent_interval_wider_than_20_years_is_suppressed():
    """Given a small but valid population whose oldest band has one death."""
    pops = [6000 / 20] * 20
    deaths = [1] * 20
    got = life_expectancy(deaths, pops, age_start=None)
    wide = got["note"] == "95% confidence interval wider than 20 years"
    assert wide.any()
    assert got.loc[wide, ["value", *CI_COLUMNS]].isna().all().all()
    assert got.loc[~wide, "value"].notna().all()


def test_life_expectancy_rejects_the_wrong_number_of_bands_and_unknown_ages():
    with pytest.raises(ValueError, match="20 age bands"):
        life_expectancy(LE_DEATHS[:19], LE_POPS[:19])
    with pytest.raises(ValueError, match="age_start must be one of"):
        life_expectancy(LE_DEATHS, LE_POPS, age_start=4)


# --------------------------------------------------------------------------- hand-worked cases
@pytest.mark.parametrize("n", [1, 10, 250])
def test_a_zero_proportion_runs_from_zero_to_z_squared_over_n_plus_z_squared(n):
    got = proportion([0], [n], 100)
    assert got["value"][0] == 0
    assert got["lower_ci95"][0] == 0
    assert got["upper_ci95"][0] == pytest.approx(100 * Z95**2 / (n + Z95**2), abs=1e-12)
    assert got["upper_ci998"][0] == pytest.approx(100 * Z998**2 / (n + Z998**2), abs=1e-12)


@pytest.mark.parametrize("n", [1, 10, 250])
def test_a_whole_proportion_runs_from_n_over_n_plus_z_squared_to_one(n):
    got = proportion([n], [n], 1)
    assert got["value"][0] == 1
    assert got["lower_ci95"][0] == pytest.approx(n / (n + Z95**2), abs=1e-12)
    assert got["upper_ci95"][0] == 1
    assert got["upper_ci998"][0] == 1


@pytest.mark.parametrize(("confidence", "alpha"), [(0.95, 0.025), (0.998, 0.001)])
def test_a_zero_count_has_lower_limit_zero_and_upper_limit_minus_log_alpha(confidence, alpha):
    lower, upper = exact_poisson_ci([0], confidence)
    assert lower[0] == 0
    assert upper[0] == pytest.approx(-math.log(alpha), rel=1e-12)
    lower, upper, method = poisson_ci([0], confidence)
    assert (lower[0], method[0]) == (0, "Exact")
    rate = crude_rate([0], [1000], 1000)
    assert rate["value"][0] == 0
    assert rate["lower_ci95"][0] == 0


def test_byars_lower_limit_of_zero_or_a_tiny_count_is_missing():
    lower, upper = byars_ci([0, 1], 0.998)
    assert np.isnan(lower).all()
    assert np.isfinite(upper).all()


def test_rates_switch_from_exact_to_byars_limits_at_ten_events():
    got = crude_rate([9, 10], [1000, 1000], 1000)
    assert got["method"].tolist() == ["Exact", "Byars"]
    assert got["lower_ci95"][0] == pytest.approx(chi2.ppf(0.025, 18) / 2, rel=1e-12)
    assert got["upper_ci95"][0] == pytest.approx(chi2.ppf(0.975, 20) / 2, rel=1e-12)
    byars_lower = 10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3
    byars_upper = 11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3
    assert got["lower_ci95"][1] == pytest.approx(byars_lower, rel=1e-12)
    assert got["upper_ci95"][1] == pytest.approx(byars_upper, rel=1e-12)


def test_isr_is_observed_over_expected_times_the_reference_value():
    got = indirectly_standardised_ratio([9, 50], [10, 40], 100)
    assert got["value"].tolist() == pytest.approx([90, 125])
    assert got["method"].tolist() == ["Exact", "Byars"]


def test_expected_counts_accept_one_area_or_many():
    ref_count, ref_pop = [10, 20], [1000, 2000]
    assert expected_count(ref_count, ref_pop, [100, 200]).tolist() == [3.0]
    assert expected_count(ref_count, ref_pop, [[100, 200], [0, 100]]).tolist() == [3.0, 1.0]


@pytest.mark.parametrize(
    ("counts", "suppressed"),
    [([1, 2, 3, 3], True), ([1, 2, 3, 4], False)],
    ids=["total 9", "total 10"],
)
def test_a_dsr_with_fewer_than_ten_events_is_suppressed_with_a_note(counts, suppressed):
    got = directly_standardised_rate(counts, [1000] * 4, [1, 1, 1, 1], 1000)
    assert got[["value", *CI_COLUMNS]].isna().all(axis=1)[0] == suppressed
    assert got["note"][0] == ("dsr NA for total count < 10" if suppressed else "")


def test_a_dsr_is_the_weighted_mean_of_age_specific_rates():
    got = directly_standardised_rate([10, 30], [1000, 1000], [3, 1], 1000)
    assert got["value"][0] == pytest.approx((10 * 3 + 30 * 1) / 4)


# --------------------------------------------------------------------------- comparisons
# (lower998, lower95, upper95, upper998) around benchmark B = 10; expected side and level.
SCENARIOS = {
    "similar": ((6, 8, 12, 14), "similar"),
    "B on lower 95% limit": ((8, 10, 12, 14), "similar"),
    "B on upper 95% limit": ((6, 8, 10, 14), "similar"),
    "higher at 95%": ((9, 11, 13, 15), "higher95"),
    "higher at 95%, B on lower 99.8% limit": ((10, 11, 13, 15), "higher95"),
    "higher at 99.8%": ((10.5, 11, 13, 15), "higher998"),
    "lower at 95%": ((5, 7, 9, 11), "lower95"),
    "lower at 95%, B on upper 99.8% limit": ((5, 7, 9, 10), "lower95"),
    "lower at 99.8%": ((5, 7, 9, 9.5), "lower998"),
}
EXPECTED = {
    Polarity.HIGH_IS_GOOD: {"higher95": Comparison.BETTER, "higher998": Comparison.BEST,
                            "lower95": Comparison.WORSE, "lower998": Comparison.WORST},
    Polarity.LOW_IS_GOOD: {"higher95": Comparison.WORSE, "higher998": Comparison.WORST,
                           "lower95": Comparison.BETTER, "lower998": Comparison.BEST},
    Polarity.NO_JUDGEMENT: {"higher95": Comparison.HIGHER, "higher998": Comparison.HIGHEST,
                            "lower95": Comparison.LOWER, "lower998": Comparison.LOWEST},
}  # fmt: skip


@pytest.mark.parametrize("polarity", list(Polarity))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_compare_to_benchmark_gives_the_fingertips_label(polarity, scenario):
    (l998, l95, u95, u998), outcome = SCENARIOS[scenario]
    value = (l95 + u95) / 2
    want = Comparison.SIMILAR if outcome == "similar" else EXPECTED[polarity][outcome]
    labels, reasons = compare_to_benchmark([value], [l95], [u95], [10], polarity, [l998], [u998])
    assert (labels[0], reasons[0]) == (want, "")
    # With the polarity as a plain string, too.
    labels, _ = compare_to_benchmark(value, l95, u95, 10, polarity.value, l998, u998)
    assert labels.shape == ()
    assert labels.item() == want


@pytest.mark.parametrize("polarity", list(Polarity))
def test_without_99_8_percent_limits_only_the_95_percent_labels_are_used(polarity):
    labels, _ = compare_to_benchmark([3, 20], [1, 15], [5, 25], [10, 10], polarity)
    assert labels.tolist() == [EXPECTED[polarity]["lower95"], EXPECTED[polarity]["higher95"]]


def test_polarity_can_vary_by_row():
    labels, _ = compare_to_benchmark(
        [20, 20, 20], [15, 15, 15], [25, 25, 25], 10,
        ["high_is_good", Polarity.LOW_IS_GOOD, "no_judgement"],
    )  # fmt: skip
    assert labels.tolist() == [Comparison.BETTER, Comparison.WORSE, Comparison.HIGHER]


@pytest.mark.parametrize(
    ("value", "lower", "upper", "benchmark", "reason"),
    [
        (12, np.nan, 14, 10, "no confidence interval"),
        (12, 11, np.nan, 10, "no confidence interval"),
        (12, 11, 14, np.nan, "no benchmark value"),
        (np.nan, 11, 14, 10, "no value"),
    ],
)
def test_missing_inputs_are_not_compared_and_say_why(value, lower, upper, benchmark, reason):
    labels, reasons = compare_to_benchmark(
        [value], [lower], [upper], [benchmark], Polarity.HIGH_IS_GOOD, [10.5], [15]
    )
    assert labels[0] is Comparison.NOT_COMPARED
    assert reasons[0] == reason


def test_missing_99_8_percent_limits_fall_back_to_the_95_percent_label():
    labels, reasons = compare_to_benchmark(
        [12], [11], [14], [10], "high_is_good", [np.nan], [np.nan]
    )
    assert (labels[0], reasons[0]) == (Comparison.BETTER, "")


def test_comparison_labels_are_plain_strings_for_storage():
    labels, _ = compare_to_benchmark([12], [11], [14], [10], "low_is_good")
    assert labels[0] == "worse"
    assert Comparison.NOT_COMPARED == "not compared"


# --------------------------------------------------------------------------- funnels (hand)
def test_funnel_limits_narrow_as_the_denominator_grows():
    n = np.array([100, 1_000, 10_000, 100_000])
    lower, upper = funnel_proportion_limits(0.3, n, 0.95)
    assert np.all(np.diff(upper - lower) < 0)
    assert np.all((lower < 0.3) & (upper > 0.3))
    lower, upper = funnel_rate_limits(50.0, n * 10, 0.998)
    assert np.all(np.diff(upper - lower) < 0)
    lower, upper = funnel_ratio_limits(n / 10, 0.95, 100)
    assert np.all((lower < 100) & (upper > 100))


def test_ratio_funnel_lower_limit_is_zero_while_zero_events_are_not_significant():
    lower, _ = funnel_ratio_limits([1.0, 3.0, -math.log(0.025), 4.0], 0.95)
    assert lower[:3].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    assert lower[3] > 0


def test_funnel_significance_marks_missing_inputs_and_small_dsrs():
    got = funnel_significance([50, np.nan], [100, 100], "proportion")
    assert got[1] == stats.FUNNEL_MISSING
    got = funnel_significance([5, 500], [1e5, 1e5], "rate", rate=[5, 500], rate_type="dsr")
    assert got[0] == stats.FUNNEL_DSR_TOO_FEW


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: wilson_ci([-1], [10]), "count must be non-negative"),
        (lambda: wilson_ci([11], [10]), "count must be <= denominator"),
        (lambda: wilson_ci([1], [0]), "denominator must be positive"),
        (lambda: wilson_ci([1], [10], 1.0), "confidence must be strictly between 0 and 1"),
        (lambda: proportion([-1], [10]), "count must be non-negative"),
        (lambda: proportion([11], [10]), "count must be <= denominator"),
        (lambda: proportion([0], [0]), "denominator must be positive"),
        (lambda: crude_rate([-1], [10]), "count must be non-negative"),
        (lambda: crude_rate([1], [0]), "denominator must be positive"),
        (lambda: byars_ci([-2]), "count must be non-negative"),
        (lambda: exact_poisson_ci([-2]), "count must be non-negative"),
        (lambda: z_value(95), "confidence must be strictly between 0 and 1"),
        (lambda: indirectly_standardised_ratio([-1], [5]), "observed must be non-negative"),
        (lambda: indirectly_standardised_ratio([1], [0]), "expected must be positive"),
        (lambda: expected_count([1, -1], [10, 10], [5, 5]), "ref_count must be non-negative"),
        (lambda: expected_count([1, 1], [10, 0], [5, 5]), "ref_pop must be positive"),
        (lambda: expected_count([1, 1], [10, 10], [5, -5]), "pop must be non-negative"),
        (lambda: expected_count([1, 1], [10, 10], [5, 5, 5]), "one column per reference band"),
        (lambda: directly_standardised_rate([1, -1], [10, 10], [1, 1]),
         "counts must be non-negative"),
        (lambda: directly_standardised_rate([1, 1], [10, 0], [1, 1]), "pops must be positive"),
        (lambda: directly_standardised_rate([1, 1], [10, 10], [1, -1]),
         "standard must be non-negative"),
        (lambda: directly_standardised_rate([1, 1], [10, 10]), "one weight per age band"),
        (lambda: compare_to_benchmark(1, 0, 2, 1, "sideways"), "unknown polarity"),
        (lambda: compare_to_benchmark(1, 3, 2, 1, "high_is_good"), "lower confidence limit"),
        (lambda: compare_to_benchmark(1, 0, 2, 1, "high_is_good", 0), "both lower998"),
        (lambda: funnel_proportion_limits(1.5, [10], 0.95), "between 0 and 1"),
        (lambda: funnel_proportion_limits(0.5, [0], 0.95), "denominators must be positive"),
        (lambda: funnel_ratio_limits([0], 0.95), "expected must be positive"),
        (lambda: funnel_rate_limits(-1, [10], 0.95), "average_rate must be non-negative"),
        (lambda: funnel_significance([11], [10]), "count must be <= denominator"),
        (lambda: funnel_significance([1], [10], "rate"), "rate is required"),
        (lambda: funnel_significance([1], [10], "mean"), "statistic must be"),
    ],
)  # fmt: skip
def test_invalid_inputs_raise_a_specific_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_nan_inputs_give_nan_outputs_rather_than_errors():
    prop = proportion([np.nan, 5], [100, np.nan])
    assert prop[["value", *CI_COLUMNS]].isna().all().all()
    assert (prop["note"] == "missing count or denominator").all()
    rate = crude_rate([np.nan], [100])
    assert rate[["value", *CI_COLUMNS]].isna().all().all()
    assert rate["method"][0] is None
    isr = indirectly_standardised_ratio([np.nan], [10])
    assert isr[["value", *CI_COLUMNS]].isna().all().all()
    assert np.isnan(expected_count([1, np.nan], [10, 10], [5, 5])[0])
    dsr = directly_standardised_rate([[np.nan] + [50] * 18], [[100] * 19])
    assert dsr["value"].isna()[0]
    assert dsr["note"][0].startswith("missing")
    assert np.isnan(wilson_ci(pd.Series([np.nan]), pd.Series([10]))[0][0])


def test_scalar_inputs_give_zero_dimensional_arrays():
    lower, upper = wilson_ci(5, 10)
    assert lower.shape == upper.shape == ()
    assert 0 < float(lower) < 0.5 < float(upper) < 1
    lower, upper, method = poisson_ci(5)
    assert method.item() == "Exact"
    assert len(proportion(5, 10)) == 1


def test_pandas_nullable_integers_are_accepted():
    got = proportion(pd.Series([5, None], dtype="Int64"), pd.Series([10, 10], dtype="Int64"))
    assert got["value"][0] == 50
    assert np.isnan(got["value"][1])


# --------------------------------------------------------------------------- properties
COUNTS = np.array([0, 1, 2, 5, 9, 10, 11, 30, 99, 100, 1_000, 12_345])
DENOMINATORS = np.array([1, 2, 10, 99, 100, 1_000, 12_345, 1e6, 7.5e9])


def _ordered(df: pd.DataFrame) -> None:
    ok = df["value"].notna()
    d = df[ok]
    tol = 1e-9 * np.maximum(1, d["value"].abs())
    assert (d["lower_ci998"].fillna(0) <= d["lower_ci95"] + tol).all()
    assert (d["lower_ci95"] <= d["value"] + tol).all()
    assert (d["value"] <= d["upper_ci95"] + tol).all()
    assert (d["upper_ci95"] <= d["upper_ci998"] + tol).all()


def test_lower_is_at_most_value_is_at_most_upper_over_a_grid():
    x, n = np.meshgrid(COUNTS, DENOMINATORS)
    x, n = x.ravel().astype(float), n.ravel()
    valid = x <= n
    _ordered(proportion(x[valid], n[valid], 100))
    _ordered(crude_rate(x, n))
    _ordered(indirectly_standardised_ratio(x, n / 100))
    counts = np.outer(COUNTS, np.ones(19))
    _ordered(directly_standardised_rate(counts, np.full_like(counts, 5_000.0)))
    le = life_expectancy(LE_DEATHS, LE_POPS, age_start=None)
    _ordered(le)


def test_poisson_limits_bracket_the_count_over_a_grid():
    for confidence in (0.8, 0.95, 0.998):
        lower, upper, _ = poisson_ci(COUNTS, confidence)
        assert np.all(np.nan_to_num(lower) <= COUNTS)
        assert np.all(upper > COUNTS)
