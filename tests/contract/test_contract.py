"""The contract any council's build keeps, checked from its database alone.

Run it on your own build: `JSNA_CONTRACT_DB=path/to/jsna.duckdb pytest tests/contract
-k council` (README, "Check your council's build").
"""

from __future__ import annotations

import duckdb
import pytest

from tests.contract import checks
from tests.contract.pages import PAGES, open_page, page_output


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "home")
def test_every_page_runs_and_names_no_other_council(contract_app, page):
    con = duckdb.connect(str(contract_app), read_only=True)
    try:
        row = con.execute("select name from place").fetchone()
    finally:
        con.close()
    assert row is not None, "the database names its place"
    at = open_page(page)
    assert not at.exception, at.exception
    text = page_output(at)
    if page != "5_Definitions_and_data.py":  # it names indicators and sources, not places
        assert row[0] in text, "the page names the place"
    if row[0] != "Trafford":  # the default place, the one name that could leak into another
        lower = text.lower()
        assert "trafford" not in lower, lower[max(0, lower.find("trafford") - 200) :][:400]


def test_no_count_from_1_to_4_in_any_table(contract_con):
    columns = checks.count_columns(contract_con)
    assert ("indicator_values", "count") in columns, "the count columns are found by name"
    assert checks.small_counts(contract_con) == []


def test_every_pooled_row_equals_its_members_sums(contract_con):
    problems, checked = checks.pooled_mismatches(contract_con)
    assert problems == []
    assert checked > 0, "some group rows have every member published"


def test_every_row_is_compared_or_says_why_not(contract_con):
    assert checks.uncompared_without_reason(contract_con) == []
