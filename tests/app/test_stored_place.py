"""The app knows the place only from the database: its name, neighbourhoods and indicators.

A copy of the test build is changed in the database alone (profiles/*.toml untouched): the
app shows the database's words, and after a rebuild replaces the file, the next rerun shows
the new ones (connection.refresh clears the cached place and indicator settings).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from jsna.app.ui import state, topics  # AppTest runs the app in this process: the same caches
from tests.conftest import ROOT


def _copy(built_db: Path, out: Path, *updates: str) -> Path:
    shutil.copy(built_db, out)
    con = duckdb.connect(str(out))
    for sql in updates:
        con.execute(sql)
    con.close()
    return out


def _subheaders(at: AppTest) -> set[str]:
    return {s.value for s in at.subheader}


def test_the_home_page_takes_the_place_from_the_database(monkeypatch, tmp_path, built_db):
    live = _copy(
        built_db,
        tmp_path / "jsna.duckdb",
        "update place set name = 'Elsewhere'",
        "update place_groups set group_name = 'Northside' where group_code = 'NBH-NORTH'",
    )
    monkeypatch.setenv("JSNA_DB", str(live))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Elsewhere neighbourhood health profiles"
    assert {"Northside", "Central", "West", "South"} <= _subheaders(at)
    assert "North" not in _subheaders(at)


def test_a_rebuild_replaces_the_cached_place_and_indicator_settings(
    monkeypatch, tmp_path, built_db
):
    live = _copy(built_db, tmp_path / "jsna.duckdb")
    monkeypatch.setenv("JSNA_DB", str(live))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Trafford neighbourhood health profiles"
    new = _copy(
        built_db,
        tmp_path / "jsna.duckdb.new",
        "update place set name = 'Rebuiltham'",
        "update indicator_settings set trend_by_counts = true where indicator_id = 'bad_health'",
    )
    os.replace(new, live)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Rebuiltham neighbourhood health profiles"
    assert state.place().name == "Rebuiltham"
    assert topics.trend_by_counts() == {"diabetes_qof_la", "dementia_qof_la", "bad_health"}
