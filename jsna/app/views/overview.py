"""The overview grid: every indicator (rows) by every area (columns), a shape and colour per cell.

Pure functions (no Streamlit): DataFrames in, DataFrames and HTML strings out. The comparison
colours and words are `jsna.app.charts`' (`SCHEMES`, `LABELS`), so every page agrees.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from jsna.app.charts import LABELS, LEGEND_ORDER, SCHEMES, SUPPRESSED, category
from jsna.app.narrative import format_value
from jsna.core.stats import Comparison

# --------------------------------------------------------------------------- colour and symbol
SYMBOLS: dict[str, str] = {
    Comparison.BEST: "▲▲",
    Comparison.BETTER: "▲",
    Comparison.SIMILAR: "●",
    Comparison.WORSE: "▼",
    Comparison.WORST: "▼▼",
    Comparison.LOWEST: "↓↓",
    Comparison.LOWER: "↓",
    Comparison.HIGHER: "↑",
    Comparison.HIGHEST: "↑↑",
    Comparison.NOT_COMPARED: "○",
    SUPPRESSED: "∗",
}
"""A shape per comparison, so colour is never the only cue."""


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    h = hex_colour.lstrip("#")
    chans = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two '#rrggbb' colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill`."""
    return (
        "#000000"
        if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#ffffff")
        else ("#ffffff")
    )


def short_value(value: Any, value_type: str) -> str:
    """A value for a grid cell, without its unit (the row names the unit)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    v = float(value)
    if value_type == "count":
        return f"{v:,.0f}"
    if value_type == "score":
        return f"{v:.2f}" if abs(v) < 100 else f"{v:,.1f}"
    return f"{v:,.1f}"


# --------------------------------------------------------------------------- overview grid
OVERVIEW_SORTS = {
    "domain": "Domain, in profile order",
    "name": "Domain, then indicator name A–Z",
    "worse": "Domain, then most 'worse' cells first",
}
"""Row orders the overview offers (key: label)."""

_WORSE = {Comparison.WORSE.value, Comparison.WORST.value}


def overview_cells(values: pd.DataFrame) -> pd.DataFrame:
    """One row per cell of the overview grid, in display order (this is also the CSV).

    Args:
        values: rows of `overview_values` (areas already in column order by ``area_order``).

    Returns:
        Columns: row label, indicator id, domain, period, unit, area code/name/type, the value,
        its 95% interval, count and denominator, benchmark, comparison category and words.
    """
    if values.empty:
        return pd.DataFrame()
    df = values.copy()
    df["category"] = [category(r) for r in df.to_dict("records")]
    sex = df["sex"].fillna("Persons")
    df["row_label"] = df["indicator_name"] + np.where(sex == "Persons", "", " (" + sex + ")")
    df["comparison_words"] = [
        "Suppressed (small number)"
        if c == SUPPRESSED
        else (f"Not compared: {r}" if c == Comparison.NOT_COMPARED and r else LABELS[Comparison(c)])
        for c, r in zip(df["category"], df["comparison_reason"].fillna(""), strict=True)
    ]
    cols = [
        "domain",
        "row_label",
        "indicator_id",
        "sex",
        "period",
        "unit",
        "value_type",
        "polarity",
        "area_code",
        "area_name",
        "area_type",
        "vintage",
        "value",
        "lower_ci95",
        "upper_ci95",
        "count",
        "denominator",
        "benchmark",
        "benchmark_value",
        "category",
        "comparison_words",
        "is_estimate",
        "domain_order",
        "sort_order",
        "area_order",
    ]
    return df[cols].reset_index(drop=True)


def overview_rows(cells: pd.DataFrame, sort: str = "domain") -> list[tuple[str, str]]:
    """(domain, row label) pairs in the chosen order."""
    if cells.empty:
        return []
    rows = cells.drop_duplicates("row_label")[["domain", "row_label", "domain_order", "sort_order"]]
    worse = cells.assign(w=cells["category"].isin(_WORSE)).groupby("row_label")["w"].sum()
    rows = rows.assign(worse=rows["row_label"].map(worse).fillna(0))
    by = {
        "domain": (["domain_order", "sort_order"], [True, True]),
        "name": (["domain_order", "row_label"], [True, True]),
        "worse": (["domain_order", "worse", "sort_order"], [True, False, True]),
    }[sort if sort in OVERVIEW_SORTS else "domain"]
    rows = rows.sort_values(by[0], ascending=by[1], kind="stable")
    return list(zip(rows["domain"], rows["row_label"], strict=True))


def overview_columns(
    cells: pd.DataFrame, vintages: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The grid's columns (areas) in order, with a unique header for each.

    `vintages` maps a ward set id to its short name ("from 2023"), which tells apart two wards
    of the same name.
    """
    rank = {"england": 0, "local_authority": 1, "neighbourhood": 2, "pcn": 3, "ward": 4}
    cols = cells.drop_duplicates("area_code")
    cols = cols.assign(_rank=cols["area_type"].map(rank).fillna(5))
    cols = cols.sort_values(["_rank", "vintage", "area_order"], kind="stable")
    cols = cols[["area_code", "area_name", "area_type", "vintage"]].reset_index(drop=True)
    short = dict(vintages or {})
    vint = cols["vintage"].map(lambda v: f"wards {short.get(v, v)}" if isinstance(v, str) else v)
    vint = vint.where(cols["area_type"] == "ward")
    kind = cols["area_type"].map({"pcn": "PCN", "neighbourhood": "neighbourhood"})
    suffix = vint.fillna(kind).fillna("")
    dup = cols["area_name"].duplicated(keep=False)
    cols["header"] = np.where(
        (suffix != "") & dup, cols["area_name"] + " (" + suffix + ")", cols["area_name"]
    )
    cols["header"] = np.where(
        cols["header"].duplicated(keep=False),
        cols["header"] + " " + cols["area_code"],
        cols["header"],
    )
    return cols


