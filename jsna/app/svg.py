"""Inline SVG for the offline brief: a static map of an area and one spine-chart row.

No script and no network: the drawings are text inside the HTML file, so the brief opens and
prints anywhere. Shapes, not only colours, carry meaning (WCAG 1.4.1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd

from jsna.core.stats import Comparison
from jsna.core.vocabulary import area_colours

MAP_WIDTH = 480


SPINE_W, SPINE_H = 160, 14


def _rings(geometry: dict[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    """Every ring of a GeoJSON Polygon or MultiPolygon."""
    polys = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
        if geometry["type"] == "MultiPolygon"
        else []
    )
    for poly in polys:
        yield from poly


def svg_map(
    geojson: dict[str, Any],
    highlight: set[str],
    practices: pd.DataFrame,
    title: str,
    place_name: str,
) -> str:
    """A static map as inline SVG: the boundaries, the area highlighted, GP practices as dots.

    Longitude is scaled by cos(latitude) so shapes keep their proportions; the map fills its
    box and names the place and the highlighted area in its title and legend.
    """
    points = [pt for f in geojson["features"] for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return "<p>No boundaries to draw.</p>"
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, y1 = min(lons) * kx, max(lats)
    w, h = max(lons) * kx - x0, y1 - min(lats)
    scale = MAP_WIDTH / w
    height = round(h * scale)

    def xy(lon: float, lat: float) -> str:
        return f"{(lon * kx - x0) * scale:.1f},{(y1 - lat) * scale:.1f}"

    shapes = []
    for f in geojson["features"]:
        on = f["id"] in highlight
        d = " ".join(
            "M" + " L".join(xy(*pt[:2]) for pt in ring) + " Z" for ring in _rings(f["geometry"])
        )
        name = escape(str(f["properties"].get("area_name", f["id"])))
        shapes.append(
            f'<path d="{d}" fill="{"#005eb8" if on else "#e8e8e8"}" stroke="#505a5f" '
            f'stroke-width="{1.5 if on else 0.8}" fill-rule="evenodd"><title>{name}</title></path>'
        )
    dots, keys = [], []
    if not practices.empty:
        colours = area_colours(list(practices["pcn_name"]))
        for pcn, sub in practices.groupby("pcn_name", sort=True):
            colour = colours[str(pcn)][0]
            keys.append(
                f'<li><span class="key dot" style="background:{colour}"></span>'
                f"GP practices of {escape(str(pcn))} PCN</li>"
            )
            for name, lon, lat in zip(
                sub["practice_name"],
                sub["lon"].astype(float),
                sub["lat"].astype(float),
                strict=True,
            ):
                x, y = xy(lon, lat).split(",")
                dots.append(
                    f'<circle cx="{x}" cy="{y}" r="4.5" fill="{colour}" stroke="#ffffff" '
                    f'stroke-width="1"><title>{escape(str(name))}</title></circle>'
                )
    names = [
        escape(str(f["properties"].get("area_name", f["id"])))
        for f in geojson["features"]
        if f["id"] in highlight
    ]
    shown = ", ".join(names) if names else "its GP practices"
    label = f"{escape(title)}: {shown} within {escape(place_name)}"
    area_key = (
        f'<li><span class="key" style="background:#005eb8"></span>{shown}</li>' if names else ""
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {height}" '
        f'role="img" aria-labelledby="map-title"><title id="map-title">{label}</title>'
        + "".join(shapes)
        + "".join(dots)
        + "</svg>"
    )
    legend = (
        f'<ul class="legend">{area_key}<li><span class="key" style="background:#e8e8e8">'
        f"</span>{'Rest of ' if names else ''}{escape(place_name)}</li>{''.join(keys)}</ul>"
    )
    return f'<figure class="map">{svg}<figcaption>{label}</figcaption>{legend}</figure>'


def _marker(cat: str, x: float, colour: str) -> str:
    """The area's marker: its shape says the direction, so colour is never the only cue."""
    y, s = SPINE_H / 2, 5.5
    if cat in (Comparison.BEST, Comparison.BETTER):
        pts = f"{x},{y - s} {x + s},{y + s - 1} {x - s},{y + s - 1}"
    elif cat in (Comparison.WORST, Comparison.WORSE):
        pts = f"{x - s},{y - s + 1} {x + s},{y - s + 1} {x},{y + s}"
    elif cat in (Comparison.HIGHEST, Comparison.HIGHER):
        pts = f"{x},{y - s} {x + s},{y} {x},{y + s} {x - s},{y}"
    elif cat in (Comparison.LOWEST, Comparison.LOWER):
        pts = f"{x - s + 1},{y - s + 1} {x + s - 1},{y - s + 1} {x + s - 1},{y + s - 1} " + (
            f"{x - s + 1},{y + s - 1}"
        )
    else:
        return f'<circle cx="{x}" cy="{y}" r="{s - 1}" fill="{colour}" stroke="#0b0c0c"/>'
    return f'<polygon points="{pts}" fill="{colour}" stroke="#0b0c0c"/>'


def spine_svg(pos: Mapping[str, float], cat: str, colour: str) -> str:
    """One spine-chart row: areas' spread in greys, benchmark red, the area as a marker.

    'Better' is always to the right; the benchmark is the red line at the centre.
    """
    edges = sorted(pos[k] for k in ("min", "q25", "q75", "max"))

    def px(v: float) -> float:
        return round(4 + min(max(v, 0.0), 1.0) * (SPINE_W - 8), 1)

    greys = ["#8c8c8c", "#bdbdbd", "#e0e0e0"]
    bands = "".join(
        f'<rect x="{px(a)}" y="3" width="{max(px(b) - px(a), 0.5)}" height="{SPINE_H - 6}" '
        f'fill="{g}"/>'
        for a, b, g in zip(edges, edges[1:], greys, strict=False)
    )
    mid = px(0.5)
    line = f'<line x1="{mid}" x2="{mid}" y1="0" y2="{SPINE_H}" stroke="#c00000" stroke-width="2"/>'
    dot = "" if math.isnan(pos["value"]) else _marker(cat, px(pos["value"]), colour)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPINE_W} {SPINE_H}" '
        f'aria-hidden="true" focusable="false">{bands}{line}{dot}</svg>'
    )
