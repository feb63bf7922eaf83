"""The app never shows a traceback, a server path or Markdown from the URL, and follows rebuilds."""

from __future__ import annotations

import os
import re
import shutil

import duckdb
from streamlit.testing.v1 import AppTest

from jsna.app.safe import MAX_URL_TEXT, WORD_JOINER, url_text
from jsna.app.ui.widgets import DATABASE_UNAVAILABLE
from tests.conftest import ROOT


def _run(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _page_text(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.markdown, *at.caption, *at.title)]
    return " ".join(str(p) for p in parts)


def test_a_missing_database_shows_one_friendly_message_without_paths(monkeypatch, tmp_path):
    monkeypatch.setenv("JSNA_DB", str(tmp_path / "nowhere" / "jsna.duckdb"))
    at = _run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_UNAVAILABLE]
    assert str(tmp_path) not in _page_text(at)
    assert "nowhere" not in _page_text(at)


def test_a_corrupt_database_shows_one_friendly_message_without_paths(monkeypatch, tmp_path):
    bad = tmp_path / "secret-dir" / "jsna.duckdb"
    bad.parent.mkdir()
    bad.write_bytes(b"this is not a duckdb file" * 1000)
    monkeypatch.setenv("JSNA_DB", str(bad))
    at = _run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_UNAVAILABLE]
    assert "secret-dir" not in _page_text(at)


def test_a_rebuilt_database_is_served_on_the_next_rerun(monkeypatch, tmp_path, built_db):
    """A rebuild renames a new file into place; the running app switches to it, no restart."""
    live = tmp_path / "jsna.duckdb"
    shutil.copy(built_db, live)
    monkeypatch.setenv("JSNA_DB", str(live))
    at = _run()
    assert not at.exception
    assert "REBUILT-MARK" not in _page_text(at)
    new = tmp_path / "jsna.duckdb.new"
    shutil.copy(built_db, new)
    con = duckdb.connect(str(new))
    con.execute("update build_info set value = 'REBUILT-MARK' where key = 'built_at'")
    con.close()
    os.replace(new, live)
    at.run()
    assert not at.exception
    assert "REBUILT-MARK" in _page_text(at)


def test_markdown_in_a_url_value_is_shown_as_plain_text():
    link = "**[click me](http://evil.example/x)** <b>bold</b> :red[alarm] " + "x" * 60
    at = _run(area="ignored")
    at.query_params["area"] = link
    at.switch_page(str(ROOT / "pages/1_Area_profile.py")).run()
    assert not at.exception
    warning = next(
        w.value for w in at.warning if "is not one of the choices this page knows" in w.value
    )
    assert url_text(link) in warning
    for syntax in ("](", "**", "<b>", ":red["):
        assert syntax not in warning
    assert "http://" not in warning


def test_url_text_escapes_every_markdown_character_and_trims():
    raw = "*_`[]()#+!|<>~$:.&@\\ " + "y" * 100
    out = url_text(raw)
    plain = out.replace("\\", "").replace(WORD_JOINER, "")
    assert plain.startswith("*_`[]()#+!|<>~$:.&@")
    assert len(plain) <= MAX_URL_TEXT
    assert plain.endswith("…")
    # every special character is preceded by a backslash, so none can open Markdown syntax
    unescaped = [c for i, c in enumerate(out) if c in "*_`[]()#+!|<>~$:.&@" and out[i - 1] != "\\"]
    assert unescaped == []


def test_url_text_leaves_no_bare_address_for_gfm_to_link():
    """GFM's autolink-literal patterns, applied after escapes are resolved, find nothing."""
    for raw in ("see http://evil.example/x", "www.evil.example", "me@evil.example"):
        shown = url_text(raw).replace("\\", "")
        assert not re.search(r"https?://|www(?=\.)|[-.\w+]+@[-\w]+(\.[-\w]+)+", shown), shown


def test_url_text_keeps_a_value_on_one_line():
    assert url_text("a\n# heading\r\n- item") == "a \\# heading - item"


# Internal codes of the source files' columns: QOF list types ("17OV", "TOTAL" list) and the
# like never reach the reader; a definition says "registered patients aged 17 and over".
INTERNAL_CODE = re.compile(r"\b\d{2}OV\b|\blist type\b")


def _every_text(at: AppTest) -> str:
    """Every word a page shows: text elements, and every cell of its tables."""
    parts = [
        str(e.value)
        for e in (*at.error, *at.warning, *at.info, *at.markdown, *at.caption, *at.title)
    ]
    parts += [str(e.value) for e in (*at.header, *at.subheader)]
    for frame in (*at.dataframe, *at.table):
        df = frame.value
        parts += [" ".join(map(str, df.columns))]
        parts += [" ".join(map(str, df[c].tolist())) for c in df.columns]
    return " ".join(parts)


def test_no_page_shows_an_internal_list_type_code():
    """Every page, and Definitions with the diabetes register (defined on patients 17+)."""
    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert len(pages) == 14
    for page in pages:
        at = _run(indicator="qof_dm")
        at.query_params["indicator"] = "qof_dm"
        at.switch_page(str(ROOT / "pages" / page)).run()
        assert not at.exception, (page, at.exception)
        text = _every_text(at)
        assert not INTERNAL_CODE.search(text), (page, INTERNAL_CODE.findall(text)[:3])
        if page == "5_Definitions_and_data.py":
            assert "aged 17 and over" in text
            # Census sources by their table's subject, not its code ("(TS007)").
            assert "Census 2021 (TS" not in text
            assert "Census 2021: age by single year of age" in text


def test_only_the_url_module_touches_query_params():
    """One URL-state module: every page and UI module reads and writes the URL through it."""
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "jsna").rglob("*.py")]
    # Direct use, or the old private session keys for URL values ("_url_<key>").
    direct = re.compile(r"st\.query_params|[\"']_url_")
    users = sorted(
        str(f.relative_to(ROOT)) for f in files if direct.search(f.read_text(encoding="utf-8"))
    )
    assert users == ["jsna/app/ui/url.py"], users


def test_a_bad_value_in_the_url_warns_and_leaves_no_traceback():
    at = _run()
    at.query_params["benchmark"] = "nonsense"
    at.query_params["indicator"] = "no_such_indicator"
    at.switch_page(str(ROOT / "pages/9_Trends.py")).run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    knows = "is not one of the choices this page knows for"
    assert f"“nonsense” {knows} “Compare with”" in text
    assert f"“no\\_such\\_indicator” {knows} “Indicator”" in text
