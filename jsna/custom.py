"""Build your own neighbourhood: pool any set of wards of one vintage, as the build does.

The build (jsna/build.py) sums ward counts and denominators into each neighbourhood, then
computes the value and its 95% and 99.8% intervals (`stats.proportion` for Wilson,
`stats.crude_rate` for Byar's) and compares it with the benchmark (`stats.compare_to_benchmark`,
using the indicator's polarity). This module does the same for any set of wards, starting
from the built ward rows, so a set equal to a neighbourhood reproduces that neighbourhood.

Disclosure: every ward count used here is already published, so a union of wards reveals
nothing new by subtraction; a pooled count of 1 to 4 is still suppressed, and a ward whose own
count is suppressed makes the pooled figure unavailable (a ward is never silently dropped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from jsna import stats
from jsna.charts import fit_map
from jsna.profiles import IndicatorProfile, multiplier
from jsna.safe import url_text

CUSTOM_CODE = "CUSTOM"
SMALL_MAX = 4  # as jsna.build: counts 1..4 are suppressed
SUPPRESSED_NOTE = "Suppressed: fewer than 5 (disclosure control)"
PROFILE_COLUMNS = [
    "area_code",
    "area_name",
    "area_type",
    "vintage",
    "indicator_id",
    "indicator_name",
    "domain",
    "domain_order",
    "sort_order",
    "period",
    "sex",
    "age",
    "unit",
    "value_type",
    "polarity",
    "value",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
    "count",
    "denominator",
    "england_value",
    "la_value",
    "benchmark",
    "benchmark_value",
    "comparison",
    "comparison_reason",
    "method",
    "is_estimate",
    "note",
]
CI_COLUMNS = ["lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998"]
UNAVAILABLE_COLUMNS = ["indicator_id", "indicator_name", "domain", "reason"]


# --------------------------------------------------------------------------- selection
@dataclass(frozen=True)
class WardSelection:
    """Ward codes read from the URL, with what was ignored and why."""

    codes: tuple[str, ...]
    vintage: str
    unknown: tuple[str, ...] = ()
    other_vintage: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def parse_wards(raw: str | None, wards: pd.DataFrame, vintages: Mapping[str, str]) -> WardSelection:
    """Read `?wards=code,code,…`: keep known wards of the first code's vintage, in order.

    Args:
        raw: The URL value (comma-separated ward codes), or None.
        wards: Ward areas with `area_code`, `area_name` and `vintage`.
        vintages: Ward set id -> name in words, the first being the default.

    Returns:
        The selection; `warnings` holds friendly sentences about unknown codes and wards of
        the other vintage (both ignored).
    """
    vintage_of = dict(zip(wards["area_code"], wards["vintage"], strict=True))
    names = dict(zip(wards["area_code"], wards["area_name"], strict=True))
    parts = [p.strip().upper() for p in (raw or "").split(",") if p.strip()]
    parts = list(dict.fromkeys(parts))
    unknown = tuple(p for p in parts if p not in vintage_of)
    known = [p for p in parts if p in vintage_of]
    vintage = str(vintage_of[known[0]]) if known else next(iter(vintages))
    codes = tuple(p for p in known if vintage_of[p] == vintage)
    other = tuple(p for p in known if vintage_of[p] != vintage)
    warnings = []
    if unknown:
        listed = ", ".join(f"“{url_text(u)}”" for u in unknown[:5])
        listed += f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        one = len(unknown) == 1
        what = "is not a ward code" if one else "are not ward codes"
        warnings.append(
            f"{listed} {what} this page knows, so {'it was' if one else 'they were'} ignored."
        )
    if other:
        listed = ", ".join(f"{names[o]} ({o})" for o in other)
        warnings.append(
            f"Wards of two boundary sets cannot be mixed: kept the {vintages[vintage]} (the set "
            f"of the first ward) and ignored {listed}."
        )
    return WardSelection(codes, vintage, unknown, other, tuple(warnings))


def toggle_wards(selected: Sequence[str], clicked: Sequence[str]) -> list[str]:
    """Apply a map selection: add the clicked wards, or remove them if all were chosen already."""
    chosen = list(dict.fromkeys(selected))
    new = [c for c in dict.fromkeys(clicked) if c]
    if new and all(c in chosen for c in new):
        return [c for c in chosen if c not in new]
    return chosen + [c for c in new if c not in chosen]


def selected_locations(points: Sequence[Mapping[str, Any]]) -> list[str]:
    """Ward codes of the points in a plotly selection event (choropleth `location`)."""
    out = []
    for p in points:
        code = p.get("location") or p.get("customdata")
        if isinstance(code, list | tuple):
            code = code[0] if code else None
        if isinstance(code, str):
            out.append(code)
    return out


# --------------------------------------------------------------------------- pooling
@dataclass(frozen=True)
class CustomProfile:
    """A custom area: profile-shaped rows, and the indicators that cannot be pooled."""

    rows: pd.DataFrame
    unavailable: pd.DataFrame


def multipliers(profile: IndicatorProfile) -> dict[str, float]:
    """Each indicator's multiplier (:func:`jsna.profiles.multiplier`)."""
    return {ind.id: multiplier(ind) for ind in profile.indicators}


