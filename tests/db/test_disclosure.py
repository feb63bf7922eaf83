"""No blanked count can be recovered or narrowed from what is published (issue 18 part 1).

The reader here is independent of the build's code: it reads only published figures and
labels, and for every blank solves its own linear programme (scipy's HiGHS) for the smallest
and largest value consistent with every published total. A "fewer than 5" blank must keep
the whole range 1 to 4; a blank hidden to protect another (so, a reader infers, at least 5
and at most its published denominator) must not be pinned.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from jsna.build import list_bands
from jsna.build.profiles import load_place
from jsna.core.suppression import protect, suppress_bands
from tests.conftest import SOURCE

PRIMARY, SECONDARY = "primary", "secondary"
SECONDARY_FLOOR = 5.0  # a blank hidden to protect another is not itself 1 to 4


def reader_ranges(cells, totals):
    """Each blank's [min, max] given the published cells and totals.

    cells: name -> (published value or None, label or None, upper bound).
    totals: list of (total name, [member names]); every name is a cell.
    """
    blanks = [c for c, (v, _, _) in cells.items() if v is None]
    parent = {c: c for c in blanks}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    eqs = []
    for total, members in totals:
        terms = [(total, -1.0)] + [(m, 1.0) for m in members]
        hidden = [c for c, _ in terms if cells[c][0] is None]
        if not hidden:
            continue
        const = -sum(k * cells[c][0] for c, k in terms if cells[c][0] is not None)
        eqs.append(([(c, k) for c, k in terms if cells[c][0] is None], const))
        for c in hidden[1:]:
            parent[find(c)] = find(hidden[0])
    groups = defaultdict(list)
    for e in eqs:
        groups[find(e[0][0][0])].append(e)
    out = {}
    for c in blanks:
        _, label, upper = cells[c]
        lo_b, hi_b = (1.0, 4.0) if label == PRIMARY else (SECONDARY_FLOOR, upper)
        out[c] = (lo_b, hi_b)
    for comp in groups.values():
        names = sorted({c for terms, _ in comp for c, _ in terms})
        pos = {c: i for i, c in enumerate(names)}
        a = np.zeros((len(comp), len(names)))
        b = np.zeros(len(comp))
        for i, (terms, const) in enumerate(comp):
            for c, k in terms:
                a[i, pos[c]] += k
            b[i] = const
        bounds = [out[c] for c in names]
        bounds = [(lo, None if np.isinf(hi) else hi) for lo, hi in bounds]
        for c in names:
            obj = np.zeros(len(names))
            obj[pos[c]] = 1
            lo = linprog(obj, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            hi = linprog(-obj, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            assert lo.status == 0, f"{c}: published figures are inconsistent"
            out[c] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
    return out


def exposed(cells, ranges, totals=None):
    """Blanks narrowed beyond their label: a primary not [1, 4], a secondary pinned.

    With `totals`, a primary's floor is what the labels alone imply (a total of two
    "fewer than 5" blanks is itself at least 2, whatever is published; four such blanks
    and published zeros adding up to a "fewer than 5" total are 1 each): the ranges from
    the totals whose every cell is blank or a published zero.
    """
    base = dict.fromkeys(ranges, (1.0, 4.0))
    if totals is not None:
        blank_only = [
            (t, ms) for t, ms in totals if all(cells[c][0] in (None, 0) for c in (t, *ms))
        ]
        base |= {
            c: r for c, r in reader_ranges(cells, blank_only).items() if cells[c][1] == PRIMARY
        }
    bad = {}
    for c, (lo, hi) in ranges.items():
        label = cells[c][1]
        b_lo, b_hi = base[c]
        narrowed = lo > b_lo + 1e-6 or hi < b_hi - 1e-6
        pinned = hi - lo < 1e-6 and b_hi - b_lo > 1e-6  # (not by the labels alone)
        if (label == PRIMARY and narrowed) or pinned:
            bad[c] = (round(lo, 6), round(hi, 6))
    return bad


def protected(cells_true, totals, upper=None):
    """The build's suppression applied to a hand-made table: the published cells."""
    names = list(cells_true)
    idx = {c: i for i, c in enumerate(names)}
    rows = []
    for e, (total, members) in enumerate(totals):
        rows.append((e, idx[total], -1))
        rows += [(e, idx[m], 1) for m in members]
    eqs = pd.DataFrame(rows, columns=["eq", "cell", "coef"])
    up = np.array([(upper or {}).get(c, np.inf) for c in names])
    res = protect(np.array([cells_true[c] for c in names], dtype=float), up, eqs)
    return {
        c: (
            None if res.hidden[i] else cells_true[c],
            (SECONDARY if res.secondary[i] else PRIMARY) if res.hidden[i] else None,
            up[i],
        )
        for c, i in idx.items()
    }


