"""Stockport (E08000007) built from England-wide open data alone (`python -m jsna.build.place new`).

The source folder given to the generator holds only `national/` and `gp/qof/` (links to the
shared data), so no Trafford file can be opened; the build's `data_release` table lists what
was read. Every expected number is summed here from the raw national rows with the csv
module and plain pandas, never by the generator or the build.
"""

from __future__ import annotations

import csv
import gzip
import math
import os
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from jsna.build import place as place_cli
from jsna.build.pipeline import build_database

CODE = "E08000007"
NAT = Path("national")
LOOKUP = (
    NAT / "lookups/LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv"
)
TS001 = NAT / "census2021/TS001_residence_type_2021.csv.gz"
TS007A = NAT / "census2021/census2021-TS007A-age-5yr-bands-lsoa21-nomis.csv"
TS021 = NAT / "census2021/census2021-TS021-ethnic-group-5cat-lsoa21-nomis.csv"
TS038 = NAT / "census2021/TS038_disability_3a_2021.csv.gz"
GP_MAP = NAT / "gp/gp-reg-pat-prac-map_01Jan2026.csv"
QOF = Path("gp/qof/qof_2022_23_prevalence_all_practices_england.csv")
NORTH = "North half"
SOUTH = "South half"


def _nomis(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a Nomis bulk table (title lines, a blank, rows, notes)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r and r[0].startswith("2021 super output"))
    data = []
    for r in rows[start + 1 :]:
        if not r and data:
            break
        if r:
            data.append(r)
    return rows[start], data


def _visual(path: Path) -> dict[str, dict[str, str]]:
    """LSOA rows of an ONS visual-team export, by LSOA code."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return {
            r["Geography code"]: r for r in csv.DictReader(fh) if r["Geography area type"] == "LSOA"
        }


@pytest.fixture(scope="module")
def raw(source: Path) -> dict:
    """The raw national rows the checks sum: LSOA → ward, and each table's LSOA counts."""
    with (source / LOOKUP).open(encoding="utf-8-sig", newline="") as fh:
        ward_of = {r["LSOA21CD"]: r["WD23CD"] for r in csv.DictReader(fh) if r["LAD23CD"] == CODE}
    head, rows = _nomis(source / TS007A)
    bands = list(head[3:])
    ages = {r[1]: dict(zip(bands, map(int, r[3:]), strict=True)) for r in rows}
    head, rows = _nomis(source / TS021)
    groups = head[3:]
    ethnic = {r[1]: dict(zip(groups, map(int, r[3:]), strict=True)) for r in rows}
    ts001 = {k: int(v["Total"]) for k, v in _visual(source / TS001).items()}
    ts038 = {
        k: (
            int(v["Disabled under the Equality Act"]),
            int(v["Not disabled under the Equality Act"]),
        )
        for k, v in _visual(source / TS038).items()
    }
    with (source / GP_MAP).open(newline="") as fh:
        gp = [r for r in csv.DictReader(fh) if r["SUB_ICB_LOCATION_CODE"] == "01W"]
    qof: dict[tuple[str, str], tuple[float, int]] = {}
    england_qof: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    with (source / QOF).open(newline="") as fh:
        for r in csv.DictReader(fh):
            qof[(r["PRACTICE_CODE"], r["GROUP_CODE"])] = (
                float(r["REGISTER"]),
                int(r["PRACTICE_LIST_SIZE"]),
            )
            england_qof[r["GROUP_CODE"]][0] += float(r["REGISTER"])
            england_qof[r["GROUP_CODE"]][1] += int(r["PRACTICE_LIST_SIZE"])
    return {
        "ward_of": ward_of,
        "ages": ages,
        "ethnic": ethnic,
        "ts001": ts001,
        "ts038": ts038,
        "gp": gp,
        "qof": qof,
        "england_qof": england_qof,
    }


