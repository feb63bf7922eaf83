"""The data release: every file a build reads, declared in `profiles/manifest.toml`.

Each `[[file]]` gives the file's `path` (under the data folder), `id`, `role` (`build`: read by
the default place's build and committed under `data/trafford/`; `national`: England-wide input
for building any council; `test`: read by the tests only), `coverage` (national or place),
`publisher`, `licence`, `attribution`, `period`, its public `origin` (URL; `repository`,
`commit` and `origin_path` where it came from a repository; `derivation` where the bytes are
not the publisher's own), `bytes` and `sha256`.

The manifest lives beside `place.toml`, so a copied or generated profiles folder carries the
declaration of its own inputs; a profiles folder without one builds unverified (the release
is then labelled so). The build hashes each file once as it reads it (`Release.check`); a
declared file that is missing stops the build at once, and a file that is changed or not
declared stops it with one line after every file has been read and validated, so a damaged
file is reported by its row and column first where validation can find the fault.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jsna.core import config

FILE_NAME = "manifest.toml"
UNVERIFIED = "unverified"


class ManifestError(Exception):
    """The manifest cannot be read. `str()` is the one line the build prints."""


@dataclass(frozen=True)
class Entry:
    """One declared file."""

    path: str
    id: str
    role: str
    coverage: str
    publisher: str
    licence: str
    attribution: str
    period: str
    bytes: int
    sha256: str
    origin: str = ""
    repository: str = ""
    commit: str = ""
    origin_path: str = ""
    derivation: str = ""


@dataclass(frozen=True)
class Manifest:
    """The declared files of one data release, by path."""

    name: str
    files: dict[str, Entry]
    source: Path


def manifest_path() -> Path:
    """`$JSNA_MANIFEST`, else `manifest.toml` in the profiles folder."""
    return config.manifest_path()


def load(path: Path | None = None) -> Manifest:
    """Read a manifest (default: `manifest_path()`).

    Raises:
        ManifestError: unreadable, or an entry lacks a field or repeats a path or id.
    """
    path = path or manifest_path()
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: cannot be read ({exc})") from exc
    fields = set(Entry.__dataclass_fields__)
    files: dict[str, Entry] = {}
    ids: set[str] = set()
    for n, item in enumerate(raw.get("file", []), start=1):
        unknown = set(item) - fields
        if unknown:
            raise ManifestError(f"{path}: file {n}: unknown key {sorted(unknown)[0]!r}")
        try:
            entry = Entry(**item)
        except TypeError as exc:
            raise ManifestError(f"{path}: file {n}: {exc}") from exc
        if entry.path in files or entry.id in ids:
            raise ManifestError(f"{path}: file {n}: path or id repeated ({entry.path})")
        files[entry.path] = entry
        ids.add(entry.id)
    name = str(raw.get("release", {}).get("name", ""))
    if not name:
        raise ManifestError(f"{path}: [release] has no name")
    return Manifest(name=name, files=files, source=path)


def load_if_present() -> Manifest | None:
    """The profiles folder's manifest, or None where it has none."""
    path = manifest_path()
    return load(path) if path.is_file() else None


_MONTHS = {m[:3].lower(): m for m in calendar.month_name[1:]}
NOT_RECORDED = "period not recorded"


def period_label(period: str) -> str:
    """A manifest period in the words pages use.

    "apr2026" -> "April 2026", "2024-06-30" -> "mid-2024", "2021-03-21" -> "21 March 2021",
    "Census 2021 (21 March 2021)" -> "Census 2021". Anything else is kept as written, less
    a trailing parenthesis.
    """
    text = period.strip()
    if m := re.fullmatch(r"([A-Za-z]{3})(\d{4})", text):
        month = _MONTHS.get(m[1].lower())
        return f"{month} {m[2]}" if month else text
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month_no, day = int(m[1]), int(m[2]), int(m[3])
        if (month_no, day) == (6, 30):  # ONS mid-year estimates are as at 30 June
            return f"mid-{year}"
        return f"{day} {calendar.month_name[month_no]} {year}"
    return re.sub(r"\s*\([^)]*\)$", "", text) or text


