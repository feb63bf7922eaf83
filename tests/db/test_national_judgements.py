"""Issue 18: national judgements that allow for real variation, and ranks with intervals.

Expected values are worked here from the source rows (pooled with the csv module) and the
published formulas; only the funnel limits at τ² = 0 reuse `funnel_proportion_limits`,
which tests/unit/test_stats.py checks against PHEindicatormethods' reference files.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pytest

from jsna.core.stats import funnel_proportion_limits

QOF = "gp/qof/qof_2022_23_prevalence_all_practices_england.csv"
GEO = "gp/qof/qof_2022_23_nhs_geography_all_practices_england.csv"
Z998 = 3.090232306167813


@pytest.fixture(scope="module")
def diabetes_pcns(source):
    """(register, list) per PCN for DM, and England's, summed from the source rows."""
    with open(source / GEO, newline="", encoding="utf-8") as fh:
        pcn_of = {r["PRACTICE_CODE"]: r["PCN_ODS_CODE"] for r in csv.DictReader(fh)}
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    england = [0.0, 0.0]
    with open(source / QOF, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["GROUP_CODE"] != "DM":
                continue
            x, n = float(r["REGISTER"]), float(r["PRACTICE_LIST_SIZE"])
            england[0] += x
            england[1] += n
            if pcn_of[r["PRACTICE_CODE"]] != "U":
                sums[pcn_of[r["PRACTICE_CODE"]]][0] += x
                sums[pcn_of[r["PRACTICE_CODE"]]][1] += n
    codes = sorted(sums)
    x = np.array([sums[c][0] for c in codes])
    n = np.array([sums[c][1] for c in codes])
    return codes, x, n, england[0] / england[1]


def _spiegelhalter(x, n, p0):
    """φ and τ² as Spiegelhalter (2005) sets them out, written out here."""
    s2 = p0 * (1 - p0) / n
    z = (x / n - p0) / np.sqrt(s2)
    lo, hi = np.quantile(z, [0.1, 0.9])  # linear interpolation, R's type 7
    z = np.minimum(np.maximum(z, lo), hi)
    k = len(z)
    phi = (z**2).sum() / k
    w = 1 / s2
    tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, tau2


def test_diabetes_phi_and_tau2_for_pcns_are_spiegelhalters(con, diabetes_pcns):
    _, x, n, p0 = diabetes_pcns
    phi, tau2 = _spiegelhalter(x, n, p0)
    got = con.execute(
        "select areas, phi, tau2 from national_dispersion "
        "where area_type = 'pcn' and indicator_id = 'qof_dm'"
    ).fetchone()
    assert got[0] == len(x) == 1267
    assert got[1] == pytest.approx(phi, rel=1e-9)
    assert got[2] == pytest.approx(tau2, rel=1e-9)


def test_diabetes_pcns_outside_each_set_of_limits(con, diabetes_pcns):
    """The issue's count: 959 of 1,267 PCNs differ from England at 99.8%. Far fewer lie
    outside the limits widened by τ² (each side: p0 ± √(h² + z²τ²), h the plain limit's
    distance from p0)."""
    codes, x, n, p0 = diabetes_pcns
    _, tau2 = _spiegelhalter(x, n, p0)
    lo0, hi0 = funnel_proportion_limits(p0, n, 0.998)
    lo = p0 - np.sqrt((p0 - lo0) ** 2 + Z998**2 * tau2)
    hi = p0 + np.sqrt((hi0 - p0) ** 2 + Z998**2 * tau2)
    p = x / n
    side = np.where(p > hi, "higher", np.where(p < lo, "lower", "similar"))
    expected = dict(zip(codes, side, strict=True))
    rows = con.execute(
        "select area_code, comparison, among_peers from national_values "
        "where area_type = 'pcn' and indicator_id = 'qof_dm'"
    ).fetchall()
    assert sum(c in ("highest", "lowest") for _, c, _ in rows) == 959
    assert {code: a for code, _, a in rows} == expected
    d = con.execute(
        "select plain_higher + plain_lower, peers_higher + peers_lower from national_dispersion "
        "where area_type = 'pcn' and indicator_id = 'qof_dm'"
    ).fetchone()
    assert d == (959, sum(v != "similar" for v in expected.values()))
    assert d[1] < 100


def test_every_ranked_area_has_a_rank_interval_and_decile_probability(con):
    bad = con.execute(
        "select count(*) from national_values where rank is not null and not ("
        "rank_lower between 1 and of and rank_upper between rank_lower and of "
        "and p_decile between 0 and 1)"
    ).fetchone()[0]
    assert bad == 0
    unranked = con.execute(
        "select count(*) from national_values where rank is null and rank_lower is not null"
    ).fetchone()[0]
    assert unranked == 0


def test_a_large_pcns_diabetes_rank_interval_is_narrow_but_not_a_point(con):
    """With lists of ~50,000 a PCN's rank still moves by chance among 1,267 close values."""
    widths = [
        r[0]
        for r in con.execute(
            "select rank_upper - rank_lower from national_values "
            "where area_type = 'pcn' and indicator_id = 'qof_dm' and rank is not null"
        ).fetchall()
    ]
    assert 0 < np.median(widths) < 200


def test_rankability_is_between_0_and_1_for_every_register_and_kind(con):
    n, bad = con.execute(
        "select count(*), count(*) filter (where not rankability between 0 and 1) "
        "from national_dispersion"
    ).fetchone()
    assert n == 5 * 21
    assert bad == 0


def test_the_national_profile_view_carries_both_judgements_and_the_rank_interval(con):
    cols = {r[0] for r in con.execute("describe national_profile").fetchall()}
    assert {"rank_lower", "rank_upper", "p_decile", "among_peers"} <= cols


def test_counts_outside_the_plain_limits_agree_with_the_comparison_column(con):
    """plain_higher / plain_lower count the 'highest' / 'lowest' comparisons per kind."""
    rows = con.execute(
        "select d.area_type, d.indicator_id, d.plain_higher, d.plain_lower, "
        "count(*) filter (where v.comparison = 'highest'), "
        "count(*) filter (where v.comparison = 'lowest') "
        "from national_dispersion d join national_values v using (area_type, indicator_id) "
        "group by all"
    ).fetchall()
    assert all(a == c and b == d for _, _, a, b, c, d in rows)
    assert len(rows) == 5 * 21
