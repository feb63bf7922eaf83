"""No blanked count can be recovered or narrowed from what is published (issue 18 part 1).

The reader here is independent of the build's code: it reads only published figures and
labels, and for every blank solves its own linear programme (scipy's HiGHS) for the smallest
and largest value consistent with every published total. A "fewer than 5" blank must keep
the whole range 1 to 4; a blank hidden to protect another (so, a reader infers, at least 5
and at most its published denominator) must not be pinned.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from jsna.profiles import load_place
from jsna.suppression import protect

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
    "fewer than 5" blanks is itself at least 2, whatever is published): the ranges from
    the totals whose every cell is blank.
    """
    base = dict.fromkeys(ranges, (1.0, 4.0))
    if totals is not None:
        blank_only = [(t, ms) for t, ms in totals if all(cells[c][0] is None for c in (t, *ms))]
        base |= {
            c: r for c, r in reader_ranges(cells, blank_only).items() if cells[c][1] == PRIMARY
        }
    bad = {}
    for c, (lo, hi) in ranges.items():
        label = cells[c][1]
        b_lo, b_hi = base[c]
        narrowed = lo > b_lo + 1e-6 or hi < b_hi - 1e-6
        if (label == PRIMARY and narrowed) or (hi - lo < 1e-6):
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