def sha256(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Release:
    """What one build read: each file's sha256 (computed once), checked against a manifest."""

    manifest: Manifest | None
    read: dict[str, tuple[int, str]] = field(default_factory=dict)
    seconds: float = 0.0

    def check(self, rel: str, data: bytes) -> None:
        """Record a file's bytes as read (the first read of each file per build)."""
        if rel not in self.read:
            start = time.perf_counter()
            self.read[rel] = (len(data), sha256(data))
            self.seconds += time.perf_counter() - start

    def missing(self, rel: str) -> str:
        """Words for a missing file: where to get it if the manifest declares it."""
        entry = self.manifest.files.get(rel) if self.manifest else None
        if entry is None:
            return "file not found"
        if entry.role == "build":
            return "file not found (a declared input of this place; restore it from git)"
        return "file not found (a declared input: run `make fetch` to download it)"

    def problem(self) -> tuple[str, str] | None:
        """The first file read that is undeclared or changed: (path, message), or None."""
        found = self.problems()
        return found[0] if found else None

    def problems(self) -> list[tuple[str, str]]:
        """Every file read that is undeclared or changed: (path, message)."""
        if self.manifest is None:
            return []
        found = []
        for rel, (size, digest) in self.read.items():
            entry = self.manifest.files.get(rel)
            if entry is None:
                declared = self.manifest.source.name
                found.append((rel, f"not declared in {declared} (add it with its origin)"))
            elif digest != entry.sha256:
                found.append(
                    (
                        rel,
                        f"changed since data release {self.manifest.name} ({size:,} bytes, "
                        f"sha256 {digest[:12]}…; declared {entry.bytes:,} bytes, "
                        f"sha256 {entry.sha256[:12]}…)",
                    )
                )
        return found

    def period(self, rel: str) -> str:
        """A declared file's period in words (`period_label`), or `NOT_RECORDED`."""
        entry = self.manifest.files.get(rel) if self.manifest else None
        return period_label(entry.period) if entry and entry.period else NOT_RECORDED

    def periods(self, keys: dict[str, str]) -> dict[str, str]:
        """Each key's file's period in words, for the keys whose file this build read.

        Also `os_copyright`: the newest year in the periods of the files read whose
        attribution names OS data (the year of the Crown copyright notice).
        """
        out = {k: self.period(rel) for k, rel in keys.items() if rel in self.read}
        years = [
            int(y)
            for rel in self.read
            if self.manifest
            and rel in self.manifest.files
            and "OS data" in self.manifest.files[rel].attribution
            for y in re.findall(r"\b(?:19|20)\d{2}\b", self.manifest.files[rel].period)
        ]
        if years:
            out["os_copyright"] = str(max(years))
        return out

    @property
    def label(self) -> str:
        """The release's name, or "unverified" where the place has no manifest."""
        return self.manifest.name if self.manifest else UNVERIFIED

    def table(self) -> pd.DataFrame:
        """One row per file this build read: id, period, sha256 and where it came from."""
        rows: list[dict[str, Any]] = []
        for rel, (size, digest) in sorted(self.read.items()):
            entry = self.manifest.files.get(rel) if self.manifest else None
            rows.append(
                {
                    "release": self.label,
                    "source_id": entry.id if entry else None,
                    "path": rel,
                    "role": entry.role if entry else None,
                    "coverage": entry.coverage if entry else None,
                    "publisher": entry.publisher if entry else None,
                    "licence": entry.licence if entry else None,
                    "attribution": entry.attribution if entry else None,
                    "period": entry.period if entry else None,
                    "origin": entry.origin if entry else None,
                    "derivation": (entry.derivation or None) if entry else None,
                    "bytes": size,
                    "sha256": digest,
                }
            )
        return pd.DataFrame(rows, columns=RELEASE_COLUMNS)


RELEASE_COLUMNS = [
    "release",
    "source_id",
    "path",
    "role",
    "coverage",
    "publisher",
    "licence",
    "attribution",
    "period",
    "origin",
    "derivation",
    "bytes",
    "sha256",
]
