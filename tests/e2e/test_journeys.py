"""A commissioner's questions, answered on the first screen (issue 19, journeys 1, 2, 3 and 6).

Each journey opens one page at 1440 × 900 and at 390 × 844 and checks that the answer's words
and numbers are on screen without scrolling: the bounding box of the exact text lies inside
the viewport. Expected figures come from the issue and the source rows, worked by hand:

- North's diabetes (QOF 2022/23, the registered patients of North Trafford PCN): 3,218 on the
  register of 38,002 patients aged 17+, 3218 / 38002 = 8.468% → "8.5%"; the issue gives +14%
  against England, depression +36% and serious mental illness +63%, each significant at 99.8%.
- Our PCN among similar PCNs (journey 3): North Trafford PCN's registers, the median of the 10
  English PCNs nearest in list size, age and deprivation and its place among them, all read
  from the database with SQL below (the peers found by SQL from `pcn_context`, not by the app).
- Circulatory deaths under 75 (OHID Local Health, 2015-19): Clifford's SMR is 195.7 in
  indicators/ward_data_2017wards/health/deaths_from_circulatory_under75.csv, the highest of
  the 21 wards, published without counts or intervals.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from playwright import sync_api

from tests.conftest import SOURCE
from tests.e2e.harness import APP, CHART, Errors, open_app, settle

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


# The 10 English PCNs nearest North Trafford (U66368): z-scores of log list size, % aged 65+
# and IMD score over the PCNs with a diabetes row and all three measures (deprivation known
# for at least half the list), straight-line distance with equal weights.
PEERS_SQL = """
with f as (
    select c.pcn_code, ln(c.list_size) as l, c.pct_65_plus as a, c.imd_score as d
    from pcn_context as c
    join nhs_areas as n on n.area_code = c.pcn_code and n.area_type = 'pcn'
    join national_values as v
      on v.area_code = c.pcn_code and v.area_type = 'pcn' and v.indicator_id = 'qof_dm'
    where c.list_size is not null and c.pct_65_plus is not null and c.imd_score is not null
      and c.coverage >= 0.5
), z as (
    select pcn_code,
           (l - avg(l) over ()) / stddev_pop(l) over () as zl,
           (a - avg(a) over ()) / stddev_pop(a) over () as za,
           (d - avg(d) over ()) / stddev_pop(d) over () as zd
    from f
)
select b.pcn_code
from z as ours, z as b
where ours.pcn_code = $code and b.pcn_code <> $code
order by (ours.zl - b.zl) ** 2 + (ours.za - b.za) ** 2 + (ours.zd - b.zd) ** 2
limit 10
"""
VALUES_SQL = """
select i.indicator_name, v.area_code, v.value, v.denominator
from national_values as v
join indicators as i on i.indicator_id = v.indicator_id
where v.area_type = 'pcn' and v.indicator_id like 'qof_%' and list_contains($codes, v.area_code)
"""


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def expected_peer_rows(db: Path, code: str) -> list[tuple[str, str, str, str]]:
    """(register, ours, peers' median, our place) furthest from the median first, by SQL."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        peers = [r[0] for r in con.execute(PEERS_SQL, {"code": code}).fetchall()]
        rows = con.execute(VALUES_SQL, {"codes": [code, *peers]}).fetchall()
    finally:
        con.close()
    assert len(peers) == 10
    out = []
    for name in sorted({r[0] for r in rows}):
        ours = [v for n, c, v, _ in rows if n == name and c == code and v is not None]
        theirs = sorted(
            v for n, c, v, d in rows if n == name and c in peers and v is not None and d
        )
        if not ours or not theirs:
            continue
        k = len(theirs)
        median = theirs[k // 2] if k % 2 else (theirs[k // 2 - 1] + theirs[k // 2]) / 2
        place = 1 + sum(v > ours[0] for v in theirs)
        out.append((abs(ours[0] / median - 1), name, ours[0], median, place, k + 1))
    out.sort(key=lambda r: -r[0])
    return [
        (n.removesuffix(": recorded prevalence"), f"{o:.2f}%", f"{m:.2f}%", f"{_ordinal(p)} of {k}")
        for _, n, o, m, p, k in out
    ]


def _inside(pg, box) -> bool:
    view = pg.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= view["height"]
        and box["x"] + box["width"] <= view["width"]
    )


def test_journey_3_our_pcn_among_similar_pcns(screen, server: str, built_db: Path) -> None:
    pg = screen
    expected = expected_peer_rows(built_db, "U66368")
    assert len(expected) >= 15  # several registers at once (21 QOF registers)
    open_app(pg, server, "PCNs?pcn=U66368")
    assert_on_first_screen(pg, "North Trafford against the 10 PCNs in England most like it")
    table = pg.locator("[data-testid='stMain'] [data-testid='stTable'] table").first
    sync_api.expect(table).to_be_visible(timeout=30_000)
    header = [c.strip() for c in table.locator("thead th").all_inner_texts() if c.strip()]
    assert header == ["Register", "Ours", "Peers' median", "Our place (1 = highest)"], header
    shown = [
        tuple(c.strip() for c in r.locator("td, th").all_inner_texts() if c.strip())
        for r in table.locator("tbody tr").all()
    ]
    assert shown == expected
    # Our row, the median and our place for the registers furthest from the peers: on screen.
    for i in range(3):
        row = table.locator("tbody tr").nth(i)
        assert _inside(pg, row.bounding_box()), f"{expected[i]} is below the first screen"
    chart = pg.locator(f".st-key-pcn_peer_gaps {CHART}, {CHART}.st-key-pcn_peer_gaps").first
    sync_api.expect(chart).to_be_visible(timeout=30_000)
    bars = [t.text_content() or "" for t in chart.locator("g.ytick text").all()]
    assert sorted(bars) == sorted(r[0] for r in expected)
    if pg.viewport_size["width"] >= 1000:
        # Beside the table on a desktop, so the small chart is on the first screen too.
        box = chart.bounding_box()
        assert box is not None
        assert box["y"] + 200 <= pg.viewport_size["height"], box


def _after_choice(pg) -> None:
    """Wait for the rerun a choice or Back starts (it may be over already), then for quiet."""
    # A fast rerun can finish before the selector is polled.
    with contextlib.suppress(sync_api.TimeoutError):
        pg.wait_for_selector(f"{APP}[data-test-script-state='running']", timeout=3_000)
    settle(pg)


@pytest.mark.parametrize("path", ["Trends", "Compare_areas", "PCNs", "PCNs_in_England"])
def test_back_after_a_choice_shows_the_page_as_it_was(browser, server: str, path: str) -> None:
    """Opening a page adds one history entry (its defaults are not written into the URL); a
    choice adds one more; Back shows the page as it was before the choice."""
    context = browser.new_context(viewport=SIZES["desktop"])
    pg = context.new_page()
    try:
        open_app(pg, server, "")
        start = pg.evaluate("history.length")
        open_app(pg, server, path)
        assert pg.evaluate("history.length") == start + 1, "opening the page wrote its defaults"
        assert "?" not in pg.url, pg.url
        box = pg.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").first
        before = box.input_value()
        box.click()
        pg.keyboard.press("ArrowDown")
        pg.keyboard.press("ArrowDown")
        pg.keyboard.press("Enter")
        _after_choice(pg)
        after = box.input_value()
        assert after != before
        assert pg.evaluate("history.length") == start + 2, "one choice, one history entry"
        assert "?" in pg.url
        pg.go_back(wait_until="commit")
        pg.wait_for_function("() => !location.search", timeout=60_000)
        _after_choice(pg)
        assert box.input_value() == before, "Back shows the choice from before"
    finally:
        context.close()


def test_a_phone_sidebar_closes_after_choosing_a_page(browser, server: str) -> None:
    context = browser.new_context(viewport=SIZES["phone"])
    pg = context.new_page()
    try:
        open_app(pg, server, "PCNs")
        sidebar = pg.locator("[data-testid='stSidebar']")
        pg.locator("[data-testid='stExpandSidebarButton']").click()
        sync_api.expect(sidebar).to_have_attribute("data-collapsed", "false")
        sidebar.locator("[data-testid='stPageLink-NavLink']", has_text="Trends").click()
        pg.wait_for_function("() => location.pathname.endsWith('/Trends')", timeout=60_000)
        _after_choice(pg)
        sync_api.expect(sidebar).to_have_attribute("data-collapsed", "true")
        box = sidebar.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, f"the sidebar covers the page: {box}"
    finally:
        context.close()


def test_england_pickers_show_whole_names(screen, server: str) -> None:
    """Region and ICB pickers show the whole name (no text cut by the box) at 1440 and 390 px."""
    pg = screen
    open_app(pg, server, "Area_profile?scope=england&area=QHM")
    shown = pg.evaluate(
        """() => [...document.querySelectorAll(
          "[data-testid='stMain'] [data-testid='stSelectbox'] input")].map(
          i => [i.value, i.scrollWidth <= i.clientWidth])"""
    )
    values = [v for v, _ in shown]
    assert "North East and Yorkshire" in values
    assert "NHS North East and North Cumbria ICB" in values
    assert [v for v, fits in shown if not fits] == []
