"""A rebuild replaces the database while sessions read: no error, no page from two builds.

Three sessions (AppTest, each in its own thread, sharing the process's caches as a server's
sessions do) keep re-running the area profile while the database file is replaced, as the
build replaces it (a new file renamed over the old). Build A and build B differ in every
area's name and in the build date, so each page says which build it came from, at its top
(the title) and at its foot (the footer's date): a page showing both marks mixed two builds.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

SESSIONS = 3
RUNS_BEFORE = 2  # runs each session makes on build A before the replace
RUNS_AFTER = 2  # and after it
MARK = re.compile(r"\bBUILD-([AB])\b")


def _variant(built_db: Path, out: Path, mark: str) -> None:
    """A copy of the test build whose area names and build date carry `mark`."""
    shutil.copy(built_db, out)
    con = duckdb.connect(str(out))
    con.execute("update build_info set value = ? where key = 'built_at'", [f"BUILD-{mark}"])
    con.execute("update areas set area_name = area_name || ?", [f" BUILD-{mark}"])
    con.close()


def _marks(at: AppTest) -> tuple[set[str], set[str]]:
    """The build marks in the page's title and in its footer."""
    top = {m for t in at.title for m in MARK.findall(str(t.value))}
    foot = {m for c in at.caption for m in MARK.findall(str(c.value)) if "Data built" in c.value}
    return top, foot


@pytest.fixture
def no_magic():
    """Streamlit's "magic" off while the sessions run.

    AppTest parses each run's script with Python's ast module for magic, and CPython 3.11's
    ast module is not safe from several threads at once ("SystemError: AST constructor
    recursion depth mismatch", seen when the machine is busy). A server parses each script
    once (its script cache); the pages use no magic, so the threads are kept from racing.
    """
    before = st_config.get_option("runner.magicEnabled")
    st_config.set_option("runner.magicEnabled", False)
    yield
    st_config.set_option("runner.magicEnabled", before)


@pytest.fixture
def one_runtime(monkeypatch):
    """One Streamlit runtime for every session, as a server has.

    AppTest sets the process-wide `Runtime._instance` at the start of each run and sets it to
    None at the end, so with sessions in several threads one run's end can pull the runtime
    from under another that is still finishing ("Runtime hasn't been created!"). Between runs
    the last runtime set stays the process's.
    """
    from streamlit.runtime.runtime import Runtime

    last: list[Runtime] = []

    def instance(cls: type[Runtime]) -> Runtime:
        if cls._instance is not None:
            last[:] = [cls._instance]
            return cls._instance
        if last:
            return last[0]
        raise RuntimeError("Runtime hasn't been created!")

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))


def test_sessions_reading_through_a_rebuild_see_one_build_per_page_and_then_the_new_one(
    monkeypatch, tmp_path, built_db, no_magic, one_runtime
):
    live = tmp_path / "jsna.duckdb"
    _variant(built_db, live, "A")
    staged = tmp_path / "jsna.duckdb.staged"
    _variant(built_db, staged, "B")
    monkeypatch.setenv("JSNA_DB", str(live))

    replaced = threading.Event()
    replaced_at: list[float] = []
    ready = threading.Barrier(SESSIONS + 1)
    runs: list[tuple[int, float, set[str], set[str], list[str]]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def session(n: int) -> None:
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            at.query_params["area"] = "NBH-NORTH"
            at.switch_page(str(ROOT / "pages" / "1_Area_profile.py"))
            for i in range(RUNS_BEFORE + RUNS_AFTER):
                if i == RUNS_BEFORE:
                    ready.wait(timeout=300)
                    replaced.wait(timeout=300)
                started = time.monotonic()
                at.run()
                top, foot = _marks(at)
                errors = [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]
                with lock:
                    runs.append((n, started, top, foot, errors))
        except Exception as exc:  # reported below, with the session
            with lock:
                failures.append(f"session {n}: {exc!r}")
            ready.abort()

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=300)  # every session has read build A
    except threading.BrokenBarrierError:
        for t in threads:
            t.join(timeout=60)
        raise AssertionError(f"a session failed before the rebuild: {failures}") from None
    os.replace(staged, live)  # as the build replaces it: a whole new file renamed into place
    replaced_at.append(time.monotonic())
    replaced.set()
    for t in threads:
        t.join(timeout=600)

    assert failures == []
    assert len(runs) == SESSIONS * (RUNS_BEFORE + RUNS_AFTER)
    for n, started, top, foot, errors in runs:
        assert errors == [], (n, errors)
        # one build per page: the title and the footer come from the same build
        assert len(top) == 1, (n, top)
        assert top == foot, (n, top, foot)
        # a run that started after the replace shows the new build, one before it the old
        expected = {"B"} if started >= replaced_at[0] else {"A"}
        assert top == expected, (n, started - replaced_at[0], top)
