"""The Plan page's builders and callback bodies, called as plain functions on the shipped sample."""

from __future__ import annotations

import re

import polars as pl
import pytest

from analyser.roster import Roster
from dashboard.settings import Settings
from dashboard.pages import plan
from tests.dashboard.component_text import texts


def _by_id(parts: list, wanted: str):
    """The component with id ``wanted`` among ``parts``."""
    return next(p for p in parts if getattr(p, "id", None) == wanted)


def _table_rows(table) -> list[list[str]]:
    """Cell texts of a small_table, row by row."""
    body = table.children[1]
    return [[texts(cell) for cell in row.children] for row in body.children]


@pytest.fixture(scope="module")
def roster(sample_data, sample_id) -> Roster:
    """The stored sample roster."""
    return sample_data.roster(sample_id)


@pytest.fixture(scope="module")
def names(roster) -> set[str]:
    """Every person of the sample."""
    return set(roster.memberships["person"].to_list())


def _two_strangers(roster: Roster) -> list[str]:
    """Two people from different level-1 units who share no project."""
    m = roster.at_level(1)
    first = m.row(0, named=True)
    theirs = set(m.filter(pl.col("person") == first["person"])["project"].to_list())
    partners = set(m.filter(pl.col("project").is_in(list(theirs)))["person"].to_list())
    other = m.filter((pl.col("unit") != first["unit"]) & ~pl.col("person").is_in(list(partners)))["person"][0]
    return [first["person"], other]


# -- the form --------------------------------------------------------------------------------


def test_person_search_names_mode(roster):
    """Typing part of a name offers matching people with their unit, at most the limit."""
    options = plan.person_options(roster, "names", b"s", "anna", None)
    assert options and all("anna" in o["label"].lower() and "(" in o["label"] for o in options)
    assert len(plan.person_options(roster, "names", b"s", "", None)) == plan.PERSON_OPTION_LIMIT


def test_person_search_keeps_chosen_people(roster):
    """People already chosen stay offered whatever is typed."""
    chosen = [roster.memberships["person"][0]]
    assert [o["value"] for o in plan.person_options(roster, "names", b"s", "zzzz", chosen)] == chosen


def test_person_search_pseudonyms_and_aggregate(roster, names, sample_data, sample_id):
    """Pseudonym mode sends only codes to the browser; aggregate mode offers nobody."""
    options = plan.person_options(roster, "pseudonyms", sample_data.salt(sample_id), "", None, limit=10_000)
    assert len(options) == len(names) and all(o["value"].startswith("P-") and o["label"] == o["value"] for o in options)
    assert plan.person_options(roster, "aggregate", b"s", "", None) == []


def test_codes_are_turned_back_into_people(roster, sample_data, sample_id):
    """A plan made of codes names the roster people behind them, on the server."""
    salt = sample_data.salt(sample_id)
    two = _two_strangers(roster)
    codes = [o["value"] for o in plan.person_options(roster, "pseudonyms", salt, "", None, limit=10_000)]
    from analyser.privacy import pseudonym

    chosen = [pseudonym(p, salt) for p in two]
    assert set(chosen) <= set(codes)
    made = plan.plan_from_inputs("P", chosen, [], roster=roster, privacy="pseudonyms", salt=salt)
    assert set(made.people) == set(two)


def test_aggregate_plan_takes_counts_only(roster):
    """In aggregate mode chosen people are ignored; counts make the plan."""
    rows = [{"unit": "Socialförvaltningen", "count": 2}, {"unit": "Miljöförvaltningen", "count": "x"}]
    made = plan.plan_from_inputs("", ["someone"], rows, roster=roster, privacy="aggregate", salt=b"", lang="sv")
    assert made.people == () and dict(made.units) == {"Socialförvaltningen": 2} and made.name == "Planerat projekt"


def test_form_lists_units_of_the_level_and_disables_people_in_aggregate(roster):
    """The count grid has one row per unit at the level; aggregate mode turns off naming people."""
    rows, defs, disabled, value, people_note = plan.plan_form(roster, Settings("d", 1, "aggregate"), "en")
    assert len(rows) == 8 and all(r["count"] == 0 for r in rows)
    assert [d["field"] for d in defs] == ["unit", "count"] and defs[1]["editable"] is True
    assert disabled is True and value == [] and "Aggregate mode names nobody" in texts(people_note)
    assert len(plan.plan_form(roster, Settings("d", 2, "names"), "en")[0]) > 8


