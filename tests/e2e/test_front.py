"""Journey 4 in a real browser: "Which neighbourhood and PCN am I in, and what are its main
issues?" for postcode M32 0JG, typed into Home's postcode box, at 1440 × 900 and 390 × 844.

The ward, the neighbourhood and each PCN, and the line under each (its main issue, or for a
ward with next to no figures a plain "too little is published"), must be on the first
screen: their boxes inside the viewport without scrolling. The expected names are the source
lookups' rows (`tests.app.test_front.expected_areas`). Back from a profile keeps the search.
"""

from __future__ import annotations

import re

import pytest
from playwright import sync_api

from tests.app.test_front import expected_areas, rows
from tests.e2e.harness import EXCEPTION, IDLE, open_app

pytestmark = pytest.mark.e2e
POSTCODE = "M32 0JG"
ISSUE = re.compile(r"\d+% (higher|lower) than (England|Trafford)")


def on_first_screen(pg, locator) -> bool:
    """The element is drawn wholly inside the viewport, with the page not scrolled."""
    box = locator.bounding_box()
    size = pg.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def area_box(pg, heading: str):
    """The bordered box that starts with `heading` ("Ward: …"), and its lines."""
    box = pg.locator("[class*='st-key-pc_box_']").filter(has=pg.get_by_text(heading, exact=True))
    sync_api.expect(box).to_have_count(1)
    return box, box.locator("[data-testid='stMarkdownContainer']")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["1440", "390"])
def test_a_postcode_typed_on_home_names_ward_neighbourhood_and_pcn_with_main_issues(
    page,
    server,
    size,
):
    _, ward, nbh, pcns = expected_areas(POSTCODE)
    pg, _ = page
    pg.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(pg, server, "")
    box = pg.get_by_label("Your Trafford postcode")
    assert on_first_screen(pg, box), "Home's postcode box is on its first screen"
    box.fill(POSTCODE.lower())
    box.press("Enter")
    pg.wait_for_url(re.compile(r"/Postcode_search\?postcode=M32(\+|%20)0JG"), timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    sync_api.expect(pg.get_by_text(f"Ward: {ward}", exact=True)).to_be_visible(timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    assert pg.locator(EXCEPTION).count() == 0
    assert pg.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0

    headings = [f"Ward: {ward}", f"Neighbourhood: {nbh}", *(f"GP network: {p}" for p in pcns)]
    for heading in headings:
        _, lines = area_box(pg, heading)
        name, issue = lines.nth(0), lines.nth(1)
        assert on_first_screen(pg, name), f"{heading} is below the first screen at {size}"
        assert on_first_screen(pg, issue), f"{heading}'s main issue is below the first screen"
        text = issue.inner_text()
        if heading.startswith("Ward"):
            # Two figures, neither compared: said plainly, not shown as "no difference".
            assert "Too little is published" in text, text
            assert "differ" not in text, text
        else:
            assert ISSUE.search(text), f"{heading}: {text}"


def test_back_from_a_profile_keeps_the_postcode_search(page, server):
    _, _, nbh, _ = expected_areas(POSTCODE)
    pg, _ = page
    open_app(pg, server, "Postcode_search?postcode=M32%200JG")
    pg.get_by_role("link", name=f"Open the {nbh} profile").click()
    pg.wait_for_function("() => location.pathname.endsWith('/Area_profile')", timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    sync_api.expect(pg.locator("h1").first).to_contain_text(nbh, timeout=60_000)
    pg.go_back(wait_until="commit")
    pg.wait_for_function(
        "() => location.pathname.endsWith('/Postcode_search')"
        " && new URLSearchParams(location.search).get('postcode') === 'M32 0JG'",
        timeout=60_000,
    )
    pg.wait_for_selector(IDLE, timeout=60_000)
    sync_api.expect(pg.get_by_text(f"Neighbourhood: {nbh}", exact=True)).to_be_visible(
        timeout=60_000
    )
    assert pg.get_by_role("textbox", name="Trafford postcode").input_value() == POSTCODE


def test_home_shows_every_neighbourhood_card_and_its_first_finding_on_the_first_screen(
    page,
    server,
):
    """At 1440 × 900, each neighbourhood's card (its name from the ward-to-locality lookup)
    and its first line are visible without scrolling."""
    localities = {r["locality"] for r in rows("lookups/trafford_ward_to_locality.csv")}
    pg, _ = page
    pg.set_viewport_size({"width": 1440, "height": 900})
    open_app(pg, server, "")
    for name in sorted(localities):
        heading = pg.locator("[data-testid='stMain'] h3").filter(has_text=re.compile(f"^{name}$"))
        sync_api.expect(heading).to_have_count(1)
        card = pg.locator("[class*='st-key-card_']").filter(
            has=pg.get_by_role("heading", name=name, exact=True)
        )
        first = card.locator("li").first
        assert on_first_screen(pg, heading), f"{name}'s card is below the first screen"
        sync_api.expect(first).to_contain_text(ISSUE)
        assert on_first_screen(pg, first), f"{name}'s first finding is below the first screen"
