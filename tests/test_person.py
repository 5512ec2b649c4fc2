"""Tests for analyser.person: one person's units, collaborators, projects, brokerage roles and sole bridges.

The expected values are worked by hand on the tiny roster of ``tests/conftest.py``:

    P1 ann bob cid (A) · P2 cid (A) dan (B) · P3 dan eva (B) · P4 eva (B) fay (C) cid (A) · P5 gus (D)

cid (unit A) works with ann and bob (A, on P1), dan (B, P2), eva (B, P4) and fay (C, P4). Of
the ten pairs of cid's collaborators, ann–bob, dan–eva and eva–fay work together; the other
seven are open: ann or bob with dan, eva or fay (six pairs, one end in cid's unit: gatekeeper)
and dan–fay (B and C, neither in A: liaison). Every A–B tie (cid–dan, cid–eva) and the one
A–C tie (cid–fay) run through cid: cid is the sole bridge of A–B and A–C. The whole-network
computations (:func:`analyser.metrics.brokerage.brokerage`,
:func:`analyser.metrics.bridging.sole_bridges`, through :func:`analyser.analysis.analyse`) are
the second reference: the one-person figures must equal them for everyone.
"""

from __future__ import annotations

import json
import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyser.analysis import analyse
from analyser.ingest import read_roster
from analyser.network import build_network
from analyser.person import (
    PersonDetail,
    brokerage_roles,
    find_person,
    person_codes,
    person_detail,
    sole_bridge_units,
    top_collaborators,
)
from analyser.privacy import pseudonym
from analyser.roster import Roster
from tests.shared_data import SAMPLE_ROSTER, TINY_ROWS

SALT = b"salt"


@pytest.fixture
def tiny_net(tiny_roster):
    return build_network(tiny_roster)


def _text(detail: PersonDetail) -> str:
    """Everything a detail holds, as one text (to search for names)."""
    frames = [detail.units, detail.collaborators, detail.projects, detail.roles, detail.sole_bridges, detail.ties]
    return json.dumps([detail.person, detail.unit, detail.figures] + [f.rows() for f in frames], default=str)


def test_units_reached_count_collaborators_and_projects_per_unit(tiny_net):
    """cid reaches A (ann, bob on P1), B (dan on P2, eva on P4) and C (fay on P4); own unit marked."""
    result = person_detail(tiny_net, "cid").units
    # fmt: off
    expected = pl.DataFrame(
        [("A", 2, 1, True),
         ("B", 2, 2, False),
         ("C", 1, 1, False)],
        schema={"unit": pl.String, "collaborators": pl.Int64, "shared_projects": pl.Int64, "own": pl.Boolean},
        orient="row",
    )
    # fmt: on
    assert_frame_equal(result, expected)


def test_collaborators_list_own_unit_first_with_shared_projects(tiny_net):
    """Collaborators: own unit first, then by unit, each with the projects shared with cid."""
    result = person_detail(tiny_net, "cid").collaborators
    assert result.rows() == [("ann", "A", 1), ("bob", "A", 1), ("dan", "B", 1), ("eva", "B", 1), ("fay", "C", 1)]


def test_projects_carry_their_size_and_units(tiny_net):
    """cid's projects, most units first: P4 spans A, B, C; P2 spans A, B; P1 is A's own."""
    result = person_detail(tiny_net, "cid").projects
    # fmt: off
    expected = pl.DataFrame(
        [("P4", 3, 3, "A, B, C", True),
         ("P2", 2, 2, "A, B",    True),
         ("P1", 3, 1, "A",       True)],
        schema={"project": pl.String, "members": pl.Int64, "units": pl.Int64, "unit_names": pl.String,
                "makes_ties": pl.Boolean},
        orient="row",
    )
    # fmt: on
    assert_frame_equal(result, expected)


def test_brokerage_roles_of_cid_by_hand(tiny_net):
    """Six open pairs with one end in cid's unit (gatekeeper) and dan–fay across B and C (liaison)."""
    detail = person_detail(tiny_net, "cid")
    assert dict(detail.roles.iter_rows()) == {"coordinator": 0, "itinerant": 0, "gatekeeper": 6, "liaison": 1}


