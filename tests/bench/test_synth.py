"""The synthetic England-size copy (bench/synth.py), at a small scale so the test is quick."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.synth import Sizes, synthesise

SMALL = Sizes(councils=4, pcns=15, practices=70, wards=90, lsoas=400)
KEY = ["area_code", "indicator_id", "period", "sex", "age"]


def _read(path: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def synth(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "small.duckdb"
    synthesise(built_db, out, SMALL, seed=7)
    return out


def test_counts_are_those_asked_for(synth: Path) -> None:
    areas = _read(synth, "select area_type, vintage, area_code from areas")
    n = areas["area_type"].value_counts()
    assert n["local_authority"] == SMALL.councils
    assert n["neighbourhood"] == 4 * SMALL.councils  # the place's four, in every council
    assert n["pcn"] == SMALL.pcns
    assert n["practice"] == SMALL.practices
    assert n["lsoa"] == SMALL.lsoas
    wards = areas[areas["area_type"] == "ward"]["vintage"].value_counts()
    assert set(wards) == {SMALL.wards}
    assert len(wards) == 2
    practices = _read(synth, "select count(*) as n from practices")["n"].iloc[0]
    assert practices == SMALL.practices
    layers = dict(_read(synth, "select layer, geojson from boundaries").to_numpy())
    features = {f["properties"]["area_code"] for f in json.loads(layers["ward_2023"])["features"]}
    assert features == set(areas[areas["vintage"] == "wards_2023"]["area_code"])


def test_no_code_reused(synth: Path, built_db: Path) -> None:
    areas = _read(synth, "select area_code, area_type from areas")
    assert areas["area_code"].is_unique
    real = set(_read(built_db, "select area_code from areas")["area_code"])
    real |= set(_read(built_db, "select area_code from nhs_areas")["area_code"])
    wards = areas[areas["area_type"] == "ward"]["area_code"]
    new_wards = wards[~wards.isin(real)]
    assert len(new_wards) == 2 * SMALL.wards - 42  # all but the place's own 21 + 21
    assert new_wards.str.fullmatch(r"E05\d{6}").all()


def test_real_rows_untouched(synth: Path, built_db: Path) -> None:
    sql = "select * from indicator_values where area_code in (select area_code from areas)"
    before = _read(built_db, sql).sort_values(KEY).reset_index(drop=True)
    after = _read(
        synth,
        f"{sql} and area_code in ({', '.join(repr(c) for c in before['area_code'].unique())})",
    )
    after = after.sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)


def test_pooled_group_equals_sum_of_members(synth: Path) -> None:
    # Every synthetic PCN's QOF diabetes register is the sum of its practices' registers.
    rows = _read(
        synth,
        """
        select m.group_code, g.count as g_count, g.denominator as g_den, g.value,
               sum(v.count) as count, sum(v.denominator) as den, count(v.count) as shown,
               count(*) as members
        from area_members m
        join indicator_values v on v.area_code = m.member_code and v.indicator_id = 'qof_dm'
        join indicator_values g on g.area_code = m.group_code and g.indicator_id = 'qof_dm'
        where m.group_code like 'U%' and m.group_code not in ('U42898', 'U66368', 'U79881',
              'U83990', 'U95344')
        group by all
        """,
    )
    assert len(rows) == SMALL.pcns - 5
    whole = rows[rows["shown"] == rows["members"]]
    assert len(whole) >= 5
    assert (whole["g_count"] == whole["count"]).all()
    assert (whole["g_den"] == whole["den"]).all()
    assert whole["value"].to_numpy() == pytest.approx(100 * whole["count"] / whole["den"])


def test_same_seed_same_copy(synth: Path, built_db: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.duckdb", tmp_path / "other.duckdb"
    synthesise(built_db, again, SMALL, seed=7)
    synthesise(built_db, other, SMALL, seed=8)
    sql = "select * from indicator_values order by all"
    first = _read(synth, sql)
    pd.testing.assert_frame_equal(first, _read(again, sql))
    assert not first.equals(_read(other, sql))
    sql = "select * from areas order by area_code"
    pd.testing.assert_frame_equal(_read(synth, sql), _read(again, sql))
