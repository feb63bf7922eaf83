"""DuckDB access: a read-only connection and the SQL files in `jsna/app/sql/`."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import duckdb


class DatabaseMissingError(FileNotFoundError):
    """The built database is not there; the message says how to build it."""


def connect(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the built database (read-only by default)."""
    if read_only and not path.is_file():
        raise DatabaseMissingError(
            f"No database at {path}. Build it with `python -m jsna.build` (or `make data`)."
        )
    return duckdb.connect(str(path), read_only=read_only)


@cache
def load_sql(name: str) -> str:
    """Text of `jsna/app/sql/<name>.sql`."""
    return resources.files("jsna.app").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def sql_names() -> list[str]:
    """Names of every query file (for the EXPLAIN meta-test)."""
    files = resources.files("jsna.app").joinpath("sql").iterdir()
    return sorted(f.name.removesuffix(".sql") for f in files if f.name.endswith(".sql"))
