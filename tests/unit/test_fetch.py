"""`make fetch` over a loopback mirror: the real pooch download path, sha256 checked.

A thread serves the data folder on 127.0.0.1 (random port), honestly under /good/, and with
each file cut short, cut off mid-transfer or altered by one byte under the other prefixes.
Only the honest copy is kept; the others are refused with one line naming the file, and the
cache holds nothing under their name, not even a temporary file.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jsna.build import fetch, manifest

SMALL = [
    "reference_tests/PHEindicatormethods/DSR_testdata.csv",
    "reference_tests/PHEindicatormethods/testdata_funnel_rate_input_funnels.csv",
]


def _handler(source: Path) -> type[http.server.BaseHTTPRequestHandler]:
    class Mirror(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            kind, _, rel = self.path.lstrip("/").partition("/")
            path = source / rel
            if kind not in {"good", "truncated", "cut", "tampered"} or not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            body = {
                "good": data,
                "truncated": data[: len(data) // 2],
                "cut": data[: len(data) // 2],
                "tampered": data[:-2] + bytes([data[-2] ^ 1]) + data[-1:],
            }[kind]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data) if kind == "cut" else len(body)))
            self.end_headers()
            self.wfile.write(body)
            if kind == "cut":
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Mirror


@pytest.fixture(scope="module")
def mirror(source: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(source))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_an_honest_mirror_fills_the_cache_with_the_declared_bytes(mirror, source, tmp_path):
    cache = tmp_path / "cache"
    done = fetch.fetch(cache=cache, mirror=f"{mirror}/good", roles=["test"], only=SMALL)
    assert sorted(done.downloaded) == SMALL
    assert _files(cache) == SMALL
    for rel in SMALL:
        assert (cache / rel).read_bytes() == (source / rel).read_bytes()
    again = fetch.fetch(cache=cache, mirror=f"{mirror}/good", roles=["test"], only=SMALL)
    assert (again.downloaded, sorted(again.present)) == ([], SMALL)


@pytest.mark.parametrize("kind", ["truncated", "cut", "tampered"])
def test_a_bad_download_is_refused_and_leaves_nothing_in_the_cache(mirror, tmp_path, kind):
    cache = tmp_path / "cache"
    rel = SMALL[0]
    with pytest.raises(fetch.FetchError) as err:
        fetch.fetch(cache=cache, mirror=f"{mirror}/{kind}", roles=["test"], only=[rel])
    assert str(err.value).startswith(f"{rel}: download ")
    assert "\n" not in str(err.value)
    assert _files(cache) == []


def test_a_tampered_download_never_replaces_a_good_copy(mirror, source, tmp_path):
    cache = tmp_path / "cache"
    rel = SMALL[1]
    fetch.fetch(cache=cache, mirror=f"{mirror}/good", roles=["test"], only=[rel])
    (cache / rel).write_bytes(b"stale")  # a damaged local copy is fetched again
    with pytest.raises(fetch.FetchError, match="sha256 does not match"):
        fetch.fetch(cache=cache, mirror=f"{mirror}/tampered", roles=["test"], only=[rel])
    assert (cache / rel).read_bytes() == b"stale"
    assert _files(cache) == [rel]


def test_the_command_prints_one_line_and_exits_1_on_a_refused_file(mirror, tmp_path, capsys):
    code = fetch.main(["--cache", str(tmp_path / "c"), "--mirror", f"{mirror}/tampered"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1
    assert err.startswith("fetch failed: ")


def test_without_a_mirror_exact_copies_come_from_their_commit_and_derived_files_from_nowhere():
    release = manifest.load()
    ts001 = release.files["national/census2021/TS001_residence_type_2021.csv.gz"]
    assert fetch.url_for(ts001, None) == (
        "https://raw.githubusercontent.com/ONSvisual/dot-density-data/"
        "12ecaf83f869b8e1d4f5462c88c1736384c0f4f1/input/data/TS001_residence_type_2021.csv.gz"
    )
    lsoa = release.files["national/boundaries/lsoa21_by_lad/E08000009.geojson"]
    assert fetch.url_for(lsoa, None) is None
    assert fetch.url_for(lsoa, "http://127.0.0.1:1/m/") == (
        "http://127.0.0.1:1/m/national/boundaries/lsoa21_by_lad/E08000009.geojson"
    )
    digest = hashlib.sha256(b"").hexdigest()
    assert all(e.sha256 != digest for e in release.files.values())
