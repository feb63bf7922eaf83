"""Public-health statistics: values, confidence intervals and benchmark comparisons.

A vectorised Python restatement of the Fingertips / PHEindicatormethods methods set out in
``docs/METHODS.md``: Wilson intervals for proportions, Byar's and exact Poisson intervals for
counts and rates, indirectly standardised ratios, Dobson directly standardised rates, Chiang II
life expectancy with Silcocks variance, the "compared with England" rule and funnel-plot
control limits.

Every function is pure: it takes numbers, numpy arrays or pandas Series and returns numpy
arrays or a pandas DataFrame. Inputs are validated first (``ValueError`` with a specific
message); NaN inputs are allowed and give NaN outputs, because the build passes NaN for
suppressed or missing values. Array-returning functions keep the broadcast shape of their
inputs (a scalar gives 0-d arrays, so ``float(lo)`` works); frame-returning functions give one
row per element (or per area).

One module per method family: ``intervals`` (Wilson, Byar's, exact Poisson), ``rates``
(proportions, crude rates, ISRs, DSRs), ``life_expectancy``, ``benchmark`` (polarity and the
comparison rule) and ``funnels``. Only ``scipy.special`` is used, never ``scipy.stats``, which
is slow to import and would sit on the app's start-up path.
"""

from jsna.core.stats._base import CONFIDENCE_LABEL, RESULT_COLUMNS, Z95, Z998, z_value
from jsna.core.stats.benchmark import Comparison, Polarity, compare_to_benchmark
from jsna.core.stats.funnels import (
    FUNNEL_DSR_TOO_FEW,
    FUNNEL_HIGH_0001,
    FUNNEL_HIGH_0025,
    FUNNEL_LOW_0001,
    FUNNEL_LOW_0025,
    FUNNEL_MISSING,
    FUNNEL_NOT_SIGNIFICANT,
    funnel_proportion_limits,
    funnel_rate_limits,
    funnel_ratio_limits,
    funnel_significance,
)
from jsna.core.stats.intervals import byars_ci, exact_poisson_ci, poisson_ci, wilson_ci
from jsna.core.stats.life_expectancy import LE_AGE_STARTS, life_expectancy
from jsna.core.stats.rates import (
    ESP2013,
    crude_rate,
    directly_standardised_rate,
    expected_count,
    indirectly_standardised_ratio,
    proportion,
)

__all__ = [
    "CONFIDENCE_LABEL",
    "ESP2013",
    "FUNNEL_DSR_TOO_FEW",
    "FUNNEL_HIGH_0001",
    "FUNNEL_HIGH_0025",
    "FUNNEL_LOW_0001",
    "FUNNEL_LOW_0025",
    "FUNNEL_MISSING",
    "FUNNEL_NOT_SIGNIFICANT",
    "LE_AGE_STARTS",
    "RESULT_COLUMNS",
    "Z95",
    "Z998",
    "Comparison",
    "Polarity",
    "byars_ci",
    "compare_to_benchmark",
    "crude_rate",
    "directly_standardised_rate",
    "exact_poisson_ci",
    "expected_count",
    "funnel_proportion_limits",
    "funnel_rate_limits",
    "funnel_ratio_limits",
    "funnel_significance",
    "indirectly_standardised_ratio",
    "life_expectancy",
    "poisson_ci",
    "proportion",
    "wilson_ci",
    "z_value",
]
