"""The national inputs a generated place is made from, and how they are read (`placegen`).

Each input is named by its id in the repository's `profiles/manifest.toml`; `National` finds
it in the data folder and records it as used, so the generated manifest lists what was read.
"""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jsna.core.config import profiles_dir

# National inputs by their id in the repository's profiles/manifest.toml (paths from there).
INPUTS = {
    "ward_lookup": "national_lookups_lsoa_2021_to_electoral_ward_2023_to_lad_2023_"
    "best_fit_lookup_in_ew",
    "ward_region": "national_lookups_ward_to_local_authority_district_to_county_to_region_"
    "to_country_may_2023_lookup_in_united_kingdom",
    "lad_utla": "national_lookups_local_authority_district_to_county_and_unitary_authority_"
    "april_2023_lookup_in_ew",
    "lsoa11_21": "national_lookups_lsoa11_to_lsoa21_to_lad22_exact_ew",
    "gp_map": "national_gp_gp_reg_pat_prac_map_01jan2026",
    "ts001": "national_census2021_ts001_residence_type_2021_csv_gz",
    "ts007a": "national_census2021_census2021_ts007a_age_5yr_bands_lsoa21_nomis",
    "ts021": "national_census2021_census2021_ts021_ethnic_group_5cat_lsoa21_nomis",
    "ts038": "national_census2021_ts038_disability_3a_2021_csv_gz",
    "imd2019": "national_deprivation_iod2019_file_1_imd2019_index_of_multiple_deprivation_xlsx",
    "imd2025": "national_deprivation_iod2025_file_1_iod2025_index_of_multiple_deprivation_xlsx",
    "qof": "gp_qof_qof_2022_23_prevalence_all_practices_england",
    "qof_geography": "gp_qof_qof_2022_23_nhs_geography_all_practices_england",
}
LSOA_BOUNDARY_DIR = "national_boundaries_lsoa21_by_lad_"  # id prefix: one file per LAD
WARD_SET = "wards_2023"
LSOA_SET = "lsoa21"
WARD_LABEL = "May 2023 wards (best fit from 2021 LSOAs)"
ENGLAND = ("E92000001", "England")
# Census tables by LSOA disagree with TS001 by more than one person per cell (ONS perturbs
# every cell and does not publish the largest change): measured over every English LSOA,
# TS038 by up to 7 (2 cells + 1), TS021 by up to 10 (5 + 1) and TS007A by up to 13 (18 + 1).
# Three per cell is the tightest whole number that covers them all; two would stop a build
# on real data (tests/db/test_census_noise.py measures it).
NOISE_PER_CELL = 3
NOT_AVAILABLE = (
    (
        "Life expectancy and OHID Local Health outcomes (admissions, deaths, cancer incidence)",
        "no England-wide ward or MSOA extract is in the national data",
    ),
    (
        "Mid-year population estimates and population pyramids",
        "none by LSOA in the national data, so residents are Census 2021 counts",
    ),
    (
        "Practice sites on the maps, list sizes and postcode search",
        "no practice postcode lookup, registrations file or postcode file for all of England",
    ),
    (
        "Registered patients by LSOA of residence",
        "not obtainable, so practices cannot be placed in wards, nor PCNs matched to "
        "neighbourhoods from the data",
    ),
    (
        "Fingertips council-level indicators",
        "no England-wide Fingertips extract for every council is in the national data",
    ),
)


class PlaceError(ValueError):
    """The place cannot be generated; `str()` is the one line to print."""


@dataclass
class National:
    """The repository's manifest entries (by id) and the data folder."""

    source: Path
    entries: dict[str, dict[str, Any]]
    used: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, source: Path, manifest: Path | None = None) -> National:
        """Read the repository's manifest (default: the profiles folder's)."""
        manifest = manifest or profiles_dir() / "manifest.toml"
        with manifest.open("rb") as fh:
            raw = tomllib.load(fh)
        return cls(source, {f["id"]: f for f in raw.get("file", [])})

    def path(self, key: str) -> Path:
        """The data folder's copy of a national input, by `INPUTS` key or manifest id."""
        ident = INPUTS.get(key, key)
        if ident not in self.entries:
            raise PlaceError(f"manifest: no national file with id '{ident}'")
        if ident not in self.used:
            self.used.append(ident)
        rel = str(self.entries[ident]["path"])
        path = self.source / rel
        if not path.is_file():
            raise PlaceError(f"{rel}: not in {self.source} (python -m jsna.build.fetch gets it)")
        return path


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "place"


# --------------------------------------------------------------------------- reading
def read_ons(path: Path, usecols: list[str]) -> pd.DataFrame:
    """An ONS lookup (byte-order mark, ObjectId column) as text."""
    return pd.read_csv(path, usecols=usecols, dtype=str, encoding="utf-8-sig")


def read_nomis(path: Path) -> pd.DataFrame:
    """A Nomis bulk table: the header row after the title lines, to the first blank line."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('"2021 super output'))
    first = next(i for i in range(start + 1, len(lines)) if lines[i].strip())
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    text = "\n".join([lines[start], *lines[first:end]])
    df = pd.read_csv(io.StringIO(text), dtype={"mnemonic": str})
    return df.rename(columns={"mnemonic": "lsoa"}).drop(columns=df.columns[0])


def read_visual(path: Path) -> pd.DataFrame:
    """An ONS visual-team Census export: its LSOA rows."""
    df = pd.read_csv(path, dtype={"Geography code": str})
    df = df[df["Geography area type"] == "LSOA"]
    return df.rename(columns={"Geography code": "lsoa"})


def imd_deciles(path: Path, code_col: str, decile_col: str) -> pd.Series:
    """IMD decile by LSOA from an IoD workbook's first data sheet (openpyxl)."""
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for df in sheets.values():
        cols = {str(c).strip(): c for c in df.columns}
        code = next((cols[c] for c in cols if c.startswith(code_col)), None)
        dec = next((cols[c] for c in cols if decile_col in c), None)
        if code is not None and dec is not None:
            return pd.Series(df[dec].astype(int).to_numpy(), index=df[code].astype(str))
    raise PlaceError(f"{path.name}: no sheet with '{code_col}' and '{decile_col}' columns")
