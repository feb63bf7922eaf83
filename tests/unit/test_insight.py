"""Where to act: excess counts and intervals, ranking, worst area, funnel data and charts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from jsna.app import insight
from jsna.app.insight import funnel_plots as funnels
from jsna.core import stats

Z = 1.959963984540054


def row(**kw):
    base = {
        "area_code": "A1",
        "area_name": "North",
        "indicator_id": "x",
        "indicator_name": "Adults with no qualifications",
        "sex": "Persons",
        "unit": "%",
        "value_type": "proportion",
        "polarity": "low_is_good",
        "value": 12.0,
        "benchmark": "England",
        "benchmark_value": 10.0,
        "comparison": "worse",
        "count": 120.0,
        "denominator": 1000.0,
        "is_estimate": False,
        "method": "Wilson",
    }
    base.update(kw)
    return base


def wilson_by_hand(x: float, n: float) -> tuple[float, float]:
    centre, half = 2 * x + Z**2, Z * math.sqrt(Z**2 + 4 * x * (1 - x / n))
    return (centre - half) / (2 * (n + Z**2)), (centre + half) / (2 * (n + Z**2))


def test_excess_of_a_proportion_is_count_minus_expected_with_a_wilson_interval():
    """120 of 1,000 against England's 10%: 100 expected, 20 more, interval from Wilson."""
    ranked = insight.triage(pd.DataFrame([row()])).ranked
    r = ranked.iloc[0]
    assert r["expected"] == pytest.approx(100.0)
    assert r["excess"] == pytest.approx(20.0)
    lo, hi = wilson_by_hand(120, 1000)
    assert r["excess_lower"] == pytest.approx(lo * 1000 - 100, rel=1e-9)
    assert r["excess_upper"] == pytest.approx(hi * 1000 - 100, rel=1e-9)
    assert r["excess_lower"] == pytest.approx(1.30, abs=0.01)  # Wilson 10.13% of 1,000 - 100
    assert r["excess_upper"] == pytest.approx(41.61, abs=0.01)  # Wilson 14.16% of 1,000 - 100
    assert r["gap"] == r["excess"]
    assert r["direction"] == "more"
    assert r["interval_method"] == "Wilson"


def test_excess_of_a_rate_uses_the_poisson_limits_of_the_count():
    """30 events in 1,000 people at England's 20 per 1,000: 20 expected, 10 more (Byar's)."""
    p = pd.DataFrame(
        [row(unit="per 1,000", value_type="rate", value=30.0, benchmark_value=20.0, count=30.0)]
    )
    r = insight.triage(p).ranked.iloc[0]
    assert r["expected"] == pytest.approx(20.0)
    assert r["excess"] == pytest.approx(10.0)
    lo = 30 * (1 - 1 / 270 - Z / (3 * math.sqrt(30))) ** 3
    hi = 31 * (1 - 1 / 279 + Z / (3 * math.sqrt(31))) ** 3
    assert r["excess_lower"] == pytest.approx(lo - 20, rel=1e-9)
    assert r["excess_upper"] == pytest.approx(hi - 20, rel=1e-9)
    assert r["interval_method"] == "Poisson (Byars)"


def test_triage_ranks_by_gap_and_keeps_only_significantly_worse_rows_for_the_benchmark():
    rows = [
        row(indicator_id="small", count=120.0, denominator=1000.0),  # gap 20
        row(indicator_id="big", count=1300.0, denominator=10000.0, comparison="worst"),  # 300
        row(indicator_id="mid", count=70.0, denominator=500.0),  # 20 of 500 at 10% -> 20
        row(indicator_id="similar", comparison="similar"),
        row(indicator_id="better", comparison="better"),
        row(indicator_id="local", benchmark="Trafford"),
        row(  # high is good: 60 of 1,000 vaccinated against 10% -> 40 fewer
            indicator_id="vacc", polarity="high_is_good", count=60.0, value=6.0
        ),
    ]
    ranked = insight.triage(pd.DataFrame(rows)).ranked
    assert list(ranked["indicator_id"]) == ["big", "vacc", "small", "mid"]
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    vacc = ranked.set_index("indicator_id").loc["vacc"]
    assert vacc["excess"] == pytest.approx(-40.0)
    assert vacc["gap"] == pytest.approx(40.0)
    assert vacc["direction"] == "fewer"
    assert vacc["gap_lower"] < vacc["gap"] < vacc["gap_upper"]
    assert vacc["gap_lower"] == pytest.approx(-vacc["excess_upper"])
    local = insight.triage(pd.DataFrame(rows), "Trafford").ranked
    assert list(local["indicator_id"]) == ["local"]


