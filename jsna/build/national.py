"""Every practice, PCN, sub-ICB, ICB and region in England: QOF registers, pooled.

Built from NHS England's national QOF prevalence file and the matching NHS geography
(practice -> PCN -> sub-ICB -> ICB -> region, as at the same year: the `membership` column,
the geography file's period in the data release). Every area's value is its
practices' summed registers over their summed lists, with Wilson intervals, compared with
England by the same two-level rule as the rest of the profile. Counts of 1 to 4 are
suppressed, with whatever other cells would let a reader recover or narrow one from any
published total (practices, PCNs, sub-ICBs, ICBs, regions, England and the place's own
PCNs, neighbourhoods and council at once; `jsna.core.suppression.protect`).

Tables written (see :func:`national_tables`):

- ``nhs_areas``: area_code, area_name, area_type, parent_code, parent_type, membership, and
  each area's ancestors: region_code, icb_code, sub_icb_code, pcn_code (a practice's own
  sub-ICB; a PCN's listed one, the sub-ICB holding most of its practices).
- ``national_values``: area_code, area_type, indicator_id, count, denominator, value, the
  95% and 99.8% limits, comparison with England, rank and decile among areas of its type.
- ``national_profile`` (a view, :data:`NATIONAL_VIEW`): national values as profile rows.
- ``pcn_context``: per PCN, list size, % aged 65+ and IMD score (list-weighted over the
  practices the HEEC file covers), used to find "PCNs like ours".
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jsna.build import national_judgements
from jsna.build.sources import SourceError, Sources, check_codes
from jsna.core import stats
from jsna.core.schema import CI_COLUMNS

if TYPE_CHECKING:
    from jsna.build.profiles import IndicatorProfile, Place

LEVELS = ("practice", "pcn", "sub_icb", "icb", "region")
_GEO_COLUMNS = {
    "practice": ("PRACTICE_CODE", "PRACTICE_NAME"),
    "pcn": ("PCN_ODS_CODE", "PCN_NAME"),
    "sub_icb": ("SUB_ICB_ODS_CODE", "SUB_ICB_NAME"),
    "icb": ("ICB_ODS_CODE", "ICB_NAME"),
    "region": ("REGION_ODS_CODE", "REGION_NAME"),
}
NO_PCN = "U"
_ANCESTORS = ("region", "icb", "sub_icb", "pcn")


# Every national value shaped like a row of the `profile` view (compared with England, no
# judgement), with its rank, decile, membership year and ancestors, for the profile pages.
NATIONAL_VIEW = """
create view national_profile as
select v.area_code, a.area_name, v.area_type, null as vintage,
       v.indicator_id, i.indicator_name, i.domain, i.domain_order, i.sort_order, i.period,
       'Persons' as sex, 'All ages' as age, i.unit, i.value_type, i.polarity,
       v.value, v.lower_ci95, v.upper_ci95, v.lower_ci998, v.upper_ci998,
       v.count, v.denominator, v.england_value, null::double as la_value,
       'England' as benchmark, v.england_value as benchmark_value, v.comparison,
       case when v.area_type = 'england' then 'this is the benchmark' else '' end
           as comparison_reason,
       i.ci_method_label as method, false as is_estimate, v.note,
       'Registered patients (NHS England ' || v.membership || ' membership)' as population,
       v.rank, v.of, v.decile, v.membership,
       v.rank_lower, v.rank_upper, v.p_decile, v.among_peers,
       a.region_code, a.icb_code, a.sub_icb_code, a.pcn_code
from national_values as v
join nhs_areas as a on a.area_code = v.area_code and a.area_type = v.area_type
join indicators as i on i.indicator_id = v.indicator_id;