def _kind(ind: Mapping[str, Any], rows: pd.DataFrame) -> str | None:
    """How an indicator's ward rows pool, or None if they cannot."""
    if bool(ind["estimate"]) or rows["is_estimate"].astype(bool).any():
        return None
    has_count = bool(
        rows["count"].notna().any() or rows["note"].fillna("").str.startswith("Suppressed").any()
    )
    has_den = bool(rows["denominator"].notna().any())
    vt, ci = ind["value_type"], ind["ci_method"]
    if ci == "wilson" and vt == "proportion" and has_count and has_den:
        return "wilson"
    if ci == "byars" and has_count and has_den:
        return "byars"
    if ci == "none" and vt == "count" and has_count:
        return "sum"
    if ci == "none" and vt == "proportion" and has_count and has_den:
        return "share"
    if ci == "none" and vt == "score" and has_den and not has_count:
        return "weighted_mean"
    return None


def _not_poolable_reason(
    ind: Mapping[str, Any], all_rows: pd.DataFrame, vintage: str, vintages: Mapping[str, str]
) -> str:
    geography = ind["geography"]
    if all_rows.empty:
        if geography == "local_authority":
            return f"published for {ind['_place_name']} as a whole only (OHID Fingertips)"
        if geography == "practice":
            return "a GP practice indicator: it exists for practices and PCNs, not wards"
        return "no ward figures in the data"
    if not (all_rows["vintage"] == vintage).any():
        other = next(iter(set(all_rows["vintage"])))
        return f"published for the {vintages.get(other, other)} only; choose wards of that set"
    if bool(ind["estimate"]):
        return (
            "an estimate: wards publish a value without counts, so it cannot be pooled "
            "(neighbourhood figures are population-weighted averages of ward values)"
        )
    return "published for wards as a value only (no count and denominator to pool)"


def _ward_gap(rows: pd.DataFrame, codes: Sequence[str], names: Mapping[str, str]) -> str | None:
    """Why the chosen wards' rows cannot be pooled (missing or suppressed), naming the ward."""
    present = set(rows["area_code"])
    for code in codes:
        if code not in present:
            return f"Not available: no figure for {names.get(code, code)} ({code})"
    for r in rows.to_dict("records"):
        note = r.get("note") or ""
        if isinstance(note, str) and note.startswith("Suppressed"):
            return (
                f"Not available: the count for {names.get(r['area_code'], r['area_code'])} is "
                "suppressed (small number), so there is nothing to pool"
            )
    return None


def _compute(
    kind: str, rows: pd.DataFrame, multiplier: float
) -> tuple[dict[str, float], str, str | None]:
    """Pooled count, denominator, value and limits; the method label; a note if not available."""
    count = float(rows["count"].sum()) if rows["count"].notna().all() else np.nan
    den = float(rows["denominator"].sum()) if rows["denominator"].notna().all() else np.nan
    nan = dict.fromkeys(CI_COLUMNS, np.nan)
    base = {"count": count, "denominator": den, "value": np.nan, **nan}
    missing = "Not available: a chosen ward has no count or denominator"
    if kind in ("wilson", "byars", "share"):
        if np.isnan(count) or np.isnan(den):
            return base, "", missing
        if den <= 0:
            return base, "", "Not available: the pooled denominator is zero"
    if kind == "wilson":
        res = stats.proportion([count], [den], multiplier).iloc[0]
        return {**base, **{c: float(res[c]) for c in ["value", *CI_COLUMNS]}}, "Wilson", None
    if kind == "byars":
        res = stats.crude_rate([count], [den], multiplier).iloc[0]
        vals = {c: float(res[c]) for c in ["value", *CI_COLUMNS]}
        return {**base, **vals}, str(res["method"]), None
    if kind == "share":
        return {**base, "value": count / den * multiplier}, str(rows["method"].iloc[0]), None
    if kind == "sum":
        if np.isnan(count):
            return base, "", missing
        return {**base, "value": count, "denominator": np.nan}, str(rows["method"].iloc[0]), None
    # weighted_mean: a ward's value is already weighted by its population (its denominator).
    if np.isnan(den) or rows["value"].isna().any() or den <= 0:
        return base, "", "Not available: a chosen ward has no value or population"
    value = float(np.average(rows["value"].to_numpy(float), weights=rows["denominator"]))
    return (
        {**base, "count": np.nan, "value": value},
        str(rows["method"].iloc[0]),
        None,
    )


