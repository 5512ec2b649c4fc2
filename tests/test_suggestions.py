"""Tests of analyser.suggestions: unit pairs that should meet, and who could link them."""

from __future__ import annotations

import pytest

from analyser.analysis import analyse
from analyser.network import build_network
from analyser.roster import Roster
from analyser.suggestions import (
    CANDIDATE_SCHEMA,
    SUGGESTION_SCHEMA,
    bridge_candidates,
    suggest_links,
)

# Planted: A and B never meet, but both work with C and with D; C and D never meet either,
# but both work with A and B. E works only with A. Units A and B have a second member each.
#   P1 ann(A) cid(C)   P2 bob(B) cid(C)   P3 ada(A) dan(D)   P4 bea(B) dan(D)
#   P5 ann(A) ada(A)   P6 eve(E) ann(A)
PLANTED = [
    ("P1", "ann", "A"), ("P1", "cid", "C"), ("P2", "bob", "B"), ("P2", "cid", "C"),
    ("P3", "ada", "A"), ("P3", "dan", "D"), ("P4", "bea", "B"), ("P4", "dan", "D"),
    ("P5", "ann", "A"), ("P5", "ada", "A"), ("P6", "eve", "E"), ("P6", "ann", "A"),
]  # fmt: skip


@pytest.fixture
def planted() -> Roster:
    return Roster.from_rows(PLANTED, source="planted.csv")


def test_suggested_pairs_rank_by_shared_partners(planted):
    """A-B and C-D share two partners each (Jaccard 2/3 and 1); E's pairs share one."""
    table = suggest_links(analyse(planted, n_permutations=9), top=None)
    assert table.schema == SUGGESTION_SCHEMA
    rows = table.select("unit_a", "unit_b", "shared_partners", "jaccard").rows()
    assert rows[:2] == [("C", "D", 2, 1.0), ("A", "B", 2, pytest.approx(2 / 3))]
    assert {r[:2] for r in rows[2:]} == {("C", "E"), ("D", "E")}  # both share partner A with E
    assert ("A", "C") not in {r[:2] for r in rows}  # already tied
    assert table.filter(unit_a="A", unit_b="B")["reason"].item() == "both work with C and D, but not with each other"


def test_top_limits_rows(planted):
    """top=1 keeps the best pair only."""
    assert suggest_links(analyse(planted, n_permutations=9), top=1).height == 1


def test_bridge_candidates_for_a_planted_pair(planted):
    """cid and dan are tied to both A and B; ann and ada are one step away through them."""
    table = bridge_candidates(planted, [("A", "B")], per_pair=10)
    assert table.schema == CANDIDATE_SCHEMA
    rows = table.select("rank", "person", "kind", "ties_a", "ties_b", "via").rows()
    assert rows[:2] == [(1, "cid", "tied to both", 1, 1, 0), (2, "dan", "tied to both", 1, 1, 0)]
    one_step = {r[1]: r for r in rows[2:]}
    assert set(one_step) == {"ann", "ada", "bob", "bea"}
    assert all(r[2] == "one step away" and r[5] == 1 for r in one_step.values())
    assert "eve" not in table["person"].to_list()  # eve touches A only; her collaborator ann does not touch B
    reasons = dict(table.select("person", "reason").iter_rows())
    assert reasons["cid"] == "works with 1 person in A and 1 in B"
    assert reasons["ann"] == "in A; 1 of their collaborators works with B"


def test_candidates_accept_the_suggestion_table(planted):
    """The output of suggest_links can be passed straight in; per_pair caps each pair."""
    suggestions = suggest_links(analyse(planted, n_permutations=9))
    table = bridge_candidates(planted, suggestions, per_pair=2)
    assert table.group_by("unit_a", "unit_b").len()["len"].max() == 2
    assert {("A", "B"), ("C", "D")} <= set(table.select("unit_a", "unit_b").iter_rows())


def test_privacy_modes(planted):
    """Aggregate gives no people; pseudonyms give the report's codes; small units are hidden."""
    assert bridge_candidates(planted, [("A", "B")], privacy="aggregate").is_empty()
    codes = set(analyse(planted, privacy="pseudonyms", min_group_size=1, n_permutations=9).people["person"].to_list())
    shown = bridge_candidates(planted, [("A", "B")], privacy="pseudonyms", min_group_size=1)["person"].to_list()
    assert shown and set(shown) <= codes
    small = bridge_candidates(planted, [("A", "B")], privacy="pseudonyms", min_group_size=2)
    assert "C" not in small["unit"].to_list() and "(small unit)" in small["unit"].to_list()
    assert bridge_candidates(planted, [("C", "D")], privacy="pseudonyms", min_group_size=2).is_empty()
    with pytest.raises(ValueError, match="salt"):
        bridge_candidates(build_network(planted), [("A", "B")], privacy="pseudonyms")


def test_suppressed_units_are_not_suggested(planted):
    """With min_group_size 2, the one-person units C, D and E are withheld and not suggested."""
    table = suggest_links(analyse(planted, privacy="aggregate", min_group_size=2, n_permutations=9), top=None)
    assert table.is_empty()


def test_unknown_units_give_no_rows(planted):
    """A pair naming a unit that does not exist is skipped."""
    assert bridge_candidates(planted, [("A", "nope")]).is_empty()