# -- apply -----------------------------------------------------------------------------------


def test_apply_shows_before_and_after_without_touching_the_store(sample_data, sample_id, settings_for, roster):
    """Two people from units that never meet cover a new unit pair; the stored data is unchanged."""
    s = settings_for()
    before_summary = dict(sample_data.analysis(s).summary)
    before_rows = roster.memberships.height
    fingerprint = sample_data.store.info(sample_id).fingerprint
    parts = plan.apply_view(roster, s, sample_data.salt(sample_id), "Trygg hemgång 2", _two_strangers(roster), [], "en")
    assert "Before and after \u201cTrygg hemgång 2\u201d (2 members)" in texts(parts)
    figures = _table_rows(_by_id(parts, "plan-figures"))
    assert [r[0] for r in figures] == ["Organisation E-I index", "Modularity", "Unit pairs working together",
                                       "Share of unit pairs working together", "Unit pairs hanging on one person"]  # fmt: skip
    assert all(len(r) == 4 for r in figures)
    assert len(_table_rows(_by_id(parts, "plan-units"))) == 8
    assert sample_data.store.load(sample_id).memberships.height == before_rows == roster.memberships.height
    assert sample_data.store.info(sample_id).fingerprint == fingerprint
    assert sample_data.analysis(s).summary == before_summary


def test_apply_counts_change_unit_sizes(sample_data, sample_id, settings_for, roster):
    """Three placeholder people from a unit raise its people after by three."""
    rows = plan.unit_count_rows(roster, 1)
    target = next(r for r in rows if r["unit"] == "Socialförvaltningen")
    target["count"] = 3
    parts = plan.apply_view(roster, settings_for(), sample_data.salt(sample_id), "", [roster.memberships["person"][0]], rows, "en")
    units = {r[0]: r for r in _table_rows(_by_id(parts, "plan-units"))}
    assert int(units["Socialförvaltningen"][2]) == int(units["Socialförvaltningen"][1]) + 3


def test_apply_in_aggregate_mode_names_nobody(sample_data, sample_id, settings_for, roster, names):
    """A counts-only plan in aggregate mode shows figures and no person."""
    rows = [{"unit": "Socialförvaltningen", "count": 2}, {"unit": "Tekniska förvaltningen", "count": 2}]
    parts = plan.apply_view(roster, settings_for("aggregate"), sample_data.salt(sample_id), "", [], rows, "en")
    text = texts(parts)
    assert "plan-figures" in {getattr(p, "id", None) for p in parts}
    assert not [n for n in names if n in text]


def test_apply_without_members_or_with_unknown_person(sample_data, sample_id, settings_for, roster):
    """An empty plan asks for members; an unknown person is reported, not raised."""
    empty = plan.apply_view(roster, settings_for(), b"", "X", [], [{"unit": "Socialförvaltningen", "count": 0}], "en")
    assert "Add at least one person" in texts(empty)
    unknown = plan.apply_view(roster, settings_for(), sample_data.salt(sample_id), "X", ["Nobody Atall"], [], "sv")
    assert "Planen kan inte tillämpas" in texts(unknown) and "Nobody Atall" in texts(unknown)
    assert "No dataset" in texts(plan.apply_view(None, settings_for(), b"", "X", ["a"], [], "en"))


def test_plan_in_swedish(sample_data, sample_id, settings_for, roster):
    """The before/after reads Swedish."""
    parts = plan.apply_view(roster, settings_for(), sample_data.salt(sample_id), "", _two_strangers(roster), [], "sv")
    assert "Före och efter \u201dPlanerat projekt\u201d (2 deltagare)" in texts(parts)
    assert "Organisationens E-I-index" in texts(parts)


# -- suggestions -----------------------------------------------------------------------------


