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
import json
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

from jsna import checks, config, geo, national, reference_tables
from jsna.comparison import compare
from jsna.geography import Geography, load_geography
from jsna.profiles import (
    CI_METHOD_LABELS,
    IndicatorProfile,
    Pcn,
    Place,
    ProfileError,
    load_indicators,
    load_place,
    multiplier,
)
from jsna.recipes import KINDS
from jsna.recipes.common import _pool, _with_proportion, _with_rate
from jsna.schema import AREA_COLUMNS, CI_COLUMNS, INDICATOR_COLUMNS, PROFILE_COLUMNS, VALUE_COLUMNS
from jsna.sources import SourceError, Sources
from jsna.suppression import suppress


# --------------------------------------------------------------------------- assembling
def serving_pcns(place: Place) -> dict[str, list[Pcn]]:
    """Neighbourhood code -> the PCNs that serve it (profiles/place.toml `serves`)."""
    out: dict[str, list[Pcn]] = {n.code: [] for n in place.neighbourhoods}
    for pcn in place.pcns:
        for code in pcn.serves:
            out[code].append(pcn)
    return out


def registered_label(pcns: list[Pcn]) -> str:
    """'registered patients of North PCN' (or '... of A and B PCNs')."""
    names = [p.name for p in pcns]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"registered patients of {joined} PCN{'s' if len(names) > 1 else ''}"


def registered_rows(
    values: pd.DataFrame, profile: IndicatorProfile, place: Place, practices: dict[str, str]
) -> pd.DataFrame:
    """Practice indicators for each neighbourhood's registered patients.

    A neighbourhood is served by one or more PCNs (profiles/place.toml); its row pools the
    counts and denominators of those PCNs' member practices, then computes the value and
    interval afresh, exactly as a PCN's. These are registered patients, not residents, and
    every row says so in `population`.
    """
    serving = serving_pcns(place)
    mult = {i.id: multiplier(i) for i in profile.indicators}
    kinds = {
        i.id: i.value_type
        for i in profile.indicators
        if i.geography == "practice" and i.value_type in ("proportion", "rate", "count")
    }
    rows = values[values["indicator_id"].isin(kinds) & values["area_code"].isin(practices)]
    frames = []
    for (ind_id, period, sex, age), sub in rows.groupby(
        ["indicator_id", "period", "sex", "age"], sort=False
    ):
        kind = kinds[str(ind_id)]
        if sub["count"].isna().any() or (kind != "count" and sub["denominator"].isna().any()):
            continue
        counts = sub[["area_code", "count", "denominator"]].fillna({"denominator": 0.0})
        present = set(counts["area_code"])
        groups = {
            nbh: [p for pcn in pcns for p in pcn.practices if p in present]
            for nbh, pcns in serving.items()
            if pcns
        }
        pooled = _pool(counts, groups)
        if kind == "proportion":
            pooled = _with_proportion(pooled, mult[str(ind_id)])
        elif kind == "rate":
            pooled = _with_rate(pooled, mult[str(ind_id)])
        else:
            pooled["value"] = pooled["count"]
            pooled["denominator"] = np.nan
            pooled["method"] = "Sum of practice values"
        labels = {n: registered_label(serving[n]) for n in groups}
        pooled["population"] = pooled["area_code"].map(labels).map(lambda t: t[:1].upper() + t[1:])
        pooled["method"] = (
            "Pooled from the member practices of the PCNs that serve this neighbourhood; "
            + pooled["method"].astype(str)
        )
        pooled = pooled.assign(
            indicator_id=str(ind_id), period=str(period), sex=str(sex), age=str(age)
        )
        frames.append(pooled)
    if not frames:
        return values.iloc[0:0]
    out = pd.concat(frames, ignore_index=True)
    for col in VALUE_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col in ("count", "denominator", *CI_COLUMNS) else None
    out["is_estimate"] = False
    return out[list(VALUE_COLUMNS)]


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
    src: Sources, geo_: Geography, profile: IndicatorProfile
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every recipe, suppress small numbers, compare: value rows and benchmark rows."""
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
        [values, registered_rows(values, profile, geo_.place, geo_.practice_pcn)],
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
    serving = [(n, p.code) for n, pcns in serving_pcns(geo_.place).items() for p in pcns]
    groups = pd.concat(
        [
            geo_.members,
            pd.DataFrame({"group_code": lsoas["parent_code"], "member_code": lsoas["area_code"]}),
            pd.DataFrame(serving, columns=["group_code", "member_code"]),
        ],
        ignore_index=True,
    )
    return compare(suppress(values, groups), profile, geo_.place)


def boundaries(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Simplified GeoJSON per layer, keyed by area code."""
    names = geo_.areas.set_index("area_code")["area_name"].to_dict()
    by_nbh_name = {n.name: n.code for n in geo_.place.neighbourhoods}
    layers = []
    place = geo_.place
    specs: list[tuple[str, str, str, Any]] = []
    for w in place.ward_sets:
        specs.append((w.layer, w.boundary, "wards", geo_.ward_map(w.id)))
        specs.append((w.neighbourhood_layer, w.neighbourhood_boundary, "nbh", by_nbh_name))
    specs = specs[::2] + specs[1::2]  # every ward layer, then every neighbourhood layer
    specs += [(s.layer, s.boundary, "lsoa", geo_.lsoa_wards[s.id]) for s in place.lsoa_sets]
    specs.append(("local_authority", place.files["la_boundary"], "la", [place.code]))
    for layer, rel, kind, expected in specs:
        gdf = geo.read_layer(src.geojson_path(rel), rel)
        column = "area_name" if kind == "nbh" else "area_code"
        what = {"nbh": "neighbourhood", "wards": "ward code", "lsoa": "LSOA code"}
        gdf = geo.check_layer(gdf, rel, column, expected, what.get(kind, "area code"))
        codes = (
            [by_nbh_name[n] for n in gdf["area_name"]] if kind == "nbh" else list(gdf["area_code"])
        )
        tol = 1e-4 if kind in ("lsoa", "la") else geo.DEFAULT_TOLERANCE
        fc = geo.to_feature_collection(gdf, codes, [names.get(c, c) for c in codes], tol)
        layers.append({"layer": layer, "geojson": json.dumps(fc, separators=(",", ":"))})
    return pd.DataFrame(layers)


