"""Bad source files stop the build with one clear line and leave the previous database alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jsna import build

ROOT = Path(__file__).resolve().parents[2]
HEALTH = "indicators/census2021/health_disability_unpaid_care/2021_general_health_ward_trafford.csv"
SMOKING = "gp/qof/fingertips_91547_smoking_qof_trafford_practices_england.csv"
REGISTRATIONS = "gp/trafford_gp_patient_registrations.csv"


@pytest.fixture
def farm(tmp_path: Path, source: Path) -> Path:
    """A copy of the source folder made of symlinks, so single files can be replaced."""
    dst = tmp_path / "data"
    shutil.copytree(source, dst, copy_function=os.symlink)
    return dst


def _edit(farm: Path, rel: str, edit) -> None:
    path = farm / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.unlink()
    path.write_text("".join(edit(lines)), encoding="utf-8")


def _set_cell(lines: list[str], row: int, column: str, value: str) -> list[str]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO("".join(lines))))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().splitlines(keepends=True)


CASES = [
    pytest.param(
        HEALTH,
        lambda ls: [ls[0].replace(",value", ",amount"), *ls[1:]],
        [HEALTH, "row 1", "column 'value'", "missing column"],
        id="renamed-column",
    ),
    pytest.param(
        HEALTH,
        lambda ls: _set_cell(ls, 5, "value", "lots"),
        [HEALTH, "row 5", "column 'value'", "'lots' is not a number"],
        id="text-count",
    ),
    pytest.param(
        HEALTH,
        lambda ls: _set_cell(ls, 7, "value", "-12"),
        [HEALTH, "row 7", "column 'value'", "negative count"],
        id="negative-count",
    ),
    pytest.param(
        SMOKING,
        lambda ls: _set_cell(ls, _first_gp_row(ls), "Count", "999999"),
        [SMOKING, "column 'Count'", "above its denominator"],
        id="count-above-denom",
    ),
    pytest.param(
        HEALTH,
        lambda ls: _set_cell(ls, 3, "area_code", "E05999999"),
        [HEALTH, "row 3", "column 'area_code'", "unknown ward code 'E05999999'"],
        id="unknown-ward",
    ),
    pytest.param(
        REGISTRATIONS,
        lambda ls: _set_cell(ls, 4, "practice_code", "P91999"),
        [REGISTRATIONS, "row 4", "column 'practice_code'", "unknown practice code 'P91999'"],
        id="unknown-practice",
    ),
    pytest.param(
        HEALTH,
        lambda ls: [*ls[:10], ls[9], *ls[10:]],
        [HEALTH, "row 11", "duplicate row"],
        id="duplicate-row",
    ),
    pytest.param(
        HEALTH,
        lambda ls: _set_cell(ls, 6, "value", ""),
        [HEALTH, "row 6", "column 'value'", "blank where a number is needed"],
        id="blank-count",
    ),
    pytest.param(
        HEALTH,
        lambda ls: [ls[0], *ls[2:]],
        [HEALTH, "column 'general_health'", "has 4 of the 5 categories"],
        id="missing-category-row",
    ),
    pytest.param(HEALTH, lambda ls: [], [HEALTH, "the file is empty"], id="empty-file"),
    pytest.param(
        "indicators/la_fingertips_trafford_themes/adults_depression.csv",
        lambda ls: [ls[0], *(line.replace("Higher 99.8", "Higher 97.5") for line in ls[1:])],
        [
            "adults_depression.csv",
            "column 'compared_to_England'",
            "unknown comparison 'Higher 97.5'",
        ],
        id="unknown-ohid-label",
    ),
]


def _first_gp_row(lines: list[str]) -> int:
    return next(i + 1 for i, line in enumerate(lines) if ",GPs," in line and "2022/23" in line)


@pytest.mark.parametrize(("rel", "edit", "expected"), CASES)
def test_bad_input_stops_the_build_with_file_row_and_column(
    farm, tmp_path, capsys, rel, edit, expected
):
    """Given a corrupted source file, when the build runs, then it exits 1 with one line naming
    the file, row and column, and the database that was there before is untouched."""
    out = tmp_path / "jsna.duckdb"
    out.write_bytes(b"previous database")
    _edit(farm, rel, edit)
    code = build.main(["--source", str(farm), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1, err
    for text in expected:
        assert text in err
    assert out.read_bytes() == b"previous database"
    assert not list(tmp_path.glob("jsna.duckdb.*.tmp"))


def test_a_failed_build_prints_no_traceback_and_keeps_a_real_database(farm, tmp_path, built_db):
    """Run as a command: a failure is one line on stderr, exit 1, previous file unchanged."""
    out = tmp_path / "jsna.duckdb"
    shutil.copy(built_db, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    _edit(farm, HEALTH, lambda ls: _set_cell(ls, 2, "value", "x"))
    proc = subprocess.run(
        [sys.executable, "-m", "jsna.build", "--source", str(farm), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("build failed: ")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before


def test_a_missing_source_file_is_named(farm, tmp_path, capsys):
    (farm / REGISTRATIONS).unlink()
    assert build.main(["--source", str(farm), "--out", str(tmp_path / "x.duckdb")]) == 1
    assert f"{REGISTRATIONS}: file not found" in capsys.readouterr().err
