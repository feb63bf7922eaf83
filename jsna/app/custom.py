"""Build your own neighbourhood: pool any set of wards of one vintage, as the build does.

The build sums ward counts and denominators into each neighbourhood (`pooling.pool`),
computes the value and its 95% and 99.8% intervals (`pooling.with_proportion` for Wilson,
`pooling.with_rate` for Byar's), suppresses small numbers (`suppression.suppress`) and compares
each value with its benchmark (`comparison.compare_with`). This module calls those same
functions for any set of wards, starting from the built ward rows, so a set equal to a
neighbourhood reproduces it.

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

from jsna.app.maps import fit_map, subset
from jsna.app.safe import url_text
from jsna.core.comparison import compare_with, la_default_reason
from jsna.core.model import Indicator, IndicatorProfile, Place, multiplier
from jsna.core.pooling import pool, with_proportion, with_rate
from jsna.core.schema import CI_COLUMNS, PROFILE_COLUMNS
from jsna.core.stats import Comparison
from jsna.core.suppression import suppress

CUSTOM_CODE = "CUSTOM"
UNAVAILABLE_COLUMNS = ["indicator_id", "indicator_name", "domain", "period", "reason"]


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


def _kind(ind: Indicator, rows: pd.DataFrame) -> str | None:
    """How an indicator's ward rows pool, or None if they cannot."""
    if ind.estimate or rows["is_estimate"].astype(bool).any():
        return None
    has_count = bool(
        rows["count"].notna().any() or rows["note"].fillna("").str.startswith("Suppressed").any()
    )
    has_den = bool(rows["denominator"].notna().any())
    vt, ci = ind.value_type, ind.ci_method
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


def _not_poolable_reason(ind: Indicator, all_rows: pd.DataFrame, vintage: str, place: Place) -> str:
    if all_rows.empty:
        if ind.geography == "local_authority":
            return f"published for {place.name} as a whole only (OHID Fingertips)"
        if ind.geography == "practice":
            return "a GP practice indicator: it exists for practices and PCNs, not wards"
        return "no ward figures in the data"
    if not (all_rows["vintage"] == vintage).any():
        other = next(iter(set(all_rows["vintage"])))
        vintages = place.ward_set_names
        return f"published for the {vintages.get(other, other)} only; choose wards of that set"
    if ind.estimate:
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


POOLED_COLUMNS = ["count", "denominator", "value", *CI_COLUMNS]
NO_MEMBERS = pd.DataFrame({"group_code": pd.Series(dtype=str), "member_code": pd.Series(dtype=str)})


def _pooled(
    kind: str, rows: pd.DataFrame, mult: float, method: str
) -> tuple[dict[str, float], str, str | None]:
    """Pooled count, denominator, value and limits as the build pools them; method; note.

    `method` is the wards' own (for figures without an interval).
    """
    empty = dict.fromkeys(POOLED_COLUMNS, np.nan)
    if kind == "weighted_mean":
        den = rows["denominator"]
        if den.isna().any() or rows["value"].isna().any() or den.sum() <= 0:
            return empty, "", "Not available: a chosen ward has no value or population"
        # A ward's value is already weighted by its population (its denominator).
        value = float(np.average(rows["value"].to_numpy(float), weights=den))
        return empty | {"denominator": float(den.sum()), "value": value}, method, None
    needed = ["count"] if kind == "sum" else ["count", "denominator"]
    if rows[needed].isna().any().any():
        return empty, "", "Not available: a chosen ward has no count or denominator"
    if kind == "sum":
        total = float(rows["count"].sum())
        return empty | {"count": total, "value": total}, method, None
    pooled = pool(rows, {CUSTOM_CODE: list(rows["area_code"])})
    if not pooled["denominator"].iloc[0] > 0:
        return empty, "", "Not available: the pooled denominator is zero"
    if kind == "wilson":
        pooled = with_proportion(pooled, mult)
    elif kind == "byars":
        pooled = with_rate(pooled, mult)
    else:  # share: a proportion of a whole population, no interval
        pooled["value"] = pooled["count"] / pooled["denominator"] * mult
        pooled["method"] = method
    first = pooled.iloc[0]
    return (
        empty | {c: float(first[c]) for c in POOLED_COLUMNS if c in first},
        str(first["method"]),
        None,
    )