_GROUP_NAMES = {
    "england": "",
    "local_authority": "",
    "neighbourhood": "Neighbourhoods",
    "pcn": "Primary Care Networks",
}

_CSS = """
<style>
.ov-wrap {max-height: 78vh; overflow: auto; border: 1px solid #b1b4b6;}
.ov {border-collapse: separate; border-spacing: 0; font: 13px Arial, Helvetica, sans-serif;
     color: #0b0c0c;}
.ov th, .ov td {border-bottom: 1px solid #ffffff; border-right: 1px solid #ffffff;
     padding: 3px 5px;}
.ov thead {position: sticky; top: 0; z-index: 2;}
.ov thead th {background: #f3f2f1; vertical-align: bottom; text-align: center; min-width: 72px;
     max-width: 110px; white-space: normal; overflow-wrap: normal; word-break: normal;
     hyphens: manual; font-weight: bold; border-bottom: 2px solid #505a5f;}
.ov thead tr.ov-groups th {border-bottom: 1px solid #505a5f; font-weight: normal;
     font-style: italic;}
.ov thead th a {color: #1d70b8;}
.ov th.ov-ind {position: sticky; left: 0; z-index: 1; background: #ffffff; text-align: left;
     font-weight: normal; min-width: 210px; max-width: 280px; white-space: normal;
     border-right: 2px solid #505a5f;}
.ov thead th.ov-ind {z-index: 3; background: #f3f2f1;}
.ov tr.ov-domain th {position: sticky; left: 0; background: #dee0e2; text-align: left;
     font-weight: bold; padding-top: 6px;}
.ov td {text-align: center; white-space: nowrap; min-width: 64px;}
.ov td a {color: inherit; text-decoration: none; display: block;}
.ov td a:focus, .ov td a:hover {outline: 3px solid #ffdd00; text-decoration: underline;}
.ov .ov-sym {font-size: 11px; margin-left: 2px;}
.ov .ov-unit {color: #505a5f; font-size: 12px;}
@media (max-width: 640px) {.ov th.ov-ind {min-width: 130px;} .ov-wrap {max-height: 70vh;}}
.ov-legend {display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 6px 0 10px 0;
     font: 13px Arial, Helvetica, sans-serif; color: #0b0c0c;}
.ov-legend span.sw {display: inline-block; min-width: 30px; padding: 1px 4px;
     text-align: center; margin-right: 4px; border: 1px solid #505a5f;}
</style>
"""


def overview_legend_html(scheme: str = "fingertips") -> str:
    """The colour, symbol and word for every comparison, as an HTML strip."""
    colours = SCHEMES[scheme]
    items = []
    for cat in LEGEND_ORDER:
        fill = colours[cat]
        items.append(
            f'<span role="listitem"><span class="sw" '
            f'style="background:{fill};color:{text_colour(fill)}">'
            f"{SYMBOLS[cat]}</span>{html.escape(LABELS[cat])}</span>"
        )
    return f'{_CSS}<div class="ov-legend" role="list">{"".join(items)}</div>'


def profile_href(area_code: str, params: Mapping[str, str]) -> str:
    """The area profile page's URL for an area, keeping the benchmark and colours."""
    return "Area_profile?" + urlencode({"area": area_code, **params})


