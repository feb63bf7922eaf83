"""Declarative schemas for `profiles/*.toml`: allowed keys, their types, codes and unique ids.

A schema is a dict of top-level keys to `Table` (one `[name]` table) or `Array` (`[[name]]`
tables); each maps its keys to a type name from `TYPES`, with a trailing "?" for an optional
key. An `[[indicator]]`'s `build` table is checked by its recipe
(`jsna.build.recipes.check_settings`,
each recipe declaring its own keys). Extending a profile is an edit here: add the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_CODE = {
    "ward code": re.compile(r"E05\d{6}"),
    "practice code": re.compile(r"[A-Z]\d{5}"),
    "council code": re.compile(r"E(0[6-9]|10)\d{6}"),
    "country code": re.compile(r"E92\d{6}"),
    "PCN code": re.compile(r"U\d{5}"),
}


def _is_str(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _list_of(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def _code(what: str) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and _CODE[what].fullmatch(v) is not None


# type name -> (check, how to describe it in a message)
TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (_is_str, "a non-empty string"),
    "int": (_is_int, "a whole number"),
    "number": (_is_number, "a number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "list[str]": (_list_of(_is_str), "a list of strings"),
    "list[int]": (_list_of(_is_int), "a list of whole numbers"),
    "ward codes": (_list_of(_code("ward code")), "a list of ward codes (E05 and 6 digits)"),
    "practice codes": (
        _list_of(_code("practice code")),
        "a list of practice codes (a letter and 5 digits)",
    ),
    "council codes": (
        _list_of(_code("council code")),
        "a list of council codes (E06 to E10 and 6 digits)",
    ),
    "council code": (_code("council code"), "a council code (E06 to E10 and 6 digits)"),
    "country code": (_code("country code"), "a country code (E92 and 6 digits)"),
    "PCN code": (_code("PCN code"), "a PCN code (U and 5 digits)"),
    "build": (lambda v: isinstance(v, dict), "a table"),
    "ward sets": (
        lambda v: isinstance(v, dict) and all(_list_of(_code("ward code"))(x) for x in v.values()),
        "a table of ward set id = [ward codes]",
    ),
}


@dataclass(frozen=True)
class Table:
    """A `[name]` table: its keys and their types ("?" marks an optional key)."""

    keys: dict[str, str]
    required: bool = True


@dataclass(frozen=True)
class Array:
    """`[[name]]` tables: their keys, the key that must be unique, and exclusive list keys.

    An exclusive list key's items may appear in only one entry (a ward in one neighbourhood).
    """

    keys: dict[str, str]
    required: bool = True
    unique: str | None = None
    exclusive: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Entries:
    """`[name.<key>]` tables: any keys, each a table checked against `keys`."""

    keys: dict[str, str]
    required: bool = True


# Keys of a place's `[source.<name>]` table: the files an indicator's recipe reads.
SOURCE_KEYS: dict[str, str] = {
    "file": "str?",
    "peer_file": "str?",
    "lsoa_file": "str?",
    "weight_file": "str?",
    "weight_sex_column": "str?",
    "female_file": "str?",
    "la_file": "str?",
    "totals_file": "str?",
    "geography_file": "str?",
    "england_file": "str?",
    "lsoa_set": "str?",
    "ward_set": "str?",
    "sources": "list[str]",
}
FILE_KEYS = tuple(k for k in SOURCE_KEYS if k not in ("ward_set", "sources"))

PLACE: dict[str, Table | Array | Entries] = {
    "place": Table(
        {
            "code": "council code",
            "name": "str",
            "england_code": "country code",
            "england_name": "str",
            "current_ward_set": "str",
            "census_noise_per_cell": "int?",
        }
    ),
    "files": Table(
        {
            "ward_lookup": "str",
            "pcn_lookup": "str",
            "registrations": "str?",
            "practice_locations": "str?",
            "postcodes": "str?",
            "lsoa_imd": "str?",
            "lsoa_population": "str?",
            "oa11_lookup": "str?",
            "oa21_lookup": "str?",
            "gp_age": "str?",
            "practice_imd": "str?",
            "population_wards": "str?",
            "population_la": "str?",
            "census_residents_ward": "str?",
            "census_residents_peers": "str?",
            "census_households_ward": "str?",
            "census_households_peers": "str?",
            "census_age_ward": "str?",
            "census_age_peers": "str?",
            "la_boundary": "str",
            "england_ages": "str?",
            "practice_context": "str?",
        }
    ),
    "ward_set": Array(
        {
            "id": "str",
            "name": "str",
            "short": "str",
            "note": "str",
            "lookup_label": "str",
            "layer": "str",
            "boundary": "str",
            "neighbourhood_layer": "str",
            "neighbourhood_boundary": "str",
        },
        unique="id",
    ),
    "lsoa_set": Array(
        {
            "id": "str",
            "lookup": "str",
            "lsoa_column": "str",
            "ward_column": "str",
            "la_column": "str",
            "ward_set": "str",
            "layer": "str",
            "boundary": "str",
        },
        unique="id",
    ),
    "neighbourhood": Array(
        {"code": "str", "name": "str", "wards": "ward sets"},
        unique="code",
    ),
    "pcn": Array(
        {"code": "PCN code", "name": "str", "serves": "list[str]", "practices": "practice codes"},
        unique="code",
        exclusive=("practices",),
    ),
    "peer_group": Table(
        {"code": "str", "name": "str", "description": "str", "members": "council codes"},
        required=False,
    ),
    "source": Entries(SOURCE_KEYS),
    # What the place's data cannot give, with the reason (shown on Definitions and data).
    "not_available": Array({"item": "str", "reason": "str"}, required=False),
}

INDICATORS: dict[str, Table | Array | Entries] = {
    "domain": Array({"id": "str", "name": "str"}, unique="id"),
    "indicator": Array(
        {
            "id": "str",
            "name": "str",
            "domain": "str",
            "definition": "str",
            "value_type": "str",
            "unit": "str",
            "polarity": "str",
            "ci_method": "str",
            "comparator": "str",
            "period": "str",
            "publisher": "str",
            "licence": "str",
            "geography": "str",
            "estimate": "bool?",
            "england_value": "number?",
            "build": "build",
        },
        unique="id",
    ),
}


class SchemaError(ValueError):
    """A profile breaks its schema; the message names the file, the entry and the key."""


def check_keys(entry: Any, spec: dict[str, str], where: str) -> None:
    """Check a table's keys and their types against `spec` (key -> type name, "?" optional)."""
    if not isinstance(entry, dict):
        raise SchemaError(f"{where}: must be a table")
    allowed = set(spec)
    for key in entry:
        if key not in allowed:
            raise SchemaError(
                f"{where}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})"
            )
    for key, type_name in spec.items():
        optional = type_name.endswith("?")
        type_name = type_name.rstrip("?")
        if key not in entry:
            if not optional:
                raise SchemaError(f"{where}: missing key '{key}'")
            continue
        check, desc = TYPES[type_name]
        value = entry[key]
        if not check(value):
            raise SchemaError(f"{where}: key '{key}' must be {desc}, not {value!r}"[:300])