# --- Hand-made cases from the issue, worked by hand -------------------------------------

# qof_can in sub-ICB 16C: A81633 (no PCN) has 2; PCN U85008 holds X (50) and Y (178) and is
# wholly inside 16C; another practice Z (300) is in 16C in PCN W with V (400).
CAN_TRUE = {
    "S16C": 930,
    "A81633": 2,
    "X": 50,
    "Y": 178,
    "U85008": 228,
    "Z": 300,
    "V": 400,
    "W": 700,
}
CAN_TOTALS = [("S16C", ["A81633", "X", "Y", "Z", "V"]), ("U85008", ["X", "Y"]), ("W", ["Z", "V"])]


def test_the_old_rule_let_a_practice_in_no_pcn_be_worked_out():
    """Given the old rule's output (A81633 and the smallest other member of 16C, X, hidden),
    then 16C's remainder (52) minus U85008's remainder (50) pins A81633 to 2."""
    old = {c: (v, None, np.inf) for c, v in CAN_TRUE.items()}
    old["A81633"] = (None, PRIMARY, np.inf)
    old["X"] = (None, SECONDARY, 1000)
    ranges = reader_ranges(old, CAN_TOTALS)
    assert exposed(old, ranges) == {"A81633": (2.0, 2.0), "X": (50.0, 50.0)}


def test_after_the_fix_the_practice_in_no_pcn_keeps_its_whole_range():
    cells = protected(CAN_TRUE, CAN_TOTALS)
    ranges = reader_ranges(cells, CAN_TOTALS)
    assert exposed(cells, ranges) == {}
    assert ranges["A81633"] == pytest.approx((1, 4))


# qof_ra: C88627 (4) is the only practice of PCN U39345; 03N holds it and D (200), which is
# in PCN U31169 with E (300) in another sub-ICB 03M (E's sub-ICB total 300 + F 100).
RA_TRUE = {"C88627": 4, "U39345": 4, "D": 200, "E": 300, "U31169": 500, "S03N": 204}
RA_TRUE |= {"F": 100, "S03M": 400}
RA_TOTALS = [
    ("U39345", ["C88627"]),
    ("S03N", ["C88627", "D"]),
    ("U31169", ["D", "E"]),
    ("S03M", ["E", "F"]),
]


def test_a_pcn_of_one_practice_is_hidden_with_it():
    """Given the old rule (the lone practice's PCN total shown), U39345's total is 4."""
    old = {c: (v, None, np.inf) for c, v in RA_TRUE.items()}
    old["C88627"] = (None, PRIMARY, np.inf)
    assert exposed(old, reader_ranges(old, RA_TOTALS)) == {"C88627": (4.0, 4.0)}
    cells = protected(RA_TRUE, RA_TOTALS)
    ranges = reader_ranges(cells, RA_TOTALS)
    assert cells["U39345"][0] is None
    assert exposed(cells, ranges) == {}
    assert ranges["C88627"] == pytest.approx((1, 4))


# Trafford's qof_ost: P91617 (3) and P91631 (4) are both "fewer than 5" in PCN U42898,
# whose other practices publish 60, 80 and 100, total 247.
OST_TRUE = {"P91617": 3, "P91631": 4, "A": 60, "B": 80, "C": 100, "U42898": 247}
OST_TOTALS = [("U42898", ["P91617", "P91631", "A", "B", "C"])]


def test_two_small_counts_in_one_pcn_are_not_narrowed_by_their_sum():
    """Given both blanks alone, their sum is 7, so each is 3 or 4; after the fix, 1 to 4."""
    old = {c: (v, None, np.inf) for c, v in OST_TRUE.items()}
    old["P91617"] = (None, PRIMARY, np.inf)
    old["P91631"] = (None, PRIMARY, np.inf)
    assert exposed(old, reader_ranges(old, OST_TOTALS)) == {
        "P91617": (3.0, 4.0),
        "P91631": (3.0, 4.0),
    }
    cells = protected(OST_TRUE, OST_TOTALS)
    ranges = reader_ranges(cells, OST_TOTALS)
    assert exposed(cells, ranges) == {}
    assert sum(v is None for v, _, _ in cells.values()) == 3  # one extra blank, no more


