"""Performance report: page run times, plotly payloads, query times and the build time.

Run with `make bench` (JSNA_DB points at the built database). Prints a table with each
figure next to its target, marked PASS or FAIL. It is a report, not a test: it always exits 0.
"""

from __future__ import annotations

import logging
import re
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from jsna import config, db, queries  # noqa: E402
from jsna.build import build_database  # noqa: E402
from jsna.profiles import load_place  # noqa: E402

WARM_MS = 150.0
COLD_S = 3.0
PLOTLY_KB = 1024.0
QUERY_MS = 20.0
WARM_RUNS = 5
QUERY_RUNS = 20


def mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pages() -> list[tuple[str, Path | None]]:
    """Home plus every page file, named as in the URL."""
    found = [(re.sub(r"^\d+_", "", p.stem), p) for p in sorted((ROOT / "pages").glob("*.py"))]
    return [("home", None), *found]


def clear_caches() -> None:
    """Clear Streamlit's caches, without its bare-mode warnings (no runtime outside AppTest)."""
    for name in ("streamlit.runtime.caching", "streamlit.runtime.scriptrunner_utils"):
        for logger_name in list(logging.root.manager.loggerDict):
            if logger_name.startswith(name):
                logging.getLogger(logger_name).setLevel(logging.ERROR)
    st.cache_data.clear()
    st.cache_resource.clear()


def bench_page(page: Path | None) -> tuple[float, float, float, str]:
    """Cold seconds, warm median ms, plotly KB and any exception for one page."""
    clear_caches()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if page is not None:
        at.switch_page(str(page))
    cold = timed(at.run)
    warm = statistics.median(timed(at.run) * 1000 for _ in range(WARM_RUNS))
    kb = sum(len(el.proto.spec) for el in at.get("plotly_chart")) / 1024
    error = at.exception[0].value if at.exception else ""
    return cold, warm, kb, error


def page_table() -> None:
    print(f"Pages (cold: first run after clearing caches; warm: median of {WARM_RUNS} reruns)")
    head = (
        f"{'page':<22} {'cold s':>7} {'≤3 s':>5} {'warm ms':>8} {'≤150':>5} "
        f"{'plotly KB':>10} {'≤1MB':>5}"
    )
    print(head)
    print("-" * len(head))
    for name, path in pages():
        try:
            cold, warm, kb, error = bench_page(path)
        except Exception as exc:  # a report: show the failure and carry on
            print(f"{name:<22} ERROR {type(exc).__name__}: {exc}")
            continue
        print(
            f"{name:<22} {cold:>7.2f} {mark(cold <= COLD_S):>5} {warm:>8.0f} "
            f"{mark(warm <= WARM_MS):>5} {kb:>10.1f} {mark(kb <= PLOTLY_KB):>5}"
        )
        if error:
            print(f"{'':<22} page raised: {error.splitlines()[0]}")
    print()


def median_ms(fn: Callable[[], object], runs: int = QUERY_RUNS) -> float:
    return statistics.median(timed(fn) * 1000 for _ in range(runs))


def query_table() -> None:
    place = load_place()
    con = db.connect(config.db_path(), read_only=True)
    try:
        print(f"Queries (median of {QUERY_RUNS} runs, target ≤ {QUERY_MS:.0f} ms)")
        head = f"{'query':<44} {'ms':>7} {'':>5}"
        print(head)
        print("-" * len(head))
        areas = [(n.code, n.name) for n in place.neighbourhoods]
        areas += [(p.code, p.name) for p in place.pcns]
        for code, name in areas:
            ms = median_ms(lambda c=code: queries.area_profile(con.cursor(), c))
            label = f"area_profile {code} {name}"[:44]
            print(f"{label:<44} {ms:>7.1f} {mark(ms <= QUERY_MS):>5}")
        ids = list(queries.indicators(con.cursor())["indicator_id"])
        for area_type in ("neighbourhood", "pcn", "ward", "lsoa"):
            times = {
                i: median_ms(lambda i=i, t=area_type: queries.indicator_values(con.cursor(), i, t))
                for i in ids
            }
            worst = max(times, key=lambda i: times[i])
            ms = times[worst]
            label = f"indicator_values {area_type}, worst of {len(ids)}"
            print(f"{label:<44} {ms:>7.1f} {mark(ms <= QUERY_MS):>5}  ({worst})")
            median_all = statistics.median(times.values())
            print(f"{'  median over indicators':<44} {median_all:>7.1f}")
    finally:
        con.close()
    print()


def build_time() -> None:
    source = config.source_dir()
    with tempfile.TemporaryDirectory() as tmp:
        seconds = timed(lambda: build_database(source, Path(tmp) / "bench.duckdb"))
    print(f"Build: build_database({source}) took {seconds:.2f} s (no target)")


def main() -> int:
    print(f"Database: {config.db_path()}\n")
    for section in (page_table, query_table, build_time):
        try:
            section()
        except Exception:
            print(f"{section.__name__} failed:")
            traceback.print_exc(file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
