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

from jsna.stats import Comparison

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
# its colour whichever page draws it and whatever order its rows come in.
AREA_HUES = (
    ("#1d70b8", "#cfe3f3"),  # blue
    ("#a6761d", "#f3e3c3"),  # ochre
    ("#00703c", "#d2ecd9"),  # green
    ("#6a3d9a", "#e4d9f0"),  # purple
    ("#d4351c", "#f8d7d0"),  # red
    ("#505a5f", "#e3e5e6"),  # grey
)


def area_colours(names: list[str] | tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """(strong, tint) colour of each area name, assigned in alphabetical order.

    >>> area_colours(["West", "North", "Central", "South"])["North"]
    ('#a6761d', '#f3e3c3')
    """
    ordered = sorted(dict.fromkeys(str(n) for n in names))
    return {n: AREA_HUES[i % len(AREA_HUES)] for i, n in enumerate(ordered)}
