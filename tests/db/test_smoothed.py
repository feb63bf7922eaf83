"""Smoothed small-area values in the real build (`smoothed_values`).

The method is tested on hand-worked cases in tests/unit/test_smoothing.py; here, what must
hold of every row the build writes, whatever the data.
"""

from __future__ import annotations

import pandas as pd


def _rows(con) -> pd.DataFrame:
    return con.execute(
        """
        select p.area_type, p.vintage, p.value, p.count, p.denominator, p.note, s.*
        from smoothed_values as s
        join profile as p using (area_code, indicator_id, period, sex, age)
        """
    ).df()


def test_every_ward_and_lsoa_proportion_with_counts_is_smoothed(con) -> None:
    expected = con.execute(
        """
        select count(*) from profile
        where area_type in ('ward', 'lsoa') and value_type = 'proportion'
          and method = 'Wilson' and count is not null
        """
    ).fetchone()[0]
    assert expected > 500
    assert len(_rows(con)) == expected


def test_each_value_lies_between_its_raw_value_and_the_average_it_is_pulled_to(con) -> None:
    rows = _rows(con)
    lo = rows[["value", "towards"]].min(axis=1) - 1e-9
    hi = rows[["value", "towards"]].max(axis=1) + 1e-9
    assert rows["smoothed_value"].between(lo, hi).all()
    assert (rows["smoothed_lower95"] <= rows["smoothed_value"]).all()
    assert (rows["smoothed_value"] <= rows["smoothed_upper95"]).all()
    assert rows["p_higher"].between(0, 1).all()


def test_the_average_pools_the_published_counts_of_one_set_of_areas(con) -> None:
    rows = _rows(con)
    for _, g in rows.groupby(["indicator_id", "period", "sex", "age", "area_type", "vintage"]):
        pooled = 100 * g["count"].sum() / g["denominator"].sum()
        assert g["towards"].tolist() == [pooled] * len(g)
        assert (g["areas_pooled"] == len(g)).all()


def test_no_suppressed_row_is_smoothed(con) -> None:
    hidden = con.execute(
        "select count(*) from smoothed_values join profile using "
        "(area_code, indicator_id, period, sex, age) where profile.count is null"
    ).fetchone()[0]
    assert hidden == 0
