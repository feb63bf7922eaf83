"""Write `profiles/manifest.toml` from a data folder and its provenance notes.

    python tools/make_manifest.py --source ../shared/data [--out profiles/manifest.toml]

Lists every file a build or a test reads, with its public origin (repository, commit, path,
from `PROVENANCE.md`, `national/**/*.note.txt` and `reference_tests/*/README.md`), licence,
attribution, period, coverage, bytes and sha256 computed from the folder. The files the
default (Trafford) build reads are those in `tools/manifest_build_files.txt`: first found by
tracing every file a real build opens (`strace -f -e trace=openat python -m jsna.build`, 81
files), now also `select path from data_release` in any build. The tests also read
`TEST_FILES`; everything under `national/` and `reference_tests/` is listed too.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TEST_FILES = [
    "gp/qof/qof_2022_23_prevalence_trafford_practices.csv",
]
COMMITS = {
    "traffordDataLab/spatial_data": "7fa4f03c29745aa4ca0f17f30e0dd1b31563202c",
    "traffordDataLab/open_data": "a33a7d94948399556302a5c2a2d1cbf4ce4878aa",
    "traffordDataLab/ward_data": "356cc1cf8ad6ab86baad709ccdcb7d6bd4848c7c",
    "traffordDataLab/trafford_themes": "ae20a088ae35b93b57843c79ee56e0072915db9e",
    "traffordDataLab/dashboard": "83e9bc0cd14d1fac19c743c1e5eece54e0145458",
    "traffordDataLab/analysis": "d6e5805199eb089c3210306a45111f2986b723b2",
    "traffordDataLab/charticles": "07f60d4e7955c3246e42c03f5b2490c2cde62a02",
    "traffordDataLab/gp_indicators": "f036ff76afebac44b58adf0a6f78c22b2834ccbd",
    "andy-at-githb/PrimaryCareResearchMap": "a66f301c9c7eec16db802ef9fd87cd2059bde645",
    "lrowleyabel/Census-2021": "b612754288914e7b64f9ea05288907cb5cdcae98",
    "humaniverse/demographr": "d0417101e5cad5fe1eca059ac60859e9157a29d2",
    "HealthEquityEvidenceCentre/HEEC": "8a7205b2025b12f89fe366b6793400babca4d692",
    "houseofcommonslibrary/local-health-data-from-QOF": "496b8e7b19b8bb33d5a3337e79f5572dd475fd7d",
    "blackwellrd/shiny_app_example": "7be0ae405f23",
    "ukhsa-collaboration/PHEindicatormethods": "093fd288d8f8949dbcfbed70049dbbf385b6141d",
}
WARD_DATA_2017 = "144abd1747e9acda2d7cf78e24e2dd387a3ef956"
FINGERTIPSNEXT = {
    "healthdata": "33e18454996c40c2d805f7739a01f99fcc4c54ac",
    "indicators": "107c9357cc837a90954004ee37185c1f257d3d77",
}
REPO_ALIASES = {"HEEC": "HealthEquityEvidenceCentre/HEEC"}
QOF_FILES = {
    "gp/qof/qof_2022_23_prevalence_all_practices_england.csv": (
        "example001/www/PREVALENCE_2223.csv",
        None,
    ),
    "gp/qof/qof_2022_23_nhs_geography_all_practices_england.csv": (
        "example001/www/MAPPING_NHS_GEOGRAPHIES_2223.csv",
        None,
    ),
    "gp/qof/qof_2022_23_prevalence_trafford_practices.csv": (
        "example001/www/PREVALENCE_2223.csv",
        "subset: the rows of PREVALENCE_2223.csv for the 26 Trafford practices (sub-ICB 02A), "
        "546 rows, unchanged",
    ),
    "gp/qof/qof_2022_23_prevalence_england_trafford_totals.csv": (
        "example001/www/PREVALENCE_2223.csv",
        "DERIVED: sums of REGISTER and PRACTICE_LIST_SIZE per GROUP_CODE and list type over all "
        "6,378 practices (England) and the 26 Trafford practices of PREVALENCE_2223.csv, with "
        "the practice count and the percentage",
    ),
}
FOLDER_PERIODS = [
    ("reference_tests/", "not applicable (test data of PHEindicatormethods 2.1.0)"),
    ("national/boundaries/lsoa21_by_lad/", "LSOA 2021 boundaries (ONS BGC, December 2021)"),
    ("national/census2021/", "Census 2021 (21 March 2021)"),
    ("national/gp/", "1 January 2026"),
    ("national/deprivation/IoD2019", "2019"),
    ("national/deprivation/IoD2025", "2025"),
    ("national/lookups/LSOA11_to_LSOA21", "LSOA 2011 to LSOA 2021 (LAD 2022)"),
    ("national/lookups/MSOA11_to_MSOA21", "MSOA 2011 to MSOA 2021 (LAD 2022)"),
    ("england/census2021/", "Census 2021 (21 March 2021)"),
    ("gp/trafford_general_practices", "January 2026 (ODS extract 23 January 2026)"),
    ("gp/trafford_gp_patient_registrations", "1 January 2026"),
    ("indicators/deprivation/IoD2025", "2025"),
    ("lookups/gm_lsoa11_to_ward17", "LSOA 2011, wards 2017"),
    ("lookups/gm_lsoa21_to_ward22", "LSOA 2021, wards 2022"),
    ("lookups/gm_oa11", "2011 output areas"),
    ("lookups/gm_oa21", "2021 output areas"),
    ("lookups/trafford_postcodes", "February 2025 (ONS Postcode Directory)"),
    ("lookups/trafford_ward_to_locality", "wards of 2004 to May 2023 and from May 2023"),
]
OGL = "OGL-3.0"
ONS = "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
OS = "Contains OS data © Crown copyright and database right"
PSI = "Contains public sector information licensed under the Open Government Licence v3.0"
OPL = (
    "Contains Parliamentary information licensed under the Open Parliament Licence v3.0 "
    "(House of Commons Library)"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _provenance_rows(text: str) -> dict[str, tuple[str, str, str]]:
    """Local path -> (repo cell, path-in-source cell, contents cell) from PROVENANCE.md."""
    rows: dict[str, tuple[str, str, str]] = {}
    previous = ""
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| local path") or "---" in line[:8]:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or "/" not in cells[0] or " " in cells[0]:
            continue
        repo = cells[1]
        if repo == "same":
            repo = previous
        previous = repo
        rows[cells[0]] = (repo, cells[2], " ".join(cells[3:]))
    return rows


def _note(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([a-z ]+):\s*(.*)", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2)
    return out


def _raw_url(repo: str, commit: str, path: str) -> str:
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{quote(path)}"


def _publisher(rel: str) -> tuple[str, str]:
    """(publisher, attribution) for a path."""
    ons_geo = ("ONS (Open Geography Portal)", f"{ONS}. {OS}.")
    rules: list[tuple[str, tuple[str, str]]] = [
        (
            "reference_tests/",
            (
                "UKHSA / DHSC (PHEindicatormethods test data)",
                "PHEindicatormethods authors (UKHSA / DHSC), GPL-3",
            ),
        ),
        ("national/boundaries/", ons_geo),
        ("national/lookups/", ("ONS (Open Geography Portal)", f"{ONS}.")),
        ("national/census2021/", ("ONS (Census 2021)", f"{ONS}.")),
        ("national/deprivation/", ("MHCLG (English Indices of Deprivation)", f"{PSI} (MHCLG).")),
        (
            "national/gp/",
            ("NHS England (Patients registered at a GP practice)", f"{PSI} (NHS England)."),
        ),
        ("boundaries/", ons_geo),
        ("lookups/trafford_postcodes", ("ONS (Postcode Directory)", f"{ONS}. {OS}.")),
        (
            "lookups/trafford_ward_to_locality",
            ("Trafford Council (localities)", f"{PSI} (Trafford Data Lab)."),
        ),
        ("lookups/", ("ONS (Open Geography Portal)", f"{ONS}.")),
        ("indicators/census2021/", ("ONS (Census 2021)", f"{ONS}.")),
        ("england/census2021/", ("ONS (Census 2021)", f"{ONS}.")),
        ("indicators/population/", ("ONS (mid-year population estimates)", f"{ONS}.")),
        ("indicators/deprivation/", ("MHCLG (English Indices of Deprivation)", f"{PSI} (MHCLG).")),
        (
            "indicators/ward_data_2023wards/deprivation",
            (
                "MHCLG (English Indices of Deprivation 2025)",
                f"{PSI} (MHCLG; ward averages by Trafford Data Lab).",
            ),
        ),
        ("indicators/", ("OHID (Fingertips)", f"{PSI} (OHID Fingertips).")),
        ("gp/fingertips/", ("OHID (Fingertips)", f"{PSI} (OHID Fingertips).")),
        (
            "gp/heec/",
            (
                "OHID (Fingertips)",
                f"{PSI} (OHID Fingertips; via the Health Equity Evidence Centre).",
            ),
        ),
        ("gp/qof/fingertips", ("OHID (Fingertips)", f"{PSI} (OHID Fingertips).")),
        (
            "gp/age/",
            ("NHS Digital (Patients Registered at a GP Practice)", f"{PSI} (NHS Digital). {OPL}."),
        ),
        ("gp/", ("NHS England", f"{PSI} (NHS England).")),
    ]
    for prefix, value in rules:
        if rel.startswith(prefix):
            return value
    raise SystemExit(f"no publisher rule for {rel}")


def _period(path: Path, rel: str) -> str:
    """The period a file covers: its period/Year column's range, else the years in its name."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            for name in ("period", "Year", "year", "Time period", "TimePeriod"):
                if name in header:
                    i = header.index(name)
                    vals = sorted({r[i] for r in reader if len(r) > i and r[i]})
                    if vals:
                        return vals[0] if len(vals) == 1 else f"{vals[0]} to {vals[-1]}"
                    break
    for prefix, period in FOLDER_PERIODS:
        if rel.startswith(prefix):
            return period
    months = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    year = r"(?:19|20)\d\d(?:_\d\d(?!\d))?"
    found = re.findall(rf"(?i)(?<![a-z])((?:\d\d)?(?:{months})_?)?({year})(?!\d)", Path(rel).name)
    if found:
        return ", ".join(
            dict.fromkeys((m.replace("_", " ") + y.replace("_", "/")).strip() for m, y in found)
        )
    return "as published (see origin)"


