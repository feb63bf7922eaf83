"""CSV downloads written by DuckDB (COPY) read exactly like the pandas ones, from hand-made rows."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from jsna import downloads

ROWS = """
create table profile (area_code varchar, area_name varchar, area_type varchar, vintage varchar,
    indicator_id varchar, domain_order integer, sort_order integer, value double, count double,
    denominator double, is_estimate boolean, note varchar, la_value double);
insert into profile values
  ('W1', 'Ashton', 'ward', 'wards_2023', 'flu', 1, 2, 12.5, 7, 56, false, null, 11),
  ('W2', 'Brook', 'ward', 'wards_2004', 'flu', 1, 2, null, null, 40, false,
   'Suppressed: fewer than 5 (disclosure control)', 11),
  ('N1', 'North', 'neighbourhood', null, 'flu', 1, 2, 8.25, 9, 109, true, null, 11),
  ('N1', 'North', 'neighbourhood', null, 'obesity', 1, 3, 20, 30, 150, false, null, 18);
"""
QUERY = "select * from profile where indicator_id = $indicator_id order by area_code"
WARD_SETS = {"wards_2023": "wards from May 2023"}


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute(ROWS)
    yield c
    c.close()


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode()), "a BOM, so spreadsheets read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_copy_writes_the_rows_asked_with_plain_names(con):
    rows = _rows(downloads.copy_csv(con, QUERY, {"indicator_id": "flu"}, "Testshire", WARD_SETS))
    assert rows == [
        {
            "Area code": "N1",
            "Area name": "North",
            "Area type": "neighbourhood",
            "Ward boundaries": "",
            "Indicator ID": "flu",
            "Value": "8.25",
            "Count (numerator)": "9.0",
            "Denominator": "109.0",
            "Estimate (not pooled counts)": "True",
            "Note": "",
            "Testshire value": "11.0",
        },
        {
            "Area code": "W1",
            "Area name": "Ashton",
            "Area type": "ward",
            "Ward boundaries": "Wards from May 2023",
            "Indicator ID": "flu",
            "Value": "12.5",
            "Count (numerator)": "7.0",
            "Denominator": "56.0",
            "Estimate (not pooled counts)": "False",
            "Note": "",
            "Testshire value": "11.0",
        },
        {
            "Area code": "W2",
            "Area name": "Brook",
            "Area type": "ward",
            # a ward set the place does not name is left blank, as in the pandas download
            "Ward boundaries": "",
            "Indicator ID": "flu",
            "Value": "",
            "Count (numerator)": "",
            "Denominator": "40.0",
            "Estimate (not pooled counts)": "False",
            "Note": "Suppressed: fewer than 5 (disclosure control)",
            "Testshire value": "11.0",
        },
    ]


def test_copy_reads_like_the_pandas_download(con):
    params = {"indicator_id": "flu"}
    frame = con.execute(QUERY, params).df()
    assert _rows(downloads.copy_csv(con, QUERY, params, "Testshire", WARD_SETS)) == _rows(
        downloads.to_csv(frame, "Testshire", WARD_SETS)
    )
