"""Read and validate source files, with errors that name the file, the row and the column.

Row numbers are as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import errno
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jsna.core.errors import SourceError as SourceError  # raised by every reader here

if TYPE_CHECKING:
    from jsna.build.manifest import Release

# A count as written in the file: digits only, or an integral value written by pandas with a
# trailing ".0" ("112.0"). Anything else ("12.34", "1.234", "1,234", "1e3") is refused.
# ASCII digits only: Python's \d also matches full-width and other scripts' digits ("１２"),
# which pandas then cannot convert.
_COUNT = re.compile(r"[0-9]+(\.0)?")
_THOUSANDS = re.compile(r"[0-9]{1,3}([.,][0-9]{3})+")
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
# England in WGS84 longitude and latitude, with a margin (Isles of Scilly to Berwick).
ENGLAND_BOUNDS = (-7.0, 49.8, 2.1, 55.9)
_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


class Sources:
    """The data folder, read through validating helpers."""

    def __init__(self, root: Path, release: Release | None = None):
        """Use `root` as the data folder; record each file read in `release` (if given)."""
        self.root = root
        self.release = release

    def _verify(self, rel: str, path: Path, data: bytes | None = None) -> None:
        """Hash a file once per build for the data release (`jsna.build.manifest`)."""
        if self.release is not None and rel not in self.release.read:
            self.release.check(rel, path.read_bytes() if data is None else data)

    def _missing(self, rel: str) -> SourceError:
        return SourceError(rel, self.release.missing(rel) if self.release else "file not found")

    def once(self, key: tuple[str, ...], make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A frame derived from the sources, made once per data folder read (callers share it).

        For a large file that several recipes validate the same way (the national QOF file):
        the first call validates, later calls reuse the result. Treat it as read-only.
        """
        memo: dict[tuple[str, ...], pd.DataFrame] = self.__dict__.setdefault("_once", {})
        if key not in memo:
            memo[key] = make()
        return memo[key]

    def path(self, rel: str) -> Path:
        """The file `rel` names inside the data folder, checked to be a readable file.

        A path that leaves the data folder ("../../etc/passwd", or an absolute path) is
        refused without being read; a folder, a symbolic link that loops or points nowhere,
        and a missing file are each named as such.
        """
        norm = os.path.normpath(rel)
        if os.path.isabs(rel) or norm == ".." or norm.startswith(".." + os.sep):
            raise SourceError(rel, "the path leaves the data folder; name a file inside it")
        path = self.root / norm
        try:
            path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise SourceError(rel, "is a symbolic link that loops back on itself") from exc
            if path.is_symlink():
                raise SourceError(rel, "is a symbolic link to a file that does not exist") from exc
            raise self._missing(rel) from exc
        if path.is_dir():
            raise SourceError(rel, "is a folder, not a file")
        if not path.is_file():
            raise SourceError(rel, "is not a regular file")
        return path

    def _raw(self, rel: str, counted: bool) -> pd.DataFrame:
        """The file as text cells (cached per file; callers get a copy)."""
        cache: dict[str, pd.DataFrame] = self.__dict__.setdefault("_cache", {})
        if rel not in cache:
            path = self.path(rel)
            data = path.read_bytes()
            self._verify(rel, path, data)
            try:
                # Blank lines are kept (and dropped below) so row numbers stay as a
                # spreadsheet shows them.
                df = pd.read_csv(
                    io.BytesIO(data),
                    dtype=str,
                    keep_default_na=False,
                    na_values=[""],
                    skip_blank_lines=False,
                )
            except pd.errors.EmptyDataError as exc:
                raise SourceError(rel, "the file is empty") from exc
            except pd.errors.ParserError as exc:
                m = _LINE.search(str(exc))
                if m:
                    raise SourceError(
                        rel,
                        f"has {m[3]} cells where the header has {m[1]} "
                        "(a stray or trailing comma?)",
                        int(m[2]),
                    ) from exc
                raise SourceError(rel, f"cannot be read as CSV ({exc})".replace("\n", " ")) from exc
            except UnicodeDecodeError as exc:
                raise SourceError(
                    rel, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
                ) from exc
            if not isinstance(df.index, pd.RangeIndex):
                # pandas takes the first column as an index when every data row has one more
                # cell than the header: a trailing comma on each row.
                raise SourceError(
                    rel,
                    f"has {len(df.columns) + 1} cells where the header has {len(df.columns)} "
                    "(a stray or trailing comma?)",
                    2,
                )
            df["_row"] = range(2, len(df) + 2)
            df = df[df.drop(columns="_row").notna().any(axis=1)]
            if df.empty:
                raise SourceError(rel, "the file has a header but no data rows (cut short?)")
            df.attrs["ends_with_newline"] = data.endswith(b"\n")
            cache[rel] = df
        df = cache[rel]
        if counted and not df.attrs["ends_with_newline"]:
            # Every count file in the data ends with a line ending; one that stops mid-line
            # has lost the end of its last row (a count cut from 1234 to 12 still parses).
            raise SourceError(
                rel,
                "the last line has no line ending, so the file looks cut short",
                int(df["_row"].iloc[-1]),
            )
        return df.copy()

    def header(self, rel: str) -> list[str]:
        """The column names of a CSV (read once, like the file)."""
        return [c for c in self._raw(rel, counted=False).columns if c != "_row"]

    def read_csv(
        self,
        rel: str,
        columns: Iterable[str],
        counts: Iterable[str] = (),
        numbers: Iterable[str] = (),
        key: Iterable[str] | None = None,
        rows: Callable[[pd.DataFrame], pd.Series] | None = None,
        suppressed: Iterable[str] = (),
        estimates: Mapping[str, Iterable[str]] | None = None,
    ) -> pd.DataFrame:
        """Read a CSV, checking required columns, numeric columns and duplicate keys.

        Args:
            rel: path relative to the data folder.
            columns: columns that must be present.
            counts: columns that must hold non-negative whole numbers as written (digits,
                or an integral value with a trailing ".0"); a blank is refused unless
                `suppressed` says the source marks suppressed cells that way.
            numbers: columns that must hold numbers (blank allowed).
            key: columns whose combination must be unique.
            rows: which rows the build uses (the others, such as earlier periods, are
                dropped before any check); a function of the text frame.
            suppressed: cell texts the source uses to mark a suppressed count (for example
                "" or "*"); they are read as blank.
            estimates: rows (column -> values) whose counts are modelled estimates, such as
                an England row derived from fractions, and may be fractional.

        Returns:
            The frame, with numeric columns converted and a `_row` column giving each
            record's spreadsheet row number.

        Raises:
            SourceError: the file is missing or fails a check.
        """
        counts = list(counts)
        df = self._raw(rel, counted=bool(counts))
        missing = [c for c in columns if c not in df.columns]
        if missing:
            found = ", ".join(c for c in df.columns if c != "_row")
            raise SourceError(rel, f"missing column (found: {found})", 1, missing[0])
        for col in [*counts, *numbers]:
            if col not in df.columns:
                raise SourceError(rel, "missing column", 1, col)
        if rows is not None:
            df = df[rows(df).fillna(False).astype(bool)]
        estimated = pd.Series(False, index=df.index)
        for col, vals in (estimates or {}).items():
            estimated |= df[col].isin(list(vals))
        for col in counts:
            df[col] = _counts(df, rel, col, set(suppressed), estimated)
        for col in numbers:
            if col in counts:
                continue
            text = df[col].str.strip()
            text = text.where(~text.isin(["NA", "NaN", "nan"]))
            num = pd.to_numeric(text, errors="coerce")
            bad = (num.isna() & text.notna()) | ~(num.isna() | np.isfinite(num))
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise SourceError(rel, _not_a_number(df[col].iloc[i]), int(df["_row"].iloc[i]), col)
            df[col] = num.astype("float64")
        if key is not None:
            key = list(key)
            dup = df.duplicated(subset=key, keep="first")
            if dup.any():
                i = int(dup.to_numpy().argmax())
                vals = ", ".join(f"{k}={df[k].iloc[i]}" for k in key)
                raise SourceError(rel, f"duplicate row ({vals})", int(df["_row"].iloc[i]), key[0])
        return df

    def geojson_path(self, rel: str) -> Path:
        """Path of a boundary file, checked to exist."""
        path = self.path(rel)
        self._verify(rel, path)
        return path


