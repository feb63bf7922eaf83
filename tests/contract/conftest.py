"""The databases the contract runs on: Loamshire always; Trafford's build where the data
folder is present (tests/conftest.py `built_db`); any council's with JSNA_CONTRACT_DB."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st

from tests.conftest import SOURCE
from tests.fixtures.build import for_session

TARGETS = ["loamshire"]
if (SOURCE / "reference_tests").is_dir():
    TARGETS.append("trafford")
if os.environ.get("JSNA_CONTRACT_DB"):
    TARGETS.append("council")


@pytest.fixture(scope="session", params=TARGETS)
def contract_db(request: pytest.FixtureRequest) -> Path:
    """A built database to hold to the contract."""
    if request.param == "loamshire":
        return for_session(request.getfixturevalue("tmp_path_factory")).db
    if request.param == "trafford":
        return Path(request.getfixturevalue("built_db"))
    path = Path(os.environ["JSNA_CONTRACT_DB"])
    if not path.is_file():
        pytest.fail(f"JSNA_CONTRACT_DB={path}: no such database")
    return path


@pytest.fixture
def contract_con(contract_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(contract_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def contract_app(contract_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app pointed at the database, with Streamlit's caches cleared."""
    monkeypatch.setenv("JSNA_DB", str(contract_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield contract_db
    st.cache_data.clear()
    st.cache_resource.clear()
