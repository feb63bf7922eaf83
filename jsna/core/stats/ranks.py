"""Ranks with their uncertainty: 95% intervals by simulation, decile probability, rankability.

"324th of 1,267" reads as exact, but each area's value carries sampling error, and so does
its rank. Drawing every area's value from its sampling distribution many times and ranking
each draw gives each rank an interval (Goldstein & Spiegelhalter 1996; Marshall &
Spiegelhalter 1998), the probability that the area truly sits in the decile shown, and how
much of the spread between areas is real rather than noise (rankability, Lingsma 2009).
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from jsna.core.stats._base import FloatArray, _floats

DRAWS: Final[int] = 1000
SEED: Final[int] = 20050401


class RankIntervals(NamedTuple):
    """Each area's rank interval and decile probability (NaN where the area has no value).

    Attributes:
        lower: 2.5th percentile of the simulated rank (1 = highest value).
        upper: 97.5th percentile of the simulated rank.
        p_decile: Share of draws in which the area falls in its observed decile.
    """

    lower: FloatArray
    upper: FloatArray
    p_decile: FloatArray


def _deciles(rank_desc: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    # Decile 1 = lowest tenth: the ascending position's share of k, in tenths.
    pct = (k - rank_desc + 1) / k
    return np.asarray(np.clip(np.ceil(pct * 10), 1, 10))


def between_area_variance(value: npt.ArrayLike, se: npt.ArrayLike) -> float:
    """DerSimonian-Laird τ²: the real spread of the values beyond their sampling error.

    τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)), w = 1/s², Q = Σw(y − ȳ_w)², ȳ_w the
    inverse-variance weighted mean; NaN values and zero standard errors are left out.

    References:
        DerSimonian R, Laird N (1986) Control Clin Trials 7:177-188.
    """
    v, s = np.broadcast_arrays(_floats(value), _floats(se))
    ok = ~(np.isnan(v) | np.isnan(s)) & (s > 0)
    y, w = v[ok], 1 / s[ok] ** 2
    k = len(y)
    if k < 2:
        return float("nan")
    mean = (w * y).sum() / w.sum()
    q = (w * (y - mean) ** 2).sum()
    return float(max(0.0, (q - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())))


def rank_intervals(
    value: npt.ArrayLike,
    se: npt.ArrayLike,
    decile: npt.ArrayLike | None = None,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    chunk: int = 200,
) -> RankIntervals:
    """95% intervals for ranks (1 = highest), simulated from a simple random-effects model.

    Each area's true value is drawn from its posterior under a normal random-effects model
    (true values N(μ, τ²) with DerSimonian-Laird τ² and μ their weighted mean; observed ones
    N(true, se²)): mean μ + B(y − μ), variance B·se², B = τ²/(τ² + se²). Drawing from the
    raw sampling distribution N(y, se²) instead makes the intervals too narrow (observed
    values are more spread out than true ones); with large lists B ≈ 1 and the two agree.
    With τ² = 0 the model has every area alike, so each draw's order is random. Each draw
    ranks every area with a value; an area's interval is the 2.5th and 97.5th
    percentiles (lower and higher rank numbers) of its ranks over the draws. ``decile`` (1 =
    lowest tenth, as the build's) gives ``p_decile``, the share of draws whose decile equals
    it; without it, the deciles of the observed values are used. Seeded, so a build is
    reproducible; drawn in chunks to bound memory (1,000 draws × 6,378 practices).

    Args:
        value: Observed values (NaN: not ranked).
        se: Their sampling standard errors (non-negative).
        decile: The decile shown for each area (optional).
        draws: Number of simulated draws.
        seed: Random seed.
        chunk: Draws per block.

    Returns:
        :class:`RankIntervals`.

    References:
        Goldstein H, Spiegelhalter DJ (1996) J R Stat Soc A 159:385-443; Marshall EC,
        Spiegelhalter DJ (1998) BMJ 316:1701-1704.

    Examples:
        >>> r = rank_intervals([10.0, 5.0, 1.0], [0.01, 0.01, 0.01])
        >>> r.lower.tolist(), r.upper.tolist()
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    """
    v, s = np.broadcast_arrays(_floats(value), _floats(se))
    if np.any(s < 0):
        raise ValueError("se must be non-negative")
    ok = ~(np.isnan(v) | np.isnan(s))
    k = int(ok.sum())
    lower = np.full(v.shape, np.nan)
    upper = np.full(v.shape, np.nan)
    p_dec = np.full(v.shape, np.nan)
    if k == 0:
        return RankIntervals(lower, upper, p_dec)
    vv, ss = v[ok], s[ok]
    if decile is None:
        order = (-vv).argsort(kind="stable")
        obs_rank = np.empty(k)
        obs_rank[order] = np.arange(1, k + 1)
        shown = _deciles(obs_rank, k)
    else:
        shown = _floats(decile)[ok]
    tau2 = between_area_variance(vv, ss)
    if np.isnan(tau2):  # a single area
        tau2 = 0.0
    # A value of exactly 0 or 1 has no sampling error under the binomial: it stays put.
    pos = ss > 0
    w = 1 / ss[pos] ** 2
    mu = float((w * vv[pos]).sum() / w.sum()) if pos.any() else float(vv.mean())
    shrink = np.ones(k)
    shrink[pos] = tau2 / (tau2 + ss[pos] ** 2)
    centre = mu + shrink * (vv - mu)
    spread = np.sqrt(shrink) * ss
    rng = np.random.default_rng(seed)
    # Decile of each rank (1 = highest value), as a lookup: ranks are gathered, not divided.
    lut = np.zeros(k + 1, dtype=np.int8)
    lut[1:] = _deciles(np.arange(1, k + 1, dtype=np.float64), k)
    shown8 = np.nan_to_num(shown, nan=0).astype(np.int8)
    ranks = np.empty((draws, k), dtype=np.int16 if k < 32_000 else np.int32)
    rows = np.broadcast_to(np.arange(1, k + 1, dtype=ranks.dtype), (chunk, k))
    in_decile = np.zeros(k)
    centre32, spread32 = centre.astype(np.float32), spread.astype(np.float32)
    for start in range(0, draws, chunk):
        m = min(chunk, draws - start)
        # With no real spread (τ² = 0) every true value is μ: all tied, so any order is
        # equally likely. Single precision is ample for ordering.
        noise = rng.standard_normal((m, k), dtype=np.float32)
        sim = centre32 + spread32 * noise if tau2 > 0 else noise
        order = np.argsort(-sim, axis=1)
        block = ranks[start : start + m]
        np.put_along_axis(block, order, rows[:m], axis=1)
        in_decile += (lut[block] == shown8).sum(axis=0)
    # The 2.5th and 97.5th percentiles (the smallest rank whose share of draws reaches q).
    lo_i, hi_i = int(np.ceil(0.025 * draws)) - 1, int(np.ceil(0.975 * draws)) - 1
    part = np.partition(ranks, [lo_i, hi_i], axis=0)
    lower[ok], upper[ok] = part[lo_i], part[hi_i]
    p_dec[ok] = in_decile / draws
    return RankIntervals(lower, upper, p_dec)


def rankability(value: npt.ArrayLike, se: npt.ArrayLike) -> float:
    """Rankability ρ = τ² / (τ² + median s²): the share of the spread that is real.

    τ² is the DerSimonian-Laird between-area variance of the values around their
    inverse-variance weighted mean: τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)), with
    w = 1/s² and Q = Σw(y − ȳ_w)². Near 1, the ranking reflects real differences; below
    about 0.5, much of it is chance (Lingsma et al. 2009 call ρ > 0.7 good).

    Args:
        value: Values (NaN left out).
        se: Their standard errors (positive).

    Returns:
        ρ between 0 and 1 (NaN with fewer than 2 areas).

    References:
        Lingsma HF et al. (2009) Eur J Public Health 20:40-45 (rankability); DerSimonian R,
        Laird N (1986) Control Clin Trials 7:177-188.

    Examples:
        >>> round(rankability([1.0, 2.0, 3.0], [0.5, 0.5, 0.5]), 4)
        0.75
    """
    tau2 = between_area_variance(value, se)
    v, s = np.broadcast_arrays(_floats(value), _floats(se))
    ok = ~(np.isnan(v) | np.isnan(s)) & (s > 0)
    return float(tau2 / (tau2 + np.median(s[ok] ** 2)))
