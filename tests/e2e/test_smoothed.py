"""Smoothed small-area values in a real browser, at 1440 and 390 px (issue 18 item 5).

The choice is visible, the explanation is on screen, a hover label reads the smoothed value,
its credible interval and its chance in words, the legend fits the chart, and axe-core finds
nothing (no exclusions).
"""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.e2e.harness import CHART, EXCEPTION, open_app
from tests.e2e.test_a11y import axe_violations
from tests.e2e.test_smoke import assert_charts_drawn, screenshot

pytestmark = pytest.mark.e2e

VIEWS = {
    "Map": "Map?indicator=bad_health&level=lsoa&figures=smoothed&colour=value",
    "Compare_areas": "Compare_areas?indicator=bad_health&level=ward&figures=smoothed",
}


def _check(pg, name: str, width: int) -> None:
    assert pg.locator(EXCEPTION).count() == 0
    choice = pg.get_by_role("combobox", name="Figures", exact=True)
    sync_api.expect(choice).to_be_visible()
    assert choice.input_value() == "Smoothed"
    note = pg.locator(".st-key-smoothing_note")
    sync_api.expect(note).to_contain_text("pulls each small area")
    assert_charts_drawn(pg, name)
    # The legend (and a map's colour bar title) lies inside its chart, at any width.
    chart = pg.locator(CHART).first
    box = chart.bounding_box()
    for el in chart.locator(".legendtext, .cbtitle text").all():
        b = el.bounding_box()
        if b is None:
            continue
        assert b["x"] >= box["x"] - 1, (name, width, el.text_content())
        assert b["x"] + b["width"] <= box["x"] + box["width"] + 1, (name, width, el.text_content())
        assert b["height"] >= 10, (name, width, el.text_content())  # readable text, not squashed
    wide = pg.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=stMain]').scrollWidth]"
    )
    assert max(wide) <= width, f"{name} scrolls sideways at {width} px: {wide}"


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("name", list(VIEWS))
def test_smoothed_values_are_offered_explained_and_accessible(page, server, name, width):
    pg, _ = page
    pg.set_viewport_size({"width": width, "height": 1000})
    open_app(pg, server, VIEWS[name])
    _check(pg, name, width)
    problems = axe_violations(pg)
    screenshot(pg, f"smoothed-{name}")
    assert not problems, f"{name} at {width} px:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_bars_hover_reads_its_smoothed_value_in_words(page, server, width):
    pg, _ = page
    pg.set_viewport_size({"width": width, "height": 1000})
    open_app(pg, server, VIEWS["Compare_areas"])
    bar = pg.locator(f"{CHART} .bars .point path").first
    bar.evaluate("el => el.scrollIntoView({block: 'center'})")
    pg.wait_for_timeout(300)
    # Plotly's drag layer lies over the bars and takes the pointer: move the mouse there.
    b = bar.bounding_box()
    assert b is not None
    pg.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    label = pg.locator(f"{CHART} .hoverlayer .hovertext").first
    sync_api.expect(label).to_be_visible(timeout=10_000)
    text = label.text_content() or ""
    assert "Smoothed:" in text
    assert "95% credible interval" in text
    assert "chance its true value is higher than" in text
    assert "As published:" in text
    # The label stays on screen, so it can be read on a phone.
    b = label.bounding_box()
    assert b is not None
    assert b["x"] >= 0
    assert b["x"] + b["width"] <= width