# qof_ld: PCN U59216's total is 2 (its practices 1 and 1); sub-ICB 52R publishes 40 with
# another practice of 38 in PCN Q (38 alone).
LD_TRUE = {"p1": 1, "p2": 1, "U59216": 2, "q": 38, "Q": 38, "S52R": 40}
LD_TOTALS = [("U59216", ["p1", "p2"]), ("Q", ["q"]), ("S52R", ["p1", "p2", "q"])]


def test_a_small_pcn_total_is_not_left_to_subtraction():
    old = {c: (v, None, np.inf) for c, v in LD_TRUE.items()}
    for c in ("p1", "p2", "U59216"):
        old[c] = (None, PRIMARY, np.inf)
    # 52R less its published practice (38) gives U59216's total, 2: each practice is 1.
    assert exposed(old, reader_ranges(old, LD_TOTALS)) == {
        "p1": (1.0, 1.0),
        "p2": (1.0, 1.0),
        "U59216": (2.0, 2.0),
    }
    # The labels alone say U59216 (the sum of two blanks of 1 to 4) is 2 to 4 and each
    # practice 1 to 3; nothing published may narrow that.
    cells = protected(LD_TRUE, LD_TOTALS)
    ranges = reader_ranges(cells, LD_TOTALS)
    assert exposed(cells, ranges, LD_TOTALS) == {}
    assert ranges["U59216"] == pytest.approx((2, 4))
    assert ranges["p1"] == pytest.approx((1, 3))


# --- The real national build --------------------------------------------------------------


def _label(note):
    if not isinstance(note, str):
        return None
    return PRIMARY if "fewer than 5" in note else SECONDARY


def test_no_blank_in_the_national_build_or_the_profile_can_be_narrowed(con):
    """Every published total of the national tables and the place's profile at once."""
    assert national_failures(con) == {}


def national_failures(con):
    """Blanks of the built database a reader can pin or narrow, with their ranges."""
    v = con.execute(
        "select v.area_type, v.area_code, v.indicator_id, v.count, v.denominator, v.note, "
        "a.pcn_code, a.sub_icb_code, a.icb_code, a.region_code "
        "from national_values as v join nhs_areas as a using (area_type, area_code)"
    ).df()
    prof = con.execute(
        "select area_type, area_code, indicator_id, count, denominator, note from profile "
        "where indicator_id like 'qof_%' and area_type in "
        "('practice', 'pcn', 'neighbourhood', 'local_authority')"
    ).df()
    place = load_place()
    failures = {}
    for ind, sub in v.groupby("indicator_id"):
        cells = {}
        for r in sub.itertuples(index=False):
            val = None if pd.isna(r.count) else float(r.count)
            cells[(r.area_type, r.area_code)] = (val, _label(r.note), float(r.denominator))
        totals = []
        practices = sub[sub["area_type"] == "practice"]
        for level, col in (("pcn", "pcn_code"), ("sub_icb", "sub_icb_code")):
            for code, grp in practices.dropna(subset=[col]).groupby(col):
                totals.append(((level, code), [("practice", c) for c in grp["area_code"]]))
        for level, child, col in (
            ("icb", "sub_icb", "icb_code"),
            ("region", "icb", "region_code"),
        ):
            kids = sub[sub["area_type"] == child]
            for code, grp in kids.groupby(col):
                totals.append(((level, code), [(child, c) for c in grp["area_code"]]))
        totals.append(
            (
                ("england", place.england_code),
                [("region", c) for c in sub.loc[sub["area_type"] == "region", "area_code"]],
            )
        )
        # The place's profile rows: the same practices' counts, pooled.
        mine = prof[prof["indicator_id"] == ind]
        for r in mine.itertuples(index=False):
            key = ("practice", r.area_code) if r.area_type == "practice" else ("place", r.area_code)
            val = None if pd.isna(r.count) else float(r.count)
            if key in cells and cells[key][0] is not None:
                continue
            if key in cells and val is not None:  # published here though hidden nationally
                cells[key] = (val, None, np.inf)
            else:
                cells[key] = (val, _label(r.note), float(r.denominator))
        present = {c for (t, c) in cells if t == "practice"}
        serving = defaultdict(list)
        for pcn in place.pcns:
            ps = [("practice", p) for p in pcn.practices if p in present]
            if ("place", pcn.code) in cells:
                totals.append((("place", pcn.code), ps))
            for n in pcn.serves:
                serving[n] += ps
            if ("place", place.code) in cells:
                pass
        for n, ps in serving.items():
            if ("place", n) in cells:
                totals.append((("place", n), sorted(set(ps))))
        if ("place", place.code) in cells:
            allp = sorted(
                {("practice", p) for pcn in place.pcns for p in pcn.practices} & set(cells)
            )
            totals.append((("place", place.code), allp))
        bad = exposed(cells, reader_ranges(cells, totals), totals)
        failures.update({(ind, *k): r for k, r in bad.items()})
    return failures


