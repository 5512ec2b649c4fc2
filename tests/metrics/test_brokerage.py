"""Tests of analyser.metrics.brokerage: Gould & Fernandez roles."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import polars as pl
import pytest
from tests.metrics.graph_cases import HYPO, REFCASES, arrays, needs_refcases, small_graphs
from hypothesis import given

from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage, brokerage_reference

# -- brokerage --------------------------------------------------------------------------------


@pytest.mark.refcase
@needs_refcases
def test_brokerage_reference_dachshund_karate():
    """brokerage_reference reproduces the directed karate-club role counts exactly."""
    folder = REFCASES / "dachshund_brokerage_karate"
    edges = pl.read_csv(folder / "edges.csv")
    nodes = pl.read_csv(folder / "nodes.csv")
    expected = pl.read_csv(folder / "expected_roles.csv")
    g = nx.DiGraph()
    g.add_nodes_from(nodes["node"].to_list())
    g.add_edges_from(zip(edges["source"].to_list(), edges["target"].to_list()))
    unit = dict(zip(nodes["node"].to_list(), nodes["group"].to_list()))
    got = brokerage_reference(g, unit)
    assert expected.height == 34
    for row in expected.iter_rows(named=True):
        roles = got[row["node"]]
        for role in (
            "coordinator",
            "itinerant",
            "representative",
            "gatekeeper",
            "liaison",
        ):
            assert roles[role] == row[role], (row["node"], role)
        assert sum(roles.values()) == row["total"]


@HYPO
@given(small_graphs())
def test_brokerage_is_half_the_directed_reference(case):
    """Undirected counts = sna counts on the symmetric digraph / 2 (representative + gatekeeper merged)."""
    g, groups, k = case
    got = brokerage(arrays(g, weight=None), groups, k)
    ref = brokerage_reference(g, dict(enumerate(groups.tolist())))
    for v in sorted(g):
        r = ref[v]
        assert r["representative"] == r["gatekeeper"]
        assert got["coordinator"][v] * 2 == r["coordinator"]
        assert got["itinerant"][v] * 2 == r["itinerant"]
        # each open pair with one end in b's unit is one representative + one gatekeeper path
        assert got["gatekeeper"][v] * 2 == r["representative"] + r["gatekeeper"]
        assert got["liaison"][v] * 2 == r["liaison"]


@HYPO
@given(small_graphs())
def test_brokerage_counts_every_open_pair_once(case):
    """Brute force over unordered neighbour pairs: role counts match and sum to C(k,2) − triangles."""
    g, groups, k = case
    got = brokerage(arrays(g, weight=None), groups, k)
    triangles = nx.triangles(g)
    for b in sorted(g):
        want = dict.fromkeys(BROKERAGE_ROLES, 0)
        for a, c in itertools.combinations(sorted(g[b]), 2):
            if g.has_edge(a, c):
                continue
            ga, gb, gc = groups[a], groups[b], groups[c]
            if ga == gb == gc:
                want["coordinator"] += 1
            elif ga == gc:
                want["itinerant"] += 1
            elif gb in (ga, gc):
                want["gatekeeper"] += 1
            else:
                want["liaison"] += 1
        assert {role: int(got[role][b]) for role in BROKERAGE_ROLES} == want
        deg = g.degree(b)
        assert sum(want.values()) == deg * (deg - 1) // 2 - triangles[b]


@HYPO
@given(small_graphs())
def test_closed_pair_formulas_by_type(case):
    """diag(Ai³)/2, diag(Ae Ai Ae)/2, diag(Ai Ae²), diag(Ae³)/2 count closed neighbour pairs by role."""
    g, groups, _ = case
    a = arrays(g, weight=None).toarray()
    same = groups[:, None] == groups[None, :]
    ai, ae = a * same, a * ~same
    formulas = {
        "coordinator": np.diag(ai @ ai @ ai) / 2,
        "itinerant": np.diag(ae @ ai @ ae) / 2,
        "gatekeeper": np.diag(ai @ ae @ ae),
        "liaison": np.diag(ae @ ae @ ae) / 2,
    }
    for b in sorted(g):
        want = dict.fromkeys(BROKERAGE_ROLES, 0)
        for x, c in itertools.combinations(sorted(g[b]), 2):
            if not g.has_edge(x, c):
                continue
            gx, gb, gc = groups[x], groups[b], groups[c]
            role = (
                "coordinator"
                if gx == gb == gc
                else "itinerant"
                if gx == gc
                else "gatekeeper"
                if gb in (gx, gc)
                else "liaison"
            )
            want[role] += 1
        assert {r: formulas[r][b] for r in BROKERAGE_ROLES} == want


def test_brokerage_hand_worked_star():
    """A star whose centre (unit 0) reaches two people of unit 0, two of unit 1 and one of unit 2."""
    g = nx.star_graph(5)  # centre 0, leaves 1..5
    groups = np.array([0, 0, 0, 1, 1, 2])
    got = brokerage(arrays(g, weight=None), groups, 3)
    assert int(got["coordinator"][0]) == 1  # {1,2}
    assert int(got["itinerant"][0]) == 1  # {3,4}
    assert int(got["gatekeeper"][0]) == 2 * 3  # own {1,2} × other {3,4,5}
    assert int(got["liaison"][0]) == 2  # {3,5}, {4,5}
    assert all(int(got[r][1:].sum()) == 0 for r in BROKERAGE_ROLES)
