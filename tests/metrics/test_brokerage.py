"""Tests of analyser.metrics.brokerage: Gould & Fernandez roles."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from tests.metrics.graph_cases import HYPO, REFCASES, arrays, small_graphs, small_rosters
from hypothesis import given
from hypothesis import strategies as st

from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage, brokerage_reference

# -- brokerage --------------------------------------------------------------------------------


@pytest.mark.refcase
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


def test_packed_counts_equal_two_products(monkeypatch):
    """The packed single product and the two-product fallback (huge degrees) give the same roles."""
    import analyser.metrics.brokerage as brokerage_module

    g = nx.gnp_random_graph(70, 0.2, seed=3)
    groups = np.arange(70) % 4
    a = arrays(g, weight=None)
    packed = brokerage(a, groups, 4)
    monkeypatch.setattr(brokerage_module, "_PACK_BITS", 2)  # every degree ≥ 4 forces the fallback
    fallback = brokerage(a, groups, 4)
    assert max(dict(g.degree).values()) >= 4
    for role in BROKERAGE_ROLES:
        np.testing.assert_array_equal(packed[role], fallback[role])


def random_roster_ties(seed: int, n_people: int = 60, n_projects: int = 25, max_size: int = 10):
    """0/1 ties of a random roster with big projects left out and some one-project people.

    Returns (adjacency, incidence of the tie projects, incidence of all projects, units).
    """
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for p in range(n_projects):
        members = rng.choice(n_people, size=int(rng.integers(1, 16)), replace=False)
        rows += members.tolist()
        cols += [p] * len(members)
    b = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n_people, n_projects))
    b.sum_duplicates()
    b.data[:] = 1.0
    keep = np.flatnonzero(np.asarray(b.sum(axis=0)).ravel() <= max_size)
    tie_b = sp.csr_array(b[:, keep])
    a = sp.csr_array((tie_b @ tie_b.T) > 0).astype(np.float64)
    a.setdiag(0)
    a.eliminate_zeros()
    return a, tie_b, b, rng.integers(0, 4, n_people)


@pytest.fixture
def always_routed(monkeypatch):
    """Route through project sets whatever the cost (small graphs would use the masked product)."""
    import analyser.metrics.brokerage as brokerage_module

    monkeypatch.setattr(brokerage_module, "ROUTED_WORK_FACTOR", float("inf"))
    monkeypatch.setattr(brokerage_module, "ROUTED_MIN_PATHS", 0)


@pytest.mark.parametrize("seed", range(10))
def test_routed_equals_masked_product(seed, always_routed):
    """With incidence=, the role counts equal those of the masked product, role by role."""
    a, tie_b, all_b, groups = random_roster_ties(seed)
    assert (np.diff(all_b.indptr) == 1).any() and tie_b.shape[1] < all_b.shape[1]
    general = brokerage(a, groups, 4)
    routed = brokerage(a, groups, 4, incidence=tie_b)
    for role in BROKERAGE_ROLES:
        np.testing.assert_array_equal(routed[role], general[role])


@HYPO
@given(small_rosters(max_people=9, max_projects=6), st.integers(1, 3), st.randoms(use_true_random=False))
def test_routed_equals_masked_product_any_roster(incidence, k, rnd):
    """Routed and masked-product counts agree on every small roster and unit assignment."""
    import analyser.metrics.brokerage as brokerage_module

    a = sp.csr_array((incidence @ incidence.T) > 0).astype(np.float64)
    a = sp.csr_array(a - sp.diags_array(a.diagonal()))
    groups = np.array([rnd.randrange(k) for _ in range(a.shape[0])], dtype=np.int64)
    general = brokerage(a, groups, k)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brokerage_module, "ROUTED_WORK_FACTOR", float("inf"))
        patch.setattr(brokerage_module, "ROUTED_MIN_PATHS", 0)
        routed = brokerage(a, groups, k, incidence=incidence)
    for role in BROKERAGE_ROLES:
        np.testing.assert_array_equal(routed[role], general[role])


def test_routed_falls_back_when_sets_are_too_many(monkeypatch, always_routed):
    """Past MAX_PROJECT_SETS the masked product is used, with the same counts."""
    import analyser.metrics.brokerage as brokerage_module

    a, tie_b, _, groups = random_roster_ties(1)
    expected = brokerage(a, groups, 4)
    monkeypatch.setattr(brokerage_module, "MAX_PROJECT_SETS", 0)
    got = brokerage(a, groups, 4, incidence=tie_b)
    for role in BROKERAGE_ROLES:
        np.testing.assert_array_equal(got[role], expected[role])


def test_routed_checks_ties_match_incidence(always_routed):
    """An incidence that does not make these ties (excluded projects kept) is refused."""
    a, _, all_b, groups = random_roster_ties(2)
    with pytest.raises(ValueError, match="sharing a project"):
        brokerage(a, groups, 4, incidence=all_b)
