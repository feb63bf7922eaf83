"""Where the sources and the built database live (environment overrides, then defaults)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROFILES_DIR = PROJECT_ROOT / "profiles"


DEFAULT_SOURCE = PROJECT_ROOT / "data" / "trafford"
CACHE_DIR = PROJECT_ROOT / "data" / "cache"


def source_dir() -> Path:
    """Folder of source data: `$JSNA_SOURCE`, else the repo's copy of the place's inputs.

    `data/trafford/` holds every file the default place's build reads (`profiles/manifest.toml`).
    """
    env = os.environ.get("JSNA_SOURCE")
    return Path(env) if env else DEFAULT_SOURCE


def db_path() -> Path:
    """Built database: `$JSNA_DB`, else `data/jsna.duckdb` in the project."""
    env = os.environ.get("JSNA_DB")
    return Path(env) if env else PROJECT_ROOT / "data" / "jsna.duckdb"


def profiles_dir() -> Path:
    """Folder of `place.toml` and `indicators.toml`: `$JSNA_PROFILES`, else `profiles/`."""
    env = os.environ.get("JSNA_PROFILES")
    return Path(env) if env else PROFILES_DIR


def manifest_path() -> Path:
    """The data release's manifest: `$JSNA_MANIFEST`, else `manifest.toml` beside `place.toml`."""
    env = os.environ.get("JSNA_MANIFEST")
    return Path(env) if env else profiles_dir() / "manifest.toml"
