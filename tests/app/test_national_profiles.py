"""Any English PCN or practice in the Area profile and Compare areas pages.

Expected figures are summed here from the raw QOF and geography CSVs with the csv module.
"""

from __future__ import annotations

import pytest

from tests.app.test_pages import all_text, charts, open_page
from tests.db.test_national import GEO, QOF, _rows

PROFILE = "pages/1_Area_profile.py"
COMPARE = "pages/2_Compare_areas.py"
DM = "Diabetes (17+): recorded prevalence"


@pytest.fixture(scope="module")
def raw(source):
    """(practice register and list by group, practice -> geography row)."""
    geo = {r["PRACTICE_CODE"]: r for r in _rows(source, GEO)}
    qof: dict[tuple[str, str], tuple[float, int]] = {}
    for r in _rows(source, QOF):
        qof[(r["PRACTICE_CODE"], r["GROUP_CODE"])] = (
            float(r["REGISTER"]),
            int(r["PRACTICE_LIST_SIZE"]),
        )
    return qof, geo


def _pooled(raw, practices, group):
    qof, _ = raw
    reg = sum(qof[(p, group)][0] for p in practices)
    lst = sum(qof[(p, group)][1] for p in practices)
    return reg, lst


def _members(raw, column, code):
    _, geo = raw
    return [p for p, g in geo.items() if g[column] == code]


def _assert_row(table, name_col, name, reg, lst):
    row = table[table[name_col] == name].iloc[0]
    assert row["Count"] == f"{reg:,.0f}"
    assert row["Denominator"] == f"{lst:,.0f}"
    assert float(row["Value"].rstrip("%")) == pytest.approx(100 * reg / lst, abs=0.051)


def _picked(at, key, code):
    at.selectbox(key=key).set_value(code).run()
    assert not at.exception
    return at


def test_an_english_pcn_outside_trafford_opens_by_deep_link(raw):
    # Stockton PCN (North East), opened by its code alone.
    at = open_page(PROFILE, area="U89141")
    assert not at.exception
    assert not at.warning
    assert at.title[0].value == "Stockton PCN (PCN, U89141)"
    # The England scope is the default for a link to an English area: not written again.
    assert at.selectbox(key="scope").value == "england"
    assert "scope" not in at.query_params
    table = at.dataframe[0].value
    assert len(table) == 21
    reg, lst = _pooled(raw, _members(raw, "PCN_ODS_CODE", "U89141"), "DM")
    _assert_row(table, "Indicator", DM, reg, lst)
    ranks = table["Rank in England (1 = highest)"]
    ordinal = r"[\d,]+(st|nd|rd|th)"
    assert ranks.str.match(rf"{ordinal} of 1,267 \(95% interval {ordinal} to {ordinal}\)").any()
    assert set(table["Allowing for real variation between areas"]) <= {
        "Unusually high among PCNs",
        "Unusually low among PCNs",
        "Within the usual range for PCNs",
        "Not compared",  # a register suppressed to protect a small number
    }
    assert len(charts(at)) == 1  # the spine chart against every English PCN
    text = all_text(at)
    assert "2022/23" in text
    assert "Not available for areas outside Trafford" in [e.label for e in at.expander][-1]
    similar = at.dataframe[1].value  # PCNs like this one
    assert len(similar) == 10
    assert "Stockton PCN" not in set(similar["PCN"])


def test_a_practice_opens_by_deep_link_with_its_own_published_register(raw):
    at = open_page(PROFILE, area="A81001")
    assert not at.exception
    assert at.title[0].value.startswith("The Densham Surgery (GP practice, A81001)")
    qof, _ = raw
    reg, lst = qof[("A81001", "HYP")]
    _assert_row(at.dataframe[0].value, "Indicator", "Hypertension: recorded prevalence", reg, lst)
    # The pickers show where it sits.
    assert at.selectbox(key="nhs_region").value == "Y63"
    assert at.selectbox(key="nhs_pcn").value == "U89141"
    assert at.selectbox(key="nhs_practice").value == "A81001"


def test_the_pickers_walk_down_from_region_to_practice(raw):
    at = open_page(PROFILE, scope="england")
    assert not at.exception
    assert at.title[0].value == "England"
    for key, code in (
        ("nhs_region", "Y63"),
        ("nhs_icb", "QHM"),
        ("nhs_sub_icb", "16C"),
        ("nhs_pcn", "U89141"),
    ):
        at = _picked(at, key, code)
        assert at.query_params["area"] == code
    assert at.title[0].value == "Stockton PCN (PCN, U89141)"
    # The practice picker offers exactly the PCN's practices in the geography file.
    practices = at.selectbox(key="nhs_practice")
    assert len(practices.options) == 1 + len(_members(raw, "PCN_ODS_CODE", "U89141"))
    at = _picked(at, "nhs_practice", "A81001")
    assert at.title[0].value.startswith("The Densham Surgery")
    # Choosing another region clears everything below it.
    at = _picked(at, "nhs_region", "Y56")
    assert at.title[0].value == "London (NHS region, Y56)"
    assert at.selectbox(key="nhs_icb").value == ""
    reg, lst = _pooled(raw, _members(raw, "REGION_ODS_CODE", "Y56"), "DM")
    _assert_row(at.dataframe[0].value, "Indicator", DM, reg, lst)