def practices_table(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Practices with PCN, list size, site ward and neighbourhood, and location."""
    registrations = geo_.place.files["registrations"]
    reg = src.read_csv(
        registrations,
        [
            "practice_code",
            "practice_name",
            "practice_postcode",
            "registered_patients",
            "ward_code",
            "locality",
        ],
        counts=["registered_patients"],
        key=["practice_code"],
    )
    rel = geo_.place.files["practice_locations"]
    pts = src.read_csv(rel, ["name", "postcode", "lon", "lat"], numbers=["lon", "lat"])
    # The points file has no practice code: join on postcode, then on name where two
    # practices share a building (same postcode).
    pts["key"] = pts["postcode"].str.replace(" ", "").str.upper()
    reg["key"] = reg["practice_postcode"].str.replace(" ", "").str.upper()
    loc = pts.drop_duplicates("key").set_index("key")[["lon", "lat"]]
    reg = reg.join(loc, on="key")
    if reg["lon"].isna().any():
        i = int(reg["lon"].isna().to_numpy().argmax())
        raise SourceError(
            registrations,
            f"no location for postcode {reg['practice_postcode'].iloc[i]} in {rel}",
            int(reg["_row"].iloc[i]),
            "practice_postcode",
        )
    nbh = {n.name: n.code for n in geo_.place.neighbourhoods}
    pcn_names = {c.code: c.name for c in geo_.place.pcns}
    return pd.DataFrame(
        {
            "practice_code": reg["practice_code"],
            "practice_name": reg["practice_name"],
            "pcn_code": reg["practice_code"].map(geo_.practice_pcn),
            "pcn_name": reg["practice_code"].map(geo_.practice_pcn).map(pcn_names),
            "registered_patients": reg["registered_patients"].astype("int64"),
            "postcode": reg["practice_postcode"],
            "ward_code": reg["ward_code"],
            "neighbourhood_code": reg["locality"].map(nbh),
            "lon": reg["lon"],
            "lat": reg["lat"],
        }
    )


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
    values, comparisons = compute_values(src, geo_, profile)
    tables = {
        "areas": geo_.areas,
        "area_members": geo_.members,
        "indicators": indicators_table(profile, place),
        "indicator_values": values,
        "benchmark_comparisons": comparisons,
        "practices": practices_table(src, geo_),
        "boundaries": boundaries(src, geo_),
        **national.national_tables(src, profile, place),
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
