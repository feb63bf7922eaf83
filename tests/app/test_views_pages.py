"""The Fingertips-parity views in AppTest: Overview, Trends and Compare two indicators.

Each page: its default view, a deep link, a bad URL parameter (a friendly warning, never a
traceback), and numbers checked against the shared source files.
"""

from __future__ import annotations

import base64
import json
from html import escape

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

OVERVIEW = "pages/8_Overview.py"
TRENDS = "pages/9_Trends.py"
SCATTER = "pages/10_Compare_indicators.py"
FTN = "gp/fingertips/fingertipsnext_healthdata_trafford_england.csv"
AE = "gp/fingertips/fingertips_93930_ae_attendances_age0to4_trafford_practices_pcns_england.csv"


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    return at.switch_page(str(ROOT / page)).run()


def grid(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def numbers(data) -> list[float]:
    """A plotly array from a figure spec (plain list, or plotly's base64 typed array)."""
    if isinstance(data, dict):
        raw = base64.b64decode(data["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(data["dtype"])).astype(float).tolist()
    return [float("nan") if v is None else float(v) for v in data]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [s.proto.body for s in at.get("success")]
    return "\n".join(parts)


@pytest.mark.parametrize("page", [OVERVIEW, TRENDS, SCATTER])
def test_each_new_page_renders_its_default_view_with_a_download(page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert at.title
    assert at.get("download_button"), "every view offers its CSV"


def test_overview_shows_every_indicator_with_england_trafford_neighbourhoods_and_pcns(con):
    at = open_page(OVERVIEW)
    html = grid(at)
    names = [r[0] for r in con.execute("select indicator_name from indicators").fetchall()]
    assert [n for n in names if escape(n) not in html] == []
    for col in ("England", "Trafford", "North", "Central", "West", "South", "Sale Central"):
        assert f">{col}<" in html
    assert "Better (95%)" in html, "the legend names each colour"
    assert "Worse (99.8%)" in html
    assert 'href="Area_profile?area=NBH-NORTH&amp;benchmark=default"' in html


def test_overview_cell_for_trafford_diabetes_matches_the_fingertipsnext_counts(source):
    raw = pd.read_csv(source / FTN)
    row = raw[
        (raw["IndicatorId"] == 241)
        & (raw["Year"] == 2023)
        & (raw["AreaCode"] == "E08000009")
        & raw["CategoryType"].isna()
    ].iloc[0]
    expected = 100 * row["Count"] / row["Denominator"]  # 13429 / 197111 = 6.81%
    at = open_page(OVERVIEW, domain="disease")
    assert f"Trafford, Diabetes recorded by GPs (Trafford): {expected:.1f}%" in grid(at)


def test_overview_deep_link_adds_one_neighbourhoods_wards_and_keeps_the_benchmark():
    at = open_page(OVERVIEW, wards_of="NBH-NORTH", benchmark="la", sort="worse")
    assert not at.exception
    html = grid(at)
    assert ">Clifford<" in html, "North's wards to 2023"
    assert ">Old Trafford<" in html, "North's wards from 2023"
    assert ">Altrincham<" not in html, "South's wards are not added"
    assert "area=E05000825&amp;benchmark=la" in html
    assert "compared with Trafford" in html


def test_overview_domain_filter_shows_only_that_domain():
    at = open_page(OVERVIEW, domain="primary_care")
    body = grid(at)
    assert "Registered patients" in body
    assert "Resident population" not in body


def test_overview_bad_parameters_warn_and_fall_back():
    at = open_page(OVERVIEW, wards_of="NOWHERE", domain="nonsense")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "NOWHERE" in warnings
    assert "nonsense" in warnings


def test_trends_default_is_trafford_diabetes_increasing_as_fingertipsnext_says(source):
    raw = pd.read_csv(source / FTN)
    fingertips = raw[
        (raw["IndicatorId"] == 241) & (raw["AreaCode"] == "E08000009") & raw["Trend"].notna()
    ]["Trend"].iloc[0]
    at = open_page(TRENDS)
    assert not at.exception
    assert f"Recent trend for Trafford: {fingertips}" in texts(at)
    marks = at.dataframe[0].value
    assert list(marks["Area"]) == ["Trafford", "England"]
    assert list(marks["Recent trend"]) == ["Increasing", "Increasing"]
    lines = {t["name"]: t for t in charts(at)[0]["data"]}
    trafford = raw[
        (raw["IndicatorId"] == 241) & (raw["AreaCode"] == "E08000009") & raw["CategoryType"].isna()
    ].sort_values("Year")
    np.testing.assert_allclose(
        numbers(lines["Trafford (95% CI)"]["y"]),
        100 * trafford["Count"] / trafford["Denominator"],
        atol=1e-9,
    )


def test_trends_of_a_series_without_intervals_says_cannot_be_calculated_and_why(source):
    raw = pd.read_csv(source / "indicators/la_fingertips_trafford_themes/adults_smoking.csv")
    trafford = raw[raw["area_code"] == "E08000009"].sort_values("period")
    at = open_page(TRENDS, indicator="smoking_adults")
    assert not at.exception
    assert "cannot be calculated" in texts(at)
    assert "no period has a confidence interval or counts" in texts(at)
    lines = {t["name"]: t for t in charts(at)[0]["data"]}
    assert numbers(lines["Trafford"]["y"]) == list(trafford["value"].astype(float))
    assert "England" in lines


def test_trends_offer_a_sex_choice_where_the_series_is_by_sex():
    at = open_page(TRENDS, indicator="life_expectancy", sex="Female")
    assert not at.exception
    assert at.selectbox(key="sex").value == "Female"


def test_trends_bad_indicator_warns_and_falls_back_to_a_series_with_periods():
    at = open_page(TRENDS, indicator="bad_health")
    assert not at.exception
    assert any("bad_health" in w.value.replace("\\", "") for w in at.warning)
    assert at.selectbox(key="indicator").value == "diabetes_qof_la"


def test_scatter_of_practices_plots_the_published_ae_rates_and_their_r(source):
    raw = pd.read_csv(source / AE)
    published = raw[
        (raw["Area Type"] == "GPs") & (raw["Sex"] == "Persons") & (raw["Time period"] == "2021/22")
    ].set_index("Area Code")["Value"]
    at = open_page(SCATTER, level="practice", x="list_65_plus", y="ae_under5")
    assert not at.exception
    table = at.dataframe[0].value
    ycol = next(c for c in table.columns if c.startswith("y: "))
    xcol = next(c for c in table.columns if c.startswith("x: "))
    got = table.set_index("area_code")[ycol]
    np.testing.assert_allclose(got, published.reindex(got.index), rtol=1e-6)
    r = np.corrcoef(table[xcol], table[ycol])[0, 1]
    assert f"Pearson's r = {r:.2f}" in texts(at)
    assert "Correlation is not cause" in texts(at)
    traces = charts(at)[0]["data"]
    assert {t["name"] for t in traces} >= {"North Trafford", "Sale Central", "Trafford West"}
    assert any(t["name"].startswith("Least-squares line") for t in traces)


def test_scatter_of_indicators_on_different_ward_boundaries_explains_why_not():
    at = open_page(SCATTER, level="ward", x="imd2025_score", y="bad_health")
    assert not at.exception
    assert "different ward boundaries" in texts(at)


def test_scatter_bad_parameters_warn_and_fall_back():
    at = open_page(SCATTER, level="lsoa", x="nope")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "lsoa" in warnings
    assert "nope" in warnings
    assert at.get("plotly_chart")
