"""CSV exports with plain column names, the geography, and England and the council included."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from duckdb import DuckDBPyConnection

PLAIN_NAMES = {
    "area_code": "Area code",
    "area_name": "Area name",
    "area_type": "Area type",
    "vintage": "Ward boundaries",
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator",
    "domain": "Domain",
    "period": "Period",
    "sex": "Sex",
    "age": "Age",
    "unit": "Unit",
    "value_type": "Value type",
    "polarity": "Polarity",
    "value": "Value",
    "lower_ci95": "Lower 95% confidence limit",
    "upper_ci95": "Upper 95% confidence limit",
    "lower_ci998": "Lower 99.8% confidence limit",
    "upper_ci998": "Upper 99.8% confidence limit",
    "count": "Count (numerator)",
    "denominator": "Denominator",
    "england_value": "England value",
    "la_value": "Local authority value",
    "benchmark": "Compared with",
    "benchmark_value": "Benchmark value",
    "comparison": "Comparison with benchmark",
    "comparison_reason": "Why not compared",
    "method": "Method",
    "is_estimate": "Estimate (not pooled counts)",
    "note": "Note",
    "population": "Who is counted",
}
DROP = ["domain_order", "sort_order"]
"""Profile columns (`jsna.schema.PROFILE_COLUMNS`) left out of downloads; the rest are named."""
VINTAGES = {
    "lsoa_2011": "LSOA 2011",
    "lsoa_2021": "LSOA 2021",
    "lsoa_2011_2021": "LSOA 2011 and 2021",
}


MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def period_end(period: str) -> tuple[int, int] | None:
    """The year and month a period ends, read from its label; None if it names no year.

    "Apr 2026" → (2026, 4); "mid-2024" → (2024, 6); "2024/25" (a financial year) → (2025, 3);
    "2023-25" → (2025, 12); "2015/16-2019/20" → (2020, 3); "2021" → (2021, 12).
    """
    text = str(period).strip().lower()
    if m := re.fullmatch(r"mid-(\d{4})", text):
        return int(m.group(1)), 6
    last = re.split(r"\s*-\s*(?=\d{2,4}(?:/\d{2})?$)", text)[-1]
    if m := re.fullmatch(r"([a-z]{3})[a-z]* (\d{4})", last):
        month = MONTHS.get(m.group(1))
        return (int(m.group(2)), month) if month else None
    if m := re.fullmatch(r"(\d{4})/(\d{2})", last):
        return int(m.group(1)[:2] + m.group(2)), 3
    if m := re.fullmatch(r"(\d{2,4})", last):
        year = last if len(last) == 4 else text[:2] + last
        return int(year), 12
    return None


def release_date(periods: Iterable[str]) -> str:
    """The data's release date for file names: the newest period end, as YYYY-MM."""
    ends = [e for e in (period_end(p) for p in periods) if e is not None]
    if not ends:
        return "undated"
    year, month = max(ends)
    return f"{year:04d}-{month:02d}"


def slug(text: str) -> str:
    """A name in lower case with runs of other characters as `_` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "all"


def file_name(place_slug: str, what: str, parts: Iterable[str], date: str, ext: str) -> str:
    """`<place>_<what>_<part>_…_<date>.<ext>`, e.g. `trafford_brief_central_2026-04.html`.

    Every part is in words (an area's name, not its code); repeated words appear once.
    """
    words = [slug(x) for x in (what, *parts) if str(x).strip()]
    return "_".join([place_slug, *dict.fromkeys(words), date]) + f".{ext}"


def _names(la_name: str | None) -> dict[str, str]:
    names = dict(PLAIN_NAMES)
    if la_name:
        names["la_value"] = f"{la_name} value"
    return names


def _vintage_names(ward_sets: Mapping[str, str] | None) -> dict[str, str]:
    return VINTAGES | {k: v[:1].upper() + v[1:] for k, v in (ward_sets or {}).items()}


def plain(
    df: pd.DataFrame, la_name: str | None = None, ward_sets: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Rename profile columns to plain English and drop internal ones.

    `la_name` (the local authority's name) names the `la_value` column when given;
    `ward_sets` maps each ward set id to its name, shown in the boundaries column.
    """
    out = df.drop(columns=[c for c in DROP if c in df.columns])
    if "vintage" in out.columns:
        out["vintage"] = out["vintage"].map(_vintage_names(ward_sets))
    return out.rename(columns=_names(la_name))


def to_csv(
    df: pd.DataFrame, la_name: str | None = None, ward_sets: Mapping[str, str] | None = None
) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read the encoding)."""
    return plain(df, la_name, ward_sets).to_csv(index=False).encode("utf-8-sig")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_csv(
    con: DuckDBPyConnection,
    query: str,
    params: Mapping[str, Any],
    la_name: str | None = None,
    ward_sets: Mapping[str, str] | None = None,
) -> bytes:
    """A query's rows as the same plain CSV as `to_csv`, written by DuckDB (COPY to a temp file).

    For downloads of many rows: no pandas frame is built. The query must return rows that are
    already suppressed (the database's `profile` view is: counts 1 to 4 never reach it).
    """
    # The query is one of jsna/sql/*.sql and every value a parameter; only fixed column
    # names and a temp file's path are spelled into the SQL text.
    probe = f"select * from ({query}\n) where false"  # noqa: S608
    columns = [(d[0], str(d[1])) for d in con.execute(probe, params).description]
    names, vintages = _names(la_name), _vintage_names(ward_sets)
    args = dict(params)
    select = []
    for col, kind in columns:
        if col in DROP:
            continue
        expr = _quoted(col)
        if kind == "BOOLEAN":  # spelled as pandas does, so every download reads alike
            expr = f"case when {expr} then 'True' when not {expr} then 'False' end"
        elif col == "vintage":  # ward set ids in words; anything else blank, as in `plain`
            whens = []
            for i, (key, name) in enumerate(vintages.items()):
                args[f"_v{i}"], args[f"_n{i}"] = key, name
                whens.append(f"when $_v{i} then $_n{i}")
            expr = f"case {expr} {' '.join(whens)} end"
        select.append(f"{expr} as {_quoted(names.get(col, col))}")
    fd, path = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    target = path.replace("'", "''")
    rows = f"select {', '.join(select)} from ({query}\n)"  # noqa: S608
    try:
        con.execute(f"copy ({rows}) to '{target}' (format csv, header)", args)
        with open(path, "rb") as f:
            return "\ufeff".encode() + f.read()
    finally:
        os.unlink(path)