-- Whether an area (by its ancestors' codes) lies inside the parent area; a PCN counts under
-- its listed sub-ICB, a practice under its own.
create macro nhs_inside(region_code, icb_code, sub_icb_code, pcn_code, parent_code, parent_type)
as coalesce(
    case parent_type
        when 'england' then true
        when 'region' then region_code = parent_code
        when 'icb' then icb_code = parent_code
        when 'sub_icb' then sub_icb_code = parent_code
        when 'pcn' then pcn_code = parent_code
        else false
    end,
    false
)
"""


def _geography(src: Sources, rel: str, england_code: str) -> pd.DataFrame:
    cols = [c for pair in _GEO_COLUMNS.values() for c in pair]
    geo = src.read_csv(rel, cols, key=["PRACTICE_CODE"])
    for code_col, name_col in _GEO_COLUMNS.values():
        blank = geo[code_col].isna() | (geo[name_col].isna() & (geo[code_col] != NO_PCN))
        if blank.any():
            i = int(blank.to_numpy().argmax())
            raise SourceError(rel, "blank code or name", int(geo["_row"].iloc[i]), code_col)
    # NHS England codes a practice in no PCN as "U"; it sits directly in its sub-ICB.
    no_pcn = geo["PCN_ODS_CODE"] == NO_PCN
    geo.loc[no_pcn, ["PCN_ODS_CODE", "PCN_NAME"]] = None
    # PCNs can span sub-ICBs; sub-ICBs, ICBs and regions nest strictly.
    for child, parent in itertools.pairwise(LEVELS[2:]):
        pairs = geo[[_GEO_COLUMNS[child][0], _GEO_COLUMNS[parent][0]]].dropna().drop_duplicates()
        split = pairs[_GEO_COLUMNS[child][0]].duplicated()
        if split.any():
            raise SourceError(
                rel,
                f"{child} {pairs[_GEO_COLUMNS[child][0]][split].iloc[0]} has two parents",
                column=_GEO_COLUMNS[parent][0],
            )
    geo["england"] = england_code
    return geo


def _areas(geo: pd.DataFrame, england_code: str, england_name: str) -> pd.DataFrame:
    frames = [
        pd.DataFrame(
            {
                "area_code": [england_code],
                "area_name": [england_name],
                "area_type": ["england"],
                "parent_code": [None],
                "parent_type": [None],
                **{f"{lv}_code": [None] for lv in _ANCESTORS},
            }
        )
    ]
    parents = {**dict(itertools.pairwise(LEVELS)), "region": "england"}
    for level in LEVELS:
        code, name = _GEO_COLUMNS[level]
        parent = parents[level]
        parent_col = "england" if parent == "england" else _GEO_COLUMNS[parent][0]
        if level == "pcn":  # listed under the sub-ICB holding most of its practices
            sub = geo[geo[code].notna()]
            sub = sub.assign(_n=sub.groupby([code, parent_col])[code].transform("size"))
            sub = sub.sort_values("_n", ascending=False, kind="stable").drop_duplicates(code)
        else:
            sub = geo[geo[code].notna()].drop_duplicates(code)
        parent_code = sub[parent_col]
        parent_type = pd.Series(parent, index=sub.index)
        if level == "practice":  # a practice in no PCN belongs to its sub-ICB
            orphan = parent_code.isna()
            parent_code = parent_code.fillna(sub["SUB_ICB_ODS_CODE"])
            parent_type = parent_type.where(~orphan, "sub_icb")
        frames.append(
            pd.DataFrame(
                {
                    "area_code": sub[code].to_numpy(),
                    "area_name": sub[name].to_numpy(),
                    "area_type": level,
                    "parent_code": parent_code.to_numpy(),
                    "parent_type": parent_type.to_numpy(),
                    **{
                        f"{lv}_code": sub[_GEO_COLUMNS[lv][0]].to_numpy()
                        if LEVELS.index(lv) > LEVELS.index(level)
                        else None
                        for lv in _ANCESTORS
                    },
                }
            )
        )
    areas = pd.concat(frames, ignore_index=True)
    # Codes are unique within a level but a PCN and a practice code could coincide in
    # principle; the key is (area_type, area_code).
    dup = areas.duplicated(["area_type", "area_code"])
    if dup.any():
        raise SourceError("(NHS geography)", f"area code {areas['area_code'][dup].iloc[0]} twice")
    return areas


def _pooled(
    qof: pd.DataFrame, geo: pd.DataFrame, england_code: str, ids: dict[str, str]
) -> pd.DataFrame:
    """Registers and lists summed to every level, one row per area and register."""
    df = qof.merge(geo, on="PRACTICE_CODE", how="left")
    frames = []
    for level, key in [*((lv, _GEO_COLUMNS[lv][0]) for lv in LEVELS), ("england", "england")]:
        g = df.groupby([key, "GROUP_CODE"], sort=False)[["REGISTER", "PRACTICE_LIST_SIZE"]]
        s = g.sum().reset_index()
        frames.append(
            pd.DataFrame(
                {
                    "area_code": s[key].to_numpy(),
                    "area_type": level,
                    "indicator_id": s["GROUP_CODE"].map(ids).to_numpy(),
                    "count": s["REGISTER"].to_numpy(dtype=float),
                    "denominator": s["PRACTICE_LIST_SIZE"].to_numpy(dtype=float),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[out["indicator_id"].notna()].reset_index(drop=True)


def _with_values(df: pd.DataFrame) -> pd.DataFrame:
    # A few specialist practices' registers exceed their list as NHS England publishes them:
    # no honest prevalence exists there, but the counts still belong in the totals above.
    ok = ((df["count"] <= df["denominator"]) & (df["denominator"] > 0)).to_numpy()
    res = stats.proportion(df["count"].to_numpy()[ok], df["denominator"].to_numpy()[ok], 100.0)
    for col in ("value", *CI_COLUMNS):
        df[col] = np.nan
        df.loc[ok, col] = res[col].to_numpy()
    df["note"] = pd.Series(None, index=df.index, dtype=object).where(
        ok, "Not available: the register is larger than the list, as published"
    )
    england = df[df["area_type"] == "england"].set_index("indicator_id")["value"]
    df["england_value"] = df["indicator_id"].map(england)
    comp, _ = stats.compare_to_benchmark(
        df["value"],
        df["lower_ci95"],
        df["upper_ci95"],
        df["england_value"],
        stats.Polarity.NO_JUDGEMENT,
        df["lower_ci998"],
        df["upper_ci998"],
    )
    df["comparison"] = np.where(df["area_type"] == "england", "not compared", comp)
    return df


def _place_groups(place: Place) -> pd.DataFrame:
    """The place's own profile totals as sums of practices.

    Its PCNs (today's members), the neighbourhoods they serve (registered patients) and the
    council.
    """
    serving: dict[str, set[str]] = {}
    for pcn in place.pcns:
        for nbh in pcn.serves:
            serving.setdefault(nbh, set()).update(pcn.practices)
    pairs = [(f"place:{p.code}", m) for p in place.pcns for m in p.practices]
    pairs += [(f"place:{n}", m) for n, ms in serving.items() for m in sorted(ms)]
    pairs += [(f"place:{place.code}", m) for p in place.pcns for m in p.practices]
    out = pd.DataFrame(pairs, columns=["group_code", "member_code"]).drop_duplicates()
    out["member_code"] = "practice:" + out["member_code"]
    return out


def _suppressed(
    df: pd.DataFrame, areas: pd.DataFrame, geo: pd.DataFrame, place: Place | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts of 1 to 4 blanked, and whatever would recover or narrow one, over every total.

    The totals a reader holds: each PCN and sub-ICB as the sum of its practices (a PCN can
    span sub-ICBs; a practice in no PCN sits in its sub-ICB alone), each ICB of its
    sub-ICBs, each region of its ICBs, England of the regions; and the place's own profile
    totals (its PCNs, neighbourhoods and council, pooled from the same practices). Returns
    the national rows and the place's hidden rows (``area_code``, ``indicator_id``,
    ``secondary``) for the profile to hide too.
    """
    from jsna.core.suppression import SECONDARY_NOTE, SUPPRESSED_NOTE, equations, protect

    keyed = df.assign(key=df["area_type"] + ":" + df["area_code"])
    kids = areas[areas["area_type"].isin(["sub_icb", "icb", "region"])]
    members = pd.concat(
        [
            pd.DataFrame(
                {
                    "group_code": level + ":" + geo[_GEO_COLUMNS[level][0]],
                    "member_code": "practice:" + geo["PRACTICE_CODE"],
                }
            ).dropna()
            for level in ("pcn", "sub_icb")
        ]
        + [
            pd.DataFrame(
                {
                    "group_code": kids["parent_type"] + ":" + kids["parent_code"],
                    "member_code": kids["area_type"] + ":" + kids["area_code"],
                }
            )
        ],
        ignore_index=True,
    )
    cells = keyed[["key", "indicator_id", "count", "denominator"]]
    if place is not None:
        place_groups = _place_groups(place)
        members = pd.concat([members, place_groups], ignore_index=True)
        pooled = place_groups.merge(cells, left_on="member_code", right_on="key")
        pooled = pooled.groupby(["group_code", "indicator_id"], as_index=False)[
            ["count", "denominator"]
        ].sum()
        cells = pd.concat([cells, pooled.rename(columns={"group_code": "key"})], ignore_index=True)
    eqs = equations(cells, members, ["indicator_id"], code="key")
    result = protect(cells["count"].to_numpy(), cells["denominator"].to_numpy(), eqs)
    n = len(df)
    hid, sec = result.hidden[:n], result.secondary[:n]
    out = df.copy()
    small = out["count"].between(1, 4).to_numpy()
    out.loc[small, "note"] = SUPPRESSED_NOTE
    out.loc[sec, "note"] = SECONDARY_NOTE
    out.loc[hid, ["value", "count", *CI_COLUMNS]] = np.nan
    out.loc[hid, "comparison"] = stats.Comparison.NOT_COMPARED.value
    # The place's rows as the profile keys them: practices, PCNs, neighbourhoods, council,
    # England.
    place_keys = cells["key"].str.startswith("place:").to_numpy()
    practices = {f"practice:{m}" for p in (place.pcns if place else ()) for m in p.practices}
    mine = place_keys | cells["key"].isin(practices).to_numpy()
    mine &= result.hidden
    hidden = pd.DataFrame(
        {
            "area_code": cells.loc[mine, "key"].str.split(":", n=1).str[1].to_numpy(),
            "indicator_id": cells.loc[mine, "indicator_id"].to_numpy(),
            "secondary": result.secondary[mine],
        }
    )
    return out, hidden


def _pcn_context(
    src: Sources, rel: str | None, qof: pd.DataFrame, geo: pd.DataFrame
) -> pd.DataFrame:
    """List size, % aged 65+ and IMD score per PCN, list-weighted over covered practices."""
    cols = ["Practice.Code", "prop65", "IMD"]
    ctx = (
        src.read_csv(rel, cols, numbers=["prop65", "IMD"])
        if rel
        else pd.DataFrame({c: pd.Series(dtype=float if c != cols[0] else object) for c in cols})
    )
    lists = qof[qof["PATIENT_LIST_TYPE"] == "TOTAL"].drop_duplicates("PRACTICE_CODE")
    df = lists[["PRACTICE_CODE", "PRACTICE_LIST_SIZE"]].merge(
        geo[["PRACTICE_CODE", "PCN_ODS_CODE"]], on="PRACTICE_CODE"
    )
    df = df.merge(
        ctx[["Practice.Code", "prop65", "IMD"]],
        left_on="PRACTICE_CODE",
        right_on="Practice.Code",
        how="left",
    )
    df["covered"] = np.where(df["prop65"].notna() & df["IMD"].notna(), df["PRACTICE_LIST_SIZE"], 0)
    df["w65"] = df["prop65"].fillna(0) * df["covered"]
    df["wimd"] = df["IMD"].fillna(0) * df["covered"]
    g = df.groupby("PCN_ODS_CODE")[["PRACTICE_LIST_SIZE", "covered", "w65", "wimd"]].sum()
    out = pd.DataFrame(
        {
            "pcn_code": g.index,
            "list_size": g["PRACTICE_LIST_SIZE"].to_numpy(dtype=float),
            "coverage": (g["covered"] / g["PRACTICE_LIST_SIZE"]).to_numpy(),
        }
    )
    ok = g["covered"].to_numpy() > 0
    out["pct_65_plus"] = np.where(ok, g["w65"] / g["covered"].where(ok, 1), np.nan)
    out["imd_score"] = np.where(ok, g["wimd"] / g["covered"].where(ok, 1), np.nan)
    return out


def national_tables(src: Sources, profile: IndicatorProfile, place: Place) -> dict[str, Any]:
    """The national tables (see :func:`national_build`)."""
    return national_build(src, profile, place)[0]


def check_sources(src: Sources, profile: IndicatorProfile, place: Place) -> None:
    """Read and check the national QOF and NHS geography files, without pooling (`--check`)."""
    from jsna.build.recipes.gp import qof_national as _qof_national

    qof_inds = [i for i in profile.indicators if i.build.get("kind") == "qof_prevalence"]
    if not qof_inds or not qof_inds[0].build.get("geography_file"):
        return
    rel, geo_rel = qof_inds[0].build["file"], qof_inds[0].build["geography_file"]
    qof = _qof_national(src, rel)
    geo = _geography(src, geo_rel, place.england_code)
    check_codes(qof, rel, "PRACTICE_CODE", set(geo["PRACTICE_CODE"]), "practice code")


def national_build(
    src: Sources, profile: IndicatorProfile, place: Place
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The national tables and the place's rows that their suppression hides.

    The tables come from the QOF indicators' own source files; the profile hides the same
    place rows.

    Uses the first `qof_prevalence` indicator's ``file`` and ``geography_file``; registers map
    to indicator ids through each indicator's ``group``. Returns {} when the profile has none.
    """
    from jsna.build.recipes.gp import qof_national as _qof_national  # validated once per build

    qof_inds = [i for i in profile.indicators if i.build.get("kind") == "qof_prevalence"]
    if not qof_inds or not qof_inds[0].build.get("geography_file"):
        return {}, pd.DataFrame(columns=["area_code", "indicator_id", "secondary"])
    rel, geo_rel = qof_inds[0].build["file"], qof_inds[0].build["geography_file"]
    ids = {str(i.build["group"]): i.id for i in qof_inds}
    qof = _qof_national(src, rel)
    geo = _geography(src, geo_rel, place.england_code)
    check_codes(qof, rel, "PRACTICE_CODE", set(geo["PRACTICE_CODE"]), "practice code")
    missing = set(geo["PRACTICE_CODE"]) - set(qof["PRACTICE_CODE"])
    if missing:
        raise SourceError(rel, f"no rows for practice {sorted(missing)[0]}", column="PRACTICE_CODE")
    # The membership year: the NHS geography file's period (the QOF indicator's, unverified).
    membership = qof_inds[0].period
    if src.release is not None and src.release.manifest is not None:
        membership = src.release.period(geo_rel)
    areas = _areas(geo, place.england_code, place.england_name).assign(membership=membership)
    suppressed, hidden = _suppressed(
        _with_values(_pooled(qof, geo, place.england_code, ids)), areas, geo, place
    )
    values = national_judgements.ranks(suppressed)
    values["membership"] = membership
    # Stored in area order, so DuckDB's min/max zone maps skip most of the table when a page
    # asks for one area.
    values = values.sort_values(["area_type", "area_code", "indicator_id"], ignore_index=True)
    tables = {
        "nhs_areas": areas,
        "national_values": values.drop(columns=["phi", "tau2"]),
        "national_dispersion": national_judgements.dispersion_table(values),
    }
    # Practice % aged 65+ and IMD for all of England, where the place names the file; without
    # it every PCN still has its list size, and no age or deprivation figure (coverage 0).
    tables["pcn_context"] = _pcn_context(src, place.files.get("practice_context"), qof, geo)
    return tables, hidden
