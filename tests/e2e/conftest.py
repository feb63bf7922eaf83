"""Browser fixtures: one Streamlit server and one Chromium per test session (tests/e2e/harness.py).

Every test gets its own browser context (its own cookies, storage and websocket: a new
session to the server), so sharing the server and the browser shares no state a test sees.
The e2e tests run after every other test (tests/conftest.py), so the browser's event loop is
gone before anything else needs asyncio.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright import sync_api

from tests.conftest import AppServer
from tests.e2e import harness

# A module may set its own VIEWPORT (test_a11y checks phones at 390 px wide).
VIEWPORT = {"width": 1440, "height": 1000}


@pytest.fixture(scope="session")
def server(app_server: AppServer) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        try:
            b = harness.launch(pw)
        except FileNotFoundError as exc:
            pytest.fail(str(exc))
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    """A new page in a new context; no JavaScript error and no console error of the app's."""
    context = browser.new_context(viewport=getattr(request.module, "VIEWPORT", VIEWPORT))
    pg = context.new_page()
    errors = harness.Errors()
    errors.watch(pg)
    yield pg, errors
    context.close()
    ignored = errors.ignorable(server)
    if ignored:
        print("ignored console errors:", *ignored, sep="\n  ")
    assert not errors.page, f"page errors: {errors.page}"
    other = [e for e in errors.console if e not in ignored]
    assert not other, f"console errors: {other}"
