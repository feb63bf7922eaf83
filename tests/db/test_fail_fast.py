"""A damaged local file stops the build before the slow national tables are made.

The national suppression and ranks take most of a build (minutes on a shared machine), so
a bad local source must be reported without them: the build's own promise, and what keeps
the damage tests quick.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna.build import national
from jsna.build import pipeline as build
from tests.db.test_bad_input import WARDS_2023, farm  # noqa: F401 (fixture)


def test_a_changed_local_file_stops_the_build_before_the_national_tables(
    farm: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A boundary file one byte longer than its release: the same one line as ever, and the
    national build is never started."""
    started: list[str] = []

    def national_build(*args: object, **kwargs: object) -> None:
        started.append("national")
        raise AssertionError("the national tables were started")

    monkeypatch.setattr(national, "national_build", national_build)
    path = farm / WARDS_2023
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data + b"\n")
    out = tmp_path / "jsna.duckdb"
    assert build.main(["--source", str(farm), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"build failed: {WARDS_2023}: changed since data release "), err
    assert started == []
    assert not out.exists()
