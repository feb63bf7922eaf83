"""Build the health database: `python -m jsna.build [--source DIR] [--out FILE]`.

Reads the open data in the source folder, validates it, pools ward (or LSOA) numerators and
denominators into neighbourhoods and practice numerators and denominators into PCNs,
computes values, confidence intervals and comparisons with England (or the council where
England has no figure), suppresses small numbers, and writes one DuckDB file. The file is
written under a temporary name and renamed into place, so a failed build leaves the previous
database untouched.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jsna.build import (
    checks,
    dbfile,
    list_bands,
    manifest,
    national,
    reference_tables,
    registered,
    smoothed,
)
from jsna.build.geography import Geography, boundaries, load_geography, practices_table
from jsna.build.profiles import (
    CI_METHOD_LABELS,
    IndicatorProfile,
    Place,
    ProfileError,
    load_indicators,
    load_place,
)
from jsna.build.recipes import KINDS
from jsna.build.sources import SourceError, Sources
from jsna.core import config, stored
from jsna.core.comparison import compare
from jsna.core.schema import (
    AREA_COLUMNS,
    CI_COLUMNS,
    INDICATOR_COLUMNS,
    PROFILE_COLUMNS,
    UNIT_RANGES,
    VALUE_COLUMNS,
)
from jsna.core.suppression import suppress


# --------------------------------------------------------------------------- assembling
def _population_label(values: pd.DataFrame, profile: IndicatorProfile, place: Place) -> pd.Series:
    """Who each row counts: residents (and on which ward set) or registered patients."""
    geography = values["indicator_id"].map({i.id: i.geography for i in profile.indicators})
    labels = {w.id: f"Residents ({w.name})" for w in place.ward_sets}
    if place.lsoa_sets:
        lsoa_wards = place.ward_set(place.lsoa_sets[0].ward_set).name
        labels["lsoa"] = f"Residents (LSOAs best-fit to {lsoa_wards})"
    labels |= {"local_authority": "Residents", "practice": "Registered patients"}
    label = geography.map(labels)
    return values["population"].fillna(label)


def _check_plausible(values: pd.DataFrame, profile: IndicatorProfile) -> None:
    """Every value the recipes computed is finite and plausible for its indicator's unit.

    The recipes check each value they read (naming the file, row and column); this is the
    net under them, for a value computed from sound-looking inputs (a pooled rate, an
    estimate): it names the indicator's source, the area and the value.
    """
    for ind in profile.indicators:
        lo, hi = UNIT_RANGES[ind.unit]
        rows = values[values["indicator_id"] == ind.id]
        v = rows["value"].astype("float64")
        bad = v.notna() & ~v.between(lo, hi)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise SourceError(
                ind.sources[0] if ind.sources else "profiles/indicators.toml",
                f"indicator {ind.id}: {rows['area_code'].iloc[i]} comes to {v.iloc[i]:g}, "
                f"not plausible for '{ind.unit}' ({lo:g} to {hi:g})",
            )


def recipe_values(src: Sources, geo_: Geography, profile: IndicatorProfile) -> pd.DataFrame:
    """Run every recipe and check what they made: the value rows before suppression.

    Everything that can stop the build on a bad source runs here, before the slower national
    tables and suppression, so a damaged file fails in seconds.
    """
    frames = []
    for ind in profile.indicators:
        df = KINDS[ind.build["kind"]].run(src, geo_, ind)
        df["indicator_id"] = ind.id
        for col, default in (
            ("period", ind.period),
            ("sex", "Persons"),
            ("age", "All ages"),
            ("is_estimate", False),
            ("note", None),
            ("published_comparison", None),
            ("population", None),
            ("count", np.nan),
            ("denominator", np.nan),
            ("method", ""),
        ):
            if col not in df.columns:
                df[col] = default
        for col in CI_COLUMNS:
            if col not in df.columns:
                df[col] = np.nan
        frames.append(df[list(VALUE_COLUMNS)])
    values = pd.concat(frames, ignore_index=True)
    values = pd.concat(
        [values, registered.registered_rows(values, profile, geo_.place, geo_.practice_pcn)],
        ignore_index=True,
    )
    values["population"] = _population_label(values, profile, geo_.place)
    _check_plausible(values, profile)
    for ind in profile.indicators:
        periods = set(values.loc[values["indicator_id"] == ind.id, "period"])
        if ind.period not in periods:
            raise ProfileError(
                f"profiles/indicators.toml: {ind.id}: no data for its period "
                f"'{ind.period}' (the sources have {sorted(periods)[-3:]})"
            )
    known = set(geo_.areas["area_code"])
    unknown = ~values["area_code"].isin(known)
    if unknown.any():
        raise ProfileError(
            f"build produced rows for unknown area {values.loc[unknown, 'area_code'].iloc[0]}"
        )
    values["is_estimate"] = values["is_estimate"].astype(bool)
    return values


def published_values(
    values: pd.DataFrame,
    geo_: Geography,
    profile: IndicatorProfile,
    hidden: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suppress small numbers and compare: value rows and benchmark rows.

    `hidden`: the place's rows that the national tables' suppression hides (the same
    practices' counts), hidden here too.
    """
    # Small areas inside wards count as members too, so a lone suppressed LSOA cannot be
    # recovered from its ward's total.
    lsoas = geo_.areas[geo_.areas["area_type"] == "lsoa"]
    # A neighbourhood's registered-patient rows are the sum of the PCNs that serve it.
    serving = [(n, p.code) for n, pcns in registered.serving_pcns(geo_.place).items() for p in pcns]
    groups = pd.concat(
        [
            geo_.members,
            pd.DataFrame({"group_code": lsoas["parent_code"], "member_code": lsoas["area_code"]}),
            pd.DataFrame(serving, columns=["group_code", "member_code"]),
        ],
        ignore_index=True,
    )
    shown = suppress(values, groups, hidden)
    # Suppression blanks the count of every row it hides, and only those.
    shown["is_suppressed"] = values["count"].notna().to_numpy() & shown["count"].isna().to_numpy()
    return compare(shown, profile, geo_.place)


