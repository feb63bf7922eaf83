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
"""Plain names of the profile's columns (`jsna.core.schema.PROFILE_COLUMNS`)."""
OTHER_NAMES = {
    "benchmark_key": "Benchmark chosen",
    "rank": "Rank",
    "of": "Rank out of",
    "decile": "Decile (10 = highest values)",
    "membership": "PCN membership year",
    "list_size": "Registered patients",
    "pct_65_plus": "% aged 65 and over",
    "imd_score": "Deprivation score (IMD)",
    "coverage": "Share of patients with a deprivation score",
    "sub_icb_code": "Sub-ICB code",
    "sub_icb_name": "Sub-ICB",
    "icb_name": "Integrated Care Board",
    "region_name": "NHS region",
    "distance": "Difference from our PCN (0 = identical)",
    "multiplier": "Per",
    "expected": "Expected at the benchmark's rate",
    "excess": "Excess",
    "excess_lower": "Excess, lower 95% limit",
    "excess_upper": "Excess, upper 95% limit",
    "direction": "More or fewer than expected",
    "interval_method": "Interval method",
    "recent_trend": "Recent trend",
    "trend_chi_square": "Recent trend test statistic (chi-square)",
    "trend_reason": "Why no recent trend",
    "neighbourhood_or_pcn": "Neighbourhood or PCN",
    "wards": "Wards",
    "pearson_r": "Correlation (Pearson r)",
    "n_areas": "Number of areas",
    "reference_value": "Reference value",
    "reference": "Reference",
    "relative": "Ratio to the reference",
    "judgement": "Judgement (not tested for significance)",
    "rank_lower": "Rank, 95% interval from",
    "rank_upper": "Rank, 95% interval to",
    "p_decile": "Chance it is in the decile shown",
    "among_peers": "Among areas of its kind (allowing for real variation)",
    "smoothed_value": "Smoothed value",
    "smoothed_lower95": "Smoothed value, lower 95% credible limit",
    "smoothed_upper95": "Smoothed value, upper 95% credible limit",
    "chance_higher": "Probability higher than the benchmark (smoothed), %",
    "higher_than": "Benchmark for that probability",
    "towards": "Average the smoothed value is pulled towards",
    "areas_pooled": "Areas in that average",
}
"""Plain names of the other downloads' columns (Where to act, Trends, PCNs in England,
Compare two indicators, Build your own area, smoothed values): every one in words, none in
snake_case."""
DROP = ["domain_order", "sort_order", "gap", "gap_lower", "gap_upper"]
"""Columns left out of downloads: sort keys, and `gap` (a copy of `excess`)."""
VINTAGES = {
    "lsoa_2011": "LSOA 2011",
    "lsoa_2021": "LSOA 2021",
    "lsoa_2011_2021": "LSOA 2011 and 2021",
}
COMPARISONS = {
    "better": ("Better than", "95%"),
    "best": ("Better than", "99.8%"),
    "similar": ("Similar", ""),
    "worse": ("Worse than", "95%"),
    "worst": ("Worse than", "99.8%"),
    "lower": ("Lower than", "95%"),
    "lowest": ("Lower than", "99.8%"),
    "higher": ("Higher than", "95%"),
    "highest": ("Higher than", "99.8%"),
}
"""The one vocabulary of comparison words in files: "Higher than England (99.8%)", never a
code. Anything else (not compared, a reason) is written as it is, starting with a capital."""
WORDS = {
    "polarity": {
        "low_is_good": "Lower is better",
        "high_is_good": "Higher is better",
        "no_judgement": "Neither higher nor lower is better",
    },
    "area_type": {
        "england": "England",
        "local_authority": "Local authority",
        "peer_group": "Peer councils",
        "neighbourhood": "Neighbourhood",
        "pcn": "Primary Care Network",
        "ward": "Ward",
        "practice": "GP practice",
        "lsoa": "LSOA",
        "sub_icb": "Sub-ICB",
        "icb": "Integrated Care Board",
        "region": "NHS region",
    },
    "benchmark_key": {
        "default": "England (or the council where England has no figure)",
        "england": "England",
        "la": "The council",
        "peers": "Peer councils",
    },
    "judgement": {"worse": "Worse", "better": "Better", "higher": "Higher", "lower": "Lower"},
    "among_peers": {
        "higher": "Unusually high among areas of its kind",
        "lower": "Unusually low among areas of its kind",
        "similar": "Within the usual range for areas of its kind",
        "not compared": "Not compared",
    },
}
VALUE_COLUMNS = [
    "value",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
    "england_value",
    "la_value",
    "benchmark_value",
    "reference_value",
    "smoothed_value",
    "smoothed_lower95",
    "smoothed_upper95",
    "towards",
]
"""Columns in the unit of the row's value: rounded as the app shows that kind of value."""
DECIMALS = {"count": 0, "proportion": 1, "rate": 1, "ratio": 1, "years": 1}
"""Decimal places shown for each value type (`narrative.format_value`); a score shows 2
below 100 and 1 from 100."""
TWO_PLACES = ("pearson_r", "relative", "distance", "RII", "coverage")
"""Other columns shown to 2 decimal places (correlations, ratios); the rest to 1."""
SHORT = re.compile(r"(Better|Worse|Higher|Lower) \((95%|99\.8%)\)")
EXACT = " (exact)"
"""Suffix of the column holding a rounded column's exact value."""


