"""WCAG 2.2 AA in a real browser: axe-core on every page and on the offline HTML brief.

axe-core (MPL-2.0) is vendored in tests/e2e/vendor/ so the check needs no network. Each page
is opened with a real area and indicator chosen through its URL parameters; any serious or
critical violation fails the test and is listed by rule id and target.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st

from tests.e2e.harness import EXCEPTION, open_app
from tests.e2e.test_smoke import PAGES, screenshot

pytestmark = pytest.mark.e2e
# Every page is checked as a phone shows it (and left as a screenshot at that width).
VIEWPORT = {"width": 390, "height": 844}

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules the issue asks for too, failed on at any impact: headings in order.
ALWAYS = {"heading-order"}
BRIEF_RULES = {"landmark-one-main", "region", "page-has-heading-one", "landmark-unique"}
# Every page with a real area and indicator (or its own pickers' values) from the URL.
QUERIES = {
    "home": "",
    "Area_profile": "?area=NBH-WEST",
    "Compare_areas": "?indicator=disabled&level=ward",
    "Map": "?indicator=ethnic_minority&level=ward",
    "PCNs": "?pcn=U66368",
    "Definitions_and_data": "?indicator=bad_health",
    "Where_to_act": "?area=U66368",
    "Build_your_own": "?wards=E05000819,E05000821,E05000822",
    "Overview": "?domain=all",
    "Trends": "?indicator=dementia_qof_la",
    "Compare_indicators": "?level=practice&x=list_65_plus&y=qof_hyp",
    "Population": "?area=NBH-SOUTH",
    "Inequalities": "?indicator=bad_health",
    "Postcode_search": "?postcode=M15%204AB",
    "PCNs_in_England": "?indicator=qof_hyp&pcn=U66368",
}


# Statistics words that belong in the working and on Definitions and data, not on the first
# screen of a page (issue 19): a busy reader sees plain words first.
JARGON = re.compile(
    r"Wilson|Byar|Poisson|chi-square|χ²|logit|regression|Spiegelhalter|overdispers|posterior|"
    r"Bayes|phe_sii|z-score|p-value|winsori|Dobson|random.effects|τ²|simulations",
    re.IGNORECASE,
)
# The text of every visible text node of the main area that lies in the first screen.
_FIRST_SCREEN_TEXT = """() => {
  const root = document.querySelector("[data-testid='stMain']");
  const h = window.innerHeight; const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.checkVisibility({visibilityProperty: true}))
      continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.bottom > 0 && r.top < h && r.width > 0) { out.push(node.textContent); break; }
    }
  }
  return out.join(" | ");
}"""
# Definitions and data is where the methods are named; it is the one page they belong on.
METHOD_PAGES = {"Definitions_and_data"}


def jargon_on_first_screen(pg) -> list[str]:
    """Statistics words in the visible text of the first screen, with a little context."""
    text = pg.evaluate(_FIRST_SCREEN_TEXT)
    return [text[max(0, m.start() - 60) : m.end() + 20] for m in JARGON.finditer(text)]


def axe_violations(pg, always: set[str] = ALWAYS) -> list[str]:
    """Serious and critical WCAG violations on the open page, and any violation of the rules
    in `always`, one line per rule and target."""
    pg.evaluate(AXE)
    options = {
        "runOnly": {"type": "tag", "values": [*TAGS, "best-practice"]},
        "resultTypes": ["violations"],
    }
    # Nothing is excluded: the sidebar's page list is the app's own links (app.py).
    context = {"include": [["html"]]}
    result = pg.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    lines = []
    for v in result["violations"]:
        wcag = any(t in TAGS for t in v["tags"])
        if not (v["id"] in always or (wcag and v["impact"] in ("serious", "critical"))):
            continue
        for node in v["nodes"]:
            target = " ".join(json.dumps(t) for t in node["target"])
            lines.append(f"{v['impact']} {v['id']}: {target} ({node['failureSummary'][:160]})")
    return lines


def test_every_page_is_queried():
    assert set(QUERIES) == set(PAGES)


@pytest.mark.parametrize("width", [VIEWPORT["width"], 1440])
@pytest.mark.parametrize("name", list(QUERIES))
def test_page_has_no_serious_axe_violation(page, server, name, width):
    """At 390 px (the sidebar closed) and at 1440 px (the sidebar and its page links open)."""
    pg, _ = page
    pg.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
    open_app(pg, server, PAGES[name] + QUERIES[name])
    assert pg.locator(EXCEPTION).count() == 0
    unknown = pg.locator("[data-testid='stAlertContentWarning']").filter(has_text="knows")
    assert unknown.count() == 0, f"{name}: the URL parameters were not understood"
    problems = axe_violations(pg)
    # Nothing makes a phone scroll sideways: wide tables and charts scroll inside their box.
    wide = pg.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=stMain]').scrollWidth]"
    )
    assert max(wide) <= width, f"{name} scrolls sideways at {width} px: {wide}"
    screenshot(pg, name)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    jargon = [] if name in METHOD_PAGES else jargon_on_first_screen(pg)
    assert not jargon, f"{name} at {width} px shows statistics words on its first screen: {jargon}"


def test_brief_has_no_serious_axe_violation(built_db, monkeypatch, tmp_path, browser):
    from jsna.app.ui import reports
    from jsna.build.profiles import load_place

    monkeypatch.setenv("JSNA_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    place = load_place()
    context = browser.new_context(offline=True)
    try:
        for code in (place.neighbourhoods[0].code, place.pcns[0].code):
            path = tmp_path / f"{code}.html"
            path.write_text(reports.area_brief(code, "default", "fingertips"), encoding="utf-8")
            pg = context.new_page()
            pg.goto(path.as_uri())
            pg.wait_for_load_state("load")
            # The brief is the app's own page: its landmarks and headings are checked too.
            problems = axe_violations(pg, ALWAYS | BRIEF_RULES)
            assert not problems, f"brief {code}:\n" + "\n".join(problems)
            pg.close()
    finally:
        context.close()
        st.cache_data.clear()
        st.cache_resource.clear()
