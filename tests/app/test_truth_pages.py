"""Issue 7 on the pages: large untested gaps are visible; registered patients are labelled."""

from __future__ import annotations

import re

from tests.app.test_pages import all_text, open_page


def test_norths_circulatory_gap_is_in_the_first_block_of_its_profile():
    """Given North's estimated premature circulatory ratio of about 139 (no interval), when its
    profile opens, then the Where-to-act block at the top names it as not tested."""
    at = open_page("pages/1_Area_profile.py", area="NBH-NORTH")
    assert not at.exception
    first = [m.value for m in at.markdown if "circulatory" in m.value]
    assert first, "circulatory gap shown"
    assert "139" in first[0]
    assert "not tested for significance" in first[0]
    assert "similar" not in first[0].lower()


def test_registered_patient_section_names_the_pcns_not_residents():
    at = open_page("pages/1_Area_profile.py", area="NBH-SOUTH")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert (
        "Health of registered patients of Altrincham Healthcare Alliance and South Trafford PCNs"
        in headers
    )
    assert "registered patients of Altrincham Healthcare Alliance" in all_text(at)


def test_home_cards_show_large_untested_gaps():
    at = open_page(None)
    assert not at.exception
    assert "not tested for significance" in all_text(at)


def test_where_to_act_lists_large_gaps_not_tested_by_size():
    at = open_page("pages/6_Where_to_act.py", area="NBH-NORTH")
    assert not at.exception
    assert "Large gaps, not tested for significance" in [h.value for h in at.header]
    lines = next(m.value for m in at.markdown if "not tested for significance" in m.value)
    sizes = [int(re.search(r"(\d+)% (higher|lower) than", ln)[1]) for ln in lines.split("\n")]
    assert sizes == sorted(sizes, reverse=True)


def test_profile_header_gives_each_footprints_population():
    at = open_page("pages/1_Area_profile.py", area="NBH-NORTH")
    text = " ".join(c.value for c in at.caption)
    assert "49,908 residents (wards of 2004 to May 2023), 2021" in text
    assert "residents (wards from May 2023), mid-2024" in text
