"""Comparison of every value with each benchmark (England, the council, the peers).

`compare` adds the England, council and peer values to the value rows and compares each row
with each benchmark, polarity-aware, at 95% and 99.8% (or takes OHID's published comparison),
giving the `benchmark_comparisons` rows; the default benchmark is the indicator's comparator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.core import stats
from jsna.core.model import Indicator, IndicatorProfile, Place


def _no_comparison_reason(ind: Indicator, rows: pd.DataFrame) -> np.ndarray:
    """Why rows of an indicator without intervals are not compared."""
    if ind.value_type == "count":
        why = "a count, not a rate"
    elif ind.geography == "local_authority":
        why = "OHID publishes no significance test for this indicator"
    elif ind.geography not in ("lsoa", "practice", "local_authority") and ind.estimate:
        why = "published without counts or confidence intervals"
    else:
        why = "no confidence interval: a whole-population measure, not a sample"
    estimate = rows["is_estimate"].to_numpy(dtype=bool)
    return np.where(estimate, "estimate only: " + why, why).astype(object)


def _benchmark(values: pd.DataFrame, code: str) -> pd.Series:
    keyed = values[values["area_code"] == code].set_index(["indicator_id", "period", "sex", "age"])
    idx = pd.MultiIndex.from_frame(values[["indicator_id", "period", "sex", "age"]])
    return pd.Series(keyed["value"].reindex(idx).to_numpy(), index=values.index)


BENCHMARK_KEYS = ("default", "england", "la", "peers")
KEY_COLUMNS = ["area_code", "indicator_id", "period", "sex", "age"]


def compare_with(
    values: pd.DataFrame,
    inds: dict[str, Indicator],
    bench_value: np.ndarray,
    bench_name: np.ndarray,
    bench_code: np.ndarray,
    published_ok: bool,
    place: Place,
) -> tuple[np.ndarray, np.ndarray]:
    """Comparison of every row with a per-row benchmark value (Fingertips method 1/17).

    Used by the build (every benchmark) and by build-your-own areas (`jsna.app.custom`). Rows whose
    area is the benchmark (`bench_code`), England, or suppressed are not compared; a missing
    benchmark value is "no <benchmark> figure in the data".
    """
    comparison = np.full(len(values), stats.Comparison.NOT_COMPARED.value, dtype=object)
    reason = np.full(len(values), "", dtype=object)
    for ind_id, idx in values.groupby("indicator_id").groups.items():
        ind = inds[str(ind_id)]
        sub = values.loc[idx]
        pos = values.index.get_indexer(idx)
        has_ci = sub["lower_ci95"].notna().to_numpy()
        compute = np.zeros(len(sub), dtype=bool)
        if ind.ci_method == "published" and published_ok:
            # OHID's own comparisons (with England) where published.
            pub = sub["published_comparison"]
            comparison[pos] = pub.fillna(stats.Comparison.NOT_COMPARED.value).to_numpy()
            reason[pos] = np.where(
                pub.isna() | (pub == "not compared"),
                "OHID published no comparison for this row",
                "",
            )
            compute = pub.isna().to_numpy() & has_ci
        elif ind.ci_method == "published" and not has_ci.any():
            reason[pos] = "OHID publishes only its comparison with England; no interval here"
        elif ind.comparator == "none" or ind.ci_method == "none" or not has_ci.any():
            reason[pos] = _no_comparison_reason(ind, sub)
        else:
            compute = np.ones(len(sub), dtype=bool)
        if compute.any():
            comp, why = stats.compare_to_benchmark(
                sub["value"].to_numpy()[compute],
                sub["lower_ci95"].to_numpy()[compute],
                sub["upper_ci95"].to_numpy()[compute],
                bench_value[pos[compute]],
                ind.polarity,
                sub["lower_ci998"].to_numpy()[compute],
                sub["upper_ci998"].to_numpy()[compute],
            )
            why = np.asarray(why, dtype=object)
            names = bench_name[pos[compute]]
            why = np.where(why == "no benchmark value", "no " + names + " figure in the data", why)
            comparison[pos[compute]] = np.asarray(comp, dtype=object)
            reason[pos[compute]] = why
        # An area is not compared with itself; England is never compared with a part of it.
        is_bench = (sub["area_code"].to_numpy() == bench_code[pos]) | (
            sub["area_code"].to_numpy() == place.england_code
        )
        comparison[pos[is_bench]] = stats.Comparison.NOT_COMPARED.value
        reason[pos[is_bench]] = np.where(
            sub["area_code"].to_numpy()[is_bench] == bench_code[pos[is_bench]],
            "this area is the benchmark",
            "England is not compared with a part of itself",
        )
    suppressed = values["note"].fillna("").str.startswith("Suppressed").to_numpy()
    comparison[suppressed] = stats.Comparison.NOT_COMPARED.value
    reason[suppressed] = "suppressed (small number)"
    return comparison, reason


def la_default_reason(why: np.ndarray, default_is_la: np.ndarray, place: Place) -> np.ndarray:
    """The default benchmark's reason where it is the council, as there is no England figure."""
    note = f"England: no figure in the data, so compared with {place.name}"
    return np.where(default_is_la & (why == ""), note, why).astype(object)


