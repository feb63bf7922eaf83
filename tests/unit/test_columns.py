"""The profile's columns are defined once (jsna.schema) and every consumer follows them."""

from __future__ import annotations

from jsna import downloads
from jsna.build import PROFILE_VIEW
from jsna.schema import PROFILE_COLUMNS


def test_every_downloaded_profile_column_has_a_plain_name():
    shown = [c for c in PROFILE_COLUMNS if c not in downloads.DROP]
    assert set(downloads.PLAIN_NAMES) == set(shown)


def test_the_profile_view_selects_the_profile_columns_in_order():
    select = PROFILE_VIEW.split("select ", 1)[1].split("\nfrom", 1)[0]
    assert [c.split(".")[1] for c in select.split(", ")] == list(PROFILE_COLUMNS)
