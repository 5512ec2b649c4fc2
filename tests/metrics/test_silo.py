"""Tests for analyser.metrics.silo: unit tie counts, E-I index, permutation test, descriptors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.metrics.silo import (
    PermutationResult,
    benjamini_hochberg,
    silo_verdicts,
    bridge_concentration,
    cross_unit_project_share,
    ei_index,
    ei_permutation_test,
    expected_ei_index,
    external_density,
    internal_density,
    mixing_matrix,
    org_ei_index,
    org_expected_ei_index,
    partner_units,
    unit_tie_counts,
    upper_ties,
)
from analyser.network import build_network
from analyser.roster import Roster
from tests.shared_data import REFCASES

HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAN = np.nan


def _net(rows):
    net = build_network(Roster.from_rows(rows))
    return net.adjacency, net.person_unit, len(net.units), net


def _graph_arrays(g: nx.Graph, attribute: str, order: list[str] | None = None):
    """Adjacency, group codes and K for an nx graph with a categorical node attribute."""
    nodes = list(g.nodes)
    values = [g.nodes[v][attribute] for v in nodes]
    names = order or sorted(set(values))
    groups = np.array([names.index(v) for v in values])
    return nx.to_scipy_sparse_array(g, nodelist=nodes, weight=None), groups, len(names)


@st.composite
def small_graphs(draw, max_nodes: int = 10, max_groups: int = 4):
    """A random simple graph as (CSR adjacency, group codes, K)."""
    n = draw(st.integers(1, max_nodes))
    k = draw(st.integers(1, max_groups))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    present = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    groups = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    edges = [p for p, keep in zip(pairs, present) if keep]
    rows = [i for i, j in edges] + [j for i, j in edges]
    cols = [j for i, j in edges] + [i for i, j in edges]
    a = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return a, groups, k


# -- hand-worked: the tiny roster of tests/conftest.py ----------------------------------------
# Units A (ann, bob, cid), B (dan, eva), C (fay), D (gus, alone on P5); 8 ties, see conftest.


def test_unit_tie_counts_tiny(tiny_roster: Roster) -> None:
    """Internal ties are counted once per tie, external ties once per unit end (hand count)."""
    net = build_network(tiny_roster)
    internal, external = unit_tie_counts(net.adjacency, net.person_unit, len(net.units))
    assert internal.tolist() == [3, 1, 0, 0]
    assert external.tolist() == [3, 3, 2, 0]


def test_ei_index_tiny(tiny_roster: Roster) -> None:
    """Unit E-I: A 0, B 0.5, C (one person, tied) +1, D (no ties) NaN."""
    net = build_network(tiny_roster)
    result = ei_index(*unit_tie_counts(net.adjacency, net.person_unit, len(net.units)))
    np.testing.assert_allclose(result, [0.0, 0.5, 1.0, NAN])


def test_org_ei_index_tiny(tiny_roster: Roster) -> None:
    """4 within-unit and 4 cross-unit ties give a whole-network E-I of 0."""
    net = build_network(tiny_roster)
    assert org_ei_index(net.adjacency, net.person_unit) == 0.0


def test_expected_ei_index_tiny(tiny_roster: Roster) -> None:
    """Sizes 3, 2, 1, 1 of 7: A (12−3)/(12+3), B (10−1)/(10+1), one-person units +1."""
    net = build_network(tiny_roster)
    np.testing.assert_allclose(expected_ei_index(net.unit_size), [9 / 15, 9 / 11, 1.0, 1.0])


def test_org_expected_ei_index_tiny(tiny_roster: Roster) -> None:
    """17 cross-unit pairs and 4 within-unit pairs: (17 − 4)/21."""
    net = build_network(tiny_roster)
    assert org_expected_ei_index(net.unit_size) == pytest.approx(13 / 21)


def test_mixing_matrix_tiny(tiny_roster: Roster) -> None:
    """Symmetric unit mixing: AA 3, BB 1, AB 2, AC 1, BC 1; upper triangle sums to 8 ties."""
    net = build_network(tiny_roster)
    result = mixing_matrix(net.adjacency, net.person_unit, len(net.units))
    expected = np.array([[3, 2, 1, 0], [2, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(result, expected)
    assert np.triu(result).sum() == net.tie_count


def test_densities_tiny(tiny_roster: Roster) -> None:
    """Internal density is NaN below two people; external density uses n_k (N − n_k) pairs."""
    net = build_network(tiny_roster)
    internal, external = unit_tie_counts(net.adjacency, net.person_unit, len(net.units))
    np.testing.assert_allclose(internal_density(internal, net.unit_size), [1.0, 1.0, NAN, NAN])
    np.testing.assert_allclose(external_density(external, net.unit_size), [0.25, 0.3, 1 / 3, 0.0])


def test_partner_units_tiny(tiny_roster: Roster) -> None:
    """A, B and C each reach the two others; D reaches none."""
    net = build_network(tiny_roster)
    assert partner_units(net.adjacency, net.person_unit, len(net.units)).tolist() == [2, 2, 2, 0]


def test_cross_unit_project_share_tiny(tiny_roster: Roster) -> None:
    """A: P2, P4 of P1, P2, P4; B: P2, P4 of P2, P3, P4; C: P4 only; D: its solo P5."""
    net = build_network(tiny_roster)
    result = cross_unit_project_share(net.incidence, net.person_unit, len(net.units))
    np.testing.assert_allclose(result, [2 / 3, 2 / 3, 1.0, 0.0])


def test_cross_unit_project_share_unit_without_projects() -> None:
    """A unit code with no members (so no projects) is NaN, not 0."""
    b = sp.csr_array(np.array([[1, 0], [1, 1]]))
    result = cross_unit_project_share(b, np.array([0, 1]), 3)
    np.testing.assert_allclose(result, [1.0, 0.5, NAN])


def test_bridge_concentration_tiny(tiny_roster: Roster) -> None:
    """cid carries all 3 of A's outside ties, eva 2 of B's 3, fay all of C's; D has none."""
    net = build_network(tiny_roster)
    result = bridge_concentration(net.adjacency, net.person_unit, len(net.units))
    np.testing.assert_allclose(result, [1.0, 2 / 3, 1.0, NAN])


