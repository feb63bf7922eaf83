"""The built database: areas, indicators, pooling from the sources, comparisons, suppression."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna.app import queries
from jsna.build.profiles import load_indicators, load_place
from jsna.core import stored
from jsna.core.suppression import suppress
from tests.unit.test_columns import readme_profile_columns


def _profile(con, **where) -> pd.DataFrame:
    clauses = " and ".join(f"{k} = ${k}" for k in where)
    return con.execute(f"select * from profile where {clauses}", where).df()


def test_areas_include_four_neighbourhoods_five_pcns_and_both_ward_sets(con):
    counts = dict(con.execute("select area_type, count(*) from areas group by 1").fetchall())
    assert counts["neighbourhood"] == 4
    assert counts["pcn"] == 5
    assert counts["practice"] == 26
    assert counts["ward"] == 42
    assert counts["england"] == 1
    assert counts["local_authority"] == 1


def test_at_least_25_indicators_have_values(con):
    n = con.execute("select count(distinct indicator_id) from indicator_values").fetchone()[0]
    assert n >= 25


@pytest.mark.parametrize("area_type", ["neighbourhood", "pcn"])
def test_at_least_five_indicators_have_cis_compared_with_england(con, area_type):
    n = con.execute(
        """select count(distinct indicator_id) from profile
           where area_type = $t and benchmark = 'England' and lower_ci95 is not null
             and comparison <> 'not compared'""",
        {"t": area_type},
    ).fetchone()[0]
    assert n >= 5


def test_profile_view_has_the_documented_columns(con):
    cols = {r[0] for r in con.execute("describe profile").fetchall()}
    wanted = {
        "area_code",
        "area_name",
        "area_type",
        "indicator_id",
        "indicator_name",
        "domain",
        "period",
        "sex",
        "age",
        "value",
        "lower_ci95",
        "upper_ci95",
        "lower_ci998",
        "upper_ci998",
        "count",
        "denominator",
        "england_value",
        "comparison",
        "method",
        "note",
    }
    assert wanted <= cols


def _census_ward_sums(source: Path, rel: str, column: str, wanted: set[str]):
    num: dict[str, float] = {}
    den: dict[str, float] = {}
    with open(source / rel, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["area_code"]
            den[code] = den.get(code, 0) + float(row["value"])
            if row[column] in wanted:
                num[code] = num.get(code, 0) + float(row["value"])
    return num, den


@pytest.mark.parametrize("nbh_index", [0, 1, 2, 3])
def test_neighbourhood_value_is_the_pooled_value_of_its_wards(con, source, nbh_index):
    """Given the Census ward counts, when North (etc.) is built, then its count, denominator
    and value are the sums over its wards straight from the CSV, not an average of rates."""
    nbh = load_place().neighbourhoods[nbh_index]
    num, den = _census_ward_sums(
        source,
        "indicators/census2021/health_disability_unpaid_care/2021_general_health_ward_trafford.csv",
        "general_health",
        {"Bad health", "Very bad health"},
    )
    x = sum(num[w] for w in nbh.wards["wards_2004"])
    n = sum(den[w] for w in nbh.wards["wards_2004"])
    row = _profile(con, area_code=nbh.code, indicator_id="bad_health").iloc[0]
    assert row["count"] == x
    assert row["denominator"] == n
    assert row["value"] == pytest.approx(100 * x / n, rel=1e-12)
    # Wilson's score interval written out (PHEindicatormethods' phe_proportion):
    # (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)), z = qnorm(0.975).
    z = 1.959963984540054
    half = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    lower, upper = (
        (2 * x + z * z - half) / (2 * (n + z * z)),
        (2 * x + z * z + half) / (2 * (n + z * z)),
    )
    assert row["lower_ci95"] == pytest.approx(100 * lower, rel=1e-12)
    assert row["upper_ci95"] == pytest.approx(100 * upper, rel=1e-12)
    mean_of_rates = np.mean([num[w] / den[w] for w in nbh.wards["wards_2004"]]) * 100
    assert not math.isclose(row["value"], mean_of_rates, rel_tol=1e-9)


def test_pcn_smoking_is_pooled_from_member_practices(con, source):
    rel = "gp/qof/fingertips_91547_smoking_qof_trafford_practices_england.csv"
    df = pd.read_csv(source / rel)
    df = df[(df["Area Type"] == "GPs") & (df["Time period"] == "2022/23")]
    for pcn in load_place().pcns:
        sub = df[df["Area Code"].isin(pcn.practices)]
        row = _profile(con, area_code=pcn.code, indicator_id="smoking_qof").iloc[0]
        assert row["count"] == sub["Count"].sum()
        assert row["denominator"] == pytest.approx(sub["Denominator"].sum())


def test_practice_smoking_cis_match_the_published_fingertips_cis(con, source):
    """Our Wilson intervals from Count/Denominator reproduce OHID's published practice CIs."""
    rel = "gp/qof/fingertips_91547_smoking_qof_trafford_practices_england.csv"
    df = pd.read_csv(source / rel)
    df = df[(df["Area Type"] == "GPs") & (df["Time period"] == "2022/23")]
    ours = _profile(con, indicator_id="smoking_qof", area_type="practice").set_index("area_code")
    checked = 0
    for _, r in df.iterrows():
        code = r["Area Code"]
        if code in ours.index and pd.notna(ours.at[code, "value"]):
            assert ours.at[code, "lower_ci95"] == pytest.approx(r["Lower CI 95.0 limit"], abs=1e-6)
            assert ours.at[code, "upper_ci95"] == pytest.approx(r["Upper CI 95.0 limit"], abs=1e-6)
            checked += 1
    assert checked == 26


