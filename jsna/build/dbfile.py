"""Writing the database file atomically, under a lock, clearing a killed build's leftovers."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd


def leftovers(out: Path) -> list[Path]:
    """Temporary files a build of `out` that was killed mid-write left behind."""
    return sorted(
        p
        for pattern in (f"{out.name}.*.tmp", f"{out.name}.*.tmp.wal")
        for p in out.parent.glob(pattern)
    )


@contextlib.contextmanager
def _writing(out: Path) -> Iterator[None]:
    """Hold `out`'s build lock while writing it, first removing a killed build's temp files.

    The lock (`<out>.lock`, an advisory flock released when the process ends, however it
    ends) means two builds never write at once, so any temp file found while holding it is
    a leftover, not another build's work in progress.
    """
    with open(f"{out}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for stale in leftovers(out):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write(out: Path, tables: dict[str, pd.DataFrame], views: list[str]) -> None:
    """Write `tables` (and the `views` SQL) to `out` under a temporary name, then rename it.

    A failed write leaves the previous database untouched.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with _writing(out):
        fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()
        try:
            con = duckdb.connect(str(tmp))
            try:
                for name, df in tables.items():
                    con.register("_df", df)
                    con.execute(f"create table {name} as select * from _df")  # noqa: S608
                    con.unregister("_df")
                for sql in views:
                    con.execute(sql)
            finally:
                con.close()
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