def _compare(
    kind: str,
    ind: Mapping[str, Any],
    out: dict[str, Any],
    first: Mapping[str, Any],
    benchmark_key: str,
    is_whole: bool,
) -> tuple[str, str]:
    """Comparison and reason for one pooled row, as `jsna.build._compare_with` does."""
    not_compared = stats.Comparison.NOT_COMPARED.value
    if kind not in ("wilson", "byars") or ind["comparator"] == "none":
        return not_compared, str(first.get("comparison_reason") or "")
    bench_name = str(first.get("benchmark") or "")
    if is_whole and bench_name == str(ind.get("_place_name", "")):
        return not_compared, f"this area is the benchmark (it is every ward of {bench_name})"
    comp, why = stats.compare_to_benchmark(
        [out["value"]],
        [out["lower_ci95"]],
        [out["upper_ci95"]],
        [first.get("benchmark_value", np.nan)],
        str(ind["polarity"]),
        [out["lower_ci998"]],
        [out["upper_ci998"]],
    )
    reason = str(why[0])
    if reason == "no benchmark value":
        reason = f"no {bench_name} figure in the data"
    if benchmark_key == "default" and ind["comparator"] == "la" and reason == "":
        reason = f"England: no figure in the data, so compared with {ind['_place_name']}"
    return str(comp[0]), reason


def pool_wards(
    ward_rows: pd.DataFrame,
    indicators: pd.DataFrame,
    codes: Sequence[str],
    vintage: str,
    *,
    area_name: str = "Your area",
    benchmark_key: str = "default",
    indicator_multipliers: Mapping[str, float] | None = None,
    place_name: str = "the local authority",
    vintages: Mapping[str, str] | None = None,
) -> CustomProfile:
    """Pool the chosen wards' counts and recompute every indicator that can be pooled.

    Args:
        ward_rows: `profile_all` rows for every ward at each indicator's headline period, for
            one benchmark key (query `custom_ward_rows`).
        indicators: The `indicators` table (ci_method, comparator, estimate, geography, …).
        codes: Chosen ward codes, all of `vintage`.
        vintage: The id of the chosen wards' ward set.
        area_name: Name shown for the custom area.
        benchmark_key: The benchmark the ward rows were compared with (default, england, …).
        indicator_multipliers: Multiplier per indicator for rates (see :func:`multipliers`);
            percentages use 100.
        place_name: The local authority's name (a selection of all its wards is the council).
        vintages: Ward set id -> name in words, for the reasons given.

    Returns:
        Profile-shaped rows (one per poolable indicator and sex; suppressed or unavailable
        figures have a blank value and a note) and the indicators that cannot be pooled,
        with the reason.
    """
    codes = list(dict.fromkeys(codes))
    mults = indicator_multipliers or {}
    vintage_wards = ward_rows.loc[ward_rows["vintage"] == vintage, "area_code"].unique()
    is_whole = bool(codes) and set(codes) == set(vintage_wards)
    names = dict(zip(ward_rows["area_code"], ward_rows["area_name"], strict=False))
    rows: list[dict[str, Any]] = []
    unavailable: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in indicators.to_dict("records")
    ]
    for ind in records:
        ind["_place_name"] = place_name
        all_rows = ward_rows[ward_rows["indicator_id"] == ind["indicator_id"]]
        sub = all_rows[all_rows["vintage"] == vintage]
        kind = _kind(ind, sub) if not sub.empty else None
        if kind is None:
            unavailable.append(
                {
                    "indicator_id": ind["indicator_id"],
                    "indicator_name": ind["indicator_name"],
                    "domain": ind["domain"],
                    "reason": _not_poolable_reason(ind, all_rows, vintage, vintages or {}),
                }
            )
            continue
        default_mult = 100.0 if ind["value_type"] == "proportion" else 100_000.0
        mult = float(mults.get(ind["indicator_id"], default_mult))
        if kind == "wilson":
            mult = 100.0
        for (_period, _sex, _age), grp in sub.groupby(["period", "sex", "age"], sort=False):
            chosen = grp[grp["area_code"].isin(codes)]
            first = grp.iloc[0].to_dict()
            gap = _ward_gap(chosen, codes, names)
            if gap is None:
                values, method, note = _compute(kind, chosen, mult)
            else:
                values, method, note = (
                    {"count": np.nan, "denominator": np.nan, "value": np.nan}
                    | dict.fromkeys(CI_COLUMNS, np.nan),
                    "",
                    gap,
                )
            row: dict[str, Any] = {
                c: first.get(c)
                for c in PROFILE_COLUMNS
                if c in first and c not in ("value", "count", "denominator", *CI_COLUMNS)
            }
            row.update(values)
            row.update(
                area_code=CUSTOM_CODE,
                area_name=area_name,
                area_type="custom",
                vintage=vintage,
                method=method or str(first.get("method") or ""),
                is_estimate=False,
                note=note,
            )
            if note is None and 1 <= row["count"] <= SMALL_MAX:
                row.update(dict.fromkeys(["value", "count", *CI_COLUMNS], np.nan))
                row["note"] = SUPPRESSED_NOTE
                row["comparison"] = stats.Comparison.NOT_COMPARED.value
                row["comparison_reason"] = "suppressed (small number)"
            elif note is not None:
                row["comparison"] = stats.Comparison.NOT_COMPARED.value
                row["comparison_reason"] = note.removeprefix("Not available: ")
            else:
                row["comparison"], row["comparison_reason"] = _compare(
                    kind, ind, row, first, benchmark_key, is_whole
                )
            rows.append(row)
    out = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    for c in ["value", "count", "denominator", *CI_COLUMNS]:
        out[c] = out[c].astype(float)
    return CustomProfile(out, pd.DataFrame(unavailable, columns=UNAVAILABLE_COLUMNS))