def status_table(
    values: pd.DataFrame, comparisons: pd.DataFrame, profile: IndicatorProfile, place: Place
) -> pd.DataFrame:
    """Typed columns for what the profile says in words: one row per value and benchmark.

    `is_suppressed` (the note says why), `population_kind` (`residents` or `registered`: the
    `population` column says which residents or patients) and `benchmark_code` (the code of
    the area `benchmark` names; for `default`, the council where the indicator's comparator
    is the council, else England).
    """
    keys = ["area_code", "indicator_id", "period", "sex", "age"]
    geography = values["indicator_id"].map({i.id: i.geography for i in profile.indicators})
    kinds = values[[*keys, "is_suppressed"]].assign(
        population_kind=np.where(geography == "practice", "registered", "residents")
    )
    out = comparisons[[*keys, "benchmark_key"]].merge(kinds, on=keys, validate="many_to_one")
    codes = {
        "england": place.england_code,
        "la": place.code,
        "peers": place.peers.code if place.peers is not None else "",
    }
    comparator = out["indicator_id"].map({i.id: i.comparator for i in profile.indicators})
    default_code = np.where(comparator == "la", place.code, place.england_code)
    out["benchmark_code"] = np.where(
        out["benchmark_key"] == "default", default_code, out["benchmark_key"].map(codes)
    )
    if out["benchmark_code"].isna().any():
        raise ProfileError(
            f"unknown benchmark key {sorted(set(out['benchmark_key']) - {'default', *codes})}"
        )
    return out


def indicators_table(profile: IndicatorProfile, place: Place) -> pd.DataFrame:
    """The indicator metadata as a table."""
    domains = {d.id: d for d in profile.domains}
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "indicator_name": i.name,
                "domain_id": i.domain,
                "domain": domains[i.domain].name,
                "domain_order": domains[i.domain].order,
                "sort_order": n,
                "definition": i.definition,
                "value_type": i.value_type,
                "unit": i.unit,
                "polarity": i.polarity.value,
                "ci_method": i.ci_method,
                "ci_method_label": CI_METHOD_LABELS[i.ci_method],
                "comparator": i.comparator,
                "period": i.period,
                "sources": "; ".join(i.sources),
                "publisher": i.publisher,
                "licence": i.licence,
                "geography": i.geography,
                "geography_label": place.geography_label(i.geography),
                "estimate": i.estimate,
            }
            for n, i in enumerate(profile.indicators)
        ]
    )


def _profile_column(col: str) -> str:
    table = "a" if col in AREA_COLUMNS else "i" if col in INDICATOR_COLUMNS else "v"
    return f"{table}.{col}"


# Column names come from jsna.core.schema, never from input.
PROFILE_VIEW = f"""
create view profile as
select {", ".join(_profile_column(c) for c in PROFILE_COLUMNS)}
from indicator_values as v
join areas as a using (area_code)
join indicators as i using (indicator_id);

create view profile_all as
select p.* replace (b.benchmark as benchmark, b.benchmark_value as benchmark_value,
                    b.comparison as comparison, b.comparison_reason as comparison_reason),
       b.benchmark_key
from profile as p
join benchmark_comparisons as b using (area_code, indicator_id, period, sex, age)
"""  # noqa: S608


