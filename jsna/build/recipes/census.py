"""Census 2021 recipes: a category share and an age share, pooled from ward counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from jsna.build.geography import Geography
from jsna.build.recipes.common import area_groups, lsoa_set, recipe
from jsna.build.sources import SourceError, Sources, check_codes, check_complete
from jsna.core.errors import ProfileError
from jsna.core.model import Indicator
from jsna.core.pooling import pool, with_proportion


def _england_table(src: Sources, rel: str, table: str) -> pd.DataFrame:
    """England's rows of one Census table (the source's `england_file`)."""
    df = src.read_csv(
        rel,
        ["table", "category", "count", "denominator"],
        counts=["count", "denominator"],
        key=["table", "category"],
    )
    df = df[df["table"] == table]
    if df.empty:
        raise SourceError(rel, f"no rows for table {table}", column="table")
    check_complete(df, rel, ["count", "denominator"])
    if df["denominator"].nunique() != 1:
        raise SourceError(rel, f"{table} has more than one total", column="denominator")
    return df


def _england_census(
    src: Sources, rel: str, table: str, include: list[str] | None, exclude: list[str] | None
) -> tuple[float, float]:
    """England's count and total for a Census category share.

    The categories of the table must add up to its published total (each person in exactly
    one category), or a subtotal or a missing category would skew England's value.
    """
    df = _england_table(src, rel, table)
    total = float(df["denominator"].iloc[0])
    if df["count"].sum() != total:
        raise SourceError(
            rel,
            f"{table} categories sum to {df['count'].sum():,.0f}, not its total {total:,.0f}",
            column="count",
        )
    cats = df["category"]
    sel = cats.isin(include) if include else ~cats.isin(exclude or [])
    if include and sel.sum() != len(include):
        raise SourceError(rel, f"{table} lacks category {include}", column="category")
    return float(df.loc[sel, "count"].sum()), total


def _england_file(b: dict[str, Any], ind: Indicator) -> str:
    """The file of England's Census totals the indicator's source names (`england_file`)."""
    if not b.get("england_file"):
        raise ProfileError(
            f"profiles/place.toml: the source of {ind.id} names no england_file "
            "(England's Census totals: area_code, table, category, count, denominator)"
        )
    return str(b["england_file"])


def _check_every_category(df: pd.DataFrame, rel: str, cat: str) -> None:
    """Every area must have a row for every category, or its total would be short."""
    per_area = df.groupby("area_code")[cat].nunique()
    expected = df[cat].nunique()
    short = per_area[per_area < expected]
    if not short.empty:
        raise SourceError(
            rel,
            f"area {short.index[0]} has {short.iloc[0]} of the {expected} categories",
            column=cat,
        )


def _peer_rows(
    src: Sources, rel: str, columns: list[str], counts: list[str], members: tuple[str, ...]
) -> pd.DataFrame:
    """Rows of a council-level file for the peer councils, checked to cover every one."""
    df = src.read_csv(rel, ["area_code", *columns], counts=counts)
    df = df[df["area_code"].isin(members)]
    missing = set(members) - set(df["area_code"])
    if missing:
        raise SourceError(rel, f"no rows for council {sorted(missing)[0]}", column="area_code")
    return df


@recipe(
    "census_share",
    file="str",
    peer_file="str?",
    lsoa_file="str?",
    category_column="str",
    include="list[str]?",
    exclude="list[str]?",
    england_file="str?",
    lsoa_set="str?",
    england_table="str?",
    england_include="list[str]?",
    england_exclude="list[str]?",
)
def census_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Census 2021 category share: wards pooled to neighbourhoods and the council; Wilson CIs."""
    b = ind.build
    cat = b["category_column"]

    def counts(rel: str, known: dict[str, str], what: str) -> pd.DataFrame:
        df = src.read_csv(
            rel, ["area_code", cat, "value"], counts=["value"], key=["area_code", cat]
        )
        check_codes(df, rel, "area_code", known, what)
        return counts_from(df, rel)

    def counts_from(df: pd.DataFrame, rel: str = "") -> pd.DataFrame:
        check_complete(df, rel, ["value"])
        _check_every_category(df, rel, cat)
        cats = df[cat]
        if b.get("include"):
            missing = set(b["include"]) - set(cats)
            if missing:
                raise SourceError(rel, f"category '{sorted(missing)[0]}' not found", column=cat)
            num_sel = cats.isin(b["include"])
        else:
            num_sel = ~cats.isin(b.get("exclude", []))
        den = df.groupby("area_code")["value"].sum()
        num = df[num_sel].groupby("area_code")["value"].sum().reindex(den.index, fill_value=0)
        return pd.DataFrame(
            {"area_code": den.index, "count": num.values, "denominator": den.values}
        )

    wards = counts(b["file"], geo_.ward_map(ind.geography), "ward code")
    frames = [wards, pool(wards, area_groups(geo_, ind.geography))]
    peers = geo_.place.peers
    if b.get("peer_file") and peers is not None:
        councils = _peer_rows(src, b["peer_file"], [cat, "value"], ["value"], peers.members)
        frames.append(
            pool(counts_from(councils, b["peer_file"]), {peers.code: list(peers.members)})
        )
    if b.get("lsoa_file"):
        codes = src.read_csv(b["lsoa_file"], ["area_code"])["area_code"]
        lsoas, _ = lsoa_set(geo_, codes, b.get("lsoa_set"), b["lsoa_file"])
        frames.append(counts(b["lsoa_file"], lsoas, "LSOA code"))
    if b.get("england_table"):
        n, d = _england_census(
            src,
            _england_file(b, ind),
            b["england_table"],
            b.get("england_include"),
            b.get("england_exclude"),
        )
        frames.append(
            pd.DataFrame({"area_code": [geo_.place.england_code], "count": [n], "denominator": [d]})
        )
    return with_proportion(pd.concat(frames, ignore_index=True))