def area_name(codes: Sequence[str], names: Mapping[str, str], limit: int = 3) -> str:
    """A readable name for a set of wards: 'Clifford, Gorse Hill and Longford' or 'N wards'."""
    labels = [names.get(c, c) for c in codes]
    if not labels:
        return "No wards"
    if len(labels) == 1:
        return labels[0]
    if len(labels) <= limit:
        return ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"{len(labels)} wards ({', '.join(labels[:limit])} …)"


def download_frame(custom: CustomProfile, codes: Sequence[str]) -> pd.DataFrame:
    """The custom profile for download: pooled rows, then unavailable indicators, with wards."""
    rows = custom.rows.copy()
    gone = custom.unavailable.rename(columns={"reason": "note"})
    gone["note"] = "Not available for a custom area: " + gone["note"]
    out = pd.concat([rows, gone], ignore_index=True)
    out["wards"] = ";".join(codes)
    return out


# --------------------------------------------------------------------------- map
def ward_selection_map(
    geojson: dict[str, Any], wards: pd.DataFrame, selected: Sequence[str], title: str
) -> go.Figure:
    """Wards of one vintage, the chosen ones highlighted; click, box or lasso to choose."""
    chosen = set(selected)
    fig = go.Figure()
    known = {f["id"] for f in geojson.get("features", [])}
    df = wards[wards["area_code"].isin(known)]
    for is_chosen, colour, name in (
        (False, "#e6e6e6", "Not chosen"),
        (True, "#1f5fa8", "Chosen"),
    ):
        sub = df[df["area_code"].isin(chosen) == is_chosen]
        if sub.empty:
            continue
        fig.add_choroplethmap(
            geojson=geojson,
            featureidkey="id",
            locations=list(sub["area_code"]),
            z=[1] * len(sub),
            customdata=list(sub["area_code"]),
            text=list(sub["area_name"]),
            colorscale=[[0, colour], [1, colour]],
            showscale=False,
            showlegend=True,
            name=name,
            marker_line_color="#555555",
            marker_line_width=1,
            marker_opacity=0.85,
            hovertemplate="<b>%{text}</b> (%{location})<br>"
            + ("Chosen: click to remove" if is_chosen else "Click to add")
            + "<extra></extra>",
        )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        clickmode="event+select",
    )
    return fit_map(fig, geojson)
