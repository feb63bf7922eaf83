"""A second council from profiles alone: "Testborough" builds, and no page says "Trafford".

The data are a relabelled copy of the shared folder written at test time (tests/app/
testborough.py): new council, ward, practice and PCN codes, new file names, three ward sets
and another peer group. One build is shared by every test here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from jsna.build.pipeline import build_database

sys.path.insert(0, str(Path(__file__).parent))
import testborough

ROOT = Path(__file__).resolve().parents[2]
PAGES = [None, *sorted(p.name for p in (ROOT / "pages").glob("*.py"))]


@pytest.fixture(scope="session")
def tb(tmp_path_factory: pytest.TempPathFactory, source: Path) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("testborough")
    extra = testborough.make_source(source, base / "data", ROOT / "profiles" / "place.toml")
    testborough.make_profiles(ROOT / "profiles", base / "profiles", extra)
    mp = pytest.MonkeyPatch()
    mp.setenv("JSNA_PROFILES", str(base / "profiles"))
    try:
        build_database(base / "data", base / "tb.duckdb")
    finally:
        mp.undo()
    return {"data": base / "data", "profiles": base / "profiles", "db": base / "tb.duckdb"}


@pytest.fixture
def tb_env(tb: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("JSNA_DB", str(tb["db"]))
    monkeypatch.setenv("JSNA_PROFILES", str(tb["profiles"]))
    return tb


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def page_output(at: AppTest) -> str:
    """Every element's protobuf as text: markdown, captions, tables' Arrow bytes, plotly specs."""
    return "\n".join(str(n.proto) for n in _walk(at._tree) if getattr(n, "proto", None))


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Callable[[], Any]]]:
    """(file name, data callable) of every download button drawn."""
    seen: list[tuple[str, Callable[[], Any]]] = []
    original = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data_callable: Any, *args: Any, **kw: Any) -> str:
        seen.append((str(kw.get("file_name")), data_callable))
        return original(self, data_callable, *args, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def open_page(page: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page is None:
        return at
    return at.switch_page(str(ROOT / "pages" / page)).run()


def test_testborough_is_built_with_three_ward_sets_and_its_own_peers(tb):
    con = duckdb.connect(str(tb["db"]), read_only=True)
    try:
        wards = dict(
            con.sql(
                "select vintage, count(*) from areas where area_type = 'ward' group by 1"
            ).fetchall()
        )
        la = con.sql("select area_name from areas where area_code = 'E08000999'").fetchall()
        peers = con.sql("select area_name from areas where area_type = 'peer_group'").fetchall()
        layers = {r[0] for r in con.sql("select layer from boundaries").fetchall()}
        pop = con.sql(
            "select i.geography from indicators i where indicator_id = 'population'"
        ).fetchall()
    finally:
        con.close()
    assert wards == {"w_old": 21, "w_current": 21, "w_future": 21}
    assert la == [("Testborough",)]
    assert peers == [("Testborough's neighbours",)]
    assert {"wards_layer_2004", "wards_layer_2023", "ward_future"} <= layers
    assert pop == [("w_future",)], "the population recipe uses the third ward set"


def test_testborough_database_never_says_trafford(tb):
    con = duckdb.connect(str(tb["db"]), read_only=True)
    try:
        tables = [
            r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()
        ]
        for t in tables:
            df = con.sql(f'select * from "{t}"').df()
            hits = df.astype(str).apply(lambda c: c.str.contains("trafford", case=False))
            assert not hits.to_numpy().any(), (t, df[hits.any(axis=1)].head(1).to_dict("records"))
    finally:
        con.close()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "home")
def test_every_page_runs_for_testborough_and_never_says_trafford(tb_env, downloads, page):
    at = open_page(page)
    assert not at.exception, at.exception
    text = page_output(at)
    assert "Testborough" in text or page in ("14_PCNs_in_England.py",), "the place is named"
    assert "trafford" not in text.lower(), text[max(0, text.lower().find("trafford") - 200) :][:400]
    if page == "5_Definitions_and_data.py":
        assert len(downloads) == 2, "both CSVs are checked"
    for name, make in downloads:
        assert name.startswith("testborough_"), name
        data = make()
        body = data if isinstance(data, bytes) else str(data).encode()
        assert b"trafford" not in body.lower(), name


def test_home_counts_the_neighbourhoods_and_pcns_from_the_profile(tb_env):
    at = open_page(None)
    text = "\n".join(m.value for m in at.markdown)
    assert "Testborough's four neighbourhoods and five Primary Care Networks" in text


def test_the_old_benchmark_link_still_works_and_la_names_testborough(tb_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["benchmark"] = "testborough"  # as old links named the council
    at.run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    box = at.sidebar.selectbox(key="benchmark")
    assert box.value == "la"
    assert "Testborough" in box.options
