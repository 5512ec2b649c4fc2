"""Tests for analyser.metrics.bridging: person-level bridging metrics on sparse arrays."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from analyser.metrics.bridging import (
    betweenness,
    collaborators,
    external_collaborators,
    participation,
    participation_coefficient,
    sole_bridges,
    units_reached,
)
from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage, brokerage_reference
from analyser.metrics.structural_holes import constraint, effective_size

# This file sits one folder deeper (tests/metrics/) than the house rule's tests/ file, so
# the checkout root is parents[2]; refcases live in ../shared beside the checkout.
REFCASES = Path(__file__).resolve().parents[2].parent / "shared" / "refcases"
needs_refcases = pytest.mark.skipif(
    not REFCASES.is_dir(), reason=f"reference cases not found at {REFCASES}"
)
HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- helpers ----------------------------------------------------------------------------------


def arrays(g: nx.Graph, weight: str | None = "weight") -> sp.csr_array:
    """Sparse matrix of g in node order 0..n-1."""
    return sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=sorted(g), weight=weight, format="csr"))


@st.composite
def small_graphs(draw, max_nodes: int = 9, max_units: int = 4, weighted: bool = False):
    """A graph on nodes 0..n-1 with a unit per node (and optional positive weights)."""
    n = draw(st.integers(1, max_nodes))
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    k = draw(st.integers(1, max_units))
    groups = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for (u, v), keep in zip(pairs, chosen):
        if keep:
            w = draw(st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0])) if weighted else 1.0
            g.add_edge(u, v, weight=w)
    return g, np.array(groups, dtype=np.int64), k


@st.composite
def small_rosters(draw, max_people: int = 8, max_projects: int = 5):
    """A people × projects 0/1 incidence matrix."""
    n = draw(st.integers(0, max_people))
    p = draw(st.integers(0, max_projects))
    cells = draw(st.lists(st.booleans(), min_size=n * p, max_size=n * p))
    return sp.csr_array(np.array(cells, dtype=np.float64).reshape(n, p))


def membership_graph(incidence: sp.csr_array) -> nx.Graph:
    """networkx bipartite graph: people 0..N-1, projects N..N+P-1."""
    n, p = incidence.shape
    b = nx.Graph()
    b.add_nodes_from(range(n + p))
    coo = incidence.tocoo()
    b.add_edges_from((int(i), int(n + j)) for i, j in zip(coo.row, coo.col))
    return b


def generated_roster(n_people: int, n_units: int, n_projects: int, seed: int) -> sp.csr_array:
    """Roster with unit-heavy projects and some cross-unit members, everyone in ≥ 1 project."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, n_units, n_people)
    rows, cols = [], []
    for proj in range(n_projects):
        home = rng.integers(0, n_units)
        size = int(rng.integers(2, 8))
        local = np.flatnonzero(unit == home)
        members = set(rng.choice(local, size=min(size, local.size), replace=False).tolist())
        members |= set(rng.choice(n_people, size=int(rng.integers(0, 3)), replace=False).tolist())
        rows += sorted(members)
        cols += [proj] * len(members)
    rows += list(range(n_people))  # everyone gets one extra random project
    cols += rng.integers(0, n_projects, n_people).tolist()
    m = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n_people, n_projects))
    m.data[:] = 1.0
    return m


def brute_participation(g: nx.Graph, groups: np.ndarray, k: int) -> np.ndarray:
    out = []
    for v in sorted(g):
        deg = g.degree(v)
        if deg == 0:
            out.append(np.nan)
            continue
        counts = np.bincount([groups[u] for u in g[v]], minlength=k)
        out.append(1 - np.sum((counts / deg) ** 2))
    return np.array(out)


# -- betweenness ------------------------------------------------------------------------------


@HYPO
@given(small_rosters())
def test_betweenness_exact_equals_networkx_subset(incidence):
    """Exact betweenness equals networkx subset betweenness (people to people) on B, normalised."""
    n = incidence.shape[0]
    result = betweenness(incidence)
    assert result.method == "exact" and result.sources == n
    if n < 3:
        assert np.isnan(result.values).all()
        return
    people = list(range(n))
    ref = nx.betweenness_centrality_subset(membership_graph(incidence), people, people, normalized=False)
    expected = np.array([ref[i] for i in people]) / ((n - 1) * (n - 2) / 2)
    np.testing.assert_allclose(result.values, expected, atol=1e-12)


def test_betweenness_hand_worked_chain():
    """Two projects chained by one person: she lies on the only pair of other people."""
    inc = sp.csr_array([[1, 0], [1, 1], [0, 1], [0, 1]], dtype=float)
    # pairs through person 1: {0,2}, {0,3} of the 3 pairs of others
    np.testing.assert_allclose(betweenness(inc).values, [0, 2 / 3, 0, 0])