# -- edge cases -------------------------------------------------------------------------------


def test_no_ties_everything_undefined() -> None:
    """With only one-person projects there are no ties: every E-I and test value is NaN."""
    adjacency, groups, k, _ = _net([("P1", "ann", "A"), ("P2", "bob", "B"), ("P3", "cid", "A")])
    internal, external = unit_tie_counts(adjacency, groups, k)
    assert np.isnan(ei_index(internal, external)).all()
    assert np.isnan(org_ei_index(adjacency, groups))
    result = ei_permutation_test(adjacency, groups, k, n_permutations=20)
    assert np.isnan(result.z).all() and np.isnan(result.p).all()
    assert np.isnan(bridge_concentration(adjacency, groups, k)).all()


def test_one_unit_org() -> None:
    """One unit: every tie internal, E-I and expected E-I −1, no chance variation (z NaN, p 1)."""
    adjacency, groups, k, net = _net([("P1", "ann", "A"), ("P1", "bob", "A"), ("P2", "bob", "A"), ("P2", "cid", "A")])
    assert org_ei_index(adjacency, groups) == -1.0
    np.testing.assert_allclose(ei_index(*unit_tie_counts(adjacency, groups, k)), [-1.0])
    np.testing.assert_allclose(expected_ei_index(net.unit_size), [-1.0])
    assert org_expected_ei_index(net.unit_size) == -1.0
    result = ei_permutation_test(adjacency, groups, k, n_permutations=30)
    assert np.isnan(result.z[0]) and result.p[0] == 1.0


def test_single_person_org_expected_undefined() -> None:
    """One person has no pair at all: expected E-I is NaN at unit and org level."""
    assert np.isnan(expected_ei_index(np.array([1]))).all()
    assert np.isnan(org_expected_ei_index(np.array([1])))


def test_empty_unit_expected_undefined() -> None:
    """A unit code with no people has no pairs: expected E-I NaN; others unaffected."""
    np.testing.assert_allclose(expected_ei_index(np.array([2, 0, 2])), [0.6, NAN, 0.6])


