"""Shared fixtures: the real source folder and a database built from it once per session."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from jsna.build import build_database

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(os.environ.get("JSNA_SOURCE") or ROOT.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def source() -> Path:
    if not (SOURCE / "PROVENANCE.md").is_file():
        pytest.fail(f"source data not found at {SOURCE}; set JSNA_SOURCE")
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