def comparison_words(code: Any, benchmark: Any = None) -> Any:
    """The words for a comparison code: 'highest' against England is 'Higher than England (99.8%)'.

    'similar' is 'Similar', as on screen; anything else (not compared, or already words) is
    kept, with a capital first letter.
    """
    if not isinstance(code, str) or not code:
        return code
    bench = benchmark if isinstance(benchmark, str) and benchmark else "England"
    if code in COMPARISONS:
        word, level = COMPARISONS[code]
        return f"{word} {bench} ({level})" if level else word
    if m := SHORT.fullmatch(code):  # a chart legend's short label: "Higher (99.8%)"
        return f"{m.group(1)} than {bench} ({m.group(2)})"
    return code[:1].upper() + code[1:]


def _places(column: str, value_type: Any, value: float) -> int:
    if column in VALUE_COLUMNS and isinstance(value_type, str):
        if value_type == "score":
            return 2 if abs(value) < 100 else 1
        return DECIMALS.get(value_type, 1)
    return 2 if any(column.startswith(t) for t in TWO_PLACES) else 1


def _rounded(df: pd.DataFrame, column: str) -> pd.Series:
    """A float column as text rounded as shown (no thousands separator; empty if missing)."""
    types = df["value_type"] if "value_type" in df.columns else pd.Series(None, index=df.index)
    return pd.Series(
        [
            "" if pd.isna(v) else f"{v:.{_places(column, t, float(v))}f}"
            for v, t in zip(df[column], types, strict=True)
        ],
        index=df.index,
        dtype=object,
    )


