"""Tests of analyser.whatif: plan files, applying plans, before/after figures worked by hand."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.roster import Roster, RosterError
from analyser.whatif import FIGURES, Plan, apply_plan, read_plan, whatif, whatif_json


def test_hand_worked_plan_on_tiny_roster(tiny_roster):
    """gus (D, no ties) joins ann (A) in a new project: A-D covered, one more key-person pair.

    Before: 8 ties, pairs A-B A-C B-C covered (3 of 6), all three hang on one person;
    degrees A 9, B 5, C 2, D 0, Q = 4/8 − (81 + 25 + 4)/256 = 18/256.
    After: ann-gus added, A 3 internal / 4 external (E-I 1/7), D E-I 1, A-D covered by one
    tie (4 of 6, 4 key-person pairs); degrees A 10, B 5, C 2, D 1, Q = 4/9 − 130/324 = 14/324.
    """
    result = whatif(tiny_roster, [Plan("New", people=("gus", "ann"))])
    before, after, change = result.before, result.after, result.change
    assert (before["unit_pairs"], before["unit_pairs_covered"], before["key_person_pairs"]) == (6, 3, 3)
    assert (after["unit_pairs_covered"], after["key_person_pairs"]) == (4, 4)
    assert before["unit_pair_coverage"] == pytest.approx(0.5) and after["unit_pair_coverage"] == pytest.approx(4 / 6)
    assert before["modularity"] == pytest.approx(18 / 256) and after["modularity"] == pytest.approx(14 / 324)
    assert change["modularity"] == pytest.approx(14 / 324 - 18 / 256)
    assert change["key_person_pairs"] == 1 and set(change) == set(FIGURES)
    units = {r["unit"]: r for r in result.units.iter_rows(named=True)}
    assert units["A"]["ei_before"] == 0.0 and units["A"]["ei_after"] == pytest.approx(1 / 7)
    assert units["D"]["ei_before"] is None and units["D"]["ei_after"] == 1.0 and units["D"]["change"] is None
    assert result.unit_pairs_covered_new == (("A", "D"),) and result.key_person_pairs_new == (("A", "D"),)


def test_counts_become_placeholders_and_roster_is_untouched(tiny_roster):
    """Counts add `planned: U #n` people, numbered across plans; the input roster is unchanged."""
    before = tiny_roster.memberships.clone()
    after = apply_plan(tiny_roster, [Plan("X", units={"D": 2}), Plan("Y", units={"D": 1, "C": 1})])
    added = after.memberships.filter(pl.col("role") == "planned").select("project", "person", "unit").rows()
    assert added == [("X", "planned: D #1", "D"), ("X", "planned: D #2", "D"),
                     ("Y", "planned: D #3", "D"), ("Y", "planned: C #1", "C")]  # fmt: skip
    assert tiny_roster.memberships.equals(before)


def test_counts_remove_a_key_person_risk(tiny_roster):
    """Two people of A and one of C in a project: A-C gets two more carriers, no longer one person's."""
    result = whatif(tiny_roster, [Plan("More A-C", units={"A": 2, "C": 1})])
    assert result.key_person_pairs_removed == (("A", "C"),)
    assert result.change["key_person_pairs"] == -1 and result.change["unit_pairs_covered"] == 0


def test_unknown_people_and_units_point_at_the_plan_line(tmp_path, tiny_roster):
    """Unknown names are errors at their plan file line, with the closest roster spelling."""
    plan = tmp_path / "plan.csv"
    plan.write_text("project,person,unit,count\nNew,anne,,\nNew,,Z,2\n", encoding="utf-8")
    with pytest.raises(RosterError) as info:
        apply_plan(tiny_roster, read_plan(plan))
    text = str(info.value)
    assert "plan.csv:2: person: person 'anne' is not in the roster tiny.csv; did you mean 'ann'?" in text
    assert "plan.csv:3: unit: unit 'Z'" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("project,person\n,ann\n", "plan.csv:2: project: the project name is empty"),
        ("project,unit,count\nNew,A,two\n", "plan.csv:2: count: 'two' is not a whole number"),
        ("project,unit,count\nNew,A,0\n", "the count must be 1 or more"),
        ("project,person,unit,count\nNew,ann,A,2\n", "either a person or a unit with a count"),
        ("project,unit,count\nNew,A,\n", "the count is empty"),
        ("name;who\nNew;ann\n", "plan.csv:1: the header must be"),
        ("project,person\n", "lists no projects"),
    ],
)
def test_bad_csv_plans(tmp_path, content, message):
    """Each malformed CSV plan gives a RosterError naming file, line and column."""
    plan = tmp_path / "plan.csv"
    plan.write_text(content, encoding="utf-8")
    with pytest.raises(RosterError, match=message):
        read_plan(plan)


