"""A self-contained HTML brief for one area: opens offline and prints cleanly to PDF.

Everything the brief needs is inside the file: styles, the plotly.js library (once) and the
figures' data, so it can be emailed, archived and opened with no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from jsna import narrative, tables

CAVEATS = [
    "Neighbourhood and PCN values are computed by pooling the counts and denominators of "
    "their wards or practices and recomputing the value and its confidence interval; rates "
    "are never averaged, except for indicators marked 'estimate' (below).",
    "Indicators marked 'estimate' exist only as published ward values without counts; their "
    "neighbourhood figures are population-weighted averages and are not tested for "
    "significance.",
    "Two ward sets are used, depending on the data: the wards of 2004 to May 2023 (Census 2021 "
    "and Local Health) and the wards from May 2023 (recent population and deprivation). The "
    "neighbourhood footprints differ slightly between them.",
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
th, td { border: 1px solid #ccc; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
li { margin-bottom: .25rem; }
.section, .chart, tr { page-break-inside: avoid; break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; }
               a { color: inherit; text-decoration: none; } }
"""


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
    map_figure: go.Figure
    indicators: pd.DataFrame
    attribution: str
    la_name: str = "Local authority"


def _list(items: list[str]) -> str:
    if not items:
        return "<p>None.</p>"
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _table(df: pd.DataFrame) -> str:
    if df.empty:
        return "<p>No indicators.</p>"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(fig: go.Figure, div_id: str) -> str:
    html: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "staticPlot": False},
    )
    return f'<div class="chart">{html}</div>'


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
    return _table(pd.DataFrame(rows))


def render(inputs: BriefInputs) -> str:
    """The brief as one HTML document (UTF-8 text)."""
    p = inputs.profile
    findings = narrative.headline_findings(p, limit=12)
    every = narrative.summary(p)
    table = tables.profile_table(p, inputs.la_name)
    title = f"{inputs.area_name}: neighbourhood health brief"
    parts: list[Any] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{STYLE}</style>",
        f"<script>{get_plotlyjs()}</script></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='meta'>{escape(inputs.area_kind)} · compared with "
        f"{escape(inputs.benchmark_phrase)} at 95% and 99.8% confidence · data built "
        f"{escape(inputs.built_at)}</p>",
        "<div class='section'><h2>Summary</h2>",
        _list(findings)
        if findings
        else "<p>No indicator differs significantly from its benchmark.</p>",
        "</div><div class='section'><h2>Where to act</h2>",
        "<p>Indicators significantly worse than the benchmark, ranked by the number of people "
        "affected beyond what the benchmark's rate would give.</p>",
        _list(inputs.triage),
        "</div><h2>Spine chart</h2>",
        _figure(inputs.spine, "spine"),
        "<h2>Map</h2>",
        _figure(inputs.map_figure, "map"),
        "<h2>Every indicator</h2>",
        _table(table),
        "<h2>Every indicator in words</h2>",
        _list(every),
        "<h2>Definitions and sources</h2>",
        _definitions(p, inputs.indicators),
        "<div class='section'><h2>Caveats</h2>",
        _list(CAVEATS),
        "</div>",
        f"<p class='meta'>{escape(inputs.attribution)}</p>",
        "</body></html>",
    ]
    return "".join(parts)
