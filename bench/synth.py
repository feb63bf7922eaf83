"""A synthetic England-size copy of the built database, for the scale benchmark.

How it is made (deterministic: the same inputs and seed give the same file):

1. The built database (default `data/jsna.duckdb`) is copied to `--out`. Every real row stays
   as built: the place's council and its areas, England, the peer group and the national QOF
   tables (`national_values`, `nhs_areas`, `pcn_context`, already every English practice and
   PCN) are untouched, so every page still shows the place as it really is.
2. The place is replicated into `councils - 1` synthetic councils. Copy k (1, 2, ...) takes
   each of the place's four neighbourhoods, and shares of its PCNs, practices, wards (per
   ward set) and LSOAs chosen so that the totals, the real place's included, are the counts
   asked for (`SIZES`: 309 councils, 1,236 neighbourhoods, 1,250 PCNs, 6,400 practices, 6,900
   wards per ward set, 33,700 LSOAs). Fewer than the place has: the first n templates in a
   rotating order (the largest PCNs, then practices of kept PCNs round-robin, so every
   kept PCN keeps one; LSOAs of any ward, since every ward is kept). More: a template repeats, as a
   second ward in the same neighbourhood. Each copy has its own codes in ranges no real area
   uses (council `E069kkkkk`, wards `E059nnnnn`, LSOAs `E019nnnnn`, practices `Znnnnn`, PCNs
   `U` codes absent from the national tables, neighbourhoods `<code>-Skkk`) and names
   `<name> (kkk)`; parents and `area_members` follow the copies.
3. Values: each synthetic ward, LSOA and practice row is a jittered copy of its template's
   row: the denominator times an area factor g (log-normal, sigma 0.10), the count times g·h
   (h log-normal, sigma 0.10, per row), both rounded, and the value and its four confidence
   limits times the change in count/denominator (h, near enough), so each interval keeps its
   shape. A neighbourhood, PCN or council row whose real count and denominator are exactly the
   sum of its real members of one type (wards of one set, LSOAs, practices: learnt from the
   real rows) is pooled again from its synthetic members, so a PCN's QOF count is the sum of
   its practices' counts; any other group row is jittered like a member. Then small-number
   suppression (`jsna.core.suppression.suppress`, with the copied memberships) and the comparisons
   (`jsna.core.comparison.compare`, England and the peers real; the council benchmark is the
   place's council, as the app knows one council) are run again on the synthetic rows, giving
   their `benchmark_comparisons` rows.
4. Other per-area tables: `practices` (list size jittered, log-normal sigma 0.10, location
   translated), `population_bands` and `gp_list_bands` (each count jittered the same way),
   `lsoa_imd` and `practice_imd` (copied under the new codes). Postcodes are not replicated
   (a lookup by key, whose cost does not grow with the number of areas).
5. Boundaries: every feature of every layer is copied under its new code and name, its
   coordinates translated by copy k's cell of a grid (18 columns 0.45° apart, rows 0.3°
   apart, around the place's own position, whose cell is skipped), so maps draw real polygons.
   A repeated ward overlaps its template.

Run: `python -m bench.synth --out artifacts/england.duckdb` (about 45 s of CPU, 2 GB of memory;
659,689 value rows at the default sizes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from jsna.build.profiles import load_indicators, load_place  # noqa: E402
from jsna.build.registered import serving_pcns  # noqa: E402
from jsna.core import config  # noqa: E402
from jsna.core.comparison import compare  # noqa: E402
from jsna.core.schema import CI_COLUMNS, VALUE_COLUMNS  # noqa: E402
from jsna.core.suppression import suppress  # noqa: E402

SEED = 20261203
SIGMA = 0.10
GRID_COLUMNS, GRID_DX, GRID_DY = 18, 0.45, 0.30
KEY = ["indicator_id", "period", "sex", "age"]
LEAF_TYPES = ("ward", "lsoa", "practice")


@dataclass(frozen=True)
class Sizes:
    """Totals asked for, the real place's areas included (wards: per ward set)."""

    councils: int = 309
    pcns: int = 1250
    practices: int = 6400
    wards: int = 6900
    lsoas: int = 33700


SIZES = Sizes()


