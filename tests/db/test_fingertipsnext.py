"""The FingertipsNext diabetes and dementia series: values from the source rows, bad rows named."""

from __future__ import annotations

import pandas as pd
import pytest

from jsna.build import pipeline as build
from tests.db.test_bad_input import _edit, _set_cell, farm  # noqa: F401 (fixture)

FTN = "gp/fingertips/fingertipsnext_healthdata_trafford_england.csv"


@pytest.mark.parametrize(
    ("indicator", "ftn_id"), [("diabetes_qof_la", 241), ("dementia_qof_la", 247)]
)
def test_every_year_equals_count_over_denominator_with_fingertips_intervals(
    con, source, indicator, ftn_id
):
    """Each Trafford and England year is the published count over the published denominator;
    our Wilson interval reproduces FingertipsNext's published interval to 0.001 points."""
    raw = pd.read_csv(source / FTN)
    raw = raw[(raw["IndicatorId"] == ftn_id) & (raw["SexID"] == 4) & raw["CategoryType"].isna()]
    raw = raw.assign(period=[f"{y}/{(y + 1) % 100:02d}" for y in raw["Year"]])
    got = con.execute(
        "select area_code, period, value, lower_ci95, upper_ci95, count, denominator "
        "from profile where indicator_id = $i",
        {"i": indicator},
    ).df()
    both = raw.merge(got, left_on=["AreaCode", "period"], right_on=["area_code", "period"])
    assert len(both) == len(raw) == 12, "six years for Trafford and for England"
    assert (both["count"] == both["Count"]).all()
    assert (both["denominator"] == both["Denominator"]).all()
    pd.testing.assert_series_equal(
        both["value"], 100 * both["Count"] / both["Denominator"], check_names=False
    )
    assert (both["lower_ci95"] - both["LowerCI"]).abs().max() < 1e-3
    assert (both["upper_ci95"] - both["UpperCI"]).abs().max() < 1e-3


def test_trafford_is_compared_with_england_each_year(con):
    rows = con.execute(
        "select period, comparison, benchmark from profile "
        "where indicator_id = 'diabetes_qof_la' and area_code = 'E08000009' order by period"
    ).fetchall()
    assert len(rows) == 6
    # Trafford's 95% and 99.8% intervals lie wholly below England's value every year (for
    # example 2023/24: upper limit 6.92% < England 7.66%), a no-judgement indicator: lowest.
    assert {(c, b) for _, c, b in rows} == {("lowest", "England")}


def _row(lines: list[str], start: str) -> int:
    return next(i + 1 for i, line in enumerate(lines) if line.startswith(start))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda ls: _set_cell(ls, _row(ls, "241,2021,187,4,E08000009"), "Count", ""),
            ["blank where a number is needed", "column 'Count'"],
        ),
        (
            lambda ls: _set_cell(ls, _row(ls, "241,2021,187,4,E08000009"), "Value", "9.9"),
            ["differs from count/denominator", "column 'Value'"],
        ),
        (
            lambda ls: [*ls, ls[_row(ls, "247,2020,1,4,E08000009") - 1]],
            ["duplicate area and year", "column 'Year'"],
        ),
    ],
    ids=["blank-count", "value-disagrees", "duplicate-year"],
)
def test_a_bad_fingertipsnext_row_stops_the_build_naming_file_row_and_column(
    farm,  # noqa: F811
    tmp_path,
    capsys,
    edit,
    expected,
):
    out = tmp_path / "jsna.duckdb"
    out.write_bytes(b"previous database")
    _edit(farm, FTN, edit)
    code = build.main(["--source", str(farm), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert FTN in err
    assert "row " in err
    for text in expected:
        assert text in err
    assert out.read_bytes() == b"previous database"