@pytest.mark.parametrize(
    ("person", "expected"),
    [("cid", {"B": 2, "C": 1}), ("eva", {"C": 1}), ("fay", {"A": 1, "B": 1}), ("dan", {}), ("ann", {}), ("gus", {})],
)
def test_sole_bridges_by_hand(tiny_net, person, expected):
    """A–B hangs on cid; A–C has one tie (cid–fay), B–C one (eva–fay): both ends of a lone tie carry it."""
    assert sole_bridge_units(tiny_net, tiny_net.people.index(person)) == expected
    detail = person_detail(tiny_net, person)
    assert dict(detail.sole_bridges.iter_rows()) == expected


def test_ties_among_collaborators_for_the_ego_map(tiny_net):
    """The ties among cid's collaborators are ann–bob, dan–eva and eva–fay, each once."""
    assert person_detail(tiny_net, "cid").ties.rows() == [("ann", "bob"), ("dan", "eva"), ("eva", "fay")]


def test_a_person_without_ties_has_empty_tables(tiny_net):
    """gus works alone on P5: no units reached, no collaborators, no roles, P5 makes no ties."""
    detail = person_detail(tiny_net, "gus")
    assert detail.units.is_empty() and detail.collaborators.is_empty() and detail.ties.is_empty()
    assert detail.projects.rows() == [("P5", 1, 1, "D", False)]
    assert detail.roles["count"].to_list() == [0, 0, 0, 0]


def test_projects_above_the_size_limit_make_no_collaborators():
    """With max_project_size 2, P1 and P4 (three members) make no ties: cid keeps only dan (P2)."""
    net = build_network(Roster.from_rows(TINY_ROWS), max_project_size=2)
    detail = person_detail(net, "cid")
    assert detail.collaborators["person"].to_list() == ["dan"]
    assert dict(zip(detail.projects["project"], detail.projects["makes_ties"])) == {"P4": False, "P2": True, "P1": False}
    assert detail.units.rows() == [("B", 1, 1, False)]


def test_row_order_changes_nothing():
    """The roster's row order changes no table of the detail."""
    rows = list(TINY_ROWS)
    random.Random(3).shuffle(rows)
    a, b = person_detail(build_network(Roster.from_rows(TINY_ROWS)), "cid"), person_detail(build_network(Roster.from_rows(rows)), "cid")
    for name in ("units", "collaborators", "projects", "roles", "sole_bridges", "ties"):
        assert_frame_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("level", [1, 2])
def test_one_person_figures_equal_the_whole_network_figures(level):
    """For every person of the sample, the roles and sole bridges equal the analysis' people table."""
    roster = read_roster(SAMPLE_ROSTER)
    net = build_network(roster, level=level)
    people = analyse(roster, level=level, n_permutations=9).people
    by_name = {row["person"]: row for row in people.iter_rows(named=True)}
    for i, name in enumerate(net.people):
        roles = brokerage_roles(net, i)
        assert {f"brokerage_{r}": n for r, n in roles.items()} == {k: by_name[name][k] for k in (
            "brokerage_coordinator", "brokerage_itinerant", "brokerage_gatekeeper", "brokerage_liaison")}, name  # fmt: skip
        assert len(sole_bridge_units(net, i)) == by_name[name]["sole_bridges"], name


def test_figures_are_the_persons_row_of_the_people_table(tiny_roster, tiny_net):
    """Given the analysis' people table, the detail carries the person's own row."""
    people = analyse(tiny_roster, n_permutations=9).people
    figures = person_detail(tiny_net, "cid", people=people).figures
    assert figures["person"] == "cid" and figures["sole_bridges"] == 2 and figures["units_reached"] == 2


# -- privacy ---------------------------------------------------------------------------------


