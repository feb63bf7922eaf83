"""Many users at once: N concurrent Chromium sessions against a running explorer.

`drive(base_url, sessions)` opens one browser (Debian's chromium) with one context per
session (its own cookies, cache and websockets: a separate user to the server), and every
session opens the same list of pages in turn, all sessions starting together. A page's time
runs from `goto` until the app has drawn its title (or an exception) and the script is idle
again (`[data-testid='stApp'][data-test-script-state='notRunning']`). Errors counted: an
exception element on the page, a timeout, an HTTP status of 400 or more from the app's host
(apart from Streamlit's own base-path probe), a failed request to it or a websocket error,
a JavaScript error.

What is shared, so read the figures with it in mind: the browser runs on the same machine as
the server (on 2 cores their CPU competes), so the many-session time includes the browsers'
own work; the sessions share one Chromium process (or `browsers` of them: its GPU process
draws every WebGL map in software) but not its renderers, cookies or caches. So each page also
gets the server's own time: from the browser's request to run the script to the server's
"script finished" message, read off the websocket frames in the browser's network stack.

`serve(db, port)` (from tests/e2e/harness.py, the harness the browser tests use too) starts a
Streamlit server on a port with a given JSNA_DB and waits until `/_stcore/health` answers; a
context manager.

CLI (a report, not a test): `python -m bench.sessions --db data/jsna.duckdb --sessions 20`
starts a server, warms it with one session (not counted), then times one session (three rounds
of the pages) and N sessions, and prints both p95s, their ratio (target ≤ 3×), the error count, the
server's script-time ratio and its memory (RSS now and at its peak) and CPU use.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

# One harness for the tests and the benchmarks: the server, the browser, the selectors.
from tests.e2e.harness import (  # noqa: E402
    APP,
    BASE_PATH_PROBE,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    IDLE,
    Server,
    free_port,
    launch,
    serve,
    wait_healthy,
)

__all__ = [
    "APP",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "EXCEPTION",
    "IDLE",
    "Server",
    "free_port",
    "serve",
    "wait_healthy",
]

TARGET_RATIO = 3.0

# Every page, each with a real area and indicator chosen through its URL parameters.
EVERY_PAGE = [
    "",
    "Area_profile?area=NBH-WEST",
    "Compare_areas?indicator=disabled&level=ward",
    "Map?indicator=ethnic_minority&level=ward",
    "PCNs?pcn=U66368",
    "Definitions_and_data?indicator=bad_health",
    "Where_to_act?area=U66368",
    "Build_your_own?wards=E05000819,E05000821,E05000822",
    "Overview?domain=all",
    "Trends?indicator=dementia_qof_la",
    "Compare_indicators?level=practice&x=list_65_plus&y=qof_hyp",
    "Population?area=NBH-SOUTH",
    "Inequalities?indicator=bad_health",
    "Postcode_search?postcode=M15%204AB",
    "PCNs_in_England?indicator=qof_hyp&pcn=U66368",
]
# Home and a few representative pages: a neighbourhood and an English PCN's profile, a
# ward comparison, a map, the local PCNs and the national PCN funnel.
DEFAULT_PATHS = [
    "",
    "Area_profile?area=NBH-WEST",
    "Area_profile?area=U89141",
    "Compare_areas?indicator=disabled&level=ward",
    "Map?indicator=ethnic_minority&level=ward",
    "PCNs?pcn=U66368",
    "PCNs_in_England?indicator=qof_hyp&pcn=U66368",
]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (the smallest value with at least q% of values at or below)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class PageTime:
    session: int
    path: str
    seconds: float


@dataclass
class SessionResult:
    """Every page time and error of one run of `drive`."""

    sessions: int
    times: list[PageTime] = field(default_factory=list)  # in the browser, goto to idle
    script_times: list[PageTime] = field(default_factory=list)  # the server's run, see _session
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def seconds(self) -> list[float]:
        return [t.seconds for t in self.times]

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    @property
    def script_p95(self) -> float:
        return percentile([t.seconds for t in self.script_times], 95)

    def summary(self) -> str:
        script = [t.seconds for t in self.script_times]
        return (
            f"{self.sessions:>3} session(s): {len(self.times)} pages in {self.wall_s:.1f} s, "
            f"page p50 {self.p50:.2f} s, p95 {self.p95:.2f} s; server script p50 "
            f"{percentile(script, 50):.2f} s, p95 {self.script_p95:.2f} s; "
            f"errors {len(self.errors)}"
        )


async def _session(
    context: object,
    base_url: str,
    paths: Sequence[str],
    index: int,
    timeout_s: float,
    result: SessionResult,
) -> None:
    from playwright.async_api import Error as PlaywrightError
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
    host = urlparse(base_url).netloc
    page = await context.new_page()  # type: ignore[attr-defined]
    current = [""]

    def error(what: str) -> None:
        result.errors.append(f"session {index} /{current[0]}: {what}")

    def on_response(response: object) -> None:
        url = urlparse(response.url)  # type: ignore[attr-defined]
        status = response.status  # type: ignore[attr-defined]
        if url.netloc == host and status >= 400 and not BASE_PATH_PROBE.match(url.path):
            error(f"HTTP {status} {url.path}")

    def on_request_failed(request: object) -> None:
        # Other hosts (the icon font; no internet here) are not the app's; leaving a page
        # aborts its pending requests.
        failure = request.failure or ""  # type: ignore[attr-defined]
        if urlparse(request.url).netloc == host and "ERR_ABORTED" not in failure:  # type: ignore[attr-defined]
            error(f"request failed {request.url}: {failure}")  # type: ignore[attr-defined]

    # The server's own time for a page: from the browser's request to run the script to the
    # server's "script finished", read off the websocket frames in the browser's network
    # stack (not its busy page renderer). Early finishes (st.rerun) are not the end.
    asked: list[float] = []

    def on_sent(payload: str | bytes) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == (
            "rerun_script"
        ):
            asked.append(time.perf_counter())

    def on_received(payload: str | bytes) -> None:
        if not asked or not isinstance(payload, bytes) or len(payload) > 512:
            return  # "script finished" is a few bytes; leave the charts unparsed
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != EARLY:
            result.script_times.append(
                PageTime(index, current[0], time.perf_counter() - asked.pop(0))
            )

    def on_websocket(ws: object) -> None:
        ws.on("socketerror", lambda msg: error(f"websocket error: {msg}"))  # type: ignore[attr-defined]
        if ws.url.endswith("/_stcore/stream"):  # type: ignore[attr-defined]
            ws.on("framesent", on_sent)  # type: ignore[attr-defined]
            ws.on("framereceived", on_received)  # type: ignore[attr-defined]

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("websocket", on_websocket)
    page.on("pageerror", lambda exc: error(f"page error: {exc}"))
    try:
        for path in paths:
            current[0] = path
            began = time.perf_counter()
            try:
                await page.goto(
                    f"{base_url}/{path}", wait_until="domcontentloaded", timeout=timeout_s * 1000
                )
                # The first run starts once the websocket is up: a title (or an exception)
                # means it has started; then wait for the script to finish.
                left = timeout_s - (time.perf_counter() - began)
                await page.wait_for_selector(
                    f"{APP} h1, {EXCEPTION}", timeout=max(left, 0.001) * 1000
                )
                left = timeout_s - (time.perf_counter() - began)
                await page.wait_for_selector(IDLE, timeout=max(left, 0.001) * 1000)
            except PlaywrightError as exc:
                error(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
                continue
            result.times.append(PageTime(index, path, time.perf_counter() - began))
            shown = await page.locator(EXCEPTION).count()
            if shown:
                text = await page.locator(EXCEPTION).first.inner_text()
                error(f"exception on the page: {text.splitlines()[0] if text else ''}")
    finally:
        await context.close()  # type: ignore[attr-defined]


async def _drive(
    base_url: str,
    sessions: int,
    paths: Sequence[str],
    timeout_s: float,
    rounds: int,
    browsers: int,
) -> SessionResult:
    from playwright.async_api import async_playwright

    result = SessionResult(sessions)
    async with async_playwright() as pw:
        launched = await asyncio.gather(*(launch(pw) for _ in range(min(browsers, sessions))))
        try:
            # Every context is open before any session starts; sessions take turns by browser.
            contexts = await asyncio.gather(
                *(
                    launched[i % len(launched)].new_context(
                        viewport={"width": 1440, "height": 1000}
                    )
                    for i in range(sessions)
                )
            )
            began = time.perf_counter()
            outcomes = await asyncio.gather(
                *(
                    _session(context, base_url, list(paths) * rounds, i, timeout_s, result)
                    for i, context in enumerate(contexts)
                ),
                return_exceptions=True,
            )
            result.wall_s = time.perf_counter() - began
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    result.errors.append(f"session crashed: {outcome!r}")
        finally:
            for browser in launched:
                await browser.close()
    return result


def drive(
    base_url: str,
    sessions: int,
    paths: Sequence[str] | None = None,
    timeout_s: float = 120,
    rounds: int = 1,
    browsers: int = 1,
) -> SessionResult:
    """Run `sessions` browser sessions at once, each opening `paths` in turn `rounds` times.

    The sessions are contexts spread over `browsers` Chromium processes (one by default).
    """
    if sessions < 1:
        raise ValueError("sessions must be at least 1")
    return asyncio.run(
        _drive(base_url.rstrip("/"), sessions, paths or DEFAULT_PATHS, timeout_s, rounds, browsers)
    )


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    total = sum(ticks[:8])  # guest time is already inside user and nice
    return (total - idle) / os.sysconf("SC_CLK_TCK"), total / os.sysconf("SC_CLK_TCK")


def tracebacks(log: Path) -> int:
    """Python tracebacks the server wrote to its log."""
    return log.read_text(errors="replace").count("Traceback (most recent call last)")


def print_errors(result: SessionResult, limit: int = 10) -> None:
    for line in result.errors[:limit]:
        print(f"  error: {line}")
    if len(result.errors) > limit:
        print(f"  … and {len(result.errors) - limit} more")


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def compare(single: SessionResult, many: SessionResult) -> float:
    """Print both runs, each page's medians, and the p95 ratios; returns the page p95 ratio."""
    n = many.sessions
    head = f"{'page 1':>7} {f'page {n}':>8} {'script 1':>9} {f'script {n}':>10}"
    print(f"{'median s by page':<44} {head}")
    for path in dict.fromkeys(t.path for t in single.times + many.times):
        medians = [
            percentile([t.seconds for t in times if t.path == path], 50)
            for times in (single.times, many.times, single.script_times, many.script_times)
        ]
        print(
            f"/{path[:43]:<43} "
            + " ".join(f"{m:>{w}.2f}" for m, w in zip(medians, (7, 8, 9, 10), strict=True))
        )
    print(single.summary())
    print(many.summary())
    ratio = many.p95 / single.p95
    verdict = "PASS" if ratio <= TARGET_RATIO and not many.errors else "FAIL"
    print(
        f"p95 ratio {n} sessions / 1 session: page {ratio:.2f}× "
        f"(target ≤ {TARGET_RATIO:.0f}×, 0 errors) {verdict}; "
        f"server script {many.script_p95 / single.script_p95:.2f}×",
        flush=True,
    )
    return ratio


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "jsna.duckdb")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--url", help="drive a running server instead of starting one")
    parser.add_argument("--every-page", action="store_true", help="every page, not a sample")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the single session")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per page")
    parser.add_argument("--browsers", type=int, default=1, help="Chromium processes to share")
    args = parser.parse_args(argv)
    paths = EVERY_PAGE if args.every_page else DEFAULT_PATHS
    print(f"Pages: {', '.join('/' + p for p in paths)}")

    def run(url: str, server: Server | None) -> None:
        warm = drive(url, 1, paths, args.timeout)
        print(f"warm-up (not counted): {warm.summary()}", flush=True)
        print_errors(warm)
        if server is not None:
            rss, peak = server.rss_mb()
            print(f"server memory after every page once: RSS {rss:.0f} MB, peak {peak:.0f} MB")
        print(f"one session, {args.rounds} rounds ({load()})", flush=True)
        single = drive(url, 1, paths, args.timeout, rounds=args.rounds)
        print(f"{args.sessions} sessions at once ({load()})", flush=True)
        cpu = server.cpu_s() if server else 0.0
        busy, total = machine_cpu_s()
        many = drive(url, args.sessions, paths, args.timeout, browsers=args.browsers)
        busy, total = (a - b for a, b in zip(machine_cpu_s(), (busy, total), strict=True))
        compare(single, many)
        print_errors(many)
        if server is not None:
            used = server.cpu_s() - cpu
            rss, peak = server.rss_mb()
            print(
                f"server during the {args.sessions}-session run: {used:.0f} CPU s, "
                f"{used / max(len(many.times), 1):.2f} s a page, "
                f"{used / many.wall_s:.0%} of one core; "
                f"RSS {rss:.0f} MB, peak {peak:.0f} MB; "
                f"tracebacks in its log: {tracebacks(server.log)}"
            )
            # Where the CPU went: when the cores are busy and the server is not, the page times
            # measure the browsers sharing this machine, not the app.
            print(
                f"this machine's {os.cpu_count()} cores were {busy / max(total, 1e-9):.0%} busy "
                f"during the run: {busy:.0f} CPU s, of which {used:.0f} the server's and "
                f"{busy - used:.0f} everything else's (the browsers, and any other jobs)"
            )
        print(f"at the end: {load()}")

    if args.url:
        run(args.url.rstrip("/"), None)
    else:
        with serve(args.db) as server:
            run(server.url, server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
