"""No source's date is written in the app's code: every date label is read from the data.

What counts as a source date, in any string a user could see (every string literal in
`pages/` and `jsna/`, f-string parts included): a month and year ("April 2026", "May-2023",
"Jan 2026"), a day-month-year date ("1 January 2026", "2024-06-30"), a financial year
("2022/23"), a mid-year ("mid-2024"), a copyright year ("© … 2025") and a source named with
its year ("Census 2021", "IMD 2019", "IoD2025", "QOF 2022"). A source's name with its year is a
date too: the pages name the deprivation index and the Census from the build's labels
(`jsna.app.ui.state.source_period`, stored from the data release's periods).

Not counted: docstrings and comments (they explain, a reader never sees them), the place
generator (`jsna/build/place*.py`: it writes a place's files from the national data it was given)
and the manifest (`profiles/manifest.toml`, the declared periods themselves). Author-year
citations ("Spiegelhalter 2005") and indicator ids ("imd2019_score") are not source dates.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
SOURCE_DATE = re.compile(
    "|".join(
        [
            rf"\b{_MONTH}[ -](?:19|20)\d\d\b",  # April 2026, May-2023, Jan 2026
            r"\b(?:19|20)\d\d-\d\d-\d\d\b",  # 2024-06-30
            r"\b(?:19|20)\d\d/\d\d\b",  # 2022/23
            r"\bmid-(?:19|20)\d\d\b",  # mid-2024
            r"©[^\n]*?\b(?:19|20)\d\d\b",  # © Crown copyright … 2025
            r"\b(?:Census|IMD|IoD|QOF|HEEC) ?(?:19|20)\d\d\b",  # Census 2021, IMD 2019
        ]
    )
)


def _code_files() -> list[Path]:
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "jsna").rglob("*.py"))
    return [f for f in files if not f.name.startswith("place")]


def _docstring_ids(tree: ast.AST) -> set[int]:
    """Ids of string constants that stand alone as statements (docstrings, bare notes)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def source_dates(text: str, name: str = "<text>") -> list[str]:
    """`file:line: match` for every source date in the user-facing strings of some code."""
    tree = ast.parse(text, filename=name)
    skip = _docstring_ids(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"{name}:{node.lineno}: {m[0]!r}" for m in SOURCE_DATE.finditer(node.value)]
    return found


def test_the_detector_finds_each_kind_and_skips_docstrings_and_comments():
    code = '''"""Built from QOF 2022/23 (a docstring)."""
# mid-2024 in a comment
def f(x):
    """Census 2021 here is a docstring too."""
    return [
        "mapping (April 2026)", f"patients on 1 January 2026 {x}", "May-2023 ward set",
        "QOF 2022/23", "mid-2024", "© Crown copyright 2025", "Census 2021", "IMD 2019",
        "2024-06-30", "imd2019_score", "Spiegelhalter 2005", "wards from May 2023",
    ]
'''
    hits = sorted(h.split(": ", 1)[1] for h in source_dates(code))
    assert hits == sorted(
        [
            "'April 2026'",
            "'January 2026'",
            "'May-2023'",
            "'QOF 2022'",
            "'mid-2024'",
            "'© Crown copyright 2025'",
            "'Census 2021'",
            "'IMD 2019'",
            "'2024-06-30'",
            "'May 2023'",
        ]
    )


def test_no_source_date_is_written_in_pages_or_jsna():
    found = [
        hit
        for f in _code_files()
        for hit in source_dates(f.read_text(encoding="utf-8"), str(f.relative_to(ROOT)))
    ]
    assert not found, "source dates written in code (read them from the data):\n" + "\n".join(found)


NATIONAL_PATH = re.compile(r"national/|england/census|\.csv\b|\.xlsx\b|\.geojson\b")


def test_no_national_file_path_in_jsna():
    """Files are named by the place (`[files]`, indicators' build tables) and the manifest."""
    found = []
    for f in _code_files():
        if f.parts[-2] == "pages":
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        skip = _docstring_ids(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and NATIONAL_PATH.search(node.value)
                and "/" in node.value
            ):
                found.append(f"{f.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)
