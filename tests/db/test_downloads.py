"""The Definitions page's downloads, written by DuckDB from the built database."""

from __future__ import annotations

import csv
import io

from jsna.app import downloads
from jsna.app.db import load_sql
from jsna.build.profiles import load_place


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_whole_profile_csv_has_every_row_and_no_small_count(con):
    place = load_place()
    query = load_sql("full_profile")
    rows = _rows(downloads.copy_csv(con, query, {}, place.name, place.ward_set_names))
    assert len(rows) == con.execute("select count(*) from profile").fetchone()[0]
    counts = [float(r["Count (numerator)"]) for r in rows if r["Count (numerator)"]]
    assert counts, "counts are published"
    assert not [c for c in counts if 1 <= c <= 4], "counts 1 to 4 never leave"
    hidden = [r for r in rows if r["Note"].startswith("Suppressed")]
    assert hidden, "the build suppresses some rows"
    assert all(r["Value"] == r["Count (numerator)"] == "" for r in hidden)
    # The same rows and words as the pandas download of the same query.
    frame = con.execute(query).df()
    assert rows == _rows(downloads.to_csv(frame, place.name, place.ward_set_names))


def test_the_indicator_csv_holds_that_indicator_only(con):
    place = load_place()
    rows = _rows(
        downloads.copy_csv(
            con, load_sql("indicator_rows"), {"indicator_id": "bad_health"}, place.name
        )
    )
    assert {r["Indicator ID"] for r in rows} == {"bad_health"}
    n = con.execute("select count(*) from profile where indicator_id = 'bad_health'").fetchone()
    assert len(rows) == n[0]
