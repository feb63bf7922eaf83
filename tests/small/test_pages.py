"""App: Loamshire's pages with the areas a Trafford-shaped place lacks, and bad URLs.

(Every page with its defaults runs, naming the county, in tests/contract on this build.)
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
import streamlit as st

from jsna.build.pipeline import build_database
from tests.contract.pages import open_page, page_output


@pytest.fixture
def county_app(county, monkeypatch):
    monkeypatch.setenv("JSNA_DB", str(county.db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield county
    st.cache_data.clear()
    st.cache_resource.clear()


def _text(at) -> str:
    assert not at.exception, at.exception
    text = page_output(at)
    assert "trafford" not in text.lower(), text[max(0, text.lower().find("trafford") - 200) :]
    return text


CASES = {
    "neighbourhood served by no PCN": ("1_Area_profile.py", {"area": "LOAM-11"}, "Linwater"),
    "neighbourhood served by two PCNs, one shared": (
        "1_Area_profile.py",
        {"area": "LOAM-12"},
        "Nethercote",
    ),
    "a ward of the third ward set": ("1_Area_profile.py", {"area": "E05970001"}, "divisions"),
    "a PCN serving two neighbourhoods": ("4_PCNs.py", {"pcn": "U99019"}, "Hatherby Health"),
    "compare the legacy wards": ("2_Compare_areas.py", {"level": "ward"}, "Loamshire"),
    "the England page's synthetic PCNs": (
        "14_PCNs_in_England.py",
        {"pcn": "U99003"},
        "Eastwold Care",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_pages_open_on_the_areas_only_a_county_has(county_app, case):
    page, params, shown = CASES[case]
    text = _text(open_page(page, **params))
    assert shown in text


@pytest.mark.parametrize(
    "page", ["1_Area_profile.py", "2_Compare_areas.py", "4_PCNs.py", "3_Map.py"]
)
def test_unknown_url_values_warn_and_fall_back(county_app, page):
    at = open_page(page, area="E05009999", pcn="Z", indicator="no_such", level="nope")
    _text(at)
    assert at.warning, "a friendly warning names what was not understood"


def test_england_page_without_a_practice_context_file_says_what_is_missing(
    county, tmp_path, monkeypatch
):
    """A place whose files name no practice-context file still has the national QOF tables:
    the England page compares its PCNs and says only that similar PCNs cannot be found (it
    once said the database had no national QOF files at all)."""
    shutil.copytree(county.data, tmp_path / "data")
    shutil.copytree(county.profiles, tmp_path / "profiles")
    place = tmp_path / "profiles" / "place.toml"
    lines = place.read_text().splitlines()
    assert sum(line.startswith("practice_context =") for line in lines) == 1
    place.write_text("\n".join(x for x in lines if not x.startswith("practice_context =")) + "\n")
    monkeypatch.setenv("JSNA_PROFILES", str(tmp_path / "profiles"))
    build_database(tmp_path / "data", tmp_path / "no_context.duckdb")
    with duckdb.connect(str(tmp_path / "no_context.duckdb"), read_only=True) as con:
        coverage = con.execute("select max(coverage), count(*) from pcn_context").fetchone()
        pcns = con.execute("select count(*) from nhs_areas where area_type = 'pcn'").fetchone()
    assert coverage == (0.0, pcns[0])
    monkeypatch.setenv("JSNA_DB", str(tmp_path / "no_context.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        text = _text(open_page("14_PCNs_in_England.py", pcn="U99003"))
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert "built without the national QOF files" not in text
    assert "Eastwold Care" in text
