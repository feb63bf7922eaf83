"""AppTest: population pyramid, inequalities and postcode search pages."""

from __future__ import annotations

import json

import pytest

from tests.app.test_pages import open_page

POP, INEQ, PC = "pages/11_Population.py", "pages/12_Inequalities.py", "pages/13_Postcode_search.py"


def charts(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_population_default_is_a_pyramid_of_north_with_englands_outline():
    at = open_page(POP)
    assert not at.exception
    assert at.title[0].value == "Population: North (neighbourhood)"
    spec = charts(at)[0]
    names = [t["name"] for t in spec["data"]]
    assert names[:2] == ["Males", "Females"]
    assert "England, all residents (Census 2021)" in names
    assert "area" not in at.query_params  # a default is not written (no history entry)
    assert at.metric[0].value == "61,147"


def test_population_and_profile_age_shares_each_say_their_source_and_footprint():
    """Issue 19: the page says 65+ is 12.7% (mid-2024), the profile 12.0% (Census 2021).

    Both are right: mid-2024 estimates on the wards from May 2023 (61,147 residents) against
    Census 2021 on the wards of 2004 to May 2023 (49,908). The percentages are the issue's.
    """
    at = open_page(POP, area="NBH-NORTH")
    labels = {m.label: m.value for m in at.metric}
    assert labels["Aged 65 and over, mid-2024"] == "12.7%"
    assert labels["Aged 0 to 14, mid-2024"] == "19.0%"
    note = next(c.value for c in at.caption if c.value.startswith("The Area profile's age"))
    assert "children aged 0 to 15 21.2%" in note
    assert "older people aged 65 and over 12.0%" in note
    assert "Census 2021 (the wards of 2004 to May 2023; 49,908 residents)" in note
    assert "mid-2024 on the wards from May 2023 (61,147 residents)" in note


def test_population_deep_link_to_a_pcn_shows_the_published_bands_and_says_so():
    at = open_page(POP, area="U66368")
    assert not at.exception
    assert "no split by sex" in at.info[0].value
    shown = at.dataframe[0].value
    assert list(shown["Age band"]) == ["0-15", "16-17", "18-49", "50-64", "65+"]


def test_population_with_trafford_benchmark_outlines_trafford_by_sex():
    at = open_page(POP, area="E05015239", benchmark="la")
    assert not at.exception
    names = [t["name"] for t in charts(at)[0]["data"]]
    assert "Trafford (mid-2024)" in names


def test_population_unknown_area_warns_and_falls_back():
    at = open_page(POP, area="<b>nope</b>")
    assert not at.exception
    assert at.warning
    assert at.title[0].value == "Population: North (neighbourhood)"


def test_inequalities_default_shows_deciles_sii_and_practices():
    at = open_page(INEQ)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels == ["Slope index of inequality", "Relative index of inequality"]
    assert len(charts(at)) == 2
    table = at.dataframe[0].value
    assert len(table) == 10
    # Defaults are not written into the URL (no history entry): bad health and hypertension.
    assert "indicator" not in at.query_params
    assert "register" not in at.query_params
    assert at.selectbox(key="indicator").value == "bad_health"
    assert at.selectbox(key="register").value == "qof_hyp"


def test_inequalities_deep_link_picks_indicator_and_register():
    at = open_page(INEQ, indicator="disabled", register="smoking_qof")
    assert not at.exception
    assert at.header[0].value.startswith("Disabled")
    assert "Smokers" in at.header[1].value


@pytest.mark.parametrize("param", ["indicator", "register"])
def test_inequalities_bad_parameter_warns_and_falls_back(param):
    at = open_page(INEQ, **{param: "zzz"})
    assert not at.exception
    assert at.warning


@pytest.mark.parametrize("typed", ["m154ab", "M15 4AB", " m15 4ab "])
def test_postcode_search_lands_on_ward_neighbourhood_and_pcn(typed):
    at = open_page(PC, postcode=typed)
    assert not at.exception
    text = [m.value for m in at.markdown]
    assert "**Ward: Gorse Hill & Cornbrook**" in text
    assert "**Neighbourhood: North**" in text
    assert at.query_params["postcode"] == "M15 4AB"
    assert len(at.dataframe[0].value) == 5


@pytest.mark.parametrize("typed", ["SW1A 1AA", "**bold**", "not a postcode"])
def test_unknown_or_non_trafford_postcode_gets_one_friendly_line(typed):
    at = open_page(PC, postcode=typed)
    assert not at.exception
    assert len(at.text) == 1
    assert "not a Trafford postcode" in at.text[0].value
    assert not at.metric


def test_postcode_search_empty_box_invites_a_postcode():
    at = open_page(PC)
    assert not at.exception
    assert not at.metric
