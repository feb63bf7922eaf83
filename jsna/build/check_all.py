"""`python -m jsna.build --check`: every problem in a place and its data, listed at once.

The build stops at its first problem so nothing half-checked is published; a newcomer setting
up a council wants the whole list. This reads the place the way the build does, but runs each
independent step (the manifest, the place and indicator files, the geography, each file's
whole-file checks, each recipe, each reference table, the boundaries and practices, the
national QOF files, and every file's sha256 against the manifest) on its own, recording each
problem (file, row and column where one is at fault) and going on. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jsna.build import checks, manifest, national, reference_tables
from jsna.build.geography import boundaries, load_geography, practices_table
from jsna.build.profiles import load_indicators, load_place
from jsna.build.recipes import KINDS
from jsna.build.sources import SourceError, Sources
from jsna.core.errors import ProfileError


def _step(problems: list[Exception], run: Any, *args: Any) -> Any:
    """Run one step; record its problem and return None if it fails."""
    try:
        return run(*args)
    except (SourceError, ProfileError, manifest.ManifestError) as exc:
        problems.append(exc)
        return None


def check_place(source: Path) -> tuple[list[str], int]:
    """Every problem found in the place (profiles folder) and the data folder `source`.

    Returns:
        One line per problem (duplicates dropped, in the order found) and the number of
        files read.
    """
    problems: list[Exception] = []
    loaded = _step(problems, manifest.load_if_present)
    release = manifest.Release(loaded)
    src = Sources(source, release)
    place = _step(problems, load_place)
    profile = _step(problems, lambda: load_indicators(place=place)) if place else None
    geo_ = _step(problems, load_geography, src, place) if place is not None else None
    if geo_ is not None and profile is not None:
        checks.validate(src, geo_, profile, problems)
        for ind in profile.indicators:
            _step(problems, KINDS[ind.build["kind"]].run, src, geo_, ind)
        _step(problems, reference_tables.build, src, geo_)
        _step(problems, boundaries, src, geo_)
        _step(problems, practices_table, src, geo_)
        _step(problems, national.check_sources, src, profile, place)
    lines = [str(p) for p in problems]
    lines += [str(SourceError(rel, message)) for rel, message in release.problems()]
    return list(dict.fromkeys(lines)), len(release.read)
