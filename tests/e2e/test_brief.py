"""Every neighbourhood's and PCN's brief opens offline in headless Chromium with all sections."""

from __future__ import annotations

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
            assert page.locator(".js-plotly-plot").count() == 2, code
            assert not errors, (code, errors)
            assert not external, (code, external)
            page.close()
        browser.close()
    st.cache_data.clear()
    st.cache_resource.clear()
