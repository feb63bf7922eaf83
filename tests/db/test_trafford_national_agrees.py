"""Trafford built from national files alone agrees with Trafford's own build.

`python -m jsna.build.place new E08000009 --name Trafford --sub-icb 02A` from a folder holding only
`national/` and `gp/qof/`, built, against the session's build of Trafford's own files.

What both have, and the rule each difference must meet:

- **The May 2023 wards.** The national place's wards are ONS's best fit of Trafford's 2021
  LSOAs (DATA_GUIDE: "a ward built from LSOAs is an approximation of the ward"); all 21 of
  Trafford's own 2023 wards, by code and name, must come out of it.
- **LSOAs.** Disability and the ethnic-group base are published by ONS for each 2021 LSOA;
  Trafford's files carry the same cells as the national tables, so the counts must be equal.
- **The council.** Both sides count the same people (LSOAs and wards nest in the council), so
  the only difference is Census cell-key perturbation (DATA_GUIDE: tables summed from small
  areas "differ very slightly" because ONS adds noise to each published cell): Trafford's own
  numbers sum ward cells (the single-year age table, the four-category disability table), the
  national ones sum LSOA cells (TS007A five-year bands, TS038). The noise of one cell is
  measured here from every English LSOA: TS007A's 18 bands summed, less TS001's total, is the
  noise of 19 cells, so its variance over England's LSOAs / 19 is one cell's. A difference
  between sums of n_own and n_national cells must be within 5 standard deviations,
  5·√((n_own + n_national)·var_cell). (Best-fit plays no part at council level.)

Not compared, and why: ethnic minority (Trafford's is all but White British from TS021's 19
groups; at LSOA only five groups exist, so the national one is all but White), ages 0–15
(TS007A's bands give 0–14), and the IMD 2019 share (Trafford's weights mid-2022 residents of
2011 LSOAs, the national one Census residents of 2021 LSOAs). Trafford's own Census ward
figures are on the 2004–2023 wards, so no Census value exists on both 2023 ward sets.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import duckdb
import pytest

from jsna.build import place as place_cli
from jsna.build.pipeline import build_database
from tests.db.test_national_council import TS001, TS007A, _nomis, _visual

CODE = "E08000009"
OWN_AGE = "indicators/census2021/population/2021_population_by_sex_and_age_ward_trafford.csv"
OWN_DISABILITY = (
    "indicators/census2021/health_disability_unpaid_care/2021_disability_ward_trafford.csv"
)
SIGMAS = 5


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    """Trafford generated and built from a folder holding only national/ and gp/qof/."""
    tmp = tmp_path_factory.mktemp("trafford_national")
    only = tmp / "national_only"
    (only / "gp").mkdir(parents=True)
    os.symlink(source / "national", only / "national")
    os.symlink(source / "gp" / "qof", only / "gp" / "qof")
    out = tmp / "profiles"
    argv = ["new", CODE, "--name", "Trafford", "--sub-icb", "02A", "--source", str(only)]
    assert place_cli.main([*argv, "--out", str(out)]) == 0
    mp = pytest.MonkeyPatch()
    mp.setenv("JSNA_PROFILES", str(out))
    try:
        build_database(out / "data", tmp / "trafford_national.duckdb")
    finally:
        mp.undo()
    return tmp / "trafford_national.duckdb"


def _rows(db: Path, sql: str, *params: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _values(db: Path, area_type: str) -> dict[tuple[str, str], tuple[float, float]]:
    sql = """select area_code, indicator_id, count, denominator from indicator_values
             join areas using (area_code) where area_type = ?"""
    return {(a, i): (c, d) for a, i, c, d in _rows(db, sql, area_type)}


def test_best_fit_keeps_every_2023_ward(national, built_db):
    sql = "select area_code, area_name from areas where area_type = 'ward' and vintage = ?"
    own = sorted(_rows(built_db, sql, "wards_2023"))
    assert len(own) == 21
    assert sorted(_rows(national, sql, "wards_2023")) == own


def test_lsoa_counts_are_the_same_ons_cells(national, built_db):
    own, nat = _values(built_db, "lsoa"), _values(national, "lsoa")
    disabled = {a for a, i in own if i == "disabled"} & {a for a, i in nat if i == "disabled"}
    assert len(disabled) >= 130  # Trafford has 139 LSOAs of 2021
    for lsoa in sorted(disabled):
        assert own[(lsoa, "disabled")] == nat[(lsoa, "disabled")], lsoa
        # The ethnic-group base (all usual residents) is the same cell total on both sides.
        assert own[(lsoa, "ethnic_minority")][1] == nat[(lsoa, "ethnic_minority")][1], lsoa


@pytest.fixture(scope="module")
def cell_variance(source: Path) -> float:
    """One published Census cell's noise variance, from every English LSOA (TS007A vs TS001)."""
    total = {k: int(v["Total"]) for k, v in _visual(source / TS001).items() if k[:3] == "E01"}
    head, rows = _nomis(source / TS007A)
    bands = [i for i, h in enumerate(head) if i >= 3 and not h.startswith("Total")]
    gaps = [sum(int(r[i]) for i in bands) - total[r[1]] for r in rows if r[1] in total]
    assert len(gaps) == len(total) > 33_000
    return sum(g * g for g in gaps) / len(gaps) / (len(bands) + 1)


def _own_cells(source: Path, rel: str, column: str, keep) -> tuple[dict[str, int], dict[str, int]]:
    """Trafford's own ward file summed over the council: (count, cells) by included value."""
    sums: dict[str, int] = {}
    cells: dict[str, int] = {}
    with (source / rel).open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if keep(r):
                sums[r[column]] = sums.get(r[column], 0) + int(r["value"])
                cells[r[column]] = cells.get(r[column], 0) + 1
    return sums, cells


def test_council_counts_differ_by_census_noise_only(national, built_db, source, cell_variance):
    own, nat = _values(built_db, "local_authority"), _values(national, "local_authority")
    ages, age_cells = _own_cells(
        source, OWN_AGE, "age", lambda r: r["sex"] == "All persons" and r["area_code"] != CODE
    )
    older = {a: n for a, n in ages.items() if int("".join(filter(str.isdigit, a)) or 0) >= 65}
    dis, dis_cells = _own_cells(source, OWN_DISABILITY, "disability_category", lambda r: True)
    lsoas = len(_rows(national, "select 1 from areas where area_type = 'lsoa'"))
    # (indicator, own count, own cells, national cells: LSOAs x categories summed)
    checks = [
        ("aged_65_plus", "count", sum(older.values()), sum(age_cells[a] for a in older), lsoas * 5),
        ("aged_65_plus", "denominator", sum(ages.values()), sum(age_cells.values()), lsoas * 18),
        (
            "disabled",
            "count",
            sum(n for c, n in dis.items() if c.startswith("Disabled")),
            sum(n for c, n in dis_cells.items() if c.startswith("Disabled")),
            lsoas,
        ),
        ("disabled", "denominator", sum(dis.values()), sum(dis_cells.values()), lsoas * 2),
    ]
    for ind, field, own_sum, own_n, nat_n in checks:
        which = 0 if field == "count" else 1
        # Trafford's own build is the sum of its raw ward rows, exactly.
        assert own[(CODE, ind)][which] == own_sum, (ind, field)
        gap = abs(own[(CODE, ind)][which] - nat[(CODE, ind)][which])
        allowed = SIGMAS * math.sqrt((own_n + nat_n) * cell_variance)
        assert gap <= allowed, (ind, field, gap, allowed)