def test_csv_and_json_plans_read_the_same(tmp_path):
    """A semicolon CSV and the JSON form describe the same plan."""
    csv_plan = tmp_path / "plan.csv"
    csv_plan.write_text("Projekt;Namn;Enhet;Antal\nNew;ann;;\nNew;;B;2\nOther;bob;;\n", encoding="utf-8")
    json_plan = tmp_path / "plan.json"
    json_plan.write_text(json.dumps({"projects": [{"name": "New", "people": ["ann"], "units": {"B": 2}},
                                                  {"name": "Other", "people": ["bob"]}]}), encoding="utf-8")  # fmt: skip
    assert read_plan(csv_plan) == read_plan(json_plan)
    assert [(p.name, p.people, dict(p.units)) for p in read_plan(json_plan)] == [("New", ("ann",), {"B": 2}), ("Other", ("bob",), {})]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"projects": {}}', "expected"),
        ('{"projects": [{"people": ["ann"]}]}', r"projects\[0\].name"),
        ('{"projects": [{"name": "X", "units": {"A": -1}}]}', "whole number of 1 or more"),
        ('{"projects": [{"name": "X"}, {"name": "X"}]}', "planned twice"),
    ],
)
def test_bad_json_plans(tmp_path, data, message):
    """Malformed JSON plans are RosterErrors that say where."""
    plan = tmp_path / "plan.json"
    plan.write_text(data, encoding="utf-8")
    with pytest.raises(RosterError, match=message):
        read_plan(plan)


def test_upper_level_units_need_a_matching_level():
    """A count for an upper-level unit works at that level and is refused below it."""
    r = Roster.from_rows([("P1", "ann", "A/x"), ("P1", "bob", "A/y"), ("P2", "cid", "B/z")])
    plans = [Plan("New", units={"A": 1}, people=("cid",))]
    assert whatif(r, plans, level=1).after["unit_pairs_covered"] == 1
    with pytest.raises(RosterError, match="upper-level unit; analyse at level 1"):
        whatif(r, plans)


def test_privacy_modes(tiny_roster):
    """Pseudonyms show codes, aggregate no people; small units' E-I is withheld."""
    plans = [Plan("New", people=("gus", "ann"))]
    pseudo = whatif(tiny_roster, plans, privacy="pseudonyms", min_group_size=1)
    assert all(p.startswith("P-") for p in pseudo.plans[0].people)
    aggregate = whatif(tiny_roster, plans, privacy="aggregate", min_group_size=3)
    assert aggregate.plans[0].people is None and "people" not in whatif_json(aggregate)["plans"][0]
    units = {r["unit"]: r for r in aggregate.units.iter_rows(named=True)}
    assert units["D"]["ei_after"] is None and units["A"]["ei_after"] is not None
    assert ("A", "D") not in aggregate.unit_pairs_covered_new


def test_whatif_json_is_plain_json(tiny_roster):
    """The JSON form has every key and survives json.dumps without NaN."""
    data = whatif_json(whatif(tiny_roster, [Plan("New", units={"D": 1, "A": 1})]))
    assert {"plans", "before", "after", "change", "units", "notes", "options"} <= set(data)
    json.dumps(data, allow_nan=False)
    assert data["units"][0]["unit"] == "A"


