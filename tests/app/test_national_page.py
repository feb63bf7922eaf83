"""PCNs in England page: every PCN plotted, ours ranked, PCNs like ours."""

from __future__ import annotations

from tests.app.test_pages import charts, open_page

PAGE = "pages/14_PCNs_in_England.py"


def test_the_funnel_plots_every_english_pcn_and_marks_ours():
    at = open_page(PAGE, indicator="qof_dm", pcn="U66368")
    assert not at.exception
    spec = charts(at)[0]
    # x and y may be sent as binary arrays; every point carries its PCN's name as text.
    points = sum(len(t["text"]) for t in spec["data"] if t.get("mode", "").startswith("markers"))
    assert points == 1267
    # Ours are named in the legend (no labels on the plot to collide), one trace each.
    ours = [t for t in spec["data"] if t.get("legendgroup") == "ours"]
    assert all(t["mode"] == "markers" for t in ours)
    assert sorted(t["name"] for t in ours) == sorted(
        [
            "North Trafford",
            "Sale Central",
            "Trafford West",
            "Altrincham Healthcare Alliance",
            "South Trafford",
        ]
    )


def test_pcns_like_ours_lists_ten_others_after_our_own_row():
    at = open_page(PAGE, indicator="qof_hyp", pcn="U95344")
    assert not at.exception
    ours, similar = at.dataframe[0].value, at.dataframe[1].value
    assert len(ours) == 5
    assert len(similar) == 11
    assert similar["PCN"].iloc[0] == "Altrincham Healthcare Alliance PCN (chosen)"
    assert not similar["PCN"].iloc[1:].str.endswith("(chosen)").any()


def test_the_funnel_draws_both_sets_of_limits_and_says_how_many_lie_outside_each():
    """Diabetes: the issue counted 959 of 1,267 PCNs outside England's plain 99.8% limits."""
    at = open_page(PAGE, indicator="qof_dm", pcn="U66368")
    assert not at.exception
    names = {t.get("name") for t in charts(at)[0]["data"]}
    assert "99.8%: differs from England" in names
    assert "99.8%: unusual among PCNs" in names
    text = " ".join(m.value for m in at.markdown)
    assert "Of 1,267 PCNs, 959 (76%) differ from England at 99.8%" in text
    assert "unusual once the real variation between PCNs is allowed for" in text


def test_ranks_carry_their_interval_and_judgements_are_in_words():
    at = open_page(PAGE, indicator="qof_dm", pcn="U66368")
    ours = at.dataframe[0].value
    assert ours["Rank in England (1 = highest)"].str.contains(r"95% interval \d", regex=True).all()
    words = {
        "Higher than England (99.8%)",
        "Higher than England (95%)",
        "Similar to England",
        "Lower than England (95%)",
        "Lower than England (99.8%)",
    }
    assert set(ours["Compared with England"]) <= words
    assert set(ours["Among PCNs"]) <= {
        "Unusually high among PCNs",
        "Unusually low among PCNs",
        "Within the usual range for PCNs",
    }


def test_our_pcn_against_its_peers_for_every_register():
    at = open_page(PAGE, indicator="qof_dm", pcn="U66368")
    assert not at.exception
    peers = at.dataframe[2].value
    assert len(peers) == 21
    assert set(peers["Against PCNs like ours"]) <= {
        "Higher than PCNs like ours",
        "Within the range expected of PCNs like ours",
        "Lower than PCNs like ours",
    }
    # Of us and the 10 peers: fewer where a peer's register is suppressed (a small number).
    of = peers["Our place (1 = highest)"].str.extract(r"of (\d+)$")[0].astype(int)
    assert of.between(2, 11).all()
    assert (of == 11).sum() >= 15
    # A gain is only worked out where we are credibly below the peers.
    shown = peers["If we matched the higher half of our peers"] != ""
    assert peers.loc[shown, "Against PCNs like ours"].ne("Higher than PCNs like ours").all()
    spec = charts(at)[1]
    assert {t.get("name") for t in spec["data"]} >= {"Chosen PCN", "PCNs like ours"}


def test_an_unknown_register_warns_and_falls_back():
    at = open_page(PAGE, indicator="not_a_register")
    assert not at.exception
    assert at.warning