def test_search_by_name_opens_the_match():
    at = open_page(PROFILE, scope="england")
    at.text_input(key="nhs_search").input("stockton pcn").run()
    assert not at.exception
    at = _picked(at, "nhs_match", "U89141")
    assert at.title[0].value == "Stockton PCN (PCN, U89141)"
    assert at.selectbox(key="nhs_sub_icb").value == "16C"


@pytest.mark.parametrize("code", ["NOT_A_CODE_123", "U" * 500, "'; drop table nhs_areas; --"])
def test_an_unknown_code_warns_and_shows_england(code):
    at = open_page(PROFILE, area=code, scope="england")
    assert not at.exception
    assert "is not the code of an English practice" in at.warning[0].value
    assert at.title[0].value == "England"


def test_an_unknown_code_without_scope_warns_on_the_trafford_profile():
    at = open_page(PROFILE, area="ZZZ")
    assert not at.exception
    assert at.warning
    assert at.title[0].value == "North (neighbourhood)"


def test_compare_areas_shows_a_pcns_practices_across_sub_icbs(raw):
    # G3 PCN's three practices sit in three sub-ICBs; all three are its members.
    at = open_page(COMPARE, area="U87499", indicator="qof_dm")
    assert not at.exception
    assert len(charts(at)) == 1
    table = at.dataframe[0].value
    _, geo = raw
    practices = _members(raw, "PCN_ODS_CODE", "U87499")
    assert len({geo[p]["SUB_ICB_ODS_CODE"] for p in practices}) == 3
    assert sorted(table["Area"]) == sorted(geo[p]["PRACTICE_NAME"] for p in practices)
    qof, _ = raw
    for p in practices:
        _assert_row(table, "Area", geo[p]["PRACTICE_NAME"], *qof[(p, "DM")])
    assert "2022/23" in all_text(at)


def test_compare_areas_shows_an_icbs_sub_icbs(raw):
    at = open_page(COMPARE, area="QOP", level="sub_icb", indicator="qof_hyp", scope="england")
    assert not at.exception
    table = at.dataframe[0].value
    _, geo = raw
    subs = {
        g["SUB_ICB_ODS_CODE"]: g["SUB_ICB_NAME"] for g in geo.values() if g["ICB_ODS_CODE"] == "QOP"
    }
    assert sorted(table["Area"]) == sorted(subs.values())
    for code, name in subs.items():
        reg, lst = _pooled(raw, _members(raw, "SUB_ICB_ODS_CODE", code), "HYP")
        _assert_row(table, "Area", name, reg, lst)


def test_compare_areas_offers_an_icbs_pcns():
    at = open_page(COMPARE, area="QOP", level="pcn", indicator="qof_ast", scope="england")
    assert not at.exception
    assert at.selectbox(key="level").value == "pcn"
    assert len(charts(at)) == 1


def test_a_bad_register_on_the_england_compare_view_warns():
    at = open_page(COMPARE, area="U87499", indicator="bad_health", scope="england")
    assert not at.exception
    assert at.warning
    assert at.selectbox(key="indicator").value == "qof_dm"


def test_definitions_state_the_pcns_like_ours_method():
    at = open_page("pages/5_Definitions_and_data.py")
    assert not at.exception
    text = all_text(at)
    assert "Euclidean" in text
    assert "10 English PCNs nearest" in text
    assert "2022/23" in text


def test_a_national_profile_says_how_many_areas_lie_outside_each_set_of_limits():
    """Diabetes among PCNs: the issue counted 959 of 1,267 outside England's 99.8% limits."""
    at = open_page(PROFILE, area="U89141")
    assert not at.exception
    label = "How many PCNs differ from England, and how many are unusual"
    assert label in [e.label for e in at.expander]
    table = next(d.value for d in at.dataframe if "Differ from England (99.8%)" in d.value.columns)
    assert len(table) == 21
    row = table[table["Register"] == DM].iloc[0]
    assert row["Differ from England (99.8%)"].startswith("959 (")
    assert row["PCNs compared"] == "1,267"
