"""Who an area's figures count, in words: residents of which wards, patients of which PCNs.

A neighbourhood is built on different ward sets for different sources, and on its PCNs'
registered patients for practice data; every page says whose figure it shows (issue 19).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jsna.app.narrative import PEOPLE_DOMAINS, format_value


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def footprints(profile: pd.DataFrame) -> list[str]:
    """Who an area's figures count, per population: "49,908 residents (wards of ...), 2021".

    A neighbourhood is built on different ward sets for different sources, and on its PCNs'
    registered patients for practice data, so each footprint is given with its own size: the
    head count, or else the denominator of its first pooled indicator in profile order.
    """
    out = []
    for label, size, period in footprint_sizes(profile):
        who, _, where = label.partition(" (")
        where = f" ({where}" if where else ""
        out.append(f"{size:,.0f} {who[:1].lower() + who[1:]}{where}, {period}")
    return out


def footprint_sizes(profile: pd.DataFrame) -> list[tuple[str, float, str]]:
    """(who, size, period) of each population an area's figures count (see `footprints`)."""
    if profile.empty or "population" not in profile.columns:
        return []
    df = profile[profile["population"].notna() & ~profile["population"].str.contains("LSOA")]
    people = (df["value_type"] == "count") & df["unit"].isin(["people", "patients"])
    size = df["value"].where(people, df["denominator"].where(df["count"].notna()))
    df = df.assign(size=size, _people=people)[size.notna()]
    out = []
    for label, sub in df.groupby("population", sort=False):
        top = sub.sort_values("_people", ascending=False, kind="stable").iloc[0]
        out.append((str(label), float(top["size"]), str(top["period"])))
    return out


def footprint_gap(profile: pd.DataFrame) -> str | None:
    """How far apart an area's resident footprints are, when it has more than one.

    >>> footprint_gap(pd.DataFrame({
    ...     "population": ["Residents (wards from May 2023)", "Residents (wards of 2004 to May 2023)"],
    ...     "value_type": ["count", "proportion"], "unit": ["people", "%"], "value": [61147.0, 21.2],
    ...     "denominator": [None, 49908.0], "count": [61147.0, 10581.0], "period": ["mid-2024", "2021"]}))
    'Two footprints: 61,147 residents on the wards from May 2023 and 49,908 on the wards of 2004 to May 2023, about 11,000 people apart. Figures on different ward sets describe different areas.'
    """  # noqa: E501
    residents = [
        (who, size) for who, size, _ in footprint_sizes(profile) if who.startswith("Residents (")
    ]
    if len(residents) < 2:
        return None
    (a_who, a), (b_who, b) = residents[0], residents[1]
    if a == b:
        return None
    gap = abs(a - b)
    about = f"{round(gap, -3):,.0f}" if gap >= 1000 else f"{gap:,.0f}"

    def where(who: str) -> str:
        return who.partition(" (")[2].rstrip(")")

    return (
        f"Two footprints: {a:,.0f} residents on the {where(a_who)} and {b:,.0f} on the "
        f"{where(b_who)}, about {about} people apart. Figures on different ward sets describe "
        "different areas."
    )


def whose(values: pd.DataFrame, noun: str) -> str:
    """Who each area's value counts, in words ("registered patients of the PCNs that serve it").

    Args:
        values: one indicator's rows for areas of one type, with ``population``.
        noun: the area type in words, singular ("neighbourhood").
    """
    pops = [str(p) for p in values.get("population", pd.Series(dtype=str)).dropna().unique()]
    if not pops:
        return ""
    if all(p.startswith("Registered patients of") for p in pops):
        served = "; ".join(
            f"{r['area_name']}: {str(r['population']).removeprefix('Registered patients of ')}"
            for r in values.dropna(subset=["population"]).to_dict("records")
        )
        return (
            f"Each {noun}'s value counts the registered patients of the PCNs that serve it "
            f"({served}), wherever they live, not its residents."
        )
    if all(p == "Registered patients" for p in pops):
        return f"Each {noun}'s value counts the patients registered with its practices."
    if len(pops) == 1:
        return f"Each {noun}'s value counts {pops[0][:1].lower() + pops[0][1:]}."
    return ""


def serving_pcns(neighbourhoods: dict[str, str], pcns: list[tuple[str, tuple[str, ...]]]) -> str:
    """Which PCNs' registered patients each neighbourhood's GP figures repeat.

    Args:
        neighbourhoods: neighbourhood code -> name, in the place's order.
        pcns: (PCN name, codes of the neighbourhoods it serves) for each PCN.

    >>> serving_pcns({"N": "North", "S": "South"},
    ...     [("North Trafford", ("N",)), ("Altrincham", ("S",)), ("South Trafford", ("S",))])
    'North = North Trafford PCN; South = Altrincham and South Trafford PCNs'
    """
    parts = []
    for code, name in neighbourhoods.items():
        names = [p for p, serves in pcns if code in serves]
        if not names:
            continue
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{name} = {joined} PCN{'s' if len(names) > 1 else ''}")
    return "; ".join(parts)


def age_share_note(profile: pd.DataFrame, shown: str) -> str:
    """Why the profile's age shares differ from the Population page's, naming both sources.

    Args:
        profile: the area's profile rows (the age-share indicators are picked by their unit
            and name: proportions whose name says "aged").
        shown: what the Population page shows, in words ("mid-2024 estimates on the wards
            from May 2023: 61,147 residents").
    """
    if profile.empty:
        return ""
    ages = profile[
        (profile["value_type"] == "proportion")
        & profile["indicator_name"].str.contains(r"\baged\b", case=False)
        & profile["domain"].isin(PEOPLE_DOMAINS)
        & profile["value"].notna()
    ]
    if ages.empty:
        return ""
    first = ages.iloc[0]
    where = str(first.get("population") or "").partition(" (")[2].rstrip(")")
    size = (
        f"{float(first['denominator']):,.0f} residents"
        if not _missing(first["denominator"])
        else ""
    )
    listed = ", ".join(
        f"{str(r['indicator_name']).lower()} {format_value(r['value'], 'proportion')}"
        for _, r in ages.iterrows()
    )
    footprint = "; ".join(x for x in (where and f"the {where}", size) if x)
    return (
        f"The Area profile's age shares ({listed}) come from Census {first['period']} "
        f"({footprint}). This page shows {shown}: a different year, footprint and age bands, "
        "so the figures differ."
    )
