"""Issue 7: England comparators from the raw rows, every QOF register, registered patients.

Expected values here are computed from the source files' rows with the csv module or plain
pandas sums, never by calling the build's own functions.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from jsna.build.profiles import load_place

TS007 = "england/census2021/census2021-ts007-ctry.csv"
ENGLAND_TOTALS = "england/census2021/census2021_england_totals.csv"
QOF = "gp/qof/qof_2022_23_prevalence_all_practices_england.csv"
QOF_TRAFFORD = "gp/qof/qof_2022_23_prevalence_trafford_practices.csv"
QOF_TOTALS = "gp/qof/qof_2022_23_prevalence_england_trafford_totals.csv"
AGES = "indicators/census2021/population/2021_population_by_sex_and_age_ward_trafford.csv"


def _rows(source: Path, rel: str) -> list[dict[str, str]]:
    with open(source / rel, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _value(con, area_code: str, indicator_id: str, column: str = "value"):
    row = con.execute(
        f"select {column} from profile where area_code = $a and indicator_id = $i",
        {"a": area_code, "i": indicator_id},
    ).fetchone()
    return None if row is None else row[0]


# ------------------------------------------------------------------ England age comparators
def _ts007_england(source: Path) -> dict[str, int]:
    row = next(r for r in _rows(source, TS007) if r["geography code"] == "E92000001")
    return {
        k.removeprefix("Age: ").removesuffix("; measures: Value"): int(v)
        for k, v in row.items()
        if k.startswith("Age: ")
    }


@pytest.mark.parametrize(
    ("indicator_id", "bands"),
    [
        ("aged_65_plus", ["Aged 65 to 74 years", "Aged 75 to 84 years", "Aged 85 years and over"]),
        ("aged_85_plus", ["Aged 85 years and over"]),
        ("aged_0_15", ["Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 15 years"]),
    ],
)
def test_england_age_shares_equal_the_published_ts007_bands(con, source, indicator_id, bands):
    """Given England's TS007 row (published bands, each person once), when the England value
    is built from the single years, then it equals the bands' sum over the total."""
    ts = _ts007_england(source)
    expected = 100 * sum(ts[b] for b in bands) / ts["Total"]
    assert _value(con, "E92000001", indicator_id) == pytest.approx(expected, abs=1e-9)
    assert _value(con, "E92000001", indicator_id, "denominator") == ts["Total"]


def test_england_65_plus_is_18_41_percent_and_85_plus_2_43_percent(con):
    assert round(_value(con, "E92000001", "aged_65_plus"), 2) == 18.41
    assert round(_value(con, "E92000001", "aged_85_plus"), 2) == 2.43


def test_south_and_west_are_significantly_older_than_england(con):
    for code in ("NBH-SOUTH", "NBH-WEST"):
        assert _value(con, code, "aged_65_plus", "comparison") in {"higher", "highest"}


def test_every_england_census_table_sums_to_its_published_total(source):
    """Each table's categories in census2021_england_totals.csv add up to its denominator, so
    no category is a subtotal of others (TS007 is checked by its single years)."""
    sums: dict[str, int] = defaultdict(int)
    totals: dict[str, set[int]] = defaultdict(set)
    for r in _rows(source, ENGLAND_TOTALS):
        totals[r["table"]].add(int(r["denominator"]))
        label = r["category"]
        if r["table"] == "TS007":
            single = " to " not in label and "and under" not in label
            if not single or (label.endswith("and over") and label != "Aged 100 years and over"):
                continue
        sums[r["table"]] += int(r["count"])
    assert set(sums) == {"TS007", "TS021", "TS038", "TS039"}
    for table, total in sums.items():
        assert totals[table] == {total}, table


@pytest.mark.parametrize(
    ("indicator_id", "table", "numerator"),
    [
        (
            "ethnic_minority",
            "TS021",
            lambda c: c != "White: English, Welsh, Scottish, Northern Irish or British",
        ),
        ("disabled", "TS038", lambda c: c == "Disabled under the Equality Act"),
        ("unpaid_carers", "TS039", lambda c: c != "provides_no_unpaid_care"),
    ],
)
def test_england_census_shares_equal_the_rows(con, source, indicator_id, table, numerator):
    rows = [r for r in _rows(source, ENGLAND_TOTALS) if r["table"] == table]
    num = sum(int(r["count"]) for r in rows if numerator(r["category"]))
    den = int(rows[0]["denominator"])
    assert _value(con, "E92000001", indicator_id) == pytest.approx(100 * num / den, abs=1e-9)


