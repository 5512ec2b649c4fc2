"""Tests of analyser.changes: started/stopped unit pairs, E-I moves and their test, sole bridges."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.shared_data import SAMPLE_ROSTER

from analyser.analysis import analyse
from analyser.changes import CHANGE_KEYS, compare, ei_change_test
from analyser.ingest import read_roster
from analyser.periods import analyse_periods
from analyser.roster import Roster
from analyser.sample import OPENING_ADMINISTRATION, SILO_ADMINISTRATION

D = dt.date
H1, H2 = (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))

# Planted change. First half: ann (A) alone links A and C; A and B never meet.
# Second half: A and B work together in two projects (ann-bob, cid-dan), C works with nobody
# outside, so A-C stops, A-B starts, ann is no longer a sole bridge and nobody carries A-B alone.
PLANTED = [
    ("P1", "ann", "A", *H1), ("P1", "eva", "C", *H1),
    ("P2", "cid", "A", *H1), ("P2", "ann", "A", *H1),
    ("P3", "bob", "B", *H1), ("P3", "dan", "B", *H1),
    ("P4", "ann", "A", *H2), ("P4", "bob", "B", *H2),
    ("P5", "cid", "A", *H2), ("P5", "dan", "B", *H2),
    ("P6", "eva", "C", *H2), ("P6", "fay", "C", *H2),
]  # fmt: skip


def planted_periods(**options):
    roster = Roster.from_rows(PLANTED, columns=("project", "person", "unit", "start", "end"), source="planted.csv")
    return [p.analysis for p in analyse_periods(roster, period="half", n_permutations=9, **options)]


def test_planted_change_is_found():
    """Between the halves A-B starts, A-C stops and ann's sole bridge on A-C is lost."""
    before, after = planted_periods()
    c = compare(before, after)
    assert tuple(c) == CHANGE_KEYS
    assert (c["from"], c["to"]) == ("2025-H1", "2025-H2")
    assert c["unit_pairs_started"] == [["A", "B"]]
    assert c["unit_pairs_stopped"] == [["A", "C"]]
    assert c["sole_bridges_lost"] == [
        {"unit_a": "A", "unit_b": "C", "person": "ann"},
        {"unit_a": "A", "unit_b": "C", "person": "eva"},
    ]
    assert c["sole_bridges_new"] == []
    moves = {m["unit"]: m for m in c["ei_moves"]}
    # C: one external tie before (E-I 1), one internal after (E-I -1)
    assert (moves["C"]["ei_before"], moves["C"]["ei_after"], moves["C"]["change"]) == (1.0, -1.0, -2.0)
    assert not moves["C"]["significant"]  # one project per half cannot show a significant move


def test_aggregate_mode_lists_unit_pairs_without_people():
    """In aggregate mode sole bridges are unit pairs only: no person key anywhere."""
    before, after = planted_periods(privacy="aggregate", min_group_size=1)
    c = compare(before, after)
    assert c["sole_bridges_lost"] == [{"unit_a": "A", "unit_b": "C"}]
    assert all("person" not in s for s in c["sole_bridges_new"] + c["sole_bridges_lost"])


def test_pseudonym_mode_uses_codes():
    """In pseudonyms mode sole bridges carry codes, not names."""
    before, after = planted_periods(privacy="pseudonyms", min_group_size=1)
    lost = compare(before, after)["sole_bridges_lost"]
    assert len(lost) == 2 and all(s["person"].startswith("P-") for s in lost)


def test_suppressed_units_are_left_out():
    """Pairs with a unit withheld for its size (C has 1-2 people) are not listed."""
    before, after = planted_periods(privacy="aggregate", min_group_size=3)
    c = compare(before, after)
    assert c["unit_pairs_stopped"] == [] and c["sole_bridges_lost"] == []
    assert {m["unit"]: m["ei_after"] for m in c["ei_moves"]}["C"] is None


def test_different_privacy_modes_cannot_be_compared():
    """Comparing a names analysis with an aggregate one is refused."""
    r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")])
    with pytest.raises(ValueError, match="same privacy mode"):
        compare(analyse(r, n_permutations=9), analyse(r, privacy="aggregate", n_permutations=9))


def test_ei_change_test_hand_worked():
    """Shares 0.2 then 0.6 from 25 projects each: pooled 0.4, se sqrt(.24 * 2/25), z ≈ 2.887."""
    z, p = ei_change_test(80, 20, 25, 40, 60, 25)
    assert z == pytest.approx(0.4 / math.sqrt(0.24 * 2 / 25))
    assert p == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert p < 0.01
    assert all(math.isnan(v) for v in ei_change_test(5, 0, 3, 7, 0, 4))  # no external tie in either
    assert all(math.isnan(v) for v in ei_change_test(5, 5, 0, 7, 1, 4))  # no projects


@given(
    counts=st.tuples(*[st.integers(0, 200)] * 2, st.integers(1, 50), *[st.integers(0, 200)] * 2, st.integers(1, 50))
)
def test_ei_change_test_is_antisymmetric(counts):
    """Swapping the periods flips z and keeps p; p lies in [0, 1]."""
    z, p = ei_change_test(*counts)
    z2, p2 = ei_change_test(*counts[3:], *counts[:3])
    if math.isnan(z):
        assert math.isnan(z2)
    else:
        assert z2 == pytest.approx(-z) and p2 == pytest.approx(p) and 0 <= p <= 1


def test_sample_opening_administration_moves_significantly():
    """On the sample (level 1, years) Socialförvaltningen's E-I rise is significant; Tekniska's is not."""
    before, after = (p.analysis for p in analyse_periods(read_roster(SAMPLE_ROSTER), period="year", level=1))
    moves = {m["unit"]: m for m in compare(before, after)["ei_moves"]}
    assert moves[OPENING_ADMINISTRATION]["change"] > 0.5 and moves[OPENING_ADMINISTRATION]["significant"]
    assert not moves[SILO_ADMINISTRATION]["significant"]