def test_pseudonyms_show_codes_only(tiny_roster, tiny_net):
    """With pseudonyms the person, every collaborator and every tie are codes; no name appears."""
    people = analyse(tiny_roster, privacy="pseudonyms", salt=SALT, min_group_size=1, n_permutations=9).people
    detail = person_detail(tiny_net, "cid", privacy="pseudonyms", salt=SALT, people=people)
    assert detail.person == pseudonym("cid", SALT)
    assert set(detail.collaborators["person"]) == {pseudonym(n, SALT) for n in ("ann", "bob", "dan", "eva", "fay")}
    assert set(detail.ties["person_a"]) | set(detail.ties["person_b"]) <= set(detail.collaborators["person"])
    assert detail.figures["person"] == detail.person
    text = _text(detail)
    assert not any(f'"{name}"' in text for name in ("ann", "bob", "cid", "dan", "eva", "fay", "gus"))


def test_pseudonym_order_does_not_follow_the_names():
    """Collaborators in one unit are listed in code order, not in the hidden names' order."""
    rows = [("P1", "hub", "A")] + [("P1", f"m{i:02d}", "B") for i in range(12)]
    net = build_network(Roster.from_rows(rows))
    listed = person_detail(net, "hub", privacy="pseudonyms", salt=SALT).collaborators["person"].to_list()
    assert listed == sorted(listed)
    assert listed != [pseudonym(f"m{i:02d}", SALT) for i in range(12)]


def test_withheld_units_are_never_shown(tiny_net):
    """With C withheld, fay is no collaborator of cid, A–C is no sole bridge, P4 lists no C; A and B remain."""
    detail = person_detail(tiny_net, "cid", privacy="pseudonyms", salt=SALT, withheld={"C"})
    assert "C" not in set(detail.collaborators["unit"]) | set(detail.units["unit"]) | set(detail.sole_bridges["unit"])
    assert pseudonym("fay", SALT) not in _text(detail)
    assert detail.projects.filter(pl.col("project") == "P4")["unit_names"].item() == "A, B"
    with pytest.raises(ValueError, match="withheld"):
        person_detail(tiny_net, "fay", privacy="pseudonyms", salt=SALT, withheld={"C"})


def test_withheld_units_count_only_with_pseudonyms(tiny_net):
    """With names nothing is withheld, whatever units are passed."""
    assert "fay" in set(person_detail(tiny_net, "cid", withheld={"C"}).collaborators["person"])


def test_aggregate_mode_gives_no_detail(tiny_net):
    """Aggregate mode shows no person: the detail refuses, and nobody is found."""
    with pytest.raises(ValueError, match="aggregate"):
        person_detail(tiny_net, "cid", privacy="aggregate")
    assert find_person(tiny_net, "cid", privacy="aggregate") is None


def test_unknown_person_is_an_error(tiny_net):
    """A name not in the network raises a ValueError that names it."""
    with pytest.raises(ValueError, match="zed"):
        person_detail(tiny_net, "zed")


def test_find_person_by_name_or_code_as_the_mode_allows(tiny_net):
    """Names find by name; pseudonyms find by code only (a name finds nobody), never in a withheld unit."""
    cid = tiny_net.people.index("cid")
    assert find_person(tiny_net, "cid") == cid
    assert find_person(tiny_net, "zed") is None and find_person(tiny_net, "") is None
    assert find_person(tiny_net, "cid", privacy="pseudonyms", salt=SALT) is None
    assert find_person(tiny_net, pseudonym("cid", SALT), privacy="pseudonyms", salt=SALT) == cid
    assert find_person(tiny_net, pseudonym("cid", SALT)) is None  # a code is no name
    codes = person_codes(tiny_net, SALT)
    assert find_person(tiny_net, pseudonym("cid", SALT), privacy="pseudonyms", codes=codes) == cid
    assert find_person(tiny_net, pseudonym("fay", SALT), privacy="pseudonyms", salt=SALT, withheld={"C"}) is None


def test_top_collaborators_keep_the_most_shared_in_table_order():
    """The strongest ties are kept (ties broken by table order) and the table order stays."""
    c = pl.DataFrame({"person": list("abcde"), "unit": list("AABBC"), "shared_projects": [1, 3, 2, 3, 1]})
    assert top_collaborators(c, 3)["person"].to_list() == ["b", "c", "d"]
    assert top_collaborators(c, 9) is c
