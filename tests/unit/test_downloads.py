"""CSV downloads an analyst can file, from hand-made rows: plain names, words for codes,
values rounded as shown with the exact values beside them, and files named in words.

The DuckDB (COPY) download reads exactly like the pandas one.
"""

from __future__ import annotations

import csv
import io
import re

import duckdb
import pandas as pd
import pytest

from jsna.app import downloads

ROWS = """
create table profile (area_code varchar, area_name varchar, area_type varchar, vintage varchar,
    indicator_id varchar, domain_order integer, sort_order integer, value_type varchar,
    polarity varchar, value double, count double, denominator double, is_estimate boolean,
    note varchar, la_value double, benchmark varchar, comparison varchar);
insert into profile values
  ('W1', 'Ashton', 'ward', 'wards_2023', 'flu', 1, 2, 'proportion', 'high_is_good', 12.5, 7, 56,
   false, null, 11, 'England', 'similar'),
  ('W2', 'Brook', 'ward', 'wards_2004', 'flu', 1, 2, 'proportion', 'high_is_good', null, null,
   40, false, 'Suppressed: fewer than 5 (disclosure control)', 11, 'England', 'not compared'),
  ('N1', 'North', 'neighbourhood', null, 'flu', 1, 2, 'proportion', 'high_is_good', 8.25, 9,
   109, true, null, 11, 'Testshire', 'worst'),
  ('N1', 'North', 'neighbourhood', null, 'pop', 1, 3, 'count', 'no_judgement', 1234.0, 1234,
   null, false, null, 5678, '', 'not compared'),
  ('N1', 'North', 'neighbourhood', null, 'imd', 1, 4, 'score', 'low_is_good', 13.30749, null,
   null, false, null, 15.0251, 'England', 'lowest');
"""
QUERY = "select * from profile where indicator_id = $indicator_id order by area_code"
EVERY = "select * from profile order by area_code, sort_order"
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


def test_copy_writes_the_rows_asked_with_plain_names_words_and_rounding(con):
    rows = _rows(downloads.copy_csv(con, QUERY, {"indicator_id": "flu"}, "Testshire", WARD_SETS))
    common = {
        "Indicator ID": "flu",
        "Value type": "proportion",
        "Polarity": "Higher is better",
        "Estimate (not pooled counts)": "False",
        "Note": "",
        "Testshire value": "11.0",
    }
    assert rows == [
        {
            **common,
            "Area code": "N1",
            "Area name": "North",
            "Area type": "Neighbourhood",
            "Ward boundaries": "",
            # 8.25 to one decimal place, as the app shows it (round half to even: 8.2)
            "Value": "8.2",
            "Count (numerator)": "9",
            "Denominator": "109",
            "Estimate (not pooled counts)": "True",
            "Compared with": "Testshire",
            "Comparison with benchmark": "Worse than Testshire (99.8%)",
            "Value (exact)": "8.25",
            "Testshire value (exact)": "11.0",
        },
        {
            **common,
            "Area code": "W1",
            "Area name": "Ashton",
            "Area type": "Ward",
            "Ward boundaries": "Wards from May 2023",
            "Value": "12.5",
            "Count (numerator)": "7",
            "Denominator": "56",
            "Compared with": "England",
            "Comparison with benchmark": "Similar",
            "Value (exact)": "12.5",
            "Testshire value (exact)": "11.0",
        },
        {
            **common,
            "Area code": "W2",
            "Area name": "Brook",
            "Area type": "Ward",
            # a ward set the place does not name is left blank, as in the pandas download
            "Ward boundaries": "",
            "Value": "",
            "Count (numerator)": "",
            "Denominator": "40",
            "Note": "Suppressed: fewer than 5 (disclosure control)",
            "Compared with": "England",
            "Comparison with benchmark": "Not compared",
            "Value (exact)": "",
            "Testshire value (exact)": "11.0",
        },
    ]


def test_counts_show_no_decimals_and_scores_two_below_100(con):
    rows = _rows(downloads.copy_csv(con, EVERY, {}, "Testshire"))
    pop = next(r for r in rows if r["Indicator ID"] == "pop")
    imd = next(r for r in rows if r["Indicator ID"] == "imd")
    assert (pop["Value"], pop["Testshire value"], pop["Value (exact)"]) == (
        "1234",
        "5678",
        "1234.0",
    )
    assert (imd["Value"], imd["Testshire value"]) == ("13.31", "15.03")
    assert imd["Comparison with benchmark"] == "Lower than England (99.8%)"
    # No benchmark named: the comparison words name England, as the app's default does.
    assert pop["Comparison with benchmark"] == "Not compared"
    assert pop["Polarity"] == "Neither higher nor lower is better"


