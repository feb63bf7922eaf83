"""The words the app shows for a comparison, so every page, chart and file says it the same way.

A comparison is stored as a code (``Comparison``: ``worst``, ``highest``, ``not compared`` …);
a reader never sees the code, only these words:

>>> comparison_words("highest", "England")
'Higher than England (99.8%)'
>>> comparison_words("better", "Trafford")
'Better than Trafford (95%)'
>>> comparison_words("similar", "England")
'Similar to England'
>>> comparison_words("not compared", "England")
'Not compared: no England figure'
>>> comparison_words("not compared", "England", "no confidence interval (estimate)")
'Not compared: no confidence interval (estimate)'

Levels: "(95%)" marks a difference significant at 95% only, "(99.8%)" one significant at
99.8% as well (Fingertips' two-level method). Pure functions, no I/O: used by the build's
files and by the app alike.
"""

from __future__ import annotations

import colorsys

from jsna.core.stats import Comparison

# The direction word of each significant comparison, and the confidence level it reached.
DIRECTION = {
    Comparison.BETTER: "Better",
    Comparison.BEST: "Better",
    Comparison.WORSE: "Worse",
    Comparison.WORST: "Worse",
    Comparison.LOWER: "Lower",
    Comparison.LOWEST: "Lower",
    Comparison.HIGHER: "Higher",
    Comparison.HIGHEST: "Higher",
}
LEVEL = {
    Comparison.BETTER: "95%",
    Comparison.WORSE: "95%",
    Comparison.LOWER: "95%",
    Comparison.HIGHER: "95%",
    Comparison.BEST: "99.8%",
    Comparison.WORST: "99.8%",
    Comparison.LOWEST: "99.8%",
    Comparison.HIGHEST: "99.8%",
}
# The order a reader meets them in: worse before better, the stricter level first.
ORDER = [
    Comparison.WORST,
    Comparison.WORSE,
    Comparison.HIGHEST,
    Comparison.HIGHER,
    Comparison.LOWEST,
    Comparison.LOWER,
    Comparison.BEST,
    Comparison.BETTER,
    Comparison.SIMILAR,
    Comparison.NOT_COMPARED,
]
SIGNIFICANT = frozenset(DIRECTION)


def comparison_words(comparison: str | None, benchmark: str, reason: str | None = None) -> str:
    """The reader's words for one comparison with a named benchmark.

    Args:
        comparison: a ``Comparison`` code (empty or None reads as not compared).
        benchmark: the benchmark's name as shown ("England", the council's name).
        reason: why a value was not compared, if known (replaces "no <benchmark> figure").
    """
    comp = Comparison(comparison or Comparison.NOT_COMPARED)
    if comp in DIRECTION:
        return f"{DIRECTION[comp]} than {benchmark} ({LEVEL[comp]})"
    if comp is Comparison.SIMILAR:
        return f"Similar to {benchmark}"
    return f"Not compared: {reason or f'no {benchmark} figure'}"


def benchmark_heading(subject: str, benchmark: str, england: str, fallback: bool) -> str:
    """A heading that names the benchmark its lines use.

    >>> benchmark_heading("Health", "England", "England", False)
    'Health, compared with England'
    >>> benchmark_heading("Health", "Trafford", "England", True)
    'Health, compared with Trafford (England has no figure for these)'
    """
    tail = f" ({england} has no figure for these)" if fallback else ""
    return f"{subject}, compared with {benchmark}{tail}"


def signed_percent(value: float, reference: float) -> str:
    """The relative difference as a signed whole percentage ("+14%", "-35%", "+0.4%").

    >>> signed_percent(8.467975, 7.452845)
    '+14%'
    >>> signed_percent(11.996, 18.4126)
    '-35%'
    """
    if reference == 0:
        return "n/a"
    pct = (value - reference) / abs(reference) * 100
    size = f"{abs(pct):.1f}" if abs(pct) < 1 else f"{abs(pct):.0f}"
    return f"{'+' if pct >= 0 else '-'}{size}%"


# One colour per area on every page: a strong shade (markers, lines) and a pale tint of the
# same hue (map fills), given to areas in the order of their names, so a neighbourhood keeps
# its colour whichever page draws it and whatever order its rows come in. Up to six areas take
# these hand-picked hues; more (a county's twelve neighbourhoods, twenty PCNs) take as many
# hues spaced evenly round the colour wheel, each darkened until it has 3:1 contrast on white,
# so no two areas of one set ever share a colour.
# No red or green among the hand-picked hues: practice dots sit on maps filled in the
# comparison colours (red worse, green better).
AREA_HUES = (
    ("#1d70b8", "#cfe3f3"),  # blue
    ("#a6761d", "#f3e3c3"),  # ochre
    ("#6a3d9a", "#e4d9f0"),  # purple
    ("#b0176b", "#f5d3e5"),  # magenta
    ("#505a5f", "#e3e5e6"),  # grey
    ("#00707a", "#cce6e8"),  # teal
)
# A marker shape per area as well, so colour is never the only cue (WCAG 1.4.1).
AREA_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "cross",
    "x",
    "triangle-down",
    "star",
    "pentagon",
    "hexagon",
)


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour with channels in 0..1."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against white.

    >>> round(contrast_on_white("#1d70b8"), 2)
    5.17
    """
    rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 1.05 / (_luminance(rgb) + 0.05)  # type: ignore[arg-type]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _spaced_hue(i: int, n: int) -> tuple[str, str]:
    """The i-th of n hues round the wheel: (strong with 3:1 on white, pale tint)."""
    hue = i / n
    light = 0.45
    strong = _hex(colorsys.hls_to_rgb(hue, light, 0.75))
    while contrast_on_white(strong) < 3.0:
        light -= 0.02
        strong = _hex(colorsys.hls_to_rgb(hue, light, 0.75))
    return strong, _hex(colorsys.hls_to_rgb(hue, 0.88, 0.6))


def area_colours(names: list[str] | tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """(strong, tint) colour of each area name, assigned in alphabetical order, none repeated.

    >>> area_colours(["West", "North", "Central", "South"])["North"]
    ('#a6761d', '#f3e3c3')
    >>> len(set(area_colours([f"PCN {i}" for i in range(20)]).values()))
    20
    """
    ordered = sorted(dict.fromkeys(str(n) for n in names))
    n = len(ordered)
    hues = AREA_HUES if n <= len(AREA_HUES) else [_spaced_hue(i, n) for i in range(n)]
    return dict(zip(ordered, hues, strict=False))


def area_symbols(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A plotly marker shape for each area name, in the same order as its colour.

    >>> area_symbols(["South", "North"])
    {'North': 'circle', 'South': 'square'}
    """
    ordered = sorted(dict.fromkeys(str(n) for n in names))
    return {n: AREA_SYMBOLS[i % len(AREA_SYMBOLS)] for i, n in enumerate(ordered)}
