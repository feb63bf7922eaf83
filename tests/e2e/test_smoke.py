"""Browser smoke tests: the real app in Debian's chromium via Playwright.

One Streamlit server and one browser per test session (tests/e2e/conftest.py), pointed at
the database built from the real data. Every page (discovered from pages/) must run without
an exception, draw its charts and leave a screenshot in artifacts/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import ROOT
from tests.e2e.harness import (
    CHART,
    EXCEPTION,
    Errors,  # noqa: F401 (test_journeys imports it from here)
    open_app,
    painted,
)

pytestmark = pytest.mark.e2e

from playwright import sync_api  # noqa: E402 (a missing Playwright fails, never skips)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Page name -> URL path: the file name without its number prefix and ".py"; home is "/".
PAGES = {"home": ""} | {
    name: name
    for name in (re.sub(r"^\d+_", "", p.stem) for p in sorted((ROOT / "pages").glob("*.py")))
}
CHART_PAGES = {"home", "Area_profile", "Compare_areas", "Map", "PCNs"}
MAP_PAGES = {"home", "Map"}  # MapLibre maps draw on a WebGL canvas


def screenshot(pg, name: str) -> None:
    """The whole page (Streamlit scrolls inside its main block) to artifacts/screenshots/."""
    size = pg.viewport_size
    height = pg.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 8000)})
    painted(pg)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
    pg.set_viewport_size(size)


def assert_charts_drawn(pg, name: str, required: bool = True) -> None:
    """Every plotly chart on the page drew its SVG (and maps their WebGL canvas)."""
    charts = pg.locator(CHART)
    if required:
        sync_api.expect(charts.first).to_be_visible(timeout=30_000)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        sync_api.expect(chart.locator(".js-plotly-plot .main-svg").first).to_be_attached(
            timeout=30_000
        )
    if name in MAP_PAGES:
        sync_api.expect(charts.locator("canvas").first).to_be_attached(timeout=30_000)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_exception(page, server, name):
    pg, _ = page
    open_app(pg, server, PAGES[name])
    screenshot(pg, name)
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    # Pages not known to draw charts (e.g. new ones) are still checked if they do.
    assert_charts_drawn(pg, name, required=name in CHART_PAGES)


def test_area_profile_deep_link_opens_a_pcn(page, server):
    pg, _ = page
    open_app(pg, server, "Area_profile?area=U66368")
    assert pg.locator(EXCEPTION).count() == 0
    assert "North Trafford" in pg.locator("h1").first.inner_text()


def test_compare_areas_deep_link_by_ward(page, server):
    pg, _ = page
    open_app(pg, server, "Compare_areas?indicator=disabled&level=ward")
    assert pg.locator(EXCEPTION).count() == 0
    # A selectbox is a combobox <input> whose value is the chosen option's label.
    picker = pg.get_by_role("combobox", name="Indicator", exact=True)
    assert "Disabled under the Equality Act" in picker.input_value()
    assert_charts_drawn(pg, "Compare_areas")
    title = pg.locator(f"{CHART} .gtitle").first.text_content() or ""
    assert "by wards" in title


def test_map_deep_link_keeps_its_url_and_draws(page, server):
    pg, _ = page
    open_app(pg, server, "Map?indicator=ethnic_minority&level=lsoa")
    assert pg.locator(EXCEPTION).count() == 0
    params = parse_qs(urlparse(pg.url).query)
    assert params.get("indicator") == ["ethnic_minority"], pg.url
    assert params.get("level") == ["lsoa"], pg.url
    assert_charts_drawn(pg, "Map")


def test_area_profile_bad_parameter_warns(page, server):
    pg, _ = page
    open_app(pg, server, "Area_profile?area=NOPE")
    assert pg.locator(EXCEPTION).count() == 0
    warning = pg.locator("[data-testid='stAlertContentWarning']").filter(has_text="NOPE")
    sync_api.expect(warning.first).to_be_visible()
