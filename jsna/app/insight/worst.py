"""The worst area per indicator (polarity-aware), and whether it is significantly worse."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jsna.app.insight.common import WORSE, sex_suffix
from jsna.app.narrative import format_value
from jsna.app.tables import comparison_label
from jsna.core.stats import Comparison, Polarity


def _worse_than(row: dict[str, Any], primary: str = "England") -> str:
    bench = str(row.get("benchmark") or "")
    comp = str(row.get("comparison") or Comparison.NOT_COMPARED.value)
    label = comparison_label(row)
    if label.startswith("Not compared: "):  # keep the first clause: "no confidence interval"
        label = f"Not compared ({label.removeprefix('Not compared: ').split(':')[0]})"
    if bench == primary:
        if comp in WORSE:
            return f"Yes: {label}"
        if comp == Comparison.NOT_COMPARED.value:
            return label
        return f"No: {label}"
    if bench:
        return f"No {primary} figure; compared with {bench}: {label}"
    return label


def worst_areas(values: pd.DataFrame, primary: str = "England") -> pd.DataFrame:
    """The worst area for each indicator (and sex), polarity-aware.

    Worst is the highest value where low is good and the lowest where high is good;
    indicators with no judgement are skipped, as are missing values. Ties go to the first
    area in profile order.

    Args:
        values: Rows of ``triage_area_values`` for one area type (e.g. neighbourhoods).
        primary: The benchmark the verdict is about (England unless the user chose another).

    Returns:
        One row per indicator and sex: ``indicator_id, indicator_name, domain, sex, unit,
        value_type, polarity, area_code, area_name, value, n_areas, england_value,
        la_value, benchmark, benchmark_value, comparison, comparison_reason,
        is_estimate, note, worse_than_england`` (bool: benchmark England and worse or worst)
        and ``england_verdict`` (the answer in words).
    """
    cols = [
        "indicator_id",
        "indicator_name",
        "domain",
        "sex",
        "unit",
        "value_type",
        "polarity",
        "area_code",
        "area_name",
        "value",
        "n_areas",
        "england_value",
        "la_value",
        "benchmark",
        "benchmark_value",
        "comparison",
        "comparison_reason",
        "is_estimate",
        "note",
        "worse_than_england",
        "england_verdict",
    ]
    if values.empty:
        return pd.DataFrame(columns=cols)
    df = values[(values["polarity"] != Polarity.NO_JUDGEMENT.value) & values["value"].notna()]
    rows: list[dict[str, Any]] = []
    for _, grp in df.groupby(["indicator_id", "sex"], sort=False):
        pol = str(grp["polarity"].iloc[0])
        vals = grp["value"].astype(float)
        pos = int(
            np.argmax(vals.to_numpy())
            if pol == Polarity.LOW_IS_GOOD.value
            else np.argmin(vals.to_numpy())
        )
        rec: dict[str, Any] = {str(k): v for k, v in grp.iloc[pos].items()}
        r = {k: rec.get(k) for k in cols}
        r["n_areas"] = len(grp)
        r["worse_than_england"] = rec.get("benchmark") == primary and rec.get("comparison") in WORSE
        r["england_verdict"] = _worse_than(rec, primary)
        rows.append(r)
    return pd.DataFrame(rows, columns=cols)


def worst_table(
    worst: pd.DataFrame, primary: str = "England", la_name: str = "Local authority"
) -> pd.DataFrame:
    """Display table of :func:`worst_areas`; `la_name` heads the local authority's column."""
    if worst.empty:
        return pd.DataFrame()
    rows = []
    for r in worst.to_dict("records"):
        vt, unit = str(r["value_type"]), str(r["unit"])
        est = " (estimate)" if bool(r["is_estimate"]) else ""
        rows.append(
            {
                "Indicator": str(r["indicator_name"]) + sex_suffix(r.get("sex")) + est,
                "Worst neighbourhood": r["area_name"],
                "Value": format_value(r["value"], vt, unit),
                f"Significantly worse than {primary}?": r["england_verdict"],
                la_name: format_value(r["la_value"], vt, unit) if pd.notna(r["la_value"]) else "",
                "England": format_value(r["england_value"], vt, unit)
                if pd.notna(r["england_value"])
                else "",
            }
        )
    return pd.DataFrame(rows)
