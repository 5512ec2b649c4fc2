"""Tests of analyser.periods: calendar periods, the overlap rule, per-period analyses."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.shared_data import SAMPLE_ROSTER

from analyser.ingest import read_roster
from analyser.periods import (
    PERIODS,
    analyse_periods,
    period_bounds,
    slice_roster,
    trend_tables,
    undated_note,
)
from analyser.roster import Roster, RosterError
from analyser.sample import OPENING_ADMINISTRATION

COLUMNS = ("project", "person", "unit", "start", "end")
D = dt.date


def dated(rows) -> Roster:
    return Roster.from_rows(rows, columns=COLUMNS, source="dated.csv")


def people_in(roster: Roster, start: dt.date, end: dt.date) -> list[str]:
    return sorted(slice_roster(roster, start, end).memberships["person"].to_list())


def test_period_labels_and_bounds_cross_a_year():
    """Each period length gives calendar-aligned labels and inclusive bounds across a new year."""
    r = dated([("P1", "ann", "A", D(2025, 11, 15), D(2026, 2, 3))])
    assert [b[0] for b in period_bounds(r, "month")] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [b[0] for b in period_bounds(r, "quarter")] == ["2025-Q4", "2026-Q1"]
    assert period_bounds(r, "half") == [("2025-H2", D(2025, 7, 1), D(2025, 12, 31)), ("2026-H1", D(2026, 1, 1), D(2026, 6, 30))]
    assert period_bounds(r, "year") == [("2025", D(2025, 1, 1), D(2025, 12, 31)), ("2026", D(2026, 1, 1), D(2026, 12, 31))]
    assert period_bounds(r, "quarter")[1][2] == D(2026, 3, 31)


def test_unknown_period_and_undated_roster():
    """A wrong period name is a ValueError; a roster without dates has no periods."""
    r = Roster.from_rows([("P1", "ann", "A")])
    with pytest.raises(ValueError, match="period must be one of"):
        period_bounds(r, "week")
    assert period_bounds(r) == []
    with pytest.raises(RosterError, match="no membership has a start or end date"):
        analyse_periods(r)


def test_overlap_rule_on_period_edges():
    """A membership ending on the first day or starting on the last day overlaps; one day off does not."""
    r = dated([
        ("P1", "ann", "A", D(2025, 1, 1), D(2025, 4, 1)),  # ends on Q2's first day
        ("P2", "bob", "A", D(2025, 6, 30), D(2025, 9, 1)),  # starts on Q2's last day
        ("P3", "cid", "B", D(2025, 1, 1), D(2025, 3, 31)),  # ends the day before Q2
        ("P4", "dan", "B", D(2025, 7, 1), D(2025, 8, 1)),  # starts the day after Q2
    ])  # fmt: skip
    assert people_in(r, D(2025, 4, 1), D(2025, 6, 30)) == ["ann", "bob"]


def test_open_ended_and_undated_memberships():
    """No end = still running, no start = since before the data, no dates = every period."""
    r = dated([
        ("P1", "ann", "A", D(2025, 5, 1), None),
        ("P2", "bob", "A", None, D(2025, 2, 1)),
        ("P3", "cid", "B", None, None),
        ("P4", "dan", "B", D(2025, 1, 1), D(2025, 1, 31)),
    ])  # fmt: skip
    assert people_in(r, D(2025, 1, 1), D(2025, 3, 31)) == ["bob", "cid", "dan"]
    assert people_in(r, D(2030, 1, 1), D(2030, 3, 31)) == ["ann", "cid"]
    assert people_in(r, D(2020, 1, 1), D(2020, 3, 31)) == ["bob", "cid"]


def test_slice_keeps_units_and_rejects_reversed_bounds():
    """A slice keeps every column (units unchanged); an end before the start is an error."""
    r = dated([("P1", "ann", "A/x", D(2025, 1, 1), D(2025, 2, 1))])
    part = slice_roster(r, D(2025, 1, 1), D(2025, 1, 31))
    assert part.memberships.select("unit").item() == "A/x" and part.memberships.columns == r.memberships.columns
    with pytest.raises(ValueError, match="before its start"):
        slice_roster(r, D(2025, 2, 1), D(2025, 1, 1))


def test_analyse_periods_skips_empty_and_notes_undated():
    """Periods without memberships are skipped; undated memberships are counted and noted."""
    r = dated([
        ("P1", "ann", "A", D(2025, 1, 5), D(2025, 2, 1)), ("P1", "bob", "B", D(2025, 1, 5), D(2025, 2, 1)),
        ("P2", "cid", "A", D(2025, 10, 1), D(2025, 11, 1)), ("P3", "dan", "C", None, None),
    ])  # fmt: skip
    results = analyse_periods(r, period="quarter", n_permutations=9)
    assert [p.period for p in results] == ["2025-Q1", "2025-Q4"]
    assert all("dan" in p.analysis.people["person"].to_list() for p in results)
    assert results[0].analysis.meta["period"]["undated_memberships"] == 1
    assert results[0].analysis.meta["methods"]["ei_permutations"] == 9
    note = undated_note(r)
    assert note is not None and "counts in every period" in note.message and results[1].analysis.problems == (note,)


def test_pseudonyms_are_stable_across_periods():
    """A person keeps one pseudonym in every period (one salt for the whole roster)."""
    r = dated([("P1", "ann", "A", D(2025, 1, 5), D(2025, 12, 1)), ("P2", "bob", "B", D(2025, 1, 5), None),
               ("P3", "ann", "A", D(2025, 7, 1), None)])  # fmt: skip
    results = analyse_periods(r, period="half", privacy="pseudonyms", min_group_size=1, n_permutations=9)
    codes = [set(p.analysis.people["person"].to_list()) for p in results]
    assert len(results) == 2 and codes[0] == codes[1] and "ann" not in codes[0]


def test_trend_tables_have_one_row_per_period_and_unit():
    """The summary table has a row per period and the unit table a row per period and unit."""
    r = dated([("P1", "ann", "A", D(2025, 1, 5), D(2025, 2, 1)), ("P1", "bob", "B", D(2025, 1, 5), D(2025, 2, 1)),
               ("P2", "cid", "A", D(2025, 4, 1), None), ("P2", "dan", "A", D(2025, 4, 1), None)])  # fmt: skip
    tables = trend_tables(analyse_periods(r, n_permutations=9))
    assert tables["summary"].select("period", "ei_index").rows() == [("2025-Q1", 1.0), ("2025-Q2", -1.0)]
    units = tables["units"].select("period", "unit", "ei_index").rows()
    assert ("2025-Q2", "A", -1.0) in units and ("2025-Q1", "B", 1.0) in units


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(spans=st.lists(st.tuples(dates, dates), min_size=1, max_size=8), period=st.sampled_from(list(PERIODS)))
def test_each_membership_in_exactly_the_periods_it_spans(spans, period):
    """A dated membership from month a to month b appears in exactly the periods covering a..b."""
    rows = [(f"P{i}", f"p{i}", "A", min(s, e), max(s, e)) for i, (s, e) in enumerate(spans)]
    r = dated(rows)
    bounds = period_bounds(r, period)
    step = PERIODS[period]
    for _, person, _, start, end in rows:
        seen = sum(person in slice_roster(r, lo, hi).memberships["person"].to_list() for _, lo, hi in bounds)
        expected = (end.year * 12 + end.month - 1) // step - (start.year * 12 + start.month - 1) // step + 1
        assert seen == expected


def test_sample_opening_administration_rises_from_2025_to_2026():
    """On the shipped sample (level 1, years), Socialförvaltningen's E-I rises from 2025 to 2026."""
    results = analyse_periods(read_roster(SAMPLE_ROSTER), period="year", level=1)
    assert [p.period for p in results] == ["2025", "2026"]
    ei = [p.analysis.units.filter(pl.col("unit") == OPENING_ADMINISTRATION)["ei_index"].item() for p in results]
    assert ei[1] - ei[0] > 0.5, ei
