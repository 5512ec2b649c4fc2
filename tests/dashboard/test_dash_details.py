"""The small tables of the drill-downs (issue 10 point 5): what each count means, which side
it counts, and a plain sentence where a table would be empty. Builders called as functions."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from analyser.analysis import analyse
from analyser.roster import Roster
from dashboard.pages import projects, units
from tests.dashboard.component_text import texts
from tests.shared_data import TINY_ROWS

SOLE = ("Miljöförvaltningen", "Tekniska förvaltningen")  # the sample's one level-1 pair that hangs on one person


def _by_id(parts: list, wanted: str):
    """The component with id ``wanted`` among ``parts``."""
    return next(p for p in parts if getattr(p, "id", None) == wanted)


def _header(table) -> list[str]:
    """Header texts of a small_table."""
    return [texts(cell) for cell in table.children[0].children.children]


def _rows(table) -> list[list[str]]:
    """Cell texts of a small_table, row by row."""
    return [[texts(cell) for cell in row.children] for row in table.children[1].children]


@pytest.fixture(scope="module")
def level_one(sample_data, sample_id, settings_for):
    """The sample's level-1 analysis, memberships and network."""
    return (sample_data.analysis(settings_for()), sample_data.roster(sample_id).at_level(1),
            sample_data.network(sample_id, 1, None))  # fmt: skip


def _carriers_from_ties(net, unit: str) -> dict[str, int]:
    """People of ``unit`` with a tie to someone of each other unit, read off the person network's
    tie list (the analysis' own ties), independently of the memberships join."""
    a, b, _, _ = net.upper_ties
    code = net.units.index(unit)
    pu = net.person_unit
    mine = np.concatenate([a[pu[a] == code], b[pu[b] == code]])
    other = np.concatenate([pu[b][pu[a] == code], pu[a][pu[b] == code]])
    pairs = {(p, o) for p, o in zip(mine.tolist(), other.tolist()) if o != code}
    counts: dict[str, int] = {}
    for _, o in pairs:
        counts[net.units[o]] = counts.get(net.units[o], 0) + 1
    return counts


# -- Units: the partner count is the unit's own side -----------------------------------------


def test_partner_count_is_this_units_side_and_matches_the_carrier_list(level_one):
    """The 17 that counted both ends of the Miljö-Teknik ties is now Teknik's own people on them:
    the people the carrier list shows, and the sentence above the list says how many in all."""
    analysis, memberships, net = level_one
    unit, partner = SOLE[1], SOLE[0]
    parts = units.unit_detail(analysis, memberships, unit, "en")
    table = _by_id(parts, "unit-partners")
    header = _header(table)
    assert header == ["Partner unit", "Ties", "Shared projects", "People from this unit"]
    rows = {r[0]: r for r in _rows(table)}
    expected = _carriers_from_ties(net, unit)
    assert {p: int(r[3]) for p, r in rows.items()} == {p: expected[p] for p in rows}
    link = analysis.unit_links.filter((pl.col("unit_a") == partner) & (pl.col("unit_b") == unit)).row(0, named=True)
    assert int(rows[partner][3]) < link["bridging_people"]  # one side, not both
    carriers = _rows(_by_id(parts, "unit-carriers"))
    people = analysis.people.filter((pl.col("unit") == unit) & (pl.col("external_collaborators") > 0)).height
    assert len(carriers) == min(people, units.CARRIER_ROWS)
    assert max(int(r[3]) for r in rows.values()) <= people
    size = analysis.units.filter(pl.col("unit") == unit)["people"].item()
    assert texts(_by_id(parts, "unit-carriers-count")) == f"People of this unit who work with other units: {people} of {size}."


@pytest.mark.parametrize("largest", [None, 12])
def test_partner_carriers_agree_with_the_network_ties(sample_data, sample_id, largest):
    """partner_carriers (a join on the memberships) counts the same people as the network's ties,
    for every unit of the sample at level 2, also with a largest project size."""
    memberships = sample_data.roster(sample_id).at_level(2)
    net = sample_data.network(sample_id, 2, largest)
    for unit in net.units:
        found = dict(units.partner_carriers(memberships, unit, max_project_size=largest).iter_rows())
        assert found == _carriers_from_ties(net, unit), unit
    assert units.partner_carriers(memberships, "no such unit").is_empty()


def test_key_person_rows_name_the_other_unit_only(level_one):
    """The key-person table of a unit lists the partner, never the chosen unit as "Other unit"."""
    analysis, memberships, net = level_one
    for unit, partner in (SOLE, SOLE[::-1]):
        table = _by_id(units.unit_detail(analysis, memberships, unit, "en"), "unit-key-risk")
        assert _header(table) == ["Partner unit", "Ties", "Key people"]
        assert [r[0] for r in _rows(table)] == [partner]
        assert "Other unit" not in texts(table)


