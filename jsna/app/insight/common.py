"""Helpers shared by the where-to-act features: multipliers, rounding people, nouns."""

from __future__ import annotations

import math
import re
from typing import Any, Final

import pandas as pd

from jsna.core.stats import Comparison

WORSE: Final[tuple[str, str]] = (Comparison.WORSE.value, Comparison.WORST.value)
"""Comparison labels that mean "significantly worse" (at 95%, or at 99.8% as well)."""

_PER = re.compile(r"per\s+([\d,]+)")


def multiplier(unit: str, value_type: str) -> float | None:
    """The multiplier that turns a value into a per-person fraction, if it can be sized.

    Args:
        unit: The indicator's unit ("%", "% aged 16+", "per 1,000", ...).
        value_type: "proportion", "rate", "ratio", "count", ...

    Returns:
        100 for a percentage, 1,000 or 100,000 for a crude rate "per" that many, or None
        where an excess count cannot be worked out (age-standardised rates, ratios, scores).

    Examples:
        >>> multiplier("% aged 16+", "proportion"), multiplier("per 1,000", "rate")
        (100.0, 1000.0)
    """
    text = str(unit or "")
    if value_type == "proportion":
        return 100.0 if text.strip().startswith("%") else None
    if value_type == "rate" and "standardised" not in text:
        m = _PER.search(text)
        if m:
            return float(m.group(1).replace(",", ""))
    return None


def rounding_digits(x: float) -> int:
    """Decimal places (negative: tens, hundreds) that keep three significant figures."""
    if not math.isfinite(x) or abs(x) < 100:
        return 0
    return 2 - math.floor(math.log10(abs(x)))


def round_people(x: float, digits: int | None = None) -> int:
    """Round a number of people for words: whole numbers below 100, else 3 significant figures.

    Args:
        x: The number.
        digits: Decimal places to round to (as :func:`round`); by default from ``x`` itself.

    Returns:
        The rounded whole number.

    Examples:
        >>> round_people(1243.4), round_people(551.3), round_people(42.6)
        (1240, 551, 43)
    """
    d = rounding_digits(x) if digits is None else digits
    return int(round(x, min(d, 0)))


def noun(indicator_name: str) -> str:
    """An indicator name as a noun inside a sentence: first letter lower-cased unless an acronym."""
    name = str(indicator_name)
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def sex_suffix(sex: Any) -> str:
    return "" if sex in (None, "Persons") or pd.isna(sex) else f" ({str(sex).lower()}s)"
