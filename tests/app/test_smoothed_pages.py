"""Smoothed small-area values on the Map and Compare areas (issue 18 item 5), in AppTest.

Every number the pages show is checked against the build's `smoothed_values` rows, read here
with SQL; the words come from the rows too (the benchmark each chance is against). The
unavailable cases must say why, and no count of 1 to 4 may reach a hover, table or file.
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from jsna.app import smoothed_view
from tests.app.test_every_download import _read, _record, check_file
from tests.app.test_views_pages import numbers
from tests.conftest import ROOT

MAP = "pages/3_Map.py"
COMPARE = "pages/2_Compare_areas.py"
INDICATOR = "bad_health"  # a Census percentage with counts: smoothed for wards and LSOAs
SMALL_COUNT = re.compile(r"\((?:[1-4]) of [\d,]+\)")


def open_page(page: str, monkeypatch: pytest.MonkeyPatch | None = None, **params: str):
    seen = _record(monkeypatch) if monkeypatch is not None else []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at = at.switch_page(str(ROOT / page)).run()
    assert not at.exception, at.exception
    return at, seen


def table_rows(con, indicator: str, area_type: str) -> pd.DataFrame:
    """The smoothed rows of one indicator's areas of a type, with the raw row beside them."""
    return con.execute(
        """
        select p.area_code, p.area_name, p.value, p.count, p.denominator, s.smoothed_value,
               s.smoothed_lower95, s.smoothed_upper95, s.p_higher, s.higher_than
        from smoothed_values as s
        join indicators as i on i.indicator_id = s.indicator_id and i.period = s.period
        join profile as p on p.area_code = s.area_code and p.indicator_id = s.indicator_id
             and p.period = s.period and p.sex = s.sex and p.age = s.age
        where s.indicator_id = $indicator and p.area_type = $area_type
        """,
        {"indicator": indicator, "area_type": area_type},
    ).df()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def hovers(spec: dict) -> list[str]:
    return [t for tr in spec["data"] for t in (tr.get("text") or tr.get("hovertext") or [])]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def pct(v: float) -> str:
    return f"{v:.1f}%"


def chance(p: float, bench: str) -> str:
    """The chance in words, worked from the row's probability."""
    said = "Over 99%" if p > 0.99 else "Under 1%" if p < 0.01 else f"{100 * p:.0f}%"
    return f"{said} chance its true value is higher than {bench}'s"


def test_the_map_offers_smoothed_values_for_wards_and_says_what_smoothing_does():
    at, _ = open_page(MAP, indicator=INDICATOR, level="ward")
    figures = next(s for s in at.selectbox if s.label == "Figures")
    assert figures.options == ["As published", "Smoothed"]
    assert figures.value == "raw"  # the Map's default stays the published value
    words = captions(at)
    assert "pulls each small area's figure towards the average" in words
    assert "does not change which areas are significantly different" in words


@pytest.mark.parametrize("level", ["ward", "lsoa"])
def test_the_maps_hover_shows_each_areas_smoothed_row(con, level):
    rows = table_rows(con, INDICATOR, level)
    assert len(rows) > 20
    at, _ = open_page(MAP, indicator=INDICATOR, level=level, figures="smoothed")
    spec = charts(at)[0]
    labels = {t.split("<br>")[0]: t for t in hovers(spec) if t.startswith("<b>")}
    for r in rows.itertuples():
        text = labels[f"<b>{r.area_name}</b>"]
        assert f"Smoothed: {pct(r.smoothed_value)}" in text
        assert (
            f"95% credible interval {pct(r.smoothed_lower95)} to {pct(r.smoothed_upper95)}" in text
        )
        assert chance(r.p_higher, r.higher_than) in text
        assert f"As published: {pct(r.value)} ({r.count:,.0f} of {r.denominator:,.0f})" in text
        assert not SMALL_COUNT.search(text)
    # The comparison colours and legend stay the raw value's.
    assert {tr["name"] for tr in spec["data"] if tr["type"] == "choroplethmap"} <= {
        f"{w} than Trafford (99.8%)" for w in ("Better", "Worse")
    } | {f"{w} than Trafford (95%)" for w in ("Better", "Worse")} | {"Similar to Trafford"}
    assert "How the smoothed values are made" in [e.label for e in at.expander]


def test_the_map_coloured_by_value_uses_the_smoothed_values(con):
    rows = table_rows(con, INDICATOR, "ward").set_index("area_code")
    at, _ = open_page(MAP, indicator=INDICATOR, level="ward", figures="smoothed", colour="value")
    trace = next(tr for tr in charts(at)[0]["data"] if tr.get("name") == "Smoothed value")
    shown = dict(zip(trace["locations"], numbers(trace["z"]), strict=True))
    assert shown.keys() == set(rows.index)
    for code, z in shown.items():
        assert math.isclose(z, rows.loc[code, "smoothed_value"], rel_tol=1e-12)