# --- Banded tables: age bands by area (population pyramids, registered-list bands) --------


def banded_reader(rows, groups, totals, known=None):
    """The reader's cells and totals for a banded table.

    rows: published rows (area, part, band, count or None, label or None), `part` the
    key within which an area's bands add up (a sex, or "" for none).
    groups: (group area, [member areas]), true in every band and part.
    totals: (area, part) -> the area's all-bands total, known to the reader.
    known: (area, part, band) -> a value published elsewhere (a pool's band).
    """
    cells = {}
    bands = defaultdict(list)
    for area, part, band, value, label in rows:
        cells[(area, part, band)] = (value, label, float(totals[(area, part)]))
        bands[(area, part)].append(band)
    for name, value in (known or {}).items():
        cells.setdefault(name, (float(value), None, np.inf))
    sums = []
    for (area, part), bs in bands.items():
        cells[(area, part, "*")] = (float(totals[(area, part)]), None, np.inf)
        sums.append(((area, part, "*"), [(area, part, b) for b in bs]))
    for group, members in groups:
        for (area, part), bs in bands.items():
            if area != members[0]:
                continue
            for b in bs:
                names = [(m, part, b) for m in members]
                if (group, part, b) in cells and all(n in cells for n in names):
                    sums.append(((group, part, b), names))
    return cells, sums


def _as_rows(df, part=None):
    out = []
    for r in df.itertuples(index=False):
        label = (SECONDARY if r.secondary else PRIMARY) if r.suppressed else None
        value = None if pd.isna(r.count) else float(r.count)
        out.append((r.area_code, getattr(r, part) if part else "", r.age_band, value, label))
    return out


def _ward_hierarchy():
    """Wards of the May 2023 set -> neighbourhood, from the source lookup."""
    with open(SOURCE / "lookups/trafford_ward_to_locality.csv") as f:
        return {
            r["ward_code"]: "NBH-" + r["locality"].upper()
            for r in csv.DictReader(f)
            if r["ward_set"].startswith("May 2023")
        }


def _population_groups(ward_nbh, la="E08000009"):
    by_nbh = defaultdict(list)
    for w, n in sorted(ward_nbh.items()):
        by_nbh[n].append(w)
    return [(n, ws) for n, ws in by_nbh.items()] + [(la, sorted(by_nbh))]


def _population_totals(ward_nbh, la="E08000009"):
    """Each area's residents by sex (all_ages), from the mid-year estimate files."""
    totals = defaultdict(float)
    base = SOURCE / "indicators/population"
    for name, codes in (("ward", set(ward_nbh)), ("local_authority", {la})):
        with open(base / f"mid-year_2024_population_estimates_{name}.csv") as f:
            for r in csv.DictReader(f):
                if r["area_code"] in codes and r["sex"] in ("Males", "Females"):
                    totals[(r["area_code"], r["sex"])] += int(r["all_ages"])
                    if name == "ward":
                        totals[(ward_nbh[r["area_code"]], r["sex"])] += int(r["all_ages"])
    return totals


def _no_small_count_shown(df):
    assert not df["count"].between(1, 4).any()


def test_no_blank_of_the_population_pyramids_can_be_narrowed(con):
    """Every ward, neighbourhood and council band by sex, and every area's total by sex."""
    df = con.execute("select * from population_bands").df()
    _no_small_count_shown(df)
    ward_nbh = _ward_hierarchy()
    assert set(df.loc[df["area_type"] == "ward", "area_code"]) == set(ward_nbh)
    cells, sums = banded_reader(
        _as_rows(df, "sex"), _population_groups(ward_nbh), _population_totals(ward_nbh)
    )
    assert exposed(cells, reader_ranges(cells, sums), sums) == {}


