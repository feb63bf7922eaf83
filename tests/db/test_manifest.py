"""The data release: every file a build reads is declared, checked, and recorded.

Expected checksums come from the files themselves (hashed here) and from the provenance notes
written when the files were collected (`national/**/*.note.txt`, the reference tests'
README), never from the code under test.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from jsna.build import manifest
from jsna.build import pipeline as build
from tests.db.test_bad_input import WARDS_2023, farm  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = tomllib.loads((ROOT / "profiles" / "manifest.toml").read_text(encoding="utf-8"))
FILES = {f["path"]: f for f in MANIFEST["file"]}
REGISTRATIONS = "gp/trafford_gp_patient_registrations.csv"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_declared_file_in_the_mirror_has_its_declared_bytes_and_checksum(source):
    wrong = {
        rel: (f["bytes"], f["sha256"][:12])
        for rel, f in FILES.items()
        if (source / rel).stat().st_size != f["bytes"] or _sha(source / rel) != f["sha256"]
    }
    assert wrong == {}


def test_checksums_agree_with_the_notes_written_when_the_files_were_collected(source):
    """Each national note's `sha256:` line (or its `parts:` / MANIFEST lines) and the
    reference tests' README list give the same checksum as the manifest."""
    noted: dict[str, str] = {}
    for note in (source / "national").rglob("*.note.txt"):
        text = note.read_text(encoding="utf-8")
        folder = note.parent.relative_to(source).as_posix()
        m = re.search(r"^file: (\S.*)$", text, re.M)
        s = re.search(r"^sha256: ([0-9a-f]{64})", text, re.M)
        if m and s:
            noted[f"{folder}/{m.group(1).strip()}"] = s.group(1)
        for name, digest in re.findall(
            r"^\s+(\S+)\s+\d+ bytes\s+sha256 ([0-9a-f]{64})", text, re.M
        ):
            noted[f"{folder}/{name}"] = digest
    readme = (source / "reference_tests/PHEindicatormethods/README.md").read_text()
    for name, digest in re.findall(r"^ {4}(\S+) ([0-9a-f]{64})$", readme, re.M):
        noted[f"reference_tests/PHEindicatormethods/{name}"] = digest
    assert len(noted) >= 40
    assert {rel: FILES[rel]["sha256"] for rel in noted} == noted


def test_every_entry_names_its_origin_licence_attribution_and_period():
    for rel, f in FILES.items():
        assert all(f[k] for k in ("publisher", "licence", "attribution", "period")), rel
        assert f.get("origin") or f.get("derivation"), rel
        assert f["role"] in {"build", "national", "test"}
        assert f["coverage"] in {"national", "place"}
    assert {f["licence"] for f in FILES.values()} == {
        "OGL-3.0",
        "OGL-3.0 and Open Parliament Licence v3.0",
        "GPL-3.0",
    }
    assert all(f["licence"] != "GPL-3.0" for f in FILES.values() if f["role"] == "build")
    lsoa = FILES["national/boundaries/lsoa21_by_lad/E08000009.geojson"]
    assert "coverage_simplify" in lsoa["derivation"]
    assert "0.0006" in lsoa["derivation"]


def test_the_repo_copy_holds_exactly_the_declared_build_inputs():
    place = ROOT / "data" / "trafford"
    on_disk = {
        p.relative_to(place).as_posix(): _sha(p)
        for p in place.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    declared = {rel: f["sha256"] for rel, f in FILES.items() if f["role"] == "build"}
    assert len(declared) == 83
    assert on_disk == declared


def test_the_database_records_the_release_of_every_file_it_read(con, source):
    rows = con.execute(
        "select path, source_id, period, sha256, release from data_release"
    ).fetchall()
    assert {r[0] for r in rows} == {rel for rel, f in FILES.items() if f["role"] == "build"}
    for path, source_id, period, digest, release in rows:
        assert digest == _sha(source / path), path
        assert (source_id, period) == (FILES[path]["id"], FILES[path]["period"])
        assert release == MANIFEST["release"]["name"]
    info = dict(con.execute("select key, value from build_info").fetchall())
    assert info["release"] == MANIFEST["release"]["name"]


def test_a_changed_file_that_still_reads_stops_the_build_naming_it(farm, tmp_path, capsys):  # noqa: F811
    """A boundary file with one byte added is still valid GeoJSON; only its checksum differs."""
    path = farm / WARDS_2023
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data + b"\n")
    out = tmp_path / "jsna.duckdb"
    assert build.main(["--source", str(farm), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"build failed: {WARDS_2023}: changed since data release "), err
    assert f"{len(data) + 1:,} bytes" in err
    assert not out.exists()


def test_a_missing_declared_file_says_where_to_get_it(farm, tmp_path, capsys):  # noqa: F811
    (farm / REGISTRATIONS).unlink()
    assert build.main(["--source", str(farm), "--out", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"build failed: {REGISTRATIONS}: file not found (a declared input of this place; "
        "restore it from git)"
    )


def _tiny_manifest(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "manifest.toml"
    path.write_text('[release]\nname = "2026-01-01"\n' + body, encoding="utf-8")
    return path


ENTRY = """
[[file]]
id = "{id}"
path = "{path}"
role = "national"
coverage = "national"
publisher = "ONS"
licence = "OGL-3.0"
attribution = "Source: ONS"
period = "2021"
bytes = 3
sha256 = "{sha}"
"""
ABC = hashlib.sha256(b"abc").hexdigest()


def test_an_undeclared_or_changed_file_is_the_problem_a_release_reports(tmp_path):
    m = manifest.load(_tiny_manifest(tmp_path, ENTRY.format(id="a", path="a.csv", sha=ABC)))
    release = manifest.Release(m)
    release.check("a.csv", b"abc")
    assert release.problem() is None
    release.check("b.csv", b"xyz")
    assert release.problem() == ("b.csv", "not declared in manifest.toml (add it with its origin)")
    changed = manifest.Release(m)
    changed.check("a.csv", b"abd")
    rel, message = changed.problem() or ("", "")
    assert rel == "a.csv"
    assert message.startswith("changed since data release 2026-01-01 (3 bytes")
    assert changed.missing("a.csv").endswith("run `make fetch` to download it)")
    assert changed.missing("zzz.csv") == "file not found"


def test_a_repeated_id_is_refused(tmp_path):
    body = ENTRY.format(id="a", path="a.csv", sha=ABC) + ENTRY.format(id="a", path="b.csv", sha=ABC)
    with pytest.raises(manifest.ManifestError, match="repeated"):
        manifest.load(_tiny_manifest(tmp_path, body))


def test_a_place_without_a_manifest_builds_unverified_and_says_so(tmp_path, monkeypatch):
    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", profiles)
    (profiles / "manifest.toml").unlink()
    monkeypatch.setenv("JSNA_PROFILES", str(profiles))
    assert manifest.load_if_present() is None
    release = manifest.Release(None)
    release.check("a.csv", b"abc")
    assert release.problem() is None
    assert release.label == "unverified"
    assert release.table()["sha256"].tolist() == [ABC]
