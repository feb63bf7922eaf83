"""Render deploy/nginx.conf for N replicas, and run Debian's nginx with it locally.

`python deploy/nginx.py --listen 80 --replica HOST:PORT [--replica HOST:PORT …]` prints the
site file for /etc/nginx/sites-enabled/. `running(...)` starts a non-daemon nginx from a
generated config in a temporary folder (the benchmark and the tests use it).
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
COOKIE = "jsna_replica"


def render(
    replicas: Sequence[str],
    listen: str = "80",
    access_log: str = "/var/log/nginx/jsna_access.log",
) -> str:
    """The site file for these replicas (HOST:PORT each), listening on `listen`."""
    if not replicas:
        raise ValueError("at least one replica")
    for replica in replicas:
        host, _, port = replica.rpartition(":")
        if not host or not port.isdigit() or any(c.isspace() or c in ";{}" for c in replica):
            raise ValueError(f"a replica is HOST:PORT, not {replica!r}")
    servers = "\n".join(f"    server {r} max_fails=3 fail_timeout=10s;" for r in replicas)
    text = TEMPLATE.read_text(encoding="utf-8")
    out = (
        text.replace("{{servers}}", servers)
        .replace("{{listen}}", listen)
        .replace("{{access_log}}", access_log)
    )
    if "{{" in out:
        raise ValueError("the template has a placeholder render() does not fill")
    return out


def main_config(prefix: Path, site: Path) -> str:
    """A whole nginx.conf for a local, unprivileged-style run: every path inside `prefix`."""
    # Run as root, nginx would hand its workers to `nobody`, who cannot write our temp dirs.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temps = "\n".join(
        f"    {name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 2;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"{temps}\n"
        f"    include {site};\n"
        "}\n"
    )


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None
    )


@dataclass
class Nginx:
    url: str
    prefix: Path
    access_log: Path
    config: Path


def write_config(prefix: Path, replicas: Sequence[str], port: int) -> Nginx:
    """Render the site and its wrapper into `prefix`."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "site.conf"
    access_log = prefix / "access.log"
    site.write_text(render(replicas, f"127.0.0.1:{port}", str(access_log)), encoding="utf-8")
    config = prefix / "nginx.conf"
    config.write_text(main_config(prefix, site), encoding="utf-8")
    return Nginx(f"http://127.0.0.1:{port}", prefix, access_log, config)


def command(binary: str, conf: Nginx, *extra: str) -> list[str]:
    return [
        binary,
        "-p",
        str(conf.prefix),
        "-e",
        str(conf.prefix / "error.log"),
        "-c",
        str(conf.config),
        *extra,
    ]


def check_config(conf: Nginx) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a written config (the result carries nginx's verdict in stderr)."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed")
    return subprocess.run(command(binary, conf, "-t"), capture_output=True, text=True, check=False)


@contextmanager
def running(
    replicas: Sequence[str], port: int, prefix: Path, timeout_s: float = 20
) -> Iterator[Nginx]:
    """Run nginx in front of `replicas` on 127.0.0.1:`port`, in the foreground, files in `prefix`.

    On exit nginx is asked to quit gracefully, so its access log then holds every request.
    """
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (apt-get install -y nginx)")
    conf = write_config(prefix, replicas, port)
    checked = check_config(conf)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t rejected the config:\n{checked.stderr}")
    process = subprocess.Popen(
        command(binary, conf, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited; see {prefix / 'error.log'}")
            try:
                with urllib.request.urlopen(f"{conf.url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not answer within {timeout_s:.0f} s") from None
                time.sleep(0.2)
        yield conf
    finally:
        subprocess.run(command(binary, conf, "-s", "quit"), capture_output=True, check=False)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the nginx site file for N replicas.")
    parser.add_argument("--replica", action="append", required=True, help="HOST:PORT, repeat")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--access-log", default="/var/log/nginx/jsna_access.log")
    args = parser.parse_args(argv)
    sys.stdout.write(render(args.replica, args.listen, args.access_log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
