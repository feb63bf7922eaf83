"""The websocket load driver (bench/wsload.py) speaks Streamlit's protocol to a real server."""

from __future__ import annotations

import pytest

from bench import wsload
from tests.conftest import AppServer


@pytest.fixture
def server(app_server: AppServer) -> AppServer:
    """The session's one server of the app (tests/conftest.py), shared with the browser tests."""
    return app_server


def test_each_request_runs_its_page_to_the_end(server) -> None:
    paths = ["Area_profile?area=NBH-NORTH", "Map?indicator=bad_health&level=lsoa", ""]
    result = wsload.drive_paths(server.url, paths, timeout_s=120)
    assert result.errors == []
    assert [p for p, _ in result.times] == paths
    assert all(s > 0 for _, s in result.times)


def test_a_missing_page_and_concurrent_users_are_counted(server) -> None:
    bad = wsload.drive_paths(server.url, ["No_such_page?area=x"], timeout_s=120)
    assert bad.errors == ["user 0 /No_such_page?area=x: page not found"]
    many = wsload.drive(server.url, sessions=3, pages=2, timeout_s=120)
    assert many.errors == []
    assert len(many.times) == 6
