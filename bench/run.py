"""Scale benchmark (issue 10): every page on the real build and on a synthetic England copy.

Run with `make bench` (it builds the database first), or
`python bench/run.py [--only trafford|england] [--pages Map Definitions_and_data] [--no-browser]
[--sections apptest browser data build] [--page-timeout S]`.

For each database, the real build (the place plus the national QOF tables) and the synthetic
England-size copy (`bench/synth.py`, made here when missing or older than the build):

- AppTest, every page in a fresh subprocess (imports and caches cannot leak between pages):
  cold = the first run in that process (imports included), warm = median of up to
  `WARM_RUNS` reruns (fewer when they take longer than `WARM_BUDGET_S`; a page still running
  after `PAGE_TIMEOUT_S` is stopped and reported with what it measured so far), in wall time
  and in CPU time of the process (CPU time is what a quiet machine's wall time would be, near
  enough), plotly bytes the page sends, peak memory (the subprocess's ru_maxrss). A one-line
  page (`st.write("x")`) is measured the same way in the same run and every figure is also
  shown as a ratio to it, since the machine is shared and noisy.
- Chromium (Playwright, Debian's chromium) against a running `streamlit run`: each page opened
  twice, each in a new browser context (a new session): the first visit after the server
  starts, then again with the server's caches warm; a visit ends when the script has stopped
  and every plotly chart has drawn its SVG.
- The whole-profile CSV (the query and the CSV writing of the Definitions page's download),
  the database's size, and (real build) the build time.

Prints a markdown table with PASS/FAIL next to every figure that has a target and writes the
same to artifacts/bench.md. It is a report, not a test: it exits 0 even when targets fail.
Sections are functions in `SECTIONS`, each given the context and returning markdown lines; a
new section is appended there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The same harness as the browser tests: server, browser, and when a page is ready.
from tests.e2e.harness import CHARTS_DRAWN, launch, open_app, serve  # noqa: E402

PY = sys.executable
ARTIFACTS = ROOT / "artifacts"
ENGLAND_DB = ARTIFACTS / "england.duckdb"
BASELINE = "one-line page"
WARM_RUNS = 5
WARM_BUDGET_S = 20.0
TIMEOUT_S = 180  # the browser's wait for one visit
# One AppTest run; a page slower than that is reported as a timeout (--page-timeout).
PAGE_TIMEOUT_S = float(os.environ.get("JSNA_BENCH_PAGE_TIMEOUT", "150"))

# Targets (issue 10).
WARM_MS = {"trafford": 60.0, "england": 150.0}
PLOTLY_MB = 2.0  # England size
DEFINITIONS_MB = 500.0  # England size, peak memory of the Definitions page
CSV_S = 3.0
BUILD_S = 60.0


@dataclass
class Context:
    """What the sections share: the databases to measure and the chosen pages."""

    dbs: dict[str, Path]
    pages: list[tuple[str, str]]  # (name, script: "" for Home, else pages/<file>.py)
    browser: bool = True
    notes: list[str] = field(default_factory=list)


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def one_line(exc: BaseException) -> str:
    """An exception's first line, short enough for a table cell."""
    return (str(exc).strip().splitlines() or [""])[0][:100].replace("|", "/")


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A markdown table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return [*lines, ""]


def all_pages() -> list[tuple[str, str]]:
    """Home plus every page file, named as in its URL."""
    found = [
        (re.sub(r"^\d+_", "", p.stem), f"pages/{p.name}")
        for p in sorted((ROOT / "pages").glob("*.py"), key=lambda p: int(p.name.split("_")[0]))
    ]
    return [("Home", ""), *found]


# --- AppTest, one page per subprocess ---------------------------------------------------


