"""Where to act and funnel plots in AppTest: default view, deep links, bad parameters."""

from __future__ import annotations

from tests.app.test_pages import all_text, charts, open_page

WHERE = "pages/6_Where_to_act.py"
COMPARE = "pages/2_Compare_areas.py"


def test_where_to_act_default_is_north_with_the_worst_neighbourhood_table():
    at = open_page(WHERE)
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Where to act: North")
    headers = [h.value for h in at.header]
    assert "Worst neighbourhood for each indicator" in headers
    worst = at.dataframe[-1].value
    assert {"Indicator", "Worst neighbourhood", "Significantly worse than England?"} <= set(
        worst.columns
    )
    assert set(worst["Worst neighbourhood"]) <= {"North", "Central", "West", "South"}
    assert len(worst) >= 5


def test_where_to_act_deep_link_to_a_pcn_ranks_its_gaps_with_intervals():
    at = open_page(WHERE, area="U66368")
    assert not at.exception, at.exception
    assert "North Trafford" in at.title[0].value
    text = all_text(at)
    assert "than England's rate would give (95% interval" in text
    spec = charts(at)[0]
    assert all(t["type"] == "bar" for t in spec["data"])
    assert all(t["error_x"]["visible"] for t in spec["data"])
    table = at.dataframe[0].value
    assert list(table["Rank"]) == list(range(1, len(table) + 1))


def test_where_to_act_bad_area_warns_and_falls_back():
    at = open_page(WHERE, area="NOT-AN-AREA")
    assert not at.exception
    assert any("NOT-AN-AREA" in w.value for w in at.warning)
    assert at.title[0].value.startswith("Where to act: North")


def test_area_profile_opens_with_the_where_to_act_block_and_a_link():
    at = open_page("pages/1_Area_profile.py", area="U66368")
    assert not at.exception, at.exception
    assert at.header[0].value.startswith("Where to act")
    assert "England's rate would give" in at.markdown[0].value or any(
        "England's rate would give" in m.value for m in at.markdown
    )
    links = at.get("page_link")
    assert links, "a link to the full page"


def test_compare_areas_shows_a_ward_funnel_around_trafford():
    at = open_page(COMPARE, indicator="bad_health", level="ward")
    assert not at.exception, at.exception
    assert any(h.value.startswith("Funnel plot") for h in at.header)
    spec = charts(at)[-1]
    names = [t.get("name", "") for t in spec["data"]]
    assert sum("control limits" in n for n in names) == 4
    assert any(n.startswith("Trafford") for n in names)
    assert "around Trafford" in spec["layout"]["title"]["text"]


def test_compare_areas_practice_funnel_around_england_when_it_is_the_benchmark():
    at = open_page(
        COMPARE, indicator="smoking_qof", level="pcn", view="funnel", benchmark="england"
    )
    assert not at.exception, at.exception
    specs = charts(at)
    assert "around England" in specs[0]["layout"]["title"]["text"], "view=funnel puts it first"
    names = [t.get("name", "") for t in specs[0]["data"]]
    assert any(n.endswith("the 99.8% limit") for n in names), names
    assert not any("(0.0" in n for n in names), "p-value codes stay in the working"


def test_compare_areas_funnel_centre_is_the_bars_benchmark():
    for bench, centre in (("england", "England"), ("la", "Trafford")):
        at = open_page(COMPARE, indicator="smoking_qof", level="pcn", benchmark=bench)
        assert not at.exception, at.exception
        bars, funnel = charts(at)[0], charts(at)[-1]
        lines = [t.get("name", "") for t in bars["data"] if t.get("mode") == "lines"]
        assert any(n.startswith(f"Benchmark: {centre} ") for n in lines), lines
        assert f"around {centre}" in funnel["layout"]["title"]["text"]


def test_compare_areas_funnel_says_when_england_has_no_figure():
    at = open_page(COMPARE, indicator="bad_health", level="ward", benchmark="england")
    assert not at.exception
    assert any("England has no figure" in i.value for i in at.info)


def test_compare_areas_funnel_for_an_estimate_says_it_needs_counts():
    at = open_page(COMPARE, indicator="self_harm_sar", level="ward")
    assert not at.exception
    assert any("needs counts and denominators" in i.value for i in at.info)


def test_compare_areas_funnel_has_no_centre_picker_and_says_when_it_is_not_the_benchmark():
    """One benchmark per page: the funnel follows the sidebar, and says so when it cannot."""
    at = open_page(COMPARE, indicator="smoking_qof", level="pcn", benchmark="peers")
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "funnel_centre"]
    assert any("centred on England" in i.value for i in at.info)
    assert "around England" in charts(at)[-1]["layout"]["title"]["text"]


def test_map_links_to_the_funnel_plot():
    at = open_page("pages/3_Map.py", indicator="bad_health", level="ward")
    assert not at.exception
    assert at.get("page_link")
