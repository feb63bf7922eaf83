"""Damaged sources stop the build with one clear line and leave the previous database alone.

One table, one row per class of damage: each copies the data folder (as symlinks) and the
profiles, damages one file, runs the build over a real previous database and checks the one
line it prints names the file and what is wrong, and that the previous file is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jsna.build import pipeline as build

ROOT = Path(__file__).resolve().parents[2]
CENSUS = "indicators/census2021/"
HEALTH = CENSUS + "health_disability_unpaid_care/2021_general_health_ward_trafford.csv"
HEALTH_LSOA = CENSUS + "health_disability_unpaid_care/2021_general_health_lsoa_trafford.csv"
HEALTH_GM = CENSUS + "health_disability_unpaid_care/2021_general_health_la_gm.csv"
MYE = "indicators/population/mid-year_2024_population_estimates_ward.csv"
SMOKING = "gp/qof/fingertips_91547_smoking_qof_trafford_practices_england.csv"
REGISTRATIONS = "gp/trafford_gp_patient_registrations.csv"
WARDS_2023 = "boundaries/ward_2023/trafford_ward_2023_generalised.geojson"
AE_UNDER5 = (
    "gp/fingertips/fingertips_93930_ae_attendances_age0to4_trafford_practices_pcns_england.csv"
)
HOUSEHOLDS = "indicators/census2021/population/2021_household_composition_ward_trafford.csv"
HOUSEHOLD_SIZE = "indicators/census2021/population/2021_household_size_ward_trafford.csv"
QUALIFICATIONS = (
    "indicators/census2021/education/2021_highest_level_qualification_ward_trafford.csv"
)
CENSUS_AGE = "indicators/census2021/population/2021_population_by_sex_and_age_ward_trafford.csv"
LIFE_EXPECTANCY = "indicators/la_fingertips_trafford_themes/life_expectancy.csv"
WARD_LE_MALE = "indicators/ward_data_2017wards/health/male_life_expectancy.csv"
PRACTICE_POINTS = "gp/trafford_general_practices.csv"
POSTCODES = "lookups/trafford_postcodes.csv"
PLACE = "profiles/place.toml"
INDICATORS = "profiles/indicators.toml"

Edit = Callable[[Path], None]


@pytest.fixture
def farm(tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Symlinks to the source folder (single files can be replaced) and a copy of profiles/."""
    dst = tmp_path / "data"
    shutil.copytree(source, dst, copy_function=os.symlink)
    shutil.copytree(ROOT / "profiles", dst / "profiles")
    monkeypatch.setenv("JSNA_PROFILES", str(dst / "profiles"))
    return dst


def _replace(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text, encoding="utf-8")


def text(rel: str, change: Callable[[str], str]) -> Edit:
    """Edit a file's whole text."""

    def edit(farm: Path) -> None:
        path = farm / rel
        _replace(path, change(path.read_text(encoding="utf-8")))

    return edit


def rows(rel: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Edit:
    """Edit a CSV as rows of cells (row 1 is the header, as a spreadsheet shows it)."""

    def edit(farm: Path) -> None:
        path = farm / rel
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(change(table))
        _replace(path, out.getvalue())

    return edit


def cell(rel: str, row: int, column: str, value: str | Callable[[str], str]) -> Edit:
    """Set one cell (row as a spreadsheet numbers it)."""

    def change(table: list[list[str]]) -> list[list[str]]:
        j = table[0].index(column)
        old = table[row - 1][j]
        table[row - 1][j] = value(old) if callable(value) else value
        return table

    return rows(rel, change)


def where(rel: str, column: str, match: str, change: Callable[[list[str], int], None]) -> Edit:
    """Change every row whose `column` is `match` in place (given the row and column index)."""

    def edit(table: list[list[str]]) -> list[list[str]]:
        j = table[0].index(column)
        for r in table[1:]:
            if r[j] == match:
                change(r, table[0].index("value") if "value" in table[0] else j)
        return table

    return rows(rel, edit)


def drop(rel: str, column: str, match: str) -> Edit:
    """Delete every row whose `column` is `match`."""
    return rows(rel, lambda t: [t[0], *(r for r in t[1:] if r[t[0].index(column)] != match)])


def features(rel: str, change: Callable[[list[dict]], list[dict]]) -> Edit:
    """Edit a GeoJSON layer's features."""

    def edit(farm: Path) -> None:
        path = farm / rel
        layer = json.loads(path.read_text(encoding="utf-8"))
        layer["features"] = change(layer["features"])
        _replace(path, json.dumps(layer))

    return edit


def _set(i: int, key: str, value: object) -> Callable[[list[dict]], list[dict]]:
    def change(fs: list[dict]) -> list[dict]:
        if key == "geometry":
            fs[i]["geometry"] = value
        else:
            fs[i]["properties"][key] = value
        return fs

    return change


def _to_national_grid(fs: list[dict]) -> list[dict]:
    """Coordinates as British National Grid-like metres, still labelled as GeoJSON."""

    def move(c):
        if isinstance(c[0], (int, float)):
            return [380000 + (c[0] + 2.3) * 66000, 390000 + (c[1] - 53.4) * 111000]
        return [move(x) for x in c]

    for f in fs:
        f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])
    return fs