def test_empty_tables_are_a_plain_sentence():
    """A unit alone on its project (gus of D) gets sentences, not bare headers."""
    roster = Roster.from_rows(TINY_ROWS, source="tiny.csv")
    analysis = analyse(roster, min_group_size=1, n_permutations=99)
    parts = units.unit_detail(analysis, roster.at_level(1), "D", "en")
    assert texts(_by_id(parts, "unit-partners")) == "This unit shares no project with any other unit."
    assert texts(_by_id(parts, "unit-carriers")) == "Nobody in this unit shares a project with people of other units."
    sv = units.unit_detail(analysis, roster.at_level(1), "D", "sv")
    assert texts(_by_id(sv, "unit-partners")) == "Enheten har inget gemensamt projekt med någon annan enhet."
    for part in parts:  # no table without rows
        if getattr(part, "id", "") in ("unit-partners", "unit-carriers", "unit-projects"):
            assert not hasattr(part, "striped") or _rows(part)


def test_without_memberships_no_count_of_people(level_one):
    """Without the memberships the partner table has no people column at all, never the both-sides count."""
    analysis, _, _ = level_one
    table = _by_id(units.unit_detail(analysis, None, SOLE[0], "en"), "unit-partners")
    assert _header(table) == ["Partner unit", "Ties", "Shared projects"]


# -- Projects: names get the width, pairs are named, crossing is a word ----------------------


def test_project_grid_gives_names_the_width(sample_data, settings_for):
    """The project name flexes; number columns are capped; cross-unit is "✓ yes" / "no", not a check box."""
    _, rows, defs, _, _ = projects.projects_page(sample_data.analysis(settings_for()), "en")
    by_field = {d["field"]: d for d in defs}
    assert by_field["project"]["flex"] == 1 and "maxWidth" not in by_field["project"]
    assert all(d["maxWidth"] <= projects.NUMBER_WIDTH for f, d in by_field.items() if f != "project")
    assert {r["cross_unit"] for r in rows} == {"\u2713 yes", "no"}
    sv_rows = projects.projects_page(sample_data.analysis(settings_for()), "sv")[1]
    assert {r["cross_unit"] for r in sv_rows} == {"\u2713 ja", "nej"}


def test_unique_links_name_their_unit_pairs(sample_data, sample_id, settings_for):
    """Each project holding unit links alone names them "Unit A – Unit B", as many as it counts."""
    analysis = sample_data.analysis(settings_for())
    pairs = projects.unique_pairs_by_project(sample_data.roster(sample_id).at_level(1), analysis.unit_links)
    table = projects.projects_page(analysis, "en", pairs=pairs)[3]
    assert _header(table)[:3] == ["Project", "Unique links", "Unit pairs only this project connects"]
    units_ = set(analysis.units["unit"])
    for project, count, named, *_ in _rows(table):
        shown = named.split("; ")
        assert len(shown) == int(count)
        assert all(set(p.split(" \u2013 ")) <= units_ and len(p.split(" \u2013 ")) == 2 for p in shown)
    once = analysis.unit_links.filter(pl.col("shared_projects") == 1).height
    assert pairs.height == once == int(analysis.projects["unique_links"].sum())


def test_unique_pairs_of_withheld_units_are_counted_not_named():
    """With pseudonyms, pairs of withheld units stay unnamed; the count still says they exist."""
    roster = Roster.from_rows(TINY_ROWS, source="tiny.csv")
    analysis = analyse(roster, privacy="pseudonyms", min_group_size=3, n_permutations=99)
    hidden = set(analysis.units.filter(pl.col("suppressed"))["unit"])
    pairs = projects.unique_pairs_by_project(roster.at_level(1), analysis.unit_links)
    assert hidden and pairs.is_empty()
    rows = _rows(projects.projects_page(analysis, "en", pairs=pairs)[3])
    assert [r[:3] for r in rows] == [["P4", "2", "withheld: 2"]]


def test_projects_summary_agrees_with_its_count():
    """"1 of 2 projects includes", "2 of 3 projects include", "1 of 1 project includes"."""
    from analyser.analysis import Analysis

    def summary(flags: list[bool]) -> str:
        p = pl.DataFrame({"project": [f"P{i}" for i in range(len(flags))], "members": 2, "units": 1,
                          "blau_index": 0.0, "cross_unit": flags, "unique_links": 0})  # fmt: skip
        return projects.projects_view(Analysis(pl.DataFrame(), pl.DataFrame(), p, pl.DataFrame(), {}), "en")[0]

    assert summary([True, False]) == "1 of 2 projects includes people from more than one unit."
    assert summary([True, True, False]) == "2 of 3 projects include people from more than one unit."
    assert summary([True]) == "1 of 1 project includes people from more than one unit."
