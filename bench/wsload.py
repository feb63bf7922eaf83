"""Load without browsers: many users speaking Streamlit's own protocol over its websocket.

A virtual user is what a browser tab is to the server: one websocket on `/_stcore/stream`
(subprotocol "streamlit", the app's own Origin, and the sticky cookie nginx gave its first
page request), one session on the server. It asks for a page the way the frontend does, with a
`BackMsg.rerun_script` carrying the page name and the query string, and the page's time runs
from sending that request to the server's `ForwardMsg.script_finished` (a run that finishes
early for a newer rerun is not the end). Each user walks the pages in its own order, changing
area and indicator from page to page as a reader clicking links would, so sessions are not in
lock step and caches see the mix a busy morning gives. An exception element in any delta, a
compile error, a closed socket or a page that does not finish in time is an error.

Nothing here draws a page, so the figures are the server's: with 2 cores the Chromium sessions
of `bench.sessions` spent 95% of the machine on drawing, and a browser's time could not tell the
app's cost from its own. `--check-browser` times the same pages in one Chromium session too, so
the two clocks can be compared for one user.

CLI (a report, not a test):
`python -m bench.wsload --db data/jsna.duckdb --sessions 1,20,50,100 [--replicas 3]`
starts a server (or N replicas behind Debian's nginx, as deploy/ configures them), warms it with
one user (not counted), then for each session count prints p50 and p95, the ratio of p95 to
one user's, errors, and the server's CPU (seconds a page, share of a core) and memory (RSS,
and per session above the idle process).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from deploy/ or bench/
    sys.path.insert(0, str(ROOT))

from bench.sessions import (  # noqa: E402
    EVERY_PAGE,
    TARGET_RATIO,
    Server,
    free_port,
    load,
    machine_cpu_s,
    percentile,
    serve,
    tracebacks,
)

# What a reader clicks: each page with several areas and indicators, so a user's next page
# is a new area or indicator as often as a new page.
VARIANTS = [
    "",
    "Area_profile?area=NBH-NORTH",
    "Area_profile?area=NBH-WEST",
    "Area_profile?area=U66368",
    "Area_profile?area=U89141",
    "Compare_areas?indicator=disabled&level=ward",
    "Compare_areas?indicator=qof_dm&level=neighbourhood",
    "Compare_areas?indicator=bad_health&level=lsoa",
    "Map?indicator=ethnic_minority&level=ward",
    "Map?indicator=bad_health&level=lsoa",
    "PCNs?pcn=U66368",
    "Where_to_act?area=NBH-CENTRAL",
    "Overview?domain=all",
    "Trends?indicator=dementia_qof_la",
    "Population?area=NBH-SOUTH",
    "PCNs_in_England?indicator=qof_hyp&pcn=U66368",
    "PCNs_in_England?indicator=qof_dm&pcn=U42898",
]


@dataclass
class Result:
    sessions: int
    times: list[tuple[str, float]] = field(default_factory=list)  # (page, seconds)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    def p(self, q: float) -> float:
        return percentile([s for _, s in self.times], q)


def _request(path: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    page, _, query = path.partition("?")
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    msg.rerun_script.page_script_hash = ""
    return msg.SerializeToString()


def _exception(delta: object) -> str | None:
    """The first line of an exception element in a delta, if it is one."""
    new = getattr(delta, "new_element", None)
    if new is None or not delta.HasField("new_element"):  # type: ignore[attr-defined]
        return None
    if new.WhichOneof("type") != "exception":
        return None
    return f"{new.exception.type}: {new.exception.message.splitlines()[0][:120]}"


async def _run(ws: object, path: str, timeout_s: float) -> str | None:
    """Ask for one page on an open session and read until its run ends; the error, if any."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    early = ForwardMsg.FINISHED_EARLY_FOR_RERUN
    done = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
    await ws.send(_request(path))  # type: ignore[attr-defined]
    failed: str | None = None
    async with asyncio.timeout(timeout_s):
        while True:
            msg = ForwardMsg.FromString(await ws.recv())  # type: ignore[attr-defined]
            kind = msg.WhichOneof("type")
            if kind == "delta":
                failed = failed or _exception(msg.delta)
            elif kind == "page_not_found":
                failed = failed or "page not found"
            elif kind == "script_finished" and msg.script_finished != early:
                if msg.script_finished not in done:
                    failed = f"script finished with {msg.script_finished}"
                return failed


