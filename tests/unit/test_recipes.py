"""Each recipe declares its own `build` settings, checked when indicators.toml is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna.build.profiles import ProfileError, load_indicators, load_place
from jsna.build.recipes import KINDS

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def _load_with(tmp_path: Path, old: str, new: str):
    text = (PROFILES / "indicators.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "indicators.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_indicators(path, load_place(PROFILES / "place.toml"))


def test_every_indicator_names_a_declared_recipe():
    profile = load_indicators()
    assert {i.build["kind"] for i in profile.indicators} <= set(KINDS)
    assert KINDS["census_age_share"].settings["min_age"] == "int"


def test_a_setting_of_the_wrong_type_is_refused_when_the_toml_is_loaded(tmp_path):
    with pytest.raises(ProfileError, match=r"\(census_age_share\): key 'min_age' must be a whole"):
        _load_with(tmp_path, "min_age = 0, max_age = 15", 'min_age = "0", max_age = 15')


def test_a_file_key_belongs_to_the_place_not_the_indicator(tmp_path):
    with pytest.raises(ProfileError, match=r"\(census_age_share\): unknown key 'file'"):
        _load_with(
            tmp_path, "min_age = 0, max_age = 15", 'min_age = 0, max_age = 15, file = "x.csv"'
        )
