"""The nginx config for N replicas: it renders, nginx accepts it, and its sessions are sticky.

The sticky-session tests put Debian's nginx, with the rendered config, in front of three
tiny HTTP servers that answer with their own name, and act as many browsers.
"""

from __future__ import annotations

import http.server
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bench.sessions import free_port, percentile
from deploy.nginx import COOKIE, check_config, nginx_binary, render, running, write_config


@pytest.fixture
def nginx_installed() -> str:
    """Debian's nginx; its absence fails the test (`make test` installs it), never skips."""
    binary = nginx_binary()
    if binary is None:
        pytest.fail("nginx is not installed: run `make nginx` (apt-get install -y nginx)")
    return binary


needs_nginx = pytest.mark.usefixtures("nginx_installed")


def test_render_lists_every_replica_and_fills_every_placeholder():
    text = render(["10.0.0.11:8501", "10.0.0.12:8501", "10.0.0.13:8502"], "8080")
    servers = re.findall(r"^\s+server (\S+) max_fails=3 fail_timeout=10s;$", text, re.M)
    assert servers == ["10.0.0.11:8501", "10.0.0.12:8501", "10.0.0.13:8502"]
    assert "listen 8080;" in text
    assert "hash $jsna_sticky_key consistent;" in text
    assert "{{" not in text


@pytest.mark.parametrize("bad", ["10.0.0.11", "host:port", "a:1; include /etc/x", ":8501"])
def test_render_refuses_what_is_not_host_and_port(bad):
    with pytest.raises(ValueError, match="HOST:PORT"):
        render([bad])


def test_render_needs_a_replica():
    with pytest.raises(ValueError, match="at least one"):
        render([])


def test_percentile_is_nearest_rank():
    # Hand-worked: 20 values 1..20, p95 is the 19th (ceil(0.95 * 20) = 19), p50 the 10th.
    values = [float(v) for v in range(20, 0, -1)]
    assert percentile(values, 95) == 19.0
    assert percentile(values, 50) == 10.0
    assert percentile([3.0], 95) == 3.0


@needs_nginx
def test_nginx_accepts_the_config(tmp_path):
    conf = write_config(tmp_path, ["127.0.0.1:8501", "127.0.0.1:8502"], free_port())
    checked = check_config(conf)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


class Replica(http.server.BaseHTTPRequestHandler):
    """Answers every request with the server's name and the upgrade headers it received."""

    def do_GET(self) -> None:
        body = " ".join(
            [
                self.server.name,  # type: ignore[attr-defined]
                self.headers.get("Upgrade", "-"),
                self.headers.get("Connection", "-"),
            ]
        ).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def replicas() -> Iterator[dict[str, str]]:
    """Three fake replicas: address -> name."""
    servers = []
    for name in ("A", "B", "C"):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replica)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield {f"127.0.0.1:{s.server_address[1]}": s.name for s in servers}  # type: ignore[attr-defined]
    for server in servers:
        server.shutdown()
        server.server_close()


