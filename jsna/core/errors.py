"""The build's two kinds of bad input, each one line naming the file (and row and column).

Here rather than beside the readers so that shared code (pooling, geography, recipes) can
raise them without importing the reading side.
"""

from __future__ import annotations


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the entry."""


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
