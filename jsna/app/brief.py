"""A one-page HTML brief for one area: opens offline and prints on one sheet of A4.

Page one is for a board: the headline findings in plain words (significant differences,
health first, each against its named benchmark), where to act, a map of the area and a short
spine chart. Everything else (every indicator, definitions, caveats) sits in an appendix that
is folded away and is not printed unless it is opened. Everything the brief needs is inside
the file: styles, the map and the spine chart as inline SVG, no script, so it can be emailed,
archived and opened with no network. It has header, nav and main landmarks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from jsna.app import tables
from jsna.app.charts import SCHEMES, category, comparison_words, spine_positions
from jsna.app.narrative import SIGNIFICANT, format_value
from jsna.app.svg import spine_svg
from jsna.core.stats import Comparison

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
]
QOF = "Quality and Outcomes Framework"
HEADLINES = 6
"""Most headline findings on page one (the rest are counted, and listed in the appendix)."""
ACTIONS = 3
"""Most 'where to act' lines on page one."""
SPINE_ROWS = 8
"""Most rows of the short spine chart."""
HEALTH_FROM = 2
"""Domains with this `domain_order` or more are health (before demographics and deprivation)."""
# Comparison order within the health-first ordering: 99.8% before 95%, worse before better.
RANK = {
    Comparison.WORST: 0,
    Comparison.HIGHEST: 1,
    Comparison.LOWEST: 1,
    Comparison.WORSE: 2,
    Comparison.HIGHER: 3,
    Comparison.LOWER: 3,
    Comparison.BEST: 4,
    Comparison.BETTER: 5,
}

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 1.5rem auto;
       -webkit-print-color-adjust: exact; print-color-adjust: exact;
       max-width: 1050px; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { border-bottom: 2px solid #005eb8; padding-bottom: .15rem; margin: 1.1rem 0 .4rem;
     font-size: 1.15rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: #505a5f; font-size: .9rem; margin: .15rem 0; }
ul { margin: .2rem 0; padding-left: 1.2rem; } li { margin-bottom: .2rem; }
nav ol { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; list-style: none; padding: 0;
         margin: .5rem 0; }
nav a, summary { color: #005eb8; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; }
@media (max-width: 700px) { .pair { grid-template-columns: minmax(0, 1fr); } }
.map svg { width: 100%; max-width: 480px; height: auto; display: block; }
.map figcaption, .legend, .note { font-size: .8rem; color: #505a5f; }
.map figure { margin: 0; }
.legend { list-style: none; padding: 0; margin: .3rem 0 0; }
.key { display: inline-block; width: 11px; height: 11px; border: 1px solid #333;
       vertical-align: middle; margin-right: 4px; }
.dot { border-radius: 50%; }
table { border-collapse: collapse; width: 100%; font-size: .8rem; }
.scroll { overflow-x: auto; } .scroll:focus { outline: 3px solid #ffdd00; }
th, td { border: 1px solid #ccc; padding: 2px 4px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
table.spine td { vertical-align: middle; }
table.spine svg { display: block; width: 160px; height: 14px; }
@media (max-width: 700px) { table.spine svg { width: 90px; } }
details { margin-top: .4rem; } summary { cursor: pointer; font-weight: bold; }
@page { size: A4 portrait; margin: 12mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; } h2 { font-size: 11pt; margin-top: 3mm; }
  nav { display: none; }
  .pair { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  .map svg { max-width: 100%; max-height: 80mm; }
  footer .meta { font-size: 7pt; }
  table { font-size: 7.5pt; } .scroll { overflow: visible; }
  tr, li, figure { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  /* The appendix is printed only when a reader has opened it, and then on its own pages. */
  .appendix:has(details:not([open])) { display: none; }
  .appendix { break-before: page; page-break-before: always; }
}
"""


@dataclass(frozen=True)
class BriefInputs:
    """What one brief is made of (all prepared by the caller from the database)."""

    area_name: str
    area_kind: str
    benchmark_phrase: str
    data_date: str
    built_at: str
    profile: pd.DataFrame
    triage: list[str]
    spread: pd.DataFrame
    map_svg: str
    indicators: pd.DataFrame
    attribution: str
    place_name: str = "the council"
    la_name: str = "Local authority"
    footprints: tuple[str, ...] = ()
    ward_set_caveat: tuple[str, ...] = ()
    scheme: str = "fingertips"
    area_words: str = "areas of this kind"