def _not_a_number(value: str) -> str:
    """Why a cell that should hold a number does not."""
    text = str(value).strip()
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return f"'{value}' has digits that are not plain 0-9 (full-width?); write 0-9"
    try:
        if not math.isfinite(float(text)):
            return f"'{value}' is not a finite number"
    except ValueError:
        pass
    return f"'{value}' is not a number"


def _counts(
    df: pd.DataFrame, rel: str, col: str, suppressed: set[str], estimated: pd.Series
) -> pd.Series:
    """A count column as floats, refusing anything but whole non-negative numbers as written."""
    raw = df[col]
    text = raw.fillna("").str.strip()
    marked = text.isin(suppressed)
    blank = (text == "") & ~marked
    if blank.any():
        i = int(blank.to_numpy().argmax())
        raise SourceError(rel, "blank where a number is needed", int(df["_row"].iloc[i]), col)
    ok = marked | text.str.fullmatch(_COUNT) | (estimated & text.str.fullmatch(_NUMBER))
    if not ok.all():
        i = int((~ok).to_numpy().argmax())
        value = str(raw.iloc[i])
        if value.strip().startswith("-") and _NUMBER.fullmatch(value.strip()):
            why = f"negative count {value.strip()}"
        elif _THOUSANDS.fullmatch(value.strip()):
            why = f"'{value}' has a thousands separator or decimals; write a count as digits only"
        elif _NUMBER.fullmatch(value.strip()):
            why = f"'{value}' is not a whole number; a count must be a non-negative integer"
        else:
            why = _not_a_number(value)
        raise SourceError(rel, why, int(df["_row"].iloc[i]), col)
    return pd.to_numeric(text.where(~marked), errors="coerce").astype("float64")