def _list_sources():
    """Practice -> its list by band (the file's published columns) and its list size."""
    rel = "gp/age/hocl_gp_list_by_age_group_apr2020_trafford_p91_plus_england.csv"
    with open(SOURCE / rel) as f:
        rows = {r["PRACTICE_CODE"]: r for r in csv.DictReader(f)}
    bands = {}
    for code, r in rows.items():
        n = {k: float(r[k]) for k in ("TOTAL", "16OV", "18OV", "50OV", "65OV")}
        bands[code] = {
            "0-15": n["TOTAL"] - n["16OV"],
            "16-17": n["16OV"] - n["18OV"],
            "18-49": n["18OV"] - n["50OV"],
            "50-64": n["50OV"] - n["65OV"],
            "65+": n["65OV"],
        }
    return bands


def list_reader(df, place, source_bands):
    """The reader of the list bands: PCN totals of practices, the 65+ count of the place's
    neighbourhood and council pools (the profile's list_65_plus), and each list's size."""
    df = df[df["area_type"].isin(["practice", "pcn"])]
    groups, pools = [], defaultdict(set)
    for pcn in place.pcns:
        groups.append((pcn.code, list(pcn.practices)))
        pools[place.code] |= set(pcn.practices)
        for n in pcn.serves:
            pools[n] |= set(pcn.practices)
    groups += [(f"pool:{g}", sorted(ms)) for g, ms in pools.items()]
    sizes = defaultdict(float)
    known = {}
    for pcn in place.pcns:
        for p in pcn.practices:
            sizes[(p, "")] = sum(source_bands[p].values())
            sizes[(pcn.code, "")] += sizes[(p, "")]
            for g, ms in pools.items():
                if p in ms:
                    v = source_bands[p]["65+"]
                    known[(f"pool:{g}", "", "65+")] = known.get((f"pool:{g}", "", "65+"), 0) + v
    return _as_rows(df), groups, sizes, known


def test_no_blank_of_the_list_bands_can_be_narrowed(con):
    df = con.execute("select * from gp_list_bands").df()
    _no_small_count_shown(df)
    place = load_place()
    rows, groups, sizes, known = list_reader(df, place, _list_sources())
    prof = con.execute(
        "select area_code, count from profile where indicator_id = 'list_65_plus' "
        "and area_type in ('practice', 'pcn') and count is not null"
    ).df()
    known |= {(r.area_code, "", "65+"): r.count for r in prof.itertuples(index=False)}
    rows = [
        (a, p, b, v, lab) if (a, p, b) not in known else (a, p, b, known[(a, p, b)], None)
        for a, p, b, v, lab in rows
    ]
    cells, sums = banded_reader(rows, groups, sizes, known)
    assert exposed(cells, reader_ranges(cells, sums), sums) == {}


# Hand-made, from the issue: neighbourhood N of wards W1, W2, W3 (and M of W4), two bands.
# W1 has 3 people aged 90+; N's 90+ band is 93.
WARDS = {"W1": (100, 3), "W2": (200, 40), "W3": (150, 50), "W4": (300, 60)}
WARD_NBH = {"W1": "N", "W2": "N", "W3": "N", "W4": "M"}
BANDS = ("0-4", "90+")


def _ward_table():
    rows = [(w, b, n) for w, ns in WARDS.items() for b, n in zip(BANDS, ns, strict=True)]
    for area, members in (("N", ["W1", "W2", "W3"]), ("M", ["W4"]), ("LA", list(WARDS))):
        rows += [(area, b, sum(WARDS[w][i] for w in members)) for i, b in enumerate(BANDS)]
    return pd.DataFrame(rows, columns=["area_code", "age_band", "count"])


def _ward_reader(published):
    groups = [("N", ["W1", "W2", "W3"]), ("M", ["W4"]), ("LA", ["N", "M"])]
    t = _ward_table()
    totals = {(a, ""): float(n) for a, n in t.groupby("area_code")["count"].sum().items()}
    return banded_reader(_as_rows(published), groups, totals)


def test_a_ward_band_was_its_neighbourhood_band_less_the_other_wards():
    """The old rule (each area alone: W1's 3 and its next smallest band, 100, blanked):
    N's 90+ (93) less W2's (40) and W3's (50) gives W1's, 3."""
    old = _ward_table().assign(suppressed=False, secondary=False)
    w1 = old["area_code"] == "W1"
    old.loc[w1, "suppressed"] = True
    old.loc[w1 & (old["age_band"] == "0-4"), "secondary"] = True
    old.loc[w1, "count"] = np.nan
    cells, sums = _ward_reader(old)
    assert exposed(cells, reader_ranges(cells, sums), sums) == {
        ("W1", "", "90+"): (3.0, 3.0),
        ("W1", "", "0-4"): (100.0, 100.0),
    }


