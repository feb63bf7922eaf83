"""The app's one read-only DuckDB connection, its shape check, and noticing a rebuild.

One DuckDB connection per process (cache_resource, keyed by the database path and the file's
identity); every query runs on its own `.cursor()`, because a shared DuckDB connection is not
thread-safe and each Streamlit session runs in its own thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import streamlit as st

from jsna.app import db
from jsna.core import config
from jsna.core.schema import PROFILE_COLUMNS


@st.cache_resource(show_spinner=False, max_entries=1)
def _connection(path: str, identity: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    # Keyed by the file's identity too: a rebuild renames a new file into place (new inode),
    # so the next query opens it instead of reading the deleted file. The build writes under
    # a temporary name, so a half-written database is never at `path`.
    con = db.connect(Path(path), read_only=True)
    # DuckDB's Python replacement scans would answer a query for a missing table with a
    # pandas frame of that name from the calling code: off for the whole database instance
    # (GLOBAL: a cursor does not inherit a session setting). Not as a connect-time config,
    # which DuckDB refuses when the same file is already open in the process without it.
    con.execute("SET GLOBAL python_enable_replacements = false")
    return con


class DatabaseSchemaError(duckdb.Error):
    """The database opens but is not this app's shape (an old or foreign build)."""


# What a page needs from a build: each relation and the columns it must have.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "profile": PROFILE_COLUMNS,
    "profile_all": (*PROFILE_COLUMNS, "benchmark_key"),
    "build_info": ("key", "value"),
}


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Raise DatabaseSchemaError unless every relation a page reads has its columns.

    Raises:
        DatabaseSchemaError: a table or view is missing or lacks a column.
    """
    for name, needed in REQUIRED_COLUMNS.items():
        try:
            have = set(con.table(name).columns)
        except duckdb.CatalogException as exc:
            raise DatabaseSchemaError(f"the database has no {name} table or view") from exc
        missing = [c for c in needed if c not in have]
        if missing:
            raise DatabaseSchemaError(f"the database's {name} has no column {missing[0]}")


def _identity(path: Path) -> tuple[int, int, int]:
    """Inode, modification time and size: changes whenever the database is rebuilt."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise db.DatabaseMissingError(f"No database at {path}.") from exc
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor on the process's one read-only connection (one per query: thread-safe)."""
    path = config.db_path()
    return _connection(str(path), _identity(path)).cursor()


@st.cache_resource(show_spinner=False)
def _seen() -> dict[str, tuple[int, int, int]]:
    return {}


_REFRESH = threading.Lock()


def refresh() -> None:
    """Notice a rebuilt database (run at the top of every page, on every rerun).

    When the file's identity has changed since the last rerun, every cached query result,
    boundary and figure is dropped, so no page mixes numbers from two builds.

    Raises:
        DatabaseMissingError: there is no database file.
    """
    path = config.db_path()
    # One session at a time: a session that sees the new file after another has noticed it
    # waits until the old build's caches are gone, so it never reads them.
    with _REFRESH:
        identity = _identity(path)
        previous = _seen().get(str(path))
        if previous is not None and previous != identity:
            # Everything cached was read from the old file: connection, queries, boundaries,
            # the place, and what pages derived from them (`state.remember`).
            st.cache_data.clear()
            st.cache_resource.clear()
        _seen()[str(path)] = identity