def check_codes(
    df: pd.DataFrame,
    rel: str,
    column: str,
    known: Iterable[str],
    what: str,
    complete: bool = True,
) -> None:
    """Raise SourceError on the first code in `column` that is not in `known`.

    With `complete` (the default), every known code must also appear, so a file that lost an
    area's rows (cut short, or a filter upstream) stops the build instead of shrinking a total.
    """
    known_set = set(known)
    bad = ~df[column].isin(known_set)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise SourceError(
            rel, f"unknown {what} '{df[column].iloc[i]}'", int(df["_row"].iloc[i]), column
        )
    if complete:
        absent = sorted(known_set - set(df[column]))
        if absent:
            more = f" (and {len(absent) - 1} more)" if len(absent) > 1 else ""
            raise SourceError(
                rel,
                f"no rows for {what} {absent[0]}{more}: the file should cover all {len(known_set)}",
                column=column,
            )


def check_positive(df: pd.DataFrame, rel: str, column: str, what: str = "denominator") -> None:
    """Raise SourceError on the first row whose denominator is 0 (nobody to divide by)."""
    zero = df[column] <= 0
    if zero.any():
        i = int(zero.to_numpy().argmax())
        raise SourceError(
            rel, f"{what} of 0 in a row the build uses", int(df["_row"].iloc[i]), column
        )


def check_not_above(df: pd.DataFrame, rel: str, count: str, denominator: str) -> None:
    """Raise SourceError on the first row whose count exceeds its denominator."""
    bad = df[count] > df[denominator]
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise SourceError(
            rel,
            f"count {df[count].iloc[i]:g} is above its denominator {df[denominator].iloc[i]:g}",
            int(df["_row"].iloc[i]),
            count,
        )


def check_complete(df: pd.DataFrame, rel: str, columns: Iterable[str]) -> None:
    """Raise SourceError on the first blank cell in `columns` (a blank count is not a zero)."""
    for col in columns:
        blank = df[col].isna()
        if blank.any():
            i = int(blank.to_numpy().argmax())
            raise SourceError(rel, "blank where a number is needed", int(df["_row"].iloc[i]), col)


def check_range(df: pd.DataFrame, rel: str, column: str, unit: str) -> None:
    """Raise SourceError on the first value outside the plausible range of `unit`.

    The ranges are declared once, per unit, in `jsna.core.schema.UNIT_RANGES`; blanks pass (a
    value that is not published), anything not finite does not.
    """
    from jsna.core.schema import UNIT_RANGES

    lo, hi = UNIT_RANGES[unit]
    num = pd.to_numeric(df[column], errors="coerce")
    bad = num.notna() & ~num.between(lo, hi)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        span = f"at least {lo:g}" if hi == math.inf else f"between {lo:g} and {hi:g}"
        raise SourceError(
            rel,
            f"value {df[column].iloc[i]} is not plausible for '{unit}' (expected {span})",
            int(df["_row"].iloc[i]),
            column,
        )


def check_points(df: pd.DataFrame, rel: str, lon: str = "lon", lat: str = "lat") -> None:
    """Every point must be a WGS84 longitude/latitude inside England (blanks pass).

    A point with its longitude and latitude swapped lands off Somalia.
    """
    w, s, e, n = ENGLAND_BOUNDS
    x, y = df[lon], df[lat]
    outside = x.notna() & y.notna() & ~(x.between(w, e) & y.between(s, n))
    if outside.any():
        i = int(outside.to_numpy().argmax())
        swapped = s <= x.iloc[i] <= n and w <= y.iloc[i] <= e
        hint = " (longitude and latitude swapped?)" if swapped else ""
        raise SourceError(
            rel,
            f"point ({x.iloc[i]}, {y.iloc[i]}) is outside England in WGS84 "
            f"longitude/latitude{hint}",
            int(df["_row"].iloc[i]),
            lon if not x.between(w, e).iloc[i] else lat,
        )