def test_ae_pcn_rows_pool_todays_practices_and_name_ohids_own_pcn_figure(con, source):
    """Given OHID's practice rows (counts rounded to 5) and today's PCN membership, when the
    PCN value is built, then it is the pooled count over today's practices per 1,000, and
    where OHID's published PCN value (its 2021/22 membership) differs, the note gives both."""
    rel = (
        "gp/fingertips/fingertips_93930_ae_attendances_age0to4_trafford_practices_pcns_england.csv"
    )
    df = pd.read_csv(source / rel)
    df = df[(df["Time period"] == "2021/22") & (df["Sex"] == "Persons")]
    gps = df[df["Area Type"] == "GPs"].set_index("Area Code")
    published = df[df["Area Type"].str.startswith("PCN")].set_index("Area Code")["Value"]
    ours = _profile(con, indicator_id="ae_under5", area_type="pcn").set_index("area_code")
    for pcn in load_place().pcns:
        members = gps.loc[list(pcn.practices)]
        expected = members["Count"].sum() / members["Denominator"].sum() * 1000
        assert ours.at[pcn.code, "value"] == pytest.approx(expected, rel=1e-9)
        assert ours.at[pcn.code, "lower_ci95"] < expected < ours.at[pcn.code, "upper_ci95"]
        if round(published[pcn.code], 1) != round(expected, 1):
            assert f"{published[pcn.code]:,.1f}" in ours.at[pcn.code, "note"]
    north = ours.loc["U66368"]
    assert round(north["value"], 1) == 895.4
    assert "856.6" in north["note"]


def test_estimates_are_labelled_and_never_compared(con):
    est = con.execute("select * from profile where is_estimate").df()
    assert not est.empty
    assert (est["comparison"] == "not compared").all()
    assert est["comparison_reason"].str.contains("estimate").all()


def test_no_published_count_is_between_one_and_four(con):
    n = con.execute("select count(*) from indicator_values where count between 1 and 4").fetchone()[
        0
    ]
    assert n == 0


def test_comparison_with_trafford_says_england_has_no_figure(con):
    row = _profile(con, area_code="NBH-NORTH", indicator_id="pensioners_alone").iloc[0]
    assert row["benchmark"] == "Trafford"
    assert "England: no figure" in row["comparison_reason"] or row["comparison"] != "not compared"


def _suppression_rows(codes: list[str], counts: list[float]) -> pd.DataFrame:
    """One indicator's rows for `suppress`: these areas with these counts."""
    return pd.DataFrame(
        {
            "area_code": codes,
            "indicator_id": "x",
            "period": "p",
            "sex": "Persons",
            "age": "All",
            "value": 1.0,
            "count": counts,
            "lower_ci95": 0.0,
            "upper_ci95": 1.0,
            "lower_ci998": 0.0,
            "upper_ci998": 1.0,
            "note": None,
            "comparison": "similar",
            "comparison_reason": "",
        }
    )


def test_suppression_hides_a_second_member_when_one_could_be_recovered():
    """Given a group of three wards where one has a count of 3, when suppressed, then the
    smallest other ward is hidden too, so the total minus the others reveals nothing."""
    values = _suppression_rows(["G", "A", "B", "C"], [60.0, 3, 20, 37])
    members = pd.DataFrame({"group_code": ["G"] * 3, "member_code": ["A", "B", "C"]})
    out = suppress(values, members).set_index("area_code")
    assert out.loc[["A", "B"], "count"].isna().all()
    assert out.at["C", "count"] == 37
    assert out.at["G", "count"] == 60
    assert out.at["B", "note"].startswith("Suppressed: would reveal")
    assert out.at["A", "comparison"] == "not compared"


