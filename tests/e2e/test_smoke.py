"""Browser smoke tests: the real app in Debian's chromium via Playwright.

One Streamlit server per module, pointed at the database built from the real data. Every
page (discovered from pages/) must run without an exception, draw its charts and leave a
screenshot in artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

from playwright import sync_api  # noqa: E402 (a missing Playwright fails, never skips)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
APP = "[data-testid='stApp']"
IDLE = f"{APP}[data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
CHART = "[data-testid='stPlotlyChart']"
# Page name -> URL path: the file name without its number prefix and ".py"; home is "/".
PAGES = {"home": ""} | {
    name: name
    for name in (re.sub(r"^\d+_", "", p.stem) for p in sorted((ROOT / "pages").glob("*.py")))
}
CHART_PAGES = {"home", "Area_profile", "Compare_areas", "Map", "PCNs"}
MAP_PAGES = {"home", "Map"}  # MapLibre maps draw on a WebGL canvas
BASE_PATH_PROBE = re.compile(
    r"404 \(Not Found\) \[https?://[^/]+/[^/\]]+/_stcore/(health|host-config)\]"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    log = log_path.open("w+")
    env = {**os.environ, "JSNA_DB": str(built_db)}
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "streamlit"),
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            # Others may edit the sources while the tests run: no reloads mid-test.
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not answer within 60 s:\n{log.read()}")
            time.sleep(0.3)
        yield url
        if proc.poll() is not None:
            pytest.fail(f"streamlit died ({proc.returncode}); log: {log_path}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found; run `make chromium`")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Errors:
    console: list[str] = field(default_factory=list)
    page: list[str] = field(default_factory=list)

    def ignorable(self, base: str) -> list[str]:
        """Console errors that are not the app's fault (reported, not failed on).

        Failed fetches to other hosts, and Streamlit's own base-path probe: on a page URL
        such as /Map the frontend first tries /Map/_stcore/health and /Map/_stcore/host-config,
        gets a 404, and falls back to /_stcore/.
        """
        host = urlparse(base).netloc
        return [
            e
            for e in self.console
            if "Failed to load resource" in e
            and (host not in e or BASE_PATH_PROBE.search(e) is not None)
        ]


# A module may set its own VIEWPORT (test_a11y checks phones at 390 px wide).
VIEWPORT = {"width": 1440, "height": 1000}


@pytest.fixture
def page(browser, server: str, request) -> Iterator[tuple[object, Errors]]:
    context = browser.new_context(viewport=getattr(request.module, "VIEWPORT", VIEWPORT))
    pg = context.new_page()
    errors = Errors()

    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            errors.console.append(f"{msg.text} [{loc.get('url', '')}]")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: errors.page.append(str(exc)))
    yield pg, errors
    context.close()
    ignored = errors.ignorable(server)
    if ignored:
        print("ignored console errors:", *ignored, sep="\n  ")
    assert not errors.page, f"page errors: {errors.page}"
    other = [e for e in errors.console if e not in ignored]
    assert not other, f"console errors: {other}"


def open_app(pg, server: str, path: str) -> None:
    """Open a URL and wait until the script has run and the page has settled."""
    pg.goto(f"{server}/{path}", wait_until="domcontentloaded")
    pg.wait_for_selector(APP, timeout=60_000)
    # The first run starts after the websocket connects; a title means it has started.
    pg.wait_for_selector(f"{APP} h1", timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    pg.wait_for_timeout(1500)
    pg.wait_for_selector(IDLE, timeout=60_000)


def screenshot(pg, name: str) -> None:
    """The whole page (Streamlit scrolls inside its main block) to artifacts/screenshots/."""
    size = pg.viewport_size
    height = pg.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 8000)})
    pg.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
    pg.set_viewport_size(size)


def assert_charts_drawn(pg, name: str, required: bool = True) -> None:
    """Every plotly chart on the page drew its SVG (and maps their WebGL canvas)."""
    charts = pg.locator(CHART)
    if required:
        sync_api.expect(charts.first).to_be_visible(timeout=30_000)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        sync_api.expect(chart.locator(".js-plotly-plot .main-svg").first).to_be_attached(
            timeout=30_000
        )
    if name in MAP_PAGES:
        sync_api.expect(charts.locator("canvas").first).to_be_attached(timeout=30_000)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_exception(page, server, name):
    pg, _ = page
    open_app(pg, server, PAGES[name])
    screenshot(pg, name)
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    # Pages not known to draw charts (e.g. new ones) are still checked if they do.
    assert_charts_drawn(pg, name, required=name in CHART_PAGES)


def test_area_profile_deep_link_opens_a_pcn(page, server):
    pg, _ = page
    open_app(pg, server, "Area_profile?area=U66368")
    assert pg.locator(EXCEPTION).count() == 0
    assert "North Trafford" in pg.locator("h1").first.inner_text()


def test_compare_areas_deep_link_by_ward(page, server):
    pg, _ = page
    open_app(pg, server, "Compare_areas?indicator=disabled&level=ward")
    assert pg.locator(EXCEPTION).count() == 0
    # A selectbox is a combobox <input> whose value is the chosen option's label.
    picker = pg.get_by_role("combobox", name="Indicator", exact=True)
    assert "Disabled under the Equality Act" in picker.input_value()
    assert_charts_drawn(pg, "Compare_areas")
    title = pg.locator(f"{CHART} .gtitle").first.text_content() or ""
    assert "by wards" in title


def test_map_deep_link_keeps_its_url_and_draws(page, server):
    pg, _ = page
    open_app(pg, server, "Map?indicator=ethnic_minority&level=lsoa")
    assert pg.locator(EXCEPTION).count() == 0
    params = parse_qs(urlparse(pg.url).query)
    assert params.get("indicator") == ["ethnic_minority"], pg.url
    assert params.get("level") == ["lsoa"], pg.url
    assert_charts_drawn(pg, "Map")


def test_area_profile_bad_parameter_warns(page, server):
    pg, _ = page
    open_app(pg, server, "Area_profile?area=NOPE")
    assert pg.locator(EXCEPTION).count() == 0
    warning = pg.locator("[data-testid='stAlertContentWarning']").filter(has_text="NOPE")
    sync_api.expect(warning.first).to_be_visible()
