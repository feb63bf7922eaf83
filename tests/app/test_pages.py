"""Every page in AppTest: default view, a deep link, a bad URL parameter, an empty case."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from jsna.app import queries
from tests.conftest import ROOT, SOURCE

PAGES = [
    "pages/1_Area_profile.py",
    "pages/2_Compare_areas.py",
    "pages/3_Map.py",
    "pages/4_PCNs.py",
    "pages/5_Definitions_and_data.py",
]


def open_page(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page is None:
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    return at.switch_page(str(ROOT / page)).run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.value for h in at.header] + [t.value for t in at.title]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(parts)


def test_home_shows_the_map_and_a_card_per_neighbourhood():
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Trafford neighbourhood health profiles"
    assert {s.value for s in at.subheader} >= {"North", "Central", "West", "South"}
    assert len(charts(at)) == 1
    assert "England" in all_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_its_default_view_without_exception(page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert at.title, "page has a title"


def _sentences(at: AppTest, ending: str) -> set[str]:
    """Indicator names of the summary lines ("- Name: value, … (ending).") with this ending."""
    found = re.findall(r"^- (.+): [^:\n]*\(" + re.escape(ending) + r"\)\.$", all_text(at), re.M)
    return set(found)


def test_area_profile_default_is_north_with_spine_chart_summary_and_table(con):
    at = open_page(PAGES[0])
    assert at.title[0].value.startswith("North")
    specs = charts(at)
    assert specs
    assert any(t["type"] == "bar" for t in specs[0]["data"])
    table = at.dataframe[0].value
    assert {"Indicator", "Value", "95% CI", "England", "Comparison"} <= set(table.columns)
    # The page's input: North's rows, each worded by its comparison with the default benchmark.
    rows = queries.area_profile(con, "NBH-NORTH", "default")
    persons = rows[rows["sex"] == "Persons"]
    by = persons.groupby("comparison")["indicator_name"].apply(set)
    assert _sentences(at, "statistically similar") == by["similar"]
    assert "Unpaid carers" in by["similar"]
    lowest = "significantly lower, 99.8% confidence; no judgement of good or bad"
    assert _sentences(at, lowest) == by["lowest"]
    assert "Dementia: recorded prevalence" in by["lowest"]


def test_a_ward_with_two_indicators_says_it_has_little_data_not_no_difference():
    """Issue 19: the wards from 2023 have 2 indicators; "no difference" would read as average."""
    at = open_page(PAGES[0], area="E05015240")
    assert not at.exception
    assert at.warning[0].value.startswith(
        "Little data: only 2 indicators have a figure for this ward"
    )
    text = all_text(at)
    assert "No indicator differs significantly" not in text
    assert not charts(at), "no spine chart with bare axes"
    assert any("can be drawn on a spine chart" in i.value for i in at.info)


def test_area_profile_deep_link_opens_a_pcn():
    at = open_page(PAGES[0], area="U66368")
    assert not at.exception
    assert at.title[0].value.startswith("North Trafford")
    assert at.query_params["area"] == ["U66368"] or at.query_params["area"] == "U66368"


def test_area_profile_unknown_area_warns_and_falls_back():
    at = open_page(PAGES[0], area="NOT-AN-AREA")
    assert not at.exception
    assert any("NOT-AN-AREA" in w.value for w in at.warning)
    assert at.title[0].value.startswith("North")


DISABLED_WARDS = (
    "indicators/census2021/health_disability_unpaid_care/2021_disability_ward_trafford.csv"
)


def test_compare_areas_deep_link_shows_bars_with_error_bars_and_reference_lines(source):
    at = open_page(PAGES[1], indicator="disabled", level="ward")
    assert not at.exception
    spec = charts(at)[0]
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    lines = [t["name"] for t in spec["data"] if t["type"] == "scatter"]
    assert bars
    assert any(t.get("error_x", {}).get("visible") for t in bars)
    assert "compared with England" in spec["layout"]["title"]["text"]
    assert any(name.startswith("Benchmark: England") for name in lines)
    table = at.dataframe[0].value
    shown = table["Value"].str.rstrip("%").astype(float)
    assert shown.is_monotonic_decreasing, "areas are sorted by value, largest first"
    # One row per ward of the Census ward file (the 21 wards of 2004 to May 2023).
    wards = pd.read_csv(source / DISABLED_WARDS, usecols=["area_code"])["area_code"].nunique()
    assert wards == 21
    assert len(table) == wards
    # The benchmark columns stay, next to the value (a phone shows them without scrolling).
    assert list(table.columns[:4]) == ["Area", "Value", "England", "Trafford"]
    assert table["England"].nunique() == 1
    assert table["England"].iloc[0] != ""
    assert table["Comparison"].str.contains("England").any()


def test_compare_areas_for_a_trafford_only_indicator_says_so():
    at = open_page(PAGES[1], indicator="life_expectancy")
    assert not at.exception
    assert any("Trafford as a whole only" in i.value for i in at.info)


def test_compare_areas_bad_indicator_falls_back_with_a_message():
    at = open_page(PAGES[1], indicator="nonsense")
    assert not at.exception
    assert any("nonsense" in w.value for w in at.warning)


def test_map_deep_link_by_lsoa_draws_a_choropleth_with_not_compared_legend():
    at = open_page(PAGES[2], indicator="ethnic_minority", level="lsoa")
    assert not at.exception
    spec = charts(at)[0]
    kinds = {t["type"] for t in spec["data"]}
    assert "choroplethmap" in kinds
    assert "scattermap" in kinds
    assert "Contains National Statistics and OS data" in all_text(at)
    title = spec["layout"]["title"]["text"]
    assert "by LSOAs (small areas)" in title.replace("<br>", " ")  # an acronym keeps its case


def test_map_estimate_indicator_is_flagged_and_coloured_by_value_by_default():
    at = open_page(PAGES[2], indicator="self_harm_sar", level="neighbourhood")
    assert not at.exception
    assert any("Estimate" in w.value for w in at.warning)
    names = {t.get("name") for t in charts(at)[0]["data"]}
    assert "Value" in names


def test_map_estimate_asked_for_by_comparison_is_coloured_by_value_never_all_grey():
    """Issue 19: with no England comparison, a map coloured "by comparison" would be all grey.

    It colours by value instead (a sequential scale, stated in the title and in words).
    """
    at = open_page(PAGES[2], indicator="self_harm_sar", level="neighbourhood", colour="comparison")
    spec = charts(at)[0]
    names = {t.get("name") for t in spec["data"]}
    assert "Value" in names
    assert "Not compared" not in names
    title = spec["layout"]["title"]["text"].replace("<br>", " ")
    assert "coloured by value (darker = higher)" in title
    assert "not compared with England: estimate only" in title.replace("</span>", "").replace(
        "<span style='font-size:13px'>", ""
    )
    assert any("coloured by value" in i.value for i in at.info)


def test_map_of_circulatory_deaths_by_ward_colours_every_ward_by_its_value():
    """Journey 6: every ward's SMR (OHID Local Health, no interval) gets a colour on the scale."""
    source = pd.read_csv(
        SOURCE / "indicators/ward_data_2017wards/health/deaths_from_circulatory_under75.csv"
    )
    at = open_page(PAGES[2], indicator="circulatory_u75_smr", level="ward", colour="comparison")
    value_traces = [t for t in charts(at)[0]["data"] if t.get("name") == "Value"]
    assert len(value_traces) == 1
    z = value_traces[0]["z"]
    if isinstance(z, dict):  # plotly sends numbers as base64 typed arrays
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.dtype(z["dtype"])).tolist()
    drawn = dict(zip(value_traces[0]["locations"], z, strict=True))
    assert drawn == dict(zip(source["area_code"], source["value"], strict=True))


