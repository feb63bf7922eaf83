"""Unit: the generator itself: the same seed writes the same bytes, in the promised shape."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.fixtures import county
from tests.small.source import census_counts, place, rows


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    county.write(tmp_path / "a")
    county.write(tmp_path / "b")
    county.write(tmp_path / "c", seed=county.SEED + 1)
    a, b, c = (_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert len(a) == 29, "26 data files and 3 profile files"
    assert a != c


def test_a_county_with_three_ward_sets_not_named_by_year(county):
    p = place(county.profiles)
    assert p["place"]["code"].startswith("E10"), "a county"
    sets = [w["id"] for w in p["ward_set"]]
    assert sets == ["electoral", "legacy", "divisions"]
    assert not any(ch.isdigit() for s in [*sets, p["lsoa_set"][0]["id"]] for ch in s)
    assert len(p["neighbourhood"]) == 12
    assert len(p["pcn"]) == 20
    assert sum(len(c["practices"]) for c in p["pcn"]) == 60
    served = {n for c in p["pcn"] for n in c["serves"]}
    assert len(served) == 11, "one neighbourhood is served by no PCN"
    assert max(len(c["serves"]) for c in p["pcn"]) == 2, "one PCN serves two neighbourhoods"


def test_the_source_holds_counts_from_1_to_4_to_suppress(county):
    p = place(county.profiles)
    lsoa = census_counts(
        county.data / p["source"]["ethnic_minority"]["lsoa_file"], "ethnic_group", {"White"}
    )
    minority = [d - c for c, d in lsoa.values()]
    qof = rows(county.data / p["source"]["qof_registers"]["file"])
    registers = [int(r["REGISTER"]) for r in qof if r["GROUP_CODE"] in ("LD", "EP")]
    assert sum(1 <= n <= 4 for n in minority) >= 5
    assert sum(1 <= n <= 4 for n in registers) >= 5
