"""Shared fixtures: the real source folder and a database built from it once per session."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from jsna.build import build_database

ROOT = Path(__file__).resolve().parent.parent
# A complete data folder (the place's inputs, national files and reference test files, with
# the checksums of profiles/manifest.toml): $JSNA_SOURCE, else ../shared/data beside the
# clone, else data/cache as filled by `make fetch`.
_SHARED = ROOT.parent / "shared" / "data"
SOURCE = Path(
    os.environ.get("JSNA_SOURCE") or (_SHARED if _SHARED.is_dir() else ROOT / "data" / "cache")
).resolve()


@pytest.fixture(scope="session")
def source() -> Path:
    if not (SOURCE / "reference_tests").is_dir():
        pytest.fail(f"source data not found at {SOURCE}; set JSNA_SOURCE or run `make fetch`")
    return SOURCE


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    out = tmp_path_factory.mktemp("db") / "test.duckdb"
    build_database(source, out)
    return out


@pytest.fixture
def con(built_db: Path):
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()
