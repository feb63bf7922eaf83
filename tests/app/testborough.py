"""A second council, "Testborough", made at test time from a relabelled copy of the real data.

Nothing here is a copy of data in git: `make_source` rewrites every file of the shared data
folder into a temporary folder, and `make_profiles` writes a profiles folder for it from
Trafford's, so the build and every page must work from `profiles/` alone.

What changes, consistently in every file (contents and names):
- the council: code E08000009 -> E08000999, name Trafford -> Testborough (any case);
- ward codes E05xxxxxx of the place -> E059xxxxx, practice codes P91xxx -> Z91xxx, the five
  PCN codes -> U0xxxx;
- file names: "trafford" -> "testborough", "gm_"/"_gm" -> "region_"/"_region";
- ward sets: three, with new ids ("w_old", "w_current" and a third, "w_future", made from
  the current wards under new codes with its own lookup rows, boundaries and mid-year
  estimates, which the population indicator is built from);
- the peer group: five councils instead of the other nine of Greater Manchester.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

COUNCIL = ("E08000009", "E08000999")
PCNS = {"U66368": "U06368", "U83990": "U03990", "U79881": "U09881", "U95344": "U05344"}
PCNS["U42898"] = "U02898"
PEERS = ["E08000001", "E08000002", "E08000003", "E08000004", "E08000005"]
NAME = re.compile(r"trafford", re.IGNORECASE)
TEXT_SUFFIXES = {".csv", ".geojson", ".json", ".md", ".txt", ".toml"}
FUTURE_LABEL = "Testborough future wards"


def _name(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isupper():
        return "TESTBOROUGH"
    return "Testborough" if word[0].isupper() else "testborough"


def new_path(rel: str) -> str:
    """A source path as Testborough's copy names it."""
    rel = NAME.sub(_name, rel)
    return rel.replace("gm_", "region_").replace("_gm", "_region")


def _codes(place: dict) -> dict[str, str]:
    codes = {COUNCIL[0]: COUNCIL[1], **PCNS}
    for n in place["neighbourhood"]:
        for ward_list in n["wards"].values():
            for w in ward_list:
                codes[w] = "E059" + w[4:]
    return codes


def relabel(text: str, codes: dict[str, str]) -> str:
    """Every code and name of the place replaced (a whole token at a time)."""
    text = re.sub(r"\b[EU]\d{5,8}\b", lambda m: codes.get(m.group(0), m.group(0)), text)
    text = re.sub(r"\bP91(\d{3})\b", r"Z91\1", text)
    return NAME.sub(_name, text)


def future(code: str) -> str:
    """The third ward set's code for a current (May 2023) ward, after relabelling."""
    return "E0592" + code[5:]


def make_source(src: Path, out: Path, trafford_place: Path) -> dict[str, str]:
    """Write the relabelled copy of `src` to `out`; returns the new paths of the extra files."""
    place = tomllib.loads(trafford_place.read_text())
    codes = _codes(place)
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(src).as_posix()
        target = out / new_path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            target.write_text(relabel(path.read_text(encoding="utf-8"), codes), encoding="utf-8")
        else:
            shutil.copyfile(path, target)
    # The third ward set: the current wards under new codes.
    current = {w: codes[w] for n in place["neighbourhood"] for w in n["wards"]["wards_2023"]}
    swap = {new: future(new) for new in current.values()}

    def to_future(text: str) -> str:
        return re.sub(r"\bE059\d{5}\b", lambda m: swap.get(m.group(0), m.group(0)), text)

    files = place["files"]
    ws = {w["id"]: w for w in place["ward_set"]}["wards_2023"]
    extra = {
        "boundary": "boundaries/ward_2031/testborough_ward_2031_generalised.geojson",
        "neighbourhood_boundary": "boundaries/localities_2031/testborough_areas_2031.geojson",
        "population": "indicators/population/testborough_mid-year_2024_wards_2031.csv",
    }
    for key, rel in (
        ("boundary", ws["boundary"]),
        ("neighbourhood_boundary", ws["neighbourhood_boundary"]),
        ("population", place["source"]["population"]["file"]),
    ):
        (out / extra[key]).parent.mkdir(parents=True, exist_ok=True)
        (out / extra[key]).write_text(to_future((out / new_path(rel)).read_text()))
    lookup = out / new_path(files["ward_lookup"])
    lines = lookup.read_text().splitlines()
    label = ws["lookup_label"]
    added = [to_future(line).replace(label, FUTURE_LABEL) for line in lines if label in line]
    lookup.write_text("\n".join([*lines, *added]) + "\n")
    return extra


def make_profiles(trafford_profiles: Path, out: Path, extra: dict[str, str]) -> None:
    """Testborough's place.toml and indicators.toml, written from Trafford's."""
    out.mkdir(parents=True, exist_ok=True)
    place_text = (trafford_profiles / "place.toml").read_text()
    place = tomllib.loads(place_text)
    codes = _codes(place)
    text = relabel(place_text, codes)
    # File paths under the new names.
    text = re.sub(r'"([a-z0-9_]+/[^"]+\.(?:csv|geojson))"', lambda m: f'"{new_path(m[1])}"', text)
    text = text.replace('"wards_2004"', '"w_old"').replace('"wards_2023"', '"w_current"')
    text = text.replace("wards.wards_2004", "wards.w_old")

    def add_future(m: re.Match[str]) -> str:
        listed = re.findall(r'"(E059\d{5})"', m.group(0))
        return (
            m.group(0) + "\nwards.w_future = [" + ", ".join(f'"{future(c)}"' for c in listed) + "]"
        )

    text = re.sub(r"^wards\.wards_2023 = \[[^\]]*\]", add_future, text, flags=re.M)
    text = text.replace("wards.wards_2023", "wards.w_current")
    third = f"""
[[ward_set]]
id = "w_future"
name = "wards planned for 2031"
short = "from 2031"
note = "the council's own mid-year estimates"
lookup_label = "{FUTURE_LABEL}"
layer = "ward_future"
boundary = "{extra["boundary"]}"
neighbourhood_layer = "neighbourhood_future"
neighbourhood_boundary = "{extra["neighbourhood_boundary"]}"
"""
    text = text.replace("\n[[lsoa_set]]", third + "\n[[lsoa_set]]", 1)
    text = re.sub(r'layer = "ward_(2004|2023)"', r'layer = "wards_layer_\1"', text)
    head, rest = text.split("[source.population]", 1)
    block, tail = rest.split("\n[", 1)
    block = re.sub(r'\nfile = "[^"]+"', f'\nfile = "{extra["population"]}"', block)
    block = block.replace('ward_set = "w_current"', 'ward_set = "w_future"')
    text = f"{head}[source.population]{block}\n[{tail}"
    peers = ", ".join(f'"{c}"' for c in PEERS)
    text = re.sub(
        r"\[peer_group\].*?\nmembers = \[[^\]]*\]",
        (
            '[peer_group]\ncode = "TB-NEIGHBOURS"\nname = "Testborough\'s neighbours"\n'
            f'description = "five neighbouring councils"\nmembers = [{peers}]'
        ),
        text,
        flags=re.S,
    )
    (out / "place.toml").write_text(text)
    indicators = (trafford_profiles / "indicators.toml").read_text()
    (out / "indicators.toml").write_text(NAME.sub(_name, indicators))