def test_betweenness_sampled_with_all_sources_equals_exact():
    """Sampling with sample_size = N uses every person and reproduces the exact values."""
    inc = generated_roster(60, 4, 30, seed=1)
    exact = betweenness(inc)
    forced = betweenness(inc, exact_max_people=0, sample_size=60)
    assert forced.sources == 60 and forced.method == "exact"
    np.testing.assert_allclose(forced.values, exact.values, atol=1e-12)


def test_betweenness_sampled_is_scaled_source_sum():
    """The sampled estimate is N/k times the source-restricted sum over the documented rng sample."""
    inc = generated_roster(40, 3, 20, seed=2)
    n, k, seed = 40, 7, 11
    result = betweenness(inc, exact_max_people=10, sample_size=k, seed=seed)
    assert result.method == "sampled" and result.sources == k and result.seed == seed
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False)).tolist()
    ref = nx.betweenness_centrality_subset(membership_graph(inc), sources, list(range(n)), normalized=False)
    expected = np.array([ref[i] for i in range(n)]) * (n / k) / ((n - 1) * (n - 2) / 2)
    np.testing.assert_allclose(result.values, expected, atol=1e-12)


def test_betweenness_sampled_is_reproducible_and_seed_dependent():
    """The same seed gives the same estimate; another seed gives another sample."""
    inc = generated_roster(200, 5, 90, seed=3)
    a = betweenness(inc, exact_max_people=10, sample_size=20, seed=5)
    b = betweenness(inc, exact_max_people=10, sample_size=20, seed=5)
    c = betweenness(inc, exact_max_people=10, sample_size=20, seed=6)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)


def test_betweenness_sampled_ranks_like_exact():
    """On a ~1000-person roster, 256 sampled sources rank people like exact (Spearman ≥ 0.9)."""
    inc = generated_roster(1000, 12, 450, seed=4)
    exact = betweenness(inc)
    sampled = betweenness(inc, exact_max_people=500, sample_size=256, seed=0)
    assert exact.method == "exact" and sampled.method == "sampled"
    rho = spearmanr(exact.values, sampled.values).statistic
    assert rho >= 0.9, rho


def test_betweenness_rejects_empty_sample():
    """A sample of zero sources is refused."""
    with pytest.raises(ValueError):
        betweenness(sp.csr_array((3, 1)), sample_size=0)


# -- participation and counts -----------------------------------------------------------------


@HYPO
@given(small_graphs())
def test_participation_and_counts_match_brute_force(case):
    """participation, collaborators, external_collaborators, units_reached match a loop over nodes."""
    g, groups, k = case
    a = arrays(g, weight=None)
    np.testing.assert_allclose(participation(a, groups, k), brute_participation(g, groups, k), atol=1e-12)
    nodes = sorted(g)
    assert collaborators(a).tolist() == [g.degree(v) for v in nodes]
    assert external_collaborators(a, groups).tolist() == [
        sum(groups[u] != groups[v] for u in g[v]) for v in nodes
    ]
    assert units_reached(a, groups, k).tolist() == [
        len({groups[u] for u in g[v]} - {groups[v]}) for v in nodes
    ]


def test_participation_ignores_weights():
    """participation counts ties, not weights."""
    w = sp.csr_array([[0, 5.0, 1.0], [5.0, 0, 0], [1.0, 0, 0]])
    np.testing.assert_allclose(participation(w, np.array([0, 0, 1]), 2), [0.5, 0, 0])


@pytest.mark.refcase
@needs_refcases
def test_participation_coefficient_bct_refcase():
    """participation_coefficient (row sums, self-loops kept) reproduces bctpy's participation cases."""
    data = json.loads((REFCASES / "bct_participation" / "expected.json").read_text())
    tol = data["tolerance"]
    checked = 0
    for case in data["cases"]:
        w = np.array(case["W"], dtype=float)
        codes = np.unique(case["ci"], return_inverse=True)[1]
        k = int(codes.max()) + 1
        if "participation" in case:
            expected = case["participation"]
        else:  # signed case: bctpy's positive part is P on max(W, 0)
            w = np.clip(w, 0, None)
            expected = case["participation_positive"]
        got = participation_coefficient(sp.csr_array(w), codes, k)
        np.testing.assert_allclose(got, expected, atol=tol)
        checked += 1
    assert checked == 4