@pytest.fixture(scope="module")
def stockport(tmp_path_factory: pytest.TempPathFactory, source: Path, raw: dict):
    """Generate and build Stockport from a folder holding only national/ and gp/qof/."""
    tmp = tmp_path_factory.mktemp("stockport")
    only = tmp / "national_only"
    (only / "gp").mkdir(parents=True)
    os.symlink(source / "national", only / "national")
    os.symlink(source / "gp" / "qof", only / "gp" / "qof")
    wards = sorted(set(raw["ward_of"].values()))
    nbh_csv = tmp / "wards.csv"
    nbh_csv.write_text(
        "ward_code,neighbourhood\n"
        + "".join(f"{w},{NORTH if i < 10 else SOUTH}\n" for i, w in enumerate(wards))
    )
    pcns = sorted({r["PCN_CODE"] for r in raw["gp"] if r["PCN_CODE"]})
    serves = tmp / "serves.csv"
    serves.write_text(
        "pcn_code,neighbourhood\n"
        + "".join(f"{p},{NORTH if i < 3 else SOUTH}\n" for i, p in enumerate(pcns))
    )
    out = tmp / "profiles_stockport"
    start = time.perf_counter()
    argv = ["new", CODE, "--name", "Stockport", "--sub-icb", "01W", "--source", str(only)]
    argv += ["--neighbourhoods", str(nbh_csv), "--serves", str(serves), "--out", str(out)]
    assert place_cli.main(argv) == 0
    generated = time.perf_counter() - start
    mp = pytest.MonkeyPatch()
    mp.setenv("JSNA_PROFILES", str(out))
    mp.delenv("JSNA_MANIFEST", raising=False)
    try:
        summary = build_database(out / "data", tmp / "stockport.duckdb")
    finally:
        mp.undo()
    con = duckdb.connect(str(tmp / "stockport.duckdb"), read_only=True)
    yield {"con": con, "out": out, "summary": summary, "generated": generated, "pcns": pcns}
    con.close()


def _row(con, area: str, indicator: str) -> dict:
    df = con.execute(
        "select * from indicator_values where area_code = $a and indicator_id = $i",
        {"a": area, "i": indicator},
    ).df()
    assert len(df) == 1, (area, indicator)
    return df.iloc[0].to_dict()