def test_suggestions_give_pairs_reasons_and_candidates(sample_data, sample_id, settings_for):
    """Pairs that never work together come with a reason and named bridge candidates."""
    s = settings_for(level=2)
    parts = plan.suggestions_view(sample_data.analysis(s), sample_data.network(sample_id, 2, None), s,
                                  sample_data.salt(sample_id), "en")  # fmt: skip
    pairs = _table_rows(_by_id(parts, "suggestions-pairs"))
    assert pairs and all("but not with each other" in r[3] for r in pairs)
    candidates = _table_rows(_by_id(parts, "suggestions-candidates-0"))
    assert candidates and {r[2] for r in candidates} <= {"tied to both", "one step away"}


def test_suggestions_in_aggregate_mode_name_nobody(sample_data, sample_id, settings_for, names):
    """Aggregate mode lists unit pairs and says why no candidates are shown."""
    s = settings_for("aggregate", level=2)
    parts = plan.suggestions_view(sample_data.analysis(s), sample_data.network(sample_id, 2, None), s,
                                  sample_data.salt(sample_id), "en")  # fmt: skip
    text = texts(parts)
    assert "suggestions-pairs" in {getattr(p, "id", None) for p in parts}
    assert "no bridge candidates" in text and not [n for n in names if n in text]


def test_suggestions_in_pseudonym_mode_show_codes(sample_data, sample_id, settings_for):
    """Pseudonym mode names candidates by code."""
    s = settings_for("pseudonyms", level=2)
    parts = plan.suggestions_view(sample_data.analysis(s), sample_data.network(sample_id, 2, None), s,
                                  sample_data.salt(sample_id), "sv")  # fmt: skip
    people = [r[0] for r in _table_rows(_by_id(parts, "suggestions-candidates-0"))]
    assert people and all(p.startswith("P-") for p in people)
    assert "men inte med varandra" in texts(parts)


def test_candidate_reasons_cover_each_case():
    """Reasons name the person's side and the far side for each kind of candidate."""
    base = {"unit_a": "A", "unit_b": "B", "ties_a": 2, "ties_b": 1, "via": 0}
    assert plan.candidate_reason({**base, "unit": "B", "kind": "tied to both"}, "en") == "in B; collaborators in A: 2"
    step = {**base, "unit": "C", "kind": "one step away", "ties_b": 0, "via": 4}
    assert plan.candidate_reason(step, "sv") == "samarbetspartner i A: 2; samarbetspartner som arbetar med B: 4"


def test_cached_person_choices_give_the_same_offers(roster, sample_data, sample_id):
    """Searching a precomputed choice list offers exactly what a search of the roster does."""
    salt = sample_data.salt(sample_id)
    chosen = [roster.memberships["person"][3]]
    for privacy in ("names", "pseudonyms", "aggregate"):
        choices = plan.person_choices(roster, privacy, salt)
        for search in ("", "an", "P-1", "zzz"):
            assert plan.person_options(roster, privacy, salt, search, chosen, choices=choices) == \
                plan.person_options(roster, privacy, salt, search, chosen)
    assert plan.person_choices(roster, "aggregate", salt).is_empty()


# -- departures and key people (issue 14) ----------------------------------------------------


def test_departures_view_shows_lost_pairs_in_both_languages(roster):
    """Before/after figures and the lost pairs of the most connected person; Swedish words too."""
    from analyser.departures import departures, key_players

    top = key_players(roster, 1)[0]["people"][0]
    result = departures(roster, [top], level=1)
    for lang, word in (("en", "Before"), ("sv", "Före")):
        parts = plan.departures_view(result, lang)
        summary = _by_id(parts, "departures-summary")
        assert word in texts(summary) and len(summary.children[1].children) == len(plan.DEPARTURE_FIGURES)
    assert "Choose one or more" in texts(plan.departures_view(None, "en"))


def test_leaving_codes_are_turned_back_into_people(roster):
    """Pseudonym codes chosen in the page become roster names for the recount; nothing else does."""
    from analyser.privacy import pseudonym

    person = roster.memberships["person"][0]
    assert plan.leaving_names(roster, "pseudonyms", b"s", [pseudonym(person, b"s"), person]) == [person]
    assert plan.leaving_names(roster, "names", b"s", [person, "nobody at all"]) == [person]
    assert plan.leaving_names(roster, "aggregate", b"s", [person]) == []


def test_key_players_view_in_aggregate_mode_names_nobody(roster, names):
    """Aggregate key people are counts per unit: no name in the table."""
    from analyser.departures import key_players

    sets = key_players(roster, 3, level=1, privacy="aggregate")
    shown = texts(plan.key_players_view(sets, "en"))
    assert not any(n in shown for n in names) and "Cross-unit ties lost" in shown