def check(raw: dict[str, Any], schema: dict[str, Table | Array | Entries], name: str) -> None:
    """Check a parsed profile against its schema.

    Args:
        raw: the parsed TOML.
        schema: `PLACE` or `INDICATORS`.
        name: the file as messages name it ("profiles/place.toml").

    Raises:
        SchemaError: an unknown or missing key, a wrong type or code, or a duplicate id.
    """
    for key in raw:
        if key not in schema:
            raise SchemaError(
                f"{name}: unknown table [{key}] (allowed: {', '.join(sorted(schema))})"
            )
    for key, spec in schema.items():
        if key not in raw:
            if spec.required:
                raise SchemaError(f"{name}: missing table [{key}]")
            continue
        if isinstance(spec, Table):
            check_keys(raw[key], spec.keys, f"{name} [{key}]")
            continue
        if isinstance(spec, Entries):
            if not isinstance(raw[key], dict):
                raise SchemaError(f"{name}: '{key}' must be [{key}.<name>] tables")
            for sub, entry in raw[key].items():
                check_keys(entry, spec.keys, f"{name} [{key}.{sub}]")
            continue
        entries = raw[key]
        if not isinstance(entries, list):
            raise SchemaError(f"{name}: '{key}' must be [[{key}]] tables")
        seen: dict[Any, int] = {}
        owner: dict[tuple[str, Any], int] = {}
        for i, entry in enumerate(entries, start=1):
            label = entry.get(spec.unique) if isinstance(entry, dict) and spec.unique else None
            where = f"{name} [[{key}]] {i}" + (f" ({label})" if label else "")
            check_keys(entry, spec.keys, where)
            if spec.unique:
                if label in seen:
                    raise SchemaError(
                        f"{where}: duplicate {spec.unique} '{label}' (also entry {seen[label]})"
                    )
                seen[label] = i
            for list_key in spec.exclusive:
                for item in entry.get(list_key, []):
                    if (list_key, item) in owner:
                        raise SchemaError(
                            f"{where}: key '{list_key}' lists {item}, already in entry "
                            f"{owner[(list_key, item)]}"
                        )
                    owner[(list_key, item)] = i