def test_after_the_fix_the_ward_band_keeps_its_whole_range():
    t = _ward_table()
    groups = pd.DataFrame(
        [(n, w) for w, n in WARD_NBH.items()] + [("LA", "N"), ("LA", "M")],
        columns=["group_code", "member_code"],
    )
    out = suppress_bands(t.assign(band_start=t["age_band"]), groups, [])
    cells, sums = _ward_reader(out)
    ranges = reader_ranges(cells, sums)
    assert exposed(cells, ranges, sums) == {}
    assert ranges[("W1", "", "90+")] == pytest.approx((1, 4))
    # The fewest blanks that can do it: a rectangle of W1 and one other ward, both bands.
    assert int(out["suppressed"].sum()) == 4
    _no_small_count_shown(out)


def _ward_bands(ward_nbh, scale):
    """Each ward's residents by sex and 5-year band (90+ open) from the mid-year file,
    divided by `scale` and rounded, so that many are 1 to 4."""
    rel = "indicators/population/mid-year_2024_population_estimates_ward.csv"
    rows = []
    with open(SOURCE / rel) as f:
        for r in csv.DictReader(f):
            if r["area_code"] not in ward_nbh or r["sex"] not in ("Males", "Females"):
                continue
            for start in range(0, 95, 5):
                ages = [str(a) for a in range(start, start + 5)] if start < 90 else ["90+"]
                n = round(sum(int(r[a]) for a in ages) / scale)
                rows.append((r["area_code"], r["sex"], str(start), start, float(n)))
    return pd.DataFrame(rows, columns=["area_code", "sex", "age_band", "band_start", "count"])


def test_the_pyramids_hierarchy_holds_with_many_small_counts():
    """Trafford's real wards, neighbourhoods and council, counts shrunk by 30 so that 1 in
    10 cells is 1 to 4: no blank can be narrowed."""
    ward_nbh = _ward_hierarchy()
    wards = _ward_bands(ward_nbh, 30)
    nbh = wards.assign(area_code=wards["area_code"].map(ward_nbh))
    la = wards.assign(area_code="E08000009")
    by = ["area_code", "sex", "age_band", "band_start"]
    table = pd.concat(
        [wards, *(t.groupby(by, as_index=False)["count"].sum() for t in (nbh, la))],
        ignore_index=True,
    )
    assert table["count"].between(1, 4).mean() > 0.1
    groups = pd.DataFrame(
        [(g, m) for g, ms in _population_groups(ward_nbh) for m in ms],
        columns=["group_code", "member_code"],
    )
    out = suppress_bands(table, groups, ["sex"])
    _no_small_count_shown(out)
    totals = table.groupby(["area_code", "sex"])["count"].sum().to_dict()
    cells, sums = banded_reader(_as_rows(out, "sex"), _population_groups(ward_nbh), totals)
    assert exposed(cells, reader_ranges(cells, sums), sums) == {}


def test_the_list_bands_hierarchy_holds_with_many_small_counts():
    """The place's real practices, PCNs, neighbourhood and council pools, lists shrunk by
    100 so that many bands are 1 to 4, through the build's own list-band protection."""
    place = load_place()
    practice_pcn = {p: pcn.code for pcn in place.pcns for p in pcn.practices}
    source = {
        p: {b: float(round(n / 100)) for b, n in bands.items()}
        for p, bands in _list_sources().items()
        if p in practice_pcn
    }
    rows = [(p, b, i, n) for p, bs in source.items() for i, (b, n) in enumerate(bs.items())]
    prac = pd.DataFrame(rows, columns=["area_code", "age_band", "band_start", "count"])
    pcn = prac.assign(area_code=prac["area_code"].map(practice_pcn))
    pcn = pcn.groupby(["area_code", "age_band", "band_start"], as_index=False)["count"].sum()
    table = pd.concat(
        [prac.assign(area_type="practice"), pcn.assign(area_type="pcn")], ignore_index=True
    )
    assert table["count"].between(1, 4).sum() >= 10
    geo = SimpleNamespace(place=place, practice_pcn=practice_pcn)
    out = list_bands.protected_list_bands(table, geo)
    _no_small_count_shown(out)
    rows, groups, sizes, known = list_reader(out, place, source)
    cells, sums = banded_reader(rows, groups, sizes, known)
    assert exposed(cells, reader_ranges(cells, sums), sums) == {}
    assert out["suppressed"].sum() > table["count"].between(1, 4).sum()  # secondaries too
