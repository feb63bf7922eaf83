"""Run a page of the app in Streamlit's AppTest and read everything it drew."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [None, *sorted(p.name for p in (ROOT / "pages").glob("*.py"))]


def open_page(page: str | None, **params: str) -> AppTest:
    """The app's home, then `page` (a file of pages/) with URL parameters, run once."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page is None:
        return at
    at.switch_page(str(ROOT / "pages" / page))
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def page_output(at: AppTest) -> str:
    """Every element's protobuf as text: markdown, captions, tables' Arrow bytes, plotly specs."""
    return "\n".join(str(n.proto) for n in _walk(at._tree) if getattr(n, "proto", None))