def test_participation_coefficient_zero_row_is_nan():
    """A node with no ties has undefined participation (bctpy would say 0; we say NaN)."""
    got = participation_coefficient(sp.csr_array([[0, 1.0], [0, 0]]), np.array([0, 1]), 2)
    assert got[0] == 0 and np.isnan(got[1])


# -- constraint and effective size ------------------------------------------------------------


@HYPO
@given(small_graphs(weighted=True))
def test_constraint_equals_networkx(case):
    """constraint equals nx.constraint(G, weight="weight"), weighted and unweighted."""
    g, _, _ = case
    for weight in ("weight", None):
        ref = nx.constraint(g, weight=weight)
        expected = np.array([ref[v] for v in sorted(g)])
        np.testing.assert_allclose(constraint(arrays(g, weight)), expected, atol=1e-12)


@HYPO
@given(small_graphs(weighted=True))
def test_effective_size_equals_networkx_per_node_path(case):
    """effective_size equals nx.effective_size(G, nodes=list(G)), weighted and unweighted."""
    g, _, _ = case
    for weight in ("weight", None):
        ref = nx.effective_size(g, nodes=list(g), weight=weight)
        expected = np.array([ref[v] for v in sorted(g)])
        np.testing.assert_allclose(effective_size(arrays(g, weight)), expected, atol=1e-12)


def borgatti_graph() -> tuple[nx.Graph, list[str]]:
    g = nx.Graph()
    with open(REFCASES / "nx_structural_holes" / "undirected_edges.csv", newline="") as f:
        for row in csv.DictReader(f):
            g.add_edge(row["source"], row["target"], weight=float(row["weight"]))
    return g, sorted(g)


@pytest.mark.refcase
@needs_refcases
@pytest.mark.parametrize("variant,weight", [("undirected_unweighted", None), ("undirected_weighted", "weight")])
def test_structural_holes_refcase(variant, weight):
    """Borgatti (1997) example: constraint and effective size of G, A, C (networkx test values)."""
    expected = json.loads((REFCASES / "nx_structural_holes" / "expected.json").read_text())["expected"][variant]
    g, order = borgatti_graph()
    m = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=order, weight=weight))
    got = {"constraint": constraint(m), "effective_size": effective_size(m)}
    for metric, values in got.items():
        ref = expected[metric]
        for node in ("G", "A", "C"):
            assert values[order.index(node)] == pytest.approx(ref[node], abs=ref["tolerance"])


@pytest.mark.refcase
@needs_refcases
def test_networkx_effective_size_default_path_still_differs():
    """Regression: nx.effective_size(nodes=None) on the weighted Borgatti graph is not Burt's value.

    If this starts failing, networkx fixed its sparse fast path (METRICS.md §2.3) and the
    test of effective_size against networkx may use nodes=None too.
    """
    g, order = borgatti_graph()
    ours = effective_size(sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=order, weight="weight")))
    fast = nx.effective_size(g, weight="weight")
    slow = nx.effective_size(g, nodes=list(g), weight="weight")
    assert ours[order.index("G")] == pytest.approx(slow["G"], abs=1e-12)
    assert fast["G"] == pytest.approx(5.515, abs=1e-3)
    assert abs(fast["A"] - ours[order.index("A")]) > 0.1


def igraph_constraint_cases() -> tuple[dict, dict]:
    data = json.loads((REFCASES / "igraph_constraint" / "expected.json").read_text())
    return data["graphs"], data["expected"]


@pytest.mark.refcase
@needs_refcases
def test_igraph_constraint_refcase():
    """igraph C test values; multi-edges are summed into one weight.

    Skipped sub-cases: full4_with_loop (our input has a zero diagonal by contract) and
    full4_weights_make_line (zero weights: we drop them, see the next test).
    """
    graphs, expected = igraph_constraint_cases()
    tol = expected["tolerance"]
    used = ["no_vertices", "one_vertex", "line4", "full4", "full4_split_multi_edges", "hole_between_two_clusters"]
    for name in used:
        spec = graphs[name]
        n = spec["n"]
        edges = np.array(spec["edges"], dtype=np.int64).reshape(-1, 2)
        w = np.array(spec.get("weights", [1.0] * len(edges)), dtype=float)
        # duplicates in COO input are summed: parallel edges become one weighted tie
        m = sp.coo_array((np.r_[w, w], (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]])), shape=(n, n))
        want = np.array([np.nan if v == "NaN" else v for v in expected[name]], dtype=float)
        np.testing.assert_allclose(constraint(sp.csr_array(m)), want, atol=tol, err_msg=name)


