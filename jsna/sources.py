"""Read and validate source files, with errors that name the file, the row and the column.

Row numbers are as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd


class SourceError(Exception):
    """A source file failed validation. `str()` is the one line the build prints."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        """Record where the problem is.

        Args:
            file: path of the file, relative to the data folder.
            message: what is wrong.
            row: spreadsheet row number (header = 1), when one row is at fault.
            column: column name, when one column is at fault.
        """
        self.file, self.row, self.column, self.message = file, row, column, message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


class Sources:
    """The data folder, read through validating helpers."""

    def __init__(self, root: Path):
        """Use `root` as the data folder."""
        self.root = root

    def read_csv(
        self,
        rel: str,
        columns: Iterable[str],
        counts: Iterable[str] = (),
        numbers: Iterable[str] = (),
        key: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Read a CSV, checking required columns, numeric columns and duplicate keys.

        Args:
            rel: path relative to the data folder.
            columns: columns that must be present.
            counts: columns that must hold non-negative numbers (blank allowed).
            numbers: columns that must hold numbers (blank allowed).
            key: columns whose combination must be unique.

        Returns:
            The frame, with numeric columns converted and a `_row` column giving each
            record's spreadsheet row number.

        Raises:
            SourceError: the file is missing or fails a check.
        """
        path = self.root / rel
        if not path.is_file():
            raise SourceError(rel, "file not found")
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except pd.errors.EmptyDataError as exc:
            raise SourceError(rel, "the file is empty") from exc
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SourceError(rel, f"cannot be read as CSV ({exc})") from exc
        df["_row"] = range(2, len(df) + 2)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            found = ", ".join(c for c in df.columns if c != "_row")
            raise SourceError(rel, f"missing column (found: {found})", 1, missing[0])
        for col in [*counts, *numbers]:
            if col not in df.columns:
                raise SourceError(rel, "missing column", 1, col)
            text = df[col].str.strip()
            text = text.where(~text.isin(["NA", "NaN", "nan"]))
            num = pd.to_numeric(text, errors="coerce")
            bad = num.isna() & text.notna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise SourceError(
                    rel, f"'{df[col].iloc[i]}' is not a number", int(df["_row"].iloc[i]), col
                )
            if col in set(counts):
                neg = num < 0
                if neg.any():
                    i = int(neg.to_numpy().argmax())
                    raise SourceError(
                        rel, f"negative count {num.iloc[i]:g}", int(df["_row"].iloc[i]), col
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
            raise SourceError(rel, "file not found")
        return path


def check_codes(df: pd.DataFrame, rel: str, column: str, known: Iterable[str], what: str) -> None:
    """Raise SourceError on the first code in `column` that is not in `known`."""
    known_set = set(known)
    bad = ~df[column].isin(known_set)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise SourceError(
            rel, f"unknown {what} '{df[column].iloc[i]}'", int(df["_row"].iloc[i]), column
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