def _wilson(k: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_only_national_files_are_read(stockport):
    paths = [r[0] for r in stockport["con"].execute("select path from data_release").fetchall()]
    assert paths
    assert all(p.startswith(("place/", "national/", "gp/qof/")) for p in paths), paths
    assert not any("trafford" in p and not p.startswith("gp/qof/") for p in paths)
    names = [r[0] for r in stockport["con"].execute("select area_name from areas").fetchall()]
    assert not any("Trafford" in n for n in names)


def test_build_is_quick(stockport):
    assert stockport["summary"]["seconds"] < 60
    assert stockport["generated"] < 180


def test_areas(stockport, raw):
    con = stockport["con"]
    counts = dict(con.execute("select area_type, count(*) from areas group by 1").fetchall())
    assert counts["ward"] == len(set(raw["ward_of"].values()))
    assert counts["lsoa"] == len(raw["ward_of"])
    assert counts["neighbourhood"] == 2
    in_pcn = [r for r in raw["gp"] if r["PCN_CODE"]]
    assert counts["pcn"] == len(stockport["pcns"])
    assert counts["practice"] == len(in_pcn)
    la = con.execute("select area_name from areas where area_type = 'local_authority'").fetchone()
    assert la[0] == "Stockport"


def _wards(raw: dict) -> list[str]:
    return sorted(set(raw["ward_of"].values()))


def _lsoas(raw: dict, wards: list[str]) -> list[str]:
    return [lsoa for lsoa, w in raw["ward_of"].items() if w in wards]


OLD = ["Aged 65 to 69 years", "Aged 70 to 74 years", "Aged 75 to 79 years"]
OLD += ["Aged 80 to 84 years", "Aged 85 years and over"]


def test_residents_by_ward_neighbourhood_council(stockport, raw):
    con = stockport["con"]
    wards = _wards(raw)
    for area, members in ((wards[0], [wards[0]]), ("NBH-01", wards[:10]), (CODE, wards)):
        expected = sum(raw["ts001"][lsoa] for lsoa in _lsoas(raw, members))
        assert _row(con, area, "residents")["value"] == expected
    england = sum(v for k, v in raw["ts001"].items() if k.startswith("E01"))
    assert _row(con, "E92000001", "residents")["value"] == england


def test_aged_65_plus_pooled_from_lsoa_bands_with_wilson(stockport, raw):
    con = stockport["con"]
    wards = _wards(raw)
    for area, members in ((wards[3], [wards[3]]), ("NBH-02", wards[10:]), (CODE, wards)):
        lsoas = _lsoas(raw, members)
        k = sum(raw["ages"][lsoa][b] for lsoa in lsoas for b in OLD)
        n = sum(v for lsoa in lsoas for b, v in raw["ages"][lsoa].items() if b != "Total")
        row = _row(con, area, "aged_65_plus")
        assert (row["count"], row["denominator"]) == (k, n)
        assert row["value"] == pytest.approx(100 * k / n, rel=1e-12)
        lo, hi = _wilson(k, n)
        assert row["lower_ci95"] == pytest.approx(lo, rel=1e-9)
        assert row["upper_ci95"] == pytest.approx(hi, rel=1e-9)
    eng = [a for code, a in raw["ages"].items() if code.startswith("E01")]
    k = sum(a["Aged 85 years and over"] for a in eng)
    n = sum(v for a in eng for b, v in a.items() if b != "Total")
    assert _row(con, "E92000001", "aged_85_plus")["value"] == pytest.approx(100 * k / n)
    young = ["Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 14 years"]
    lsoas = _lsoas(raw, wards)
    k = sum(raw["ages"][lsoa][b] for lsoa in lsoas for b in young)
    assert _row(con, CODE, "aged_0_14")["count"] == k


def test_ethnic_minority_and_disability(stockport, raw):
    con = stockport["con"]
    wards = _wards(raw)
    lsoas = _lsoas(raw, wards[:10])
    k = sum(v for lsoa in lsoas for g, v in raw["ethnic"][lsoa].items() if g != "White")
    n = sum(
        v for lsoa in lsoas for g, v in raw["ethnic"][lsoa].items() if not g.startswith("Total")
    )
    row = _row(con, "NBH-01", "ethnic_minority")
    assert (row["count"], row["denominator"]) == (k, n)
    lsoas = _lsoas(raw, wards)
    k = sum(raw["ts038"][lsoa][0] for lsoa in lsoas)
    n = sum(sum(raw["ts038"][lsoa]) for lsoa in lsoas)
    row = _row(con, CODE, "disabled")
    assert (row["count"], row["denominator"]) == (k, n)
    eng = [v for code, v in raw["ts038"].items() if code.startswith("E01")]
    row = _row(con, "E92000001", "disabled")
    assert row["value"] == pytest.approx(100 * sum(d for d, _ in eng) / sum(d + o for d, o in eng))


def test_qof_registers_for_practice_pcn_neighbourhood_and_council(stockport, raw):
    con = stockport["con"]
    qof = raw["qof"]
    members: dict[str, list[str]] = defaultdict(list)
    for r in raw["gp"]:
        if r["PCN_CODE"]:
            members[r["PCN_CODE"]].append(r["PRACTICE_CODE"])
    pcn = stockport["pcns"][0]
    for group, ind in (("DM", "qof_dm"), ("HYP", "qof_hyp"), ("DEP", "qof_dep")):
        present = [p for p in members[pcn] if (p, group) in qof]
        k = sum(qof[(p, group)][0] for p in present)
        n = sum(qof[(p, group)][1] for p in present)
        row = _row(con, pcn, ind)
        assert (row["count"], row["denominator"]) == (k, n)
        north = [p for c in stockport["pcns"][:3] for p in members[c] if (p, group) in qof]
        row = _row(con, "NBH-01", ind)
        assert row["count"] == sum(qof[(p, group)][0] for p in north)
        assert row["denominator"] == sum(qof[(p, group)][1] for p in north)
        every = [p for ps in members.values() for p in ps if (p, group) in qof]
        row = _row(con, CODE, ind)
        assert row["count"] == sum(qof[(p, group)][0] for p in every)
        k, n = raw["england_qof"][group]
        assert _row(con, "E92000001", ind)["value"] == pytest.approx(100 * k / n)
    practice = members[pcn][0]
    k, n = qof[(practice, "AF")]
    assert _row(con, practice, "qof_af")["value"] == pytest.approx(100 * k / n)
    n_qof = con.execute(
        "select count(distinct indicator_id) from indicator_values where indicator_id like 'qof_%'"
    ).fetchone()[0]
    assert n_qof == 21


def test_maps_are_dissolved_from_lsoas_and_say_so(stockport, raw):
    con = stockport["con"]
    layers = {r[0] for r in con.execute("select layer from boundaries").fetchall()}
    assert {"ward_2023", "neighbourhood_2023", "lsoa_2021", "local_authority"} <= layers
    manifest = (stockport["out"] / "manifest.toml").read_text()
    assert "dissolved from the best-fit 2021 LSOAs" in manifest
    place = (stockport["out"] / "place.toml").read_text()
    assert "[[not_available]]" in place
    assert "Life expectancy" in place


def test_lsoa_rows_are_the_raw_lsoa_counts(stockport, raw):
    con = stockport["con"]
    lsoa = sorted(raw["ward_of"])[0]
    groups = raw["ethnic"][lsoa]
    row = _row(con, lsoa, "ethnic_minority")
    assert row["count"] == sum(
        v for g, v in groups.items() if g not in ("White",) and not g.startswith("Total")
    )
    assert row["denominator"] == sum(v for g, v in groups.items() if not g.startswith("Total"))
    assert _row(con, lsoa, "residents")["value"] == raw["ts001"][lsoa]


def test_imd2025_share_of_residents_in_englands_most_deprived_fifth(stockport, raw, source):
    import pandas as pd

    path = source / NAT / "deprivation/IoD2025_File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    df = next(d for d in sheets.values() if "LSOA code (2021)" in d.columns)
    decile_col = next(c for c in df.columns if "Index of Multiple Deprivation (IMD) Decile" in c)
    decile = dict(zip(df["LSOA code (2021)"], df[decile_col], strict=True))
    con = stockport["con"]
    wards = _wards(raw)
    for area, members in ((wards[5], [wards[5]]), ("NBH-01", wards[:10]), (CODE, wards)):
        lsoas = _lsoas(raw, members)
        k = sum(raw["ts001"][lsoa] for lsoa in lsoas if decile[lsoa] <= 2)
        n = sum(raw["ts001"][lsoa] for lsoa in lsoas)
        row = _row(con, area, "imd2025_most_deprived_20")
        assert (row["count"], row["denominator"]) == (k, n)
    eng = [c for c in raw["ts001"] if c.startswith("E01")]
    k = sum(raw["ts001"][c] for c in eng if decile[c] <= 2)
    n = sum(raw["ts001"][c] for c in eng)
    assert _row(con, "E92000001", "imd2025_most_deprived_20")["value"] == pytest.approx(100 * k / n)


def test_kent_a_county_is_built_over_its_districts_wards(national_council, source, raw):
    kent = national_council("E10000016", "Kent", "91Q")  # shared with the page tests
    summary = kent["summary"]
    assert summary["seconds"] < 120
    utla = (
        NAT
        / "lookups"
        / ("Local_Authority_District_to_County_and_Unitary_Authority_(April_2023)_Lookup_in_EW.csv")
    )
    with (source / utla).open(encoding="utf-8-sig", newline="") as fh:
        districts = {
            r["LTLA23CD"]: r["LTLA23NM"] for r in csv.DictReader(fh) if r["UTLA23CD"] == "E10000016"
        }
    with (source / LOOKUP).open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["LAD23CD"] in districts]
    con = duckdb.connect(str(kent["db"]), read_only=True)
    try:
        counts = dict(con.execute("select area_type, count(*) from areas group by 1").fetchall())
        assert counts["ward"] == len({r["WD23CD"] for r in rows})
        assert counts["neighbourhood"] == len(districts) == 12
        assert _row(con, "E10000016", "residents")["value"] == sum(
            raw["ts001"][r["LSOA21CD"]] for r in rows
        )
        name = next(iter(sorted(districts)))
        code = con.execute(
            "select area_code from areas where area_type = 'neighbourhood' and area_name = $n",
            {"n": districts[name]},
        ).fetchone()[0]
        lsoas = [r["LSOA21CD"] for r in rows if r["LAD23CD"] == name]
        k = sum(raw["ages"][lsoa][b] for lsoa in lsoas for b in OLD)
        n = sum(v for lsoa in lsoas for b, v in raw["ages"][lsoa].items() if b != "Total")
        row = _row(con, code, "aged_65_plus")
        assert (row["count"], row["denominator"]) == (k, n)
    finally:
        con.close()


