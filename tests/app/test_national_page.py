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


def test_pcns_like_ours_lists_ten_others():
    at = open_page(PAGE, indicator="qof_hyp", pcn="U95344")
    assert not at.exception
    ours, similar = at.dataframe[0].value, at.dataframe[1].value
    assert len(ours) == 5
    assert len(similar) == 10
    assert "Altrincham Healthcare Alliance" not in set(similar["PCN"])


def test_an_unknown_register_warns_and_falls_back():
    at = open_page(PAGE, indicator="not_a_register")
    assert not at.exception
    assert at.warning
