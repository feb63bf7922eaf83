"""Unit: the contract's checks catch what they claim to, on damaged copies of Loamshire's build."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.contract import checks


@pytest.fixture
def copy(county, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(county.db, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_a_count_of_3_anywhere_is_found(copy):
    assert checks.small_counts(copy) == []
    copy.execute("update national_values set count = 3 where area_code = 'Y90001'")
    found = checks.small_counts(copy)
    assert any(f.startswith("national_values.count: ") for f in found), found


def test_a_neighbourhood_that_is_not_its_wards_sum_is_found(copy):
    assert checks.pooled_mismatches(copy)[0] == []
    copy.execute(
        "update indicator_values set count = count + 1 "
        "where area_code = 'LOAM-01' and indicator_id = 'disabled'"
    )
    problems = checks.pooled_mismatches(copy)[0]
    assert len(problems) == 2, "the neighbourhood, and the council pooled from it"
    assert {p.split("'")[1] for p in problems} == {"LOAM-01", "E10000990"}
    assert all("disabled" in p for p in problems)


def test_a_council_row_that_is_not_its_pcns_sum_is_found(copy):
    copy.execute(
        "update indicator_values set denominator = denominator - 1 "
        "where area_code = 'E10000990' and indicator_id = 'qof_dm'"
    )
    problems = checks.pooled_mismatches(copy)[0]
    assert len(problems) == 1
    assert "E10000990" in problems[0]


def test_a_row_not_compared_and_not_saying_why_is_found(copy):
    assert checks.uncompared_without_reason(copy) == []
    copy.execute(
        "update benchmark_comparisons set comparison = 'not compared', comparison_reason = '' "
        "where area_code = 'LOAM-02' and indicator_id = 'qof_af' and benchmark_key = 'england'"
    )
    found = checks.uncompared_without_reason(copy)
    assert len(found) == 1
    assert found[0].startswith("LOAM-02, qof_af")