async def _user(
    base_url: str,
    paths: Sequence[str],
    index: int,
    timeout_s: float,
    result: Result,
    fresh: bool = False,
    think_s: float = 0.0,
) -> None:
    """One user opening `paths` in turn.

    In one session (following links in one tab), or with `fresh` a new session for each page
    (typing each address), then timed from connecting.
    """
    from websockets.asyncio.client import connect

    parts = urlparse(base_url)
    # A first page request, as a browser makes: behind nginx it brings the sticky cookie.
    cookie = await asyncio.to_thread(_first_request, base_url)

    def session() -> object:
        return connect(
            f"ws://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=f"{parts.scheme}://{parts.netloc}",  # type: ignore[arg-type]
            additional_headers={"Cookie": cookie} if cookie else {},
            max_size=None,
            open_timeout=timeout_s,
        )

    async def timed(ws: object, path: str, began: float) -> bool:
        try:
            failed = await _run(ws, path, timeout_s)
        except TimeoutError:
            result.errors.append(f"user {index} /{path}: no end of run in {timeout_s:.0f} s")
            return False
        if failed:
            result.errors.append(f"user {index} /{path}: {failed}")
        result.times.append((path, time.perf_counter() - began))
        return True

    if fresh:
        for path in paths:
            began = time.perf_counter()
            async with session() as ws:  # type: ignore[attr-defined]
                if not await timed(ws, path, began):
                    return
        return
    pause = random.Random(index)
    async with session() as ws:  # type: ignore[attr-defined]
        for path in paths:
            if not await timed(ws, path, time.perf_counter()):
                return
            if think_s:  # reading the page before the next click
                await asyncio.sleep(pause.expovariate(1 / think_s))


def _first_request(base_url: str) -> str:
    with urllib.request.urlopen(f"{base_url}/", timeout=30) as r:
        r.read()
        cookies = r.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


async def _drive(
    base_url: str, sessions: int, pages: int, timeout_s: float, seed: int, think_s: float
) -> Result:
    result = Result(sessions)
    rng = random.Random(seed)
    walks = [[rng.choice(VARIANTS) for _ in range(pages)] for _ in range(sessions)]
    began = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            _user(base_url, walk, i, timeout_s, result, think_s=think_s)
            for i, walk in enumerate(walks)
        ),
        return_exceptions=True,
    )
    result.wall_s = time.perf_counter() - began
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, BaseException):
            result.errors.append(f"user {i}: {type(outcome).__name__}: {outcome}")
    return result


def drive(
    base_url: str,
    sessions: int,
    pages: int = 10,
    timeout_s: float = 300,
    seed: int = 1,
    think_s: float = 0.0,
) -> Result:
    """`sessions` users at once, each opening `pages` pages (a seeded walk over VARIANTS).

    With `think_s`, each user reads a page for a random time (exponential, that mean) before
    the next; without, every user asks for its next page the moment the last one ends.
    """
    return _to_end(_drive(base_url.rstrip("/"), sessions, pages, timeout_s, seed, think_s))


T = TypeVar("T")


def _to_end(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end; on a thread of its own if this thread runs an event loop.

    A test process that also drives a browser through Playwright's sync API has one running.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def drive_paths(
    base_url: str, paths: Sequence[str], timeout_s: float = 300, fresh: bool = False
) -> Result:
    """One user opening `paths` in order (with `fresh`, a new session for each page)."""
    result = Result(1)
    began = time.perf_counter()
    _to_end(_user(base_url.rstrip("/"), paths, 0, timeout_s, result, fresh))
    result.wall_s = time.perf_counter() - began
    return result


