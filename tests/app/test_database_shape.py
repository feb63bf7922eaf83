"""A database of the wrong shape gets the friendly page; a missing table never reads Python."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from jsna.app.ui import connection
from jsna.app.ui.widgets import DATABASE_UNAVAILABLE
from tests.conftest import ROOT


def _copy_with(built_db, tmp_path, sql: str):
    db = tmp_path / "old-build" / "jsna.duckdb"
    db.parent.mkdir()
    shutil.copy(built_db, db)
    con = duckdb.connect(str(db))
    con.execute(sql)
    con.close()
    return db


@pytest.mark.parametrize(
    "sql",
    [
        # an older build: the profile view without a column today's pages read
        "create or replace view profile as select * exclude (comparison_reason) from "
        "indicator_values join areas using (area_code) join indicators using (indicator_id)",
        # another app's database that happens to have a build_info table
        "drop view profile_all",
    ],
    ids=["profile-lacks-a-column", "no-profile_all-view"],
)
def test_a_database_of_the_wrong_shape_shows_the_friendly_page(
    monkeypatch, tmp_path, built_db, sql
):
    db = _copy_with(built_db, tmp_path, sql)
    monkeypatch.setenv("JSNA_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_UNAVAILABLE]
    shown = " ".join(str(m.value) for m in (*at.markdown, *at.error, *at.caption))
    assert "old-build" not in shown


def test_the_app_connection_never_reads_a_python_frame_for_a_missing_table(built_db, monkeypatch):
    """DuckDB's replacement scans are off: a frame named like a missing table is not read."""
    monkeypatch.setenv("JSNA_DB", str(built_db))
    no_such_table = pd.DataFrame({"secret": ["from python"]})  # noqa: F841 (the bait)
    cur = connection.cursor()
    with pytest.raises(duckdb.CatalogException):
        cur.execute("select * from no_such_table").fetchall()
    # and a cursor of a plain connection would have read it: the bait works
    plain = duckdb.connect()
    assert plain.execute("select * from no_such_table").fetchall() == [("from python",)]
    plain.close()