def test_rows_without_a_count_are_listed_separately_not_ranked():
    rows = [
        row(indicator_id="la", count=np.nan, denominator=np.nan, unit="%"),
        row(
            indicator_id="asr",
            value_type="rate",
            unit="per 100,000 (age-standardised)",
            count=np.nan,
            denominator=np.nan,
        ),
        row(indicator_id="est", is_estimate=True, count=np.nan, denominator=np.nan),
        row(indicator_id="ok"),
    ]
    t = insight.triage(pd.DataFrame(rows))
    assert list(t.ranked["indicator_id"]) == ["ok"]
    assert set(t.unsized["indicator_id"]) == {"la", "asr", "est"}
    reasons = t.unsized.set_index("indicator_id")["reason"]
    assert "estimate" in reasons["est"]
    assert "no count" in reasons["la"]
    assert not insight.unsized_table(t.unsized).empty


def test_empty_profile_gives_empty_frames():
    t = insight.triage(pd.DataFrame())
    assert t.ranked.empty
    assert t.unsized.empty
    assert insight.triage_table(t.ranked).empty


@pytest.mark.parametrize(
    ("unit", "value_type", "expected"),
    [
        ("%", "proportion", 100.0),
        ("% aged 16+", "proportion", 100.0),
        ("per 1,000", "rate", 1000.0),
        ("per 100,000", "rate", 100000.0),
        ("per 100,000 (age-standardised)", "rate", None),
        ("SMR (England = 100)", "ratio", None),
        ("score", "score", None),
    ],
)
def test_multiplier_comes_from_the_unit(unit, value_type, expected):
    assert insight.multiplier(unit, value_type) == expected


def test_sentence_reads_like_the_brief():
    r = row(gap=1243.0, gap_lower=1151.0, gap_upper=1334.0, direction="more")
    assert insight.excess_sentence(r) == (
        "North: about 1,240 more adults with no qualifications than England's rate would "
        "give (95% interval 1,150 to 1,330)."
    )


def test_sentence_for_a_name_that_is_not_a_plural_noun_names_people():
    r = row(
        indicator_name="Bad or very bad general health",
        gap=489.2,
        gap_lower=390.4,
        gap_upper=592.0,
        direction="more",
        benchmark="Trafford",
    )
    assert insight.excess_sentence(r) == (
        "North: bad or very bad general health, about 489 more people than Trafford's rate "
        "would give (95% interval 390 to 592)."
    )


def test_acronyms_keep_their_capitals():
    r = row(
        indicator_name="A&E attendances, children aged 0 to 4",
        value_type="rate",
        gap=232.0,
        gap_lower=143.0,
        gap_upper=324.0,
        direction="more",
    )
    assert "about 232 more A&E attendances" in insight.excess_sentence(r)


def test_excess_chart_has_bars_with_asymmetric_error_bars_largest_on_top():
    rows = [
        row(indicator_id="a", indicator_name="Aaa"),
        row(
            indicator_id="b",
            indicator_name="Bbb",
            count=1300.0,
            denominator=10000.0,
            comparison="worst",
        ),
    ]
    ranked = insight.triage(pd.DataFrame(rows)).ranked
    fig = insight.excess_chart(ranked, "t")
    assert isinstance(fig, go.Figure)
    assert all(t.type == "bar" and t.orientation == "h" for t in fig.data)
    assert all(t.error_x.visible for t in fig.data)
    assert list(fig.layout.yaxis.categoryarray) == ["Aaa", "Bbb"]  # reversed: Bbb on top


