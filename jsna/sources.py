"""Read and validate source files, with errors that name the file, the row and the column.

Row numbers are as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from jsna.errors import SourceError as SourceError  # raised by every reader here

if TYPE_CHECKING:
    from jsna.manifest import Release

# A count as written in the file: digits only, or an integral value written by pandas with a
# trailing ".0" ("112.0"). Anything else ("12.34", "1.234", "1,234", "1e3") is refused.
_COUNT = re.compile(r"\d+(\.0)?")
_THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class Sources:
    """The data folder, read through validating helpers."""

    def __init__(self, root: Path, release: Release | None = None):
        """Use `root` as the data folder; record each file read in `release` (if given)."""
        self.root = root
        self.release = release

    def _verify(self, rel: str, path: Path, data: bytes | None = None) -> None:
        """Hash a file once per build for the data release (`jsna.manifest`)."""
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

    def _raw(self, rel: str, counted: bool) -> pd.DataFrame:
        """The file as text cells (cached per file; callers get a copy)."""
        cache: dict[str, pd.DataFrame] = self.__dict__.setdefault("_cache", {})
        if rel not in cache:
            path = self.root / rel
            if not path.is_file():
                raise self._missing(rel)
            data = path.read_bytes()
            self._verify(rel, path, data)
            try:
                df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])
            except pd.errors.EmptyDataError as exc:
                raise SourceError(rel, "the file is empty") from exc
            except (pd.errors.ParserError, UnicodeDecodeError) as exc:
                raise SourceError(rel, f"cannot be read as CSV ({exc})") from exc
            if df.empty:
                raise SourceError(rel, "the file has a header but no data rows (cut short?)")
            df["_row"] = range(2, len(df) + 2)
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
            bad = num.isna() & text.notna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise SourceError(
                    rel, f"'{df[col].iloc[i]}' is not a number", int(df["_row"].iloc[i]), col
                )
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
        path = self.root / rel
        if not path.is_file():
            raise self._missing(rel)
        self._verify(rel, path)
        return path


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
            why = f"'{value}' is not a number"
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