def overview_html(
    cells: pd.DataFrame,
    scheme: str = "fingertips",
    sort: str = "domain",
    link_params: Mapping[str, str] | None = None,
    vintages: Mapping[str, str] | None = None,
) -> str:
    """The overview ("tartan rug") as an accessible HTML table.

    Rows are indicators grouped by domain; columns are areas. Each cell shows the value on a
    fill coloured by its comparison, with a symbol for the comparison and black or white text
    (whichever contrasts more). Each cell and column header links to that area's profile.

    Args:
        cells: output of `overview_cells`.
        scheme: 'fingertips' or 'colour_blind'.
        sort: a key of `OVERVIEW_SORTS`.
        link_params: query parameters every profile link keeps (benchmark, colours).
        vintages: ward set id -> short name, heading the ward columns.
    """
    if cells.empty:
        return "<p>No indicators to show.</p>"
    colours = SCHEMES[scheme]
    params = dict(link_params or {})
    cols = overview_columns(cells, vintages)
    by_cell = {(r["row_label"], r["area_code"]): r for r in cells.to_dict("records")}
    meta = cells.drop_duplicates("row_label").set_index("row_label")
    groups = cols["area_type"].map(_GROUP_NAMES).fillna("")
    short = dict(vintages or {})
    ward_vintage = cols["vintage"].map(
        lambda v: f"Wards ({short.get(v, v)})" if isinstance(v, str) else v
    )
    groups = groups.where(cols["area_type"] != "ward", ward_vintage.fillna("Wards"))
    spans: list[tuple[str, int]] = []
    for g in map(str, groups):
        if spans and spans[-1][0] == g:
            spans[-1] = (g, spans[-1][1] + 1)
        else:
            spans.append((g, 1))
    group_row = '<th class="ov-ind" scope="col"></th>' + "".join(
        f'<th scope="colgroup" colspan="{n}">{html.escape(str(g))}</th>' for g, n in spans
    )
    head = ['<th class="ov-ind" scope="col">Indicator (unit, period)</th>']
    for c in cols.to_dict("records"):
        name = html.escape(c["header"])
        if c["area_type"] in ("neighbourhood", "pcn", "ward"):
            link = html.escape(profile_href(c["area_code"], params))
            head.append(
                f'<th scope="col"><a href="{link}" target="_self" '
                f'title="Open the profile of {name}">{name}</a></th>'
            )
        else:
            head.append(f'<th scope="col">{name}</th>')
    body = []
    current = None
    ncols = len(cols) + 1
    col_rows = cols.to_dict("records")
    for domain, label in overview_rows(cells, sort):
        if domain != current:
            current = domain
            body.append(
                f'<tr class="ov-domain"><th colspan="{ncols}" scope="colgroup">'
                f"{html.escape(str(domain))}</th></tr>"
            )
        m = meta.loc[label]
        est = " (estimate)" if bool(m["is_estimate"]) else ""
        row = [
            f'<th class="ov-ind" scope="row">{html.escape(label)}{est} '
            f'<span class="ov-unit">({html.escape(str(m["unit"]))}, '
            f"{html.escape(str(m['period']))})</span></th>"
        ]
        for c in col_rows:
            r = by_cell.get((label, c["area_code"]))
            if r is None:
                row.append('<td style="background:#ffffff" aria-label="no figure"></td>')
                continue
            cat = r["category"]
            fill = colours[cat]
            ink = text_colour(fill)
            shown = short_value(r["value"], r["value_type"])
            if not shown:
                shown = "supp." if cat == SUPPRESSED else "n/a"
            words = f"{r['comparison_words']}" + (
                f" compared with {r['benchmark']}"
                if r["benchmark"] and cat not in (SUPPRESSED, Comparison.NOT_COMPARED)
                else ""
            )
            full = format_value(r["value"], r["value_type"], r["unit"])
            title = html.escape(f"{c['header']}, {label}: {full}. {words}.")
            inner = (
                f'{html.escape(shown)}<span class="ov-sym" aria-hidden="true">{SYMBOLS[cat]}</span>'
            )
            if c["area_type"] in ("neighbourhood", "pcn", "ward"):
                link = html.escape(profile_href(c["area_code"], params))
                inner = f'<a href="{link}" target="_self" title="{title}">{inner}</a>'
            row.append(
                f'<td style="background:{fill};color:{ink}" title="{title}" '
                f'aria-label="{title}">{inner}</td>'
            )
        body.append(f"<tr>{''.join(row)}</tr>")
    return (
        f'{_CSS}<div class="ov-wrap" tabindex="0" role="region" '
        f'aria-label="Overview of every indicator by area"><table class="ov">'
        f'<thead><tr class="ov-groups">{group_row}</tr><tr>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def overview_download(cells: pd.DataFrame, sort: str = "domain") -> pd.DataFrame:
    """Exactly the cells the grid shows, in its row and column order, with plain names."""
    if cells.empty:
        return cells
    order = {label: i for i, (_, label) in enumerate(overview_rows(cells, sort))}
    columns = {c: i for i, c in enumerate(overview_columns(cells)["area_code"])}
    out = cells.assign(_r=cells["row_label"].map(order), _c=cells["area_code"].map(columns))
    out = out.sort_values(["_r", "_c"], kind="stable")
    keep = {
        "domain": "domain",
        "row_label": "indicator_name",
        "indicator_id": "indicator_id",
        "sex": "sex",
        "period": "period",
        "unit": "unit",
        "value_type": "value_type",  # so each value is rounded as its kind is shown
        "area_code": "area_code",
        "area_name": "area_name",
        "area_type": "area_type",
        "vintage": "vintage",
        "value": "value",
        "lower_ci95": "lower_ci95",
        "upper_ci95": "upper_ci95",
        "count": "count",
        "denominator": "denominator",
        "benchmark": "benchmark",
        "benchmark_value": "benchmark_value",
        "comparison_words": "comparison",
    }
    return out[list(keep)].rename(columns=keep).reset_index(drop=True)