def test_isolated_people_count_in_sizes_only() -> None:
    """An isolated extra member changes expected E-I and density, never the tie counts."""
    rows = [("P1", "ann", "A"), ("P1", "bob", "B")]
    a1, g1, k1, net1 = _net(rows)
    a2, g2, k2, net2 = _net([*rows, ("P2", "cid", "A")])
    assert [c.tolist() for c in unit_tie_counts(a1, g1, k1)] == [c.tolist() for c in unit_tie_counts(a2, g2, k2)]
    assert expected_ei_index(net1.unit_size)[0] != expected_ei_index(net2.unit_size)[0]


def test_unit_tie_counts_ignore_weights_and_explicit_zeros() -> None:
    """Weights do not change the counts; a stored 0 is not a tie."""
    # rows: 0 -> {1: 2.5, 2: stored 0}; 1 -> {0: 2.5, 2: 1}; 2 -> {0: stored 0, 1: 1}
    a = sp.csr_array(([2.5, 0.0, 2.5, 1.0, 0.0, 1.0], [1, 2, 0, 2, 0, 1], [0, 2, 4, 6]), shape=(3, 3))
    assert a.nnz == 6
    internal, external = unit_tie_counts(a, np.array([0, 0, 1]), 2)
    assert internal.tolist() == [1, 0] and external.tolist() == [1, 1]
    assert upper_ties(a)[0].size == 2


def test_groups_must_be_integer_codes() -> None:
    """Unit names instead of codes are refused with a message naming groups."""
    with pytest.raises(ValueError, match="groups"):
        unit_tie_counts(sp.csr_array((2, 2)), np.array(["A", "B"]), 2)
    with pytest.raises(ValueError, match="n_groups is 2"):
        mixing_matrix(sp.csr_array((2, 2)), np.array([0, 2]), 2)


# -- permutation test -------------------------------------------------------------------------


def _two_silos():
    """Two 4-person cliques with one bridge: both units are strong silos."""
    g = nx.barbell_graph(4, 0)
    return nx.to_scipy_sparse_array(g), np.array([0] * 4 + [1] * 4), 2


def test_permutation_test_detects_silos() -> None:
    """Two cliques joined by one tie are far more closed than chance: low p, negative z."""
    a, groups, k = _two_silos()
    result = ei_permutation_test(a, groups, k, n_permutations=199, seed=1)
    assert isinstance(result, PermutationResult) and result.n_permutations == 199
    assert (result.p < 0.05).all() and (result.z < -2).all()


def test_permutation_test_is_reproducible() -> None:
    """The same seed gives identical z and p; another seed gives other draws."""
    a, groups, k = _two_silos()
    first = ei_permutation_test(a, groups, k, n_permutations=50, seed=7)
    again = ei_permutation_test(a, groups, k, n_permutations=50, seed=7)
    other = ei_permutation_test(a, groups, k, n_permutations=50, seed=8)
    np.testing.assert_array_equal(first.z, again.z)
    np.testing.assert_array_equal(first.p, again.p)
    assert not np.array_equal(first.z, other.z)


def test_permutation_test_matches_plain_loop() -> None:
    """Streaming mean/SD and counts equal a plain recomputation of every permutation."""
    adjacency, groups, k = nx.to_scipy_sparse_array(nx.karate_club_graph(), weight=None), np.arange(34) % 3, 3
    result = ei_permutation_test(adjacency, groups, k, n_permutations=40, seed=3)
    rng = np.random.default_rng(3)
    perms = np.array([ei_index(*unit_tie_counts(adjacency, rng.permutation(groups), k)) for _ in range(40)])
    observed = ei_index(*unit_tie_counts(adjacency, groups, k))
    np.testing.assert_allclose(result.z, (observed - perms.mean(0)) / perms.std(0, ddof=1))
    np.testing.assert_allclose(result.p, (1 + (perms <= observed).sum(0)) / 41)


def test_permutation_test_caps_work() -> None:
    """ties × permutations above max_work cuts the count to max(99, max_work // ties)."""
    a, groups, k = _two_silos()  # 13 ties
    assert ei_permutation_test(a, groups, k, n_permutations=999, max_work=13 * 150).n_permutations == 150
    assert ei_permutation_test(a, groups, k, n_permutations=999, max_work=100).n_permutations == 99
    assert ei_permutation_test(a, groups, k, n_permutations=20, max_work=100).n_permutations == 20


