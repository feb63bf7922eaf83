"""Whole-file checks run before any number is computed: shape, completeness and consistency.

`Sources.read_csv` checks each cell (types, blanks, duplicates); this module checks that each
source used by a recipe has the shape it should (every area of its geography, every category
in every area, no area whose people add up to nobody) and that tables which count the same
people agree: Census 2021 tables on the usual-resident base against the usual-resident count
(TS001) within the Census's own noise, and mid-year estimates whose totals and sexes must add
up exactly. A count cut short, a lost row or a category dropped upstream stops the build with
one line naming the file, instead of publishing a smaller number.

Tables on other bases are checked against their own: a table counting households (its `unit`
column says "Households") against the household-size table (TS017, `[files]
census_households_ward` / `census_households_peers` in place.toml), and a table counting
residents of some age and over (`AGE_BASES`) against the single years of age of the Census age
table (`census_age_ward` / `census_age_peers`). So one category's count multiplied by 100
stops the build instead of inflating a share.

Adding a Census table on the usual-resident base is one entry in `USUAL_RESIDENT_CATEGORIES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from jsna.build.profiles import ProfileError
from jsna.build.recipes.common import lsoa_set
from jsna.build.sources import SourceError, Sources, check_codes

if TYPE_CHECKING:
    from jsna.build.geography import Geography
    from jsna.core.model import IndicatorProfile

# Census tables whose categories partition all usual residents (the TS001 base), by category
# column: rows to keep as (column, value), or None for every row.
USUAL_RESIDENT_CATEGORIES: dict[str, tuple[str, str] | None] = {
    "age": ("sex", "All persons"),
    "general_health": None,
    "disability_category": None,
    "ethnic_group": None,
}
# Census tables whose categories partition usual residents of an age and over, by category
# column: that age (unpaid care is asked of residents 5+, qualifications of residents 16+).
AGE_BASES: dict[str, int] = {"highest_qualification": 16, "unpaid_care": 5}
# place.toml [files] keys of the reference tables for the other bases, by geography.
BASE_FILES = {
    "households": {"ward": "census_households_ward", "council": "census_households_peers"},
    "age": {"ward": "census_age_ward", "council": "census_age_peers"},
}
_AGE = re.compile(r"(\d+)")
# ONS perturbs every Census cell a little (cell-key method), so a sum of n cells can differ
# from the published total by a few people: allow one person per cell summed, and at least 3.
# Today the widest gaps are 3 (general health, 5 categories), 5 (ethnic group, 19) and
# 15 (single years of age, 91) in a ward.
MIN_NOISE = 3
# Mid-year estimates are not perturbed: their totals and sexes must add up exactly.
MYE_SEXES = ("Males", "Females", "Persons")


def _first(mask: pd.Series) -> int:
    return int(mask.to_numpy().argmax())


def census_table(
    src: Sources,
    rel: str,
    category: str,
    expected: Iterable[str],
    what: str,
    keep: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Check one Census table's shape; return its per-area totals (`area_code`, `total`, `n`).

    Every expected area must have a row for every category the file has, and a total above 0.
    `keep` = (column, value) keeps only those rows (e.g. all persons of a table by sex).
    """
    key = ["area_code", category, *([keep[0]] if keep else [])]
    df = src.read_csv(rel, ["area_code", category, "value"], counts=["value"], key=key)
    if keep is not None:
        df = df[df[keep[0]] == keep[1]]
    expected = set(expected)
    if what != "council":  # council files cover all of Greater Manchester
        check_codes(df, rel, "area_code", expected, f"{what} code", complete=False)
    df = df[df["area_code"].isin(expected)]
    absent = sorted(expected - set(df["area_code"]))
    if absent:
        raise SourceError(
            rel, f"no rows for {what} {absent[0]}: the file should cover all {len(expected)}"
        )
    cats = df[category].nunique()
    per_area = df.groupby("area_code")[category].nunique()
    short = per_area[per_area < cats]
    if not short.empty:
        raise SourceError(
            rel,
            f"area {short.index[0]} has {short.iloc[0]} of the {cats} categories",
            column=category,
        )
    totals = df.groupby("area_code")["value"].sum()
    empty = totals[totals <= 0]
    if not empty.empty:
        raise SourceError(
            rel,
            f"area {empty.index[0]}: its counts add up to 0, a denominator of 0 where people live",
            column="value",
        )
    return pd.DataFrame(
        {"area_code": totals.index, "total": totals.to_numpy(), "n": _cells(df, cats)}
    )