def test_excess_chart_names_its_levels_in_a_legend_and_hatches_99_8():
    worst = row(indicator_id="b", count=1300.0, denominator=10000.0, comparison="worst")
    fig = insight.excess_chart(insight.triage(pd.DataFrame([worst])).ranked, "t")
    (bar,) = fig.data
    assert fig.layout.showlegend is True  # plotly hides a lone trace's legend by default
    assert bar.name == "Worse (99.8%)"
    assert bar.marker.pattern.shape == "/"


def nbh(code, name, ind, value, polarity="low_is_good", comparison="similar", **kw):
    base = {
        "area_code": code,
        "area_name": name,
        "indicator_id": ind,
        "indicator_name": ind.title(),
        "domain": "D",
        "sex": "Persons",
        "unit": "%",
        "value_type": "proportion",
        "polarity": polarity,
        "value": value,
        "england_value": 10.0,
        "la_value": 10.0,
        "benchmark": "England",
        "benchmark_value": 10.0,
        "comparison": comparison,
        "comparison_reason": "",
        "is_estimate": False,
        "note": None,
    }
    base.update(kw)
    return base


def test_worst_area_is_highest_where_low_is_good_and_lowest_where_high_is_good():
    values = pd.DataFrame(
        [
            nbh("N", "North", "smoking", 20.0, comparison="worst"),
            nbh("S", "South", "smoking", 5.0, comparison="best"),
            nbh("W", "West", "smoking", np.nan),
            nbh("N", "North", "vaccination", 80.0, "high_is_good"),
            nbh("S", "South", "vaccination", 95.0, "high_is_good", "better"),
            nbh("N", "North", "carers", 9.0, "no_judgement"),
            nbh("S", "South", "carers", 12.0, "no_judgement"),
            nbh("N", "North", "local", 20.0, comparison="worse", benchmark="Trafford"),
            nbh("S", "South", "local", 5.0, benchmark="Trafford"),
        ]
    )
    worst = insight.worst_areas(values).set_index("indicator_id")
    assert "carers" not in worst.index
    assert worst.at["smoking", "area_name"] == "North"
    assert worst.at["smoking", "n_areas"] == 2
    assert bool(worst.at["smoking", "worse_than_england"])
    assert worst.at["smoking", "england_verdict"].startswith("Yes")
    assert worst.at["vaccination", "area_name"] == "North"
    assert not bool(worst.at["vaccination", "worse_than_england"])
    assert worst.at["vaccination", "england_verdict"] == "No: Similar to England"
    assert not bool(worst.at["local", "worse_than_england"])
    assert "No England figure" in worst.at["local", "england_verdict"]
    assert len(insight.worst_table(insight.worst_areas(values))) == 3


def funnel_rows(counts, dens, value_type="proportion", unit="%", **kw):
    counts, dens = np.asarray(counts, float), np.asarray(dens, float)
    mult = 100.0 if value_type == "proportion" else 1000.0
    trafford = np.nansum(counts) / dens[~np.isnan(counts)].sum() * mult
    base = {
        "indicator_name": "Thing",
        "sex": "Persons",
        "unit": unit,
        "value_type": value_type,
        "polarity": "low_is_good",
        "england_value": trafford * 1.2,
        "la_value": trafford,
        "ci_method": "wilson",
    }
    base.update(kw)
    return pd.DataFrame(
        {
            "area_code": [f"W{i}" for i in range(len(counts))],
            "area_name": [f"Ward {i}" for i in range(len(counts))],
            "value": counts / dens * mult,
            "count": counts,
            "denominator": dens,
            **{k: [v] * len(counts) for k, v in base.items()},
        }
    )


COUNTS = [50, 80, 120, 300, 90, 400, 20]
DENS = [1000, 1000, 1500, 3000, 2000, 3000, 800]


