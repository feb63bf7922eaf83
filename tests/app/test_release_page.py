"""Definitions and data names the data release and lists every file the build read."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.app.test_pages import all_text, open_page

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = tomllib.loads((ROOT / "profiles" / "manifest.toml").read_text(encoding="utf-8"))


def test_definitions_names_the_release_and_lists_each_file_with_its_checksum():
    at = open_page("pages/5_Definitions_and_data.py")
    assert not at.exception
    assert "Data release" in [h.value for h in at.header]
    assert f"data release **{MANIFEST['release']['name']}**" in all_text(at)
    table = next(df.value for df in at.dataframe if "SHA-256" in df.value.columns)
    build = {f["path"]: f for f in MANIFEST["file"] if f["role"] == "build"}
    assert dict(zip(table["File"], table["SHA-256"], strict=True)) == {
        p: f["sha256"] for p, f in build.items()
    }
    assert set(table["Licence"]) <= {"OGL-3.0", "OGL-3.0 and Open Parliament Licence v3.0"}