def csp(value: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> sources."""
    parts = (d.split() for d in value.split(";") if d.strip())
    return {d[0]: d[1:] for d in parts}


@needs_nginx
def test_every_response_forbids_framing_by_other_sites_and_loads_only_from_this_origin(
    replicas, tmp_path
):
    """Through the real nginx: pages, static files, the websocket path and a 404 alike."""
    with running(list(replicas), free_port(), tmp_path) as nginx:
        for path in ("/", "/Map?level=ward", "/static/js/index.js", "/_stcore/stream"):
            with urllib.request.urlopen(f"{nginx.url}{path}", timeout=10) as response:
                headers = response.headers
            assert headers["X-Frame-Options"] == "SAMEORIGIN", path
            assert headers["X-Content-Type-Options"] == "nosniff", path
            policy = csp(headers["Content-Security-Policy"])
            assert policy["frame-ancestors"] == ["'self'"], path
            assert policy["default-src"] == ["'self'"], path
            assert policy["connect-src"] == ["'self'"], path
            assert policy["object-src"] == ["'none'"], path
            # No directive names another host: every source is this origin or a keyword.
            for directive, sources in policy.items():
                for source in sources:
                    assert source.startswith("'") or source in ("data:", "blob:"), (
                        directive,
                        source,
                    )
        # An error answer (the fake replica has no POST: 501) carries them too.
        post = urllib.request.Request(f"{nginx.url}/nowhere", method="POST")
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(post, timeout=10)
        assert error.value.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in error.value.headers["Content-Security-Policy"]


def get(url: str, cookie: str | None = None, headers: dict[str, str] | None = None):
    """(replica name, Upgrade and Connection seen by it, the Set-Cookie value or None)."""
    request = urllib.request.Request(url, headers=headers or {})
    if cookie is not None:
        request.add_header("Cookie", f"{COOKIE}={cookie}")
    with urllib.request.urlopen(request, timeout=10) as response:
        name, upgrade, connection = response.read().decode().split()
        set_cookie = response.headers.get("Set-Cookie")
    return name, upgrade, connection, set_cookie


def first_visit(url: str) -> tuple[str, str]:
    """A new browser's first request: the replica it reached and the key it was given."""
    name, _, _, set_cookie = get(url)
    assert set_cookie is not None, "a browser without the cookie must be given one"
    match = re.fullmatch(rf"{COOKIE}=([0-9a-f]{{32}}); Path=/; HttpOnly; SameSite=Lax", set_cookie)
    assert match, set_cookie
    return name, match.group(1)


@needs_nginx
def test_sessions_stick_to_one_replica_and_spread_over_all(replicas, tmp_path):
    with running(list(replicas), free_port(), tmp_path) as nginx:
        browsers = [first_visit(f"{nginx.url}/") for _ in range(60)]
        assert len({key for _, key in browsers}) == 60
        for name, key in browsers:
            # Every later request of the browser, page or websocket, reaches the same replica;
            # a browser that has the cookie is not given another.
            for path in ("/Map?level=ward", "/static/js/index.js", "/_stcore/stream"):
                again, _, _, set_cookie = get(f"{nginx.url}{path}", cookie=key)
                assert (again, set_cookie) == (name, None), (key, path)
        spread = {name: sum(n == name for n, _ in browsers) for name in replicas.values()}
        assert all(count >= 5 for count in spread.values()), spread


@needs_nginx
def test_websocket_upgrade_reaches_the_replica(replicas, tmp_path):
    with running(list(replicas), free_port(), tmp_path) as nginx:
        ws = {"Upgrade": "websocket", "Connection": "Upgrade"}
        _, upgrade, connection, _ = get(f"{nginx.url}/_stcore/stream", "k", ws)
        assert (upgrade, connection) == ("websocket", "upgrade")
        # A plain page request is not upgraded.
        _, upgrade, connection, _ = get(f"{nginx.url}/", "k")
        assert (upgrade, connection) == ("-", "close")


@needs_nginx
def test_removing_a_replica_moves_only_its_browsers(replicas, tmp_path):
    addresses = list(replicas)
    with running(addresses, free_port(), tmp_path / "three") as nginx:
        before = {key: name for name, key in (first_visit(f"{nginx.url}/") for _ in range(60))}
    gone = replicas[addresses[2]]
    with running(addresses[:2], free_port(), tmp_path / "two") as nginx:
        after = {key: get(f"{nginx.url}/", cookie=key)[0] for key in before}
    moved = {key for key in before if after[key] != before[key]}
    assert moved == {key for key, name in before.items() if name == gone}


def test_stickiness_read_from_the_access_log(tmp_path):
    from deploy.bench_replicas import stickiness

    log = tmp_path / "access.log"
    log.write_text(
        "\n".join(
            [
                '1.2.3.4 [t] "GET / HTTP/1.1" 200 10 upstream=10.0.0.1:1 key=aa rt=0.1',
                '1.2.3.4 [t] "GET /_stcore/stream HTTP/1.1" 101 5 upstream=10.0.0.1:1 key=aa rt=9',
                '1.2.3.4 [t] "GET /_stcore/stream HTTP/1.1" 101 5 upstream=10.0.0.1:1 key=aa rt=9',
                '1.2.3.4 [t] "GET /Map HTTP/1.1" 200 10 upstream=10.0.0.2:2 key=bb rt=0.1',
                # retried after a failure: the last address answered
                '1.2.3.4 [t] "GET /x HTTP/1.1" 200 10 upstream=10.0.0.2:2, 10.0.0.3:3 key=bb rt=1',
                '1.2.3.4 [t] "GET /_stcore/stream HTTP/1.1" 101 5 upstream=10.0.0.2:2 key=bb rt=9',
                # no websocket: not a browser (a health check)
                '1.2.3.4 [t] "GET /_stcore/health HTTP/1.1" 200 2 upstream=10.0.0.3:3 key=cc rt=0',
            ]
        )
    )
    sticky = stickiness(log)
    assert sticky.browsers == 2
    assert sticky.per_replica == {"10.0.0.1:1": 1, "10.0.0.2:2": 1, "10.0.0.3:3": 1}
    assert sticky.sockets == {"10.0.0.1:1": 2, "10.0.0.2:2": 1}
    assert sticky.strays == ["bb"]
