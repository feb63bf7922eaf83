"""Small-number suppression of published tables: counts 1 to 4, and any figure revealing one.

Every table goes through the same engine, `jsna.core.disclosure_lp.protect`, over all its
published totals at once: the profile's rows (:func:`suppress`) and the banded tables, such
as age bands by area (:func:`suppress_bands`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jsna.core import stats
from jsna.core.disclosure_lp import SECONDARY_MIN, SMALL_MAX, Protection, equations, protect, ranges
from jsna.core.schema import CI_COLUMNS

__all__ = ["SECONDARY_MIN", "SMALL_MAX", "Protection", "equations", "protect", "ranges"]

SUPPRESSED_NOTE = "Suppressed: fewer than 5 (disclosure control)"
SECONDARY_NOTE = "Suppressed: would reveal a small number by subtraction"
KEY_COLUMNS = ["indicator_id", "period", "sex", "age"]


def suppress(
    values: pd.DataFrame,
    members: pd.DataFrame,
    hidden: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Blank counts of 1 to 4, and whatever else would let a reader recover or narrow one.

    Primary: any row with a count from 1 to SMALL_MAX. Secondary: chosen by :func:`protect`
    over every group whose total is published (a neighbourhood and its wards, a PCN and its
    practices, the council and its neighbourhoods or PCNs), so that no blank can be pinned
    or narrowed by subtraction across all of them at once.

    Args:
        values: profile-shaped rows (``area_code``, KEY_COLUMNS, ``count``, ``denominator``
            if any, ``note``, value and interval columns, ``comparison``).
        members: ``group_code`` (a published total) and ``member_code``.
        hidden: rows (``area_code``, any of KEY_COLUMNS, ``secondary``) already hidden in
            another table built from the same counts; they are hidden here too.
    """
    values = values.copy()
    count = values["count"].to_numpy(dtype=float)
    den = (
        values["denominator"].to_numpy(dtype=float)
        if "denominator" in values.columns
        else np.full(len(values), np.inf)
    )
    seed = np.zeros(len(values), bool)
    seed_sec = np.zeros(len(values), bool)
    if hidden is not None and not hidden.empty:
        on = ["area_code", *(k for k in KEY_COLUMNS if k in hidden.columns)]
        pos = values.assign(index=np.arange(len(values))).merge(hidden, on=on)
        pos = pos[pos["count"].notna()]
        seed[pos["index"].to_numpy()] = True
        seed_sec[pos["index"].to_numpy()] = pos["secondary"].to_numpy(dtype=bool)
    small = (count >= 1) & (count <= SMALL_MAX)
    if members.empty and not seed.any():
        hid, sec = small, np.zeros(len(values), bool)
    else:
        eqs = equations(values, members, KEY_COLUMNS)
        result = protect(count, den, eqs, seed, seed_sec)
        hid, sec = result.hidden, result.secondary
    values.loc[small, "note"] = SUPPRESSED_NOTE
    values.loc[sec, "note"] = SECONDARY_NOTE
    values.loc[hid, ["value", "count", *CI_COLUMNS]] = np.nan
    values.loc[hid, "comparison"] = stats.Comparison.NOT_COMPARED.value
    values.loc[hid, "comparison_reason"] = "suppressed (small number)"
    return values


def suppress_bands(
    table: pd.DataFrame,
    groups: pd.DataFrame,
    key: list[str],
    band: str = "band_start",
    fixed: np.ndarray | None = None,
) -> pd.DataFrame:
    """Blank counts of 1 to 4 in a banded table (age bands by area), over its whole hierarchy.

    The reader holds, for each band (and each `key`, say sex), every published area's count
    and the totals `groups` make of them (ward ⊂ neighbourhood ⊂ council; practice ⊂ PCN),
    and, across the bands, each area's all-bands total (its population or list size,
    published elsewhere, so never hidden here). Each band is one cell of
    :func:`jsna.core.disclosure_lp.protect`, whose totals are both kinds at once, so no blank can
    be worked out by subtracting the other wards' bands from their neighbourhood's, nor the
    area's other bands from its total.

    Args:
        table: ``area_code``, the `key` columns, `band` and ``count`` (one row a cell).
        groups: ``group_code`` and ``member_code`` (areas of `table`), true in every band,
            and ``split`` if a total adds up in more than one way (see
            :func:`jsna.core.disclosure_lp.equations`).
        key: columns within which bands add up to an area's total (``["sex"]`` or ``[]``).
        band: the band column.
        fixed: per row, a cell published elsewhere that may not be hidden here (unless it is
            itself 1 to 4).

    Returns:
        `table` with ``count`` blank where hidden, ``suppressed`` (hidden) and
        ``secondary`` (hidden to protect another, so not itself 1 to 4).
    """
    t = table.reset_index(drop=True)
    codes = t["area_code"].astype(str)
    bands = t[band].astype(str)
    totals = t.groupby(["area_code", *key], as_index=False, sort=False)["count"].sum()
    cells = pd.concat(
        [
            t[key].assign(code=(codes + "|" + bands).to_numpy(), count=t["count"]),
            totals[key].assign(
                code=(totals["area_code"].astype(str) + "|*"), count=totals["count"]
            ),
        ],
        ignore_index=True,
    )
    each = groups.merge(pd.DataFrame({"band": bands.unique()}), how="cross")
    each["group_code"] = each["group_code"] + "|" + each["band"]
    each["member_code"] = each["member_code"] + "|" + each["band"]
    margins = pd.DataFrame({"group_code": codes + "|*", "member_code": codes + "|" + bands})
    links = pd.concat([each.drop(columns="band"), margins.drop_duplicates()], ignore_index=True)
    eqs = equations(cells, links, key, code="code")
    n = len(t)
    area_total = t[["area_code", *key]].merge(totals, how="left")["count"].to_numpy(float)
    upper = np.concatenate([area_total, np.full(len(totals), np.inf)])
    keep = np.concatenate(
        [np.zeros(n, bool) if fixed is None else fixed, np.ones(len(totals), bool)]
    )
    result = protect(cells["count"].to_numpy(dtype=float), upper, eqs, fixed=keep)
    out = t.copy()
    out["suppressed"] = result.hidden[:n]
    out["secondary"] = result.secondary[:n]
    out.loc[out["suppressed"], "count"] = np.nan
    return out