def test_ward_age_denominators_count_each_resident_once(con, source):
    """Ward files have single years to 89 and '90 and over': the denominator is their sum."""
    total: dict[str, int] = defaultdict(int)
    for r in _rows(source, AGES):
        if r["sex"] == "All persons":
            total[r["area_code"]] += int(r["value"])
    for code, n in total.items():
        assert _value(con, code, "aged_65_plus", "denominator") == n


# ------------------------------------------------------------------ QOF registers
def _qof_totals(source: Path) -> pd.DataFrame:
    return pd.read_csv(source / QOF_TOTALS, dtype={"AREA_CODE": str})


def test_england_qof_registers_equal_nhs_englands_published_totals(con, source):
    tot = _qof_totals(source)
    eng = tot[tot["AREA_CODE"] == "E92000001"]
    assert len(eng) == 21
    for r in eng.itertuples():
        ind = f"qof_{r.GROUP_CODE.lower()}"
        assert _value(con, "E92000001", ind, "count") == r.REGISTER, ind
        assert _value(con, "E92000001", ind, "denominator") == r.LIST_SIZE, ind


def test_trafford_qof_registers_equal_the_sum_of_its_26_practices(con, source):
    tot = _qof_totals(source)
    traf = tot[tot["AREA_CODE"] == "02A"]
    assert len(traf) == 21
    assert (traf["N_PRACTICES"] == 26).all()
    for r in traf.itertuples():
        ind = f"qof_{r.GROUP_CODE.lower()}"
        assert _value(con, "E08000009", ind, "count") == r.REGISTER, ind
        assert _value(con, "E08000009", ind) == pytest.approx(r.PREVALENCE_PCT, abs=5e-4)


def test_each_pcn_diabetes_prevalence_is_its_practices_pooled(con, source):
    """qof_dm for a PCN = Σ register / Σ list (aged 17+) of its member practices, to 0.01."""
    rows = [r for r in _rows(source, QOF_TRAFFORD) if r["GROUP_CODE"] == "DM"]
    by_practice = {r["PRACTICE_CODE"]: r for r in rows}
    for pcn in load_place().pcns:
        reg = sum(float(by_practice[p]["REGISTER"]) for p in pcn.practices)
        lst = sum(int(by_practice[p]["PRACTICE_LIST_SIZE"]) for p in pcn.practices)
        assert _value(con, pcn.code, "qof_dm") == pytest.approx(100 * reg / lst, abs=0.01)
        assert _value(con, pcn.code, "qof_dm", "denominator") == lst


def test_at_least_18_registers_have_a_pcn_value_ci_and_england_comparison(con):
    n = con.execute(
        """select count(distinct indicator_id) from profile
           where area_type = 'pcn' and indicator_id like 'qof_%' and lower_ci95 is not null
             and benchmark = 'England' and comparison <> 'not compared'"""
    ).fetchone()[0]
    assert n >= 18


def test_practice_prevalence_is_the_register_over_its_age_groups_list(con, source):
    row = next(
        r
        for r in _rows(source, QOF_TRAFFORD)
        if r["PRACTICE_CODE"] == "P91003" and r["GROUP_CODE"] == "AST"
    )
    assert row["PATIENT_LIST_TYPE"] == "06OV"
    expected = 100 * float(row["REGISTER"]) / int(row["PRACTICE_LIST_SIZE"])
    assert _value(con, "P91003", "qof_ast") == pytest.approx(expected, abs=1e-9)


def test_qof_definitions_say_recorded_prevalence_and_the_list_age_group(con):
    defs = con.execute(
        "select indicator_id, definition from indicators where indicator_id like 'qof_%'"
    ).fetchall()
    assert len(defs) == 21
    for ind, text in defs:
        assert "not everyone with the condition" in text, ind
        assert "Recorded prevalence" in text
    dm = dict(defs)["qof_dm"]
    assert "aged 17 and over" in dm


