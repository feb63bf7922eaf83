"""`python -m jsna.build.place new CODE --name NAME ...`: a place from England-wide open data.

See `jsna.build.placegen` for what is derived and how; this is its command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jsna.build import placegen
from jsna.core import config


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m jsna.build.place", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="generate a profiles folder for an English council")
    new.add_argument("code", help="the council's ONS code (E06, E07, E08, E09 or E10)")
    new.add_argument("--name", required=True, help="the council's name as shown on every page")
    new.add_argument(
        "--sub-icb",
        action="append",
        required=True,
        help="ODS code of a sub-ICB location whose practices are the place's (repeatable; "
        "the national files place practices in sub-ICBs, not councils)",
    )
    new.add_argument("--neighbourhoods", type=Path, help="CSV: ward_code, neighbourhood")
    new.add_argument("--serves", type=Path, help="CSV: pcn_code, neighbourhood")
    new.add_argument("--peers", help="comma-separated council codes (default: the region's)")
    new.add_argument("--source", type=Path, default=None, help="data folder holding national/")
    new.add_argument("--out", type=Path, default=None, help="profiles folder to write")
    args = parser.parse_args(argv)
    source = args.source or config.source_dir()
    out = args.out or Path(f"profiles_{placegen.slug(args.name)}")
    out.mkdir(parents=True, exist_ok=True)
    try:
        summary = placegen.generate(
            args.code,
            args.name,
            source,
            out,
            sub_icbs=args.sub_icb,
            neighbourhoods=args.neighbourhoods,
            serves=args.serves,
            peers=args.peers.split(",") if args.peers else None,
        )
    except placegen.PlaceError as exc:
        print(f"place failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"wrote {out} in {summary['seconds']} s: {summary['wards']} wards, {summary['lsoas']} "
        f"LSOAs, {summary['neighbourhoods']} neighbourhood(s), {summary['pcns']} PCNs, "
        f"{summary['practices']} practices, {summary['peers']} peers"
    )
    for note in summary["notes"]:
        print(f"  {note}")
    print(
        f"build: JSNA_PROFILES={out} python -m jsna.build --source {out / 'data'} "
        f"--out {out / 'jsna.duckdb'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
