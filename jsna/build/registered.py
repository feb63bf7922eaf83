"""Practice indicators for each neighbourhood's registered patients.

A neighbourhood is served by one or more PCNs (profiles/place.toml `serves`). Its
registered-patient row pools the counts and denominators of those PCNs' member practices and
computes the value and interval afresh, exactly as a PCN's, labelled as registered patients
(not residents).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.core.model import IndicatorProfile, Pcn, Place, multiplier
from jsna.core.pooling import pool, with_proportion, with_rate
from jsna.core.schema import CI_COLUMNS, VALUE_COLUMNS


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
        if not groups:  # no PCN serves any neighbourhood (the place names none)
            continue
        pooled = pool(counts, groups)
        if kind == "proportion":
            pooled = with_proportion(pooled, mult[str(ind_id)])
        elif kind == "rate":
            pooled = with_rate(pooled, mult[str(ind_id)])
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