def worker(script: str, warm_runs: int) -> None:
    """Run in the subprocess: cold and warm runs of one page, its plotly bytes and memory.

    Prints the figures so far as a JSON line after every run and every five seconds (memory
    and CPU seconds so far), so that the parent, which kills a page still running after
    `PAGE_TIMEOUT_S`, keeps what was measured (AppTest's own timeout waits for the script to
    stop, which a long computation never does).
    """
    import threading

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    # Measure what a running server does, not what AppTest adds to every run. A server keeps
    # one script cache, so a page is compiled once (AppTest compiles app.py and the page on
    # every run); and after its first run the app is routed by st.navigation (AppTest resets
    # the pages/-folder flag each run, so `widgets.page` would rerun through the router).
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore
    first_init = PagesManager.__init__

    def routed(self: PagesManager, *args: object, **kwargs: object) -> None:
        first_init(self, *args, **kwargs)  # type: ignore[arg-type]
        if "cold_s" in result:
            PagesManager.uses_pages_directory = False

    PagesManager.__init__ = routed  # type: ignore[method-assign]

    result: dict[str, object] = {}
    lock = threading.Lock()

    def report() -> None:
        with lock:
            result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            result["cpu_s"] = time.process_time()
            print(json.dumps(result), flush=True)

    def every_few_seconds() -> None:  # memory so far, even while a run never ends
        while True:
            time.sleep(5)
            report()

    threading.Thread(target=every_few_seconds, daemon=True).start()
    path = script if script.startswith("/") else str(ROOT / "app.py")  # "/": the one-line page
    at = AppTest.from_file(path, default_timeout=10 * PAGE_TIMEOUT_S)
    if script and not script.startswith("/"):
        at.switch_page(str(ROOT / script))
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    cold = {
        "cold_s": time.perf_counter() - start,
        "cold_cpu_s": time.process_time() - cpu,
        "plotly_bytes": sum(len(el.proto.spec.encode()) for el in at.get("plotly_chart")),
        "error": str(at.exception[0].value).splitlines()[0] if at.exception else "",
    }
    with lock:
        result |= cold
    warm: list[float] = []
    warm_cpu: list[float] = []
    budget = time.perf_counter() + WARM_BUDGET_S
    while True:
        if warm:
            with lock:
                result |= {
                    "warm_ms": statistics.median(warm),
                    "warm_cpu_ms": statistics.median(warm_cpu),
                    "warm_n": len(warm),
                }
        report()
        if len(warm) >= warm_runs or (warm and time.perf_counter() > budget):
            return
        start, cpu = time.perf_counter(), time.process_time()
        at.run()
        warm.append((time.perf_counter() - start) * 1000)
        warm_cpu.append((time.process_time() - cpu) * 1000)


