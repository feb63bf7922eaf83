"""DB: Loamshire builds with the real pipeline; pooled values and suppression, from the source."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.small.source import expected, families, place

CHECKED = ["ethnic_minority", "disabled", "aged_65_plus", "aged_85_plus"]
CHECKED += ["qof_ld", "qof_ep", "qof_dem", "qof_af", "qof_dm"]


def test_it_builds_in_seconds_with_every_file_verified_by_its_manifest(county, county_con):
    assert county.seconds < 60, "5 s idle, 12 s under load: no England-size work"
    release = county_con.execute("select value from build_info where key = 'release'").fetchone()
    assert release == ("loamshire-synthetic",)
    declared = (county.profiles / "manifest.toml").read_text().count("[[file]]")
    read = county_con.execute("select count(*), count(sha256) from data_release").fetchone()
    assert read == (declared, declared), "every declared file read and hashed"


def test_its_areas_are_the_generated_ones(county_con):
    wards = dict(
        county_con.execute(
            "select vintage, count(*) from areas where area_type = 'ward' group by 1"
        ).fetchall()
    )
    assert wards == {"electoral": 48, "legacy": 36, "divisions": 24}
    types = dict(county_con.execute("select area_type, count(*) from areas group by 1").fetchall())
    assert types["neighbourhood"] == 12
    assert types["pcn"] == 20
    assert types["practice"] == 60
    assert types["lsoa"] == 144
    name = county_con.execute("select name, current_ward_set from place").fetchone()
    assert name == ("Loamshire", "electoral")


@pytest.mark.parametrize("indicator", CHECKED)
def test_published_counts_are_the_sums_of_the_source_rows(county, county_con, indicator):
    want = expected(county.data, county.profiles)[indicator]
    got = county_con.execute(
        "select area_code, count, denominator, value from profile where indicator_id = ?",
        [indicator],
    ).fetchall()
    assert {a for a, *_ in got} == set(want), "a row for every area the source covers"
    published = 0
    for area, count, denominator, value in got:
        n, d = want[area]
        if count is None:
            assert value is None, (area, "a hidden count hides its value")
            continue
        published += 1
        assert (count, denominator) == (n, d), area
        assert value == pytest.approx(100 * n / d, rel=1e-9), area
    assert published >= len(got) // 3


def test_every_count_from_1_to_4_is_hidden_with_its_value_and_interval(county, county_con):
    want = expected(county.data, county.profiles)
    hidden = Counter()
    for indicator, areas in want.items():
        small = [a for a, (n, _d) in areas.items() if 1 <= n <= 4]
        for area in small:
            row = county_con.execute(
                "select count, value, lower_ci95, upper_ci998 from profile "
                "where indicator_id = ? and area_code = ?",
                [indicator, area],
            ).fetchone()
            assert row == (None, None, None, None), (indicator, area)
            hidden[indicator] += 1
    assert hidden["ethnic_minority"] >= 5
    assert hidden["qof_ld"] >= 5


def test_no_hidden_count_is_recoverable_by_one_subtraction(county, county_con):
    shown = {
        (a, i): c
        for a, i, c in county_con.execute(
            "select area_code, indicator_id, count from profile"
        ).fetchall()
    }
    indicators = {i for _a, i in shown}
    checked = 0
    for prefix, group, members in families(county.data, county.profiles):
        for ind in sorted(i for i in indicators if i.startswith(prefix)):
            if shown.get((group, ind)) is None:
                continue
            gone = [m for m in members if shown.get((m, ind)) is None]
            assert len(gone) != 1, f"{ind}: {gone[0]} = {group} minus the other members"
            checked += 1
    assert checked > 100


def test_the_national_tables_hide_no_count_recoverable_by_one_subtraction(county, county_con):
    from tests.small.source import rows

    geo = rows(county.data / place(county.profiles)["source"]["qof_registers"]["geography_file"])
    parts: dict[str, set[str]] = {}
    for r in geo:
        prac = r["PRACTICE_CODE"]
        if r["PCN_ODS_CODE"] != "U":
            parts.setdefault(r["PCN_ODS_CODE"], set()).add(prac)
        parts.setdefault(r["SUB_ICB_ODS_CODE"], set()).add(prac)
        parts.setdefault(r["ICB_ODS_CODE"], set()).add(r["SUB_ICB_ODS_CODE"])
        parts.setdefault(r["REGION_ODS_CODE"], set()).add(r["ICB_ODS_CODE"])
        parts.setdefault("E92000001", set()).add(r["REGION_ODS_CODE"])
    shown = {
        (a, i): c
        for a, i, c in county_con.execute(
            "select area_code, indicator_id, count from national_values"
        ).fetchall()
    }
    assert sum(c is None for c in shown.values()) > 10, "the national tables hide counts"
    for (group, ind), count in shown.items():
        if count is None or group not in parts:
            continue
        gone = [m for m in parts[group] if shown.get((m, ind), 0) is None]
        assert len(gone) != 1, f"{ind}: {gone[0]} = {group} minus the other members"


def test_some_counts_of_5_or_more_are_hidden_to_protect_a_small_one(county, county_con):
    want = expected(county.data, county.profiles)
    complementary = [
        (i, a)
        for a, i, note in county_con.execute(
            "select area_code, indicator_id, note from profile where count is null"
        ).fetchall()
        if i in want and want[i][a][0] >= 5
    ]
    assert len(complementary) >= 5, "the fixture exercises complementary suppression"