def test_permutation_test_zero_permutations() -> None:
    """Zero permutations give no evidence: z and p NaN; a negative count is refused."""
    a, groups, k = _two_silos()
    result = ei_permutation_test(a, groups, k, n_permutations=0)
    assert result.n_permutations == 0 and np.isnan(result.p).all() and np.isnan(result.z).all()
    with pytest.raises(ValueError, match="n_permutations"):
        ei_permutation_test(a, groups, k, n_permutations=-1)


def test_permutation_test_one_person_unit() -> None:
    """A tied one-person unit is +1 in every permutation where tied: SD 0, so z NaN."""
    a = nx.to_scipy_sparse_array(nx.complete_graph(4))
    result = ei_permutation_test(a, np.array([0, 0, 0, 1]), 2, n_permutations=30)
    assert np.isnan(result.z[1]) and result.p[1] == 1.0


# -- published reference values --------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.refcase
def test_org_ei_whitekinship() -> None:
    """netseg ei(WhiteKinship, "gender") = −0.1818182 (rendered netseg docs)."""
    case = REFCASES / "netseg_whitekinship"
    expected = json.loads((case / "expected.json").read_text())["expected"]["ei_index_whole_network"]
    g = nx.Graph()
    g.add_nodes_from((r["name"], {"gender": r["gender"]}) for r in _read_csv(case / "nodes.csv"))
    g.add_edges_from((r["from"], r["to"]) for r in _read_csv(case / "edges.csv"))
    a, groups, _ = _graph_arrays(g, "gender")
    assert org_ei_index(a, groups) == pytest.approx(expected["value"], abs=expected["tolerance"])


def _classroom_mutual() -> nx.Graph:
    case = REFCASES / "netseg_classroom"
    arcs = {(r["from"], r["to"]) for r in _read_csv(case / "edges.csv")}
    g = nx.Graph()
    g.add_nodes_from((r["id"], {"gender": r["gender"]}) for r in _read_csv(case / "nodes.csv"))
    g.add_edges_from((u, v) for u, v in arcs if (v, u) in arcs)
    return g


@pytest.mark.refcase
def test_org_ei_classroom_mutual() -> None:
    """netseg vignette: mutual-undirected classroom E-I −0.9090909 and mixing BB 11, BG 1, GG 10."""
    expected = json.loads((REFCASES / "netseg_classroom" / "expected.json").read_text())["expected"]
    mutual, tol = expected["undirected_mutual"], expected["tolerance"]
    a, groups, k = _graph_arrays(_classroom_mutual(), "gender", order=["Boy", "Girl"])
    assert org_ei_index(a, groups) == pytest.approx(mutual["ei_index_whole_network"], abs=tol)
    m = mixing_matrix(a, groups, k)
    cells = mutual["mixing_matrix"]
    assert (m[0, 0], m[0, 1], m[1, 1]) == (cells["Boy-Boy"], cells["Boy-Girl"], cells["Girl-Girl"])
    assert np.triu(m).sum() == mutual["number_of_edges"]


@pytest.mark.refcase
def test_mixing_matrix_networkx_convention_fish() -> None:
    """networkx counts both directions: its fish matrix is our M plus its diagonal again."""
    case = REFCASES / "nx_attribute_assortativity"
    expected = json.loads((case / "expected.json").read_text())["expected"]["G_undirected"]["mixing_matrix_counts"]
    g = nx.Graph()
    g.add_nodes_from((r["node"], {"fish": r["fish"]}) for r in _read_csv(case / "nodes.csv"))
    g.add_edges_from((r["source"], r["target"]) for r in _read_csv(case / "edges.csv") if r["graph"] == "G_undirected")
    a, groups, k = _graph_arrays(g, "fish", order=expected["order"])
    m = mixing_matrix(a, groups, k)
    np.testing.assert_array_equal(m + np.diag(np.diag(m)), expected["matrix"])


# -- properties -------------------------------------------------------------------------------


@HYPO
@given(small_graphs())
def test_ei_in_range(case) -> None:
    """Unit and whole-network E-I lie in [−1, 1] or are NaN."""
    a, groups, k = case
    values = np.append(ei_index(*unit_tie_counts(a, groups, k)), org_ei_index(a, groups))
    defined = values[~np.isnan(values)]
    assert ((defined >= -1) & (defined <= 1)).all()


