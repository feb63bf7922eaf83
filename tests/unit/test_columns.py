"""The profile's columns are defined once (jsna.core.schema) and every consumer follows them."""

from __future__ import annotations

import re

from jsna.app import downloads
from jsna.core.schema import PROFILE_COLUMNS
from tests.conftest import ROOT


def readme_profile_columns() -> list[str]:
    """The columns README.md's "The `profile` view" section documents, in its order.

    Column names are the backticked lists outside brackets; the bracketed backticks are the
    values a column takes ("`england, local_authority, …`").
    """
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The `profile` view", 1)[1].split("\n## ", 1)[0]
    listed = section.split("Columns:", 1)[1].split("\n\n", 1)[0]  # that paragraph
    outside = re.sub(r"\([^()]*\)", "", listed)
    return [c.strip() for span in re.findall(r"`([^`]*)`", outside) for c in span.split(",")]


def test_the_readme_documents_the_profile_columns_in_order():
    columns = readme_profile_columns()
    assert columns[:3] == ["area_code", "area_name", "area_type"]
    assert columns[-1] == "population"
    assert columns == list(PROFILE_COLUMNS)


def test_every_downloaded_profile_column_has_a_plain_name():
    shown = [c for c in PROFILE_COLUMNS if c not in downloads.DROP]
    assert set(downloads.PLAIN_NAMES) == set(shown)