def _shares(total: int, real: int, copies: int) -> list[int]:
    """How many of `total - real` areas each copy gets (as even as possible)."""
    extra = total - real
    if copies <= 0 or extra < copies:
        raise ValueError(f"cannot share {extra} areas among {copies} copies (one each at least)")
    base, rest = divmod(extra, copies)
    return [base + (1 if k < rest else 0) for k in range(copies)]


def _rotate(items: list[str], k: int) -> list[str]:
    if not items:
        return items
    k %= len(items)
    return items[k:] + items[:k]


def _codes(prefix: str, width: int, taken: set[str]) -> Iterator[str]:
    """New codes `prefix` + n (n from the top down), skipping any in `taken`."""
    n = 10**width - 1
    while n >= 0:
        code = f"{prefix}{n:0{width}d}"
        if code not in taken:
            yield code
        n -= 1
    raise ValueError(f"ran out of {prefix} codes")


def _grid_offset(k: int, home_cell: int) -> tuple[float, float]:
    cell = k - 1 if k - 1 < home_cell else k
    row, col = divmod(cell, GRID_COLUMNS)
    home_row, home_col = divmod(home_cell, GRID_COLUMNS)
    return (col - home_col) * GRID_DX, (home_row - row) * GRID_DY


def _areas_of_copy(
    k: int, areas: pd.DataFrame, members: pd.DataFrame, sizes: dict[str, int]
) -> pd.DataFrame:
    """Template area codes of copy k: columns template, area_type, vintage, dup (0 or 1, ...)."""
    by_type = dict(iter(areas.groupby("area_type")))
    rows: list[tuple[str, int]] = [(c, 0) for c in by_type["local_authority"]["area_code"]]
    rows += [(c, 0) for c in by_type["neighbourhood"]["area_code"]]
    # The largest PCNs are kept (in a rotating order among equals), then their practices
    # round-robin, so that each kept PCN keeps at least one.
    all_pcns = _rotate(list(by_type["pcn"]["area_code"]), k)
    kids = {p: list(members.loc[members["group_code"] == p, "member_code"]) for p in all_pcns}
    pcns = sorted(all_pcns, key=lambda p: -len(kids[p]))[: sizes["pcn"]]
    rows += [(c, 0) for c in pcns]
    queues = [_rotate(kids[p], k) for p in pcns]
    order = [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]
    if sizes["practice"] > len(order):
        raise ValueError(f"copy {k}: {sizes['practice']} practices but only {len(order)} kept")
    rows += [(c, 0) for c in order[: sizes["practice"]]]
    for vintage, wards in by_type["ward"].groupby("vintage"):
        codes = list(wards["area_code"])
        n = sizes[f"ward:{vintage}"]
        if n < len(codes):
            raise ValueError(f"{n} wards of {vintage} per copy: fewer than the place's")
        rows += [(codes[i % len(codes)], i // len(codes)) for i in range(n)]
    lsoas = _rotate(list(by_type["lsoa"]["area_code"]), k * 7)
    rows += [(lsoas[i % len(lsoas)], i // len(lsoas)) for i in range(sizes["lsoa"])]
    out = pd.DataFrame(rows, columns=["template", "dup"])
    return out.merge(
        areas[["area_code", "area_type", "vintage"]].rename(columns={"area_code": "template"}),
        on="template",
    )


def _plan(areas: pd.DataFrame, members: pd.DataFrame, taken: set[str], sz: Sizes) -> pd.DataFrame:
    """Every synthetic area: copy k, its template, its new code, name, parent and sort order."""
    place_areas = areas[
        areas["area_type"].isin(["local_authority", "neighbourhood", "pcn", *LEAF_TYPES])
    ]
    copies = sz.councils - 1
    real = place_areas["area_type"].value_counts()
    share = {
        "pcn": _shares(sz.pcns, int(real["pcn"]), copies),
        "practice": _shares(sz.practices, int(real["practice"]), copies),
        "lsoa": _shares(sz.lsoas, int(real["lsoa"]), copies),
    }
    ward_sets = place_areas.loc[place_areas["area_type"] == "ward", "vintage"].value_counts()
    for vintage, n in ward_sets.items():
        share[f"ward:{vintage}"] = _shares(sz.wards, int(n), copies)
    new = {
        "ward": _codes("E059", 5, taken),
        "lsoa": _codes("E019", 5, taken),
        "practice": _codes("Z", 5, taken),
        "pcn": _codes("U", 5, taken),
    }
    frames = []
    for k in range(1, copies + 1):
        plan = _areas_of_copy(k, place_areas, members, {t: s[k - 1] for t, s in share.items()})
        plan["k"] = k
        plan["area_code"] = [
            f"E069{k:05d}"
            if area_type == "local_authority"
            else f"{template}-S{k:03d}"
            if area_type == "neighbourhood"
            else next(new[area_type])
            for template, area_type in zip(plan["template"], plan["area_type"], strict=True)
        ]
        frames.append(plan)
    plan = pd.concat(frames, ignore_index=True)
    info = areas.set_index("area_code")
    plan["area_name"] = [
        f"Synthetic council {k:03d}"
        if t == "local_authority"
        else f"{info.at[tpl, 'area_name']} ({k:03d}{'' if d == 0 else chr(ord('a') + d)})"
        for tpl, t, k, d in zip(
            plan["template"], plan["area_type"], plan["k"], plan["dup"], strict=True
        )
    ]
    # Parents: the copy of the template's parent in the same copy (its first instance).
    first = plan[plan["dup"] == 0].set_index(["k", "template"])["area_code"]
    parent_tpl = plan["template"].map(info["parent_code"])
    idx = pd.MultiIndex.from_arrays([plan["k"], parent_tpl])
    plan["parent_code"] = first.reindex(idx).to_numpy()
    is_la = plan["area_type"] == "local_authority"
    plan.loc[is_la, "parent_code"] = parent_tpl[is_la]
    top = int(areas["sort_order"].max()) + 1
    plan["sort_order"] = top + np.arange(len(plan))
    return plan


def _members(plan: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """area_members of the copies: a group's copy holds every copy of its members' templates."""
    groups = plan[plan["dup"] == 0][["k", "template", "area_code"]]
    m = members.merge(groups, left_on="group_code", right_on="template")
    m = m[["k", "area_code", "member_code"]].rename(columns={"area_code": "group_code"})
    m = m.merge(
        plan[["k", "template", "area_code"]],
        left_on=["k", "member_code"],
        right_on=["k", "template"],
    )
    return m[["group_code", "area_code"]].rename(columns={"area_code": "member_code"})


def _leaves(areas: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Group code -> each ward, LSOA or practice under it (through members and LSOA parents)."""
    lsoas = areas[areas["area_type"] == "lsoa"]
    edges = pd.concat(
        [
            members,
            pd.DataFrame({"group_code": lsoas["parent_code"], "member_code": lsoas["area_code"]}),
        ],
        ignore_index=True,
    ).drop_duplicates()
    kind = areas.set_index("area_code")["area_type"]
    out = edges.copy()
    frontier = edges
    while not frontier.empty:
        frontier = frontier.merge(edges, left_on="member_code", right_on="group_code")
        frontier = frontier[["group_code_x", "member_code_y"]].set_axis(
            ["group_code", "member_code"], axis=1
        )
        out = pd.concat([out, frontier], ignore_index=True)
    out = out.drop_duplicates()
    leaf_type = kind.where(kind != "ward", "ward:" + areas.set_index("area_code")["vintage"])
    out["leaf_type"] = out["member_code"].map(leaf_type)
    return out[out["member_code"].map(kind).isin(LEAF_TYPES)].reset_index(drop=True)


def _pooled_keys(values: pd.DataFrame, leaves: pd.DataFrame) -> pd.DataFrame:
    """Real group rows whose count and denominator are the sum of their leaves of one type."""
    lv = leaves.merge(values, left_on="member_code", right_on="area_code")
    sums = lv.groupby(["group_code", "leaf_type", *KEY])[["count", "denominator"]].sum(min_count=1)
    sums = sums.reset_index().rename(columns={"group_code": "area_code"})
    m = values.merge(sums, on=["area_code", *KEY], suffixes=("", "_sum"))
    ok = ((m["count"] - m["count_sum"]).abs() < 0.5) & (
        (m["denominator"] - m["denominator_sum"]).abs() < 0.5
    )
    return m.loc[ok, ["area_code", *KEY, "leaf_type"]].drop_duplicates(["area_code", *KEY])


def _scale(rows: pd.DataFrame, ratio: np.ndarray) -> None:
    """Value and its four confidence limits times `ratio` (in place)."""
    for col in ["value", *CI_COLUMNS]:
        rows[col] = rows[col].to_numpy() * ratio


def _values(
    plan: pd.DataFrame,
    real: pd.DataFrame,
    areas: pd.DataFrame,
    members: pd.DataFrame,
    syn_members: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Value rows of the copies: members jittered, groups pooled again where the real ones are."""
    g = pd.Series(np.exp(rng.normal(0.0, SIGMA, len(plan))), index=plan["area_code"])
    rows = plan[["k", "template", "area_code", "area_type", "dup"]].merge(
        real.rename(columns={"area_code": "template"}), on="template"
    )
    rows = rows.sort_values(["area_code", *KEY], kind="stable").reset_index(drop=True)
    area_g = rows["area_code"].map(g).to_numpy()
    h = np.exp(rng.normal(0.0, SIGMA, len(rows)))
    count0, den0 = rows["count"].to_numpy(), rows["denominator"].to_numpy()
    count = np.round(count0 * area_g * h)
    den = np.round(den0 * area_g)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            np.isfinite(den0) & (den0 > 0) & (den > 0),
            (count / den) / (count0 / den0),
            np.where(np.isfinite(count0) & (count0 > 0), count / count0, h),
        )
    ratio = np.where(np.isfinite(ratio), ratio, h)
    rows["count"], rows["denominator"] = count, den
    _scale(rows, ratio)

    # Pool group rows again from their synthetic members where the real build pooled them.
    pooled = _pooled_keys(real, _leaves(areas, members)).rename(columns={"area_code": "template"})
    syn_areas = pd.concat([areas, plan[areas.columns]], ignore_index=True)
    syn_leaves = _leaves(syn_areas, syn_members)
    syn_leaves = syn_leaves[syn_leaves["group_code"].isin(plan["area_code"])]
    groups = rows[["area_code", "template", *KEY]].merge(pooled, on=["template", *KEY])
    want = groups.merge(
        syn_leaves, left_on=["area_code", "leaf_type"], right_on=["group_code", "leaf_type"]
    )
    want = want[["area_code", "member_code", *KEY]]
    sums = want.merge(
        rows[["area_code", *KEY, "count", "denominator"]].rename(
            columns={"area_code": "member_code"}
        ),
        on=["member_code", *KEY],
    )
    sums = sums.groupby(["area_code", *KEY])[["count", "denominator"]].sum(min_count=1)
    idx = pd.MultiIndex.from_frame(rows[["area_code", *KEY]])
    new_count = sums["count"].reindex(idx).to_numpy()
    new_den = sums["denominator"].reindex(idx).to_numpy()
    hit = ~np.isnan(new_count) & ~np.isnan(new_den)
    with np.errstate(divide="ignore", invalid="ignore"):
        fix = (new_count / new_den) / (count0 / den0) / ratio
    fix = np.where(hit & np.isfinite(fix), fix, 1.0)
    rows.loc[hit, "count"] = new_count[hit]
    rows.loc[hit, "denominator"] = new_den[hit]
    _scale(rows, fix)
    return rows


def _geojson(
    geojson: str, layer_plan: pd.DataFrame, offsets: dict[int, tuple[float, float]]
) -> str:
    """The layer with a translated copy of each feature for every synthetic area in it."""
    fc = json.loads(geojson)
    by_code = {f["properties"]["area_code"]: f for f in fc["features"]}
    out = list(fc["features"])
    for tpl, code, name, k in zip(
        layer_plan["template"],
        layer_plan["area_code"],
        layer_plan["area_name"],
        layer_plan["k"],
        strict=True,
    ):
        feature = by_code.get(tpl)
        if feature is None:
            continue
        dx, dy = offsets[k]
        geom = feature["geometry"]
        copy = {
            "type": "Feature",
            "id": code,
            "properties": {"area_code": code, "area_name": name},
            "geometry": {"type": geom["type"], "coordinates": _shift(geom["coordinates"], dx, dy)},
        }
        out.append(copy)
    fc["features"] = out
    return json.dumps(fc, separators=(",", ":"))


def _shift(coords: object, dx: float, dy: float) -> object:
    if isinstance(coords, list) and coords and isinstance(coords[0], int | float):
        return [round(coords[0] + dx, 5), round(coords[1] + dy, 5), *coords[2:]]
    assert isinstance(coords, list)
    return [_shift(c, dx, dy) for c in coords]


def synthesise(
    source_db: Path, out: Path, sizes: Sizes = SIZES, seed: int = SEED
) -> dict[str, int]:
    """Write the synthetic copy of `source_db` to `out`; returns area counts by type."""
    rng = np.random.default_rng(seed)
    place = load_place()
    profile = load_indicators(place=place)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    shutil.copyfile(source_db, tmp)
    con = duckdb.connect(str(tmp))
    try:
        read = lambda sql: con.execute(sql).df()  # noqa: E731
        areas = read("select * from areas")
        members = read("select * from area_members")
        real = read(f"select {', '.join(VALUE_COLUMNS)} from indicator_values")  # noqa: S608
        taken = set(areas["area_code"]) | set(read("select area_code from nhs_areas")["area_code"])
        plan = _plan(areas, members, taken, sizes)
        syn_members = _members(plan, members)
        rows = _values(plan, real, areas, members, syn_members, rng)

        # Suppression and comparisons, on the synthetic rows with the real benchmarks beside.
        serving = [(n, p.code) for n, ps in serving_pcns(place).items() for p in ps]
        serving_df = pd.DataFrame(serving, columns=["group_code", "member_code"])
        first = plan[plan["dup"] == 0]
        s = serving_df.merge(
            first[["k", "template", "area_code"]], left_on="group_code", right_on="template"
        )
        s = s.merge(
            first[["k", "template", "area_code"]],
            left_on=["k", "member_code"],
            right_on=["k", "template"],
        )
        s = s[["area_code_x", "area_code_y"]].set_axis(["group_code", "member_code"], axis=1)
        lsoas = plan[plan["area_type"] == "lsoa"]
        groups = pd.concat(
            [
                syn_members,
                pd.DataFrame(
                    {"group_code": lsoas["parent_code"], "member_code": lsoas["area_code"]}
                ),
                s,
            ],
            ignore_index=True,
        )
        bench_codes = {place.england_code, place.code} | (
            {place.peers.code} if place.peers else set()
        )
        syn = suppress(rows[list(VALUE_COLUMNS)], groups)
        both = pd.concat([real[real["area_code"].isin(bench_codes)], syn], ignore_index=True)
        values, long = compare(both, profile, place)
        syn_codes = set(plan["area_code"])
        values = values[values["area_code"].isin(syn_codes)]
        long = long[long["area_code"].isin(syn_codes)]
        value_cols = list(read("select * from indicator_values limit 0").columns)
        bench_cols = list(read("select * from benchmark_comparisons limit 0").columns)
        area_cols = list(areas.columns)
        _append(con, "areas", plan[area_cols])
        _append(con, "area_members", syn_members)
        _append(con, "indicator_values", values[value_cols])
        _append(con, "benchmark_comparisons", long[bench_cols])
        _other_tables(con, plan, rng)
        home_cell = (GRID_COLUMNS // 2) * GRID_COLUMNS + GRID_COLUMNS // 2
        offsets = {k: _grid_offset(k, home_cell) for k in range(1, sizes.councils)}
        _practices(con, plan, offsets, rng)
        _boundaries(con, plan, areas, offsets)
        con.execute("insert into build_info values ('synthetic', ?)", [f"seed {seed}, {sizes}"])
        counts = dict(con.execute("select area_type, count(*) from areas group by 1").fetchall())
        counts |= {
            f"ward:{v}": n
            for v, n in con.execute(
                "select vintage, count(*) from areas where area_type = 'ward' group by 1"
            ).fetchall()
        }
        counts["values"] = con.execute("select count(*) from indicator_values").fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()
    tmp.replace(out)
    return counts


def _append(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    con.register("_df", df)
    con.execute(f"insert into {table} by name select * from _df")  # noqa: S608 (fixed names)
    con.unregister("_df")


def _copy_rows(
    con: duckdb.DuckDBPyConnection, table: str, code_col: str, plan: pd.DataFrame
) -> pd.DataFrame:
    """The table's rows for every template, once per synthetic copy, under the new code."""
    df = con.execute(f"select * from {table}").df()  # noqa: S608 (fixed names)
    new = plan[["template", "area_code"]].set_axis(["template", "_new"], axis=1)
    m = new.merge(df, left_on="template", right_on=code_col)
    m[code_col] = m["_new"]
    return m[df.columns]


def _other_tables(
    con: duckdb.DuckDBPyConnection, plan: pd.DataFrame, rng: np.random.Generator
) -> None:
    for table in ("population_bands", "gp_list_bands"):
        rows = _copy_rows(con, table, "area_code", plan)
        g = np.exp(rng.normal(0.0, SIGMA, len(rows)))
        rows["count"] = np.round(rows["count"].to_numpy() * g)
        _append(con, table, rows)
    lsoa = _copy_rows(con, "lsoa_imd", "lsoa_code", plan)
    lsoa["lsoa11_code"] = lsoa["lsoa_code"]
    _append(con, "lsoa_imd", lsoa)
    _append(con, "practice_imd", _copy_rows(con, "practice_imd", "practice_code", plan))


def _practices(
    con: duckdb.DuckDBPyConnection,
    plan: pd.DataFrame,
    offsets: dict[int, tuple[float, float]],
    rng: np.random.Generator,
) -> None:
    df = con.execute("select * from practices").df()
    ours = plan[plan["area_type"] == "practice"]
    m = ours[["k", "template", "area_code", "area_name"]].merge(
        df, left_on="template", right_on="practice_code"
    )
    first = plan[plan["dup"] == 0].set_index(["k", "template"])
    pcn = pd.MultiIndex.from_arrays([m["k"], m["pcn_code"]])
    m["pcn_name"] = first["area_name"].reindex(pcn).to_numpy()
    for col in ("pcn_code", "ward_code", "neighbourhood_code"):
        idx = pd.MultiIndex.from_arrays([m["k"], m[col]])
        m[col] = first["area_code"].reindex(idx).to_numpy()
    m["practice_code"], m["practice_name"] = m["area_code"], m["area_name"]
    m["registered_patients"] = np.round(
        m["registered_patients"].to_numpy() * np.exp(rng.normal(0.0, SIGMA, len(m)))
    ).astype("int64")
    m["lon"] = m["lon"] + m["k"].map(lambda k: offsets[k][0])
    m["lat"] = m["lat"] + m["k"].map(lambda k: offsets[k][1])
    _append(con, "practices", m[df.columns])


def _boundaries(
    con: duckdb.DuckDBPyConnection,
    plan: pd.DataFrame,
    areas: pd.DataFrame,
    offsets: dict[int, tuple[float, float]],
) -> None:
    layers = con.execute("select layer, geojson from boundaries").fetchall()
    for layer, geojson in layers:
        codes = {f["properties"]["area_code"] for f in json.loads(geojson)["features"]}
        layer_plan = plan[plan["template"].isin(codes)]
        con.execute(
            "update boundaries set geojson = ? where layer = ?",
            [_geojson(geojson, layer_plan, offsets), layer],
        )
    del areas


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", type=Path, default=None, help="built database (default: $JSNA_DB)")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "england.duckdb")
    parser.add_argument("--seed", type=int, default=SEED)
    for field, default in vars(SIZES).items():
        parser.add_argument(f"--{field}", type=int, default=default)
    args = parser.parse_args(argv)
    sizes = Sizes(**{f: getattr(args, f) for f in vars(SIZES)})
    start = time.perf_counter()
    counts = synthesise(args.db or config.db_path(), args.out, sizes, args.seed)
    seconds = time.perf_counter() - start
    mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({mb:.0f} MB) in {seconds:.1f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
