"""Our PCNs among all of England's: funnel plot, rank and decile, and "PCNs like ours".

Pure pandas and plotly (no Streamlit). Input: rows of ``national_pcn_values`` (one QOF
register, every English PCN, 2022/23 membership).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from jsna import stats
from jsna.charts import FONT
from jsna.narrative import format_value
from jsna.stats.overdispersion import overdispersed_proportion_limits
from jsna.stats.peers import CREDIBLE, compare_with_peers, gain_to_upper_half
from jsna.vocabulary import area_colours, area_symbols

SIMILAR_FEATURES: Final[tuple[str, ...]] = ("list_size", "pct_65_plus", "imd_score")
SIMILAR_COUNT: Final[int] = 10
SIMILAR_METHOD: Final[str] = (
    f"PCNs like ours: the {SIMILAR_COUNT} English PCNs nearest to the chosen PCN by "
    "straight-line (Euclidean) distance over three standardised measures, each given equal "
    "weight: registered list size (log "
    "scale, the QOF year's lists), % of patients aged 65 and over and the practice IMD "
    "score (both list-weighted over the PCN's practices, from the HEEC practice file; its "
    "period is in the data release). Each measure is turned into a z-score (mean 0, "
    "standard deviation 1) across all "
    "PCNs that have all three, and the chosen PCN itself is not listed. PCNs "
    "whose practices cover under half their list in the HEEC file are left out, since "
    "their age and deprivation would rest on too few practices."
)
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
MIN_COVERAGE: Final[float] = 0.5
TICKS: Final[tuple[float, ...]] = (2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5)
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


PEER_CSV_NAMES: Final[dict[str, str]] = {
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator",
    "value": "Our value (%)",
    "denominator": "Our list (register's age group)",
    "peer_mean": "Peers' average (%)",
    "peer_median": "Peers' median (%)",
    "lower": "Expected range for a PCN like these, lower (95% predictive, %)",
    "upper": "Expected range for a PCN like these, upper (95% predictive, %)",
    "verdict": "Against PCNs like ours",
    "p_below": "Probability we are below the peers' average",
    "position": "Our place among us and our peers (1 = highest)",
    "peers": "Peers with a value",
    "gain": "Extra patients if we matched the higher half of our peers",
    "gain_lower": "Extra patients, lower 95% limit",
    "gain_upper": "Extra patients, upper 95% limit",
}


def peer_csv(comparison: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`peer_comparison` with plain column names and words, for the download."""
    words = [PEER_WORDS[int(v)] if pd.notna(v) else "Not compared" for v in comparison["verdict"]]
    out = comparison.assign(verdict=words)
    return out.rename(columns=PEER_CSV_NAMES)


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


def _features(pcns: pd.DataFrame) -> pd.DataFrame:
    ok = pcns[list(SIMILAR_FEATURES)].notna().all(axis=1) & (pcns["coverage"] >= MIN_COVERAGE)
    x = pcns.loc[ok, list(SIMILAR_FEATURES)].astype(float).copy()
    x["list_size"] = np.log(x["list_size"])
    return (x - x.mean()) / x.std(ddof=0)