@HYPO
@given(small_graphs(), st.randoms(use_true_random=False))
def test_invariant_under_relabelling_people(case, rnd) -> None:
    """Renumbering people (rows, columns and groups alike) changes no unit metric."""
    a, groups, k = case
    order = np.array(rnd.sample(range(len(groups)), len(groups)))
    b = sp.csr_array(a[order][:, order])
    h = groups[order]
    for metric in (unit_tie_counts, mixing_matrix, partner_units, bridge_concentration):
        before, after = metric(a, groups, k), metric(b, h, k)
        np.testing.assert_array_equal(np.asarray(before), np.asarray(after))
    assert np.array_equal(org_ei_index(a, groups), org_ei_index(b, h), equal_nan=True)


@HYPO
@given(small_graphs())
def test_mixing_total_equals_ties(case) -> None:
    """The mixing matrix's upper triangle sums to the number of ties; it is symmetric."""
    a, groups, k = case
    m = mixing_matrix(a, groups, k)
    assert np.triu(m).sum() == a.nnz // 2
    np.testing.assert_array_equal(m, m.T)
    internal, external = unit_tie_counts(a, groups, k)
    np.testing.assert_array_equal(np.diag(m), internal)
    np.testing.assert_array_equal(m.sum(1) - np.diag(m), external)


@HYPO
@given(
    st.lists(st.integers(2, 4), min_size=1, max_size=3),
    st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=4), max_size=5),
)
def test_unit_with_only_internal_projects_is_minus_one(silo_projects, other_projects) -> None:
    """A unit whose projects never include outsiders has E-I −1 whatever else happens."""
    rows = [(f"S{i}", f"s{j}", "Silo") for i, size in enumerate(silo_projects) for j in range(size)]
    rows += [(f"O{i}", f"o{p}", f"U{p % 3}") for i, members in enumerate(other_projects) for p in members]
    adjacency, groups, k, net = _net(rows)
    silo = net.units.index("Silo")
    internal, external = unit_tie_counts(adjacency, groups, k)
    assert ei_index(internal, external)[silo] == -1.0
    assert cross_unit_project_share(net.incidence, groups, k)[silo] == 0.0


# -- precomputed ties and the fast permutation test ----------------------------------------------


def _random_ties(seed: int, n: int = 300, k: int = 7, p: float = 0.03):
    g = nx.gnp_random_graph(n, p, seed=seed)
    adj = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=range(n)))
    groups = np.random.default_rng(seed).integers(0, k, n)
    return adj, groups, k


def _plain_permutation_test(adj, groups, k, n_permutations, seed):
    """The test written plainly: one full E-I recount per shuffled labelling."""
    rows, cols, _ = upper_ties(adj)

    def unit_ei(labels):
        li, lj = labels[rows], labels[cols]
        internal = np.bincount(li[li == lj], minlength=k)
        external = np.bincount(li[li != lj], minlength=k) + np.bincount(lj[li != lj], minlength=k)
        return ei_index(internal, external)

    observed = unit_ei(groups)
    rng = np.random.default_rng(seed)
    values = np.array([unit_ei(rng.permutation(groups)) for _ in range(n_permutations)])
    mean, sd = np.nanmean(values, axis=0), np.nanstd(values, axis=0, ddof=1)
    p = (1 + np.sum(values <= observed, axis=0)) / (1 + np.sum(~np.isnan(values), axis=0))
    return (observed - mean) / sd, p


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_permutation_test_equals_plain_reference(seed):
    """The chunked small-integer permutation test gives the plain implementation's z and p."""
    adj, groups, k = _random_ties(seed)
    result = ei_permutation_test(adj, groups, k, n_permutations=60, seed=seed)
    z, p = _plain_permutation_test(adj, groups, k, 60, seed)
    assert np.allclose(result.z, z, equal_nan=True)
    assert np.allclose(result.p, p, equal_nan=True)


