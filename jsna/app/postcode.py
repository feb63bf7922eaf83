"""Postcode search helpers: normalising what a user types, and the nearest practices."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088
# A UK postcode once spaces are removed: outward code (2-4) + inward code (digit, 2 letters).
_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def normalise(text: str | None) -> str | None:
    """Upper-case, strip every space, put one space before the inward code.

    Returns None when what is left cannot be a UK postcode.

    Examples:
        >>> normalise(" m33 7xw ")
        'M33 7XW'
        >>> normalise("M337XW")
        'M33 7XW'
        >>> normalise("hello") is None
        True
    """
    if text is None:
        return None
    key = re.sub(r"\s+", "", text).upper()
    if not _SHAPE.match(key):
        return None
    return f"{key[:-3]} {key[-3:]}"


def key(postcode: str) -> str:
    """The lookup key: the normalised postcode without its space."""
    return postcode.replace(" ", "")


def distance_km(
    lon: float, lat: float, lons: pd.Series, lats: pd.Series
) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    """Great-circle (haversine) distance in km from one point to many."""
    lon1, lat1 = np.radians(lon), np.radians(lat)
    lon2 = np.radians(lons.to_numpy(dtype=np.float64))
    lat2 = np.radians(lats.to_numpy(dtype=np.float64))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)), dtype=np.float64)


def nearest_practices(practices: pd.DataFrame, lon: float, lat: float, n: int = 5) -> pd.DataFrame:
    """The `n` practice sites nearest to a point, with distance in km (straight line)."""
    d = practices.assign(distance_km=distance_km(lon, lat, practices["lon"], practices["lat"]))
    return d.nsmallest(n, "distance_km").reset_index(drop=True)
