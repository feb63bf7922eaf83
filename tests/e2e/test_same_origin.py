"""The app asks nothing of any other site, and runs under the deploy config's headers.

Chromium opens pages through Debian's nginx with deploy/nginx.conf in front of the real app,
recording every request the page makes: each must go to the app's own origin (no fonts, no
favicon, no map tiles from elsewhere), and the Content-Security-Policy nginx sends must
not block anything the page needs (a blocked load is a console error, which fails the test).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from deploy.nginx import nginx_binary, running
from tests.e2e.harness import APP, CHART, CHARTS_DRAWN, MAPS_LOADED, free_port, open_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def proxied(
    server: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The app behind nginx with the deploy config (one replica)."""
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: run `make nginx`")
    replica = urlparse(server).netloc
    with running([replica], free_port(), tmp_path_factory.mktemp("nginx")) as nginx:
        yield nginx.url


@pytest.mark.parametrize("path", ["", "Map?level=ward", "Area_profile"])
def test_every_request_of_a_page_goes_to_the_apps_own_origin(browser, proxied, path):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    requests: list[str] = []
    console: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        open_app(pg, proxied, path)
        if path.startswith("Map") or not path:
            # The map drawn and everything it asked for (style, sources, glyphs) loaded.
            pg.locator(CHART).first.wait_for(timeout=30_000)
            pg.wait_for_function(CHARTS_DRAWN, timeout=30_000)
            pg.wait_for_function(MAPS_LOADED, timeout=30_000)
        assert pg.locator(f"{APP} h1").count() >= 1
    finally:
        context.close()
    origin = urlparse(proxied)
    elsewhere = [
        u
        for u in requests
        if urlparse(u).scheme not in ("data", "blob")
        and (urlparse(u).hostname, urlparse(u).port) != (origin.hostname, origin.port)
    ]
    assert len(requests) > 5, requests  # the page did load its scripts and styles
    assert elsewhere == [], elsewhere
    blocked = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert blocked == [], blocked