def _first_gp_row(table: list[list[str]]) -> int:
    j, k = table[0].index("Area Type"), table[0].index("Time period")
    return next(i + 1 for i, r in enumerate(table) if r[j] == "GPs" and r[k] == "2022/23")


def _gp_count(value: str) -> Edit:
    def change(table: list[list[str]]) -> list[list[str]]:
        table[_first_gp_row(table) - 1][table[0].index("Count")] = value
        return table

    return rows(SMOKING, change)


def _zero(r: list[str], j: int) -> None:
    r[j] = "0"


def _once(pattern: str, repl: str) -> Callable[[str], str]:
    def change(s: str) -> str:
        new, n = re.subn(pattern, repl, s, count=1, flags=re.MULTILINE)
        assert n == 1, pattern
        return new

    return change


def _lines(rel: str, change: Callable[[list[str]], list[str]]) -> Edit:
    """Edit a file's lines (each with its line ending)."""
    return text(rel, lambda s: "".join(change(s.splitlines(keepends=True))))


def _spoil(line: str, ending: str) -> str:
    """The line with its count (`ending`, such as ",318\\n") replaced by "lots"."""
    assert line.endswith(ending), line
    return line.removesuffix(ending) + ",lots\n"


def _bytes(rel: str, change: Callable[[bytes], bytes]) -> Edit:
    """Edit a file's bytes (for damage that is not UTF-8 text)."""

    def edit(farm: Path) -> None:
        path = farm / rel
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(change(data))

    return edit


def _swap_lon_lat(table: list[list[str]]) -> list[list[str]]:
    """Row 2's longitude and latitude swapped (the usual paste slip)."""
    i, j = table[0].index("lon"), table[0].index("lat")
    table[1][i], table[1][j] = table[1][j], table[1][i]
    return table


def _symlink_loop(rel: str) -> Edit:
    def edit(farm: Path) -> None:
        (farm / rel).unlink()
        (farm / rel).symlink_to(farm / rel)

    return edit


def _folder(rel: str) -> Edit:
    def edit(farm: Path) -> None:
        (farm / rel).unlink()
        (farm / rel).mkdir()

    return edit


def _unclose_first_ring(fs: list[dict]) -> list[dict]:
    """Feature 1's outer ring loses its closing point."""
    geom = fs[0]["geometry"]
    ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
    ring.pop()
    return fs


# A figure eight: the ring's edges cross at (-2.25, 53.45), inside England.
FIGURE_EIGHT = {
    "type": "Polygon",
    "coordinates": [[[-2.3, 53.4], [-2.2, 53.5], [-2.2, 53.4], [-2.3, 53.5], [-2.3, 53.4]]],
}


def _drop_rows(rel: str, **match: str) -> Edit:
    """Delete every row matching all of `match` (column=value)."""

    def change(t: list[list[str]]) -> list[list[str]]:
        idx = {k: t[0].index(k) for k in match}
        return [t[0], *(r for r in t[1:] if any(r[idx[k]] != v for k, v in match.items()))]

    return rows(rel, change)


# Rows of the damaged files, as a spreadsheet numbers them, found by reading the source
# (hand-checked: Trafford's 2023 - 25 male life expectancy is row 5161; the first A&E row the
# build uses is row 4, England's persons for 2021/22: Value 762.5906477, Count 2332838,
# Denominator 3059096).
LE_TRAFFORD_MALE_2023_25 = 5161
AE_FIRST_USED_ROW = 4