def _check_release(
    release: manifest.Release,
    tables: dict[str, pd.DataFrame],
    profile: IndicatorProfile,
    place: Place,
) -> None:
    """Stop on a file read that is changed or undeclared; record the release read.

    `build_info` also gets each source's period in words (`period:<key>`, from the manifest)
    for the pages' date labels: every `[files]` key of the place, `qof` and `nhs_membership`
    (the first QOF indicator's prevalence and NHS geography files), `os_copyright`, and `imd`
    (the IMD of the LSOA deprivation table, named from its rows).
    """
    problem = release.problem()
    if problem:
        raise SourceError(*problem)
    tables["data_release"] = release.table()
    qof = [i.build for i in profile.indicators if i.build.get("kind") == "qof_prevalence"]
    keys = {k: str(v) for k, v in place.files.items()}
    if qof:
        keys |= {"qof": qof[0]["file"], "nhs_membership": qof[0].get("geography_file", "")}
    periods = release.periods(keys)
    years = tables["lsoa_imd"]["imd_year"].dropna().unique()
    if len(years):
        periods["imd"] = f"IMD {years[0]}"
    rows = [{"key": "release", "value": release.label}]
    rows += [{"key": f"period:{k}", "value": v} for k, v in sorted(periods.items())]
    tables["build_info"] = pd.concat([tables["build_info"], pd.DataFrame(rows)], ignore_index=True)


def build_database(source: Path, out: Path) -> dict[str, Any]:
    """Build the database from `source` into `out`, atomically.

    Returns:
        A summary: counts of areas by type, indicators, rows and seconds taken.

    Raises:
        SourceError: a source file failed validation (nothing is written).
        ProfileError: a profile file is malformed (nothing is written).
    """
    start = time.perf_counter()
    release = manifest.Release(manifest.load_if_present())
    src = Sources(source, release)
    place = load_place()
    profile = load_indicators(place=place)
    geo_ = load_geography(src, place)
    checks.validate(src, geo_, profile)
    values = recipe_values(src, geo_, profile)
    # Every local source read and checked before the slow national suppression and ranks:
    # a changed or undeclared file read so far stops the build here, in seconds.
    local_tables = {
        "practices": practices_table(src, geo_),
        "boundaries": boundaries(src, geo_),
        **reference_tables.build(src, geo_),
    }
    problem = release.problem()
    if problem:
        raise SourceError(*problem)
    national_tables, place_hidden = national.national_build(src, profile, place)
    bands_hidden = list_bands.list_share_hidden(local_tables["gp_list_bands"], profile)
    place_hidden = pd.concat([place_hidden, bands_hidden], ignore_index=True)
    values, comparisons = published_values(values, geo_, profile, place_hidden)
    status = status_table(values, comparisons, profile, place)
    values = values.drop(columns="is_suppressed")
    tables = {
        "areas": geo_.areas,
        "area_members": geo_.members,
        "indicators": indicators_table(profile, place),
        **stored.tables(place, profile),
        "indicator_values": values,
        "benchmark_comparisons": comparisons,
        "profile_status": status,
        "smoothed_values": smoothed.smoothed_values(values, geo_.areas, profile),
        **local_tables,
        **national_tables,
        "build_info": pd.DataFrame(
            [
                {"key": "built_at", "value": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")},
                {"key": "source", "value": str(source)},
            ]
        ),
    }
    _check_release(release, tables, profile, place)
    views = [PROFILE_VIEW] + ([national.NATIONAL_VIEW] if "national_values" in tables else [])
    dbfile.write(out, tables, views)
    counts = geo_.areas["area_type"].value_counts().to_dict()
    return {
        "areas": counts,
        "indicators": len(profile.indicators),
        "rows": len(values),
        "seconds": round(time.perf_counter() - start, 2),
        "release": release.label,
        "files": len(release.read),
        "verify_seconds": round(release.seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m jsna.build", description=__doc__)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="data folder (default: $JSNA_SOURCE or data/trafford)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="database file (default: $JSNA_DB or data/jsna.duckdb)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the place and its data, list every problem found, and write nothing",
    )
    args = parser.parse_args(argv)
    source = args.source or config.source_dir()
    out = args.out or config.db_path()
    if args.check:
        from jsna.build.check_all import check_place

        problems, files = check_place(source)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"check failed: {len(problems)} problem(s) in {files} files", file=sys.stderr)
            return 1
        print(f"check passed: {files} files read, no problem found")
        return 0
    try:
        summary = build_database(source, out)
    except (SourceError, ProfileError, manifest.ManifestError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"built {out} in {summary['seconds']} s: {summary['indicators']} indicators, "
        f"{summary['rows']} values; areas {summary['areas']}; data release "
        f"{summary['release']} ({summary['files']} files, sha256 in {summary['verify_seconds']} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
