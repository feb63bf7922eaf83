"""A commissioner's questions, answered on the first screen (issue 19, journeys 1, 2 and 6).

Each journey opens one page at 1440 × 900 and at 390 × 844 and checks that the answer's words
and numbers are on screen without scrolling: the bounding box of the exact text lies inside
the viewport. Expected figures come from the issue and the source rows, worked by hand:

- North's diabetes (QOF 2022/23, the registered patients of North Trafford PCN): 3,218 on the
  register of 38,002 patients aged 17+, 3218 / 38002 = 8.468% → "8.5%"; the issue gives +14%
  against England, depression +36% and serious mental illness +63%, each significant at 99.8%.
- Circulatory deaths under 75 (OHID Local Health, 2015-19): Clifford's SMR is 195.7 in
  indicators/ward_data_2017wards/health/deaths_from_circulatory_under75.csv, the highest of
  the 21 wards, published without counts or intervals.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from tests.conftest import SOURCE
from tests.e2e.test_smoke import CHART, Errors, open_app

pytestmark = pytest.mark.e2e

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
CIRCULATORY = SOURCE / "indicators/ward_data_2017wards/health/deaths_from_circulatory_under75.csv"


@pytest.fixture(params=list(SIZES))
def screen(browser, server: str, request) -> Iterator[object]:
    context = browser.new_context(viewport=SIZES[request.param])
    pg = context.new_page()
    errors = Errors()
    pg.on("pageerror", lambda exc: errors.page.append(str(exc)))
    yield pg
    context.close()
    assert not errors.page, f"page errors: {errors.page}"


# The box of the first occurrence of `text` inside `scope` (a CSS selector), found through a
# DOM Range over the text node, so a long paragraph's own height does not matter.
_TEXT_BOX = """([scope, text]) => {
  const root = document.querySelector(scope);
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const r = range.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height};
    }
  }
  return null;
}"""


def assert_on_first_screen(pg, text: str, scope: str = "[data-testid='stMain']") -> None:
    """`text` is shown, whole, inside the viewport (no scrolling needed)."""
    box = pg.evaluate(_TEXT_BOX, [scope, text])
    assert box is not None, f"{text!r} is not on the page"
    view = pg.viewport_size
    assert box["width"] > 0, f"{text!r} is hidden"
    assert box["y"] >= 0, f"{text!r} is above the screen: {box}"
    assert box["y"] + box["height"] <= view["height"], (
        f"{text!r} is below the first screen at {view['width']} px: top at {box['y']:.0f} px"
    )
    assert box["x"] >= 0, f"{text!r}: {box}"
    assert box["x"] + box["width"] <= view["width"], f"{text!r}: {box}"


def test_journey_1_north_against_england_in_plain_words(screen, server: str) -> None:
    pg = screen
    open_app(pg, server, "Area_profile?area=NBH-NORTH")
    diabetes = f"Diabetes (17+): {3218 / 38002 * 100:.1f}% vs 7.5% (+14%)"
    assert diabetes == "Diabetes (17+): 8.5% vs 7.5% (+14%)"
    for text in (
        "Health, compared with England",
        "Higher than England (99.8%)",
        "Serious mental illness: 1.6% vs 1.0% (+63%)",
        "Depression (18+): 18.1% vs 13.2% (+36%)",
        diabetes,
    ):
        assert_on_first_screen(pg, text)
    # Lines compared with the council sit under a heading that says so, after England's.
    body = pg.inner_text("[data-testid='stMain']")
    england = body.index("Health, compared with England")
    council = body.index("Health, compared with Trafford (England has no figure for these)")
    people = body.index("Who lives here and their circumstances, compared with England")
    assert england < council < people
    assert body.count("Large gaps, not tested for significance") == 1
    assert "about 11,000 people apart" in body
    assert "slightly" not in body


def test_journey_2_highest_diabetes_neighbourhood_and_whether_it_is_significant(
    screen,
    server: str,
) -> None:
    pg = screen
    open_app(pg, server, "Compare_areas?indicator=qof_dm")
    answer = ".st-key-answer"
    for text in (
        "Highest of the 4 neighbourhoods: ",
        "North",
        "8.5% (3,218 of 38,002 registered patients)",
        "Higher than England (99.8%)",
        "a significant difference",
        "registered patients of the PCNs that serve it (North: North Trafford PCN",
    ):
        assert_on_first_screen(pg, text, answer)
    # The legend never covers the axis labels: they sit on opposite sides of the plot.
    chart = pg.locator(CHART).first
    chart.scroll_into_view_if_needed()
    legend = chart.locator("g.legend").bounding_box()
    ticks = [t.bounding_box() for t in chart.locator("g.xtick text").all()]
    assert ticks, "the bars have a value axis"
    assert legend is not None
    for tick in ticks:
        assert tick is not None
        overlap_y = tick["y"] < legend["y"] + legend["height"] and legend["y"] < (
            tick["y"] + tick["height"]
        )
        overlap_x = tick["x"] < legend["x"] + legend["width"] and legend["x"] < (
            tick["x"] + tick["width"]
        )
        assert not (overlap_x and overlap_y), f"the legend covers an axis label: {tick}"


def test_journey_6_circulatory_deaths_under_75_by_ward(screen, server: str) -> None:
    pg = screen
    rows = pd.read_csv(CIRCULATORY)
    top = rows.loc[rows["value"].idxmax()]
    assert (top["area_name"], top["value"], len(rows)) == ("Clifford", 195.7, 21)
    open_app(pg, server, "Map?indicator=circulatory_u75_smr&level=ward")
    # Not an all-grey map: coloured by value, and the reason said in words.
    assert_on_first_screen(pg, "so the map is coloured by value: darker blue is higher")
    assert_on_first_screen(pg, "cannot be compared with England")
    assert pg.locator(f"{CHART} .colorbar").count() == 1
    open_app(pg, server, "Compare_areas?indicator=circulatory_u75_smr&level=ward")
    for text in (
        f"Highest of the {len(rows)} wards: ",
        top["area_name"],
        f"{top['value']:.1f} (England = 100)",
        "Not compared: published without counts or confidence intervals",
    ):
        assert_on_first_screen(pg, text, ".st-key-answer")
    # The chart claims no intervals it does not draw.
    title = pg.locator(f"{CHART} .gtitle").first.text_content() or ""
    assert "bars show 95% confidence intervals" not in title
    assert "no confidence intervals" in title