_AGE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[Any], tuple[int, int]]], ...] = (
    (re.compile(r"^Aged under (\d+) years?$"), lambda a: (0, int(a[0]) - 1)),
    (re.compile(r"^Aged (\d+) years? and under$"), lambda a: (0, int(a[0]))),
    (re.compile(r"^Aged (\d+) years? and over$"), lambda a: (int(a[0]), OPEN_AGE)),
    (re.compile(r"^Aged (\d+) to (\d+) years$"), lambda a: (int(a[0]), int(a[1]))),
    (re.compile(r"^Aged (\d+) years?$"), lambda a: (int(a[0]), int(a[0]))),
)
OPEN_AGE = 999  # upper end of an "... and over" band


def age_interval(label: str) -> tuple[int, int] | None:
    """The ages (first, last) a Census age label covers; None if it is not an age label.

    Examples:
        >>> age_interval("Aged under 1 year"), age_interval("Aged 5 to 9 years")
        ((0, 0), (5, 9))
    """
    for pattern, span in _AGE_PATTERNS:
        m = pattern.match(label)
        if m:
            return span(m.groups())
    return None


def finest_age_categories(labels: pd.Series, rel: str, rows: pd.Series) -> pd.Series:
    """Which age labels to sum: the finest bands, so that each person is counted once.

    Census tables mix single years with published subtotals ("Aged 85 years and over" beside
    "Aged 85 years", ..., "Aged 100 years and over"). A band that contains another band is a
    subtotal and is left out; the bands left must then cover every age from 0 exactly once,
    or the build stops.
    """
    spans = labels.map(age_interval)
    if spans.isna().any():
        i = int(spans.isna().to_numpy().argmax())
        raise SourceError(rel, f"unrecognised age '{labels.iloc[i]}'", int(rows.iloc[i]), "age")
    distinct = sorted(set(spans))
    finest = {
        s for s in distinct if not any(o != s and s[0] <= o[0] and o[1] <= s[1] for o in distinct)
    }
    expected_start = 0
    for lo, hi in sorted(finest):
        if lo != expected_start:
            raise SourceError(
                rel,
                f"age bands overlap or leave a gap at age {expected_start} (next band starts "
                f"at {lo})",
                column="age",
            )
        expected_start = hi + 1
    if expected_start <= OPEN_AGE:
        raise SourceError(rel, f"no band covers ages {expected_start} and over", column="age")
    return spans.isin(finest)


