"""Build your own area and Show your working, in AppTest."""

from __future__ import annotations

from tests.app.test_pages import all_text, charts, open_page

PAGE = "pages/7_Build_your_own.py"


def param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_build_your_own_with_no_wards_gives_instructions_and_a_map():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Build your own area"
    assert any("No wards chosen yet" in i.value for i in at.info)
    specs = charts(at)
    assert len(specs) == 1
    assert {t["type"] for t in specs[0]["data"]} == {"choroplethmap"}
    assert not at.dataframe


def test_build_your_own_deep_link_pools_the_two_wards():
    at = open_page(PAGE, wards="E05000825,E05000829")
    assert not at.exception, at.exception
    assert at.multiselect(key="wards").value == ["E05000825", "E05000829"]
    assert at.header[0].value == "Clifford and Gorse Hill"
    table = at.dataframe[0].value
    assert "Bad or very bad general health" in set(table["Indicator"])
    assert {"Value", "95% CI", "Comparison"} <= set(table.columns)
    gone = at.dataframe[1].value
    assert "Why not" in gone.columns
    assert len(gone) > 10
    chosen = [t for t in charts(at)[0]["data"] if t["name"] == "Chosen"]
    assert sorted(chosen[0]["locations"]) == ["E05000825", "E05000829"]
    assert len(at.get("download_button")) == 1
    assert "significantly" in all_text(at) or "statistically similar" in all_text(at)


def test_build_your_own_bad_codes_warn_and_are_ignored():
    at = open_page(PAGE, wards="E05000825,NOT-A-WARD,E05015247")
    assert not at.exception, at.exception
    text = " ".join(w.value for w in at.warning)
    assert "NOT-A-WARD" in text
    assert "cannot be mixed" in text
    assert at.multiselect(key="wards").value == ["E05000825"]
    assert param(at, "wards") == "E05000825"


def test_build_your_own_start_from_north_reproduces_north():
    at = open_page(PAGE)
    at.button(key="start_NBH-NORTH").click().run()
    assert not at.exception
    assert len(at.multiselect(key="wards").value) == 4
    table = at.dataframe[0].value.set_index("Indicator")
    assert table.loc["Bad or very bad general health", "Count"] == "2,811"
    assert param(at, "wards") == "E05000825,E05000829,E05000832,E05000836"


def test_build_your_own_working_panel_explains_a_pooled_value():
    at = open_page(PAGE, wards="E05000825,E05000829,E05000832,E05000836", working="bad_health")
    assert not at.exception
    assert "value = 2,811 / 49,929 × 100 = 5.63%" in all_text(at)


def test_area_profile_working_panel_is_empty_until_chosen_then_explains():
    at = open_page("pages/1_Area_profile.py", area="NBH-NORTH")
    assert not at.exception
    box = at.selectbox(key="working")
    assert box.value == ""
    at = box.select("bad_health").run()
    assert not at.exception
    text = all_text(at)
    assert "Wilson score interval" in text
    assert "value = 2,811 / 49,929 × 100 = 5.63%" in text
    assert "z = 3.090232" in text
    assert param(at, "working") == "bad_health"


def test_area_profile_working_deep_link_and_stale_value():
    at = open_page("pages/1_Area_profile.py", area="NBH-NORTH", working="population")
    assert not at.exception
    assert "Sum of ward estimates" in all_text(at)
    at = open_page("pages/1_Area_profile.py", area="NBH-NORTH", working="no_such_thing")
    assert not at.exception
    assert at.selectbox(key="working").value == ""


def test_compare_areas_working_panel_lists_the_areas():
    at = open_page(
        "pages/2_Compare_areas.py",
        indicator="bad_health",
        level="neighbourhood",
        working="NBH-NORTH",
    )
    assert not at.exception
    assert "value = 2,811 / 49,929 × 100 = 5.63%" in all_text(at)
