"""Any LSOA-set id works: the IMD and Census LSOA recipes find their set by the file's codes.

Trafford's place with its two LSOA sets renamed (`lsoa_2011` -> `census_a`, `lsoa_2021` ->
`census_b`) and listed the other way round gives the same rows as the place as committed, and
an LSOA's IMD 2019 score is its row in the IoD file.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jsna.build.geography import load_geography
from jsna.build.profiles import load_indicators, load_place
from jsna.build.recipes import KINDS
from jsna.build.sources import Sources

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "trafford"
IMD = "indicators/deprivation/trafford_lsoa11_IoD2015_IoD2019_all_domains.csv"
CHECKED = ("imd2019_score", "imd2019_most_deprived_20", "disabled", "bad_health")


def _renamed(tmp: Path) -> Path:
    out = tmp / "profiles"
    shutil.copytree(ROOT / "profiles", out)
    text = (out / "place.toml").read_text(encoding="utf-8")
    start = text.index("[[lsoa_set]]")
    end = text.index("[[neighbourhood]]")
    first, second = text[start:end].strip().split("\n\n")
    assert 'id = "lsoa_2011"' in first
    assert 'id = "lsoa_2021"' in second
    first = first.replace('id = "lsoa_2011"', 'id = "census_a"')
    second = second.replace('id = "lsoa_2021"', 'id = "census_b"')
    text = text[:start] + second + "\n\n" + first + "\n\n" + text[end:]
    assert 'id = "lsoa_' not in text
    (out / "place.toml").write_text(text, encoding="utf-8")
    return out


def _rows(profiles: Path) -> dict[str, pd.DataFrame]:
    place = load_place(profiles / "place.toml")
    profile = load_indicators(profiles / "indicators.toml", place=place)
    src = Sources(DATA)
    geo_ = load_geography(src, place)
    inds = {i.id: i for i in profile.indicators}
    out = {}
    for ind_id in CHECKED:
        ind = inds[ind_id]
        df = KINDS[ind.build["kind"]].run(src, geo_, ind)
        out[ind_id] = df.sort_values(list(df.columns[:1])).reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    return _rows(ROOT / "profiles"), _rows(_renamed(tmp_path_factory.mktemp("lsoa_ids")))


def test_renamed_lsoa_sets_give_the_same_rows(both):
    committed, renamed = both
    for ind_id in CHECKED:
        assert len(committed[ind_id]) > 0, ind_id
        pd.testing.assert_frame_equal(committed[ind_id], renamed[ind_id], check_like=True)


def test_an_lsoa_imd_score_is_its_iod_row(both):
    _, renamed = both
    with (DATA / IMD).open(newline="", encoding="utf-8") as fh:
        row = next(
            r
            for r in csv.DictReader(fh)
            if r["index_domain"] == "Index of Multiple Deprivation" and r["year"] == "2019"
        )
    scores = renamed["imd2019_score"].set_index("area_code")["value"]
    assert scores[row["lsoa11cd"]] == pytest.approx(float(row["score"]))
