"""AppTest: Home as the front door (every page a link, three ways in) and journey 4.

Journey 4 (issue 19): "Which neighbourhood and PCN am I in, and what are its main issues?"
for postcode M32 0JG. The expected names are the source lookups' rows, read in the test:
the postcode's ward and locality (trafford_postcodes.csv, trafford_ward_to_locality.csv), and
the PCNs of the practices registered in that locality (the registrations and the practice to
PCN lookup).
"""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SOURCE

PC = "pages/13_Postcode_search.py"
POSTCODE = "M32 0JG"


def rows(path: str) -> list[dict[str, str]]:
    with (SOURCE / path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def expected_areas(postcode: str) -> tuple[str, str, str, set[str]]:
    """(ward code, ward name, neighbourhood name, PCN names) from the source lookups alone."""
    pc = next(r for r in rows("lookups/trafford_postcodes.csv") if r["postcode"] == postcode)
    wards = rows("lookups/trafford_ward_to_locality.csv")
    ward = next(r for r in wards if r["ward_code"] == pc["ward_code"])
    practices = {
        r["practice_code"]
        for r in rows("gp/trafford_gp_patient_registrations.csv")
        if r["locality"] == ward["locality"]
    }
    pcns = {
        re.sub(r"\s+PCN$", "", r["PCN_NAME"]).title()
        for r in rows("gp/trafford_practice_to_pcn_apr2026.csv")
        if r["PRACTICE_CODE"] in practices
    }
    return pc["ward_code"], ward["ward_name"], ward["locality"], pcns


def page_files() -> set[str]:
    """Every page's URL path, from the files in pages/ (the number prefix dropped)."""
    return {re.sub(r"^\d+_", "", p.stem) for p in (ROOT / "pages").glob("*.py")}


def links(at: AppTest, where=None) -> list[tuple[str, str, str]]:
    """(page, label, query string) of every page link (in the main area, or in `where`)."""
    found = (where or at).get("page_link")
    return [(el.proto.page, el.proto.label, el.proto.query_string) for el in found]


def home() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    return at


def test_home_lists_every_page_as_a_link_with_a_line_on_what_it_answers():
    at = home()
    main = [link for link in links(at) if link not in links(at, at.sidebar)]
    described = {page for page, label, _ in main if re.match(r"\*\*[^*]+\*\*: \w", label)}
    assert described == page_files()
    questions = {s.value for s in at.subheader}
    assert {"Where are we?", "How do we compare?", "Where should we act?"} <= questions
    assert "What's behind the numbers?" in questions


def test_the_sidebar_lists_every_page_and_home_as_links_grouped_by_question():
    at = home()
    side = links(at, at.sidebar)
    assert {page for page, _, _ in side} == page_files() | {""}
    assert [m.value for m in at.sidebar.markdown][:4] == [
        "**Where are we?**",
        "**How do we compare?**",
        "**Where should we act?**",
        "**What's behind the numbers?**",
    ]


def test_where_to_act_sits_under_acting_not_under_compare():
    at = home()
    # The sidebar's order: each question, then its pages.
    order = [
        el.value if el.type == "markdown" else el.proto.label
        for el in at.sidebar
        if el.type in ("markdown", "page_link")
    ]
    assert order.index("**Where should we act?**") < order.index("Where to act")
    assert order.index("**How do we compare?**") < order.index("**Where should we act?**")
    assert order.index("Compare areas") < order.index("**Where should we act?**")


def test_home_starts_from_a_neighbourhood_or_a_pcn():
    at = home()
    opened = {parse_qs(query).get("area", [""])[0] for _, _, query in links(at)}
    for code in ("NBH-NORTH", "NBH-CENTRAL", "NBH-WEST", "NBH-SOUTH"):
        assert code in opened
    # The five PCNs of the practice to PCN lookup.
    pcn_codes = {r["PCN_CODE"] for r in rows("gp/trafford_practice_to_pcn_apr2026.csv")}
    assert len(pcn_codes) == 5
    assert pcn_codes <= opened


def test_home_postcode_box_opens_the_postcode_page_with_the_postcode_in_the_url():
    at = home()
    at.text_input[0].input("m32 0jg")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.query_params["postcode"] in ("M32 0JG", ["M32 0JG"])
    assert at.title[0].value == "Find your area"


def test_postcode_names_ward_neighbourhood_and_pcns_with_their_main_issues():
    ward_code, ward, nbh, pcns = expected_areas(POSTCODE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.query_params["postcode"] = POSTCODE
    at.switch_page(str(ROOT / PC)).run()
    assert not at.exception, at.exception
    text = [m.value for m in at.markdown]
    assert f"**Ward: {ward}**" in text
    assert f"**Neighbourhood: {nbh}**" in text
    shown = {m.removeprefix("**GP network: ").removesuffix("**") for m in text if "GP network" in m}
    assert shown == pcns
    # Each named area is followed by its main issue: a significant difference in words, or,
    # for the ward (two figures, neither compared), a plain "too little is published".
    after = {text[i]: text[i + 1] for i in range(len(text) - 1)}
    assert "Too little is published" in after[f"**Ward: {ward}**"]
    for name in [f"**Neighbourhood: {nbh}**", *(f"**GP network: {p}**" for p in pcns)]:
        assert re.search(r"\d+% (higher|lower) than (England|Trafford)", after[name]), after[name]
    # Never a link to a ward profile with nothing in it; links to the areas that have findings.
    queries = {query for _, _, query in links(at)}
    assert not any(f"area={ward_code}" in q for q in queries)
    assert any("area=NBH-NORTH" in q for q in queries)
