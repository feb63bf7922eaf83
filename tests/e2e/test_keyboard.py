"""Keyboard alone: tabbing reaches the area profile's pickers and a download, and works them."""

from __future__ import annotations

import pytest

from tests.e2e.harness import IDLE, open_app

pytestmark = pytest.mark.e2e


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const role = el.getAttribute("role") || el.tagName.toLowerCase();
  const name = el.getAttribute("aria-label") || el.innerText || "";
  return role + "|" + name.trim().split("\\n").pop();
}"""


def test_keyboard_alone_reaches_the_pickers_and_a_download_on_the_area_profile(page, server):
    pg, _ = page
    open_app(pg, server, "Area_profile?area=NBH-WEST")
    # Start from the top of the document, as a keyboard user arriving on the page does.
    pg.evaluate(
        "() => { document.activeElement?.blur(); window.getSelection()?.removeAllRanges(); }"
    )
    seen: list[str] = []
    for _ in range(250):
        pg.keyboard.press("Tab")
        seen.append(pg.evaluate(FOCUSED))
        if any(s.startswith("button|") and "Download" in s for s in seen) and any(
            "Show the working" in s for s in seen
        ):
            break
    assert any(s.startswith("combobox|") and "Area" in s for s in seen), seen
    assert any(s.startswith("combobox|") and "Compare with" in s for s in seen), seen
    assert any(s.startswith("combobox|") and "Show the working" in s for s in seen), seen
    assert any(s.startswith("button|") and "Download" in s for s in seen), seen
    # And the area picker works from the keyboard: focus it, open it, choose another area.
    pg.get_by_role("combobox", name="Area", exact=True).focus()
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => !location.search.includes('area=NBH-WEST')", timeout=30_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    assert "West" not in pg.locator("h1").first.inner_text()
