"""Shared helpers: input checks, the result frame and normal quantiles (scipy.special only)."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from jsna.core.schema import CI_COLUMNS

FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

CONFIDENCE_LABEL: Final[str] = "95%, 99.8%"
"""The ``confidence`` label of every result frame (PHEindicatormethods style)."""

RESULT_COLUMNS: Final[tuple[str, ...]] = ("value", *CI_COLUMNS, "method", "confidence", "note")
"""Columns of the frames returned by the value-and-interval functions."""


def _floats(x: Any) -> FloatArray:
    """Return ``x`` as a float array (NaN for missing), keeping its shape (0-d for a scalar)."""
    if isinstance(x, pd.DataFrame | pd.Series | pd.Index):
        x = x.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(x, dtype=np.float64)


def _non_negative(x: FloatArray, name: str) -> None:
    if np.any(x < 0):
        raise ValueError(f"{name} must be non-negative")


def _positive(x: FloatArray, name: str) -> None:
    if np.any(x <= 0):
        raise ValueError(f"{name} must be positive")


def _alpha(confidence: float) -> float:
    """Return the one-sided tail probability (1 - confidence) / 2, validating confidence."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be strictly between 0 and 1, e.g. 0.95")
    return (1.0 - confidence) / 2.0


def _frame(
    value: FloatArray,
    limits: dict[str, FloatArray],
    method: Any,
    note: Any,
) -> pd.DataFrame:
    n = len(value)
    return pd.DataFrame(
        {
            "value": value,
            **limits,
            "method": np.broadcast_to(np.asarray(method, dtype=object), (n,)).copy(),
            "confidence": CONFIDENCE_LABEL,
            "note": np.broadcast_to(np.asarray(note, dtype=object), (n,)).copy(),
        },
        columns=list(RESULT_COLUMNS),
    )


def _missing_note(*arrays: FloatArray, what: str) -> ObjectArray:
    missing = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays)), dtype=bool)
    for a in arrays:
        missing |= np.isnan(a)
    return np.where(missing, f"missing {what}", "").astype(object)


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level.

    Args:
        confidence: Confidence level, strictly between 0 and 1 (0.95, 0.998).

    Returns:
        z = Φ⁻¹(1 − α/2), e.g. 1.959964 for 0.95 and 3.090232 for 0.998.

    Raises:
        ValueError: If ``confidence`` is not strictly between 0 and 1.

    References:
        PHEindicatormethods (UKHSA), R/utils.R.

    Examples:
        >>> round(z_value(0.95), 6)
        1.959964
    """
    return float(special.ndtri(1.0 - _alpha(confidence)))


Z95: Final[float] = float(special.ndtri(0.975))
"""Two-sided 95% normal quantile, 1.959964…"""
Z998: Final[float] = float(special.ndtri(0.999))
"""Two-sided 99.8% normal quantile, 3.090232…"""