def _compare(
    out: pd.DataFrame, profile: IndicatorProfile, place: Place, key: str, whole: bool
) -> None:
    """Compare the pooled rows with the ward rows' benchmark, as the build does (in place)."""
    bench_name = out["benchmark"].fillna("").to_numpy(dtype=object)
    # Every ward of the council is the council: it is not compared with itself.
    bench_code = np.where(whole & (bench_name == place.name), CUSTOM_CODE, "").astype(object)
    inds = {i.id: i for i in profile.indicators}
    comp, why = compare_with(
        out, inds, out["benchmark_value"].to_numpy(float), bench_name, bench_code, False, place
    )
    if key == "default":
        la_first = out["indicator_id"].map({i.id: i.comparator == "la" for i in inds.values()})
        why = la_default_reason(why, la_first.to_numpy(dtype=bool), place)
    why = np.where(
        why == "this area is the benchmark",
        f"this area is the benchmark (it is every ward of {place.name})",
        why,
    )
    gap = out["note"].fillna("").str.startswith("Not available").to_numpy()
    comp[gap] = Comparison.NOT_COMPARED.value
    why[gap] = out.loc[gap, "note"].str.removeprefix("Not available: ").to_numpy()
    out["comparison"], out["comparison_reason"] = comp, why


def pool_wards(
    ward_rows: pd.DataFrame,
    profile: IndicatorProfile,
    place: Place,
    codes: Sequence[str],
    vintage: str,
    *,
    area_name: str = "Your area",
    benchmark_key: str = "default",
) -> CustomProfile:
    """Pool the chosen wards' counts and recompute every indicator that can be pooled.

    Pooling, intervals, suppression and the comparison are the build's own functions
    (`jsna.build.recipes.common`, `jsna.core.suppression`, `jsna.core.comparison`).

    Args:
        ward_rows: `profile_all` rows for every ward at each indicator's headline period, for
            one benchmark key (query `custom_ward_rows`).
        profile: The indicator profile (ci_method, comparator, estimate, geography, …).
        place: The place (its name, ward sets and England).
        codes: Chosen ward codes, all of `vintage`.
        vintage: The id of the chosen wards' ward set.
        area_name: Name shown for the custom area.
        benchmark_key: The benchmark the ward rows were compared with (default, england, …).

    Returns:
        Profile-shaped rows (one per poolable indicator and sex; suppressed or unavailable
        figures have a blank value and a note) and the indicators that cannot be pooled,
        with the reason.
    """
    codes = list(dict.fromkeys(codes))
    vintage_wards = ward_rows.loc[ward_rows["vintage"] == vintage, "area_code"].unique()
    whole = bool(codes) and set(codes) == set(vintage_wards)
    names = dict(zip(ward_rows["area_code"], ward_rows["area_name"], strict=False))
    domains = {d.id: d.name for d in profile.domains}
    rows: list[dict[str, Any]] = []
    unavailable: list[list[str]] = []
    for ind in profile.indicators:
        all_rows = ward_rows[ward_rows["indicator_id"] == ind.id]
        sub = all_rows[all_rows["vintage"] == vintage]
        kind = _kind(ind, sub) if not sub.empty else None
        if kind is None:
            reason = _not_poolable_reason(ind, all_rows, vintage, place)
            domain = domains.get(ind.domain, ind.domain)
            unavailable.append([ind.id, ind.name, domain, ind.period, reason])
            continue
        mult = 100.0 if kind == "wilson" else multiplier(ind)
        for _, grp in sub.groupby(["period", "sex", "age"], sort=False):
            chosen = grp[grp["area_code"].isin(codes)]
            gap = _ward_gap(chosen, codes, names)
            if gap is None:
                values, method, note = _pooled(kind, chosen, mult, str(grp["method"].iloc[0]))
            else:
                values, method, note = dict.fromkeys(POOLED_COLUMNS, np.nan), "", gap
            row = {str(k): v for k, v in grp.iloc[0].items()} | values
            row.update(
                area_code=CUSTOM_CODE,
                area_name=area_name,
                area_type="custom",
                vintage=vintage,
                method=method or str(row.get("method") or ""),
                is_estimate=False,
                note=note,
            )
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))
    out[POOLED_COLUMNS] = out[POOLED_COLUMNS].astype(float)
    out = suppress(out, NO_MEMBERS)
    _compare(out, profile, place, benchmark_key, whole)
    gone = pd.DataFrame(unavailable, columns=UNAVAILABLE_COLUMNS)
    return CustomProfile(out, gone)


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
    if not rows.empty:  # every row says which area it is about
        for col in ("area_code", "area_name", "area_type", "vintage"):
            if col in rows.columns:
                gone[col] = rows[col].iloc[0]
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
            geojson=subset(geojson, sub["area_code"]),
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