@recipe(
    "census_age_share",
    file="str",
    peer_file="str?",
    england_file="str?",
    england_table="str?",
    min_age="int",
    max_age="int?",
)
def census_age_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Share of residents in an age range (Census 2021), England from `england_table` (TS007)."""
    b = ind.build
    lo, hi = int(b["min_age"]), int(b.get("max_age", OPEN_AGE))
    df = src.read_csv(
        b["file"],
        ["area_code", "age", "sex", "value"],
        counts=["value"],
        key=["area_code", "age", "sex"],
    )
    df = df[df["sex"] == "All persons"]
    check_codes(df, b["file"], "area_code", geo_.ward_map(ind.geography), "ward code")

    def age_counts(df: pd.DataFrame, rel: str, value: str = "value") -> pd.DataFrame:
        check_complete(df, rel, [value])
        df = df[finest_age_categories(df["age"], rel, df["_row"])]
        _check_every_category(df, rel, "age")
        spans = df["age"].map(age_interval)
        first = spans.map(lambda s: s[0])
        last = spans.map(lambda s: s[1])
        partial = (first < lo) & (last >= lo) | (first <= hi) & (last > hi)
        if partial.any():
            i = int(partial.to_numpy().argmax())
            raise SourceError(
                rel,
                f"age band '{df['age'].iloc[i]}' straddles the range {lo} to {hi}",
                int(df["_row"].iloc[i]),
                "age",
            )
        den = df.groupby("area_code")[value].sum()
        num = df[(first >= lo) & (last <= hi)].groupby("area_code")[value].sum()
        return pd.DataFrame(
            {
                "area_code": den.index,
                "count": num.reindex(den.index, fill_value=0).values,
                "denominator": den.values,
            }
        )

    wards = age_counts(df, b["file"])
    peers = geo_.place.peers
    peer_frames = []
    if b.get("peer_file") and peers is not None:
        councils = _peer_rows(
            src, b["peer_file"], ["age", "sex", "value"], ["value"], peers.members
        )
        councils = age_counts(councils[councils["sex"] == "All persons"], b["peer_file"])
        peer_frames.append(pool(councils, {peers.code: list(peers.members)}))
    rel = _england_file(b, ind)
    table = str(b.get("england_table", "TS007"))
    eng = _england_table(src, rel, table)
    england = age_counts(
        eng.rename(columns={"category": "age"}).assign(area_code=geo_.place.england_code),
        rel,
        "count",
    )
    published = float(eng["denominator"].iloc[0])
    if england["denominator"].iloc[0] != published:
        raise SourceError(
            rel,
            f"{table} ages sum to {england['denominator'].iloc[0]:,.0f}, not the "
            f"published total {published:,.0f}",
            column="count",
        )
    frames = [wards, pool(wards, area_groups(geo_, ind.geography)), england, *peer_frames]
    return with_proportion(pd.concat(frames, ignore_index=True))


@recipe(
    "census_total",
    file="str",
    category_column="str",
    peer_file="str?",
    lsoa_file="str?",
    lsoa_set="str?",
    england_file="str?",
    england_table="str?",
)
def census_total(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """A Census 2021 count (usual residents), summed from wards (or LSOAs); no interval.

    Every row of each area is summed (one category: usual residents). England is the
    `england_table` total of the source's `england_file`.
    """
    b = ind.build
    cat = b["category_column"]

    def counts(rel: str, known: dict[str, str] | tuple[str, ...], what: str) -> pd.DataFrame:
        df = src.read_csv(
            rel, ["area_code", cat, "value"], counts=["value"], key=["area_code", cat]
        )
        if isinstance(known, tuple):
            df = df[df["area_code"].isin(known)]
        else:
            check_codes(df, rel, "area_code", known, what)
        check_complete(df, rel, ["value"])
        total = df.groupby("area_code")["value"].sum()
        return pd.DataFrame({"area_code": total.index, "count": total.values, "denominator": 0.0})

    wards = counts(b["file"], geo_.ward_map(ind.geography), "ward code")
    frames = [wards, pool(wards, area_groups(geo_, ind.geography))]
    peers = geo_.place.peers
    if b.get("peer_file") and peers is not None:
        councils = counts(b["peer_file"], peers.members, "council")
        frames.append(pool(councils, {peers.code: list(peers.members)}))
    if b.get("lsoa_file"):
        codes = src.read_csv(b["lsoa_file"], ["area_code"])["area_code"]
        lsoas, _ = lsoa_set(geo_, codes, b.get("lsoa_set"), b["lsoa_file"])
        frames.append(counts(b["lsoa_file"], lsoas, "LSOA code"))
    if b.get("england_table"):
        eng = _england_table(src, _england_file(b, ind), b["england_table"])
        frames.append(
            pd.DataFrame(
                {
                    "area_code": [geo_.place.england_code],
                    "count": [float(eng["count"].sum())],
                    "denominator": [0.0],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["count"]
    out["denominator"] = float("nan")
    out["method"] = "Sum of LSOA counts"
    return out
