"""`python -m jsna.build --check` lists every problem in a place's data at once.

A copy of Trafford's committed data (`data/trafford`, every file the default place reads)
gets three different problems in three files: a count that is not a number, a file deleted,
and a row repeated. The check must name all three (file, and row and column where one is
at fault), plus the two damaged files' changed sha256, exit 1 and write nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jsna.build import pipeline as build

ROOT = Path(__file__).resolve().parents[2]
ETHNIC = "indicators/census2021/ethnicity/2021_population_ethnic_group_ward_trafford.csv"
GP_AGE = "gp/age/hocl_gp_list_by_age_group_apr2020_trafford_p91_plus_england.csv"
MYE = "indicators/population/mid-year_2024_population_estimates_ward.csv"


def test_check_lists_three_problems_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "trafford", data)
    # 1. Row 3 (header = row 1) of the ethnic-group ward counts: its value is not a number.
    lines = (data / ETHNIC).read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].rstrip("\n").endswith(",448")
    lines[2] = lines[2].rstrip("\n")[: -len("448")] + "many\n"
    (data / ETHNIC).write_text("".join(lines), encoding="utf-8")
    # 2. The registered-list ages file is gone.
    (data / GP_AGE).unlink()
    # 3. The mid-2024 ward estimates repeat their first data row (Altrincham, Persons).
    lines = (data / MYE).read_text(encoding="utf-8").splitlines(keepends=True)
    (data / MYE).write_text("".join([*lines[:2], lines[1], *lines[2:]]), encoding="utf-8")

    out = tmp_path / "never.duckdb"
    code = build.main(["--check", "--source", str(data), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert not out.exists()
    problems = err.splitlines()
    assert problems[-1].startswith("check failed: ")

    def one(*words: str) -> str:
        found = [p for p in problems if all(w in p for w in words)]
        assert found, f"no problem naming {words} in:\n{err}"
        return found[0]

    one(ETHNIC, "row 3", "value")
    one(GP_AGE, "file not found")
    one(MYE, "row 3", "duplicate")
    one(ETHNIC, "changed since data release")
    one(MYE, "changed since data release")