def test_ties_argument_gives_the_same_figures():
    """Passing the tie list (as analyse does) changes no figure of any silo function."""
    adj, groups, k = _random_ties(5)
    rows, cols, _ = upper_ties(adj)
    ties = (rows.astype(np.int32), cols.astype(np.int32), None)
    for f in (unit_tie_counts, mixing_matrix, partner_units, bridge_concentration):
        plain, fast = f(adj, groups, k), f(adj, groups, k, ties=ties)
        for x, y in zip(np.atleast_2d(plain), np.atleast_2d(fast)):
            assert np.array_equal(x, y, equal_nan=True), f.__name__
    assert org_ei_index(adj, groups) == org_ei_index(adj, groups, ties=ties)
    a = ei_permutation_test(adj, groups, k, n_permutations=30, seed=1)
    b = ei_permutation_test(adj, groups, k, n_permutations=30, seed=1, ties=ties)
    assert np.array_equal(a.z, b.z, equal_nan=True) and np.array_equal(a.p, b.p, equal_nan=True)


# -- the permutation test's baseline, Benjamini–Hochberg and verdicts --------------------------


def test_permutation_expected_is_the_mean_of_the_shuffles():
    """``expected`` is the mean E-I over the same shuffles the p-value counts (recounted here)."""
    rng = np.random.default_rng(4)
    upper = sp.triu(sp.random_array((40, 40), density=0.15, rng=rng) > 0, k=1)
    adjacency = sp.csr_array((upper + upper.T).astype(np.int64))
    groups = rng.integers(0, 4, 40)
    result = ei_permutation_test(adjacency, groups, 4, n_permutations=60, seed=9)
    shuffles = np.random.default_rng(9)
    values = []
    for _ in range(60):
        internal, external = unit_tie_counts(adjacency, shuffles.permutation(groups), 4)
        values.append(ei_index(internal, external))
    np.testing.assert_allclose(result.expected, np.nanmean(np.array(values), axis=0), atol=1e-12)


def _brute_bh(p: np.ndarray) -> np.ndarray:
    """q_(i) = min over j >= i of m p_(j) / j, capped at 1 (the paper's step-up rule, written out)."""
    m = p.size
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.array([min(1.0, ranked[i:].min()) for i in range(m)])
    out = np.empty(m)
    out[order] = q_sorted
    return out


def test_benjamini_hochberg_published_example():
    """Benjamini & Hochberg (1995) §4: of their 15 p-values, the 4 smallest are discoveries at 0.05."""
    p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
                  0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000])  # fmt: skip
    q = benjamini_hochberg(p)
    assert int(np.sum(q < 0.05)) == 4
    np.testing.assert_allclose(q, _brute_bh(p), atol=1e-12)


@given(st.lists(st.floats(0.0005, 1.0), min_size=1, max_size=30))
def test_benjamini_hochberg_matches_the_rule_and_ignores_nan(values):
    """q ≥ p, order kept, NaN entries are no tests (they do not raise m)."""
    p = np.array(values)
    q = benjamini_hochberg(np.concatenate([p, [np.nan]]))
    assert np.isnan(q[-1])
    np.testing.assert_allclose(q[:-1], _brute_bh(p), atol=1e-12)
    assert np.all(q[:-1] >= p - 1e-15)


def test_silo_verdicts_need_evidence_and_use_the_tests_own_baseline():
    """Tiny units are not judged; a closed unit that is no more closed than its shuffles is no silo."""
    ei = np.array([-0.8, -0.8, -0.2, -0.9, 0.4])
    perm_baseline = np.array([0.5, 0.5, -0.5, 0.5, 0.6])
    p = np.array([0.001, 0.001, 0.001, 0.001, 0.9])
    people = np.array([20, 2, 20, 20, 20])
    projects = np.array([6, 6, 6, 2, 6])
    verdict, q = silo_verdicts(ei, perm_baseline, p, people, projects)
    assert verdict.tolist() == ["silo", "too_little_data", "not_silo", "too_little_data", "not_silo"]
    # three units judged: m = 3
    np.testing.assert_allclose(q[[0, 2, 4]], [0.0015, 0.0015, 0.9])
    assert np.isnan(q[[1, 3]]).all()


def test_silo_verdicts_correct_for_testing_many_units():
    """Forty units at p = 0.04 each: alone each looks significant; together none is."""
    n = 40
    verdict, q = silo_verdicts(
        np.full(n, -0.5), np.full(n, 0.2), np.r_[np.full(n - 1, 0.6), 0.04], np.full(n, 10), np.full(n, 5)
    )
    assert "silo" not in verdict.tolist() and q[-1] == pytest.approx(0.6)  # min(40·0.04/1, 40·0.6/40)
