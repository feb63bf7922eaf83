"""Any English PCN in a real browser: opened by its code alone, its charts draw."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.test_smoke import (  # noqa: F401 (fixtures)
    EXCEPTION,
    assert_charts_drawn,
    browser,
    open_app,
    page,
    server,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("Area_profile?area=U89141", "Stockton PCN (PCN, U89141)"),
        ("Compare_areas?area=U87499&indicator=qof_dm", "inside G3 PCN (PCN, U87499)"),
    ],
)
def test_a_pcn_outside_trafford_opened_by_url_draws_its_chart(page, server, path, heading):  # noqa: F811
    pg, _ = page
    open_app(pg, server, path)
    assert pg.locator(EXCEPTION).count() == 0
    assert heading in pg.locator("h1").first.inner_text()
    assert_charts_drawn(pg, path.split("?")[0])
    params = parse_qs(urlparse(pg.url).query)
    assert params.get("scope") == ["england"], pg.url
    assert "2022/23" in pg.locator("[data-testid='stMain']").inner_text()
