"""One browser harness for the tests and the benchmarks: a server, a browser, a settled page.

Used by tests/e2e (through tests/conftest.py and tests/e2e/conftest.py: one server and one
browser per test session) and by bench/ (`bench.sessions`, `bench.run`, `bench.wsload`,
deploy/bench_replicas.py), so a page is opened and judged ready the same way everywhere.

- `serve(db)`: `streamlit run app.py` on a free port reading `db`, healthy on entry (its
  `/_stcore/health` answers), stopped on exit; no file watcher, so sources edited while it
  runs never reload it.
- `launch(pw)`: Debian's chromium through Playwright, with the flags this machine needs.
- `open_app(pg, base, path)`: open a URL and return once the page is ready: a title or an
  exception drawn (the first run has started), the script idle, no element left stale from
  an earlier run or still a skeleton, and the result painted. Readiness is read off the
  page, never waited out with a fixed sleep.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP = "[data-testid='stApp']"
IDLE = f"{APP}[data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
CHART = "[data-testid='stPlotlyChart']"
# Every plotly chart on the page has drawn its SVG.
CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(e => e.querySelector('.main-svg'))"
)
# Every MapLibre map in a plotly chart (at least one) has loaded its style and sources and
# stopped moving.
MAPS_LOADED = """() => {
  const maps = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]
    .filter(gd => gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot)
    .map(gd => gd._fullLayout.map._subplot.map).filter(Boolean);
  return maps.length > 0 && maps.every(m => m.loaded() && !m.isMoving());
}"""
# The page is ready: the script is idle, no element is left stale from an earlier run
# (Streamlit marks the elements of the previous run stale until the new run replaces them)
# and none is still a skeleton (an element whose code or first drawing is still on its way:
# charts and tables are loaded lazily, after the run's messages).
SETTLED = """() =>
  !!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")
  && !document.querySelector('[data-stale="true"]')
  && !document.querySelector("[data-testid='stSkeleton']")"""
# Two animation frames: the browser has laid out and painted what the last change asked for.
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"
# On a page URL such as /Map the frontend first asks /Map/_stcore/health and
# /Map/_stcore/host-config, gets 404 and falls back to /_stcore/: not an error.
BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")
# The same probe as Chromium's console reports it.
BASE_PATH_PROBE_LOG = re.compile(
    r"404 \(Not Found\) \[https?://[^/]+/[^/\]]+/_stcore/(health|host-config)\]"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def rss_mb(self) -> tuple[float, float]:
        """Resident memory now and at its peak (VmRSS, VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = {k: int(v.split()[0]) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(.+)$", status, re.M)}
        return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024

    def cpu_s(self) -> float:
        """CPU seconds (user + system, all threads) the server has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Errors:
    """A page's JavaScript errors and console errors, as `watch` collects them."""

    console: list[str] = field(default_factory=list)
    page: list[str] = field(default_factory=list)

    def watch(self, pg: Any) -> None:
        def on_console(msg: Any) -> None:
            if msg.type == "error":
                loc = msg.location or {}
                self.console.append(f"{msg.text} [{loc.get('url', '')}]")

        pg.on("console", on_console)
        pg.on("pageerror", lambda exc: self.page.append(str(exc)))

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
            and (host not in e or BASE_PATH_PROBE_LOG.search(e) is not None)
        ]


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    """Poll `/_stcore/health` until it answers 200; stop early if the server exits."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode}; log {log}:\n"
                + log.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not answer within {timeout_s:.0f} s; log: {log}")
        time.sleep(0.2)  # a poll interval, not a wait for readiness


@contextmanager
def serve(
    db: Path,
    port: int | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    timeout_s: float = 60,
) -> Iterator[Server]:
    """A Streamlit server of the app on `port` reading `db`, healthy on entry, stopped on exit."""
    port = port or free_port()
    log = log or Path(f"/tmp/jsna-streamlit-{port}.log")
    command = [
        str(ROOT / ".venv" / "bin" / "streamlit"),
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        # Others may edit the sources while it runs: no reloads mid-run.
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {}), "JSNA_DB": str(Path(db).resolve())},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process, log, timeout_s)
            yield Server(url, port, process, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def launch(pw: Any) -> Any:
    """Debian's chromium, headless, from a (sync or async) Playwright instance."""
    if not Path(CHROMIUM).is_file():
        raise FileNotFoundError(f"{CHROMIUM} not found; run `make chromium`")
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def settle(pg: Any, timeout_s: float = 60) -> None:
    """Wait until the script is idle and nothing on the page is stale or still a skeleton."""
    pg.wait_for_function(SETTLED, timeout=timeout_s * 1000)


def painted(pg: Any) -> None:
    """Wait until the browser has laid out and painted the last change (two frames)."""
    pg.evaluate(PAINTED)


def open_app(pg: Any, base: str, path: str, timeout_s: float = 60) -> None:
    """Open `base/path` (`base` alone when `path` is empty) and return once it is ready.

    Ready: a title or an exception drawn (the first run has started: an idle app before the
    websocket connects is not a ready one), then `settle`, then the result painted.
    """
    pg.goto(f"{base.rstrip('/')}/{path}" if path else base, wait_until="domcontentloaded")
    pg.wait_for_selector(f"{APP} h1, {EXCEPTION}", timeout=timeout_s * 1000)
    settle(pg, timeout_s)
    painted(pg)