def _cells(df: pd.DataFrame, default: int) -> Any:
    """How many published Census cells each area's total sums (the noise it may carry).

    A file summed from smaller areas (a ward from its LSOAs) says so in a `cells` column:
    the published cells added into each row. Otherwise each row is one published cell.
    """
    if "cells" not in df.columns:
        return default
    cells = pd.to_numeric(df["cells"], errors="coerce")
    if cells.isna().any():
        raise SourceError("(cells)", "a 'cells' value is not a whole number", column="cells")
    return cells.groupby(df["area_code"]).sum().to_numpy()


def _agree(
    a: pd.DataFrame, a_rel: str, b: pd.DataFrame, b_rel: str, base: str, per_cell: int = 1
) -> None:
    """Per-area totals of two tables on the same base must agree within the Census's noise.

    `per_cell` people of noise are allowed per cell summed (the place's
    `census_noise_per_cell`, 1 unless it says otherwise).
    """
    both = a.merge(b, on="area_code", suffixes=("_a", "_b"))
    gap = (both["total_a"] - both["total_b"]).abs()
    noise = ((both["n_a"] + both["n_b"]) * per_cell).clip(lower=MIN_NOISE)
    bad = gap > noise
    if bad.any():
        r = both[bad].iloc[0]
        gap_n = abs(r["total_a"] - r["total_b"])
        raise SourceError(
            a_rel,
            f"area {r['area_code']}: the categories add up to {r['total_a']:,.0f} {base}, "
            f"but {b_rel} has {r['total_b']:,.0f} (a gap of {gap_n:,.0f}, "
            f"more than the Census noise of "
            f"{int(max((r['n_a'] + r['n_b']) * per_cell, MIN_NOISE))}); "
            "a count may be cut short or inflated, or a row lost",
            column="value",
        )


def usual_residents(src: Sources, rel: str, expected: Iterable[str]) -> pd.DataFrame:
    """TS001 usual residents per area (`area_code`, `total`, `n` = 1 cell) from file `rel`."""
    df = src.read_csv(rel, ["area_code", "indicator", "value"], counts=["value"])
    df = df[df["indicator"] == "All persons"]
    expected = set(expected)
    absent = sorted(expected - set(df["area_code"]))
    if absent:
        raise SourceError(rel, f"no 'All persons' row for area {absent[0]}", column="area_code")
    df = df[df["area_code"].isin(expected)]
    dup = df["area_code"].duplicated()
    if dup.any():
        i = _first(dup)
        raise SourceError(rel, "duplicate row", int(df["_row"].iloc[i]), "area_code")
    return pd.DataFrame({"area_code": df["area_code"], "total": df["value"], "n": _cells(df, 1)})


def mid_year_estimates(
    src: Sources, rel: str, expected: Iterable[str], what: str, sex_col: str = "sex"
) -> None:
    """A mid-year estimate file: every area and sex, single years adding to the total."""
    df = src.read_csv(
        rel, ["area_code", sex_col, "all_ages"], counts=["all_ages"], key=["area_code", sex_col]
    )
    ages = [c for c in df.columns if c.isdigit() or c.rstrip("+").isdigit()]
    bands = [c for c in ("aged_0_to_15", "aged_16_to_64", "aged_65_and_over") if c in df.columns]
    parsed = src.read_csv(rel, [], counts=[*ages, *bands]) if ages or bands else df
    expected = set(expected)
    df = df[df["area_code"].isin(expected)]
    for sex in MYE_SEXES:
        absent = sorted(expected - set(df.loc[df[sex_col] == sex, "area_code"]))
        if absent:
            raise SourceError(
                rel,
                f"no {sex} row for {what} {absent[0]}: the file should cover all {len(expected)}",
                column="area_code",
            )
    parsed = parsed.loc[df.index]
    for cols, label in ((ages, "single years of age"), (bands, "age bands")):
        if not cols:
            continue
        gap = parsed[cols].sum(axis=1) - df["all_ages"]
        if (gap != 0).any():
            i = _first(gap != 0)
            raise SourceError(
                rel,
                f"the {label} add up to {parsed[cols].sum(axis=1).iloc[i]:,.0f}, "
                f"not all_ages {df['all_ages'].iloc[i]:,.0f}",
                int(df["_row"].iloc[i]),
                "all_ages",
            )
    wide = df.pivot(index="area_code", columns=sex_col, values="all_ages")
    gap = wide["Males"] + wide["Females"] - wide["Persons"]
    if (gap != 0).any():
        code = gap[gap != 0].index[0]
        raise SourceError(rel, f"{what} {code}: Males + Females is not Persons", column="all_ages")
    zero = wide["Persons"] <= 0
    if zero.any():
        raise SourceError(rel, f"{what} {wide.index[zero][0]} has no residents", column="all_ages")


