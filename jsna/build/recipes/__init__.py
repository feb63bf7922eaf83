"""The recipes: one module per source kind, each function declared with `@recipe(kind, ...)`.

A recipe `KINDS[kind].run(sources, geography, indicator)` returns the value rows
(`jsna.core.schema.VALUE_COLUMNS`) of one indicator for every area it covers. The files come from
the place's `[source.<name>]` table, the settings from the indicator's `build`, and each recipe
declares its settings, checked by `check_settings` when profiles/indicators.toml is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Importing each module registers its recipes in KINDS.
from jsna.build.recipes import census, fingertips, fingertipsnext, gp, population  # noqa: F401
from jsna.build.recipes.common import KINDS, Kind
from jsna.core import schema

__all__ = ["KINDS", "Kind", "check_settings"]


def check_settings(build: Mapping[str, Any], where: str, *, files: bool) -> Kind:
    """Check an indicator's `build` table against its recipe's declared settings.

    Args:
        build: The `build` table.
        where: Where it is, for messages ("profiles/indicators.toml indicator 3 (x) build").
        files: False for the table as written (the recipe's own settings and the `source`
            naming the place's files); True once the place's files are merged in (every key).

    Returns:
        The recipe.

    Raises:
        schema.SchemaError: No or an unknown kind, an unknown or missing key, or a wrong type.
    """
    kind = build.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        raise schema.SchemaError(f"{where}: missing key 'kind'")
    if kind not in KINDS:
        known = ", ".join(sorted(KINDS))
        raise schema.SchemaError(f"{where}: unknown kind '{kind}' (known: {known})")
    spec = KINDS[kind].settings
    if not files:
        spec = {k: t for k, t in spec.items() if k not in schema.SOURCE_KEYS} | {"source": "str"}
    schema.check_keys({k: v for k, v in build.items() if k != "kind"}, spec, f"{where} ({kind})")
    return KINDS[kind]