@pytest.mark.refcase
@needs_refcases
def test_zero_weights_count_as_no_tie():
    """Zero-weight ties are dropped, so igraph's 'weights make a line' K4 gives the line's values."""
    graphs, expected = igraph_constraint_cases()
    spec = graphs["full4_weights_make_line"]
    edges = np.array(spec["edges"])
    w = np.array(spec["weights"], dtype=float)
    m = sp.csr_array((np.r_[w, w], (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]])), shape=(4, 4))
    np.testing.assert_allclose(constraint(m), expected["line4"], atol=1e-12)


def test_pendant_person_has_constraint_one():
    """A person with a single contact is fully constrained (C = 1) and has effective size 1."""
    w = sp.csr_array([[0, 0.5, 0, 0], [0.5, 0, 2.0, 1.0], [0, 2.0, 0, 1.0], [0, 1.0, 1.0, 0]])
    assert constraint(w)[0] == pytest.approx(1.0)
    assert effective_size(w)[0] == pytest.approx(1.0)


def test_masked_product_blocks_agree(monkeypatch):
    """Cutting the masked product into many row blocks does not change constraint or brokerage."""
    import analyser.metrics._arrays as arrays_module

    g = nx.gnp_random_graph(60, 0.15, seed=1)
    for u, v in g.edges:
        g[u][v]["weight"] = 1 + (u * v) % 4
    w = arrays(g)
    groups = np.arange(60) % 5
    before = constraint(w), effective_size(w), brokerage(w, groups, 5)
    monkeypatch.setattr(arrays_module, "BLOCK_WORK", 50)
    after = constraint(w), effective_size(w), brokerage(w, groups, 5)
    np.testing.assert_allclose(after[0], before[0], atol=1e-12)
    np.testing.assert_allclose(after[1], before[1], atol=1e-12)
    for role in BROKERAGE_ROLES:
        np.testing.assert_array_equal(after[2][role], before[2][role])


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
        for role in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison"):
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
            role = ("coordinator" if gx == gb == gc else "itinerant" if gx == gc
                    else "gatekeeper" if gb in (gx, gc) else "liaison")
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


# -- sole bridges -----------------------------------------------------------------------------


def test_sole_bridges_hand_worked():
    """Units 0-1 joined by two ties through person 0; units 1-2 by one tie; 0-2 by two disjoint ties."""
    # people: 0,1 in unit 0; 2,3 in unit 1; 4,5 in unit 2
    g = nx.Graph([(0, 2), (0, 3), (3, 4), (0, 5), (1, 4), (0, 1)])
    g.add_nodes_from(range(6))
    groups = np.array([0, 0, 1, 1, 2, 2])
    result = sole_bridges(arrays(g, weight=None), groups)
    assert result.pairs.columns == ["unit_a", "unit_b", "person", "ties"]
    assert result.pairs.rows() == [(0, 1, 0, 2), (1, 2, 3, 1), (1, 2, 4, 1)]
    assert result.per_person.tolist() == [1, 0, 0, 1, 1, 0]


@HYPO
@given(small_graphs())
def test_sole_bridges_match_brute_force(case):
    """Every listed person is an endpoint of all cross ties of that unit pair, and no one is missed."""
    g, groups, _ = case
    result = sole_bridges(arrays(g, weight=None), groups)
    want = []
    by_pair: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for u, v in g.edges:
        if groups[u] != groups[v]:
            key = (int(min(groups[u], groups[v])), int(max(groups[u], groups[v])))
            by_pair.setdefault(key, []).append((u, v))
    for (ka, kb), ties in by_pair.items():
        for p in sorted(g):
            if all(p in t for t in ties):
                want.append((ka, kb, p, len(ties)))
    assert result.pairs.rows() == sorted(want)
    assert result.per_person.tolist() == [sum(1 for w in want if w[2] == p) for p in sorted(g)]


# -- edge cases for every metric --------------------------------------------------------------


def edge_case(name: str) -> tuple[sp.csr_array, np.ndarray, int, sp.csr_array]:
    """(adjacency, groups, K, incidence) for the named edge case."""
    if name == "no_ties":
        inc = sp.csr_array(np.eye(4))  # four one-person projects
        groups, k = np.array([0, 0, 1, 1]), 2
    elif name == "single_unit":
        inc = sp.csr_array([[1, 0], [1, 1], [0, 1], [0, 1]], dtype=float)
        groups, k = np.zeros(4, dtype=np.int64), 1
    elif name == "isolated_and_one_person_unit":
        # person 3 has no project; person 2 is alone in unit 1; unit 2 is person 3's
        inc = sp.csr_array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
        groups, k = np.array([0, 0, 1, 2]), 3
    else:
        raise ValueError(name)
    shared = inc @ inc.T
    shared = sp.csr_array(shared)
    shared.setdiag(0)
    shared.eliminate_zeros()
    shared.data[:] = 1.0
    return shared, groups, k, inc


