"""Tests of analyser.metrics.bridging: betweenness, participation, reach, sole bridges."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from tests.metrics.graph_cases import (
    HYPO,
    REFCASES,
    arrays,
    brute_participation,
    generated_roster,
    membership_graph,
    small_graphs,
    small_rosters,
)
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import spearmanr

from analyser.metrics.bridging import (
    EXACT_MAX_PEOPLE,
    LARGE_PEOPLE,
    LARGE_SAMPLE_SIZE,
    SAMPLE_SIZE,
    SAMPLED_SPEARMAN_MIN,
    betweenness,
    collaborators,
    bridging_betweenness,
    cross_unit_betweenness,
    external_collaborators,
    participation,
    participation_coefficient,
    sole_bridges,
    units_reached,
)
from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage
from analyser.metrics.structural_holes import constraint, effective_size

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
    ref = nx.betweenness_centrality_subset(
        membership_graph(incidence), people, people, normalized=False
    )
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
    sources = np.sort(
        np.random.default_rng(seed).choice(n, size=k, replace=False)
    ).tolist()
    ref = nx.betweenness_centrality_subset(
        membership_graph(inc), sources, list(range(n)), normalized=False
    )
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
    np.testing.assert_allclose(
        participation(a, groups, k), brute_participation(g, groups, k), atol=1e-12
    )
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
    got = participation_coefficient(
        sp.csr_array([[0, 1.0], [0, 0]]), np.array([0, 1]), 2
    )
    assert got[0] == 0 and np.isnan(got[1])


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
    assert result.per_person.tolist() == [
        sum(1 for w in want if w[2] == p) for p in sorted(g)
    ]


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
    assert sb.pairs.schema == pl.Schema(
        {"unit_a": pl.Int64, "unit_b": pl.Int64, "person": pl.Int64, "ties": pl.Int64}
    )
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
        participation(a, groups, 1),
        collaborators(a),
        external_collaborators(a, groups),
        units_reached(a, groups, 1),
        constraint(a),
        effective_size(a),
        betweenness(sp.csr_array((0, 0))).values,
        sole_bridges(a, groups).per_person,
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


# -- fast paths and the stated accuracy of sampled betweenness -----------------------------------


@HYPO
@given(small_graphs(max_nodes=9, max_units=4))
def test_sole_bridges_with_tie_list_match_plain_call(case):
    """Passing the tie list (as analyse does) gives the same sole bridges and external
    collaborators as the matrix alone."""
    g, groups, _ = case
    a = arrays(g, weight=None)
    upper = sp.triu(a, k=1).tocoo()
    plain = sole_bridges(a, groups)
    fast = sole_bridges(a, groups, ties=(upper.row.astype(np.int32), upper.col.astype(np.int32), None))
    assert plain.pairs.equals(fast.pairs) and np.array_equal(plain.per_person, fast.per_person)
    tie_list = (upper.row.astype(np.int32), upper.col.astype(np.int32), None)
    assert np.array_equal(external_collaborators(a, groups, ties=tie_list), external_collaborators(a, groups))


@pytest.mark.parametrize("sources", [SAMPLE_SIZE, LARGE_SAMPLE_SIZE])
def test_sampled_betweenness_meets_stated_accuracy(sources):
    """Forced sampling on an S-sized organisation ranks people as the exact values do (Spearman ≥ stated floor)."""
    from analyser.network import build_network
    from analyser.roster import Roster
    from analyser.sample import generate_roster

    net = build_network(Roster.from_frame(generate_roster(people=1000, projects=200, seed=3)))
    inc = net.tie_incidence
    exact = betweenness(inc, exact_max_people=inc.shape[0])
    for seed in (0, 1, 2):
        sampled = betweenness(inc, exact_max_people=0, sample_size=sources, seed=seed)
        assert sampled.method == "sampled" and sampled.sources == sources
        assert spearmanr(exact.values, sampled.values).statistic >= SAMPLED_SPEARMAN_MIN


def test_betweenness_sample_shrinks_only_above_large_people():
    """The automatic sample is 256 sources, 128 above LARGE_PEOPLE people."""
    small = sp.csr_array(np.eye(EXACT_MAX_PEOPLE + 1, 2))
    assert betweenness(small).sources == SAMPLE_SIZE
    assert LARGE_SAMPLE_SIZE < SAMPLE_SIZE and LARGE_PEOPLE > EXACT_MAX_PEOPLE


# -- cross-unit betweenness ------------------------------------------------------------------


def _brute_cross_unit_betweenness(incidence: sp.csr_array, groups: np.ndarray) -> np.ndarray:
    """Every shortest path of every cross-unit pair, enumerated (networkx all_shortest_paths)."""
    n = incidence.shape[0]
    graph = membership_graph(incidence)
    sums = np.zeros(n)
    for s in range(n):
        for t in range(s + 1, n):
            if groups[s] == groups[t] or not nx.has_path(graph, s, t):
                continue
            paths = list(nx.all_shortest_paths(graph, s, t))
            for v in range(n):
                if v not in (s, t):
                    sums[v] += sum(v in p for p in paths) / len(paths)
    sizes = np.bincount(groups)
    pairs = (n * n - np.sum(sizes.astype(float) ** 2)) / 2 - (n - sizes[groups])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, sums / np.where(pairs > 0, pairs, 1), np.nan)


@HYPO
@given(small_rosters(), st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_cross_unit_betweenness_equals_enumerated_paths(incidence, units):
    """Exact values equal the share of enumerated shortest cross-unit paths through each person."""
    n = incidence.shape[0]
    groups = np.array(units[:n], dtype=np.int64)
    k = int(groups.max()) + 1 if n else 1
    result = cross_unit_betweenness(incidence, groups, k)
    assert result.method == "exact"
    if n < 3:
        assert np.isnan(result.values).all()
        return
    np.testing.assert_allclose(result.values, _brute_cross_unit_betweenness(incidence, groups), atol=1e-12)


def test_cross_unit_betweenness_hand_worked():
    """Chain a–b–c–d, units {a, b} and {c, d}: b and c carry every cross pair they are not in."""
    inc = sp.csr_array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=float)
    np.testing.assert_allclose(cross_unit_betweenness(inc, np.array([0, 0, 1, 1]), 2).values, [0, 1, 1, 0])
    # a star inside unit 0 around person 0, plus one cross tie from person 1 to person 3
    star = sp.csr_array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]], dtype=float)
    groups = np.array([0, 0, 0, 1])
    plain = betweenness(star).values
    cross = cross_unit_betweenness(star, groups, 2).values
    # person 0 links 1 and 2 (same unit) and lies on 2–3: cross pairs without 0 are {1,3}, {2,3};
    # person 3, alone in unit 1, is in every cross pair: no pair left to broker (NaN, not 0)
    np.testing.assert_allclose(cross, [0.5, 1.0, 0.0, np.nan])
    assert plain[0] > 0 and plain[1] > 0


def test_cross_unit_betweenness_one_unit_is_undefined():
    """With everyone in one unit there is no cross-unit pair: NaN, not 0."""
    inc = generated_roster(12, 1, 6, seed=4)
    assert np.isnan(cross_unit_betweenness(inc, np.zeros(12, dtype=np.int64), 1).values).all()


def test_cross_unit_betweenness_sampled_is_scaled_source_sum():
    """Sampled: the sources of betweenness() (same seed), the cross pairs from them, scaled by N/k."""
    inc = generated_roster(40, 3, 20, seed=2)
    groups = np.random.default_rng(0).integers(0, 3, 40)
    n, k, seed = 40, 7, 11
    result = cross_unit_betweenness(inc, groups, 3, exact_max_people=10, sample_size=k, seed=seed)
    plain = betweenness(inc, exact_max_people=10, sample_size=k, seed=seed)
    assert result.method == "sampled" and result.sources == k == plain.sources
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    graph = membership_graph(inc)
    raw = np.zeros(n)
    for unit in np.unique(groups[sources]):
        ref = nx.betweenness_centrality_subset(
            graph, sources[groups[sources] == unit].tolist(), np.flatnonzero(groups != unit).tolist(), normalized=False
        )
        raw += np.array([ref[i] for i in range(n)])
    sizes = np.bincount(groups)
    pairs = (n * n - np.sum(sizes**2)) / 2 - (n - sizes[groups])
    np.testing.assert_allclose(result.values, raw * (n / k) / pairs, atol=1e-12)


def test_cross_unit_betweenness_sampled_ranks_like_exact():
    """On a synthetic organisation the sampled ranking agrees with the exact one (as betweenness)."""
    inc = generated_roster(1000, 15, 300, seed=5)
    groups = np.random.default_rng(5).integers(0, 15, 1000)
    exact = cross_unit_betweenness(inc, groups, 15).values
    sampled = cross_unit_betweenness(inc, groups, 15, exact_max_people=10, sample_size=SAMPLE_SIZE, seed=0).values
    assert spearmanr(exact, sampled).statistic >= SAMPLED_SPEARMAN_MIN


@HYPO
@given(small_rosters(), st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_one_pass_equals_the_two_igraph_calls(incidence, units):
    """bridging_betweenness (numba, one pass) gives the igraph values of both measures."""
    n = incidence.shape[0]
    groups = np.array(units[:n], dtype=np.int64)
    k = int(groups.max()) + 1 if n else 1
    plain, cross = bridging_betweenness(incidence, groups, k)
    np.testing.assert_allclose(plain.values, betweenness(incidence).values, atol=1e-12)
    np.testing.assert_allclose(cross.values, cross_unit_betweenness(incidence, groups, k).values, atol=1e-12)


def test_one_pass_sampled_equals_the_two_igraph_calls():
    """Sampled: same sources (same seed), same scaling, same values."""
    inc = generated_roster(300, 6, 120, seed=8)
    groups = np.random.default_rng(8).integers(0, 6, 300)
    kwargs = dict(exact_max_people=50, sample_size=40, seed=3)
    plain, cross = bridging_betweenness(inc, groups, 6, **kwargs)
    assert plain.method == cross.method == "sampled" and plain.sources == 40
    np.testing.assert_allclose(plain.values, betweenness(inc, **kwargs).values, atol=1e-12)
    np.testing.assert_allclose(cross.values, cross_unit_betweenness(inc, groups, 6, **kwargs).values, atol=1e-12)