def _coverage(rel: str) -> str:
    national = (
        rel.startswith(("national/", "reference_tests/"))
        or "england" in rel.lower()
        or "/la_fingertips_" in rel
    )
    return "national" if national else "place"


def _ident(rel: str) -> str:
    stem = rel
    for suffix in (
        ".csv.gz",
        ".geojson",
        ".csv",
        ".xlsx",
        ".shp",
        ".shx",
        ".dbf",
        ".prj",
        ".cpg",
        ".xml",
    ):
        if stem.endswith(suffix):
            ext = suffix.strip(".").replace(".", "_")
            stem = stem[: -len(suffix)] + ("" if suffix in (".csv", ".geojson") else f"_{ext}")
            break
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")


def entry(
    source: Path, rel: str, role: str, prov: dict[str, tuple[str, str, str]]
) -> dict[str, object]:
    path = source / rel
    publisher, attribution = _publisher(rel)
    out: dict[str, object] = {
        "id": _ident(rel),
        "path": rel,
        "role": role,
        "coverage": _coverage(rel),
        "publisher": publisher,
        "licence": "GPL-3.0"
        if rel.startswith("reference_tests/")
        else "OGL-3.0 and Open Parliament Licence v3.0"
        if rel.startswith("gp/age/")
        else OGL,
        "attribution": attribution,
        "period": _period(path, rel),
    }
    repo = commit = origin_path = derivation = ""
    if rel in QOF_FILES:
        repo, commit = "blackwellrd/shiny_app_example", COMMITS["blackwellrd/shiny_app_example"]
        origin_path, derived = QOF_FILES[rel]
        derivation = derived or ""
    elif rel.startswith("reference_tests/PHEindicatormethods/"):
        repo = "ukhsa-collaboration/PHEindicatormethods"
        commit = COMMITS[repo]
        origin_path = "tests/testthat/" + Path(rel).name
    elif rel.startswith("national/boundaries/lsoa21_by_lad/"):
        note = (source / "national/boundaries/lsoa21_by_lad/SOURCE.note.txt").read_text()
        repo, commit = "drkane/geo-lookups", "e20a072d5fc0918437abaa3622be63f40b71d9dd"
        name = Path(rel).name
        m = re.search(rf"^{re.escape(name)}\t(\S+)\t(\d+)\t([0-9a-f]{{64}})", note, re.M)
        origin_path = m.group(1) if m else f"boundaries/lsoa/{name}"
        derivation = (
            "DERIVED: the ONS BGC (20 m) LSOA 2021 boundaries of one LAD at the origin "
            + (f"({m.group(2)} bytes, sha256 {m.group(3)}) " if m else "")
            + "simplified with shapely coverage_simplify at tolerance 0.0006 degrees (shared "
            "edges kept; 5 small LSOAs kept unsimplified where simplifying emptied them), "
            "properties cut to LSOA21CD and LSOA21NM, coordinates rounded to 5 decimals "
            "(national/README.md)"
        )
    elif rel.startswith("national/"):
        note_path = path.with_name(path.name + ".note.txt")
        if not note_path.is_file():
            shp = sorted(path.parent.glob("*.shp.note.txt"))
            note_path = shp[0] if shp else note_path
        note = _note(note_path)
        repo = note["repository"]
        commit = note["commit"].split()[0]
        origin_path = (
            str(Path(note["path"]).parent / path.name)
            if note_path.name != path.name + ".note.txt"
            else note["path"]
        )
        if not note.get("untouched", "yes").lower().startswith(("yes", "appears")):
            derivation = "byte copy of the origin, whose copy is noted: " + note["untouched"]
    elif rel in prov:
        repo_cell, path_cell, contents = prov[rel]
        if repo_cell == "DERIVED":
            path_cell = path_cell.replace(
                "from the four sources above",
                "from the four England Census 2021 files of PROVENANCE.md (lrowleyabel/Census-2021 "
                "TS007, TS039 and TS021 tables, humaniverse/demographr ethnic group)",
            )
            derivation = f"DERIVED: {path_cell}. {contents}"
        else:
            repo = REPO_ALIASES.get(repo_cell, repo_cell)
            commit = COMMITS.get(repo, "")
            if repo == "traffordDataLab/ward_data" and "ward_data_2017wards" in rel:
                commit = WARD_DATA_2017
            if repo == "dhsc-govuk/FingertipsNext":
                commit = FINGERTIPSNEXT["healthdata" if "healthdata" in rel else "indicators"]
            m = re.search(r"commit ([0-9a-f]{40})", path_cell)
            if m:
                commit = m.group(1)
            origin_path = re.split(r" \(|, \*\*| @", path_cell)[0].strip("`* ")
            if "subset" in path_cell or "DERIVED" in path_cell:
                derivation = f"{path_cell} — {contents}"
    else:
        raise SystemExit(f"no provenance for {rel}")
    if repo:
        out["repository"] = repo
        out["commit"] = commit
        out["origin_path"] = origin_path
        out["origin"] = _raw_url(repo, commit, origin_path)
    if derivation:
        out["derivation"] = re.sub(r"\s+", " ", derivation).strip()
    out["bytes"] = path.stat().st_size
    out["sha256"] = _sha256(path)
    return out


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def render(entries: list[dict[str, object]], release: str) -> str:
    lines = [
        "# Every file a build or a test reads: where it comes from, its licence and its checksum.",
        "# Written by tools/make_manifest.py; the build refuses a file that is missing, changed",
        "# or not listed here. `role`: build = read by the default place's build (committed under",
        "# data/trafford/), national = England-wide input for building any council, test = read by",
        "# the tests only. national and test files are fetched by `make fetch` (jsna.build.fetch).",
        "",
        "[release]",
        f"name = {_toml_value(release)}",
        f"files = {len(entries)}",
        f"bytes = {sum(int(e['bytes']) for e in entries)}",  # type: ignore[call-overload]
        "",
    ]
    for e in entries:
        lines.append("[[file]]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in e.items())
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "profiles" / "manifest.toml")
    parser.add_argument("--release", default=datetime.now(UTC).strftime("%Y-%m-%d"))
    args = parser.parse_args()
    source = args.source.resolve()
    prov = _provenance_rows((source / "PROVENANCE.md").read_text(encoding="utf-8"))
    build = (ROOT / "tools" / "manifest_build_files.txt").read_text().split()
    roles = dict.fromkeys(build, "build")
    for rel in TEST_FILES:
        roles.setdefault(rel, "test")
    for folder, role in (("national", "national"), ("reference_tests", "test")):
        for p in sorted((source / folder).rglob("*")):
            if p.is_file() and not p.name.endswith(".note.txt") and p.name != "README.md":
                roles.setdefault(p.relative_to(source).as_posix(), role)
    entries = [entry(source, rel, role, prov) for rel, role in roles.items()]
    ids = [e["id"] for e in entries]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit(f"duplicate ids: {sorted(dupes)}")  # type: ignore[type-var]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(entries, args.release), encoding="utf-8")
    print(f"wrote {args.out}: {len(entries)} files")


if __name__ == "__main__":
    main()
