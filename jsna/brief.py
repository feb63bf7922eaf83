"""A self-contained HTML brief for one area: opens offline and prints cleanly to PDF.

Everything the brief needs is inside the file: styles, the plotly.js library (once), the
spine chart's data and the map as inline SVG, so it can be emailed, archived and opened with no
network (a WebGL or tile map would be blank from a file). It has header, nav and main
landmarks, and prints on A4 portrait with each section starting on a new page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from jsna import narrative, tables
from jsna.charts import PCN_COLOURS

CAVEATS = [
    "Neighbourhood and PCN values are computed by pooling the counts and denominators of "
    "their wards or practices and recomputing the value and its confidence interval; rates "
    "are never averaged, except for indicators marked 'estimate' (below).",
    "Indicators marked 'estimate' exist only as published ward values without counts; their "
    "neighbourhood figures are population-weighted averages and are not tested for "
    "significance.",
    "Counts from 1 to 4, and any figure that would reveal one by subtraction, are suppressed.",
    "Significance: 95% confidence ('better'/'worse'); '99.8%' marks differences that are "
    "significant at the stricter level too. 'Higher'/'lower' is used where a high value is "
    "neither good nor bad.",
    "QOF cardiovascular registers are back-calculated from published prevalence and list size; "
    "the QOF year is not stated in the source and is probably 2022/23.",
]

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #222; margin: 2rem auto;
       max-width: 1050px; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #005eb8;
       padding-bottom: .2rem; margin-top: 2rem; font-size: 1.3rem; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .8rem; }
.scroll { overflow-x: auto; } .scroll:focus { outline: 3px solid #ffdd00; }
th, td { border: 1px solid #ccc; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
li { margin-bottom: .25rem; }
.meta { color: #505a5f; }
nav ol { columns: 2; padding-left: 1.2rem; } nav a { color: #005eb8; }
.chart, .map, tr, li { page-break-inside: avoid; break-inside: avoid; }
.map svg { width: 100%; max-width: 640px; height: auto; display: block; }
.map .legend { font-size: .85rem; }
.map .key { display: inline-block; width: 12px; height: 12px; border: 1px solid #333;
            vertical-align: middle; margin-right: 4px; }
.map .dot { border-radius: 50%; }
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  section + section { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  /* Charts shrink to the printable width (A4 less margins) instead of being cut. */
  .chart, .chart .js-plotly-plot, .chart .plot-container, .chart .svg-container {
    width: 100% !important; max-width: 186mm !important; }
  .chart .main-svg { max-width: 186mm; height: auto; }
  table { font-size: 8pt; }
  .scroll { overflow: visible; }
}
"""
MAP_WIDTH = 640


@dataclass(frozen=True)
class BriefInputs:
    """What one brief is made of (all prepared by the caller from the database)."""

    area_name: str
    area_kind: str
    benchmark_phrase: str
    built_at: str
    profile: pd.DataFrame
    triage: list[str]
    spine: go.Figure
    map_svg: str
    indicators: pd.DataFrame
    attribution: str
    la_name: str = "Local authority"
    ward_set_caveat: tuple[str, ...] = ()


def _list(items: list[str]) -> str:
    if not items:
        return "<p>None.</p>"
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _table(df: pd.DataFrame, label: str) -> str:
    """A table that scrolls sideways inside its own box on a narrow screen, and prints whole.

    The box is a named region a keyboard can focus and scroll.
    """
    if df.empty:
        return "<p>No indicators.</p>"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-label="{escape(label)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _figure(fig: go.Figure, div_id: str) -> str:
    html: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "staticPlot": False},
    )
    return f'<div class="chart">{html}</div>'


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
        for i, (pcn, sub) in enumerate(practices.groupby("pcn_name", sort=True)):
            colour = PCN_COLOURS[i % len(PCN_COLOURS)]
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


def _definitions(profile: pd.DataFrame, indicators: pd.DataFrame) -> str:
    meta = indicators.set_index("indicator_id")
    rows = []
    for ind_id in dict.fromkeys(profile["indicator_id"]):
        if ind_id not in meta.index:
            continue
        m = meta.loc[ind_id]
        rows.append(
            {
                "Indicator": m["indicator_name"],
                "Definition": m["definition"],
                "Period": m["period"],
                "Method": m["ci_method_label"],
                "Source": m["publisher"],
                "Files": m["sources"],
                "Licence": m["licence"],
            }
        )
    return _table(pd.DataFrame(rows), "Definitions and sources table")


def render(inputs: BriefInputs) -> str:
    """The brief as one HTML document (UTF-8 text)."""
    p = inputs.profile
    findings = narrative.headline_findings(p, limit=12)
    every = narrative.summary(p)
    table = tables.profile_table(p, inputs.la_name)
    title = f"{inputs.area_name}: neighbourhood health brief"
    sections: list[tuple[str, str]] = [
        (
            "Summary",
            _list(findings)
            if findings
            else "<p>No indicator differs significantly from its benchmark.</p>",
        ),
        (
            "Where to act",
            "<p>Indicators significantly worse than the benchmark, ranked by the number of "
            "people affected beyond what the benchmark's rate would give.</p>"
            + _list(inputs.triage),
        ),
        ("Spine chart", _figure(inputs.spine, "spine")),
        ("Map", inputs.map_svg),
        ("Every indicator", _table(table, "Every indicator table")),
        ("Every indicator in words", _list(every)),
        ("Definitions and sources", _definitions(p, inputs.indicators)),
        ("Caveats", _list([*CAVEATS[:2], *inputs.ward_set_caveat, *CAVEATS[2:]])),
    ]
    ids = [f"s{i}" for i in range(len(sections))]
    nav = "".join(
        f'<li><a href="#{i}">{escape(name)}</a></li>'
        for i, (name, _) in zip(ids, sections, strict=True)
    )
    parts: list[Any] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(title)}</title><style>{STYLE}</style>",
        f"<script>{get_plotlyjs()}</script></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f"<p class='meta'>{escape(inputs.area_kind)} · compared with "
        f"{escape(inputs.benchmark_phrase)} at 95% and 99.8% confidence · data built "
        f"{escape(inputs.built_at)}</p></header>",
        f"<nav aria-label='Sections of this brief'><ol>{nav}</ol></nav><main>",
        *(
            f'<section id="{i}" aria-labelledby="{i}-h"><h2 id="{i}-h">{escape(name)}</h2>'
            f"{body}</section>"
            for i, (name, body) in zip(ids, sections, strict=True)
        ),
        f"</main><footer><p class='meta'>{escape(inputs.attribution)}</p></footer>",
        "</body></html>",
    ]
    return "".join(parts)