def _list(items: Sequence[str]) -> str:
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


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _name(r: Mapping[Any, Any]) -> str:
    return str(r["indicator_name"]) + (
        "" if r.get("sex") in (None, "Persons") else f" ({r['sex']})"
    )


def significant(profile: pd.DataFrame) -> pd.DataFrame:
    """Significant differences, health first, then the strongest (99.8%, worse) first.

    Health is every domain from `HEALTH_FROM` on (child health, disease, GP registers, life
    expectancy, primary care); demographics and deprivation follow. Suppressed rows never count.
    """
    if profile.empty:
        return profile
    sig = profile[profile["comparison"].isin([c.value for c in SIGNIFICANT])]
    kept = [category(r) != "suppressed" for r in sig.to_dict("records")]
    sig = sig[pd.Series(kept, index=sig.index, dtype=bool)]
    keys = pd.DataFrame(
        {
            "_health": (sig["domain_order"] < HEALTH_FROM).astype(int),
            "_rank": sig["comparison"].map(lambda c: RANK[Comparison(c)]),
            "_domain": sig["domain_order"],
            "_sort": sig["sort_order"],
        },
        index=sig.index,
    )
    order = keys.sort_values(["_health", "_rank", "_domain", "_sort"], kind="stable").index
    return sig.loc[order]


def finding(r: Mapping[Any, Any]) -> str:
    """One headline in plain words: value, the benchmark's value, and the comparison words.

    E.g. "Depression (18+): recorded prevalence: 16.8% against England's 13.2%. Higher than
    England (99.8%)."
    """
    vt, unit = str(r["value_type"]), str(r.get("unit") or "")
    bench = str(r.get("benchmark") or "England")
    words = comparison_words(category(r), bench)
    return (
        f"{_name(r)}: {format_value(r['value'], vt, unit)} against {bench}'s "
        f"{format_value(r['benchmark_value'], vt, unit)}. {words}."
    )


def headline(profile: pd.DataFrame, limit: int = HEADLINES) -> list[str]:
    """Page one's findings: the first `limit` significant differences, and a count of the rest."""
    sig = significant(profile)
    lines = [finding(r) for r in sig.head(limit).to_dict("records")]
    if len(sig) > limit:
        lines.append(
            f"And {len(sig) - limit} more significant differences, listed in the appendix."
        )
    return lines


def no_findings(profile: pd.DataFrame) -> str:
    """What page one says when nothing differs: how many indicators could be compared at all.

    'No data' and 'not compared' never read as 'no difference'.
    """
    compared = profile["comparison"].isin(
        [c.value for c in Comparison if c is not Comparison.NOT_COMPARED]
    )
    n, total = int(compared.sum()), len(profile)
    if n == 0:
        return (
            f"None of the {total} indicators for this area can be compared with a benchmark "
            "(no benchmark figure or no confidence interval), so no difference can be shown."
        )
    return (
        f"None of the {n} indicators that could be compared differs significantly from its "
        f"benchmark; {total - n} of {total} could not be compared."
    )


def short_spine(
    profile: pd.DataFrame,
    spread: pd.DataFrame,
    area_words: str,
    scheme: str = "fingertips",
    rows: int = SPINE_ROWS,
) -> str:
    """The short spine chart: the headline indicators as a table with a small bar on each row.

    The numbers and words are in the table's cells, so the drawing adds the picture only.
    """
    colours = SCHEMES.get(scheme, SCHEMES["fingertips"])
    by = {(r["indicator_id"], r["sex"]): r for r in spread.to_dict("records")}
    out = []
    for r in significant(profile).to_dict("records"):
        sp = by.get((r["indicator_id"], r["sex"]))
        pos = spine_positions(r, sp) if sp else None
        if pos is None:
            continue
        cat = category(r)
        vt, unit = str(r["value_type"]), str(r.get("unit") or "")
        bench = str(r.get("benchmark") or "England")
        out.append(
            f"<tr><td>{escape(_name(r))}</td>"
            f"<td>{escape(format_value(r['value'], vt, unit))}</td>"
            f"<td>{escape(bench)} {escape(format_value(r['benchmark_value'], vt, unit))}</td>"
            f"<td>{escape(comparison_words(cat, bench))}</td>"
            f"<td>{spine_svg(pos, cat, colours[cat])}</td></tr>"
        )
        if len(out) == rows:
            break
    if not out:
        return "<p>No significant difference to draw.</p>"
    return (
        '<div class="scroll" role="region" tabindex="0" aria-label="Short spine chart">'
        '<table class="spine"><thead><tr>'
        "<th>Indicator</th><th>Value</th><th>Benchmark</th><th>Comparison</th><th>Spread</th>"
        "</tr></thead><tbody>" + "".join(out) + "</tbody></table></div>"
        f'<p class="note">Grey bar: the range of {escape(area_words)}, darkest at the worse (or '
        "lower) end. Red line: the benchmark. Marker: this area, better to the right (triangle "
        "up better, down worse; diamond higher, square lower where high is neither good nor "
        "bad).</p>"
    )