@pytest.mark.parametrize("query", [QUERY, EVERY])
def test_copy_reads_like_the_pandas_download(con, query):
    params = {"indicator_id": "flu"} if "$" in query else {}
    frame = con.execute(query, params).df()
    assert _rows(downloads.copy_csv(con, query, params, "Testshire", WARD_SETS)) == _rows(
        downloads.to_csv(frame, "Testshire", WARD_SETS)
    )


def test_other_columns_get_plain_names_rounding_and_the_context_they_lack():
    frame = pd.DataFrame(
        {
            "rank": [1.0, 2.0],
            "of": [1267, 1267],
            "pct_65_plus": [12.213691046533281, 9.05],
            "pearson_r": [0.8909607823299545, 0.1],
            "excess": [551.1758026621819, 2.0],
            "gap": [551.1758026621819, 2.0],
            "judgement": ["worse", "better"],
            "benchmark_key": ["default", "england"],
        }
    )
    out = downloads.plain(
        frame, context={"Area": "North", "Indicator": "Diabetes", "Period": "2022/23"}
    )
    assert list(out.columns) == [
        "Area",
        "Indicator",
        "Period",
        "Rank",
        "Rank out of",
        "% aged 65 and over",
        "Correlation (Pearson r)",
        "Excess",
        "Judgement (not tested for significance)",
        "Benchmark chosen",
        "% aged 65 and over (exact)",
        "Correlation (Pearson r) (exact)",
        "Excess (exact)",
    ]
    first = out.iloc[0].to_dict()
    assert first["Rank"] == 1
    assert first["% aged 65 and over"] == "12.2"
    assert first["Correlation (Pearson r)"] == "0.89"
    assert first["Excess"] == "551.2"
    assert first["Excess (exact)"] == 551.1758026621819
    assert first["Judgement (not tested for significance)"] == "Worse"
    assert first["Benchmark chosen"] == "England (or the council where England has no figure)"
    assert first["Area"] == "North"
    # Context already in the frame is not repeated.
    named = downloads.plain(frame.assign(area_name="X"), context={"Area": "North"})
    assert "Area" not in named.columns


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("Apr 2026", (2026, 4)),
        ("Jan 2026", (2026, 1)),
        ("mid-2024", (2024, 6)),
        ("2024/25", (2025, 3)),
        ("2023-25", (2025, 12)),
        ("2015/16-2019/20", (2020, 3)),
        ("2014-18", (2018, 12)),
        ("2021", (2021, 12)),
        ("Q3 2024", None),
    ],
)
def test_a_period_ends_in_the_month_its_label_says(period, end):
    assert downloads.period_end(period) == end


def test_release_date_is_the_newest_period_end_and_files_are_named_in_words():
    assert downloads.release_date(["2021", "Apr 2026", "2024/25", "unknown"]) == "2026-04"
    assert downloads.release_date(["unknown"]) == "undated"
    name = downloads.file_name("trafford", "brief", ["Central"], "2026-04", "html")
    assert name == "trafford_brief_central_2026-04.html"
    name = downloads.file_name("trafford", "profile", ["Sale Central", "PCN"], "2026-04", "csv")
    assert name == "trafford_profile_sale_central_pcn_2026-04.csv"
    assert re.fullmatch(r"[a-z0-9_]+_\d{4}-\d{2}\.csv", name)
    name = downloads.file_name("trafford", "trend", ["Trafford", "Diabetes"], "2026-04", "csv")
    assert name == "trafford_trend_diabetes_2026-04.csv"


def test_a_legend_label_gets_the_benchmark_it_was_compared_with():
    frame = pd.DataFrame(
        {
            "Comparison with benchmark": ["Higher (99.8%)", "Worse (95%)", "Similar"],
            "Compared with": ["England", "Trafford", "England"],
        }
    )
    assert list(downloads.plain(frame)["Comparison with benchmark"]) == [
        "Higher than England (99.8%)",
        "Worse than Trafford (95%)",
        "Similar",
    ]