def test_every_value_row_has_one_comparison_per_benchmark(con):
    counts = con.execute(
        "select benchmark_key, count(*) from benchmark_comparisons group by 1"
    ).fetchall()
    n = con.execute("select count(*) from indicator_values").fetchone()[0]
    assert dict(counts) == {"default": n, "england": n, "la": n, "peers": n}


def test_peer_benchmark_pools_the_other_nine_gm_councils(con, source):
    """Given the Census council counts, the peer value is the pooled share of the nine other
    Greater Manchester councils (Trafford excluded), and North is compared with it."""
    rel = "indicators/census2021/health_disability_unpaid_care/2021_general_health_la_gm.csv"
    df = pd.read_csv(source / rel)
    df = df[df["area_code"] != "E08000009"]
    x = df.loc[df["general_health"].isin(["Bad health", "Very bad health"]), "value"].sum()
    n = df["value"].sum()
    row = (
        con.execute(
            "select * from profile_all where area_code = 'NBH-NORTH'"
            " and indicator_id = 'bad_health' and benchmark_key = 'peers'"
        )
        .df()
        .iloc[0]
    )
    assert row["benchmark"] == "Rest of Greater Manchester"
    assert row["benchmark_value"] == pytest.approx(100 * x / n, rel=1e-12)
    assert row["comparison"] in {"better", "best", "similar", "worse", "worst"}


def test_choosing_trafford_as_benchmark_compares_england_figures_with_trafford(con):
    rows = con.execute(
        "select benchmark_key, benchmark, comparison, comparison_reason from profile_all"
        " where area_code = 'NBH-NORTH' and indicator_id = 'disabled'"
    ).df()
    by_key = rows.set_index("benchmark_key")
    assert by_key.at["default", "benchmark"] == "England"
    assert by_key.at["la", "benchmark"] == "Trafford"
    assert by_key.at["england", "comparison"] == by_key.at["default", "comparison"]


def test_suppression_cascades_until_no_total_reveals_a_small_count():
    """Given Trafford > two neighbourhoods > wards, when one ward count is 2, then a second
    ward is hidden, and nothing else needs hiding because both neighbourhoods stay whole."""
    codes = ["T", "N1", "N2", "a", "b", "c", "d"]
    values = _suppression_rows(codes, [100.0, 40, 60, 2, 38, 25, 35])
    members = pd.DataFrame(
        {
            "group_code": ["T", "T", "N1", "N1", "N2", "N2"],
            "member_code": ["N1", "N2", "a", "b", "c", "d"],
        }
    )
    out = suppress(values, members).set_index("area_code")
    assert out.loc[["a", "b"], "count"].isna().all()
    assert out.loc[["T", "N1", "N2", "c", "d"], "count"].notna().all()


def test_a_practice_whose_neighbour_is_pinned_by_another_total_is_not_the_one_hidden():
    """Given a sub-ICB S of three practices and a PCN P of one of them (as NHS England's
    single-practice PCNs are), when p1's count of 2 is hidden, then hiding p2 beside it would
    not help (P's total gives p2), and zeros are published, so p3 is hidden with it: p1 + p3
    = 32 with p3 at least 5 leaves p1 anywhere from 1 to 4."""
    codes = ["S", "P", "p1", "p2", "p3"]
    values = _suppression_rows(codes, [32.0, 0, 2, 0, 30])
    members = pd.DataFrame(
        {"group_code": ["S", "S", "S", "P"], "member_code": ["p1", "p2", "p3", "p2"]}
    )
    out = suppress(values, members).set_index("area_code")
    assert out.loc[["p1", "p3"], "count"].isna().all()
    assert out.at["p3", "note"].startswith("Suppressed: would reveal")
    assert out.loc[["S", "P", "p2"], "count"].tolist() == [32, 0, 0]


def test_ohid_comparisons_at_99_8_percent_are_kept_not_dropped(con):
    """Given OHID's 'Higher 99.8' for Trafford's depression prevalence, the profile says
    'highest' (significant at 99.8%), not 'not compared'."""
    row = _profile(con, area_code="E08000009", indicator_id="depression_qof_la", period="2024/25")
    assert row.iloc[0]["comparison"] == "highest"