# -- what the before/after says (issue 10 point 5, issue 13 item 4) ----------------------------


def _result(**changes):
    """A hand-made what-if result: a small modularity change, a nil E-I change, units both ways."""
    from analyser.whatif import FIGURES, Note, PlannedProject, WhatIfResult

    before = {"ei_index": 0.25, "modularity": 0.0221, "unit_pairs": 3, "unit_pairs_covered": 2,
              "unit_pair_coverage": 2 / 3, "key_person_pairs": 1}  # fmt: skip
    after = {**before, "modularity": 0.0225, "key_person_pairs": 2}
    units = pl.DataFrame({"unit": ["A", "B", "C", "D"], "people_before": [4, 3, 1200, 9], "people_after": [5, 3, 1200, 9],
                          "ei_before": [0.5, -0.2, 0.1, -0.9024], "ei_after": [0.4, -0.1996, 0.1, -0.8974],
                          "change": [-0.1, 0.0004, 0.0, 0.005]})  # fmt: skip
    fields = dict(
        plans=(PlannedProject("Trygg hemgång", 1, {}, ("ann",)),),
        before=before, after=after,
        change={k: after[k] - before[k] for k in FIGURES},
        units=units,
        notes=(Note("whatif_note_method"), Note("whatif_note_existing", {"name": "Trygg hemgång"})),
    )  # fmt: skip
    return WhatIfResult(**(fields | changes))


def test_plan_changes_show_enough_digits_and_never_a_signed_zero():
    """A change too small for three decimals gets more (before and after too); a nil change
    reads "no change"; rises carry +, falls −, in the figures and in every unit row."""
    parts = plan.plan_view(_result(), "en")
    figures = {r[0]: r[1:] for r in _table_rows(_by_id(parts, "plan-figures"))}
    assert figures["Modularity"] == ["0.0221", "0.0225", "+0.0004"]
    assert figures["Organisation E-I index"] == ["0.250", "0.250", "no change"]
    assert figures["Unit pairs hanging on one person"] == ["1", "2", "+1"]
    assert figures["Unit pairs working together"][2] == "no change"
    units = {r[0]: r for r in _table_rows(_by_id(parts, "plan-units"))}
    assert units["A"][3:] == ["0.50", "0.40", "\u22120.10"]
    assert units["B"][3:] == ["\u22120.2000", "\u22120.1996", "+0.0004"]
    assert units["C"][1:] == ["1,200", "1,200", "0.10", "0.10", "no change"]
    assert units["D"][3:] == ["\u22120.902", "\u22120.897", "+0.005"]  # not −0.90 → −0.90, +0.01
    assert not re.search(r"[+\u2212]0(?:[.,]0*)?(?![\d.,])", texts(parts)), "a signed zero is shown"


def test_plan_notes_are_written_from_their_keys_in_the_page_language():
    """The notes come from the result's note keys, in Swedish on a Swedish page; the heading
    counts one member in the singular."""
    en = plan.plan_view(_result(), "en")
    assert "Before and after \u201cTrygg hemgång\u201d (1 member)" in texts(en)
    assert "\u201cTrygg hemgång\u201d is an existing project" in texts(en)
    sv = texts(plan.plan_view(_result(), "sv"))
    assert "\u201dTrygg hemgång\u201d är ett befintligt projekt" in sv and "existing project" not in sv
    assert "inget signifikanstest" in sv and "ingen förändring" in sv
    assert "existing" not in texts(plan.plan_view(_result(notes=()), "en"))


def test_apply_on_an_existing_project_says_so_in_swedish(sample_data, sample_id, settings_for, roster):
    """A plan named like a roster project adds members to it, and the page says so in the reader's language."""
    project = roster.memberships["project"][0]
    parts = plan.apply_view(roster, settings_for(), sample_data.salt(sample_id), project, _two_strangers(roster), [], "sv")
    notes = [texts(p) for p in parts if "plan-note" in (getattr(p, "className", "") or "")]
    assert f"\u201d{project}\u201d är ett befintligt projekt: planen lägger till deltagare i det." in notes
