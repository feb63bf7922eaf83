"""Every CSV every page offers, read as an analyst would file it.

Each page is opened in AppTest with a real area and indicator; every download button's file
is built and read back. Each file must be named in words with the data's date, have plain
column names, values rounded as shown with the exact values in their own columns, the
comparison in words, and say its area, indicator and period.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SOURCE

# (page, URL parameters, words the file names must hold, how many CSVs the page offers)
PAGES: list[tuple[str, dict[str, str], str, int]] = [
    ("1_Area_profile.py", {"area": "NBH-CENTRAL"}, "central", 1),
    ("1_Area_profile.py", {"scope": "england", "area": "U89141"}, "stockton_pcn", 1),
    ("2_Compare_areas.py", {"indicator": "qof_dm", "level": "neighbourhood"}, "diabetes", 1),
    (
        "2_Compare_areas.py",
        {"scope": "england", "area": "QOP", "level": "pcn"},
        "greater_manchester",
        1,
    ),
    (
        "2_Compare_areas.py",
        {"indicator": "bad_health", "level": "ward", "figures": "smoothed"},
        "compare_wards_bad_or_very_bad_general_health",
        1,
    ),
    ("3_Map.py", {"indicator": "bad_health", "level": "lsoa", "figures": "smoothed"}, "map_", 1),
    ("4_PCNs.py", {"pcn": "U66368"}, "north_trafford", 1),
    ("5_Definitions_and_data.py", {"indicator": "qof_dm"}, "", 2),
    ("6_Where_to_act.py", {"area": "NBH-NORTH"}, "north", 3),
    ("7_Build_your_own.py", {"wards": "E05015239,E05015240"}, "custom_area", 1),
    ("8_Overview.py", {}, "overview", 1),
    ("9_Trends.py", {"indicator": "diabetes_qof_la"}, "diabetes", 1),
    ("10_Compare_indicators.py", {"x": "imd2019_score", "y": "bad_health", "level": "ward"}, "", 1),
    ("11_Population.py", {"area": "NBH-NORTH"}, "north", 1),
    ("11_Population.py", {"area": "U66368"}, "north_trafford", 1),
    ("12_Inequalities.py", {"indicator": "bad_health"}, "by_deprivation", 2),
    ("13_Postcode_search.py", {"postcode": "M32 0JG"}, "m320jg", 1),
    (
        "14_PCNs_in_England.py",
        {"pcn": "U66368", "indicator": "qof_dm"},
        # Every register at once against the peers: named by the PCN, not one register.
        "diabetes|against_peers_north_trafford",
        4,
    ),
]
# The data's date: the newest source is NHS England's GP practice to PCN mapping of April
# 2026 (gp/trafford_practice_to_pcn_apr2026.csv, period "Apr 2026").
DATE = "2026-04"
CODES = {"better", "best", "worse", "worst", "similar", "higher", "highest", "lower", "lowest"}
WORDS = re.compile(r"(Better|Worse|Higher|Lower) than .+ \((95|99\.8)%\)|Similar|Not compared.*")
SHOWN = re.compile(r"-?\d+(\.\d{1,2})?")


def _record(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, Callable[[], Any]]]:
    """(label, file name, data) of every download button a page draws."""
    seen: list[tuple[str, str, Callable[[], Any]]] = []
    original = st.download_button

    def record(label: str, data: Any, *args: Any, **kw: Any) -> Any:
        seen.append((label, str(kw.get("file_name")), data))
        return original(label, data, *args, **kw)

    monkeypatch.setattr(st, "download_button", record)
    return seen


def _open(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    return at.switch_page(str(ROOT / "pages" / page)).run()


def _read(data: Any) -> pd.DataFrame:
    body = data() if callable(data) else data
    raw = body if isinstance(body, bytes) else str(body).encode()
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return pd.DataFrame(rows[1:], columns=rows[0])


def check_file(label: str, name: str, df: pd.DataFrame, words: str) -> None:
    """What every CSV must be, whichever page offers it."""
    assert re.fullmatch(rf"trafford_[a-z0-9_]+_{DATE}\.csv", name), name
    assert re.search(words, name), (name, words)
    assert not re.search(r"nbh|_u\d{5}|e0\d{7}|_qof_", name), name
    cols = list(df.columns)
    # Plain names: nothing in snake_case or a bare lower-case word ("of", "gap", "rank").
    assert not [c for c in cols if re.fullmatch(r"[a-z0-9_]+", c)], (name, cols)
    # Area, indicator and period inside every file, filled in on every row.
    for need in ({"Area name", "Area", "Practice"}, {"Indicator"}, {"Period"}):
        have = need & set(cols)
        assert have, (name, need, cols)
        assert (df[sorted(have)[0]] != "").all(), (name, need)
    # Comparisons in words, never a code.
    for col in [c for c in cols if c.startswith("Comparison")]:
        bad = [v for v in df[col] if v and (v in CODES or not WORDS.fullmatch(v))]
        assert not bad, (name, col, bad[:3])
    # Rounded as shown; the exact value in its own column, agreeing with the rounded one.
    exact = [c for c in cols if c.endswith(" (exact)")]
    for col in cols:
        if col in exact:
            continue
        for v in df[col]:
            if re.fullmatch(r"-?\d+\.\d+", v):
                assert SHOWN.fullmatch(v), (name, col, v)
    for col in exact:
        base = col.removesuffix(" (exact)")
        assert base in cols, (name, col)
        for shown, full in zip(df[base], df[col], strict=True):
            if not full:
                assert shown == "", (name, col)
                continue
            places = len(shown.partition(".")[2])
            assert math.isclose(
                float(shown), round(float(full), places), abs_tol=10**-places / 2 + 1e-9
            ), (name, col, shown, full)
    # A score shows 2 decimal places below 100 and 1 from 100, as on screen; other values 1
    # or none: every row that says its value type is rounded by it.
    if "Value type" in cols and "Value" in cols:
        typed = zip(df["Value type"], df["Value"], df["Value (exact)"], strict=True)
        for kind, shown, full in typed:
            if not full:
                continue
            places = {"score": 2 if abs(float(full)) < 100 else 1, "count": 0}.get(kind, 1)
            assert len(shown.partition(".")[2]) == places, (name, kind, shown, full)
    # Small numbers never leave.
    if "Count (numerator)" in cols:
        counts = [float(v) for v in df["Count (numerator)"] if v]
        assert not [c for c in counts if 1 <= c <= 4], name
    # England rows where the button says so.
    if "England)" in label:
        assert "England" in set(df.get("Area name", [])), (name, label)


def test_the_overview_file_rounds_each_value_as_its_kind_is_shown(monkeypatch, con):
    """Every value type in the overview (read from the database), and IMD scores to 2 places."""
    kinds = dict(con.execute("select indicator_name, value_type from indicators").fetchall())
    seen = _record(monkeypatch)
    at = _open("8_Overview.py", {})
    assert not at.exception, at.exception
    df = _read(next(d for _, n, d in seen if n.endswith(".csv")))
    assert "Value type" in df.columns
    by_name = df.drop_duplicates("Indicator").set_index("Indicator")["Value type"]
    assert {n: kinds[n] for n in by_name.index if n in kinds} == {
        n: t for n, t in by_name.items() if n in kinds
    }
    scores = df[(df["Value type"] == "score") & (df["Value (exact)"] != "")]
    assert not scores.empty
    for shown, full in zip(scores["Value"], scores["Value (exact)"], strict=True):
        assert shown == f"{float(full):.{2 if abs(float(full)) < 100 else 1}f}", (shown, full)


@pytest.mark.parametrize(
    ("page", "params", "words", "n"), PAGES, ids=[f"{p}:{'&'.join(q)}" for p, q, _, _ in PAGES]
)
def test_every_csv_a_page_offers_can_be_filed(monkeypatch, page, params, words, n):
    seen = _record(monkeypatch)
    at = _open(page, params)
    assert not at.exception, at.exception
    files = [(label, name, data) for label, name, data in seen if name.endswith(".csv")]
    assert len(files) == n, [name for _, name, _ in files]
    for label, name, data in files:
        check_file(label, name, _read(data), words)


def test_the_pcn_file_holds_north_traffords_diabetes_pooled_from_the_qof_files(monkeypatch):
    """The QOF files' rows for North Trafford PCN's four practices, pooled by hand."""
    geo = pd.read_csv(SOURCE / "gp/qof/qof_2022_23_nhs_geography_all_practices_england.csv")
    qof = pd.read_csv(SOURCE / "gp/qof/qof_2022_23_prevalence_all_practices_england.csv")
    ours = set(geo.loc[geo["PCN_ODS_CODE"] == "U66368", "PRACTICE_CODE"])
    rows = qof[qof["PRACTICE_CODE"].isin(ours) & (qof["GROUP_CODE"] == "DM")]
    count, denominator = rows["REGISTER"].sum(), rows["PRACTICE_LIST_SIZE"].sum()
    assert (count, denominator) == (3218, 38002)
    seen = _record(monkeypatch)
    at = _open("14_PCNs_in_England.py", {"pcn": "U66368", "indicator": "qof_dm"})
    assert not at.exception
    data = next(d for _, n, d in seen if n.startswith("trafford_our_pcns"))
    df = _read(data)
    row = df[df["Area code"] == "U66368"].iloc[0]
    assert row["Count (numerator)"] == "3218"
    assert row["Denominator"] == "38002"
    assert row["Value"] == "8.5"  # 3218 / 38002 = 8.468%, shown to one decimal place
    assert math.isclose(float(row["Value (exact)"]), 100 * 3218 / 38002, rel_tol=1e-12)
    assert row["Comparison with benchmark"].endswith("(99.8%)")
    assert row["Indicator"].startswith("Diabetes")
    assert row["Period"] == "2022/23"
