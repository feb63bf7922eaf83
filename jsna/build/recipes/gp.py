"""GP recipes: QOF registers, list shares, registered patients and practice counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jsna.build.geography import Geography
from jsna.build.recipes.common import pcn_groups, recipe
from jsna.build.sources import SourceError, Sources, check_complete, check_not_above
from jsna.core.errors import ProfileError
from jsna.core.model import Indicator
from jsna.core.pooling import pool, with_proportion

# QOF 2022/23 registers and the list each is a share of (NHS England, QOF 2022/23
# prevalence tables: PATIENT_LIST_TYPE). A group or list type not listed here stops the build.
QOF_LIST_TYPES: dict[str, str] = {
    "AF": "TOTAL",
    "AST": "06OV",
    "CAN": "TOTAL",
    "CHD": "TOTAL",
    "CKD": "18OV",
    "COPD": "TOTAL",
    "DEM": "TOTAL",
    "DEP": "18OV",
    "DM": "17OV",
    "EP": "18OV",
    "HF": "TOTAL",
    "HYP": "TOTAL",
    "LD": "TOTAL",
    "MH": "TOTAL",
    "NDH": "18OV",
    "OB": "18OV",
    "OST": "50OV",
    "PAD": "TOTAL",
    "PC": "TOTAL",
    "RA": "16OV",
    "STIA": "TOTAL",
}

_QOF_COLUMNS = [
    "PRACTICE_CODE",
    "GROUP_CODE",
    "REGISTER",
    "PATIENT_LIST_TYPE",
    "PRACTICE_LIST_SIZE",
]


def qof_national(src: Sources, rel: str) -> pd.DataFrame:
    """The national QOF prevalence file, validated once per build (`Sources.once`)."""

    def load() -> pd.DataFrame:
        df = src.read_csv(
            rel,
            _QOF_COLUMNS,
            counts=["REGISTER", "PRACTICE_LIST_SIZE"],
            key=["PRACTICE_CODE", "GROUP_CODE"],
        )
        check_complete(df, rel, ["REGISTER", "PRACTICE_LIST_SIZE"])
        unknown = ~df["GROUP_CODE"].isin(list(QOF_LIST_TYPES))
        if unknown.any():
            i = int(unknown.to_numpy().argmax())
            raise SourceError(
                rel,
                f"unknown QOF group code '{df['GROUP_CODE'].iloc[i]}'",
                int(df["_row"].iloc[i]),
                "GROUP_CODE",
            )
        wrong = df["PATIENT_LIST_TYPE"] != df["GROUP_CODE"].map(QOF_LIST_TYPES)
        if wrong.any():
            i = int(wrong.to_numpy().argmax())
            group = str(df["GROUP_CODE"].iloc[i])
            raise SourceError(
                rel,
                f"list type '{df['PATIENT_LIST_TYPE'].iloc[i]}' is not the "
                f"{group} register's ({QOF_LIST_TYPES[group]})",
                int(df["_row"].iloc[i]),
                "PATIENT_LIST_TYPE",
            )
        return df

    return src.once(("qof_national", rel), load)


def _qof_membership_notes(
    src: Sources, geo_: Geography, b: dict[str, Any], in_file: set[str]
) -> dict[str, str]:
    """Per PCN: practices of today's membership missing from the QOF year, and vice versa.

    PCN values are pooled from today's member practices (profiles/place.toml); practices that
    have closed, merged or moved PCN since the QOF year are named, never silently dropped.
    """
    notes: dict[str, list[str]] = {}
    for pcn in geo_.place.pcns:
        gone = sorted(set(pcn.practices) - in_file)
        if gone:
            notes.setdefault(pcn.code, []).append(
                f"no {b.get('year', 'QOF')} row for member practice(s) {', '.join(gone)} "
                "(opened or merged since), so they are not in this value"
            )
    if b.get("geography_file"):
        rel = b["geography_file"]
        geo_rows = src.read_csv(rel, ["PCN_ODS_CODE", "PRACTICE_CODE"], key=["PRACTICE_CODE"])
        for pcn in geo_.place.pcns:
            then = set(geo_rows.loc[geo_rows["PCN_ODS_CODE"] == pcn.code, "PRACTICE_CODE"])
            left = sorted(then - set(pcn.practices))
            if left:
                notes.setdefault(pcn.code, []).append(
                    f"practice(s) {', '.join(left)} were in this PCN in {b.get('year', 'QOF')} "
                    "but are not members today, so they are not in this value"
                )
    return {code: "; ".join(n).capitalize() for code, n in notes.items()}


@recipe(
    "qof_prevalence",
    file="str",
    group="str",
    totals_file="str?",
    geography_file="str?",
    year="str?",
)
def qof_prevalence(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """QOF recorded prevalence: register / list of its age group, pooled from practices.

    Practices as published; PCNs and the council pooled from today's member practices (sum of
    registers / sum of lists); England the sum over every practice in the national file,
    checked against the England/Trafford totals file (summed from the same practice file, so
    this proves only that nothing was lost; the independent check is OHID's published
    figures, tests/db/test_national.py). Wilson intervals.
    """
    b = ind.build
    rel, group = b["file"], str(b["group"])
    if group not in QOF_LIST_TYPES:
        raise ProfileError(f"profiles/indicators.toml: {ind.id}: unknown QOF group '{group}'")
    df = qof_national(src, rel)
    df = df[df["GROUP_CODE"] == group]
    practices = df[df["PRACTICE_CODE"].isin(geo_.practice_pcn)]
    # A few specialist practices elsewhere in England have registers above their list (NHS
    # England publishes them so, and its England total includes them); ours must not.
    check_not_above(practices, rel, "REGISTER", "PRACTICE_LIST_SIZE")
    counts = pd.DataFrame(
        {
            "area_code": practices["PRACTICE_CODE"].to_numpy(),
            "count": practices["REGISTER"].to_numpy(),
            "denominator": practices["PRACTICE_LIST_SIZE"].to_numpy(),
        }
    )
    present = set(counts["area_code"])
    groups = {
        code: [p for p in members if p in present] for code, members in pcn_groups(geo_).items()
    }
    england = pd.DataFrame(
        {
            "area_code": [geo_.place.england_code],
            "count": [df["REGISTER"].sum()],
            "denominator": [df["PRACTICE_LIST_SIZE"].sum()],
        }
    )
    if b.get("totals_file"):
        _check_qof_england(src, b["totals_file"], group, geo_.place.england_code, england)
    out = with_proportion(pd.concat([counts, pool(counts, groups), england], ignore_index=True))
    notes = _qof_membership_notes(src, geo_, b, set(df["PRACTICE_CODE"]))
    out["note"] = out["area_code"].map(notes)
    out["method"] = f"Register / list aged {_LIST_WORDS[QOF_LIST_TYPES[group]]}; Wilson"
    return out


_LIST_WORDS = {
    "TOTAL": "all ages",
    "06OV": "6 and over",
    "16OV": "16 and over",
    "17OV": "17 and over",
    "18OV": "18 and over",
    "50OV": "50 and over",
}


def _check_qof_england(
    src: Sources, rel: str, group: str, england_code: str, england: pd.DataFrame
) -> None:
    """England's register and list summed here must equal the totals file's.

    That file is derived from the same practice file, so this catches lost rows, not a
    disagreement with NHS England; OHID's published figures are the independent check.
    """
    tot = src.read_csv(
        rel,
        ["AREA_CODE", "GROUP_CODE", "REGISTER", "LIST_SIZE"],
        counts=["REGISTER", "LIST_SIZE"],
        key=["AREA_CODE", "GROUP_CODE"],
    )
    row = tot[(tot["AREA_CODE"] == england_code) & (tot["GROUP_CODE"] == group)]
    if row.empty:
        raise SourceError(rel, f"no England row for QOF group {group}", column="GROUP_CODE")
    for ours, theirs in (("count", "REGISTER"), ("denominator", "LIST_SIZE")):
        if float(england[ours].iloc[0]) != float(row[theirs].iloc[0]):
            raise SourceError(
                rel,
                f"England {group} {theirs.lower()} {row[theirs].iloc[0]:,.0f} differs from the "
                f"sum over practices {england[ours].iloc[0]:,.0f}",
                int(row["_row"].iloc[0]),
                theirs,
            )


@recipe("gp_list_share", file="str", numerator="str", denominator="str")
def gp_list_share(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Share of a practice list in an age group, pooled to PCNs; Wilson CIs."""
    b = ind.build
    rel, num, den = b["file"], b["numerator"], b["denominator"]
    df = src.read_csv(
        rel,
        ["PRACTICE_CODE", num, den],
        counts=[num, den],
        key=["PRACTICE_CODE"],
        estimates={"PRACTICE_CODE": ["ENGLAND_DERIVED"]},  # England's age groups are modelled
    )
    check_not_above(df, rel, num, den)
    eng = df[df["PRACTICE_CODE"] == "ENGLAND_DERIVED"]
    # The list file covers every P91 practice of April 2020, including closed ones.
    df = df[df["PRACTICE_CODE"].isin(geo_.practice_pcn)]
    check_complete(pd.concat([df, eng]), rel, [num, den])
    missing = set(geo_.practice_pcn) - set(df["PRACTICE_CODE"])
    if missing or eng.empty:
        what = f"practice {sorted(missing)[0]}" if missing else "ENGLAND_DERIVED"
        raise SourceError(rel, f"no row for {what}", column="PRACTICE_CODE")
    practices = pd.DataFrame(
        {
            "area_code": df["PRACTICE_CODE"].to_numpy(),
            "count": df[num].to_numpy(),
            "denominator": df[den].to_numpy(),
        }
    )
    england = pd.DataFrame(
        {
            "area_code": [geo_.place.england_code],
            "count": [round(float(eng[num].iloc[0]))],
            "denominator": [round(float(eng[den].iloc[0]))],
        }
    )
    out = pd.concat([practices, pool(practices, pcn_groups(geo_)), england], ignore_index=True)
    return with_proportion(out)


@recipe("registered_patients")
def registered_patients(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Registered patients per practice, summed to PCNs and the council."""
    registrations = geo_.place.files["registrations"]
    df = src.read_csv(
        registrations,
        ["practice_code", "registered_patients"],
        counts=["registered_patients"],
        key=["practice_code"],
    )
    check_complete(df, registrations, ["registered_patients"])
    practices = pd.DataFrame(
        {"area_code": df["practice_code"], "count": df["registered_patients"], "denominator": 0.0}
    )
    out = pd.concat([practices, pool(practices, pcn_groups(geo_))], ignore_index=True)
    out["denominator"] = np.nan
    out["value"] = out["count"]
    out["method"] = "Sum of practice lists"
    return out


@recipe("practice_count")
def practice_count(src: Sources, geo_: Geography, ind: Indicator) -> pd.DataFrame:
    """Number of practices in each PCN and in the council."""
    groups = pcn_groups(geo_)
    out = pd.DataFrame(
        {"area_code": list(groups), "value": [float(len(m)) for m in groups.values()]}
    )
    out["method"] = "Count of member practices"
    return out
