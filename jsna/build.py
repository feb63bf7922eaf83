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
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from jsna import checks, config, national, reference_tables, registered
from jsna.comparison import compare
from jsna.geography import Geography, boundaries, load_geography, practices_table
from jsna.profiles import (
    CI_METHOD_LABELS,
    IndicatorProfile,
    Place,
    ProfileError,
    load_indicators,
    load_place,
)
from jsna.recipes import KINDS
from jsna.schema import AREA_COLUMNS, CI_COLUMNS, INDICATOR_COLUMNS, PROFILE_COLUMNS, VALUE_COLUMNS
from jsna.sources import SourceError, Sources
from jsna.suppression import suppress


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


def compute_values(
    src: Sources, geo_: Geography, profile: IndicatorProfile, hidden: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every recipe, suppress small numbers, compare: value rows and benchmark rows.

    `hidden`: the place's rows that the national tables' suppression hides (the same
    practices' counts), hidden here too.
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
    return compare(suppress(values, groups, hidden), profile, geo_.place)


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


# Column names come from jsna.schema, never from input.
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


def build_database(source: Path, out: Path) -> dict[str, Any]:
    """Build the database from `source` into `out`, atomically.

    Returns:
        A summary: counts of areas by type, indicators, rows and seconds taken.

    Raises:
        SourceError: a source file failed validation (nothing is written).
        ProfileError: a profile file is malformed (nothing is written).
    """
    start = time.perf_counter()
    src = Sources(source)
    place = load_place()
    profile = load_indicators(place=place)
    geo_ = load_geography(src, place)
    checks.validate(src, geo_, profile)
    national_tables, place_hidden = national.national_build(src, profile, place)
    values, comparisons = compute_values(src, geo_, profile, place_hidden)
    tables = {
        "areas": geo_.areas,
        "area_members": geo_.members,
        "indicators": indicators_table(profile, place),
        "indicator_values": values,
        "benchmark_comparisons": comparisons,
        "practices": practices_table(src, geo_),
        "boundaries": boundaries(src, geo_),
        **national_tables,
        "build_info": pd.DataFrame(
            [
                {"key": "built_at", "value": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")},
                {"key": "source", "value": str(source)},
            ]
        ),
    }
    tables.update(reference_tables.build(src, geo_))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, df in tables.items():
                con.register("_df", df)
                con.execute(f"create table {name} as select * from _df")  # noqa: S608 (fixed names)
                con.unregister("_df")
            con.execute(PROFILE_VIEW)
            if "national_values" in tables:
                con.execute(national.NATIONAL_VIEW)
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    counts = geo_.areas["area_type"].value_counts().to_dict()
    return {
        "areas": counts,
        "indicators": len(profile.indicators),
        "rows": len(values),
        "seconds": round(time.perf_counter() - start, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m jsna.build", description=__doc__)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="data folder (default: $JSNA_SOURCE or ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="database file (default: $JSNA_DB or data/jsna.duckdb)",
    )
    args = parser.parse_args(argv)
    source = args.source or config.source_dir()
    out = args.out or config.db_path()
    try:
        summary = build_database(source, out)
    except (SourceError, ProfileError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"built {out} in {summary['seconds']} s: {summary['indicators']} indicators, "
        f"{summary['rows']} values; areas {summary['areas']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
