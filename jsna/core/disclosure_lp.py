"""The disclosure engine: which cells to hide so no count of 1 to 4 can be recovered.

Primary suppression blanks every count from 1 to 4. A blank alone is not enough: a reader
holds every published total and knows what each blank's label says ("fewer than 5" is 1 to
4; a blank hidden to protect another is not 1 to 4, so at least 5, and no more than its
published denominator). Subtraction across totals that share members (a practice sits in a
PCN and a sub-ICB, a PCN can span sub-ICBs) can pin a blank, or narrow it. So the blanks
are audited as a whole: each hidden cell is a variable of a linear programme whose equalities
are every published total over its members, and whose bounds are the labels. For every
primary blank the smallest and largest feasible value must still be 1 and 4, and no
secondary blank may be pinned; while one is exposed, one more cell is hidden (the smallest
published member with room to absorb the difference, sharing as many of the exposed cell's
totals as possible, or the total itself when no member is left) and the audit repeats.
Hiding a cell never narrows any other blank's range, so only the exposed cells are
re-audited. Cells linked by no total are solved apart (connected components), so each linear
programme is tiny.

References:
    Cox LH (1980) Suppression methodology and statistical disclosure control. J Am Stat
    Assoc 75:377-385; Hundepool A et al. (2012) Statistical Disclosure Control, ch. 4.4
    (audit of tabular data by linear programming).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SMALL_MAX = 4  # counts 1..4 are suppressed (disclosure control)
SECONDARY_MIN = SMALL_MAX + 1  # a blank whose label says it protects another is not 1..4
_TOL = 1e-6
# A secondary cell this far above SECONDARY_MIN can absorb a primary's whole range alone.
_ROOM = SMALL_MAX - 1


@dataclass
class Protection:
    """The outcome of :func:`protect`: which cells are hidden, and how many of each kind."""

    hidden: np.ndarray  # bool per cell
    secondary: np.ndarray  # bool per cell: hidden to protect another (not itself 1..4)
    primaries: int
    rounds: int
    unresolved: int  # exposed cells left with nothing more to hide (should be 0)


def equations(
    cells: pd.DataFrame, groups: pd.DataFrame, key: list[str], code: str = "area_code"
) -> pd.DataFrame:
    """Every published total as an equation over its members' cells.

    Args:
        cells: one row per cell with `code`, the `key` columns and ``count`` (NaN when the
            row has no count); its positional index numbers the cells.
        groups: ``group_code`` (the total) and ``member_code`` (a member), one row a pair;
            optionally ``split``, naming which of several ways of adding up to the same
            total a pair belongs to (a council as the sum of its practices, and again of
            its PCNs).
        key: columns that must match between a total and its members (indicator, period…).
        code: the column naming each cell's area.

    Returns:
        Long rows ``eq``, ``cell``, ``coef`` (+1 a member, -1 the total), for the groups
        whose total and every member are counted and whose members add up to the total
        exactly (anything else is no equation a reader could use).
    """
    c = cells[[code, *key, "count"]].reset_index(drop=True)
    c["cell"] = np.arange(len(c))
    split = groups["split"] if "split" in groups.columns else 0
    kids = groups[["group_code", "member_code"]].assign(split=split).drop_duplicates()
    kids = kids.merge(c, left_on="member_code", right_on=code)
    tots = c.rename(columns={code: "group_code", "cell": "total", "count": "total_count"})
    kids = kids.merge(tots[["group_code", *key, "total", "total_count"]], on=["group_code", *key])
    if kids.empty:
        return pd.DataFrame({"eq": [], "cell": [], "coef": []}, dtype=np.int64)
    kids["eq"] = kids.groupby(["total", "split"], sort=False, dropna=False).ngroup()
    g = kids.groupby("eq")
    ok = (g["count"].transform("count") == g["count"].transform("size")) & (
        (g["count"].transform("sum") - kids["total_count"]).abs() < 0.5
    )
    kids = kids[ok]
    kids["eq"] = kids.groupby("eq", sort=False).ngroup()
    members = pd.DataFrame({"eq": kids["eq"], "cell": kids["cell"], "coef": 1})
    totals = kids.drop_duplicates("eq")
    totals = pd.DataFrame({"eq": totals["eq"], "cell": totals["total"], "coef": -1})
    return pd.concat([members, totals], ignore_index=True).astype(np.int64)


def ranges(
    count: np.ndarray,
    hidden: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    eqs: pd.DataFrame,
    cells: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, list[dict[int, float]], list[dict[int, float]]]:
    """Smallest and largest value of each of `cells` consistent with every published total.

    Hidden cells are variables bounded by [lower, upper]; published cells are constants.
    Returns (low, high, duals of the minimum, duals of the maximum) for `cells`; a dual
    maps each total (equation) to how the bound would move with it. A cell in no total with
    a hidden member is bounded by its label alone.
    """
    from scipy.optimize import linprog  # build side only: the app never audits
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(count)
    lo_out = lower[cells].astype(float).copy()
    hi_out = upper[cells].astype(float).copy()
    y_lo: list[dict[int, float]] = [{} for _ in cells]
    y_hi: list[dict[int, float]] = [{} for _ in cells]
    if eqs.empty or len(cells) == 0:
        return lo_out, hi_out, y_lo, y_hi
    e_hid = eqs[hidden[eqs["cell"].to_numpy()]]
    if e_hid.empty:
        return lo_out, hi_out, y_lo, y_hi
    n_eq = int(eqs["eq"].max()) + 1
    where = {int(c): j for j, c in enumerate(cells)}
    # Bipartite graph: hidden cells and equations; components are independent problems.
    rows = e_hid["cell"].to_numpy()
    cols = n + e_hid["eq"].to_numpy()
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + n_eq, n + n_eq))
    _, label = connected_components(graph, directed=False)
    used_eq = np.unique(e_hid["eq"].to_numpy())
    eq_rows = eqs[eqs["eq"].isin(used_eq)]
    eq_rows = eq_rows.assign(comp=label[n + eq_rows["eq"].to_numpy()])
    for _, sub in eq_rows.groupby("comp", sort=False):
        var_cells = np.unique(sub.loc[hidden[sub["cell"].to_numpy()], "cell"].to_numpy())
        targets = [int(c) for c in var_cells if int(c) in where]
        if not targets:
            continue
        eq_ids = np.unique(sub["eq"].to_numpy())
        eq_pos = {e: i for i, e in enumerate(eq_ids)}
        var_pos = {c: i for i, c in enumerate(var_cells)}
        a = np.zeros((len(eq_ids), len(var_cells)))
        b = np.zeros(len(eq_ids))
        for e, c, k in sub[["eq", "cell", "coef"]].itertuples(index=False):
            if hidden[c]:
                a[eq_pos[e], var_pos[c]] += k
            else:
                b[eq_pos[e]] -= k * count[c]
        bounds = [
            (float(lower[c]), None if np.isinf(upper[c]) else float(upper[c])) for c in var_cells
        ]
        for c in targets:
            obj = np.zeros(len(var_cells))
            obj[var_pos[c]] = 1.0
            lo = linprog(obj, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            hi = linprog(-obj, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            j = where[c]
            lo_out[j] = lo.fun if lo.status == 0 else np.nan
            hi_out[j] = -hi.fun if hi.status == 0 else (np.inf if hi.status == 3 else np.nan)
            if lo.status == 0:
                y_lo[j] = dict(zip(eq_ids.tolist(), lo.eqlin.marginals.tolist(), strict=True))
            if hi.status == 0:
                y_hi[j] = dict(zip(eq_ids.tolist(), hi.eqlin.marginals.tolist(), strict=True))
    return lo_out, hi_out, y_lo, y_hi


def _exposed(
    lo: np.ndarray, hi: np.ndarray, secondary: np.ndarray
) -> np.ndarray:  # for the cells audited
    narrowed = (lo > 1 + _TOL) | (hi < SMALL_MAX - _TOL)
    pinned = hi - lo < _TOL
    bad = np.isnan(lo) | np.isnan(hi)
    return np.asarray(np.where(secondary, pinned | bad, narrowed | bad), dtype=bool)


def protect(
    count: np.ndarray,
    upper: np.ndarray,
    eqs: pd.DataFrame,
    hidden: np.ndarray | None = None,
    secondary: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    level: np.ndarray | None = None,
) -> Protection:
    """Primary and secondary suppression over every published total at once.

    Args:
        count: each cell's true count (NaN: not a count; never hidden here).
        upper: the largest value a reader can know a cell to hold (its published
            denominator, or inf).
        eqs: from :func:`equations`.
        hidden: cells already hidden, for example by another table built from the same
            figures.
        secondary: which of those are hidden to protect another cell.
        fixed: cells that may never be hidden (a total known from elsewhere).
        level: the cost of hiding each cell, lowest first (default: its height in the
            hierarchy of totals, :func:`heights`), so a member is hidden before its total,
            and a PCN's total before a region's; within a level the smallest count goes.
    """
    count = np.asarray(count, dtype=float)
    n = len(count)
    upper = np.asarray(upper, dtype=float).copy()
    upper[np.isnan(upper)] = np.inf
    small = (count >= 1) & (count <= SMALL_MAX)
    hid = small.copy() if hidden is None else (np.asarray(hidden, bool) | small)
    sec = np.zeros(n, bool) if secondary is None else np.asarray(secondary, bool) & ~small
    fix = np.zeros(n, bool) if fixed is None else _same_totals(eqs, np.asarray(fixed, bool))
    primaries = int(small.sum())
    lev = heights(eqs, n) if level is None else np.asarray(level, dtype=float)
    cell_eq = _index(eqs["cell"].to_numpy(), eqs["eq"].to_numpy())
    eq_cells = _index(eqs["eq"].to_numpy(), eqs["cell"].to_numpy())
    tot = eqs[eqs["coef"] < 0]
    eq_total: dict[int, int] = dict(
        zip(tot["eq"].astype(int).tolist(), tot["cell"].astype(int).tolist(), strict=True)
    )
    check = np.flatnonzero(hid)
    rounds = 0
    unresolved = 0
    while len(check):
        rounds += 1
        lower = np.where(sec, float(SECONDARY_MIN), 1.0)
        up = np.where(sec, upper, float(SMALL_MAX))
        lo, hi, y_lo, y_hi = ranges(count, hid, lower, up, eqs, check)
        bad = _exposed(lo, hi, sec[check])
        exposed = check[bad]
        eq_hidden = np.bincount(
            eqs["eq"].to_numpy(), weights=hid[eqs["cell"].to_numpy()], minlength=len(eq_cells)
        )
        duals = {}
        for i in np.flatnonzero(bad):
            narrow_low = lo[i] > (SECONDARY_MIN if sec[check[i]] else 1) + _TOL
            duals[int(check[i])] = y_lo[i] if narrow_low else y_hi[i]
        if len(exposed) == 0:
            break
        # At most one new blank a round for each smallest total an exposed cell sits in
        # (its PCN, say): one new blank there often protects several cells.
        touched: set[int] = set()
        victims: set[int] = set()
        stuck = 0
        for c in exposed:
            mine = cell_eq.get(int(c), np.array([], dtype=np.int64))
            key_eq = min(mine, key=lambda e: len(eq_cells[e])) if len(mine) else -1
            if key_eq in touched:
                continue
            v = _relaxing(
                duals[int(c)], count, upper, hid, fix, lev, cell_eq, eq_cells, eq_total, eq_hidden
            )
            if v is None:
                v = _victim(int(c), count, upper, hid, fix, lev, cell_eq, eq_cells, eq_total)
            if v is None:
                stuck += 1
                continue
            victims.add(v)
            touched.add(int(key_eq))
        if not victims:
            unresolved = stuck
            break
        new = np.array(sorted(victims))
        hid[new] = True
        sec[new] = True
        check = np.unique(np.concatenate([exposed, new]))
    return Protection(hid, sec & hid, primaries, rounds, unresolved)


def _index(keys: np.ndarray, values: np.ndarray) -> dict[int, np.ndarray]:
    """{key: its values, in order}, by one stable sort (a pandas groupby-apply is 100x slower)."""
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    k, v = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    return dict(zip(k[starts].tolist(), np.split(v, starts[1:]), strict=True))


def _same_totals(eqs: pd.DataFrame, fixed: np.ndarray) -> np.ndarray:
    """`fixed`, and every total over the same members as a fixed one (no use hiding it).

    A PCN serving one neighbourhood alone totals the same practices as that neighbourhood.
    """
    if not fixed.any() or eqs.empty:
        return fixed
    members = eqs[eqs["coef"] > 0].sort_values(["eq", "cell"])
    sig = members.groupby("eq")["cell"].apply(tuple)
    tot = eqs[eqs["coef"] < 0].set_index("eq")["cell"]
    df = pd.DataFrame({"sig": sig, "total": tot.reindex(sig.index)}).dropna()
    df["fixed"] = fixed[df["total"].to_numpy(dtype=np.int64)]
    known = df.groupby("sig")["fixed"].transform("any")
    out = fixed.copy()
    out[df.loc[known, "total"].to_numpy(dtype=np.int64)] = True
    return out


def heights(eqs: pd.DataFrame, n: int) -> np.ndarray:
    """Each cell's height among the totals (the default cost of hiding it).

    0 for a cell that totals nothing (a practice), else one more than its highest member (a
    PCN 1, an ICB 2, a region 3, England 4).
    """
    h = np.zeros(n)
    if eqs.empty:
        return h
    members = eqs[eqs["coef"] > 0]
    totals = eqs[eqs["coef"] < 0].set_index("eq")["cell"]
    for _ in range(64):  # deeper than any hierarchy of areas
        top = pd.Series(h[members["cell"].to_numpy()]).groupby(members["eq"].to_numpy()).max()
        new = h.copy()
        np.maximum.at(new, totals.loc[top.index].to_numpy(), top.to_numpy() + 1)
        if np.array_equal(new, h):
            break
        h = new
    return h


def _relaxing(
    y: dict[int, float],
    count: np.ndarray,
    upper: np.ndarray,
    hid: np.ndarray,
    fix: np.ndarray,
    lev: np.ndarray,
    cell_eq: dict[int, np.ndarray],
    eq_cells: dict[int, np.ndarray],
    eq_total: dict[int, int],
    eq_hidden: np.ndarray,
) -> int | None:
    """A published cell whose hiding alone widens the exposed bound.

    By linear-programming duality: it must sit only in totals that already hold a blank
    (else that total would pin it), and its column priced by the bound's duals must be
    non-zero (its reduced cost).
    """
    best: tuple[float, int, float, int] | None = None
    seen: set[int] = set()
    for e, ye in y.items():
        if abs(ye) < _TOL:
            continue
        for m in eq_cells[e]:
            m = int(m)
            if m in seen or hid[m] or fix[m]:
                continue
            seen.add(m)
            if not (SECONDARY_MIN <= count[m] <= upper[m]):
                continue
            mine = cell_eq[m]
            if (eq_hidden[mine] == 0).any():
                continue
            rc = sum(y.get(int(f), 0.0) * (-1 if eq_total[int(f)] == m else 1) for f in mine)
            if abs(rc) < _TOL:
                continue
            roomy = count[m] >= SECONDARY_MIN + _ROOM and upper[m] - count[m] >= _ROOM
            key = (lev[m], 0 if roomy else 1, float(count[m]) if roomy else -float(count[m]), m)
            if best is None or key < best:
                best = key
    return None if best is None else best[3]


def _victim(
    c: int,
    count: np.ndarray,
    upper: np.ndarray,
    hid: np.ndarray,
    fix: np.ndarray,
    lev: np.ndarray,
    cell_eq: dict[int, np.ndarray],
    eq_cells: dict[int, np.ndarray],
    eq_total: dict[int, int],
) -> int | None:
    """The cell to hide next to protect cell `c`, or None.

    A member sharing most of `c`'s totals in which `c` is the only blank (those pin it), or
    failing that most of all its totals; else a total it belongs to.
    """
    mine = cell_eq.get(c, np.array([], dtype=np.int64))
    alone = [e for e in mine if hid[eq_cells[e]].sum() == 1]
    shared: dict[int, int] = {}
    for e in alone or mine:
        for m in eq_cells[e]:
            if m != c and m != eq_total[e]:
                shared[int(m)] = shared.get(int(m), 0) + 1
    cand = [
        m
        for m in shared
        if not hid[m] and not fix[m] and count[m] >= SECONDARY_MIN and count[m] <= upper[m]
    ]
    if cand:

        def score(m: int) -> tuple[int, int, int, float]:
            # Fewest totals left with a lone blank, then room to absorb a primary's range.
            lone = sum(
                1 for e in cell_eq.get(m, ()) if e not in set(mine) and not hid[eq_cells[e]].any()
            )
            roomy = count[m] >= SECONDARY_MIN + _ROOM and upper[m] - count[m] >= _ROOM
            return (-shared[m], lone, 0 if roomy else 1, count[m] if roomy else -count[m])

        return min(cand, key=score)
    totals = [
        eq_total[e]
        for e in mine
        if eq_total[e] != c and not hid[eq_total[e]] and not fix[eq_total[e]]
    ]
    totals = [t for t in totals if count[t] >= SECONDARY_MIN and count[t] <= upper[t]]
    if totals:
        return min(totals, key=lambda t: (lev[t], count[t]))
    # A hidden total with no member left to hide: widen through the totals it belongs to.
    for e in mine:
        t = eq_total[e]
        if t != c and hid[t]:
            v = _victim(t, count, upper, hid, fix, lev, cell_eq, eq_cells, eq_total)
            if v is not None:
                return v
    return None
