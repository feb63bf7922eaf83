"""Every neighbourhood's and PCN's brief opens offline and prints on one A4 page."""

from __future__ import annotations

import re

import pytest
import streamlit as st

from jsna.build.profiles import load_place
from tests.e2e.harness import painted

SECTIONS = ["Headline findings", "Where to act", "Map", "Spine chart", "Appendix"]


def pdf_pages(page) -> int:
    pdf = page.pdf(format="A4")
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.e2e
def test_each_brief_opens_offline_and_prints_on_one_a4_page(
    built_db, monkeypatch, tmp_path, browser
):
    from jsna.app.ui import reports

    monkeypatch.setenv("JSNA_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    place = load_place()
    codes = [n.code for n in place.neighbourhoods] + [p.code for p in place.pcns]
    context = browser.new_context(offline=True)
    try:
        for code in codes:
            name = reports.brief_file_name(code)
            # The place and the area in words, and the data's date (the newest source is NHS
            # England's practice-to-PCN mapping of April 2026: gp/trafford_practice_to_pcn_apr2026).
            assert re.fullmatch(r"trafford_brief_[a-z_]+_2026-04\.html", name), name
            assert code.lower().replace("-", "_") not in name, name
            html = reports.area_brief(code, "default", "fingertips")
            assert len(html.encode()) < 200_000, (code, len(html))
            path = tmp_path / name
            path.write_text(html, encoding="utf-8")
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
            page.wait_for_load_state("load")
            assert page.locator("h2").all_inner_texts() == SECTIONS, code
            # The map is inline SVG: drawn from the file with no network, naming its area.
            svg = page.locator(".map svg")
            assert svg.locator("path").count() >= 4, code
            box = svg.bounding_box()
            assert box is not None, code
            assert box["width"] > 300, (code, box)
            assert f"within {place.name}" in (svg.locator("title").first.text_content() or "")
            assert page.locator("table.spine tbody tr").count() >= 1, code
            assert page.locator("#findings li").count() >= 1, code
            for landmark in ("header", "nav", "main"):
                assert page.locator(landmark).count() == 1, (code, landmark)
            # One sheet of A4 as it opens; the appendix prints on further pages once opened.
            assert pdf_pages(page) == 1, code
            page.locator("#appendix summary").click()
            assert pdf_pages(page) > 1, code
            if code == codes[0]:
                # On a phone nothing scrolls sideways: wide tables scroll inside their box.
                page.set_viewport_size({"width": 390, "height": 844})
                painted(page)
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                assert wide <= 390, (code, wide)
            assert not errors, (code, errors)
            assert not external, (code, external)
            page.close()
    finally:
        context.close()
    st.cache_data.clear()
    st.cache_resource.clear()
