"""Boundaries: read once at build time, simplify, and key each feature by area code.

Simplification uses shapely's topology-preserving Douglas-Peucker in degrees; coordinates are
rounded to 5 decimal places (about 1 m), which is far finer than the simplification.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

# Tolerance in degrees (1e-4 deg is about 7 m east-west and 11 m north-south at 53N).
DEFAULT_TOLERANCE = 2e-4


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoJSON layer in WGS84."""
    gdf = gpd.read_file(path)
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def to_feature_collection(
    gdf: gpd.GeoDataFrame,
    codes: list[str],
    names: list[str],
    tolerance: float = DEFAULT_TOLERANCE,
) -> dict[str, Any]:
    """Simplify geometries and return a GeoJSON FeatureCollection keyed by area code.

    Args:
        gdf: the layer, one row per area (dissolve multi-part layers first).
        codes: area code for each row; becomes the feature `id`.
        names: area name for each row.
        tolerance: simplification tolerance in degrees.

    Returns:
        A FeatureCollection dict whose features carry `id` and properties `area_code`,
        `area_name`.
    """
    geoms = shapely.simplify(gdf.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 1e-5)
    # plotly's geo maps draw with d3-geo, which takes a clockwise exterior ring as "this
    # polygon" (RFC 7946's anticlockwise rings would fill the rest of the globe).
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"area_code": code, "area_name": name},
            "geometry": json.loads(shapely.to_geojson(geom)),
        }
        for code, name, geom in zip(codes, names, geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def dissolve_by(gdf: gpd.GeoDataFrame, column: str) -> gpd.GeoDataFrame:
    """Merge multi-part rows sharing `column` into one row each."""
    return gdf.dissolve(by=column, as_index=False)
