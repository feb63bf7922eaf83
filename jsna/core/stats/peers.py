"""One area against its peers ("PCNs like ours"), allowing for the real spread between peers.

Comparing an area with its peers' mean using only sampling error flags far too many areas
when the peers genuinely differ from one another: Dropkin (2018) found 12% false alarms at a
nominal 5%. The predictive interval here is where an area like the peers would be expected
to fall: it includes the spread between peers, the uncertainty in their mean and the area's
own sampling error.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import special

from jsna.core.stats._base import _floats

FloatLike = npt.ArrayLike

CREDIBLE: Final[float] = 0.95
"""How sure the excess over the peers must be before a gain is worked out."""


class PeerComparison(NamedTuple):
    """An area against its peers.

    Attributes:
        k: Number of peers with a value.
        peer_mean: The peers' mean (each peer counts once).
        peer_median: The peers' median.
        lower: Lower end of the 95% predictive interval for an area like the peers.
        upper: Upper end of it.
        verdict: −1 below the interval, +1 above, 0 within (0 also with fewer than 3 peers).
        p_below: Probability that the area truly lies below the peers' mean.
        p_above: Probability that it truly lies above.
        position: The area's place among itself and its peers (1 = highest value).
    """

    k: int
    peer_mean: float
    peer_median: float
    lower: float
    upper: float
    verdict: int
    p_below: float
    p_above: float
    position: int


def predictive_sd(ours_se: float, peer_values: FloatLike, peer_se: FloatLike) -> float:
    """Standard deviation of (an area like the peers − the peers' mean).

    With s_b² the peers' sample variance (real spread plus their own sampling error), the
    real spread is σ² = max(0, s_b² − mean(se_j²)); the area's own value varies by
    σ² + se₀², and the peers' mean by s_b²/k, so sd = √(σ² + se₀² + s_b²/k). When the area
    is measured as precisely as the peers, this is s_b·√(1 + 1/k), the classical
    prediction interval for a new observation.

    References:
        Dropkin G (2018) J Public Health 40(2):e221-e228; Higgins JPT, Thompson SG,
        Spiegelhalter DJ (2009) J R Stat Soc A 172:137-159 (predictive intervals).
    """
    y = _floats(peer_values)
    s = _floats(peer_se)
    k = len(y)
    sb2 = float(np.var(y, ddof=1))
    sigma2 = max(0.0, sb2 - float(np.mean(s**2)))
    return float(np.sqrt(sigma2 + ours_se**2 + sb2 / k))


def compare_with_peers(
    ours: float, ours_se: float, peer_values: FloatLike, peer_se: FloatLike
) -> PeerComparison:
    """An area's value against the 95% predictive interval of its peers.

    The interval is peer mean ± t(k − 1, 0.975) × :func:`predictive_sd`; P(below) and
    P(above) are the t distribution's tail areas of (peer mean − ours) / sd.

    Args:
        ours: The area's value.
        ours_se: Its sampling standard error.
        peer_values: The peers' values (NaN left out).
        peer_se: Their standard errors.

    Returns:
        :class:`PeerComparison`; with fewer than 3 peers the interval is NaN and verdict 0.

    References:
        Dropkin G (2018) Statistical neighbours: comparing a local area with similar areas.
        J Public Health 40(2):e221-e228.

    Examples:
        >>> c = compare_with_peers(10.0, 0.1, [5.0, 6.0, 7.0, 5.0, 6.0, 7.0], [0.1] * 6)
        >>> c.verdict, c.position, c.peer_median
        (1, 1, 6.0)
    """
    y, s = np.broadcast_arrays(_floats(peer_values), _floats(peer_se))
    ok = ~(np.isnan(y) | np.isnan(s))
    y, s = y[ok], s[ok]
    k = len(y)
    position = int((y > ours).sum()) + 1
    if k < 3 or np.isnan(ours) or np.isnan(ours_se):
        nan = float("nan")
        med = float(np.median(y)) if k else nan
        mean = float(y.mean()) if k else nan
        return PeerComparison(k, mean, med, nan, nan, 0, nan, nan, position)
    mean = float(y.mean())
    sd = predictive_sd(ours_se, y, s)
    t = float(special.stdtrit(k - 1, 0.975))
    lower, upper = mean - t * sd, mean + t * sd
    verdict = 1 if ours > upper else -1 if ours < lower else 0
    p_below = float(special.stdtr(k - 1, (mean - ours) / sd))
    return PeerComparison(
        k, mean, float(np.median(y)), lower, upper, verdict, p_below, 1 - p_below, position
    )


class Gain(NamedTuple):
    """People gained if the area matched the higher half of its peers, with a 95% interval."""

    people: float
    lower: float
    upper: float
    target: float


def gain_to_upper_half(
    ours: float, ours_se: float, denominator: float, peer_values: FloatLike
) -> Gain:
    """People gained if the area's proportion matched the mean of its peers' higher half.

    gain = (T − p) × n, T the mean of the peers above their median (the higher half), with a
    normal 95% interval from the area's own sampling error and the uncertainty of T
    (its sample variance over its size): n·√(se² + var/h). Values are proportions (0-1).

    Args:
        ours: The area's proportion.
        ours_se: Its standard error.
        denominator: Its denominator (people).
        peer_values: The peers' proportions.

    Returns:
        :class:`Gain` (people, lower, upper, the target proportion T).

    Examples:
        >>> g = gain_to_upper_half(0.05, 0.0, 1000, [0.04, 0.05, 0.07, 0.09])
        >>> round(g.target, 4), round(g.people, 1)
        (0.08, 30.0)
    """
    y = _floats(peer_values)
    y = np.sort(y[~np.isnan(y)])
    upper_half = y[y > np.median(y)]
    h = len(upper_half)
    target = float(upper_half.mean())
    var_t = float(np.var(upper_half, ddof=1)) / h if h > 1 else 0.0
    people = (target - ours) * denominator
    half = 1.959964 * denominator * np.sqrt(ours_se**2 + var_t)
    return Gain(people, people - half, people + half, target)
