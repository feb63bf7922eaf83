"""Every English PCN and region: values from the national QOF rows, computed here by hand."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

QOF = "gp/qof/qof_2022_23_prevalence_all_practices_england.csv"
GEO = "gp/qof/qof_2022_23_nhs_geography_all_practices_england.csv"
TOTALS = "gp/qof/qof_2022_23_prevalence_england_trafford_totals.csv"


def _rows(source, rel):
    with open(source / rel, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def pooled(source):
    """Register and list per (level, code, group), summed with the csv module."""
    geo = {r["PRACTICE_CODE"]: r for r in _rows(source, GEO)}
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in _rows(source, QOF):
        g = geo[r["PRACTICE_CODE"]]
        for level, code in (
            ("pcn", g["PCN_ODS_CODE"]),
            ("region", g["REGION_ODS_CODE"]),
            ("england", "E92000001"),
        ):
            if level == "pcn" and code == "U":  # NHS England's code for "in no PCN"
                continue
            s = sums[(level, code, r["GROUP_CODE"])]
            s[0] += float(r["REGISTER"])
            s[1] += int(r["PRACTICE_LIST_SIZE"])
    return sums


def _row(con, level, code, indicator_id):
    return con.execute(
        "select count, denominator, value from national_values "
        "where area_type = $t and area_code = $c and indicator_id = $i",
        {"t": level, "c": code, "i": indicator_id},
    ).fetchone()


def test_there_are_1267_pcns_and_63_practices_in_no_pcn(con, source):
    geo = _rows(source, GEO)
    assert len({r["PCN_ODS_CODE"] for r in geo} - {"U"}) == 1267
    assert sum(r["PCN_ODS_CODE"] == "U" for r in geo) == 63
    n = con.execute("select count(*) from nhs_areas where area_type = 'pcn'").fetchone()[0]
    assert n == 1267


@pytest.mark.parametrize(
    ("level", "code", "group"),
    [("pcn", "U89141", "DM"), ("pcn", "U87499", "HYP"), ("region", "Y63", "AST")],
)
def test_an_areas_value_is_its_practices_pooled(con, pooled, level, code, group):
    reg, lst = pooled[(level, code, group)]
    count, den, value = _row(con, level, code, f"qof_{group.lower()}")
    assert (count, den) == (reg, lst)
    assert value == pytest.approx(100 * reg / lst, abs=1e-9)


def test_england_equals_nhs_englands_published_totals(con, source):
    for r in _rows(source, TOTALS):
        if r["AREA_CODE"] == "E92000001":
            count, den, _ = _row(con, "england", "E92000001", f"qof_{r['GROUP_CODE'].lower()}")
            assert (count, den) == (float(r["REGISTER"]), float(r["LIST_SIZE"]))


def test_no_national_row_publishes_a_count_from_1_to_4(con):
    n = con.execute("select count(*) from national_values where count between 1 and 4").fetchone()[
        0
    ]
    assert n == 0