def test_map_bad_level_falls_back():
    at = open_page(PAGES[2], indicator="bad_health", level="galaxy")
    assert not at.exception
    assert any("galaxy" in w.value for w in at.warning)


def test_pcns_page_lists_five_pcns_and_the_bodmin_road_exception():
    at = open_page(PAGES[3], pcn="U83990")
    assert not at.exception
    assert len(at.dataframe[0].value) == 5
    assert any("Bodmin Road" in i.value.title() or "BODMIN" in i.value.upper() for i in at.info)


def test_pcns_bad_pcn_falls_back():
    at = open_page(PAGES[3], pcn="X")
    assert not at.exception
    assert at.warning


def test_definitions_page_offers_both_downloads_and_the_indicator_table():
    at = open_page(PAGES[4], indicator="smoking_qof")
    assert not at.exception
    assert at.header[0].value.startswith("Smokers recorded by GPs")
    assert len(at.dataframe[0].value) >= 25
    assert len(at.get("download_button")) == 2


def test_choice_of_benchmark_is_named_in_every_sentence():
    at = open_page(PAGES[0], area="NBH-WEST", benchmark="peers")
    assert not at.exception
    assert any("other nine Greater Manchester councils" in c.value for c in at.caption)
    summary = [m.value for m in at.markdown if "Rest of Greater Manchester" in m.value]
    assert summary, "sentences name the chosen benchmark"


def test_unknown_benchmark_falls_back_to_england_with_a_message():
    at = open_page(PAGES[0], benchmark="mars")
    assert not at.exception
    assert any("mars" in w.value for w in at.warning)
    assert any("England" in c.value for c in at.caption)
