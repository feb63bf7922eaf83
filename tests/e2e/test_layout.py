"""Phones and desktops: maps show their whole area, tables keep their benchmark columns,
page links keep their whole label, and no page scrolls sideways at 390 px."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.e2e.harness import CHART, EXCEPTION, IDLE, open_app

pytestmark = pytest.mark.e2e
VIEWPORT = {"width": 390, "height": 844}

# Every map on the page: the box of its GeoJSON features, what MapLibre shows, and where the
# chart sits on the screen.
MAPS = """() => Array.from(document.querySelectorAll('.stPlotlyChart .js-plotly-plot'))
  .filter(gd => gd._fullLayout.map && gd._fullLayout.map._subplot.map)
  .map(gd => {
    const xy = gd._fullData.filter(t => t.type === 'choroplethmap')
      .flatMap(t => t.geojson.features.flatMap(f => f.geometry.coordinates.flat(Infinity)));
    const lons = xy.filter((_, i) => i % 2 === 0), lats = xy.filter((_, i) => i % 2 === 1);
    const seen = gd._fullLayout.map._subplot.map.getBounds();
    const box = gd.getBoundingClientRect();
    return {
      area: [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)],
      seen: [seen.getWest(), seen.getEast(), seen.getSouth(), seen.getNorth()],
      left: box.left, right: box.right, title: gd._fullLayout.title.text,
    };
  })"""


# Every map has taken the height its frame gives it (it starts short, then grows).
SIZED = """() => {
  const gds = Array.from(document.querySelectorAll('.stPlotlyChart .js-plotly-plot'))
    .filter(gd => gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot);
  return gds.length > 0 && gds.every(gd =>
    Math.abs(gd._fullLayout.height - gd.closest('.stPlotlyChart').clientHeight) < 3);
}"""


# MapLibre has fitted its view to the new size: every map loaded, still, and showing the
# same bounds for 10 frames running.
STILL = """() => {
  const maps = Array.from(document.querySelectorAll('.stPlotlyChart .js-plotly-plot'))
    .filter(gd => gd._fullLayout.map && gd._fullLayout.map._subplot.map)
    .map(gd => gd._fullLayout.map._subplot.map);
  const now = JSON.stringify(maps.map(m => m.getBounds().toArray()));
  const still = maps.length > 0 && maps.every(m => m.loaded() && !m.isMoving());
  window.__mapFrames = still && now === window.__mapBounds ? (window.__mapFrames || 0) + 1 : 0;
  window.__mapBounds = now;
  return window.__mapFrames >= 10;
}"""


def _maps(pg) -> list[dict]:
    charts = pg.locator(CHART)
    sync_api.expect(charts.locator("canvas").first).to_be_attached(timeout=30_000)
    pg.wait_for_function(SIZED, timeout=30_000)
    pg.wait_for_function(STILL, polling="raf", timeout=30_000)
    return pg.evaluate(MAPS)


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize(
    "path", ["", "Map?indicator=ethnic_minority&level=ward", "Map?indicator=bad_health&level=lsoa"]
)
def test_map_shows_its_whole_area_on_screen(page, server, path, width):
    pg, _ = page
    pg.set_viewport_size({"width": width, "height": 900})
    open_app(pg, server, path)
    assert pg.locator(EXCEPTION).count() == 0
    maps = _maps(pg)
    assert maps, "no map drawn"
    for m in maps:
        west, east, south, north = m["area"]
        s_west, s_east, s_south, s_north = m["seen"]
        where = f"{path or 'home'} at {width} px: {m}"
        assert s_west <= west, f"west edge cut, {where}"
        assert s_east >= east, f"east edge cut, {where}"
        assert s_south <= south, f"south edge cut, {where}"
        assert s_north >= north, f"north edge cut, {where}"
        # ...and not a speck in a big box: the area spans most of the width or height.
        share = max((east - west) / (s_east - s_west), (north - south) / (s_north - s_south))
        assert share > 0.8, f"the area fills only {share:.0%}, {where}"
        assert m["left"] >= 0, f"off screen, {where}"
        assert m["right"] <= width, f"off screen, {where}"
    if path.startswith("Map"):
        assert "Trafford" in maps[0]["title"], "the map names its place"


def test_compare_table_shows_england_and_the_council_on_a_phone(page, server):
    pg, _ = page
    open_app(pg, server, "Compare_areas?indicator=disabled&level=ward")
    table = pg.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    # The grid draws on a canvas; the table behind it for screen readers lists the columns
    # in view.
    headers = table.locator("th")
    sync_api.expect(headers.first).to_be_attached(timeout=30_000)
    names = [h.text_content() for h in headers.all()]
    assert "England" in names, names
    box = table.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= VIEWPORT["width"], "the table scrolls inside its box"


def test_page_link_label_is_not_cut_on_a_phone(page, server):
    pg, _ = page
    open_app(pg, server, "Map?indicator=ethnic_minority&level=ward")
    label = pg.locator(
        "[data-testid='stMain'] [data-testid='stPageLink'] [data-testid='stMarkdownContainer']"
    ).first
    sync_api.expect(label).to_contain_text("funnel plot")
    fits = label.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert fits, "the link's label is cut"


@pytest.mark.parametrize("width", [390, 1440])
def test_choosing_a_page_in_the_sidebar_closes_it_on_a_phone_only(page, server, width):
    """Given the sidebar open (on a phone it lies over the page), when a page is chosen from
    its list, then on a phone the sidebar closes and shows the page; on a desktop, where it
    sits beside the page, it stays open."""
    pg, _ = page
    pg.set_viewport_size({"width": width, "height": 844})
    open_app(pg, server, "")
    sidebar = pg.locator("[data-testid='stSidebar']")
    if width < 768:
        assert sidebar.get_attribute("data-collapsed") == "true"
        pg.locator("[data-testid='stExpandSidebarButton']").click()
    sync_api.expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_role("link", name="Map", exact=True).click()
    pg.wait_for_function("() => location.pathname.endsWith('/Map')", timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    expected = "true" if width < 768 else "false"
    sync_api.expect(sidebar).to_have_attribute("data-collapsed", expected)
    if width < 768:
        box = sidebar.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, f"the sidebar still shows: {box}"