# ------------------------------------------------------------------ registered patients
@pytest.mark.parametrize("nbh", ["NBH-NORTH", "NBH-CENTRAL", "NBH-WEST", "NBH-SOUTH"])
def test_every_neighbourhood_has_15_registered_patient_indicators_compared_with_england(con, nbh):
    rows = con.execute(
        """select indicator_id, population from profile
           where area_code = $a and lower_ci95 is not null and benchmark = 'England'
             and comparison <> 'not compared'""",
        {"a": nbh},
    ).df()
    registered = rows[rows["population"].str.startswith("Registered patients of")]
    assert len(registered) >= 15


def test_south_registered_patients_are_both_its_pcns_pooled(con, source):
    rows = [r for r in _rows(source, QOF_TRAFFORD) if r["GROUP_CODE"] == "HYP"]
    by_practice = {r["PRACTICE_CODE"]: r for r in rows}
    serving = [p for p in load_place().pcns if "NBH-SOUTH" in p.serves]
    assert {p.name for p in serving} == {"Altrincham Healthcare Alliance", "South Trafford"}
    practices = [code for p in serving for code in p.practices]
    reg = sum(float(by_practice[p]["REGISTER"]) for p in practices)
    lst = sum(int(by_practice[p]["PRACTICE_LIST_SIZE"]) for p in practices)
    assert _value(con, "NBH-SOUTH", "qof_hyp") == pytest.approx(100 * reg / lst, abs=1e-9)
    assert _value(con, "NBH-SOUTH", "qof_hyp", "population") == (
        "Registered patients of Altrincham Healthcare Alliance and South Trafford PCNs"
    )


def test_resident_rows_are_never_labelled_as_registered_patients(con):
    bad = con.execute(
        """select count(*) from profile p join indicators i using (indicator_id)
           where i.geography <> 'practice' and p.population like 'Registered%'"""
    ).fetchone()[0]
    assert bad == 0


# ------------------------------------------------------------------ small numbers, real rows
@pytest.mark.parametrize(
    ("practice", "indicator_id"),
    [("P91617", "qof_ld"), ("P91617", "qof_ost"), ("P91631", "qof_ost")],
)
def test_real_registers_of_3_and_4_are_suppressed(con, source, practice, indicator_id):
    group = indicator_id.removeprefix("qof_").upper()
    row = next(
        r
        for r in _rows(source, QOF_TRAFFORD)
        if r["PRACTICE_CODE"] == practice and r["GROUP_CODE"] == group
    )
    assert 1 <= float(row["REGISTER"]) <= 4  # the source really has a small number here
    got = con.execute(
        "select value, count, lower_ci95 from profile where area_code = $a and indicator_id = $i",
        {"a": practice, "i": indicator_id},
    ).fetchall()
    assert got
    assert all(v is None for r in got for v in r)


def test_a_suppressed_practice_cannot_be_recovered_from_its_pcn_total(con):
    """For every PCN and indicator with a published count, the member practices with a hidden
    count are none or at least two, so the PCN total minus the others never gives one."""
    rows = con.execute(
        """select m.group_code, p.indicator_id, p.period, p.sex,
                  count(*) filter (where p.count is null and p.note like 'Suppressed%') as hidden
           from profile p join area_members m on m.member_code = p.area_code
           join profile g on g.area_code = m.group_code and g.indicator_id = p.indicator_id
                and g.period = p.period and g.sex = p.sex and g.age = p.age
           where g.count is not null and p.area_type = 'practice'
           group by all"""
    ).fetchall()
    assert rows
    assert all(hidden != 1 for *_, hidden in rows)
    assert any(hidden >= 2 for *_, hidden in rows)


def test_small_qof_counts_never_reach_the_whole_profile_download(con):
    n = con.execute(
        "select count(*) from profile where count between 1 and 4 or (value is not null and "
        "note like 'Suppressed%')"
    ).fetchone()[0]
    assert n == 0
