"""Text from outside (URL parameters) made safe to show inside a Markdown message.

Streamlit renders `st.warning` and friends as Markdown, so a URL value such as
`**[link](http://…)**` would become a link. `url_text` puts the value on one line, trims it and
escapes with a backslash every character that can start Markdown inline syntax (CommonMark
lets any ASCII punctuation be escaped), so no emphasis, link, autolink (":" and "." are
escaped), code, HTML tag or entity, maths, colour directive or shortcode can form: the reader
sees exactly the characters that were typed, cut to `MAX_URL_TEXT`. Bare addresses are
broken with an invisible word joiner, as GFM links them even when escaped. Characters that only
mean something at the start of a line ("-", "=") are left alone: the value never starts one.
"""

from __future__ import annotations

import unicodedata

MAX_URL_TEXT = 40
MARKDOWN_SPECIAL = "\\`*_{}[]()#+!|<>~$:.&@"
# GFM turns bare "http://…", "www.…" and "name@host.org" into links after escapes are
# resolved, so a word joiner (U+2060, invisible) also goes before ":", "." and "@".
WORD_JOINER = "\u2060"
_ESCAPE = {ord(c): ("" if c not in ":.@" else WORD_JOINER) + "\\" + c for c in MARKDOWN_SPECIAL}


def url_text(raw: object, limit: int = MAX_URL_TEXT) -> str:
    """A URL value as plain text for Markdown: control characters dropped, trimmed, escaped."""
    text = "".join(
        " " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in str(raw)
    )
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.translate(_ESCAPE)
