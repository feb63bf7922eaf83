"""The page's state in the URL: the one module that reads and writes `st.query_params`.

Rules every page follows through this module:

- A default is never written. Opening a page adds no entry to the browser's history, so Back
  returns to what the reader saw before; the URL holds only choices that differ from the
  page's defaults (a link with no parameters opens the defaults).
- A choice the reader makes is written at once, as one history entry.
- When the URL changes from outside (a followed link, a pasted address, Back or Forward), the
  URL wins over what the session remembers.
- A value a page does not know gives a friendly warning, the value shown as plain text, and
  the default; never a traceback.

Streamlit's own binding (`bind="query-params"` on widgets, Streamlit 1.67) is not used: it
keeps a selectbox's *label* in the URL (links would carry display text instead of codes),
drops a value it does not know without saying so, and cannot map old values to new ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from jsna.app.safe import url_text

_SEEN = "_url_{}"  # session key: the URL value this module last left for a parameter


def get(key: str) -> str | None:
    """The parameter's value in the URL (None when absent)."""
    value = st.query_params.get(key)
    return None if value is None else str(value)


def has(key: str) -> bool:
    """Whether the URL has the parameter."""
    return key in st.query_params


def put(key: str, value: str | None) -> None:
    """Make the URL say `value` for `key` (None: drop it); nothing is sent if it already does.

    Each change the browser receives is one history entry, so call this for a reader's choice,
    never to fill in a default.
    """
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    st.session_state[_SEEN.format(key)] = value


def changed(key: str) -> bool:
    """Whether the URL's value changed from outside since this module last saw or wrote it.

    True on a page's first run with the parameter, after a followed or pasted link, and
    after Back or Forward.
    """
    seen = _SEEN.format(key)
    return seen not in st.session_state or st.session_state[seen] != get(key)


def written_here(key: str) -> bool:
    """Whether the URL's value is the one this module last wrote (not a followed link)."""
    value = get(key)
    return value is not None and st.session_state.get(_SEEN.format(key)) == value


def mark_seen(key: str) -> None:
    """Remember the URL's current value for `key` as seen (so `changed` is False until it is)."""
    st.session_state[_SEEN.format(key)] = get(key)


def history_navigation() -> bool:
    """Whether this run follows the browser's Back or Forward button."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def select(
    label: str,
    options: Sequence[str],
    key: str,
    format_func: Callable[[str], str] = str,
    default: str | None = None,
    where: Any = st,
    help: str | None = None,
    aliases: dict[str, str] | None = None,
) -> str:
    """A selectbox whose value lives in the URL as `?key=value` (absent for the default).

    An unknown value in the URL gives a friendly warning and falls back to the default;
    `aliases` maps old values (from links made before a rename) to current ones. With no
    value in the URL the choice remembered in this session stays (the sidebar's benchmark
    follows the reader from page to page), except after Back or Forward, when the URL's
    default wins.
    """
    opts = list(options)
    fallback = default if default in opts else opts[0]
    literal = get(key)
    raw = aliases.get(literal, literal) if aliases and literal is not None else literal
    if changed(key):
        if raw is None:
            if history_navigation() or st.session_state.get(key) not in opts:
                st.session_state[key] = fallback
        elif raw in opts:
            st.session_state[key] = raw
        else:
            st.warning(
                f"“{url_text(raw)}” is not one of the choices this page knows for "
                f"“{label}”, so it shows {format_func(fallback)} instead."
            )
            st.session_state[key] = fallback
    elif st.session_state.get(key) not in opts:
        st.session_state[key] = fallback
    value = str(where.selectbox(label, opts, format_func=format_func, key=key, help=help))
    if value == (raw if raw in opts else fallback):
        mark_seen(key)  # the URL already says it (a default, or a link that names it)
    else:
        put(key, None if value == fallback else value)
    return value


def toggle(label: str, key: str, param: str, on: str, where: Any = st) -> bool:
    """A toggle kept in the URL as `?param=on` when on (absent when off)."""
    from_url = get(param) == on
    if key not in st.session_state or (changed(param) and (has(param) or history_navigation())):
        st.session_state[key] = from_url
    value = bool(where.toggle(label, key=key))
    if value == from_url:
        mark_seen(param)
    else:
        put(param, on if value else None)
    return value