def test_funnel_around_trafford_uses_funnel_significance_and_matches_the_drawn_limits():
    f = insight.funnel(funnel_rows(COUNTS, DENS), la_name="Trafford")
    assert f.centre_name == "Trafford"
    expected = stats.funnel_significance(COUNTS, DENS, "proportion")
    assert list(f.points["label"]) == list(expected)
    pi = sum(COUNTS) / sum(DENS)
    lo95, hi95 = stats.funnel_proportion_limits(pi, DENS, 0.95)
    lo998, hi998 = stats.funnel_proportion_limits(pi, DENS, 0.998)
    by_limits = funnels._limit_labels(
        f.points["value"].to_numpy(), lo95 * 100, hi95 * 100, lo998 * 100, hi998 * 100
    )
    assert list(by_limits) == list(expected)
    n = f.limits["denominator"].to_numpy()
    assert n.min() < min(DENS)
    assert n.max() > max(DENS)
    lo, hi = stats.funnel_proportion_limits(pi, n, 0.998)
    np.testing.assert_allclose(f.limits["lower998"], lo * 100)
    np.testing.assert_allclose(f.limits["upper998"], hi * 100)


def test_funnel_around_england_places_points_against_englands_limits():
    rows = funnel_rows(COUNTS, DENS)
    f = insight.funnel(rows, "england")
    eng = float(rows["england_value"].iloc[0])
    assert f.centre == pytest.approx(eng)
    lo, hi = stats.funnel_proportion_limits(eng / 100, DENS, 0.998)
    values = np.asarray(COUNTS) / np.asarray(DENS)
    high = f.points["label"] == stats.FUNNEL_HIGH_0001
    assert list(high) == list(values > hi)
    assert (f.points["label"] == stats.FUNNEL_LOW_0001).tolist() == list(values < lo)


def test_funnel_for_a_rate_uses_poisson_limits():
    rows = funnel_rows(COUNTS, DENS, "rate", "per 1,000", ci_method="byars")
    f = insight.funnel(rows)
    assert f.statistic == "rate"
    assert f.multiplier == 1000.0
    n = f.limits["denominator"].to_numpy()
    lo, hi = stats.funnel_rate_limits(f.centre, n, 0.95, 1000.0)
    np.testing.assert_allclose(f.limits["lower95"], lo)
    np.testing.assert_allclose(f.limits["upper95"], hi)


def test_funnel_chart_has_four_limit_traces_a_centre_line_and_coloured_points():
    f = insight.funnel(funnel_rows(COUNTS, DENS), la_name="Trafford")
    fig = insight.funnel_chart(f, "A funnel")
    lines = [t for t in fig.data if t.mode == "lines"]
    points = [t for t in fig.data if t.mode == "markers"]
    assert len(lines) == 5  # 95% and 99.8%, upper and lower, and the centre
    assert sum(1 for t in lines if "control limits" in t.name) == 4
    assert any(t.name.startswith("Trafford") for t in lines)
    assert sum(len(t.x) for t in points) == len(COUNTS)
    assert all("<b>Ward" in s for t in points for s in t.text)
    assert fig.layout.title.text == "A funnel"


def test_suppressed_areas_are_left_out_and_counted():
    counts = [*COUNTS[:-1], np.nan]
    f = insight.funnel(funnel_rows(counts, DENS))
    assert f.left_out == 1
    assert len(f.points) == len(COUNTS) - 1


@pytest.mark.parametrize(
    ("kw", "phrase"),
    [
        ({"value_type": "ratio", "unit": "SMR"}, "counts and denominators"),
        ({"unit": "per 100,000 (age-standardised)", "value_type": "rate"}, "counts"),
        ({"ci_method": "none"}, "whole-population"),
    ],
)
def test_funnel_problem_explains_why_no_funnel_can_be_drawn(kw, phrase):
    rows = funnel_rows(COUNTS, DENS).assign(**kw)
    problem = insight.funnel_problem(rows)
    assert problem
    assert phrase in problem
    with pytest.raises(ValueError, match=phrase):
        insight.funnel(rows)


