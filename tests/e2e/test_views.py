"""The Fingertips-parity views in a real browser: a cell opens the area's profile, charts draw.

Any English PCN opens by its code alone and draws its chart.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.harness import EXCEPTION, open_app, painted
from tests.e2e.test_smoke import assert_charts_drawn

pytestmark = pytest.mark.e2e


def test_choosing_an_overview_cell_opens_that_areas_profile_with_the_benchmark(page, server):
    pg, _ = page
    open_app(pg, server, "Overview?benchmark=la")
    assert pg.locator(EXCEPTION).count() == 0
    cell = pg.locator("table.ov td a[href*='area=NBH-WEST']").first
    cell.scroll_into_view_if_needed()
    cell.click()
    pg.wait_for_url("**/Area_profile?**", timeout=60_000)
    open_app(pg, server, pg.url.split(server + "/", 1)[1])
    params = parse_qs(urlparse(pg.url).query)
    assert params.get("area") == ["NBH-WEST"], pg.url
    assert params.get("benchmark") == ["la"], pg.url
    assert "West" in pg.locator("h1").first.inner_text()


def test_overview_header_stays_in_view_while_the_grid_scrolls(page, server):
    pg, _ = page
    open_app(pg, server, "Overview")
    wrap = pg.locator(".ov-wrap")
    header = pg.locator("table.ov thead th", has_text="Trafford").first
    top_before = header.bounding_box()["y"]
    wrap.evaluate("el => el.scrollTop = 600")
    painted(pg)
    assert header.bounding_box()["y"] == pytest.approx(top_before, abs=2)


@pytest.mark.parametrize(
    "path",
    ["Trends?indicator=dementia_qof_la", "Compare_indicators?level=pcn&x=list_65_plus&y=qof_hyp"],
)
def test_trend_and_scatter_deep_links_draw_their_charts(page, server, path):
    pg, _ = page
    open_app(pg, server, path)
    assert pg.locator(EXCEPTION).count() == 0
    assert_charts_drawn(pg, path.split("?")[0])


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("Area_profile?area=U89141", "Stockton PCN (PCN, U89141)"),
        ("Compare_areas?area=U87499&indicator=qof_dm", "inside G3 PCN (PCN, U87499)"),
    ],
)
def test_a_pcn_outside_trafford_opened_by_url_draws_its_chart(page, server, path, heading):
    pg, _ = page
    open_app(pg, server, path)
    assert pg.locator(EXCEPTION).count() == 0
    assert heading in pg.locator("h1").first.inner_text()
    assert_charts_drawn(pg, path.split("?")[0])
    # The England scope is what a link to an English area opens by default: the URL is left
    # as it came (writing a default would add a history entry, so Back would seem to fail).
    params = parse_qs(urlparse(pg.url).query)
    assert "scope" not in params, pg.url
    assert params["area"] == [path.split("area=")[1].split("&")[0]], pg.url
    assert "2022/23" in pg.locator("[data-testid='stMain']").inner_text()