def test_leeds_builds_from_national_files(national_council, source, raw):
    leeds = national_council("E08000035", "Leeds", "15F")
    with (source / LOOKUP).open(encoding="utf-8-sig", newline="") as fh:
        lsoas = [r["LSOA21CD"] for r in csv.DictReader(fh) if r["LAD23CD"] == "E08000035"]
    con = duckdb.connect(str(leeds["db"]), read_only=True)
    try:
        assert _row(con, "E08000035", "residents")["value"] == sum(raw["ts001"][x] for x in lsoas)
        n = con.execute("select count(*) from areas where area_type = 'lsoa'").fetchone()[0]
        assert n == len(lsoas)
    finally:
        con.close()


def test_bad_input_is_one_line_naming_file_row_and_column(tmp_path, source, raw, capsys):
    wards = sorted(set(raw["ward_of"].values()))
    bad = tmp_path / "wards.csv"
    bad.write_text(f"ward_code,neighbourhood\n{wards[0]},A\nE05999999,B\n")
    argv = ["new", CODE, "--name", "Stockport", "--sub-icb", "01W", "--source", str(source)]
    argv += ["--out", str(tmp_path / "out")]
    assert place_cli.main([*argv, "--neighbourhoods", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"{bad}: row 3, column 'ward_code': E05999999 is not a best-fit ward" in err
    bad.write_text("ward,neighbourhood\n")
    assert place_cli.main([*argv, "--neighbourhoods", str(bad)]) == 1
    assert "row 1: expected columns 'ward_code' and 'neighbourhood'" in capsys.readouterr().err
    argv[1] = "E05000001"
    assert place_cli.main(argv) == 1
    assert "not an English council code" in capsys.readouterr().err


def test_imd2019_share_through_the_2011_lsoas(stockport, raw, source):
    import pandas as pd

    path = source / NAT / "deprivation/IoD2019_File_1_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    df = next(d for d in sheets.values() if "LSOA code (2011)" in d.columns)
    decile_col = next(c for c in df.columns if "Index of Multiple Deprivation (IMD) Decile" in c)
    decile = dict(zip(df["LSOA code (2011)"], df[decile_col], strict=True))
    parents: dict[str, list[str]] = defaultdict(list)
    exact = NAT / "lookups/LSOA11_to_LSOA21_to_LAD22_exact_EW.csv"
    with (source / exact).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["LSOA21CD"] in raw["ward_of"]:
                parents[r["LSOA21CD"]].append(r["LSOA11CD"])
    lsoas = sorted(raw["ward_of"])
    deprived = {x: all(decile[p] <= 2 for p in parents[x]) for x in lsoas}
    assert all(len({decile[p] <= 2 for p in parents[x]}) == 1 for x in lsoas)
    k = sum(raw["ts001"][x] for x in lsoas if deprived[x])
    n = sum(raw["ts001"][x] for x in lsoas)
    row = _row(stockport["con"], CODE, "imd2019_most_deprived_20")
    assert (row["count"], row["denominator"]) == (k, n)