def households(src: Sources, rel: str, expected: Iterable[str], what: str) -> pd.DataFrame:
    """Households per area from the household-size table (TS017): `area_code`, `total`, `n`."""
    return census_table(src, rel, "indicator", expected, what)


def residents_aged(
    src: Sources, rel: str, expected: Iterable[str], what: str, min_age: int
) -> pd.DataFrame:
    """Usual residents aged `min_age` and over per area, from the Census single years of age."""
    df = src.read_csv(rel, ["area_code", "age", "sex", "value"], counts=["value"])
    df = df[(df["sex"] == "All persons") & df["area_code"].isin(set(expected))]
    age = df["age"].str.extract(_AGE, expand=False).fillna("0").astype(int)
    df = df[age >= min_age]
    absent = sorted(set(expected) - set(df["area_code"]))
    if absent:
        raise SourceError(rel, f"no rows for {what} {absent[0]}", column="area_code")
    totals = df.groupby("area_code")["value"].agg(["sum", "count"])
    return pd.DataFrame(
        {
            "area_code": totals.index,
            "total": totals["sum"].to_numpy(),
            "n": totals["count"].to_numpy(),
        }
    )


def _base(src: Sources, rel: str, category: str) -> tuple[str, int] | None:
    """The base a Census table counts, other than all usual residents: households or an age."""
    df = src.read_csv(rel, ["area_code"])
    if "unit" in df.columns and (df["unit"] == "Households").all():
        return ("households", 0)
    if category in AGE_BASES:
        return ("age", AGE_BASES[category])
    return None


def _other_base(
    src: Sources,
    geo_: Geography,
    rel: str,
    totals: pd.DataFrame,
    base: tuple[str, int],
    geography: str,
    expected: list[str],
    what: str,
) -> None:
    """Check a table on households or residents of an age against its own base."""
    key = BASE_FILES[base[0]].get(geography)
    if key is None:  # LSOA tables: only ward and council references are named
        return
    ref_rel = geo_.place.files.get(key)
    label = "households" if base[0] == "households" else f"usual residents aged {base[1]}+"
    if not ref_rel:
        raise ProfileError(
            f"profiles/place.toml: [files] has no {key}, the table {rel} is checked against "
            f"(its {label})"
        )
    if base[0] == "households":
        ref = households(src, ref_rel, expected, what)
    else:
        ref = residents_aged(src, ref_rel, expected, what, base[1])
    _agree(totals, rel, ref, ref_rel, label)


def _attempt(problems: list[Exception] | None, check: Any, *args: Any) -> Any:
    """Run one file's check: raise its problem, or (given a list) record it and return None."""
    if problems is None:
        return check(*args)
    try:
        return check(*args)
    except (SourceError, ProfileError) as exc:
        problems.append(exc)
        return None


