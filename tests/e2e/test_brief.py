"""Every neighbourhood's and PCN's brief opens offline in headless Chromium with all sections."""

from __future__ import annotations

import re

import pytest
import streamlit as st

from jsna.profiles import load_place

SECTIONS = [
    "Summary",
    "Where to act",
    "Spine chart",
    "Map",
    "Every indicator",
    "Every indicator in words",
    "Definitions and sources",
    "Caveats",
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def assert_prints_on_a4(page, code: str) -> None:
    """Printed on A4 portrait: each of the 8 sections starts a page, and no chart or map is
    wider than the printable width (210 mm less 2 × 12 mm margins)."""
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= len(SECTIONS), (code, pages)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(186 / 25.4 * 96), "height": 1100})
    page.wait_for_timeout(300)
    width = page.evaluate("() => document.documentElement.clientWidth")
    for part in page.locator(".chart, .map svg, .chart .main-svg").all():
        b = part.bounding_box()
        assert b is not None, code
        assert b["x"] + b["width"] <= width + 1, (code, b, width)


@pytest.mark.e2e
def test_each_brief_opens_offline_with_all_sections(built_db, monkeypatch, tmp_path):
    from playwright.sync_api import sync_playwright

    from jsna.ui import reports

    monkeypatch.setenv("JSNA_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    place = load_place()
    codes = [n.code for n in place.neighbourhoods] + [p.code for p in place.pcns]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(offline=True)
        for code in codes:
            path = tmp_path / f"{code}.html"
            path.write_text(reports.area_brief(code, "default", "fingertips"), encoding="utf-8")
            page = context.new_page()
            errors: list[str] = []
            external: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on(
                "request",
                lambda r, external=external: (
                    external.append(r.url)
                    if not r.url.startswith(("file:", "data:", "blob:"))
                    else None
                ),
            )
            page.goto(path.as_uri())
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            assert page.locator("h2").all_inner_texts() == SECTIONS, code
            assert page.locator(".js-plotly-plot").count() == 1, code
            # The map is inline SVG: drawn from the file with no network, naming its area.
            svg = page.locator(".map svg")
            assert svg.locator("path").count() >= 4, code
            box = svg.bounding_box()
            assert box is not None, code
            assert box["width"] > 300, (code, box)
            assert box["height"] > 200, (code, box)
            assert f"within {place.name}" in (svg.locator("title").first.text_content() or "")
            for landmark in ("header", "nav", "main"):
                assert page.locator(landmark).count() == 1, (code, landmark)
            if code == codes[0]:
                # On a phone the wide tables scroll inside their own box, not the page.
                page.set_viewport_size({"width": 390, "height": 844})
                page.reload()
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                assert wide <= 390, (code, wide)
                assert page.locator(".scroll[role=region][tabindex='0'] table").count() == 2
                assert_prints_on_a4(page, code)
            assert not errors, (code, errors)
            assert not external, (code, external)
            page.close()
        browser.close()
    st.cache_data.clear()
    st.cache_resource.clear()
