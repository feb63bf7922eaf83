"""One colour (and marker shape) per area, for any number of areas (issue 20).

Expected contrasts are published ones or worked by hand from the WCAG 2.2 definition of
relative luminance, never computed by the code under test:

- GOV.UK's link blue #1d70b8 has 5.17:1 contrast on white (GOV.UK Design System, colour).
- #767676 is the lightest grey with 4.5:1 on white (4.54:1): sRGB 118/255 = 0.4627,
  linearised ((0.4627 + 0.055) / 1.055)^2.4 = 0.1812, contrast 1.05 / (0.1812 + 0.05) = 4.54.
"""

from __future__ import annotations

import pytest

from jsna.core.vocabulary import AREA_HUES, area_colours, area_symbols, contrast_on_white


@pytest.mark.parametrize(("colour", "ratio"), [("#1d70b8", 5.17), ("#767676", 4.54)])
def test_contrast_on_white_matches_published_and_hand_worked_ratios(colour, ratio):
    assert contrast_on_white(colour) == pytest.approx(ratio, abs=0.005)


def test_up_to_six_areas_take_the_hand_picked_hues_in_alphabetical_order():
    colours = area_colours(["West", "North", "Central", "South"])
    assert colours == {
        "Central": AREA_HUES[0],
        "North": AREA_HUES[1],
        "South": AREA_HUES[2],
        "West": AREA_HUES[3],
    }


@pytest.mark.parametrize("n", [7, 12, 20, 40])
def test_any_number_of_areas_get_distinct_colours_each_readable_on_white(n):
    """A county's twelve neighbourhoods or twenty PCNs: no colour repeats, and every strong
    shade keeps the 3:1 contrast WCAG 1.4.11 asks of graphics."""
    names = [f"Area {i:02d}" for i in range(n)]
    colours = area_colours(names)
    assert len({strong for strong, _ in colours.values()}) == n
    assert len({tint for _, tint in colours.values()}) == n
    assert all(contrast_on_white(strong) >= 3.0 for strong, _ in colours.values())


def test_an_areas_colour_and_shape_do_not_depend_on_row_order():
    names = ["Sale Central", "Altrincham", "North Trafford", "Urmston", "West Trafford"]
    assert area_colours(names) == area_colours(list(reversed(names)))
    assert area_symbols(names) == area_symbols(list(reversed(names)))
    assert len(set(area_symbols(names).values())) == len(names)
