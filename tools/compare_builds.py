"""Compare every table and view of two builds: `python tools/compare_builds.py OLD NEW`.

Used to prove a refactor leaves the figures unchanged. Rows are sorted on every column; floats
must agree to 1e-12, everything else exactly. Renames from issue 12 are applied to OLD first
(`trafford_value` -> `la_value`, `trafford_code` -> `la_code`, benchmark key and comparator
`trafford` -> `la`). `build_info` (the build time) is skipped. Exit status 1 if any differ.
"""

from __future__ import annotations

import sys

import duckdb
import numpy as np
import pandas as pd

RENAME = {"trafford_value": "la_value", "trafford_code": "la_code"}
VALUE_MAP = {"benchmark_key": {"trafford": "la"}, "comparator": {"trafford": "la"}}


def load(path: str) -> dict[str, pd.DataFrame]:
    """Every table and view of a build, renamed, with rows in a canonical order."""
    con = duckdb.connect(path, read_only=True)
    names = [r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()]
    out = {}
    for name in names:
        if name == "build_info":
            continue
        df = con.sql(f'select * from "{name}"').df().rename(columns=RENAME)  # noqa: S608
        for col, mapping in VALUE_MAP.items():
            if col in df:
                df[col] = df[col].replace(mapping)
        df = df[sorted(df.columns)]
        text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        df = df.astype(dict.fromkeys(text, "string"))
        out[name] = df.sort_values(list(df.columns), na_position="last").reset_index(drop=True)
    con.close()
    return out


def differences(x: pd.DataFrame, y: pd.DataFrame) -> list[tuple[str, int]]:
    """(column, rows that differ) for two frames of the same shape."""
    diffs = []
    for c in x.columns:
        if pd.api.types.is_float_dtype(x[c]) and pd.api.types.is_float_dtype(y[c]):
            a, b = x[c].to_numpy(float), y[c].to_numpy(float)
            ok = np.isclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
        else:
            a_s = x[c].astype("string").fillna("<NA>")
            ok = (a_s == y[c].astype("string").fillna("<NA>")).to_numpy()
        if not ok.all():
            diffs.append((c, int((~ok).sum())))
    return diffs


def main() -> int:
    """Print one line per table and a verdict."""
    old, new = load(sys.argv[1]), load(sys.argv[2])
    bad = 0
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            print(f"{name}: only in {'old' if name in old else 'new'}")
            bad += 1
            continue
        x, y = old[name], new[name]
        if list(x.columns) != list(y.columns) or len(x) != len(y):
            print(f"{name}: columns or rows differ ({len(x)} vs {len(y)} rows)")
            bad += 1
            continue
        diffs = differences(x, y)
        print(f"{name}: {len(x)} rows, {'identical' if not diffs else f'DIFFERENT {diffs}'}")
        bad += bool(diffs)
    print("ALL IDENTICAL" if not bad else f"{bad} tables differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
