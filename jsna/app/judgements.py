"""Plain words for national judgements: ranks, deciles, "higher than England", "unusual".

Ranks carry their intervals, and each view says how many areas lie outside each set of limits.

Pure pandas (no Streamlit), shared by the England pages, their CSVs and the brief.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

NATIONAL_METHOD: Final[str] = (
    "Every English GP practice, PCN, sub-ICB location, ICB and region has the 21 QOF "
    "registers of one year (its period is in the data release), from NHS England's national "
    "prevalence file and its practice-to-region geography of the same year: each area's "
    "registers are summed over its practices and "
    "divided by their summed lists in the register's age group (never an average of "
    "practice rates), with Wilson 95% and 99.8% intervals, compared with England (higher, "
    "similar or lower; recorded prevalence has no better or worse direction). England's "
    "and the council's own diabetes and dementia registers and lists match OHID's "
    "published figures exactly. Membership is that year's: a PCN is the "
    "practices NHS England listed in it that year, wherever they sit, and is filed under the "
    "sub-ICB holding most of them; practices in no PCN sit under their sub-ICB. Rank 1 is "
    "the highest value among areas of the same kind; decile 10 is the highest tenth. Counts "
    "from 1 to 4 are suppressed, along with any other figure that would let a reader work "
    "one out, or narrow it, from the totals published for every level at once. A register "
    "larger than its list, as one specialist practice publishes, has no prevalence of its "
    "own but still counts in the totals above it. Only the QOF registers exist for areas "
    "outside the place's own; every other indicator is built from local sources.\n\n"
    "**Unusual among areas of its kind.** Beside the plain comparison with England, each "
    "practice, PCN, sub-ICB, ICB and region is judged against funnel limits that allow for "
    "the real variation between areas of its kind (Spiegelhalter, Stat Med 2005;24:1185). "
    "For each register and kind of area, z-scores against England (z = (y − p0)/s, "
    "s² = p0(1 − p0)/n) are winsorised at 10% each end; the overdispersion φ is the mean of "
    "their squares; if nφ > n − 1 the between-area variance is τ² = (nφ − (n − 1)) / "
    "(Σw − Σw²/Σw), w = 1/s² (additive random effects), else 0. The 99.8% limits become "
    "p0 ± √(h² + z²τ²), where h is each side's distance from p0 of the plain funnel limit "
    "(PHEindicatormethods), so with τ² = 0 they are the plain limits. Areas outside are "
    '"unusually high" or "unusually low" among their kind.\n\n'
    "**Ranks with their uncertainty.** Each rank's 95% interval comes from 1,000 simulated "
    "rankings (seeded): every area's true value is drawn from its posterior under a normal "
    "random-effects model (DerSimonian-Laird τ², the area's binomial standard error), the "
    "areas are ranked in each draw, and the 2.5th and 97.5th percentiles of its ranks are "
    "shown (Goldstein & Spiegelhalter 1996; Marshall & Spiegelhalter, BMJ 1998). The "
    "decile's likelihood is the share of draws in which the area stays in the decile shown. "
    "Rankability (Lingsma 2009) is τ² / (τ² + the median squared standard error): the share "
    "of the spread between areas that is real.\n\n"
    "**Against PCNs like ours.** The 95% predictive interval is the peers' mean ± "
    "t(k − 1) × √(σ² + s₀² + s_b²/k), with s_b² the peers' sample variance, σ² = "
    "max(0, s_b² − mean of their squared standard errors) the real spread between them and "
    "s₀ our own standard error (Dropkin, J Public Health 2018). The gain if we matched the "
    "higher half of our peers is (their mean − ours) × our list, with a normal 95% interval, "
    "and is shown only where the probability that we are below the peers' mean exceeds 0.95."
)


PLURALS: Final[dict[str, str]] = {
    "region": "NHS regions",
    "icb": "ICBs",
    "sub_icb": "sub-ICB locations",
    "pcn": "PCNs",
    "practice": "GP practices",
}


# The plain test against England (Fingertips' two-level rule on Wilson intervals).
ENGLAND_WORDS: Final[dict[str, str]] = {
    "highest": "Higher than England (99.8%)",
    "higher": "Higher than England (95%)",
    "similar": "Similar to England",
    "lower": "Lower than England (95%)",
    "lowest": "Lower than England (99.8%)",
}


JUDGEMENTS_METHOD: Final[str] = (
    'Two judgements sit side by side. "Compared with England" asks whether an area\'s value '
    "differs from England's by more than chance (its 95% or 99.8% interval excludes England's "
    "value). With tens of thousands of patients almost every area passes that test, so the "
    'second, "Among {plural}", asks whether it is unusual even allowing for the real '
    "variation between areas of its kind: it lies outside funnel limits widened by the "
    "spread between areas (Spiegelhalter's overdispersion method, 2005, at 99.8%). A rank's "
    "95% interval shows how far it could move by chance (simulated 1,000 times); the decile's "
    "likelihood is how often the area stays in that tenth."
)


def ordinal(n: float) -> str:
    """'1st', '22nd', '1,013th'."""
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k:,}{suffix}"


def rank_text(rank: float, lower: float, upper: float, of: float) -> str:
    """'324th of 1,267 (95% interval 290th to 360th)', or 'not ranked'."""
    if pd.isna(rank):
        return "not ranked"
    text = f"{ordinal(rank)} of {of:,.0f}"
    if pd.notna(lower) and pd.notna(upper):
        text += (
            f" (95% interval {ordinal(lower)} to {ordinal(upper)})"
            if lower != upper
            else " (95% interval: this rank only)"
        )
    return text


def decile_text(decile: float, p: float) -> str:
    """'3 (71% likely)'."""
    if pd.isna(decile):
        return ""
    return f"{decile:.0f}" + (f" ({p:.0%} likely)" if pd.notna(p) else "")


def england_words(comparison: object) -> str:
    """The plain comparison with England in words ('Higher than England (99.8%)')."""
    return ENGLAND_WORDS.get(str(comparison), "Not compared")


def among_words(among: object, area_type: str) -> str:
    """'Unusually high among PCNs', 'Usual for PCNs', 'Unusually low among PCNs'."""
    plural = PLURALS.get(area_type, "areas of its kind")
    return {
        "higher": f"Unusually high among {plural}",
        "lower": f"Unusually low among {plural}",
        "similar": f"Within the usual range for {plural}",
    }.get(str(among), "Not compared")


def with_rank_words(df: pd.DataFrame, area_type: str) -> pd.DataFrame:
    """National rows with the rank, decile and both judgements also in words (for CSVs).

    The chance of the decile and the judgement among areas of its kind replace their columns.
    """
    out = df.drop(columns=["p_decile", "among_peers"])
    words: dict[str, list[str] | pd.Series] = {
        "Rank in England (95% interval)": [
            rank_text(*r)
            for r in zip(df["rank"], df["rank_lower"], df["rank_upper"], df["of"], strict=True)
        ],
        "Chance it is in the decile shown": df["p_decile"],
        "Compared with England (words)": [england_words(c) for c in df["comparison"]],
        f"Among {PLURALS.get(area_type, 'areas')}": [
            among_words(a, area_type) for a in df["among_peers"]
        ],
    }
    for col, v in words.items():
        out[col] = v
    return out


def outside_table(dispersion: pd.DataFrame, area_type: str) -> pd.DataFrame:
    """Per register: how many areas differ from England, how many are unusual, rankability."""
    plural = PLURALS.get(area_type, "areas")
    d = dispersion
    return pd.DataFrame(
        {
            "Register": d["indicator_name"].to_numpy(),
            f"{plural[:1].upper()}{plural[1:]} compared": [f"{n:,.0f}" for n in d["areas"]],
            "Differ from England (99.8%)": [
                f"{h + lo:,.0f} ({h:,.0f} higher, {lo:,.0f} lower)"
                for h, lo in zip(d["plain_higher"], d["plain_lower"], strict=True)
            ],
            f"Unusual among {plural}": [
                f"{h + lo:,.0f} ({h:,.0f} high, {lo:,.0f} low)"
                for h, lo in zip(d["peers_higher"], d["peers_lower"], strict=True)
            ],
            "Share of the spread that is real (rankability)": [
                "more than 99%" if r > 0.99 else f"{r:.0%}" for r in d["rankability"]
            ],
        }
    )


def _rankability_words(rho: float, plural: str) -> str:
    """How far ranks can be trusted (Lingsma 2009: above 0.7 good, below 0.5 poor)."""
    if pd.isna(rho):
        return ""
    share = "more than 99%" if rho > 0.99 else f"{rho:.0%}"
    verdict = (
        "so ranks mostly reflect real differences"
        if rho > 0.7
        else "so ranks partly reflect chance"
        if rho >= 0.5
        else "so ranks largely reflect chance"
    )
    return (
        f"Of the spread between {plural}, {share} is real rather than chance "
        f"(rankability), {verdict}; each rank still has its own 95% interval."
    )


def outside_counts(dispersion: pd.DataFrame, area_type: str) -> str:
    """How many areas lie outside each set of 99.8% limits, in one sentence."""
    if dispersion.empty:
        return ""
    d = dispersion.iloc[0]
    plural = PLURALS.get(area_type, "areas")
    plain = int(d["plain_higher"] + d["plain_lower"])
    peers = int(d["peers_higher"] + d["peers_lower"])
    return (
        f"Of {int(d['areas']):,} {plural}, {plain:,} ({plain / d['areas']:.0%}) differ from "
        f"England at 99.8% ({int(d['plain_higher']):,} higher, {int(d['plain_lower']):,} "
        f"lower), but only {peers:,} ({peers / d['areas']:.0%}) are unusual once the real "
        f"variation between {plural} is allowed for ({int(d['peers_higher']):,} unusually "
        f"high, {int(d['peers_lower']):,} unusually low). "
        + _rankability_words(d["rankability"], plural)
    )