def _whole(s: pd.Series) -> bool:
    v = s.dropna()
    return bool(len(v)) and bool(((v % 1) == 0).all()) and bool((v.abs() < 2**53).all())


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

    Every part is in words (an area's name, not its code); repeated words appear once, and
    a part that is the place itself is not repeated after it.
    """
    words = [w for w in (slug(x) for x in (what, *parts) if str(x).strip()) if w != place_slug]
    return "_".join([place_slug, *dict.fromkeys(words), date]) + f".{ext}"


def _names(la_name: str | None) -> dict[str, str]:
    names = PLAIN_NAMES | OTHER_NAMES
    if la_name:
        names["la_value"] = f"{la_name} value"
    return names


def _vintage_names(ward_sets: Mapping[str, str] | None) -> dict[str, str]:
    return VINTAGES | {k: v[:1].upper() + v[1:] for k, v in (ward_sets or {}).items()}


def plain(
    df: pd.DataFrame,
    la_name: str | None = None,
    ward_sets: Mapping[str, str] | None = None,
    context: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A frame as an analyst files it: plain names, words not codes, values rounded as shown.

    Every float column is written rounded as the app shows it (1 decimal place for rates and
    percentages, none for counts, 2 for scores under 100 and for correlations), and again,
    exact, in a column named "<name> (exact)" at the end; whole numbers are written as
    integers. Comparisons are in the one vocabulary ("Higher than England (99.8%)").
    `la_name` names the `la_value` column; `ward_sets` maps each ward set id to its name;
    `context` ("Area", "Indicator", "Period" and their values) is put first for any of the
    three the frame does not already say.
    """
    out = df.drop(columns=[c for c in DROP if c in df.columns]).reset_index(drop=True)
    if "vintage" in out.columns:
        out["vintage"] = out["vintage"].map(_vintage_names(ward_sets))
    named = [c for c in ("benchmark", "Compared with") if c in out.columns]
    bench = out[named[0]] if named else pd.Series(None, index=out.index)
    for col in ("comparison", "Comparison with benchmark"):
        if col in out.columns:
            out[col] = [comparison_words(c, b) for c, b in zip(out[col], bench, strict=True)]
    for col, words in WORDS.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
    exact: dict[str, pd.Series] = {}
    for col in list(out.columns):
        s = out[col]
        if s.dtype == bool or not pd.api.types.is_numeric_dtype(s):
            continue
        if col in VALUE_COLUMNS and "value_type" in out.columns:
            exact[col] = s.astype(float)
            out[col] = _rounded(out, col)
            continue
        if _whole(s) or s.isna().all():
            out[col] = s.astype("Int64") if not s.isna().all() else s
            continue
        if pd.api.types.is_float_dtype(s):
            exact[col] = s
            out[col] = _rounded(out, col)
    names = _names(la_name)
    for col, s in exact.items():
        out[f"{names.get(col, col)}{EXACT}"] = s
    out = out.rename(columns=names)
    have = {
        "Area": {"Area name", "Area", "Practice"},
        "Indicator": {"Indicator", "Indicator ID"},
        "Period": {"Period"},
    }
    front = [
        (k, v) for k, v in (context or {}).items() if v and not have.get(k, {k}) & set(out.columns)
    ]
    for i, (k, v) in enumerate(front):
        out.insert(i, k, v)
    return out


def to_csv(
    df: pd.DataFrame,
    la_name: str | None = None,
    ward_sets: Mapping[str, str] | None = None,
    context: Mapping[str, str] | None = None,
) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read the encoding)."""
    return plain(df, la_name, ward_sets, context).to_csv(index=False).encode("utf-8-sig")


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
    # The query is one of jsna/app/sql/*.sql and every value a parameter; only fixed column
    # names and a temp file's path are spelled into the SQL text.
    probe = f"select * from ({query}\n) where false"  # noqa: S608
    columns = [(d[0], str(d[1])) for d in con.execute(probe, params).description]
    kinds = dict(columns)
    doubles = [c for c, k in columns if k in ("DOUBLE", "FLOAT") and c not in DROP]
    by_type = "value_type" in kinds  # value columns are then rounded by each row's type
    others = [c for c in doubles if c not in VALUE_COLUMNS or not by_type]
    whole: dict[str, bool] = {}
    if others:  # as `plain`: a float column of whole numbers only is written as integers
        tests = ", ".join(
            f"coalesce(bool_and({_quoted(c)} = round({_quoted(c)})), true)" for c in others
        )
        found = con.execute(f"select {tests} from ({query}\n)", params).fetchone()  # noqa: S608
        whole = dict(zip(others, found or [True] * len(others), strict=True))
    names, vintages = _names(la_name), _vintage_names(ward_sets)
    args = dict(params)

    def param(value: str) -> str:
        key = f"_p{len(args)}"
        args[key] = value
        return f"${key}"

    select, exact = [], []
    for col, kind in columns:
        if col in DROP:
            continue
        expr = _quoted(col)
        if kind == "BOOLEAN":  # spelled as pandas does, so every download reads alike
            expr = f"case when {expr} then 'True' when not {expr} then 'False' end"
        elif col == "vintage":  # ward set ids in words; anything else blank, as in `plain`
            whens = [f"when {param(k)} then {param(v)}" for k, v in vintages.items()]
            expr = f"case {expr} {' '.join(whens)} end"
        elif col == "comparison":
            bench = (
                "coalesce(nullif(\"benchmark\", ''), 'England')"
                if "benchmark" in kinds
                else "'England'"
            )
            whens = [
                f"when {param(code)} then {param(word)}"
                + (f" || ' ' || {bench} || {param(f' ({level})')}" if level else "")
                for code, (word, level) in COMPARISONS.items()
            ]
            expr = f"case {expr} {' '.join(whens)} else upper(left({expr}, 1)) || {expr}[2:] end"
        elif col in WORDS:
            whens = [f"when {param(k)} then {param(v)}" for k, v in WORDS[col].items()]
            expr = f"case {expr} {' '.join(whens)} else {expr} end"
        elif col in doubles and whole.get(col):
            expr = f"cast({expr} as bigint)"
        elif col in doubles:
            exact.append(f"{expr} as {_quoted(names.get(col, col) + EXACT)}")
            if col in VALUE_COLUMNS and by_type:
                expr = (
                    f"case when {expr} is null then null "
                    f"when value_type = 'count' then printf('%.0f', {expr}) "
                    f"when value_type = 'score' and abs({expr}) < 100 then printf('%.2f', {expr}) "
                    f"else printf('%.1f', {expr}) end"
                )
            else:
                places = 2 if any(col.startswith(t) for t in TWO_PLACES) else 1
                expr = f"printf('%.{places}f', {expr})"
        select.append(f"{expr} as {_quoted(names.get(col, col))}")
    select += exact
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