def test_a_pcn_member_table_lists_its_practices(con):
    from jsna.app import queries, tables

    table = tables.member_table(queries.member_values(con, "U66368"))
    assert len(table) == 4
    assert "Ward boundaries" not in table.columns


def test_a_missing_ward_value_reads_not_available_not_suppressed(con):
    from jsna.app import queries, tables

    table = tables.member_table(queries.member_values(con, "NBH-SOUTH")).set_index("Area")
    col = "Obesity in Reception (ward, 3 years)"
    bowdon = table.loc["Bowdon", col]
    values = bowdon if isinstance(bowdon, str) else list(bowdon)
    assert "not available" in values
    assert "suppressed" not in values


# --------------------------------------------------------------------------- the stored place
def _stored(con):
    place = stored.place_from_rows(
        queries.place(con),
        queries.place_ward_sets(con),
        queries.place_lsoa_sets(con),
        queries.place_groups(con),
        queries.place_group_members(con),
    )
    return place, stored.profile_from_rows(queries.indicator_settings(con), queries.domains(con))


def test_the_database_holds_the_place_as_place_toml_writes_it(con):
    place, _ = _stored(con)
    # profiles/place.toml [place], [[neighbourhood]], [[pcn]] and [peer_group], as written.
    assert (place.code, place.name) == ("E08000009", "Trafford")
    assert (place.england_code, place.england_name) == ("E92000001", "England")
    assert [n.name for n in place.neighbourhoods] == ["North", "Central", "West", "South"]
    assert place.neighbourhoods[0].wards["wards_2023"] == (
        "E05015247",
        "E05015250",
        "E05015251",
        "E05015253",
        "E05015256",
    )
    assert [p.code for p in place.pcns] == ["U66368", "U83990", "U79881", "U95344", "U42898"]
    assert place.peers is not None
    assert place.peers.code == "GM-OTHER9"
    assert len(place.peers.members) == 9
    assert place.ward_set("wards_2004").name == "wards of 2004 to May 2023"
    # Every field, including each neighbourhood's wards in every ward set and the PCNs'
    # practices and served neighbourhoods, as loaded from the TOML (files and sources apart).
    toml = load_place()
    assert place == toml
    assert [n.wards for n in place.neighbourhoods] == [n.wards for n in toml.neighbourhoods]
    assert (place.files, place.sources) == ({}, {})


def test_the_database_holds_the_indicator_settings_the_app_uses(con):
    _, profile = _stored(con)
    assert profile == load_indicators()
    # indicators.toml: trend_by_counts = true for FingertipsNext 241 and 247 only.
    assert {i.id for i in profile.indicators if i.trend_by_counts} == {
        "diabetes_qof_la",
        "dementia_qof_la",
    }
    assert profile.get("ae_under5").build["multiplier"] == 1000.0  # `multiplier = 1000.0`
    assert profile.get("bad_health").build["multiplier"] == 100.0  # a proportion
    assert profile.get("cancer_incidence").england_value == 100.0  # `england_value = 100`


def test_the_profile_view_has_the_columns_the_readme_documents(con):
    columns = [r[0] for r in con.execute("describe profile").fetchall()]
    assert columns == readme_profile_columns()
    all_columns = [r[0] for r in con.execute("describe profile_all").fetchall()]
    assert all_columns == [*readme_profile_columns(), "benchmark_key"]


def test_profile_status_types_what_the_profile_says_in_words(con):
    """is_suppressed, population_kind and benchmark_code agree with the note, the population
    and the benchmark's name on every row and benchmark (place.toml: Trafford E08000009,
    England E92000001, peers GM-OTHER9)."""
    rows = con.execute(
        "select s.is_suppressed, s.population_kind, s.benchmark_code, p.note, p.population, "
        "p.benchmark, p.count from profile_status as s join profile_all as p "
        "using (area_code, indicator_id, period, sex, age, benchmark_key)"
    ).df()
    assert len(rows) == con.execute("select count(*) from benchmark_comparisons").fetchone()[0]
    said = rows["note"].fillna("").str.startswith("Suppressed")
    assert (rows["is_suppressed"] == said).all()
    assert rows["is_suppressed"].sum() > 0
    assert rows.loc[rows["is_suppressed"], "count"].isna().all()
    kind = np.where(rows["population"].str.startswith("Registered"), "registered", "residents")
    assert (rows["population_kind"] == kind).all()
    codes = {
        "Trafford": "E08000009",
        "England": "E92000001",
        "Rest of Greater Manchester": "GM-OTHER9",
    }
    assert (rows["benchmark_code"] == rows["benchmark"].map(codes)).all()