def similar_pcns(pcns: pd.DataFrame, code: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` PCNs most like ``code`` (see :data:`SIMILAR_METHOD`), nearest first.

    Args:
        pcns: Rows of ``national_pcn_values``.
        code: The PCN to match.
        n: How many to return.

    Returns:
        The matching rows with a ``distance`` column; empty if ``code`` lacks the measures.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCD"), "list_size": [1e4, 1.1e4, 5e4, 1e4],
        ...     "pct_65_plus": [20, 21, 10, 30], "imd_score": [10, 11, 40, 10],
        ...     "coverage": 1.0})
        >>> similar_pcns(df, "A", 2)["area_code"].tolist()
        ['B', 'D']
    """
    z = _features(pcns.set_index("area_code"))
    if code not in z.index:
        return pcns.iloc[0:0].assign(distance=np.nan)
    dist = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code)
    nearest = dist.nsmallest(n)
    out: pd.DataFrame = pcns.set_index("area_code").loc[nearest.index].reset_index()
    out["distance"] = nearest.to_numpy()
    return out


def _pct(v: float) -> str:
    return f"{v:.2f}%" if pd.notna(v) else "not available"


def similar_table(similar: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`similar_pcns` as a readable table (value, CI, the three measures)."""
    return pd.DataFrame(
        {
            "PCN": similar["area_name"].to_numpy(),
            "Value": [_pct(v) for v in similar["value"]],
            "95% CI": [
                f"{_pct(lo)} to {_pct(hi)}" if pd.notna(lo) else ""
                for lo, hi in zip(similar["lower_ci95"], similar["upper_ci95"], strict=True)
            ],
            "List size": [f"{v:,.0f}" for v in similar["list_size"]],
            "% aged 65+": [f"{v:.1f}" for v in similar["pct_65_plus"]],
            "IMD score": [f"{v:.1f}" for v in similar["imd_score"]],
            "ICB": similar["icb_name"].to_numpy(),
            "Compared with England": [england_words(c) for c in similar["comparison"]],
            "Among PCNs": [among_words(a, "pcn") for a in similar["among_peers"]],
        }
    )


def ours_and_similar_table(pcns: pd.DataFrame, similar: pd.DataFrame, code: str) -> pd.DataFrame:
    """:func:`similar_table` with the chosen PCN's own row first, marked "Chosen PCN"."""
    ourselves = pcns[pcns["area_code"] == code].assign(distance=0.0)
    ourselves = ourselves.assign(area_name=ourselves["area_name"] + " (chosen)")
    return similar_table(pd.concat([ourselves, similar], ignore_index=True))


def ours_table(pcns: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Our PCNs' values with their rank (1 = highest) and decile among England's PCNs."""
    df = pcns[pcns["area_code"].isin(list(names))]
    return pd.DataFrame(
        {
            "PCN": [names[c] for c in df["area_code"]],
            "Code": df["area_code"].to_numpy(),
            "Value": [format_value(v, "proportion") for v in df["value"]],
            "95% CI": [
                f"{format_value(lo, 'proportion')} to {format_value(hi, 'proportion')}"
                for lo, hi in zip(df["lower_ci95"], df["upper_ci95"], strict=True)
            ],
            "Register / list": [
                f"{c:,.0f} / {d:,.0f}" for c, d in zip(df["count"], df["denominator"], strict=True)
            ],
            "Rank in England (1 = highest)": [
                rank_text(*r)
                for r in zip(df["rank"], df["rank_lower"], df["rank_upper"], df["of"], strict=True)
            ],
            "Decile (10 = highest tenth)": [
                decile_text(d, p) for d, p in zip(df["decile"], df["p_decile"], strict=True)
            ],
            "Compared with England": [england_words(c) for c in df["comparison"]],
            "Among PCNs": [among_words(a, "pcn") for a in df["among_peers"]],
        }
    )


def funnel_figure(
    pcns: pd.DataFrame,
    highlight: Mapping[str, str],
    title: str,
    height: int = 600,
    tau2: float | None = None,
) -> go.Figure:
    """All PCNs against their list size, with 95% and 99.8% limits around England's value.

    Args:
        pcns: Rows of ``national_pcn_values`` for one register.
        highlight: Code -> name of the PCNs to mark and label (ours).
        title: Chart title.
        height: Figure height in pixels.
        tau2: The between-PCN variance τ² (as a proportion²); when given, the 99.8% limits
            widened by it (Spiegelhalter 2005) are drawn too, as solid blue lines.

    Returns:
        A plotly figure: grey circles for every PCN, ours each in its own colour and shape
        (named in the legend), England's value as a line, control limits as dashed (95%) and
        dotted (99.8%) lines, and the overdispersed 99.8% limits when ``tau2`` is given.
    """
    df = pcns[pcns["value"].notna() & (pcns["denominator"] > 0)]
    fig = go.Figure()
    if df.empty:
        return fig
    england = float(df["england_value"].iloc[0])
    grid = np.geomspace(max(df["denominator"].min() * 0.9, 100), df["denominator"].max() * 1.1, 200)
    plain = (
        (0.95, "dash", "95%: differs from England"),
        (0.998, "dot", "99.8%: differs from England"),
    )
    for conf, dash, name in plain:
        lo, hi = stats.funnel_proportion_limits(england / 100, grid, conf)
        for k, y in enumerate((lo, hi)):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=y * 100,
                    mode="lines",
                    line={"color": "#505a5f", "dash": dash, "width": 1.2},
                    name=name,
                    legendgroup=name,
                    showlegend=k == 0,
                    hoverinfo="skip",
                )
            )
    if tau2 is not None and not np.isnan(tau2):
        lo, hi = overdispersed_proportion_limits(england / 100, grid, 0.998, tau2)
        name = "99.8%: unusual among PCNs"
        for k, y in enumerate((lo, hi)):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=y * 100,
                    mode="lines",
                    line={"color": "#1d70b8", "width": 2},
                    name=name,
                    legendgroup=name,
                    showlegend=k == 0,
                    hoverinfo="skip",
                )
            )
    others = df[~df["area_code"].isin(list(highlight))]
    fig.add_trace(
        go.Scatter(
            x=others["denominator"],
            y=others["value"],
            mode="markers",
            marker={"color": "#8d98a0", "size": 5, "symbol": "circle"},
            name="Other PCNs in England",
            text=others["area_name"],
            hovertemplate="%{text}<br>%{y:.2f}% of %{x:,.0f} patients<extra></extra>",
        )
    )
    # Our PCNs each in the colour the maps give them, with a shape of their own, named in
    # the legend rather than by labels on the plot (which collide on a phone).
    ours = df[df["area_code"].isin(list(highlight))].assign(
        _name=lambda d: d["area_code"].map(highlight)
    )
    colours, symbols = area_colours(list(ours["_name"])), area_symbols(list(ours["_name"]))
    for pcn, sub in ours.groupby("_name", sort=True):
        fig.add_trace(
            go.Scatter(
                x=sub["denominator"],
                y=sub["value"],
                mode="markers",
                marker={
                    "color": colours[str(pcn)][0],
                    "size": 12,
                    "symbol": symbols[str(pcn)],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                text=[pcn] * len(sub),
                name=str(pcn),
                legendgroup="ours",
                legendgrouptitle={"text": "Our PCNs"},
                hovertemplate="%{text}<br>%{y:.2f}% of %{x:,.0f} patients<extra></extra>",
            )
        )
    line = {"color": "#0b0c0c", "width": 1.5}
    fig.add_hline(y=england, line=line)
    fig.add_scatter(x=[None], y=[None], mode="lines", line=line, name=f"England {england:.2f}%")
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 80},
        legend={"orientation": "h", "y": -0.42, "yanchor": "top"},
        xaxis={
            # Two lines, so the title fits a phone's width.
            "title": "Patients in the register's age group<br>(log scale)",
            "type": "log",
            "gridcolor": "#e5e5e5",
            "tickvals": TICKS,
            "ticktext": [f"{t / 1000:,.0f}k" for t in TICKS],
        },
        yaxis={"title": "Recorded prevalence (%)", "gridcolor": "#e5e5e5"},
    )
    return fig


# --------------------------------------------------------------------------- PCNs like ours
PEER_METHOD: Final[str] = (
    "Each register compares the chosen PCN with its 10 most similar PCNs. The shaded band is "
    "the 95% predictive interval: where a PCN like these would be expected to fall, allowing "
    "for the real spread between the peers as well as chance (Dropkin, J Public Health 2018; "
    "comparing with the peers' average using chance alone wrongly flags about one PCN in "
    'eight). "If we matched the higher half" is shown only where our value is credibly '
    "below the peers' (more than 95% probability): the extra patients who would be on the "
    "register if ours matched the average of the peers above their median, with a 95% "
    "interval. Recorded prevalence has no better or worse direction: a higher register "
    "can mean more illness or more found and recorded."
)
PEER_WORDS: Final[dict[int, str]] = {
    1: "Higher than PCNs like ours",
    0: "Within the range expected of PCNs like ours",
    -1: "Lower than PCNs like ours",
}


def _se_pct(value: pd.Series, denominator: pd.Series) -> npt.NDArray[np.float64]:
    p = value.to_numpy(dtype=float) / 100
    return np.asarray(100 * np.sqrt(p * (1 - p) / denominator.to_numpy(dtype=float)))


def peer_comparison(values: pd.DataFrame, code: str, peers: Sequence[str]) -> pd.DataFrame:
    """Our PCN against its peers for every register in ``values``.

    Args:
        values: Rows of ``national_peer_values`` (our PCN and its peers, every register).
        code: Our PCN's code.
        peers: The peers' codes.

    Returns:
        One row per register (in profile order): indicator_id, indicator_name, value,
        denominator, peer_mean, peer_median, lower, upper (the 95% predictive interval, in
        %), verdict (−1, 0, 1), p_below, position (1 = highest of us and the peers), peers
        (how many had a value), gain, gain_lower, gain_upper (people; NaN unless credible).
    """
    rows = []
    df = values.assign(se=_se_pct(values["value"], values["denominator"]))
    for ind, sub in df.groupby("indicator_id", sort=False):
        ours = sub[sub["area_code"] == code]
        theirs = sub[sub["area_code"].isin(list(peers))]
        if ours.empty:
            continue
        o = ours.iloc[0]
        c = compare_with_peers(float(o["value"]), float(o["se"]), theirs["value"], theirs["se"])
        gain = (np.nan, np.nan, np.nan)
        if c.k >= 3 and c.p_below > CREDIBLE:
            g = gain_to_upper_half(
                float(o["value"]) / 100,
                float(o["se"]) / 100,
                float(o["denominator"]),
                theirs["value"].to_numpy(dtype=float) / 100,
            )
            gain = (g.people, max(g.lower, 0.0), g.upper)
        rows.append(
            {
                "indicator_id": ind,
                "indicator_name": o["indicator_name"],
                "value": o["value"],
                "denominator": o["denominator"],
                "peer_mean": c.peer_mean,
                "peer_median": c.peer_median,
                "lower": c.lower,
                "upper": c.upper,
                "verdict": c.verdict if c.k >= 3 and pd.notna(o["value"]) else np.nan,
                "p_below": c.p_below,
                "position": c.position if pd.notna(o["value"]) else np.nan,
                "peers": c.k,
                "gain": gain[0],
                "gain_lower": gain[1],
                "gain_upper": gain[2],
            }
        )
    return pd.DataFrame(rows)


def peer_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`peer_comparison` as a readable table."""
    c = comparison
    return pd.DataFrame(
        {
            "Register": c["indicator_name"].to_numpy(),
            "Ours": [_pct(v) for v in c["value"]],
            "Peers' average": [_pct(v) for v in c["peer_mean"]],
            "Expected range for a PCN like these (95%)": [
                f"{_pct(lo)} to {_pct(hi)}" if pd.notna(lo) else "too few peers"
                for lo, hi in zip(c["lower"], c["upper"], strict=True)
            ],
            "Peers' median": [_pct(v) for v in c["peer_median"]],
            "Our place (1 = highest)": [
                f"{ordinal(p)} of {k + 1}" if pd.notna(p) else ""
                for p, k in zip(c["position"], c["peers"], strict=True)
            ],
            "Against PCNs like ours": [
                PEER_WORDS[int(v)] if pd.notna(v) else "Not compared" for v in c["verdict"]
            ],
            "If we matched the higher half of our peers": [
                f"{g:,.0f} more patients on the register (95% interval {lo:,.0f} to {hi:,.0f})"
                if pd.notna(g)
                else ""
                for g, lo, hi in zip(c["gain"], c["gain_lower"], c["gain_upper"], strict=True)
            ],
        }
    )


def peer_figure(values: pd.DataFrame, comparison: pd.Series, code: str, title: str) -> go.Figure:
    """Our PCN and its peers for one register, with the peers' predictive interval shaded.

    Args:
        values: Rows of ``national_peer_values`` for one register (ours and the peers).
        comparison: That register's row of :func:`peer_comparison`.
        code: Our PCN's code.
        title: Chart title.

    Returns:
        A horizontal dot plot (highest at the top) with 95% intervals as bars, the peers'
        average as a line and the 95% predictive interval as a shaded band.
    """
    df = values[values["value"].notna()].sort_values("value")
    # Short labels, so the plot keeps its width on a phone; the full name is on hover.
    df = df.assign(label=[n if len(n) <= 26 else n[:25] + "…" for n in df["area_name"].astype(str)])
    ours = df["area_code"] == code
    fig = go.Figure()
    if pd.notna(comparison["lower"]):
        fig.add_vrect(
            x0=comparison["lower"],
            x1=comparison["upper"],
            fillcolor="#d2e2f1",
            line_width=0,
            layer="below",
        )
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 12, "color": "#d2e2f1"},
            name="Expected range for a PCN like these (95%)",
        )
    for mask, name, colour, size in (
        (~ours, "PCNs like ours", "#505a5f", 8),
        (ours, "Chosen PCN", "#d4351c", 12),
    ):
        sub = df[mask]
        fig.add_scatter(
            x=sub["value"],
            y=sub["label"],
            text=sub["area_name"],
            mode="markers",
            marker={"color": colour, "size": size, "symbol": "diamond" if size > 8 else "circle"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (sub["upper_ci95"] - sub["value"]).to_numpy(),
                "arrayminus": (sub["value"] - sub["lower_ci95"]).to_numpy(),
                "color": colour,
                "thickness": 1,
                "width": 0,
            },
            name=name,
            hovertemplate="%{text}<br>%{x:.2f}%<extra></extra>",
        )
    if pd.notna(comparison["peer_mean"]):
        line = {"color": "#0b0c0c", "width": 1.5, "dash": "dash"}
        fig.add_vline(x=float(comparison["peer_mean"]), line=line)
        fig.add_scatter(x=[None], y=[None], mode="lines", line=line, name="Peers' average")
    # The axis covers the shaded band as well as the points.
    ends = [*df["lower_ci95"], *df["upper_ci95"], comparison["lower"], comparison["upper"]]
    ends = [float(e) for e in ends if pd.notna(e)]
    pad = (max(ends) - min(ends)) * 0.04 if ends else 0.0
    xrange = [min(ends) - pad, max(ends) + pad] if ends else None
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=170 + 28 * len(df),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
        xaxis={"title": "Recorded prevalence (%)", "gridcolor": "#e5e5e5", "range": xrange},
        # Category axis set outright: the legend-only traces carry no names to infer it from.
        yaxis={
            "automargin": True,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": df["label"].tolist(),
        },
    )
    return fig