def qof_caveat(profile: pd.DataFrame, indicators: pd.DataFrame) -> list[str]:
    """Which year the GP register (QOF) figures in this brief are for, read from the data."""
    ids = set(profile["indicator_id"])
    qof = indicators[
        indicators["indicator_id"].isin(ids)
        & indicators["publisher"].fillna("").str.contains(QOF, regex=False)
    ]
    if qof.empty:
        return []
    years = ", ".join(sorted(set(qof["period"].astype(str))))
    return [
        f"GP register figures ({QOF}) are for {years}, as published by NHS England; "
        "they count registered patients, not residents."
    ]


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
                "Licence": m["licence"],
            }
        )
    return _table(pd.DataFrame(rows), "Definitions and sources table")


def render(inputs: BriefInputs) -> str:
    """The brief as one HTML document (UTF-8 text)."""
    p = inputs.profile
    findings = headline(p)
    title = f"{inputs.area_name}: health brief"
    front: list[tuple[str, str, str]] = [
        (
            "findings",
            "Headline findings",
            (_list(findings) if findings else f"<p>{escape(no_findings(p))}</p>"),
        ),
        (
            "act",
            "Where to act",
            "<p class='note'>Significantly worse than the benchmark, largest first by the "
            "number of people beyond what the benchmark's rate would give.</p>"
            + (
                _list(inputs.triage[:ACTIONS])
                if inputs.triage
                else "<p>No indicator is significantly worse than its benchmark.</p>"
            ),
        ),
    ]
    caveats = [
        *CAVEATS[:2],
        *inputs.ward_set_caveat,
        *qof_caveat(p, inputs.indicators),
        *CAVEATS[2:],
    ]
    appendix = (
        '<section id="appendix" class="appendix" aria-labelledby="appendix-h">'
        '<h2 id="appendix-h">Appendix</h2><details><summary>Every indicator, definitions and '
        "caveats (printed only when opened)</summary>"
        "<h3>Every indicator</h3>"
        + _table(tables.profile_table(p, inputs.la_name), "Every indicator table")
        + "<h3>Definitions and sources</h3>"
        + _definitions(p, inputs.indicators)
        + "<h3>Caveats</h3>"
        + _list(caveats)
        + "</details></section>"
    )
    sections = "".join(
        f'<section id="{i}" aria-labelledby="{i}-h"><h2 id="{i}-h">{escape(h)}</h2>{body}</section>'
        for i, h, body in front
    )
    top = (
        f'<div class="pair"><div>{sections}</div>'
        '<section id="map" aria-labelledby="map-h"><h2 id="map-h">Map</h2>'
        f"{inputs.map_svg}</section></div>"
    )
    spine = (
        '<section id="spine" aria-labelledby="spine-h"><h2 id="spine-h">Spine chart</h2>'
        + short_spine(p, inputs.spread, inputs.area_words, inputs.scheme)
        + "</section>"
    )
    nav_items = [(i, h) for i, h, _ in front] + [
        ("map", "Map"),
        ("spine", "Spine chart"),
        ("appendix", "Appendix"),
    ]
    nav = "".join(f'<li><a href="#{i}">{escape(h)}</a></li>' for i, h in nav_items)
    who = (
        f"<p class='meta'>Who is counted: {escape('; '.join(inputs.footprints))}.</p>"
        if inputs.footprints
        else ""
    )
    return "".join(
        [
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            f"<header><h1>{escape(title)}</h1>",
            f"<p class='meta'>{escape(inputs.area_kind)} in {escape(inputs.place_name)} · "
            f"compared with {escape(inputs.benchmark_phrase)} · data up to "
            f"{escape(inputs.data_date)} · built {escape(inputs.built_at)}</p>{who}</header>",
            f"<nav aria-label='Sections of this brief'><ol>{nav}</ol></nav><main>",
            top,
            spine,
            appendix,
            f"</main><footer><p class='meta'>{escape(inputs.attribution)}</p></footer>",
            "</body></html>",
        ]
    )
