"""DB: a damaged copy of Loamshire stops the build with one line naming file, row and column,
and leaves the previous database untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jsna.build.pipeline import build_database
from jsna.core.errors import SourceError

LSOA_FILE = "census/ethnic_group_small_areas.csv"


@pytest.fixture
def damaged(county, tmp_path, monkeypatch) -> Path:
    """A copy of the county's folders, and a previous database beside them."""
    shutil.copytree(county.data, tmp_path / "data")
    shutil.copytree(county.profiles, tmp_path / "profiles")
    shutil.copyfile(county.db, tmp_path / "county.duckdb")
    monkeypatch.setenv("JSNA_PROFILES", str(tmp_path / "profiles"))
    return tmp_path


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("bad", ["12.5", "", "1,200"])
def test_a_count_that_is_not_a_whole_number_names_file_row_and_column(damaged, bad):
    before = (damaged / "county.duckdb").read_bytes()
    path = damaged / "data" / LSOA_FILE
    value = path.read_text().splitlines()[6].split(",")[-2]
    _edit(path, 7, f",{value},1", f",{bad},1" if "," not in bad else f',"{bad}",1')
    with pytest.raises(SourceError) as err:
        build_database(damaged / "data", damaged / "county.duckdb")
    assert (err.value.file, err.value.row, err.value.column) == (LSOA_FILE, 7, "value")
    assert (damaged / "county.duckdb").read_bytes() == before


def test_a_file_changed_since_its_manifest_stops_the_build(damaged):
    before = (damaged / "county.duckdb").read_bytes()
    rel = "census/residents_peers.csv"
    path = damaged / "data" / rel
    lines = path.read_text().splitlines()
    area, cat, value, cells = lines[1].split(",")
    lines[1] = f"{area},{cat},{int(value) + 1},{cells}"  # plausible, but not the declared bytes
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match=r"changed since data release loamshire-synthetic"):
        build_database(damaged / "data", damaged / "county.duckdb")
    assert (damaged / "county.duckdb").read_bytes() == before


def test_a_ward_missing_from_a_ward_sets_file_is_named(damaged):
    rel = "census/disability_category_divisions.csv"
    path = damaged / "data" / rel
    lines = path.read_text().splitlines()
    gone = lines[1].split(",")[0]
    path.write_text("\n".join(line for line in lines if not line.startswith(gone)) + "\n")
    with pytest.raises(SourceError) as err:
        build_database(damaged / "data", damaged / "county.duckdb")
    assert err.value.file == rel
    assert gone in str(err.value)
