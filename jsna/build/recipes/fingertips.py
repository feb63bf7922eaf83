"""OHID Fingertips recipes: council values as published, practice values pooled to PCNs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.build.geography import Geography
from jsna.build.recipes.common import pcn_groups, recipe
from jsna.build.sources import SourceError, Sources, check_complete, check_not_above, check_range
from jsna.core.model import Indicator
from jsna.core.pooling import pool, with_proportion, with_rate

# Fingertips' CI columns, read as numbers where an export has them.
_CI_COLUMNS = (
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
)

_SIG = {
    "better": "better",
    "similar": "similar",
    "worse": "worse",
    "lower": "lower",
    "higher": "higher",
    "better 99.8": "best",
    "worse 99.8": "worst",
    "lower 99.8": "lowest",
    "higher 99.8": "highest",
    "not compared": "not compared",
}


def _published_labels(df: pd.DataFrame, rel: str, column: str) -> np.ndarray:
    """OHID's comparison labels as Comparison values; an unknown label stops the build."""
    text = df[column].str.strip().str.lower()
    unknown = text.notna() & ~text.isin(list(_SIG))
    if unknown.any():
        i = int(unknown.to_numpy().argmax())
        raise SourceError(
            rel, f"unknown comparison '{df[column].iloc[i]}'", int(df["_row"].iloc[i]), column
        )
    return text.map(_SIG).to_numpy()


