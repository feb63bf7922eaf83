"""What every council's build must satisfy, read from the database alone (no TOML, no build).

Each function takes a read-only DuckDB connection and returns a list of problems (empty when
the database keeps the contract), so a failing test names every offending row at once.
"""

from __future__ import annotations

import duckdb
import pandas as pd

KEYS = ["indicator_id", "period", "sex", "age"]
SMALL = (1, 4)


def count_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) of every numeric column that holds counts, by its name."""
    rows = con.execute(
        """
        select table_name, column_name from information_schema.columns
        where data_type in ('DOUBLE', 'BIGINT', 'INTEGER', 'HUGEINT', 'FLOAT', 'DECIMAL')
          and (column_name in ('count', 'register', 'numerator', 'registered_patients')
               or column_name like '%\\_count' escape '\\')
        order by 1, 2
        """
    ).fetchall()
    return [(str(t), str(c)) for t, c in rows]


def small_counts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every count of 1 to 4 in any table or view (each named by table, column and how many)."""
    problems = []
    for table, column in count_columns(con):
        n = con.execute(
            f'select count(*) from "{table}" where "{column}" between ? and ?',
            list(SMALL),
        ).fetchone()
        if n and n[0]:
            problems.append(f"{table}.{column}: {n[0]} value(s) from {SMALL[0]} to {SMALL[1]}")
    return problems


def _membership(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """group_code, member_code, member class (area type and vintage) and population kind.

    `area_members` gives each group's wards (by ward set), practices, neighbourhoods and PCNs.
    A neighbourhood's registered-patient rows are pooled from the PCNs that serve it
    (`place_group_members`, member_type 'neighbourhood': the PCN's row names the neighbourhood).
    """
    m = con.execute(
        """
        select m.group_code, m.member_code, a.area_type || ':' || coalesce(a.vintage, '') as cls
        from area_members as m join areas as a on a.area_code = m.member_code
        """
    ).df()
    m["kind"] = "any"  # any population
    serve = con.execute(
        """
        select g.member_code as group_code, g.group_code as member_code, 'pcn:' as cls,
               'registered' as kind
        from place_group_members as g
        join areas as n on n.area_code = g.member_code and n.area_type = 'neighbourhood'
        join areas as p on p.area_code = g.group_code and p.area_type = 'pcn'
        """
    ).df()
    return pd.concat([m, serve], ignore_index=True)


def pooled_mismatches(con: duckdb.DuckDBPyConnection) -> tuple[list[str], int]:
    """Every pooled row whose count or denominator is not its members' sum; and rows checked.

    A group's row (a neighbourhood, PCN or the council) is pooled from a class of its members
    (the wards of one ward set, the practices, the neighbourhoods, the PCNs; for registered
    patients, the PCNs serving a neighbourhood) when every member of that class has a row
    for the same indicator, period, sex and age. Where group and members are all published,
    the group's count and denominator must be exactly the sums of at least one such class;
    where every class has a suppressed member, what is published must not exceed the group's.
    """
    status = con.execute(
        "select distinct area_code, indicator_id, period, sex, age, population_kind "
        "from profile_status"
    ).df()
    rows = con.execute(
        "select area_code, indicator_id, period, sex, age, count, denominator from profile"
    ).df()
    rows = rows.merge(status, on=["area_code", *KEYS], how="left")
    members = _membership(con)
    sizes = members.groupby(["group_code", "cls", "kind"]).size()
    joined = members.merge(
        rows.rename(columns={"area_code": "member_code"}), on="member_code", how="inner"
    )
    joined = joined[(joined["kind"] == "any") | (joined["kind"] == joined["population_kind"])]
    by = ["group_code", "cls", "kind", *KEYS]
    agg = joined.groupby(by, dropna=False).agg(
        n=("member_code", "size"),
        published=("count", "count"),
        count=("count", "sum"),
        denominator=("denominator", "sum"),
        denominators=("denominator", "count"),
    )
    agg = agg.reset_index()
    agg["size"] = sizes.reindex(
        pd.MultiIndex.from_frame(agg[["group_code", "cls", "kind"]])
    ).to_numpy()
    agg = agg[agg["n"] == agg["size"]]
    groups = rows.rename(columns={"area_code": "group_code"})
    both = agg.merge(groups, on=["group_code", *KEYS], suffixes=("_sum", ""))
    both = both[both["count"].notna() & both["denominator"].notna()]
    problems = []
    checked = 0
    for key, cands in both.groupby(["group_code", *KEYS], dropna=False):
        full = cands[(cands["published"] == cands["n"]) & (cands["denominators"] == cands["n"])]
        if full.empty:
            over = cands[cands["count_sum"] > cands["count"] + 1e-9]
            if len(over) == len(cands):
                problems.append(f"{key}: published members sum above the group's count")
            continue
        match = full[
            ((full["count_sum"] - full["count"]).abs() < 1e-6)
            & ((full["denominator_sum"] - full["denominator"]).abs() < 1e-6)
        ]
        checked += 1
        if match.empty:
            r = full.iloc[0]
            problems.append(
                f"{key}: count {r['count']:g}/{r['denominator']:g} but its {r['cls']} members "
                f"sum to {r['count_sum']:g}/{r['denominator_sum']:g}"
            )
    return problems, checked


def uncompared_without_reason(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rows of `profile_all` neither compared with their benchmark nor saying why not."""
    df = con.execute(
        """
        select area_code, indicator_id, period, sex, age, benchmark_key, comparison
        from profile_all
        where comparison is null or trim(comparison) = ''
           or (comparison = 'not compared'
               and (comparison_reason is null or trim(comparison_reason) = ''))
        limit 20
        """
    ).df()
    return [", ".join(str(v) for v in r) for r in df.itertuples(index=False)]