# --------------------------------------------------------------------------- the built profile
CI_COLUMNS: tuple[str, ...] = ("lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998")
"""The 95% and 99.8% confidence limits of a value."""

AREA_COLUMNS: tuple[str, ...] = ("area_code", "area_name", "area_type", "vintage")
"""Profile columns taken from the `areas` table."""

INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator_name",
    "domain",
    "domain_order",
    "sort_order",
    "unit",
    "value_type",
    "polarity",
)
"""Profile columns taken from the `indicators` table."""

BENCHMARK_COLUMNS: tuple[str, ...] = (
    "england_value",
    "la_value",
    "benchmark",
    "benchmark_value",
    "comparison",
    "comparison_reason",
)
"""Profile columns added by the comparison (`jsna.core.comparison.compare`)."""

PROFILE_COLUMNS: tuple[str, ...] = (
    *AREA_COLUMNS,
    "indicator_id",
    *INDICATOR_COLUMNS[:4],
    "period",
    "sex",
    "age",
    *INDICATOR_COLUMNS[4:],
    "value",
    *CI_COLUMNS,
    "count",
    "denominator",
    *BENCHMARK_COLUMNS,
    "method",
    "is_estimate",
    "note",
    "population",
)
"""The columns of the `profile` view (and of a custom area's rows), in order: defined once."""

_JOINED = frozenset(AREA_COLUMNS[1:] + INDICATOR_COLUMNS + BENCHMARK_COLUMNS)
VALUE_COLUMNS: tuple[str, ...] = (
    *(c for c in PROFILE_COLUMNS if c not in _JOINED),
    "published_comparison",
)
"""What every recipe's rows become (`indicator_values` before the comparison): the profile's
own columns, and OHID's published comparison with England where there is one."""

# Every indicator's unit, with the range a published or computed value can plausibly take:
# a value outside it (a life expectancy of 1,000 years, a negative rate, a percentage above
# 100) stops the build, naming the file, row and column. A unit not listed here is refused
# when the profile is loaded, so a typo ("furlongs") cannot slip through unchecked.
INF = float("inf")
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "%": (0.0, 100.0),
    "% aged 16+": (0.0, 100.0),
    "% aged 5+": (0.0, 100.0),
    "% of households": (0.0, 100.0),
    "% of residents": (0.0, 100.0),
    "per 1,000": (0.0, INF),  # events can outnumber people (A&E attendances)
    "per 100,000 (age-standardised)": (0.0, INF),
    "SAR (England = 100)": (0.0, INF),
    "SIR (England = 100)": (0.0, INF),
    "SMR (England = 100)": (0.0, INF),
    "years": (40.0, 100.0),  # life expectancy and healthy life expectancy at birth
    "score": (0.0, 100.0),  # deprivation scores
    "people": (0.0, INF),
    "patients": (0.0, INF),
    "practices": (0.0, INF),
}
