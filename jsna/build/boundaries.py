"""Boundaries: read once at build time, simplify, and key each feature by area code.

Simplification uses shapely's topology-preserving Douglas-Peucker in degrees; coordinates are
rounded to 5 decimal places (about 1 m), which is far finer than the simplification.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from jsna.build.sources import ENGLAND_BOUNDS, SourceError, check_points

__all__ = ["ENGLAND_BOUNDS", "check_points"]

# Tolerance in degrees (1e-4 deg is about 7 m east-west and 11 m north-south at 53N).
DEFAULT_TOLERANCE = 2e-4


# A repaired polygon (self-touching ring made valid) may differ in area by at most this share.
REPAIR_TOLERANCE = 0.01


def read_layer(path: Path, rel: str | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON layer in WGS84."""
    name = rel or path.name
    try:
        # GDAL's warnings (an unclosed ring, say) would print their own lines with a path
        # into the virtualenv: they are caught here and the error stays one line.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own errors for unreadable files
        why = " ".join(str(exc).split()).replace(str(path), name)
        if "closed linestring" in why or "Non closed ring" in why:
            why = "a polygon's ring does not end where it starts (cut short?)"
        raise SourceError(name, f"cannot be read as GeoJSON: {why}") from exc
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def check_layer(
    gdf: gpd.GeoDataFrame, rel: str, column: str, expected: Collection[str], what: str
) -> gpd.GeoDataFrame:
    """Check a boundary layer: one valid polygon in England per expected area, and no others.

    Args:
        gdf: the layer as read by `read_layer`.
        rel: its path, for messages.
        column: the property that names each area.
        expected: the codes (or names) the layer must cover, each exactly once.
        what: what an area is called in messages ("ward code").

    Returns:
        The layer, with polygons that were merely self-touching repaired.

    Raises:
        SourceError: a feature has no geometry, is not a polygon, lies outside England in
            WGS84 (British National Grid metres, say), or an area is missing or repeated.
    """
    if column not in gdf.columns:
        raise SourceError(rel, "missing property", column=column)
    gdf = gdf.reset_index(drop=True)
    geoms = gdf.geometry.to_numpy()
    for i, (code, geom) in enumerate(zip(gdf[column], geoms, strict=True)):
        where = f"feature {i + 1} ({code})"
        if geom is None or geom.is_empty:
            raise SourceError(rel, f"{where} has no geometry", column=column)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise SourceError(rel, f"{where} is a {geom.geom_type}, not a polygon", column=column)
        x0, y0, x1, y1 = geom.bounds
        w, s, e, n = ENGLAND_BOUNDS
        if not (w <= x0 and x1 <= e and s <= y0 and y1 <= n):
            raise SourceError(
                rel,
                f"{where} has coordinates ({x0:.6g}, {y0:.6g}) outside England in WGS84 "
                "longitude/latitude (British National Grid metres?)",
                column=column,
            )
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            # Only a ring touching itself at a point is repaired (no area changes hands); a
            # ring whose edges cross (a figure eight, a spike) is refused: which side of the
            # crossing belongs to the area is a guess, and a guess changes the map.
            if not reason.startswith("Ring Self-intersection"):
                raise SourceError(rel, f"{where} is not a valid polygon ({reason})", column=column)
            fixed = shapely.make_valid(geom)
            fixed = shapely.union_all(
                [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type.endswith("Polygon")]
            )
            if fixed.is_empty or abs(fixed.area - geom.area) > REPAIR_TOLERANCE * geom.area:
                raise SourceError(
                    rel,
                    f"{where} is not a valid polygon ({shapely.is_valid_reason(geom)})",
                    column=column,
                )
            geoms[i] = fixed
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs=gdf.crs))
    dup = gdf[column].duplicated()
    if dup.any():
        raise SourceError(
            rel, f"{what} {gdf.loc[dup, column].iloc[0]} has more than one feature", column=column
        )
    expected_set = set(expected)
    unknown = sorted(set(gdf[column]) - expected_set)
    if unknown:
        raise SourceError(rel, f"unknown {what} '{unknown[0]}'", column=column)
    absent = sorted(expected_set - set(gdf[column]))
    if absent:
        raise SourceError(
            rel,
            f"no feature for {what} {absent[0]}: the layer should have {len(expected_set)}",
            column=column,
        )
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
