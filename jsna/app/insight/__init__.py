"""Where to act: the gaps to England that matter most, the worst area per indicator, funnels.

Pure pandas and plotly, no Streamlit. Three things:

- :func:`triage` ranks an area's indicators that are significantly worse than a benchmark
  (England by default) by the *excess*: the observed count minus the count the benchmark's
  rate would give, E = denominator × benchmark value / multiplier, with an interval from the
  count's own confidence limits (Wilson × denominator for proportions, Poisson limits of the
  count for rates) minus E. This is the "how many people" reading of an SIR-style comparison:
  the benchmark is treated as fixed, exactly as in the "compared with England" test.
- :func:`worst_areas` finds, per indicator, the area with the worst value (polarity-aware) and
  says whether it is significantly worse than England.
- :func:`funnel` and :func:`funnel_chart` draw a funnel plot of wards or practices against
  their denominators with 95% and 99.8% control limits (PHEindicatormethods
  ``calculate_funnel_limits``; Spiegelhalter 2005), around the council's or England's value.
"""

from jsna.app.insight.common import multiplier, round_people
from jsna.app.insight.funnel_plots import (
    FUNNEL_CENTRES,
    Funnel,
    funnel,
    funnel_chart,
    funnel_problem,
)
from jsna.app.insight.triage import (
    Triage,
    excess_sentence,
    triage,
    triage_sentences,
    untested_gaps,
    untested_sentence,
)
from jsna.app.insight.triage_views import excess_chart, triage_table, unsized_table
from jsna.app.insight.worst import worst_areas, worst_table

__all__ = [
    "FUNNEL_CENTRES",
    "Funnel",
    "Triage",
    "excess_chart",
    "excess_sentence",
    "funnel",
    "funnel_chart",
    "funnel_problem",
    "multiplier",
    "round_people",
    "triage",
    "triage_sentences",
    "triage_table",
    "unsized_table",
    "untested_gaps",
    "untested_sentence",
    "worst_areas",
    "worst_table",
]
