"""National judgements allowing for real variation between areas; ranks with uncertainty.

For every register and kind of English NHS area (issue 18): rank and decile with a 95% rank
interval and the chance of the decile shown (simulated, `jsna.core.stats.ranks`), and a second
judgement beside the plain comparison with England: outside the overdispersed 99.8% funnel of
its own kind of area (Spiegelhalter 2005, `jsna.core.stats.overdispersion`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def ranks(df: pd.DataFrame) -> pd.DataFrame:
    """Rank (1 = highest value) and decile (1 = lowest tenth) among areas of the same type.

    With each rank's 95% interval (``rank_lower``, ``rank_upper``) and the probability the
    area truly sits in the decile shown (``p_decile``), and a second judgement beside the
    plain comparison with England, ``among_peers``: higher or lower than the overdispersed
    99.8% funnel of its own kind of area (see :func:`_rank_uncertainty`,
    :func:`_among_peers`).
    """
    grp = df.groupby(["area_type", "indicator_id"])["value"]
    df["rank"] = grp.rank(ascending=False, method="min")
    df["of"] = grp.transform("count")
    df["decile"] = np.ceil(grp.rank(pct=True, method="average") * 10).clip(1, 10)
    return _among_peers(_rank_uncertainty(df))


AMONG_PEERS_CONFIDENCE = 0.998


def _se_percent(df: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Sampling standard error of each value (a percentage): 100·√(p(1 − p)/n)."""
    p = df["value"].to_numpy(dtype=float) / 100
    n = df["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(100 * np.sqrt(p * (1 - p) / n), dtype=np.float64)


def _rank_uncertainty(df: pd.DataFrame) -> pd.DataFrame:
    """95% rank interval and decile probability per area, by simulation within each kind."""
    from jsna.core.stats.ranks import rank_intervals

    out = {c: np.full(len(df), np.nan) for c in ("rank_lower", "rank_upper", "p_decile")}
    se = _se_percent(df)
    value, decile = df["value"].to_numpy(dtype=float), df["decile"].to_numpy(dtype=float)
    for idx in df.groupby(["area_type", "indicator_id"]).indices.values():
        r = rank_intervals(value[idx], se[idx], decile[idx])
        out["rank_lower"][idx], out["rank_upper"][idx], out["p_decile"][idx] = r
    for col, arr in out.items():
        df[col] = arr
    return df


def _among_peers(df: pd.DataFrame) -> pd.DataFrame:
    """Higher / similar / lower than the overdispersed 99.8% limits of areas of its kind.

    Spiegelhalter's (2005) additive random-effects funnel around England's value, τ²
    estimated per register and kind of area (:func:`dispersion_table` stores φ and τ²).
    Suppressed and unavailable values are "not compared", as is England.
    """
    from jsna.core.stats.overdispersion import overdispersed_outliers, proportion_overdispersion

    out = np.full(len(df), "not compared", dtype=object)
    phi = np.full(len(df), np.nan)
    tau2 = np.full(len(df), np.nan)
    for key, idx in df.groupby(["area_type", "indicator_id"]).indices.items():
        area_type = str(key[0])  # type: ignore[index]
        sub = df.iloc[idx]
        target = float(sub["england_value"].iloc[0]) / 100
        ok = sub["value"].notna().to_numpy()
        if area_type == "england" or not ok.any() or not 0 < target < 1:
            continue
        x, n = sub["count"].to_numpy(dtype=float)[ok], sub["denominator"].to_numpy(dtype=float)[ok]
        od = proportion_overdispersion(x, n, target)
        side = overdispersed_outliers(x, n, target, od.tau2, AMONG_PEERS_CONFIDENCE)
        out[idx[ok]] = np.select([side > 0, side < 0], ["higher", "lower"], "similar")
        phi[idx], tau2[idx] = od.phi, od.tau2
    df["among_peers"] = out
    df["phi"], df["tau2"] = phi, tau2
    return df


def dispersion_table(values: pd.DataFrame) -> pd.DataFrame:
    """Per kind of area and register: φ, τ², rankability and how many lie outside each funnel.

    Columns: area_type, indicator_id, areas (with a value), phi, tau2, rankability,
    plain_higher / plain_lower (outside England's plain 99.8% limits: "highest" /
    "lowest"), peers_higher / peers_lower (outside the overdispersed 99.8% limits).
    """
    from jsna.core.stats.ranks import rankability

    df = values[(values["area_type"] != "england") & values["value"].notna()].copy()
    df["_se"] = _se_percent(df)
    rows = []
    for (area_type, indicator_id), sub in df.groupby(["area_type", "indicator_id"], sort=True):
        rows.append(
            {
                "area_type": area_type,
                "indicator_id": indicator_id,
                "areas": len(sub),
                "phi": float(sub["phi"].iloc[0]),
                "tau2": float(sub["tau2"].iloc[0]),
                "rankability": rankability(sub["value"], sub["_se"]),
                "plain_higher": int((sub["comparison"] == "highest").sum()),
                "plain_lower": int((sub["comparison"] == "lowest").sum()),
                "peers_higher": int((sub["among_peers"] == "higher").sum()),
                "peers_lower": int((sub["among_peers"] == "lower").sum()),
            }
        )
    return pd.DataFrame(rows)
