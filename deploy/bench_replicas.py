"""Scale-out benchmark: N Streamlit replicas behind nginx with sticky sessions, on this machine.

`python deploy/bench_replicas.py [--db data/jsna.duckdb] [--replicas 3] [--sessions 20]`
builds the database if it is missing (from --source), starts the replicas (one shared
cookie secret, as in production) and Debian's nginx with deploy/nginx.conf rendered for them,
warms every replica with one session (not counted), times one session on one replica (three
rounds of the pages), then drives the sessions through nginx all at once. It prints p50, p95 and
errors, the p95 ratio against the one session, how many browsers (and websockets) each replica
served and whether every browser stayed on one replica, read from nginx's access log
($upstream_addr per request, keyed by the sticky cookie).

A report, not a test. All replicas, nginx and the browser share this machine's cores, so
this shows that the load balancing and stickiness work under load, not the throughput of N
machines.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import tempfile
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sessions import (  # noqa: E402
    DEFAULT_PATHS,
    compare,
    drive,
    free_port,
    print_errors,
    serve,
    tracebacks,
)
from deploy import nginx  # noqa: E402
from jsna.core import config  # noqa: E402

# $upstream_addr lists every replica tried ("a, b" after a failure); the last one answered.
LOG_LINE = re.compile(r'"[A-Z]+ (\S+) [^"]*" \d{3} \d+ upstream=(?:[^ ]+, )*(\S+) key=(\S+)')


@dataclass
class Stickiness:
    browsers: int
    per_replica: dict[str, int]  # upstream address -> browsers it served
    sockets: dict[str, int]  # upstream address -> websockets it served
    strays: list[str]  # sticky keys of browsers that reached more than one replica


def stickiness(access_log: Path) -> Stickiness:
    """Browsers and websockets per replica, and the browsers that reached more than one.

    A browser is a sticky key that opened the app's websocket; every request with its key
    (its first page request carries the key its cookie is then given) counts.
    """
    replicas_of: defaultdict[str, set[str]] = defaultdict(set)
    sockets: Counter[str] = Counter()
    browsers: set[str] = set()
    for line in access_log.read_text(encoding="utf-8").splitlines():
        match = LOG_LINE.search(line)
        if match is None:
            continue
        path, upstream, key = match.groups()
        replicas_of[key].add(upstream)
        if path.startswith("/_stcore/stream"):
            sockets[upstream] += 1
            browsers.add(key)
    per_replica = Counter(u for key in browsers for u in replicas_of[key])
    strays = sorted(key for key in browsers if len(replicas_of[key]) > 1)
    return Stickiness(len(browsers), dict(per_replica), dict(sockets), strays)


def ensure_db(db: Path, source: Path) -> None:
    if db.is_file():
        return
    from jsna.build.pipeline import build_database

    print(f"building {db} from {source}")
    db.parent.mkdir(parents=True, exist_ok=True)
    build_database(source, db)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "jsna.duckdb")
    parser.add_argument("--source", type=Path, default=config.source_dir())
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per page")
    args = parser.parse_args(argv)
    ensure_db(args.db, args.source)
    paths = DEFAULT_PATHS
    print(f"Pages: {', '.join('/' + p for p in paths)}")
    # One cookie secret for every replica, as in production (deploy/entrypoint.sh).
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jsna-replicas-")))
        servers = [
            stack.enter_context(serve(args.db, log=tmp / f"replica{i}.log", env=env))
            for i in range(args.replicas)
        ]
        names = {f"127.0.0.1:{s.port}": f"replica {i}" for i, s in enumerate(servers)}
        print(f"{args.replicas} replicas: {', '.join(names)}")
        for server in servers:
            warm = drive(server.url, 1, paths, args.timeout)
            print(f"warm-up of {server.url} (not counted): {warm.summary()}")
            print_errors(warm)
        single = drive(servers[0].url, 1, paths, args.timeout, rounds=3)
        with nginx.running(list(names), free_port(), tmp / "nginx") as proxy:
            print(f"nginx on {proxy.url}")
            many = drive(proxy.url, args.sessions, paths, args.timeout)
        print(f"one session on one replica, then {args.sessions} sessions through nginx:")
        compare(single, many)
        print_errors(many)
        sticky = stickiness(proxy.access_log)
        for server, (address, name) in zip(servers, names.items(), strict=True):
            rss, peak = server.rss_mb()
            print(
                f"{name} ({address}): {sticky.per_replica.get(address, 0)} browsers, "
                f"{sticky.sockets.get(address, 0)} websockets, "
                f"RSS {rss:.0f} MB (peak {peak:.0f} MB)"
            )
        used = sum(1 for a in names if sticky.per_replica.get(a, 0) > 0)
        verdict = (
            "every browser stayed on one replica"
            if not sticky.strays
            else f"{len(sticky.strays)} browsers reached more than one replica"
        )
        print(
            f"spread: {sticky.browsers} browsers over {used} of {args.replicas} replicas; "
            f"sticky: {verdict}"
        )
        print(f"tracebacks in the replicas' logs: {sum(tracebacks(s.log) for s in servers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
