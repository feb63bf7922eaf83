"""Every English PCN and region: values from the national QOF rows, computed here by hand."""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict

import pytest

QOF = "gp/qof/qof_2022_23_prevalence_all_practices_england.csv"
GEO = "gp/qof/qof_2022_23_nhs_geography_all_practices_england.csv"
TOTALS = "gp/qof/qof_2022_23_prevalence_england_trafford_totals.csv"


def _rows(source, rel):
    with open(source / rel, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def geo(source):
    return {r["PRACTICE_CODE"]: r for r in _rows(source, GEO)}


@pytest.fixture(scope="module")
def pooled(source, geo):
    """Register and list per (level, code, group), summed with the csv module."""
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in _rows(source, QOF):
        g = geo[r["PRACTICE_CODE"]]
        for level, code in (
            ("practice", r["PRACTICE_CODE"]),
            ("pcn", g["PCN_ODS_CODE"]),
            ("sub_icb", g["SUB_ICB_ODS_CODE"]),
            ("icb", g["ICB_ODS_CODE"]),
            ("region", g["REGION_ODS_CODE"]),
            ("england", "E92000001"),
        ):
            if level == "pcn" and code == "U":  # NHS England's code for "in no PCN"
                continue
            s = sums[(level, code, r["GROUP_CODE"])]
            s[0] += float(r["REGISTER"])
            s[1] += int(r["PRACTICE_LIST_SIZE"])
    return sums


def _row(con, level, code, indicator_id):
    return con.execute(
        "select count, denominator, value from national_values "
        "where area_type = $t and area_code = $c and indicator_id = $i",
        {"t": level, "c": code, "i": indicator_id},
    ).fetchone()


def test_there_are_1267_pcns_and_63_practices_in_no_pcn(con, source):
    geo = _rows(source, GEO)
    assert len({r["PCN_ODS_CODE"] for r in geo} - {"U"}) == 1267
    assert sum(r["PCN_ODS_CODE"] == "U" for r in geo) == 63
    n = con.execute("select count(*) from nhs_areas where area_type = 'pcn'").fetchone()[0]
    assert n == 1267


@pytest.mark.parametrize(
    ("level", "code", "group"),
    [("pcn", "U89141", "DM"), ("pcn", "U87499", "HYP"), ("region", "Y63", "AST")],
)
def test_an_areas_value_is_its_practices_pooled(con, pooled, level, code, group):
    reg, lst = pooled[(level, code, group)]
    count, den, value = _row(con, level, code, f"qof_{group.lower()}")
    assert (count, den) == (reg, lst)
    assert value == pytest.approx(100 * reg / lst, abs=1e-9)


# OHID's published 2022/23 figures (gp/fingertips/fingertipsnext_healthdata_trafford_england.csv,
# IndicatorId 241 diabetes 17+ and 247 dementia, Year 2022, Persons): Count, Denominator.
OHID = {
    ("qof_dm", "E92000001"): (3774801, 50649129),
    ("qof_dm", "E08000009"): (12885, 191308),
    ("qof_dem", "E92000001"): (460330, 62378057),
    ("qof_dem", "E08000009"): (1738, 242092),
}


@pytest.mark.parametrize(("indicator_id", "area"), list(OHID))
def test_england_and_trafford_registers_match_ohids_published_figures(con, indicator_id, area):
    """The independent check: the totals file is summed from the same practice file, so
    only OHID's own figures can disagree with our sums."""
    if area == "E92000001":
        count, den, _ = _row(con, "england", area, indicator_id)
    else:
        count, den = con.execute(
            "select count, denominator from profile where area_code = $a and indicator_id = $i",
            {"a": area, "i": indicator_id},
        ).fetchone()
        sub_icb = _row(con, "sub_icb", "02A", indicator_id)
        assert (sub_icb[0], sub_icb[1]) == OHID[(indicator_id, area)]
    assert (count, den) == OHID[(indicator_id, area)]


def test_england_equals_the_totals_file_summed_from_the_same_practices(con, source):
    for r in _rows(source, TOTALS):
        if r["AREA_CODE"] == "E92000001":
            count, den, _ = _row(con, "england", "E92000001", f"qof_{r['GROUP_CODE'].lower()}")
            assert (count, den) == (float(r["REGISTER"]), float(r["LIST_SIZE"]))


def test_no_national_row_publishes_a_count_from_1_to_4(con):
    n = con.execute("select count(*) from national_values where count between 1 and 4").fetchone()[
        0
    ]
    assert n == 0


Z95, Z998 = 1.959963984540054, 3.090232306167813


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    """Wilson score interval in %, worked from the formula."""
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return 100 * (centre - half), 100 * (centre + half)


def _published(con, level, code):
    rows = con.execute(
        "select indicator_id, count, denominator, value, lower_ci95, upper_ci95, lower_ci998, "
        "upper_ci998, note from national_values where area_type = $t and area_code = $c",
        {"t": level, "c": code},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _groups(source):
    return sorted({r["GROUP_CODE"] for r in _rows(source, QOF)})


def test_england_has_every_register_of_the_totals_file_with_its_published_prevalence(con, source):
    totals = [r for r in _rows(source, TOTALS) if r["AREA_CODE"] == "E92000001"]
    assert sorted(r["GROUP_CODE"] for r in totals) == _groups(source)
    assert len(totals) == 21
    ours = _published(con, "england", "E92000001")
    for r in totals:
        count, den, value, *_ = ours[f"qof_{r['GROUP_CODE'].lower()}"]
        assert (count, den) == (float(r["REGISTER"]), float(r["LIST_SIZE"]))
        assert value == pytest.approx(float(r["PREVALENCE_PCT"]), abs=5e-4)


def test_the_sub_icb_in_the_totals_file_equals_its_practices_pooled(con, source):
    subs = [r for r in _rows(source, TOTALS) if r["AREA_CODE"] != "E92000001"]
    assert subs, "the totals file has a sub-ICB row"
    for r in subs:
        code = r["AREA_CODE"]
        count, den, *_ = _published(con, "sub_icb", code)[f"qof_{r['GROUP_CODE'].lower()}"]
        assert (count, den) == (float(r["REGISTER"]), float(r["LIST_SIZE"]))


# Trafford's North PCN, two elsewhere (G3's three practices are in three sub-ICBs), every 97th.
PCNS = ["U66368", "U89141", "U87499"]


@pytest.mark.parametrize("level", ["pcn", "sub_icb", "icb", "region"])
def test_every_area_of_a_level_equals_its_practices_pooled_with_wilson_intervals(
    con, source, geo, pooled, level
):
    col = {
        "pcn": "PCN_ODS_CODE",
        "sub_icb": "SUB_ICB_ODS_CODE",
        "icb": "ICB_ODS_CODE",
        "region": "REGION_ODS_CODE",
    }[level]
    codes = sorted({g[col] for g in geo.values()} - {"U"})
    if level == "pcn":
        assert len({g["SUB_ICB_ODS_CODE"] for g in geo.values() if g[col] == "U87499"}) == 3
        codes = sorted(set(PCNS + codes[::97]))
    groups = _groups(source)
    checked = 0
    for code in codes:
        ours = _published(con, level, code)
        assert len(ours) == len(groups), code
        for group in groups:
            reg, lst = pooled[(level, code, group)]
            count, den, value, lo95, hi95, lo998, hi998, note = ours[f"qof_{group.lower()}"]
            if count is None:  # suppressed: a true small number, or hidden to protect one
                if note.startswith("Suppressed: fewer than 5"):
                    assert 1 <= reg <= 4, (code, group)
                else:
                    assert note == "Suppressed: would reveal a small number by subtraction"
                    assert reg >= 5, (code, group)
                assert value is None
                continue
            assert (count, den) == (reg, lst), (code, group)
            assert value == pytest.approx(100 * reg / lst, abs=1e-9)
            assert (lo95, hi95) == pytest.approx(_wilson(reg, lst, Z95), abs=1e-9)
            assert (lo998, hi998) == pytest.approx(_wilson(reg, lst, Z998), abs=1e-9)
            checked += 1
    assert checked >= len(codes) * len(groups) - 20


def test_every_practice_with_a_register_of_1_to_4_is_suppressed(con, source):
    small = {
        (r["PRACTICE_CODE"], f"qof_{r['GROUP_CODE'].lower()}")
        for r in _rows(source, QOF)
        if 1 <= float(r["REGISTER"]) <= 4
    }
    assert small
    shown = con.execute(
        "select area_code, indicator_id from national_values "
        "where area_type = 'practice' and (count is not null or value is not null "
        "or lower_ci95 is not null or rank is not null)"
    ).fetchall()
    assert not small & set(shown)


@pytest.mark.parametrize(
    ("level", "member_level", "key"),
    [
        ("pcn", "practice", "pcn_code"),
        ("sub_icb", "practice", "sub_icb_code"),
        ("icb", "sub_icb", "icb_code"),
        ("region", "icb", "region_code"),
    ],
)
def test_no_published_total_has_exactly_one_hidden_member(con, level, member_level, key):
    # With the total published and one member hidden, subtraction would reveal it.
    rows = con.execute(
        f"""
        select m.{key}, v.indicator_id
        from national_values as v
        join nhs_areas as m on m.area_code = v.area_code and m.area_type = v.area_type
        where v.area_type = $member and m.{key} is not null
        group by all
        having count(*) filter (where v.count is null and v.note like 'Suppressed%') = 1
        """,
        {"member": member_level},
    ).fetchall()
    published = {
        (c, i)
        for c, i in con.execute(
            "select area_code, indicator_id from national_values "
            "where area_type = $t and count is not null",
            {"t": level},
        ).fetchall()
    }
    assert not set(rows) & published


def test_a_pcns_practices_are_exactly_its_practices_in_the_geography(con, geo):
    from jsna.app import queries

    for pcn in PCNS:
        ours = queries.nhs_member_values(con, "qof_dm", "practice", pcn, "pcn")
        assert sorted(ours["area_code"]) == sorted(
            c for c, g in geo.items() if g["PCN_ODS_CODE"] == pcn
        )


def test_a_practices_path_runs_through_its_pcns_listed_sub_icb(con, geo):
    from jsna.app import queries

    # G3 PCN's three practices are in three sub-ICBs; C82056 is in one it is not listed under.
    row = queries.nhs_area(con, "c82056").iloc[0]
    assert (row["pcn_code"], row["icb_code"], row["region_code"]) == ("U87499", "QK1", "Y60")
    assert row["own_sub_icb_code"] == geo["C82056"]["SUB_ICB_ODS_CODE"]
    pcn = queries.nhs_area(con, "U87499").iloc[0]
    assert row["sub_icb_code"] == pcn["sub_icb_code"]
    assert "C82056" in queries.nhs_children(con, "U87499", "practice")["area_code"].tolist()


def test_search_finds_areas_by_code_prefix_or_name_without_wildcards(con, geo):
    from jsna.app import queries

    names = {
        (g[f"{level}_ODS_CODE" if level != "PRACTICE" else "PRACTICE_CODE"], g[f"{level}_NAME"])
        for g in geo.values()
        for level in ("REGION", "ICB", "SUB_ICB", "PCN", "PRACTICE")
    }
    # "_" and "%" are literal text, not wildcards: only names holding them match.
    for text in ("_", "%"):
        found = queries.nhs_search(con, text, 50)
        itself = found[found["via"].isna()]
        assert set(itself["area_code"]) == {c for c, n in names if text in n}

    assert queries.nhs_search(con, "u89141", 50)["area_code"].tolist()[0] == "U89141"
    stockton = queries.nhs_search(con, "stockton", 50)
    itself = stockton[stockton["via"].isna()]
    assert set(itself["area_code"]) == {c for c, n in names if "stockton" in n.lower()}
    # Then the areas inside a match: Stockton PCN's practices, found through it.
    in_pcn = {g["PRACTICE_CODE"] for g in geo.values() if g["PCN_NAME"] == "Stockton PCN"}
    through = stockton[stockton["via"] == "Stockton PCN"]
    assert set(through["area_code"]) == in_pcn - set(itself["area_code"])


def test_search_by_a_sub_icb_code_lists_its_pcns(con, geo):
    """'15F' (NHS West Yorkshire ICB - 15F, Leeds) finds the sub-ICB, then its PCNs by name."""
    from jsna.app import queries

    # A PCN is listed under the sub-ICB holding most of its practices; "U" is no PCN.
    subs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for g in geo.values():
        if g["PCN_ODS_CODE"] != "U":
            subs[(g["PCN_ODS_CODE"], g["PCN_NAME"])][g["SUB_ICB_ODS_CODE"]] += 1
    pcns = [n for (_, n), c in subs.items() if c.most_common(1)[0][0] == "15F"]
    assert len(pcns) == 19
    found = queries.nhs_search(con, "15f", 50)
    assert found["area_code"].iloc[0] == "15F"
    listed = found[found["area_type"] == "pcn"]
    assert list(listed["area_name"]) == sorted(pcns)
    assert set(listed["via"]) == {"NHS West Yorkshire ICB - 15F"}
