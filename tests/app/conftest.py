"""AppTest set-up: point the app at the test database and clear Streamlit's caches."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _app_env(monkeypatch, built_db):
    monkeypatch.setenv("JSNA_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
