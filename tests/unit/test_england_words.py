"""Plain words for national judgements and ranks, and our PCN against its peers."""

import numpy as np
import pandas as pd
import pytest

from jsna.app import judgements, pcn_peers


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (112, "112th"),
        (1013, "1,013th"),
        (1267, "1,267th"),
    ],
)
def test_ordinals(n, text):
    assert judgements.ordinal(n) == text


def test_rank_text_gives_the_interval():
    assert judgements.rank_text(324, 290, 360, 1267) == (
        "324th of 1,267 (95% interval 290th to 360th)"
    )
    assert judgements.rank_text(np.nan, np.nan, np.nan, 1267) == "not ranked"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("highest", "Higher than England (99.8%)"),
        ("higher", "Higher than England (95%)"),
        ("similar", "Similar to England"),
        ("lower", "Lower than England (95%)"),
        ("lowest", "Lower than England (99.8%)"),
        ("not compared", "Not compared"),
    ],
)
def test_england_words_name_the_plain_test(code, words):
    assert judgements.england_words(code) == words


def test_among_words_name_the_kind_of_area():
    assert judgements.among_words("higher", "pcn") == "Unusually high among PCNs"
    assert judgements.among_words("lower", "practice") == "Unusually low among GP practices"
    assert judgements.among_words("similar", "icb") == "Within the usual range for ICBs"
    assert judgements.among_words("not compared", "pcn") == "Not compared"


def test_outside_counts_says_how_many_lie_outside_each_set():
    d = pd.DataFrame(
        [
            {
                "areas": 200,
                "plain_higher": 60,
                "plain_lower": 40,
                "peers_higher": 6,
                "peers_lower": 4,
                "rankability": 0.6,
            }
        ]
    )
    text = judgements.outside_counts(d, "pcn")
    assert text.startswith("Of 200 PCNs, 100 (50%) differ from England at 99.8% (60 higher")
    assert "only 10 (5%) are unusual" in text
    assert "60% is real rather than chance" in text
    assert "partly reflect chance" in text


def _peers(ours_value: float) -> pd.DataFrame:
    """Our PCN (list 10,000) and 10 peers at 5%-9.5% (lists 10,000) for one register."""
    peers = [5.0 + 0.5 * i for i in range(10)]
    codes = ["OURS"] + [f"P{i}" for i in range(10)]
    return pd.DataFrame(
        {
            "area_code": codes,
            "area_name": codes,
            "indicator_id": "qof_x",
            "indicator_name": "X",
            "value": [ours_value, *peers],
            "denominator": 10_000.0,
            "lower_ci95": np.nan,
            "upper_ci95": np.nan,
        }
    )


def test_a_gain_appears_only_where_we_are_credibly_below_the_peers():
    """Peers 5.0, 5.5, ..., 9.5% (mean 7.25, sd 1.51): at 1% we are far below, and the
    gain is (mean of the higher half, 8.5%, − 1%) × 10,000 = 750 people; at 7% there is no
    credible shortfall and no gain is shown."""
    low = pcn_peers.peer_comparison(_peers(1.0), "OURS", [f"P{i}" for i in range(10)]).iloc[0]
    assert low["verdict"] == -1
    assert low["position"] == 11
    assert low["gain"] == pytest.approx(750.0)
    assert low["gain_lower"] < 750 < low["gain_upper"]
    mid = pcn_peers.peer_comparison(_peers(7.0), "OURS", [f"P{i}" for i in range(10)]).iloc[0]
    assert mid["verdict"] == 0
    assert np.isnan(mid["gain"])
    table = pcn_peers.peer_table(pd.DataFrame([low, mid]))
    assert table["If we matched the higher half of our peers"].iloc[0].startswith("750 more")
    assert table["If we matched the higher half of our peers"].iloc[1] == ""