@recipe("fingertips_la", file="str", indicator="str", sex_column="str?")
def fingertips_la(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """OHID Fingertips local authority series for the council and England, as published."""
    b = ind.build
    rel = b["file"]
    raw = src.read_csv(rel, ["area_code", "period", "indicator", "value"], numbers=["value"])
    sig_col = next((c for c in ("compared_to_England", "significance") if c in raw.columns), None)
    peers = geo_.place.peers
    peer_codes = list(peers.members) if peers is not None else []
    df = raw[
        (raw["indicator"] == b["indicator"])
        & raw["area_code"].isin([geo_.place.code, geo_.place.england_code, *peer_codes])
    ]
    if df.empty:
        raise SourceError(
            rel,
            f"no {geo_.place.name} or England rows for '{b['indicator']}'",
            column="indicator",
        )
    sex_col = b.get("sex_column")
    if sex_col:
        df = df[df[sex_col].isin(["Male", "Female", "Persons"])]
        sex = df[sex_col]
    else:
        if "inequality" in df.columns:
            df = df[df["inequality"].isna() | (df["inequality"] == "NA")]
        sex = pd.Series("Persons", index=df.index)
    df = df.assign(sex=sex)
    check_range(df, rel, "value", ind.unit)
    # The council's own rows must be there for the profile's period, for every sex the
    # file has then: a lost row would drop the indicator from the headline silently.
    latest = df[df["period"].str.replace(" - ", "-") == ind.period]
    own = set(latest.loc[latest["area_code"] == geo_.place.code, "sex"])
    lost = sorted(set(latest["sex"]) - own) if len(latest) else ["Persons"]
    if lost:
        raise SourceError(
            rel,
            f"no {geo_.place.name} ({geo_.place.code}) row for '{b['indicator']}', "
            f"{lost[0]}, {ind.period} (the period the profile shows)",
            column="area_code",
        )
    dup = df.duplicated(subset=["area_code", "period", "sex"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            rel,
            f"duplicate row ({df['area_code'].iloc[i]}, {df['period'].iloc[i]})",
            int(df["_row"].iloc[i]),
            "period",
        )
    out = pd.DataFrame(
        {
            "area_code": df["area_code"].to_numpy(),
            "period": df["period"].str.replace(" - ", "-").to_numpy(),
            "sex": df["sex"].to_numpy(),
            "value": df["value"].to_numpy(),
        }
    )
    if sig_col:
        out["published_comparison"] = _published_labels(df, rel, sig_col)
    out["method"] = "As published by OHID (no interval in this extract)"
    if peers is not None:
        is_peer = out["area_code"].isin(peer_codes)
        by = out[is_peer].groupby(["period", "sex"])["value"]
        # A peer average only where every peer council has a value for that period.
        avg = by.mean()[by.count() == len(peer_codes)].reset_index()
        avg["area_code"] = peers.code
        avg["method"] = f"Average of the published values of {peers.description}"
        out = pd.concat([out[~is_peer], avg], ignore_index=True)
    out["count"] = np.nan
    out["denominator"] = np.nan
    return out


@recipe(
    "fingertips_practice", file="str", period="str", multiplier="number", published_pcn_rows="bool?"
)
def fingertips_practice(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """A Fingertips practice-level export: practices pooled to PCNs, England from the file."""
    b = ind.build
    rel = b["file"]
    columns = ["Area Code", "Area Type", "Sex", "Category Type", "Time period", "Count"]
    df = src.read_csv(
        rel,
        [*columns, "Denominator", "Value"],
        counts=["Count", "Denominator"],
        numbers=["Value", *(c for c in _CI_COLUMNS if c in src.header(rel))],
        rows=lambda d: d["Time period"] == b["period"],  # earlier years hold estimates
    )
    df = df[
        (df["Time period"] == b["period"]) & (df["Sex"] == "Persons") & df["Category Type"].isna()
    ]
    dup = df.duplicated(subset=["Area Code", "Area Type"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise SourceError(
            rel, f"duplicate row ({df['Area Code'].iloc[i]})", int(df["_row"].iloc[i]), "Area Code"
        )
    if ind.value_type == "proportion":  # a rate's events can outnumber its population
        check_not_above(df, rel, "Count", "Denominator")
    check_range(df, rel, "Value", ind.unit)
    _check_published_value(df, rel, float(b["multiplier"]), bool(b.get("published_pcn_rows")))
    gps = df[df["Area Type"] == "GPs"]
    # Fingertips extracts include practices that have since closed or merged: keep the
    # current members of the council's PCNs (profiles/place.toml).
    gps = gps[gps["Area Code"].isin(geo_.practice_pcn)]
    missing = set(geo_.practice_pcn) - set(gps["Area Code"])
    if missing:
        raise SourceError(
            rel, f"no {b['period']} row for practice {sorted(missing)[0]}", column="Area Code"
        )
    check_complete(gps, rel, ["Count", "Denominator"])
    practices = pd.DataFrame(
        {
            "area_code": gps["Area Code"].to_numpy(),
            "count": gps["Count"].to_numpy(),
            "denominator": gps["Denominator"].to_numpy(),
        }
    )
    eng = df[df["Area Code"] == geo_.place.england_code].head(1)
    check_complete(eng, rel, ["Count", "Denominator"])
    if eng.empty:
        raise SourceError(rel, f"no England row for {b['period']}", column="Area Code")
    mult = float(b["multiplier"])
    if b.get("published_pcn_rows"):
        return _published_practice_rows(rel, df, gps, eng, geo_, mult)
    england = pd.DataFrame(
        {
            "area_code": eng["Area Code"].to_numpy(),
            "count": eng["Count"].to_numpy(),
            "denominator": eng["Denominator"].to_numpy(),
        }
    )
    out = pd.concat([practices, pool(practices, pcn_groups(geo_)), england], ignore_index=True)
    if ind.value_type == "proportion":
        return with_proportion(out, mult)
    return with_rate(out, mult)


def _check_published_value(df: pd.DataFrame, rel: str, mult: float, rounded: bool) -> None:
    """Each published Value must be its own Count / Denominator x multiplier.

    Catches a Count and Denominator swapped (or a column shifted): the pooled values would
    otherwise be the reciprocal of the truth. Where OHID rounds counts to multiples of 5
    (`rounded`), the value may be anything the unrounded counts allow (each within 2.5);
    otherwise it must agree within 0.1% (and 0.05 for a value rounded to one decimal).
    """
    used = df.dropna(subset=["Value", "Count", "Denominator"])
    used = used[used["Denominator"] > 0]
    c, d, v = used["Count"], used["Denominator"], used["Value"]
    if rounded:
        lo = (c - 2.5).clip(lower=0) / (d + 2.5) * mult
        hi = (c + 2.5) / (d - 2.5).clip(lower=0.5) * mult
    else:
        lo = c / d * mult - (0.001 * v.abs() + 0.05)
        hi = c / d * mult + (0.001 * v.abs() + 0.05)
    bad = (v < lo - 1e-9) | (v > hi + 1e-9)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise SourceError(
            rel,
            f"published value {v.iloc[i]:g} is not Count {c.iloc[i]:,.0f} / Denominator "
            f"{d.iloc[i]:,.0f} x {mult:g} = {c.iloc[i] / d.iloc[i] * mult:,.1f} "
            "(Count and Denominator swapped or shifted?)",
            int(used["_row"].iloc[i]),
            "Value",
        )


def _numbers(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, or NaNs when the extract lacks it."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    return df[column].to_numpy(dtype=float)


def _published_practice_rows(
    rel: str, df: pd.DataFrame, gps: pd.DataFrame, eng: pd.DataFrame, geo_: Geography, mult: float
) -> pd.DataFrame:
    """Practices and England as OHID published them; PCNs and the council pooled from them.

    OHID rounds these hospital counts to multiples of 5 but computes its values and intervals
    from its own unrounded counts, so practice and England rows keep OHID's value and limits
    (compared here by the same two-level rule as every other row). PCNs and the council are
    pooled from today's member practices' published counts, with Byar's intervals; where OHID
    publishes a PCN row (on its own membership of the year) the note gives it beside ours.
    """
    pcn_codes = [c.code for c in geo_.place.pcns]
    pub_pcn = df[df["Area Type"].str.startswith("PCN") & df["Area Code"].isin(pcn_codes)]
    pub = pd.concat([gps, eng])
    for col in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"):
        if col not in pub.columns:
            raise SourceError(rel, "missing column", 1, col)
    published = pd.DataFrame(
        {
            "area_code": pub["Area Code"].to_numpy(),
            "count": pub["Count"].to_numpy(),
            "denominator": pub["Denominator"].to_numpy(),
            "value": pub["Value"].to_numpy(dtype=float),
            "lower_ci95": pub["Lower CI 95.0 limit"].to_numpy(dtype=float),
            "upper_ci95": pub["Upper CI 95.0 limit"].to_numpy(dtype=float),
            "lower_ci998": _numbers(pub, "Lower CI 99.8 limit"),
            "upper_ci998": _numbers(pub, "Upper CI 99.8 limit"),
            "method": "OHID's published value and interval (counts rounded to multiples of 5)",
        }
    )
    practices = published[published["area_code"].isin(geo_.practice_pcn)]
    pooled = with_rate(
        pool(practices[["area_code", "count", "denominator"]], pcn_groups(geo_)), mult
    )
    pooled["method"] = (
        "Pooled from today's member practices' published counts (rounded to multiples of 5); "
        + pooled["method"].astype(str)
    )
    theirs = dict(zip(pub_pcn["Area Code"], pub_pcn["Value"], strict=True))
    period = str(df["Time period"].iloc[0]) if len(df) else ""
    pooled["note"] = [
        f"OHID publishes {theirs[c]:,.1f} for this PCN on its {period} membership; this value is "
        f"pooled from today's member practices ({v:,.1f})"
        if c in theirs and round(theirs[c], 1) != round(v, 1)
        else None
        for c, v in zip(pooled["area_code"], pooled["value"], strict=True)
    ]
    return pd.concat([published, pooled], ignore_index=True)