# id, damage, what the one line must say (all of it)
DAMAGE = [
    # -- strict types: counts are non-negative whole numbers as written
    (
        "renamed-column",
        text(HEALTH, _once(",value$", ",amount")),
        [HEALTH, "row 1", "column 'value'", "missing column"],
    ),
    (
        "text-count",
        cell(HEALTH, 5, "value", "lots"),
        [HEALTH, "row 5", "column 'value'", "'lots' is not a number"],
    ),
    (
        "negative-count",
        cell(HEALTH, 7, "value", "-12"),
        [HEALTH, "row 7", "column 'value'", "negative count -12"],
    ),
    (
        "decimal-count",
        cell(HEALTH, 5, "value", "12.34"),
        [HEALTH, "row 5", "column 'value'", "'12.34' is not a whole number"],
    ),
    (
        "european-thousands-separator",
        cell(HEALTH, 2, "value", "7.484"),
        [HEALTH, "row 2", "column 'value'", "thousands separator"],
    ),
    (
        "comma-thousands-separator",
        cell(HEALTH, 2, "value", "7,484"),
        [HEALTH, "row 2", "column 'value'", "thousands separator"],
    ),
    (
        "blank-count",
        cell(HEALTH, 6, "value", ""),
        [HEALTH, "row 6", "column 'value'", "blank where a number is needed"],
    ),
    (
        "unmarked-suppression-symbol",
        cell(HEALTH, 4, "value", "*"),
        [HEALTH, "row 4", "column 'value'", "'*' is not a number"],
    ),
    (
        "decimal-count-in-a-used-gp-row",
        _gp_count("101.5"),
        [SMOKING, "column 'Count'", "'101.5' is not a whole number"],
    ),
    (
        "count-above-denominator",
        _gp_count("999999"),
        [SMOKING, "column 'Count'", "above its denominator"],
    ),
    # -- completeness: every area, every category, people where people live
    (
        "duplicate-row",
        text(HEALTH, lambda s: s + s.splitlines(keepends=True)[9]),
        [HEALTH, "row 107", "duplicate row"],
    ),
    (
        "missing-category-row",
        rows(HEALTH, lambda t: [t[0], *t[2:]]),
        [HEALTH, "column 'general_health'", "area E05000819 has 4 of the 5 categories"],
    ),
    (
        "missing-ward",
        drop(HEALTH, "area_code", "E05000839"),
        [HEALTH, "no rows for ward", "E05000839", "all 21"],
    ),
    (
        "unknown-ward",
        cell(HEALTH, 3, "area_code", "E05999999"),
        [HEALTH, "row 3", "column 'area_code'", "unknown ward code 'E05999999'"],
    ),
    (
        "zero-denominator-ward",
        where(HEALTH, "area_code", "E05000819", _zero),
        [HEALTH, "area E05000819", "add up to 0", "denominator of 0"],
    ),
    (
        "count-cut-short",
        cell(HEALTH, 2, "value", "74"),
        [
            HEALTH,
            "area E05000819",
            "usual residents",
            "2021_population_by_sex_ward_trafford.csv",
            "cut short",
        ],
    ),
    (
        "truncated-last-row",
        text(HEALTH, lambda s: s[:-3]),
        [HEALTH, "row 106", "no line ending", "cut short"],
    ),
    (
        "header-only-file",
        text(HEALTH, lambda s: s.splitlines(keepends=True)[0]),
        [HEALTH, "header but no data rows"],
    ),
    ("empty-file", text(HEALTH, lambda s: ""), [HEALTH, "the file is empty"]),
    (
        "lsoa-count-cut-short",
        cell(HEALTH_LSOA, 2, "value", lambda v: v[:1]),
        [HEALTH_LSOA, "E01006", "2021_population_ethnic_group_lsoa_trafford.csv", "cut short"],
    ),
    (
        "council-count-cut-short",
        cell(HEALTH_GM, 2, "value", lambda v: v[:2]),
        [HEALTH_GM, "area E08000001", "2021_population_by_sex_la_gm.csv", "cut short"],
    ),
    (
        "mid-year-total-not-its-ages",
        cell(MYE, 2, "all_ages", lambda v: str(int(v) + 1)),
        [MYE, "row 2", "column 'all_ages'", "single years of age add up to"],
    ),
    (
        "missing-practice",
        drop(REGISTRATIONS, "practice_code", "P91003"),
        [REGISTRATIONS, "no rows for practice code P91003"],
    ),
    (
        "unknown-practice",
        cell(REGISTRATIONS, 4, "practice_code", "P91999"),
        [REGISTRATIONS, "row 4", "column 'practice_code'", "unknown practice code 'P91999'"],
    ),
    (
        "missing-source-file",
        lambda farm: (farm / REGISTRATIONS).unlink(),
        [REGISTRATIONS, "file not found"],
    ),
    (
        "unknown-ohid-label",
        text(
            "indicators/la_fingertips_trafford_themes/adults_depression.csv",
            lambda s: s.replace("Higher 99.8", "Higher 97.5"),
        ),
        [
            "adults_depression.csv",
            "column 'compared_to_England'",
            "unknown comparison 'Higher 97.5'",
        ],
    ),
    # -- boundaries: one valid WGS84 polygon in England per expected area
    (
        "geojson-null-geometry",
        features(WARDS_2023, _set(3, "geometry", None)),
        [WARDS_2023, "feature 4", "has no geometry"],
    ),
    (
        "geojson-missing-ward",
        features(WARDS_2023, lambda fs: fs[1:]),
        [WARDS_2023, "no feature for ward code", "should have 21"],
    ),
    (
        "geojson-duplicate-ward",
        features(WARDS_2023, lambda fs: [*fs, fs[0]]),
        [WARDS_2023, "has more than one feature"],
    ),
    (
        "geojson-unknown-ward",
        features(WARDS_2023, _set(0, "area_code", "E05999999")),
        [WARDS_2023, "unknown ward code 'E05999999'"],
    ),
    (
        "geojson-british-national-grid",
        features(WARDS_2023, _to_national_grid),
        [WARDS_2023, "feature 1", "outside England in WGS84", "British National Grid"],
    ),
    (
        "geojson-point-not-polygon",
        features(WARDS_2023, _set(2, "geometry", {"type": "Point", "coordinates": [-2.3, 53.4]})),
        [WARDS_2023, "feature 3", "is a Point, not a polygon"],
    ),
    # -- profiles: keys, types, codes and ids checked against the schema
    (
        "toml-syntax-error",
        text(PLACE, lambda s: s.replace('name = "North"', 'name = "North')),
        [PLACE, "line"],
    ),
    (
        "toml-unknown-key",
        text(PLACE, _once('^name = "North"$', 'name = "North"\ncolour = "red"')),
        [PLACE, "[[neighbourhood]] 1 (NBH-NORTH)", "unknown key 'colour'"],
    ),
    (
        "toml-missing-key",
        text(INDICATORS, _once('^unit = "people"$', "")),
        [INDICATORS, "[[indicator]] 1 (population)", "missing key 'unit'"],
    ),
    (
        "toml-wrong-type",
        text(INDICATORS, _once("multiplier = 100.0", 'multiplier = "100"')),
        [INDICATORS, "(smoking", "key 'multiplier' must be a number"],
    ),
    (
        "toml-wrong-type-in-a-list",
        text(PLACE, _once('"E05000825", ', "825, ")),
        [PLACE, "(NBH-NORTH)", "key 'wards' must be a table of ward set id = [ward codes]"],
    ),
    (
        "toml-malformed-ward-code",
        text(PLACE, _once('"E05000825"', '"E0500825"')),
        [PLACE, "(NBH-NORTH)", "ward codes", "E0500825"],
    ),
    (
        "toml-unknown-ward-code",
        text(PLACE, _once('"E05000825"', '"E05000899"')),
        ["lookups/trafford_ward_to_locality.csv", "E05000825", PLACE],
    ),
    (
        "toml-ward-in-two-neighbourhoods",
        text(PLACE, _once('"E05000820", ', '"E05000825", "E05000820", ')),
        [PLACE, "ward E05000825 is in neighbourhoods NBH-NORTH and NBH-CENTRAL"],
    ),
    (
        "toml-duplicate-id",
        text(INDICATORS, _once('^id = "aged_65_plus"$', 'id = "aged_0_15"')),
        [INDICATORS, "duplicate id 'aged_0_15'"],
    ),
    (
        "toml-unknown-build-kind",
        text(INDICATORS, _once('kind = "mye_total"', 'kind = "mye_totl"')),
        [INDICATORS, "(population) build", "unknown kind 'mye_totl'"],
    ),
    (
        "toml-unknown-build-key",
        text(INDICATORS, _once("min_age = 0,", "min_age = 0, max_agee = 3,")),
        [INDICATORS, "(aged_0_15) build (census_age_share)", "unknown key 'max_agee'"],
    ),
    # -- issue 22, part 1: plausible damage that published wrong numbers
    (
        "count-and-denominator-swapped-in-a-rate",
        text(AE_UNDER5, _once(",Count,Denominator,", ",Denominator,Count,")),
        [
            AE_UNDER5,
            f"row {AE_FIRST_USED_ROW}",
            "column 'Value'",
            "published value 762.591 is not Count 3,059,096 / Denominator 2,332,838 x 1000",
            "swapped",
        ],
    ),
    (
        "household-count-times-100",
        cell(HOUSEHOLDS, 2, "value", lambda v: str(int(v) * 100)),
        [
            HOUSEHOLDS,
            "area E05000819",
            "add up to 77,382 households",
            f"{HOUSEHOLD_SIZE} has 5,609",
            "column 'value'",
        ],
    ),
    (
        "no-qualifications-count-times-100",
        cell(QUALIFICATIONS, 2, "value", lambda v: str(int(v) * 100)),
        [QUALIFICATIONS, "area E05000819", "usual residents aged 16+", CENSUS_AGE, "inflated"],
    ),
    (
        "infinite-published-value",
        cell(LIFE_EXPECTANCY, LE_TRAFFORD_MALE_2023_25, "value", "inf"),
        [
            LIFE_EXPECTANCY,
            f"row {LE_TRAFFORD_MALE_2023_25}",
            "column 'value'",
            "'inf' is not a finite number",
        ],
    ),
    (
        "life-expectancy-of-1000-years",
        cell(LIFE_EXPECTANCY, LE_TRAFFORD_MALE_2023_25, "value", "1e3"),
        [
            LIFE_EXPECTANCY,
            f"row {LE_TRAFFORD_MALE_2023_25}",
            "column 'value'",
            "value 1000.0 is not plausible for 'years' (expected between 40 and 100)",
        ],
    ),
    (
        "negative-ward-life-expectancy",
        cell(WARD_LE_MALE, 2, "value", "-79.5"),
        [WARD_LE_MALE, "row 2", "column 'value'", "value -79.5 is not plausible for 'years'"],
    ),
    (
        "council-rows-missing-for-the-period",
        _drop_rows(LIFE_EXPECTANCY, area_code="E08000009", period="2023 - 25"),
        [
            LIFE_EXPECTANCY,
            "column 'area_code'",
            "no Trafford (E08000009) row for 'Life expectancy at birth', Female, 2023-25",
        ],
    ),
    (
        "practice-point-longitude-and-latitude-swapped",
        rows(PRACTICE_POINTS, _swap_lon_lat),
        [
            PRACTICE_POINTS,
            "row 2",
            "column 'lon'",
            "point (53.398559, -2.315695) is outside England",
            "longitude and latitude swapped?",
        ],
    ),
    (
        "postcode-point-longitude-and-latitude-swapped",
        rows(POSTCODES, _swap_lon_lat),
        [
            POSTCODES,
            "row 2",
            "column 'lon'",
            "point (53.465578, -2.26046) is outside England",
            "swapped?",
        ],
    ),
    (
        "peer-group-includes-the-place",
        text(PLACE, _once('"E08000010"]', '"E08000010", "E08000009"]')),
        [PLACE, "peer_group", "members include the place itself (E08000009)"],
    ),
    (
        "unknown-unit",
        text(INDICATORS, _once('^unit = "people"$', 'unit = "furlongs"')),
        [INDICATORS, "(population)", "unit 'furlongs' is not one of"],
    ),
    (
        "geojson-figure-eight-ward",
        features(WARDS_2023, _set(0, "geometry", FIGURE_EIGHT)),
        [WARDS_2023, "feature 1", "is not a valid polygon (Self-intersection[-2.25 53.45])"],
    ),
    # -- issue 22, part 2: every failure one line, pointing at the right place
    (
        "toml-empty-neighbourhood",
        text(PLACE, _once(r"^wards.wards_2004 = \[.E05000825.*$", "wards.wards_2004 = []")),
        [PLACE, "neighbourhood NBH-NORTH has no wards in ward set wards_2004"],
    ),
    (
        "toml-empty-pcn",
        text(PLACE, _once(r'^practices = \["P91018".*$', "practices = []")),
        [PLACE, "PCN U66368 has no practices"],
    ),
    (
        "fingertips-value-not-a-number",
        cell(AE_UNDER5, AE_FIRST_USED_ROW, "Value", "x"),
        [AE_UNDER5, f"row {AE_FIRST_USED_ROW}", "column 'Value'", "'x' is not a number"],
    ),
    (
        "blank-line-before-a-bad-row",
        # rows 1-3 as they were, a blank row 4, then the old row 4 ("Fair health", 1142) as
        # row 5 with its count spoilt
        _lines(HEALTH, lambda ls: [*ls[:3], "\n", _spoil(ls[3], ",1142\n"), *ls[4:]]),
        [HEALTH, "row 5", "column 'value'", "'lots' is not a number"],
    ),
    (
        "trailing-comma-on-every-data-row",
        _lines(HEALTH, lambda ls: [ls[0], *(x.replace("\n", ",\n") for x in ls[1:])]),
        [HEALTH, "row 2", "has 10 cells where the header has 9", "trailing comma"],
    ),
    (
        "trailing-comma-on-one-row",
        _lines(HEALTH, lambda ls: [*ls[:4], ls[4].replace("\n", ",\n"), *ls[5:]]),
        [HEALTH, "row 5", "has 10 cells where the header has 9", "trailing comma"],
    ),
    (
        "full-width-digits",
        cell(HEALTH, 3, "value", "３８９７"),
        [HEALTH, "row 3", "column 'value'", "'３８９７' has digits that are not plain 0-9"],
    ),
    (
        "toml-path-leaves-the-data-folder",
        text(
            PLACE,
            _once(
                f'^registrations = "{REGISTRATIONS}"', 'registrations = "../../../../../etc/passwd"'
            ),
        ),
        ["../../../../../etc/passwd", "the path leaves the data folder"],
    ),
    (
        "symlink-loop",
        _symlink_loop(REGISTRATIONS),
        [REGISTRATIONS, "is a symbolic link that loops back on itself"],
    ),
    ("folder-not-file", _folder(REGISTRATIONS), [REGISTRATIONS, "is a folder, not a file"]),
    (
        "geojson-unclosed-ring",
        features(WARDS_2023, _unclose_first_ring),
        [WARDS_2023, "cannot be read as GeoJSON", "ring does not end where it starts"],
    ),
    (
        "toml-same-ward-twice-in-a-neighbourhood",
        text(PLACE, _once('"E05000829", ', '"E05000829", "E05000825", ')),
        [PLACE, "neighbourhood NBH-NORTH lists ward E05000825 twice in wards_2004"],
    ),
    (
        "toml-two-neighbourhoods-with-one-name",
        text(PLACE, _once('^name = "Central"$', 'name = "North"')),
        [PLACE, "neighbourhoods NBH-NORTH and NBH-CENTRAL are both named 'North'"],
    ),
    # -- the held-out probe's classes (issue 22)
    (
        "byte-order-mark-and-bad-cell",
        text(HEALTH, lambda s: "\ufeff" + s.replace(",318\n", ",lots\n", 1)),
        [HEALTH, "row 5", "column 'value'", "'lots' is not a number"],
    ),
    (
        "crlf-line-endings-and-bad-cell",
        text(HEALTH, lambda s: s.replace(",318\n", ",-318\n", 1).replace("\n", "\r\n")),
        [HEALTH, "row 5", "column 'value'", "negative count -318"],
    ),
    (
        "latin-1-bytes",
        _bytes(HEALTH, lambda b: b.replace(b"Altrincham", "Altrinchäm".encode("latin-1"), 1)),
        [HEALTH, "is not UTF-8 text"],
    ),
    (
        "scientific-notation-count",
        cell(HEALTH, 2, "value", "7.484e3"),
        [HEALTH, "row 2", "column 'value'", "'7.484e3' is not a whole number"],
    ),
    (
        "no-break-space-thousands-separator",
        cell(HEALTH, 2, "value", "7\u00a0484"),
        [HEALTH, "row 2", "column 'value'", "is not a number"],
    ),
    (
        "geojson-truncated",
        text(WARDS_2023, lambda s: s[: len(s) // 2]),
        [WARDS_2023, "cannot be read as GeoJSON"],
    ),
    (
        "toml-practice-in-two-pcns",
        text(PLACE, _once(r'^practices = \["P91018", ', 'practices = ["P91013", "P91018", ')),
        [PLACE, "[[pcn]] 2 (U83990)", "key 'practices' lists P91013, already in entry 1"],
    ),
    (
        "toml-unknown-polarity",
        text(INDICATORS, _once('^polarity = "no_judgement"$', 'polarity = "sideways"')),
        [INDICATORS, "(population)", "polarity 'sideways' is not one of"],
    ),
]


@pytest.mark.parametrize(("damage", "expected"), [pytest.param(d, e, id=i) for i, d, e in DAMAGE])
def test_damaged_input_stops_the_build_with_one_line_and_keeps_the_previous_database(
    farm, tmp_path, built_db, capsys, damage, expected
):
    """Given one damaged source or profile, when the build runs over a real database, then it
    exits 1 with one line naming the file and the fault, and the database is byte-identical."""
    out = tmp_path / "jsna.duckdb"
    shutil.copy(built_db, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    damage(farm)
    code = build.main(["--source", str(farm), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 1, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("build failed: ")
    for part in expected:
        assert part in err, err
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("jsna.duckdb.*.tmp"))


def test_the_damage_table_names_every_class_once():
    ids = [i for i, _, _ in DAMAGE]
    assert len(ids) == len(set(ids))


def test_undamaged_copies_build_and_a_killed_builds_temp_files_are_cleaned(farm, tmp_path):
    """The copies themselves are sound: without damage the same build succeeds. A build
    killed mid-write left its temporary database and write-ahead log: the next build of the
    same file removes them, and leaves another database's files in the folder alone."""
    out = tmp_path / "ok.duckdb"
    killed = [tmp_path / "ok.duckdb.k1ll3d.tmp", tmp_path / "ok.duckdb.k1ll3d.tmp.wal"]
    other = tmp_path / "other.duckdb.k1ll3d.tmp"
    for path in [*killed, other]:
        path.write_bytes(b"half a database")
    assert build.main(["--source", str(farm), "--out", str(out)]) == 0
    assert [p for p in killed if p.exists()] == []
    assert other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("ok.")) == [
        "ok.duckdb",
        "ok.duckdb.lock",
    ]


def test_a_failed_build_prints_no_traceback_and_keeps_a_real_database(farm, tmp_path, built_db):
    """Run as a command: a failure is one line on stderr, exit 1, previous file unchanged."""
    out = tmp_path / "jsna.duckdb"
    shutil.copy(built_db, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    cell(HEALTH, 2, "value", "x")(farm)
    proc = subprocess.run(
        [sys.executable, "-m", "jsna.build", "--source", str(farm), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "JSNA_PROFILES": str(farm / "profiles")},
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("build failed: ")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before


def test_an_unclosed_geojson_ring_is_one_line_with_no_library_path(farm, tmp_path, built_db):
    """Run as a command, so GDAL's own warning would reach stderr: one line, no .venv path."""
    out = tmp_path / "jsna.duckdb"
    shutil.copy(built_db, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    features(WARDS_2023, _unclose_first_ring)(farm)
    proc = subprocess.run(
        [sys.executable, "-m", "jsna.build", "--source", str(farm), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "JSNA_PROFILES": str(farm / "profiles")},
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"build failed: {WARDS_2023}: cannot be read as GeoJSON: "
        "a polygon's ring does not end where it starts (cut short?)"
    ]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before


# Line-level helpers for the damage tests of single recipes (test_qof_bad_input.py,
# test_fingertipsnext.py).
def _edit(farm: Path, rel: str, edit) -> None:
    path = farm / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.unlink()
    path.write_text("".join(edit(lines)), encoding="utf-8")


def _set_cell(lines: list[str], row: int, column: str, value: str) -> list[str]:
    import csv
    import io

    table = list(csv.reader(io.StringIO("".join(lines))))
    table[row - 1][table[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().splitlines(keepends=True)
