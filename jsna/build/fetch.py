"""Fetch the declared inputs that are not in the repo: `python -m jsna.build.fetch [--mirror URL]`.

The national files and the reference test files of `profiles/manifest.toml` are downloaded
with pooch from their public origin (or from a mirror holding the data folder's layout, such
as `../shared/data` served over HTTP), each checked against the manifest's sha256, into
`data/cache/` (kept out of git) under the same relative paths. pooch writes each download to
a temporary file in the cache and moves it into place only when its sha256 matches, so a cut
short or altered download is refused and leaves nothing behind. The place's own inputs
(`data/trafford/`) are linked in too, so the cache is then a complete data folder:
`JSNA_SOURCE=data/cache make test`.

A file whose bytes are not the origin's (a subset or a derived file, such as the simplified
LSOA boundaries) can only come from a mirror; without one it is listed as not fetched, with
its recorded derivation.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jsna.build import manifest
from jsna.core import config

FETCHED_ROLES = ("national", "test")


class FetchError(Exception):
    """A download was refused or failed. `str()` is one line naming the file."""


@dataclass
class Fetched:
    """What one fetch did, by relative path."""

    downloaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    not_fetchable: list[str] = field(default_factory=list)


def from_origin(entry: manifest.Entry) -> bool:
    """Whether the origin URL serves exactly the declared bytes (not a subset or derivation)."""
    return bool(entry.origin) and (
        not entry.derivation or entry.derivation.startswith("byte copy of the origin")
    )


def url_for(entry: manifest.Entry, mirror: str | None) -> str | None:
    """Where to download a file from: the mirror's copy, else its public origin if exact."""
    if mirror:
        return mirror.rstrip("/") + "/" + quote(entry.path)
    return entry.origin if from_origin(entry) else None


def _sha256_of(path: Path) -> str:
    return manifest.sha256(path.read_bytes())


def fetch(
    cache: Path | None = None,
    mirror: str | None = None,
    roles: Iterable[str] = FETCHED_ROLES,
    only: Iterable[str] | None = None,
    release: manifest.Manifest | None = None,
    place_dir: Path | None = None,
) -> Fetched:
    """Download the declared files of `roles` into `cache`, each checked against its sha256.

    Args:
        cache: the folder to fill (default `data/cache/`).
        mirror: base URL of a copy of the data folder (default: each file's public origin).
        roles: which manifest roles to download.
        only: limit to these relative paths.
        release: the manifest (default: the profiles folder's).
        place_dir: the repo's copy of the place's inputs, linked into the cache
            (default `data/trafford/`; None and `only` given: not linked).

    Returns:
        What was downloaded, already present, linked and not fetchable.

    Raises:
        FetchError: a download failed or its sha256 did not match (nothing is left in the
            cache under that file's name).
    """
    import pooch  # a build or the app never needs it

    cache = cache or config.CACHE_DIR
    release = release or manifest.load()
    wanted = set(only) if only is not None else None
    entries = [
        e
        for e in release.files.values()
        if e.role in set(roles) and (wanted is None or e.path in wanted)
    ]
    result = Fetched()
    registry, urls = {}, {}
    for e in entries:
        url = url_for(e, mirror)
        if url is None:
            result.not_fetchable.append(e.path)
            continue
        registry[e.path] = f"sha256:{e.sha256}"
        urls[e.path] = url
    store = pooch.create(path=cache, base_url="", registry=registry, urls=urls)
    pooch.get_logger().setLevel(logging.WARNING)
    for rel in registry:
        target = cache / rel
        if target.is_file() and _sha256_of(target) == registry[rel].removeprefix("sha256:"):
            result.present.append(rel)
            continue
        try:
            store.fetch(rel, downloader=pooch.HTTPDownloader(progressbar=False, timeout=120))
        except ValueError as exc:
            raise FetchError(
                f"{rel}: download refused: its sha256 does not match the manifest "
                f"(from {urls[rel]}); nothing was kept"
            ) from exc
        except Exception as exc:  # requests' errors: connection, HTTP status, cut short
            raise FetchError(f"{rel}: download failed from {urls[rel]} ({exc})") from exc
        result.downloaded.append(rel)
    place_dir = place_dir if place_dir is not None else (None if only else config.DEFAULT_SOURCE)
    if place_dir is not None:
        for e in release.files.values():
            if e.role != "build" or (wanted is not None and e.path not in wanted):
                continue
            src, dst = place_dir / e.path, cache / e.path
            if dst.is_file() and _sha256_of(dst) == e.sha256:
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.unlink(missing_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
            result.linked.append(e.path)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m jsna.build.fetch", description=__doc__)
    parser.add_argument("--cache", type=Path, default=None, help="default: data/cache")
    parser.add_argument(
        "--mirror",
        default=os.environ.get("JSNA_DATA_MIRROR"),
        help="base URL of a copy of the data folder (default: $JSNA_DATA_MIRROR, else each "
        "file's public origin)",
    )
    parser.add_argument("--role", action="append", choices=["national", "test", "build"])
    args = parser.parse_args(argv)
    try:
        done = fetch(cache=args.cache, mirror=args.mirror, roles=args.role or FETCHED_ROLES)
    except (FetchError, manifest.ManifestError) as exc:
        print(f"fetch failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"fetched {len(done.downloaded)} files, {len(done.present)} already present, "
        f"{len(done.linked)} linked from data/trafford"
    )
    if done.not_fetchable:
        print(
            f"{len(done.not_fetchable)} files have no byte-identical public copy (subsets or "
            "derived files; see `derivation` in profiles/manifest.toml): fetch them from a "
            "mirror with --mirror or JSNA_DATA_MIRROR, e.g. "
            f"{done.not_fetchable[0]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