def test_funnel_needs_counts_and_an_england_figure_to_centre_on_england():
    no_counts = funnel_rows(COUNTS, DENS).assign(count=np.nan)
    assert "needs counts and denominators" in insight.funnel_problem(no_counts)
    no_england = funnel_rows(COUNTS, DENS).assign(england_value=np.nan)
    assert insight.funnel_problem(no_england) is None
    assert "England has no figure" in insight.funnel_problem(no_england, "england")
    assert insight.funnel_problem(pd.DataFrame()) is not None
    with pytest.raises(ValueError, match="centre"):
        insight.funnel(funnel_rows(COUNTS, DENS), "peers")  # type: ignore[arg-type]


def test_round_people_keeps_three_significant_figures():
    assert insight.round_people(1243.4) == 1240
    assert insight.round_people(12_345) == 12_300
    assert insight.round_people(551.3) == 551
    assert insight.round_people(42.6) == 43
    assert insight.round_people(1334, -1) == 1330


def test_funnel_points_are_labelled_against_the_limits_that_are_drawn():
    """Given a Trafford value that differs from the areas' pooled value, every point's label
    agrees with where it sits against the drawn limits at its own denominator."""
    import numpy as np

    from jsna.app import insight as ins

    rows = pd.DataFrame(
        {
            "area_code": list("abcdef"),
            "area_name": list("abcdef"),
            "sex": "Persons",
            "indicator_name": "A and E attendances",
            "period": "2021/22",
            "value_type": "rate",
            "unit": "per 1,000",
            "polarity": "low_is_good",
            "count": [120.0, 95, 160, 80, 140, 101],
            "denominator": [200.0, 180, 210, 150, 190, 170],
            "la_value": 560.0,
            "england_value": 600.0,
            "value": np.nan,
        }
    )
    fun = ins.funnel(rows, "la")
    for p in fun.points.to_dict("records"):
        lo, hi = funnels._limits(
            "rate", fun.centre, fun.multiplier, np.array([p["denominator"]]), 0.95
        )
        outside = p["value"] < lo[0] or p["value"] > hi[0]
        assert outside == (p["label"] != "Not significant"), p


def _gap_rows(**over):
    base = {
        "indicator_name": ["A", "B", "C", "D"],
        "value": [139.0, 95.0, 80.0, 125.0],
        "sex": "Persons",
        "lower_ci95": [None, None, None, 120.0],
        "value_type": "ratio",
        "unit": "SMR (England = 100)",
        "polarity": ["low_is_good", "low_is_good", "low_is_good", "low_is_good"],
        "england_value": 100.0,
        "la_value": 100.0,
        "is_estimate": True,
        "comparison": ["not compared", "not compared", "not compared", "worse"],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_untested_gaps_lists_only_values_without_an_interval_10_percent_away():
    """Given ratios 139, 95 and 80 with no interval and 125 with one, then 139 (39% higher,
    worse) and 80 (20% lower, better) are listed, largest first; 95 (5%) and the tested 125
    are not."""
    from jsna.app.insight import untested_gaps

    got = untested_gaps(_gap_rows())
    assert got["indicator_name"].tolist() == ["A", "C"]
    assert got["judgement"].tolist() == ["worse", "better"]
    assert got["relative"].round(2).tolist() == [0.39, -0.2]
    assert all("not tested for significance" in s for s in got["sentence"])
    assert not any("similar" in s.lower() for s in got["sentence"])


def test_untested_gaps_worse_only_and_council_reference():
    from jsna.app.insight import untested_gaps

    rows = _gap_rows(england_value=[None, None, None, None], la_value=[100.0] * 4)
    got = untested_gaps(rows, worse_only=True, la_name="Trafford")
    assert got["indicator_name"].tolist() == ["A"]
    assert "than Trafford (100.0)" in got["sentence"].iloc[0]
