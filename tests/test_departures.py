"""Departures and key players (issue 14) against plain recounts on random rosters."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.departures import WEAKENED_SHARE, departures, key_players, read_people
from analyser.roster import Roster, RosterError

HYPO = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

memberships = st.lists(
    st.tuples(st.sampled_from([f"J{i}" for i in range(6)]), st.sampled_from([f"p{i}" for i in range(10)])),
    min_size=2, max_size=30, unique=True,
)  # fmt: skip


def _unit(person: str) -> str:
    return "ABC"[int(person[1:]) % 3]


def _roster(pairs) -> Roster:
    return Roster.from_rows([(j, p, _unit(p)) for j, p in pairs])


def _recount(pairs, leaving: set[str]):
    """Ties among remaining people, by brute force over each project's member pairs."""
    members: dict[str, set[str]] = {}
    for j, p in pairs:
        if p not in leaving:
            members.setdefault(j, set()).add(p)
    ties = {tuple(sorted(t)) for m in members.values() for t in itertools.combinations(sorted(m), 2)}
    cross = [t for t in ties if _unit(t[0]) != _unit(t[1])]
    by_pair: dict[tuple[str, str], int] = {}
    for s, t in cross:
        key = tuple(sorted((_unit(s), _unit(t))))
        by_pair[key] = by_pair.get(key, 0) + 1
    people = {p for _, p in pairs} - leaving
    graph = nx.Graph()
    graph.add_nodes_from(people)
    graph.add_edges_from(ties)
    return ties, cross, by_pair, people, graph


@HYPO
@given(memberships, st.data())
def test_departures_equal_a_recount(pairs, data):
    """Ties, cross ties, unit pairs lost/weakened and components after = a recount without them."""
    everyone = sorted({p for _, p in pairs})
    leaving = data.draw(st.lists(st.sampled_from(everyone), min_size=1, max_size=3, unique=True))
    d = departures(_roster(pairs), leaving)
    ties0, cross0, pairs0, _, _ = _recount(pairs, set())
    ties1, cross1, pairs1, people1, graph1 = _recount(pairs, set(leaving))
    assert d.summary_before["ties"] == len(ties0) and d.summary_after["ties"] == len(ties1)
    assert d.summary_before["cross_unit_ties"] == len(cross0) and d.summary_after["cross_unit_ties"] == len(cross1)
    assert d.summary_after["people"] == len(people1)
    assert d.summary_after["components"] == nx.number_connected_components(graph1)
    lost = {(r["unit_a"], r["unit_b"]): r["ties_before"] for r in d.unit_pairs_lost.iter_rows(named=True)}
    assert lost == {k: v for k, v in pairs0.items() if k not in pairs1}
    weakened = {(r["unit_a"], r["unit_b"]) for r in d.unit_pairs_weakened.iter_rows(named=True)}
    assert weakened == {k for k, v in pairs0.items() if 0 < pairs1.get(k, 0) <= WEAKENED_SHARE * v}
    external_after = {u: 0 for u in "ABC"}
    for s, t in cross1:
        external_after[_unit(s)] += 1
        external_after[_unit(t)] += 1
    shown = {r["unit"]: r["ties_external_after"] for r in d.units.iter_rows(named=True)}
    assert shown == {u: external_after[u] for u in shown}


@HYPO
@given(memberships, st.integers(1, 4))
def test_key_player_sets_equal_a_recount_and_first_pick_is_best(pairs, k):
    """Each set's losses equal a recount of that set; the first pick is the best single person."""
    roster = _roster(pairs)
    sets = key_players(roster, k)
    _, cross0, pairs0, _, _ = _recount(pairs, set())
    for s in sets:
        _, cross1, pairs1, _, _ = _recount(pairs, set(s["people"]))
        assert s["cross_unit_ties_lost"] == len(cross0) - len(cross1)
        assert s["unit_pairs_lost"] == len([p for p in pairs0 if p not in pairs1])
    everyone = sorted({p for _, p in pairs})
    best_single = max(len(cross0) - len(_recount(pairs, {p})[1]) for p in everyone)
    assert sets[0]["cross_unit_ties_lost"] == best_single
    losses = [s["marginal_cross_unit_ties_lost"] for s in sets]
    assert losses == sorted(losses, reverse=True)  # greedy: each pick loses no more than the last
    assert [s["k"] for s in sets] == list(range(1, len(sets) + 1))


def test_privacy_modes():
    """Codes in pseudonym mode, counts per unit in aggregate mode; no name in either."""
    rows = [(f"J{j}", f"p{i}", "AB"[i % 2]) for j in range(4) for i in range(j, j + 6)]
    roster = Roster.from_rows(rows)
    names = {p for _, p, _ in rows}
    pseudo = departures(roster, ["p3"], privacy="pseudonyms", min_group_size=1)
    assert pseudo.people_leaving[0].startswith("P-")
    agg = key_players(roster, 2, privacy="aggregate", min_group_size=1)
    assert all(set(entry) == {"unit", "people"} for s in agg for entry in s["people"])
    assert not names & set(str(agg).split("'")) and not names & set(pseudo.as_json()["people_leaving"])


def test_unknown_person_names_the_closest_match():
    roster = Roster.from_rows([("J", "Anna Berg", "A"), ("J", "Bo Ek", "B")])
    with pytest.raises(RosterError, match="did you mean 'Anna Berg'"):
        departures(roster, ["Ana Berg"])


def test_read_people_from_a_cp1252_file(tmp_path):
    path = tmp_path / "leaving.txt"
    path.write_bytes("Åsa Öberg\r\nBo Ek\r\n\r\n".encode("cp1252"))
    assert read_people(str(path)) == ["Åsa Öberg", "Bo Ek"]
    assert read_people("a, b ,a") == ["a", "b"]


def test_cli_whatif_leave_and_keyplayers(tmp_path, capsys):
    """The CLI verbs write the contract's JSON keys; a wrong name exits 1 with a FILE:LINE-style message."""
    import json

    from analyser.cli import main

    roster = tmp_path / "r.csv"
    roster.write_text("project,person,unit\nP1,ann,A\nP1,bob,B\nP2,bob,B\nP2,cid,C\nP3,cid,C\nP3,dan,A\n", encoding="utf-8")
    out = tmp_path / "leave.json"
    assert main(["whatif", str(roster), "--leave", "bob", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["people_leaving", "summary_before", "summary_after", "units", "unit_pairs_lost", "unit_pairs_weakened"]
    assert set(data["units"][0]) == {"unit", "ei_before", "ei_after", "ties_external_before", "ties_external_after",
                                     "partner_units_before", "partner_units_after"}
    assert {(p["unit_a"], p["unit_b"]) for p in data["unit_pairs_lost"]} == {("A", "B"), ("B", "C")}
    kp = tmp_path / "kp.json"
    assert main(["keyplayers", str(roster), "--k", "2", "--out", str(kp)]) == 0
    sets = json.loads(kp.read_text(encoding="utf-8"))["sets"]
    assert [set(s) >= {"k", "people", "unit_pairs_lost", "cross_unit_ties_lost"} for s in sets] == [True, True]
    assert main(["whatif", str(roster), "--leave", "bobb", "--out", str(out)]) == 1
    assert "did you mean 'bob'" in capsys.readouterr().err
    assert main(["whatif", str(roster), "--out", str(out)]) == 2