def _rss(servers: Sequence[Server]) -> float:
    return sum(s.rss_mb()[0] for s in servers)


def _cpu(servers: Sequence[Server]) -> float:
    return sum(s.cpu_s() for s in servers)


def report(
    url: str,
    servers: Sequence[Server],
    counts: Sequence[int],
    pages: int,
    timeout_s: float,
    think_s: float = 0.0,
) -> list[str]:
    """Run each session count against `url`; print and return one table row per count."""
    pace = f"reading each page for {think_s:g} s on average" if think_s else "no pause"
    print(f"each user opens {pages} pages, {pace} between them")
    warm = drive(url, 1, len(VARIANTS), timeout_s)
    for server in servers:  # every replica warm, not only the one nginx picked
        drive_paths(server.url, VARIANTS, timeout_s)
    print(f"warm-up (not counted): {len(warm.times)} pages, errors {len(warm.errors)}")
    idle_rss = _rss(servers)
    rows = [
        "| users | pages | p50 s | p95 s | p95 ÷ 1 user | errors | server CPU s a page | "
        "server cores busy (machine) | RSS MB | MB a user |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(rows), flush=True)
    single_p95 = float("nan")
    for n in counts:
        cpu, busy = _cpu(servers), machine_cpu_s()[0]
        res = drive(url, n, pages, timeout_s, seed=n, think_s=think_s)
        used = _cpu(servers) - cpu
        busy = machine_cpu_s()[0] - busy
        rss = _rss(servers)
        if n == 1:
            single_p95 = res.p(95)
        ratio = res.p(95) / single_p95
        row = (
            f"| {n} | {len(res.times)} | {res.p(50):.2f} | {res.p(95):.2f} | {ratio:.1f}× | "
            f"{len(res.errors)} | {used / max(len(res.times), 1):.3f} | "
            f"{used / res.wall_s:.2f} (machine {busy / res.wall_s:.2f}) | {rss:.0f} | "
            f"{(rss - idle_rss) / n:.1f} |"
        )
        rows.append(row)
        print(row, flush=True)
        for line in res.errors[:5]:
            print(f"  error: {line}")
    print(f"target: p95 ≤ {TARGET_RATIO:.0f}× one user's, 0 errors; {load()}")
    print(f"tracebacks in the server logs: {sum(tracebacks(s.log) for s in servers)}")
    return rows


# Where a frame's time is charged: py-spy names a frame "function (path/file.py:line)", the
# path relative to its package root; the first prefix that matches, else "other".
PACKAGES = (
    ("app: jsna/, pages/, app.py", ("jsna/", "app.py", "pages/")),
    ("plotly", ("plotly/", "_plotly_utils/")),
    ("pandas / numpy / pyarrow", ("pandas/", "numpy/", "pyarrow/")),
    ("duckdb", ("duckdb",)),
    ("protobuf", ("google/protobuf/",)),
    ("streamlit", ("streamlit/",)),
    ("server, threads, json", ("starlette/", "uvicorn/", "asyncio/", "threading.py", "json/")),
)
PAGE_FILE = re.compile(r"^\d+_\w+\.py$")  # a page script, shown without its folder


def _package(frame: str) -> str:
    path = frame.rpartition("(")[2].rpartition(":")[0]
    if PAGE_FILE.match(path):
        return PACKAGES[0][0]
    return next((name for name, marks in PACKAGES if path.startswith(marks)), "other")


def profile(url: str, server: Server, users: int, pages: int, timeout_s: float, out: Path) -> None:
    """py-spy samples the server while `users` users run; prints where the time went.

    Each sample is charged to the package of its innermost frame (self time) and, separately,
    to the app's own innermost frame on the stack (which page code led to it).
    """
    import shutil
    import subprocess
    import threading
    from collections import Counter

    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    raw = out.with_suffix(".txt")
    proc = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(server.process.pid),
            "--format",
            "raw",
            "--rate",
            "50",
            "--output",
            str(raw),
            "--threads",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    res: list[Result] = []
    worker = threading.Thread(target=lambda: res.append(drive(url, users, pages, timeout_s)))
    worker.start()
    worker.join()
    proc.send_signal(2)  # py-spy writes its file on SIGINT
    proc.wait(timeout=60)
    selfs: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if any("(idle)" in f for f in frames[-1:]):
            continue
        total += n
        selfs[_package(frames[-1])] += n
        app = [f for f in frames if _package(f).startswith("app")]
        ours[app[-1].strip() if app else "(not under app code)"] += n
    print(f"py-spy at {users} users: {total} busy samples at 50 Hz, raw stacks in {raw}")
    print("self time by package:")
    for name, n in selfs.most_common():
        print(f"  {n / max(total, 1):6.1%}  {name}")
    print("by the app's innermost frame on the stack (top 12):")
    for name, n in ours.most_common(12):
        print(f"  {n / max(total, 1):6.1%}  {name[:110]}")


def check_browser(url: str, timeout_s: float) -> None:
    """One user, the same pages: this driver's time against the server's as Chromium sees it."""
    from bench import sessions

    paths = EVERY_PAGE
    fresh = drive_paths(url, paths * 3, timeout_s, fresh=True)
    linked = drive_paths(url, paths * 3, timeout_s)
    browser = sessions.drive(url, 1, paths, timeout_s, rounds=3)
    print("one user, every page three times (medians, s): the websocket driver opening each page")
    print("in a new session, as Chromium's address bar does, and following links in one session,")
    print("against Chromium's own clock for the server's run and for the page it draws")
    head = f"{'new session':>12} {'one session':>12} {'Chromium run':>13} {'Chromium page':>14}"
    print(f"{'page':<44} {head}")
    for path in paths:
        cols = [
            percentile([s for p, s in fresh.times if p == path], 50),
            percentile([s for p, s in linked.times if p == path], 50),
            percentile([t.seconds for t in browser.script_times if t.path == path], 50),
            percentile([t.seconds for t in browser.times if t.path == path], 50),
        ]
        widths = (12, 12, 13, 14)
        print(
            f"/{path[:43]:<43} "
            + " ".join(f"{c:>{w}.3f}" for c, w in zip(cols, widths, strict=True))
        )
    errors = len(fresh.errors) + len(linked.errors)
    print(f"errors: driver {errors}, Chromium {len(browser.errors)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "jsna.duckdb")
    parser.add_argument("--sessions", default="1,20,50,100", help="comma-separated user counts")
    parser.add_argument("--pages", type=int, default=10, help="pages each user opens")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between pages")
    parser.add_argument("--replicas", type=int, default=0, help="N replicas behind nginx")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per page")
    parser.add_argument("--url", help="drive a running server instead of starting one")
    parser.add_argument("--check-browser", action="store_true", help="compare with Chromium")
    parser.add_argument("--profile", type=int, default=0, help="py-spy the server at N users")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.sessions.split(",")]
    if args.url:
        report(args.url.rstrip("/"), [], counts, args.pages, args.timeout, args.think)
        return 0
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jsna-wsload-")))
        if args.replicas:
            from deploy import nginx

            env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
            servers = [
                stack.enter_context(serve(args.db, log=tmp / f"replica{i}.log", env=env))
                for i in range(args.replicas)
            ]
            proxy = stack.enter_context(
                nginx.running([f"127.0.0.1:{s.port}" for s in servers], free_port(), tmp / "ng")
            )
            url = proxy.url
            print(f"{args.replicas} replicas behind nginx at {url}")
        else:
            servers = [stack.enter_context(serve(args.db, log=tmp / "server.log"))]
            url = servers[0].url
        if args.check_browser:
            check_browser(servers[0].url, args.timeout)
        report(url, servers, counts, args.pages, args.timeout, args.think)
        if args.profile:
            out = ROOT / "artifacts" / f"pyspy_{args.profile}_users"
            out.parent.mkdir(exist_ok=True)
            profile(servers[0].url, servers[0], args.profile, args.pages, args.timeout, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