def compare(
    values: pd.DataFrame, profile: IndicatorProfile, place: Place
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add England, the council and peer values and compare every row with each benchmark.

    Benchmarks: `default` (England, or the council where the indicator has no England figure,
    the comparator named in the profile), `england`, `la` and `peers` (the peer group in
    profiles/place.toml). Returns the values with the default comparison columns, and a long
    table with one row per value row and benchmark.
    """
    inds = {i.id: i for i in profile.indicators}
    values = values.copy()
    values["england_value"] = _benchmark(values, place.england_code)
    fixed = values["indicator_id"].map({i.id: i.england_value for i in profile.indicators})
    values["england_value"] = values["england_value"].fillna(fixed)
    values["la_value"] = _benchmark(values, place.code)
    peer_code = place.peers.code if place.peers is not None else ""
    peer_name = place.peers.name if place.peers is not None else ""
    peer_value = _benchmark(values, peer_code) if peer_code else values["england_value"] * np.nan
    comparator = values["indicator_id"].map({i.id: i.comparator for i in profile.indicators})
    n = len(values)
    default_is_la = (comparator == "la").to_numpy()
    specs = {
        "default": (
            np.where(default_is_la, values["la_value"], values["england_value"]),
            np.where(default_is_la, place.name, place.england_name),
            np.where(default_is_la, place.code, place.england_code),
            True,
        ),
        "england": (
            values["england_value"].to_numpy(),
            np.full(n, place.england_name, dtype=object),
            np.full(n, place.england_code, dtype=object),
            True,
        ),
        "la": (
            values["la_value"].to_numpy(),
            np.full(n, place.name, dtype=object),
            np.full(n, place.code, dtype=object),
            False,
        ),
        "peers": (
            peer_value.to_numpy(),
            np.full(n, peer_name, dtype=object),
            np.full(n, peer_code, dtype=object),
            False,
        ),
    }
    frames = []
    for key, (bench_value, bench_name, bench_code, published_ok) in specs.items():
        comp, why = compare_with(
            values,
            inds,
            bench_value.astype(float),
            bench_name.astype(object),
            bench_code.astype(object),
            published_ok,
            place,
        )
        if key == "default":
            why = la_default_reason(why, default_is_la, place)
        frame = values[KEY_COLUMNS].copy()
        frame["benchmark_key"] = key
        frame["benchmark"] = bench_name
        frame["benchmark_value"] = bench_value
        frame["comparison"] = comp
        frame["comparison_reason"] = why
        frames.append(frame)
    long = pd.concat(frames, ignore_index=True)
    default = frames[0]
    values["benchmark"] = np.where(comparator == "none", "", default["benchmark"])
    values["benchmark_value"] = default["benchmark_value"].to_numpy()
    values["comparison"] = default["comparison"].to_numpy()
    values["comparison_reason"] = default["comparison_reason"].to_numpy()
    return values, long
