"""Registered patients by age band, from the GP list file (the `gp_list_bands` table).

Small counts are blanked over the place's whole hierarchy of practices, PCNs,
neighbourhoods and council at once, and the profile's 65+ share hides what is hidden here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from jsna.build.manifest import NOT_RECORDED
from jsna.build.sources import SourceError, Sources, check_complete
from jsna.core.suppression import suppress_bands

if TYPE_CHECKING:  # jsna.build.pipeline imports this module
    from jsna.build.geography import Geography
    from jsna.build.profiles import IndicatorProfile

ENGLAND_CODE = "E92000001"

# The registered-list file publishes only these overlapping "and over" counts, so the
# non-overlapping bands it supports are wider than five years and have no sex split.
GP_BANDS = [
    ("0-15", 0, "TOTAL", "16OV"),
    ("16-17", 16, "16OV", "18OV"),
    ("18-49", 18, "18OV", "50OV"),
    ("50-64", 50, "50OV", "65OV"),
    ("65+", 65, "65OV", None),
]


def gp_list_bands(src: Sources, geo_: Geography) -> pd.DataFrame:
    """Registered patients by the age bands the April 2020 list file supports, persons only.

    Practices, PCNs (today's member practices, pooled) and England (the file's
    ENGLAND_DERIVED row, summed over all English practices). Small counts are blanked over
    the place's whole hierarchy at once (:func:`protected_list_bands`).
    """
    cols = ["TOTAL", "16OV", "18OV", "50OV", "65OV"]
    df = src.read_csv(
        geo_.place.files["gp_age"],
        ["PRACTICE_CODE", *cols],
        counts=cols,
        key=["PRACTICE_CODE"],
        estimates={"PRACTICE_CODE": ["ENGLAND_DERIVED"]},  # England's age groups are modelled
    )
    check_complete(df, geo_.place.files["gp_age"], cols)
    rows = []
    for label, start, top, above in GP_BANDS:
        n = df[top] - (df[above] if above else 0)
        bad = n < 0
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise SourceError(
                geo_.place.files["gp_age"],
                f"{above} is above {top}",
                int(df["_row"].iloc[i]),
                above,
            )
        rows.append(
            pd.DataFrame(
                {"code": df["PRACTICE_CODE"], "age_band": label, "band_start": start, "count": n}
            )
        )
    long = pd.concat(rows, ignore_index=True)
    prac = long[long["code"].isin(geo_.practice_pcn)].rename(columns={"code": "area_code"})
    pcn = prac.assign(area_code=prac["area_code"].map(geo_.practice_pcn))
    pcn = pcn.groupby(["area_code", "age_band", "band_start"], as_index=False).agg(
        count=("count", "sum")
    )
    eng = long[long["code"] == "ENGLAND_DERIVED"].rename(columns={"code": "area_code"})
    if eng.empty:
        raise SourceError(
            geo_.place.files["gp_age"], "no ENGLAND_DERIVED row", column="PRACTICE_CODE"
        )
    eng = eng.assign(area_code=ENGLAND_CODE, suppressed=False, secondary=False)
    local = protected_list_bands(
        pd.concat([prac.assign(area_type="practice"), pcn.assign(area_type="pcn")]), geo_
    )
    out = pd.concat([local, eng.assign(area_type="england")], ignore_index=True)
    rel = geo_.place.files["gp_age"]
    out["period"] = src.release.period(rel) if src.release is not None else NOT_RECORDED
    cols = ["area_code", "area_type", "age_band", "band_start", "count", "suppressed"]
    return out[[*cols, "secondary", "period"]]


def protected_list_bands(bands: pd.DataFrame, geo_: Geography) -> pd.DataFrame:
    """The place's practice and PCN list bands, with small counts blanked over every total.

    The totals a reader holds, band by band: each PCN of its practices; and the 65+ count
    of the place's neighbourhoods (the practices of the PCNs serving each) and council (all
    its practices), which the profile publishes (``list_65_plus``) and so are taken as
    known. Across the bands, each list adds up to its size. The profile hides the practice
    and PCN 65+ counts hidden here (:func:`list_share_hidden`).
    """
    pcns = {p.code: p for p in geo_.place.pcns}
    pools: dict[str, set[str]] = {geo_.place.code: set(geo_.practice_pcn)}
    for code, pcn in geo_.practice_pcn.items():
        for n in pcns[pcn].serves if pcn in pcns else ():
            pools.setdefault(n, set()).add(code)
    pairs = [(pcn, code, 0) for code, pcn in geo_.practice_pcn.items()]
    pairs += [(f"pool:{g}", m, 0) for g, ms in pools.items() for m in sorted(ms)]
    # A pool made of whole PCNs is their sum too (implied, but written out so the choice of
    # what to hide sees it).
    whole = {p: {c for c, q in geo_.practice_pcn.items() if q == p} for p in pcns}
    pairs += [(f"pool:{g}", p, 1) for g, ms in pools.items() for p, ps in whole.items() if ps <= ms]
    groups = pd.DataFrame(pairs, columns=["group_code", "member_code", "split"])
    prac = bands[bands["area_type"] == "practice"]
    older = prac[prac["age_band"] == GP_BANDS[-1][0]]
    pooled = [
        older[older["area_code"].isin(ms)]
        .groupby(["age_band", "band_start"], as_index=False)["count"]
        .sum()
        .assign(area_code=f"pool:{g}", area_type="pool")
        for g, ms in pools.items()
    ]
    table = pd.concat([bands, *pooled], ignore_index=True)
    fixed = table["area_type"] == "pool"
    out = suppress_bands(table, groups, [], fixed=fixed.to_numpy())
    return out[out["area_type"] != "pool"]


def list_share_hidden(bands: pd.DataFrame, profile: IndicatorProfile) -> pd.DataFrame:
    """The profile's rows to hide because `gp_list_bands` hides the same count.

    A ``gp_list_share`` indicator of ``65OV`` over ``TOTAL`` (``list_65_plus``) publishes
    each practice's and PCN's 65+ band; where the list bands hide it, the profile does too
    (``area_code``, ``indicator_id``, ``secondary``, as
    `jsna.build.pipeline.published_values` takes).
    """
    ids = [
        i.id
        for i in profile.indicators
        if i.build.get("kind") == "gp_list_share"
        and (i.build.get("numerator"), i.build.get("denominator")) == ("65OV", "TOTAL")
    ]
    rows = bands[
        (bands["age_band"] == GP_BANDS[-1][0])
        & bands["suppressed"].astype(bool)
        & bands["area_type"].isin(["practice", "pcn"])
    ]
    return pd.DataFrame(
        [(r.area_code, i, bool(r.secondary)) for r in rows.itertuples(index=False) for i in ids],
        columns=["area_code", "indicator_id", "secondary"],
    )