def measure_page(db: Path, script: str) -> dict[str, object]:
    """One page in a fresh subprocess: the last JSON line it printed (killed after the timeout).

    A page stopped by the timeout has `timeout` set, and no `warm_ms` (no warm run finished)
    or no `cold_s` (the first run did not finish).
    """
    env = {**os.environ, "JSNA_DB": str(db)}
    command = [PY, str(Path(__file__).resolve()), "--worker", script]
    try:
        proc = subprocess.run(
            [*command, "--warm-runs", str(WARM_RUNS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT_S,
            check=False,
        )
        stdout, timed_out = proc.stdout, False
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"worker exited {proc.returncode}: {tail}")
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        stdout, timed_out = out.decode() if isinstance(out, bytes) else out, True
    lines = stdout.strip().splitlines()
    result: dict[str, object] = dict(json.loads(lines[-1])) if lines else {}
    if timed_out:
        result["timeout"] = f"stopped after {PAGE_TIMEOUT_S:.0f} s"
    return result


def baseline_script() -> str:
    path = Path(tempfile.gettempdir()) / "jsna_bench_one_line.py"
    path.write_text('import streamlit as st\n\nst.write("x")\n', encoding="utf-8")
    return str(path)


HEAD = [
    "database",
    "page",
    "cold s",
    "×1-line",
    "warm ms",
    "×1-line",
    "runs",
    "target",
    "",
    "warm CPU ms",
    "",
    "plotly MB",
    "≤2 MB",
    "peak MB",
    "×1-line",
    "",
]


def page_row(name: str, page: str, r: dict[str, object], base: dict[str, object]) -> list[str]:
    """One table row: the figures, their ratios to the one-line page and PASS/FAIL."""

    def num(key: str) -> float | None:
        return float(str(r[key])) if key in r else None

    def ratio(key: str) -> str:
        return f"{float(str(r[key])) / float(str(base[key])):.1f}" if key in r else ""

    cold, warm, cpu, rss = num("cold_s"), num("warm_ms"), num("warm_cpu_ms"), num("rss_mb")
    plotly = num("plotly_bytes")
    england = name == "england"
    target = WARM_MS.get(name)
    stopped = f">{PAGE_TIMEOUT_S:.0f} s" if "timeout" in r else "?"
    if cold is None and "cpu_s" in r:
        stopped += f" (CPU {float(str(r['cpu_s'])):.0f} s)"
    warm_ok = None if target is None else (warm is not None and warm <= target)
    cpu_ok = None if target is None else (cpu is not None and cpu <= target)
    defs = england and page == "Definitions_and_data"
    rss_ok = None if not defs or rss is None else (rss < DEFINITIONS_MB and "timeout" not in r)
    plotly_ok = None if not england or plotly is None else plotly <= PLOTLY_MB * 1e6
    return [
        name,
        page + (f" (raised: {r['error']})" if r.get("error") else ""),
        stopped if cold is None else f"{cold:.2f}",
        ratio("cold_s"),
        ("none done" if cold is None else f"not done: >{PAGE_TIMEOUT_S - cold:.0f} s")
        if warm is None
        else f"{warm:.0f}",
        ratio("warm_ms"),
        str(r.get("warm_n", 0)),
        "" if target is None else f"≤{target:.0f}",
        mark(warm_ok),
        "" if cpu is None else f"{cpu:.0f}",
        mark(cpu_ok),
        "?" if plotly is None else f"{plotly / 1e6:.2f}",
        mark(plotly_ok),
        "" if rss is None else f"{rss:.0f}" + ("+" if "timeout" in r else ""),
        ratio("rss_mb"),
        mark(rss_ok),
    ]


def apptest_section(ctx: Context) -> list[str]:
    out = ["## Pages in AppTest (each in a fresh process)", ""]
    base = measure_page(next(iter(ctx.dbs.values())), baseline_script())
    out.append(
        f'{BASELINE} (`st.write("x")`): cold {base["cold_s"]:.2f} s, warm '
        f"{base['warm_ms']:.1f} ms ({base['warm_cpu_ms']:.1f} ms of CPU), "
        f"peak memory {base['rss_mb']:.0f} MB; ratios below are to these. A page still running "
        f"after {PAGE_TIMEOUT_S:.0f} s is stopped (figures so far, memory marked +)."
    )
    out.append("")
    for name, db in ctx.dbs.items():
        rows = []
        for page, script in ctx.pages:
            try:
                r = measure_page(db, script)
            except Exception as exc:  # a report: show the failure and carry on
                rows.append(
                    [name, page, f"ERROR {type(exc).__name__}: {one_line(exc)}", *[""] * 13]
                )
                print(f"  {name} {page}: ERROR {exc}", flush=True)
                continue
            rows.append(page_row(name, page, r, base))
            print("  " + " | ".join(rows[-1]), flush=True)
        out += table(HEAD, rows)
    return out


# --- Chromium against a running server --------------------------------------------------


def url_path(script: str) -> str:
    """The page's URL path, as app.py names it (the file name without its number)."""
    return "" if not script else Path(script).stem.split("_", 1)[1]


def visit(browser: object, url: str) -> float:
    """Seconds from opening the URL (a new session) until the script stops and charts drew."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = context.new_page()
        start = time.perf_counter()
        open_app(pg, url, "", TIMEOUT_S)
        pg.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_S * 1000)
        return time.perf_counter() - start
    finally:
        context.close()


def browser_section(ctx: Context) -> list[str]:
    if not ctx.browser:
        return []
    from playwright import sync_api

    out = ["## Pages in Chromium (a running server; each visit a new session)", ""]
    head = ["database", "page", "first visit s", "second visit s"]
    with sync_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            for name, db in ctx.dbs.items():
                rows = []
                with serve(db, timeout_s=120) as srv:
                    url = srv.url
                    for page, script in ctx.pages:
                        try:
                            first = visit(browser, f"{url}/{url_path(script)}")
                            second = visit(browser, f"{url}/{url_path(script)}")
                        except Exception as exc:  # a report: show the failure and carry on
                            rows.append([name, page, f"ERROR {type(exc).__name__}", one_line(exc)])
                            continue
                        rows.append([name, page, f"{first:.2f}", f"{second:.2f}"])
                        print(
                            f"  chromium {name} {page}: {first:.2f} s, {second:.2f} s", flush=True
                        )
                out += table(head, rows)
        finally:
            browser.close()
    return out


# --- Downloads, database size, build time -----------------------------------------------


def csv_worker() -> dict[str, object]:
    """In a subprocess: the Definitions page's whole-profile download, as the page writes it."""
    from jsna.app import db, downloads
    from jsna.build.profiles import load_place
    from jsna.core import config

    place = load_place()
    con = db.connect(config.db_path())
    start = time.perf_counter()
    data = downloads.copy_csv(
        con.cursor(), db.load_sql("full_profile"), {}, place.name, place.ward_set_names
    )
    total = time.perf_counter() - start
    rows = data.count(b"\n") - 1
    return {"total_s": total, "rows": rows, "mb": len(data) / 1e6}


def data_section(ctx: Context) -> list[str]:
    out = ["## Downloads and database size", ""]
    rows = []
    for name, db in ctx.dbs.items():
        proc = subprocess.run(
            [PY, str(Path(__file__).resolve()), "--csv-worker"],
            cwd=ROOT,
            env={**os.environ, "JSNA_DB": str(db)},
            capture_output=True,
            text=True,
            check=False,
        )
        size = db.stat().st_size / 1e6
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append([name, f"{size:.0f}", f"ERROR: {tail}", "", ""])
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(
            [
                name,
                f"{size:.0f}",
                f"{r['rows']:,} rows, {r['mb']:.1f} MB",
                f"{r['total_s']:.2f}",
                mark(r["total_s"] < CSV_S),
            ]
        )
    head = ["database", "size MB", "whole-profile CSV", "DuckDB COPY s (<3)", ""]
    return [*out, *table(head, rows)]


def build_section(ctx: Context) -> list[str]:
    from jsna.core import config

    if "trafford" not in ctx.dbs:
        return []
    source = config.source_dir()
    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(
            [PY, "-m", "jsna.build", "--source", str(source), "--out", f"{tmp}/b.duckdb"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        done = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = done.ru_utime + done.ru_stime - cpu.ru_utime - cpu.ru_stime
    if proc.returncode != 0:
        return ["## Build", "", f"build failed: {proc.stderr.strip()[-300:]}", ""]
    return [
        "## Build",
        "",
        f"Real build (the place and the national QOF tables) from {source}: "
        f"{seconds:.1f} s (target < {BUILD_S:.0f} s) {mark(seconds < BUILD_S)}; "
        f"{cpu_s:.1f} s of CPU {mark(cpu_s < BUILD_S)}",
        "",
    ]


SECTIONS: list[Callable[[Context], list[str]]] = [
    apptest_section,
    browser_section,
    data_section,
    build_section,
]


# --- Main ---------------------------------------------------------------------------------


def england_db(real: Path) -> Path:
    """The synthetic England copy, made (bench/synth.py) when missing or older than the build."""
    if not ENGLAND_DB.is_file() or ENGLAND_DB.stat().st_mtime < real.stat().st_mtime:
        print(f"making {ENGLAND_DB} (bench/synth.py) ...", flush=True)
        subprocess.run(
            [PY, "-m", "bench.synth", "--db", str(real), "--out", str(ENGLAND_DB)],
            cwd=ROOT,
            check=True,
        )
    return ENGLAND_DB


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    global PAGE_TIMEOUT_S  # set from --page-timeout; the workers read it from the environment
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["trafford", "england"], default=None)
    parser.add_argument("--pages", nargs="*", default=None, help="page names, e.g. Map Home")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--sections",
        nargs="*",
        default=None,
        help="sections to run, e.g. apptest browser data build (default: all)",
    )
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "bench.md")
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=PAGE_TIMEOUT_S,
        help=f"seconds one AppTest run may take (default {PAGE_TIMEOUT_S})",
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--warm-runs", type=int, default=WARM_RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--csv-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    PAGE_TIMEOUT_S = args.page_timeout
    os.environ["JSNA_BENCH_PAGE_TIMEOUT"] = str(args.page_timeout)
    if args.worker is not None:
        worker(args.worker, args.warm_runs)
        return 0
    if args.csv_worker:
        print(json.dumps(csv_worker()))
        return 0

    from jsna.core import config

    real = config.db_path()
    dbs: dict[str, Path] = {}
    if args.only in (None, "trafford"):
        dbs["trafford"] = real
    if args.only in (None, "england"):
        dbs["england"] = england_db(real)
    pages = all_pages()
    if args.pages:
        pages = [p for p in pages if p[0] in args.pages]
    ctx = Context(dbs=dbs, pages=pages, browser=not args.no_browser)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# Scale benchmark (issue 10)",
        "",
        f"{started}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. "
        + "; ".join(f"{n}: {p}" for n, p in dbs.items()),
        "",
    ]
    chosen = [
        f
        for f in SECTIONS
        if not args.sections or f.__name__.removesuffix("_section") in args.sections
    ]
    for section in chosen:
        print(f"{section.__name__} ...", flush=True)
        try:
            lines += section(ctx)
        except Exception:
            lines += [f"{section.__name__} failed:", "", "```", traceback.format_exc(), "```", ""]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
