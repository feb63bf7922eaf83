"""Loamshire, the synthetic county (tests/fixtures/county.py), built once per session."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from tests.fixtures.build import Built, for_session


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return for_session(tmp_path_factory)


@pytest.fixture
def county_con(county: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(county.db), read_only=True)
    yield con
    con.close()