def validate(
    src: Sources,
    geo_: Geography,
    profile: IndicatorProfile,
    problems: list[Exception] | None = None,
) -> None:
    """Check every source the profile's Census and mid-year recipes use, before computing.

    `problems`: where given, each file's problem is added to it and the checks go on (the
    build's `--check`); otherwise the first stops the build.

    Raises:
        SourceError: a file has the wrong shape, or disagrees with another on the same base.
    """
    files = geo_.place.files
    per_cell = geo_.place.census_noise_per_cell
    peers = list(geo_.place.peers.members) if geo_.place.peers is not None else []
    residents = {
        "ward": files.get("census_residents_ward"),
        "council": files.get("census_residents_peers"),
    }
    reference: dict[str, pd.DataFrame | None] = {
        "council": _attempt(problems, usual_residents, src, str(residents["council"]), peers)
        if peers and residents["council"]
        else None,
    }
    # Bases that could not be read: files on them are checked for shape only.
    broken = {g for g, rel in residents.items() if rel and g == "council" and peers}
    broken = {g for g in broken if reference[g] is None}
    ward_reference: dict[str, pd.DataFrame | None] = {}
    lsoa_first: tuple[str, pd.DataFrame] | None = None
    seen: set[str] = set()
    for ind in profile.indicators:
        b = ind.build
        if b.get("kind") not in ("census_share", "census_age_share"):
            continue
        category = str(b.get("category_column", "age"))
        wards = list(geo_.ward_map(ind.geography))
        if not files.get("census_residents_ward"):
            reference["ward"] = None
        elif ind.geography not in ward_reference:
            ward_reference[ind.geography] = _attempt(
                problems, usual_residents, src, files["census_residents_ward"], wards
            )
        if files.get("census_residents_ward"):
            reference["ward"] = ward_reference[ind.geography]
            if reference["ward"] is None:
                broken.add("ward")
        lsoas: list[str] = []
        if b.get("lsoa_file"):
            found = _attempt(problems, _lsoa_codes, src, geo_, b)
            lsoas = found if found is not None else []
        areas = {"ward": (wards, "ward"), "council": (peers, "council"), "lsoa": (lsoas, "LSOA")}
        sources = [
            (b.get("file"), "ward"),
            (b.get("peer_file"), "council"),
            (b.get("lsoa_file"), "lsoa"),
        ]
        for rel, geography in sources:
            if not rel or rel in seen or (geography == "council" and not peers):
                continue
            seen.add(rel)
            expected, what = areas[geography]
            keep = USUAL_RESIDENT_CATEGORIES.get(category)
            totals = _attempt(problems, census_table, src, rel, category, expected, what, keep)
            if totals is None:
                continue
            if category not in USUAL_RESIDENT_CATEGORIES:
                base = _attempt(problems, _base, src, rel, category)
                if base is not None:
                    _attempt(
                        problems,
                        _other_base,
                        src,
                        geo_,
                        rel,
                        totals,
                        base,
                        geography,
                        expected,
                        what,
                    )
                continue
            if geography in broken:
                continue
            ref = reference.get(geography)
            if ref is not None:
                ref_rel = str(residents[geography])
                _attempt(problems, _agree, totals, rel, ref, ref_rel, "usual residents", per_cell)
            elif lsoa_first is None:
                lsoa_first = (rel, totals)
            else:
                first_rel, first = lsoa_first
                _attempt(
                    problems, _agree, totals, rel, first, first_rel, "usual residents", per_cell
                )
    mye: dict[str, tuple[dict[str, str], str]] = {}
    for ind in profile.indicators:
        b = ind.build
        if b.get("kind") == "mye_total":
            mye.setdefault(b["file"], (geo_.ward_map(ind.geography), "sex"))
        elif b.get("kind") == "ward_estimate":
            mye.setdefault(b["weight_file"], (geo_.ward_map(ind.geography), b["weight_sex_column"]))
    for rel, (vintage, sex_col) in sorted(mye.items()):
        _attempt(problems, mid_year_estimates, src, rel, vintage, "ward", sex_col)


def _lsoa_codes(src: Sources, geo_: Geography, b: dict[str, Any]) -> list[str]:
    """The LSOAs of the LSOA set a Census LSOA file is on."""
    codes = src.read_csv(b["lsoa_file"], ["area_code"])["area_code"]
    return list(lsoa_set(geo_, codes, b.get("lsoa_set"), b["lsoa_file"])[0])