names = st.sampled_from(["ann", "bob", "cid", "dan", "eva", "fay", "gus"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(names, min_size=1, max_size=4, unique=True), counts=st.dictionaries(st.sampled_from("ABCD"), st.integers(1, 3)))
def test_plans_never_lose_coverage(tiny_roster, people, counts):
    """Adding memberships only adds ties, so covered unit pairs never decrease."""
    result = whatif(tiny_roster, [Plan("New", people=tuple(people), units=counts)])
    assert result.after["unit_pairs_covered"] >= result.before["unit_pairs_covered"]


def test_known_before_figures_give_the_same_result():
    """Passing the figures without the plan (as the dashboard does, from its cached network)
    changes nothing; network_figures_of a built network equals network_figures of the roster."""
    from polars.testing import assert_frame_equal

    from analyser.network import build_network
    from analyser.sample import generate_roster
    from analyser.whatif import network_figures, network_figures_of

    roster = Roster.from_frame(generate_roster(people=300, projects=60, seed=5))
    people = tuple(roster.memberships["person"].unique().sort().head(4).to_list())
    plans = [Plan("Tvärprojekt", people=people, units={roster.memberships["unit"][0].split("/")[0]: 2})]
    units, figures, pairs = network_figures(roster, level=1)
    units_of, figures_of, pairs_of = network_figures_of(build_network(roster, level=1))
    assert_frame_equal(units, units_of)
    assert figures == figures_of and pairs == pairs_of
    fresh = whatif(roster, plans, level=1)
    known = whatif(roster, plans, level=1, before=(units, figures, pairs))
    assert_frame_equal(fresh.units, known.units)
    assert fresh == known  # every field but the unit table, compared above
    assert fresh.after["unit_pairs_covered"] >= fresh.before["unit_pairs_covered"]


def test_result_is_typed_with_structured_notes(tiny_roster):
    """Issue 13 item 4: whatif returns a frozen WhatIfResult whose notes are catalogue keys
    with values, written in the caller's language; nothing needs to match English text."""
    import dataclasses

    from analyser.whatif import NOTE_EXISTING, NOTE_METHOD, NOTE_PLACEHOLDERS, NOTE_WITHHELD, Note, WhatIfResult

    result = whatif(tiny_roster, [Plan("P1", people=("gus",), units={"A": 1})], privacy="pseudonyms", min_group_size=3)
    assert isinstance(result, WhatIfResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.notes = ()  # type: ignore[misc]
    assert all(isinstance(n, Note) for n in result.notes)
    keys = [n.key for n in result.notes]
    assert keys[:2] == [NOTE_PLACEHOLDERS, NOTE_METHOD]
    assert result.has_note(NOTE_WITHHELD) and result.has_note(NOTE_EXISTING)
    existing = next(n for n in result.notes if n.key == NOTE_EXISTING)
    assert existing.values == {"name": "P1"}
    assert existing.text("en") == "\u201cP1\u201d is an existing project: the plan adds members to it."
    assert existing.text("sv") == "\u201dP1\u201d är ett befintligt projekt: planen lägger till deltagare i det."
    withheld = next(n for n in result.notes if n.key.startswith(NOTE_WITHHELD))
    assert withheld.values["k"] == 3 and withheld.key == f"{NOTE_WITHHELD}_{'one' if withheld.values['n'] == 1 else 'other'}"
    named_only = whatif(tiny_roster, [Plan("New", people=("gus",))])
    assert not named_only.has_note(NOTE_EXISTING) and not named_only.has_note(NOTE_PLACEHOLDERS)


def test_json_keeps_the_contract_field_names(tiny_roster):
    """The JSON form keeps the keys, shapes and English notes of the dict it replaced."""
    result = whatif(tiny_roster, [Plan("P1", people=("gus", "ann"))])
    data = whatif_json(result)
    assert list(data) == ["plans", "before", "after", "change", "units", "unit_pairs_covered_new",
                          "key_person_pairs_new", "key_person_pairs_removed", "notes", "options"]  # fmt: skip
    assert data["plans"] == [{"name": "P1", "members": 2, "units": {}, "people": ["gus", "ann"]}]
    assert data["unit_pairs_covered_new"] == [["A", "D"]] and data["key_person_pairs_removed"] == []
    assert all(isinstance(n, str) for n in data["notes"])
    assert any("existing project" in n for n in data["notes"])
    assert data == json.loads(json.dumps(data, allow_nan=False))