def test_compare_areas_draws_smoothed_bars_with_credible_intervals(con):
    rows = table_rows(con, INDICATOR, "ward").set_index("area_name")
    at, _ = open_page(COMPARE, indicator=INDICATOR, level="ward", figures="smoothed")
    spec = charts(at)[0]
    bars = [tr for tr in spec["data"] if tr["type"] == "bar"]
    drawn = 0
    for tr in bars:
        xs, plus = numbers(tr["x"]), numbers(tr["error_x"]["array"])
        minus = numbers(tr["error_x"]["arrayminus"])
        for text, x, up, down in zip(tr["hovertext"], xs, plus, minus, strict=True):
            r = rows.loc[text.split("<br>")[0].removeprefix("<b>").removesuffix("</b>")]
            assert math.isclose(x, r["smoothed_value"], rel_tol=1e-12)
            assert math.isclose(x + up, r["smoothed_upper95"], rel_tol=1e-9)
            assert math.isclose(x - down, r["smoothed_lower95"], rel_tol=1e-9)
            assert chance(r["p_higher"], r["higher_than"]) in text
            drawn += 1
    assert drawn == len(rows)
    words = captions(at)
    assert "95% credible intervals" in words
    assert "not confidence intervals" in words
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["Area", "Value", "Smoothed"]
    for area, shown in zip(table["Area"], table["Smoothed"], strict=True):
        assert shown == pct(rows.loc[area, "smoothed_value"])


def test_compare_areas_first_screen_stays_plain():
    at, _ = open_page(COMPARE, indicator=INDICATOR, level="ward")
    assert next(s for s in at.selectbox if s.label == "Figures").value == "raw"
    first = captions(at)
    for jargon in ("Bayes", "beta-binomial", "posterior", "prior"):
        assert jargon not in first
    assert "How the smoothed values are made" not in [e.label for e in at.expander]


@pytest.mark.parametrize("page", [MAP, COMPARE])
def test_downloads_carry_the_smoothed_columns_with_plain_names(con, monkeypatch, page):
    rows = table_rows(con, INDICATOR, "ward").set_index("area_code")
    _, seen = open_page(page, monkeypatch, indicator=INDICATOR, level="ward", figures="smoothed")
    label, name, data = next(s for s in seen if s[1].endswith(".csv"))
    df = _read(data)
    check_file(label, name, df, "bad_or_very_bad_general_health")
    ours = df[df["Area code"].isin(rows.index)].set_index("Area code")
    assert set(ours.index) == set(rows.index)
    for col, plain in (
        ("smoothed_value", "Smoothed value"),
        ("smoothed_lower95", "Smoothed value, lower 95% credible limit"),
        ("smoothed_upper95", "Smoothed value, upper 95% credible limit"),
    ):
        for code, v in ours[f"{plain} (exact)"].items():
            assert math.isclose(float(v), rows.loc[code, col], rel_tol=1e-12)
    chance_col = "Probability higher than the benchmark (smoothed), % (exact)"
    for code, v in ours[chance_col].items():
        assert math.isclose(float(v), 100 * rows.loc[code, "p_higher"], abs_tol=1e-12)
    assert set(ours["Benchmark for that probability"]) == set(rows["higher_than"])
    counts = [float(c) for c in df["Count (numerator)"] if c]
    assert not [c for c in counts if 1 <= c <= 4]


@pytest.mark.parametrize("page", [MAP, COMPARE])
def test_downloads_of_the_published_values_leave_the_smoothed_columns_out(monkeypatch, page):
    _, seen = open_page(page, monkeypatch, indicator=INDICATOR, level="ward")
    _, _, data = next(s for s in seen if s[1].endswith(".csv"))
    assert not [c for c in _read(data).columns if "moothed" in c]


def test_the_map_says_why_a_neighbourhood_has_no_smoothed_values():
    at, _ = open_page(MAP, indicator=INDICATOR, level="neighbourhood")
    assert "Figures" not in [s.label for s in at.selectbox]
    words = captions(at)
    assert "Smoothed values are not available for neighbourhoods" in words
    assert "has smoothed values for wards and LSOAs" in words


def test_both_pages_say_why_an_indicator_has_no_smoothed_values(con):
    # A ward indicator the build did not smooth (published without counts, or not a
    # percentage built from them), found from the database itself.
    indicator = con.execute(
        """
        select p.indicator_id from profile as p
        join indicators as i on i.indicator_id = p.indicator_id and i.period = p.period
        where p.area_type = 'ward' and p.indicator_id not in
              (select indicator_id from smoothed_values)
        group by p.indicator_id order by p.indicator_id limit 1
        """
    ).fetchone()[0]
    for page in (MAP, COMPARE):
        at, _ = open_page(page, indicator=indicator, level="ward")
        assert "Figures" not in [s.label for s in at.selectbox]
        assert "Smoothed values are not available for this indicator" in captions(at)


def test_a_bad_figures_parameter_gets_a_friendly_warning():
    at, _ = open_page(MAP, indicator=INDICATOR, level="ward", figures="wobbly")
    assert any("wobbly" in w.value for w in at.warning)
    assert next(s for s in at.selectbox if s.label == "Figures").value == "raw"


def test_a_count_of_one_to_four_never_reaches_a_hover():
    row = {
        "area_name": "Made-up ward",
        "value_type": "proportion",
        "unit": "%",
        "value": 3 / 40 * 100,
        "count": 3.0,
        "denominator": 40.0,
        "smoothed_value": 6.0,
        "smoothed_lower95": 4.0,
        "smoothed_upper95": 8.5,
        "chance_higher": 40.0,
        "higher_than": "England",
    }
    text = smoothed_view.hover(row, "<b>Made-up ward</b><br>Similar to England")
    assert "3 of" not in text
    assert not SMALL_COUNT.search(text)
    # Nor its value, which with the denominator would tell it (3 of 40 is 7.5%).
    assert "7.5" not in text
    assert "As published: suppressed (small number)" in text
    shown = smoothed_view.hover(row | {"count": 5.0}, "<b>Made-up ward</b><br>Similar")
    assert "(5 of 40)" in shown
