"""Damaged QOF 2022/23 files stop the build with file, row and problem; nothing is lost."""

from __future__ import annotations

import pytest

from jsna.build import pipeline as build
from tests.db.test_bad_input import _edit, _set_cell, farm  # noqa: F401 (fixture)

QOF = "gp/qof/qof_2022_23_prevalence_all_practices_england.csv"
TOTALS = "gp/qof/qof_2022_23_prevalence_england_trafford_totals.csv"


def _row_of(lines: list[str], practice: str, group: str) -> int:
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(f"{practice},{group},"))


CASES = [
    pytest.param(
        lambda ls: _set_cell(ls, 2, "REGISTER", "-3"),
        [QOF, "row 2", "column 'REGISTER'", "negative count"],
        id="negative-register",
    ),
    pytest.param(
        lambda ls: _set_cell(ls, _row_of(ls, "P91003", "AF"), "REGISTER", "99999"),
        [QOF, "column 'REGISTER'", "above its denominator"],
        id="register-above-list",
    ),
    pytest.param(
        lambda ls: _set_cell(ls, 5, "GROUP_CODE", "XYZ"),
        [QOF, "row 5", "column 'GROUP_CODE'", "unknown QOF group code 'XYZ'"],
        id="unknown-group-code",
    ),
    pytest.param(
        lambda ls: [*ls[:8], ls[7], *ls[8:]],
        [QOF, "row 9", "duplicate row"],
        id="duplicate-practice-register",
    ),
    pytest.param(
        lambda ls: [ls[0].replace("PRACTICE_LIST_SIZE", "LIST"), *ls[1:]],
        [QOF, "row 1", "column 'PRACTICE_LIST_SIZE'", "missing column"],
        id="missing-column",
    ),
    pytest.param(
        lambda ls: _set_cell(ls, 3, "PATIENT_LIST_TYPE", "TOTAL"),
        [QOF, "row 3", "column 'PATIENT_LIST_TYPE'", "is not the AST register's (06OV)"],
        id="wrong-list-type",
    ),
    pytest.param(
        lambda ls: [ls[0], *ls[2:]],
        [TOTALS, "England AF register", "differs from the sum over practices"],
        id="practice-row-lost",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_a_damaged_qof_file_stops_the_build(farm, tmp_path, capsys, edit, expected):  # noqa: F811
    out = tmp_path / "jsna.duckdb"
    out.write_bytes(b"previous database")
    _edit(farm, QOF, edit)
    assert build.main(["--source", str(farm), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    for text in expected:
        assert text in err
    assert out.read_bytes() == b"previous database"


def test_pensioners_living_alone_are_higher_or_lower_never_better_or_worse(con):
    got = {
        r[0]
        for r in con.execute(
            "select distinct comparison from profile_all where indicator_id = 'pensioners_alone'"
        ).fetchall()
    }
    assert got <= {"higher", "lower", "highest", "lowest", "similar", "not compared"}
    assert got & {"higher", "lower", "highest", "lowest"}