def test_edge_case_no_ties():
    """No ties at all: undefined ratios are NaN, counts are 0, betweenness is 0."""
    a, groups, k, inc = edge_case("no_ties")
    assert np.isnan(participation(a, groups, k)).all()
    assert np.isnan(constraint(a)).all()
    assert np.isnan(effective_size(a)).all()
    assert collaborators(a).tolist() == [0] * 4
    assert external_collaborators(a, groups).tolist() == [0] * 4
    assert units_reached(a, groups, k).tolist() == [0] * 4
    assert all(brokerage(a, groups, k)[r].tolist() == [0] * 4 for r in BROKERAGE_ROLES)
    sb = sole_bridges(a, groups)
    assert sb.pairs.height == 0 and sb.per_person.tolist() == [0] * 4
    assert sb.pairs.schema == pl.Schema({"unit_a": pl.Int64, "unit_b": pl.Int64, "person": pl.Int64, "ties": pl.Int64})
    np.testing.assert_array_equal(betweenness(inc).values, np.zeros(4))


def test_edge_case_single_unit():
    """Single-unit org: participation 0, nothing external, only coordinators, no sole bridges."""
    a, groups, k, inc = edge_case("single_unit")  # path 0-1-{2,3} with 2-3 tied
    np.testing.assert_array_equal(participation(a, groups, k), np.zeros(4))
    assert external_collaborators(a, groups).tolist() == [0] * 4
    assert units_reached(a, groups, k).tolist() == [0] * 4
    roles = brokerage(a, groups, k)
    assert roles["coordinator"].tolist() == [0, 2, 0, 0]
    assert all(roles[r].sum() == 0 for r in ("itinerant", "gatekeeper", "liaison"))
    assert sole_bridges(a, groups).pairs.height == 0
    assert constraint(a)[0] == pytest.approx(1.0)
    assert effective_size(a)[1] == pytest.approx(3 - 2 * 1 / 3)
    np.testing.assert_allclose(betweenness(inc).values, [0, 2 / 3, 0, 0])


def test_edge_case_isolated_person_and_one_person_unit():
    """An isolated person gets NaN ratios and zero counts; a one-person unit's member is all external."""
    a, groups, k, inc = edge_case("isolated_and_one_person_unit")  # ties 0-1, 1-2
    p = participation(a, groups, k)
    assert p[:3].tolist() == [0.0, 0.5, 0.0] and np.isnan(p[3])
    assert np.isnan(constraint(a)[3]) and np.isnan(effective_size(a)[3])
    assert constraint(a)[2] == pytest.approx(1.0)
    assert collaborators(a).tolist() == [1, 2, 1, 0]
    assert external_collaborators(a, groups).tolist() == [0, 1, 1, 0]
    assert units_reached(a, groups, k).tolist() == [0, 1, 1, 0]
    assert brokerage(a, groups, k)["gatekeeper"].tolist() == [0, 1, 0, 0]
    sb = sole_bridges(a, groups)
    assert sb.pairs.rows() == [(0, 1, 1, 1), (0, 1, 2, 1)]
    assert sb.per_person.tolist() == [0, 1, 1, 0]
    # pairs of others for person 1: {0,2}, {0,3}, {2,3}; only {0,2} is connected through her
    np.testing.assert_allclose(betweenness(inc).values, [0, 1 / 3, 0, 0])


def test_edge_case_empty_organisation():
    """Zero people: every metric returns an empty array without warnings."""
    a = sp.csr_array((0, 0))
    groups = np.zeros(0, dtype=np.int64)
    for values in (
        participation(a, groups, 1), collaborators(a), external_collaborators(a, groups),
        units_reached(a, groups, 1), constraint(a), effective_size(a),
        betweenness(sp.csr_array((0, 0))).values, sole_bridges(a, groups).per_person,
        *brokerage(a, groups, 1).values(),
    ):
        assert values.shape == (0,)


def test_inputs_are_checked_at_the_boundary():
    """Wrong shapes, unit codes out of range and negative weights raise ValueError."""
    a = sp.csr_array([[0, 1.0], [1.0, 0]])
    with pytest.raises(ValueError, match="square"):
        constraint(sp.csr_array((2, 3)))
    with pytest.raises(ValueError, match="one unit code per person"):
        participation(a, np.array([0]), 1)
    with pytest.raises(ValueError, match="n_groups is 2"):
        brokerage(a, np.array([0, 2]), 2)
    with pytest.raises(ValueError, match="non-negative"):
        effective_size(sp.csr_array([[0, -1.0], [-1.0, 0]]))
