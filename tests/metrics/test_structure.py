"""Tests for analyser.metrics.structure: modularity, assortativity, Louvain, NMI, components."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import igraph
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.metrics.structure import (
    IGRAPH_ENGINE,
    NETWORKIT_ENGINE,
    STABILITY_MAX_TIES,
    STABILITY_MAX_WORK,
    STABILITY_RUNS,
    community_stability,
    component_summary,
    connected_components,
    count_communities,
    louvain_communities,
    louvain_partitions,
    mixing_assortativity,
    modularity,
    normalized_mutual_information,
    stability_runs,
    unit_assortativity,
)
from analyser.network import build_network
from analyser.roster import Roster
from tests.shared_data import REFCASES, ROOT

HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _partition_labels(n: int, partition: list[list[int]]) -> np.ndarray:
    labels = np.empty(n, dtype=np.int64)
    for code, block in enumerate(partition):
        labels[block] = code
    return labels


@st.composite
def weighted_graphs(draw, max_nodes: int = 9, max_groups: int = 4):
    """A random simple graph as an nx.Graph with weights and a group code per node."""
    n = draw(st.integers(1, max_nodes))
    k = draw(st.integers(1, max_groups))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                g.add_edge(i, j, weight=draw(st.sampled_from([1.0, 0.5, 2.0, 1 / 3])))
    groups = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return g, groups


# -- hand-worked: the tiny roster of tests/conftest.py ----------------------------------------


def test_modularity_tiny(tiny_roster: Roster) -> None:
    """m = 8, L = (3, 1, 0, 0), degree sums (9, 5, 2, 0): Q = 4/8 − 110/256 = 9/128."""
    net = build_network(tiny_roster)
    assert modularity(net.adjacency, net.person_unit) == pytest.approx(9 / 128)


def test_unit_assortativity_tiny(tiny_roster: Roster) -> None:
    """Same totals: r = (4·8·4 − 110)/(4·64 − 110) = 18/146."""
    net = build_network(tiny_roster)
    assert unit_assortativity(net.adjacency, net.person_unit) == pytest.approx(18 / 146)


def test_components_tiny(tiny_roster: Roster) -> None:
    """Everyone but gus (alone on P5) is linked through shared projects: 2 components, 6/7."""
    net = build_network(tiny_roster)
    labels = connected_components(net.incidence)
    assert labels.tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert component_summary(labels) == (2, pytest.approx(6 / 7))


# -- modularity edge cases ----------------------------------------------------------------------


def test_modularity_no_ties_is_nan() -> None:
    """No ties: Q is undefined (networkx raises ZeroDivisionError; we return NaN)."""
    assert np.isnan(modularity(sp.csr_array((3, 3)), np.array([0, 1, 1])))
    assert np.isnan(modularity(sp.csr_array((0, 0)), np.array([], dtype=np.int64)))


def test_modularity_single_unit_is_zero() -> None:
    """Everyone in one unit: Q = 1 − γ, so 0 at the default resolution."""
    a = nx.to_scipy_sparse_array(nx.cycle_graph(5))
    assert modularity(a, np.zeros(5, dtype=np.int64)) == pytest.approx(0.0, abs=1e-15)
    assert modularity(a, np.zeros(5, dtype=np.int64), resolution=0.5) == pytest.approx(0.5)


def test_modularity_ignores_isolated_people() -> None:
    """Adding an isolated person (in any unit) leaves Q unchanged."""
    g = nx.barbell_graph(3, 0)
    before = modularity(nx.to_scipy_sparse_array(g), np.array([0, 0, 0, 1, 1, 1]))
    g.add_node(6)
    after = modularity(nx.to_scipy_sparse_array(g), np.array([0, 0, 0, 1, 1, 1, 2]))
    assert after == pytest.approx(before)


# -- assortativity edge cases -------------------------------------------------------------------


def test_assortativity_undefined_cases() -> None:
    """No ties or a single unit: r is NaN (igraph's convention), not networkx's 0.0."""
    a = nx.to_scipy_sparse_array(nx.path_graph(4))
    assert np.isnan(unit_assortativity(sp.csr_array((4, 4)), np.array([0, 0, 1, 1])))
    assert np.isnan(unit_assortativity(a, np.zeros(4, dtype=np.int64)))
    assert np.isnan(unit_assortativity(sp.csr_array((0, 0)), np.array([], dtype=np.int64)))


def test_assortativity_all_ties_across_two_units() -> None:
    """Two units with every tie across them is perfectly disassortative: r = −1."""
    a = nx.to_scipy_sparse_array(nx.complete_bipartite_graph(2, 3))
    assert unit_assortativity(a, np.array([0, 0, 1, 1, 1])) == pytest.approx(-1.0)


def test_mixing_assortativity_matches_unit_assortativity(tiny_roster: Roster) -> None:
    """r from the edge-once mixing matrix equals r computed from unit totals."""
    from analyser.metrics.silo import mixing_matrix

    net = build_network(tiny_roster)
    m = np.triu(mixing_matrix(net.adjacency, net.person_unit, len(net.units)))
    assert mixing_assortativity(m) == pytest.approx(unit_assortativity(net.adjacency, net.person_unit))
    assert np.isnan(mixing_assortativity(np.zeros((2, 2))))
    assert np.isnan(mixing_assortativity(np.array([[4.0, 0.0], [0.0, 0.0]])))


# -- Louvain ------------------------------------------------------------------------------------


def test_louvain_is_deterministic_and_restores_rng() -> None:
    """Same seed, same labels; igraph's generator is back to the random module afterwards."""
    w = nx.to_scipy_sparse_array(nx.karate_club_graph())
    first = louvain_communities(w, seed=5)
    assert np.array_equal(first, louvain_communities(w, seed=5))
    random.seed(123)
    expected_draw = random.random()
    random.seed(123)
    igraph.Graph.Erdos_Renyi(n=5, p=0.5)  # draws from the restored generator (the random module)
    assert random.random() != expected_draw


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),
        nx.planted_partition_graph(4, 8, 0.8, 0.05, seed=2),
        nx.barbell_graph(6, 2),
    ],
    ids=["karate", "planted", "barbell"],
)
def test_louvain_modularity_close_to_networkx(graph: nx.Graph) -> None:
    """igraph Louvain reaches networkx Louvain's modularity within 0.02 (labels may differ)."""
    nodes = list(graph)
    w = nx.to_scipy_sparse_array(graph, nodelist=nodes)
    ours = modularity(w, louvain_communities(w, seed=0))
    theirs = nx.community.modularity(graph, nx.community.louvain_communities(graph, seed=0))
    assert ours == pytest.approx(theirs, abs=0.02)


def test_louvain_isolated_people_are_singletons() -> None:
    """Isolated people each get their own community; count_communities(min_size=2) skips them."""
    g = nx.barbell_graph(4, 0)
    g.add_nodes_from([8, 9])
    labels = louvain_communities(nx.to_scipy_sparse_array(g, nodelist=range(10)))
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 3]
    assert count_communities(labels) == 4 and count_communities(labels, min_size=2) == 2


def test_louvain_resolution_splits_more() -> None:
    """A higher resolution never gives fewer communities on a ring of cliques."""
    w = nx.to_scipy_sparse_array(nx.ring_of_cliques(6, 4))
    low = count_communities(louvain_communities(w, resolution=0.2))
    high = count_communities(louvain_communities(w, resolution=2.0))
    assert high >= low and high == 6


def test_louvain_empty_graph() -> None:
    """No people: an empty label array."""
    assert louvain_communities(sp.csr_array((0, 0))).size == 0


# -- NMI ------------------------------------------------------------------------------------------


def test_nmi_identical_partitions_is_one() -> None:
    """The same grouping under other label names has NMI exactly 1."""
    assert normalized_mutual_information(np.array([0, 0, 1, 2, 2]), np.array([7, 7, 3, 9, 9])) == 1.0


def test_nmi_independent_partitions_is_zero() -> None:
    """A split crossing the other evenly shares no information: NMI 0."""
    assert normalized_mutual_information(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])) == 0.0


def test_nmi_worked_example() -> None:
    """A = (0,0,1,1), B = (0,0,0,1): I = 1.5 ln 2 − 0.75 ln 3, H_A = ln 2,
    H_B = ln 4 − 0.75 ln 3; NMI = I / ((H_A + H_B)/2) ≈ 0.3437 (worked by hand)."""
    ln2, ln3 = np.log(2), np.log(3)
    mi = 1.5 * ln2 - 0.75 * ln3
    expected = mi / ((ln2 + 2 * ln2 - 0.75 * ln3) / 2)
    result = normalized_mutual_information(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1]))
    assert result == pytest.approx(expected) and result == pytest.approx(0.34371102, abs=1e-8)


def test_nmi_edge_cases() -> None:
    """Both one group: 1.0 (as scikit-learn); only one of them: 0.0; no people: NaN."""
    ones = np.zeros(4, dtype=np.int64)
    assert normalized_mutual_information(ones, ones + 3) == 1.0
    assert normalized_mutual_information(ones, np.array([0, 1, 2, 3])) == 0.0
    assert np.isnan(normalized_mutual_information(np.array([]), np.array([])))
    with pytest.raises(ValueError, match="same length"):
        normalized_mutual_information(np.array([0, 1]), np.array([0]))


@HYPO
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=30))
def test_nmi_symmetric_bounded_label_free(pairs) -> None:
    """NMI(A, B) = NMI(B, A), lies in [0, 1] and ignores the label names."""
    a, b = (np.array(x) for x in zip(*pairs))
    value = normalized_mutual_information(a, b)
    assert value == pytest.approx(normalized_mutual_information(b, a))
    assert value == pytest.approx(normalized_mutual_information(a * 10 + 5, b - 7))
    assert 0.0 <= value <= 1.0


# -- components -------------------------------------------------------------------------------------


def test_components_one_person_project_is_own_component() -> None:
    """A person whose only project has no one else forms a component alone."""
    b = sp.csr_array(np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 1], [0, 0, 0]]))
    labels = connected_components(b)
    assert labels.tolist() == [0, 0, 1, 1, 2]
    assert component_summary(labels) == (3, 0.4)


def test_components_edge_cases() -> None:
    """No projects: everyone alone; no people: (0, NaN)."""
    assert connected_components(sp.csr_array((3, 0))).tolist() == [0, 1, 2]
    count, share = component_summary(np.array([], dtype=np.int64))
    assert count == 0 and np.isnan(share)


def test_components_match_networkx_membership_graph(tiny_roster: Roster) -> None:
    """Same components as networkx on the membership graph."""
    net = build_network(tiny_roster)
    labels = connected_components(net.incidence)
    expected = nx.number_connected_components(net.membership_graph())
    assert component_summary(labels)[0] == expected


# -- published reference values ---------------------------------------------------------------


@pytest.mark.refcase
def test_modularity_barbell_reference() -> None:
    """networkx test_quality.py fractions: 70/196, −16/196 and the γ formulas (γ = 0.5, 1, 2)."""
    case = json.loads((REFCASES / "nx_modularity_barbell" / "expected.json").read_text())
    checked = 0
    for item in case["expected"]:
        graph = case["graphs"][item["graph"]]
        if graph.get("directed") or "Q" not in item:
            continue
        g = nx.Graph(graph["edges"])
        a = nx.to_scipy_sparse_array(g, nodelist=range(g.number_of_nodes()))
        labels = _partition_labels(g.number_of_nodes(), item["partition"])
        for gamma in (0.5, 1.0, 2.0) if item["resolution"] == "gamma" else (1.0,):
            formula = item["Q"].replace("^", "**")
            expected = eval(formula, {"__builtins__": {}}, {"gamma": gamma})  # noqa: S307 - fixed data
            assert modularity(a, labels, resolution=gamma) == pytest.approx(expected, abs=case["tolerance"])
            checked += 1
    assert checked >= 10


@pytest.mark.refcase
def test_modularity_two_k5_reference() -> None:
    """igraph_modularity.out: 0.702381 / 0.452381 / 0.202381 at γ = 0.5 / 1 / 1.5."""
    case = json.loads((REFCASES / "igraph_modularity_two_k5" / "expected.json").read_text())
    g = nx.Graph(case["graph"]["edges"])
    a = nx.to_scipy_sparse_array(g, nodelist=range(case["graph"]["n"]))
    labels = np.array(case["graph"]["membership"])
    for row in case["expected"]["modularity"]:
        result = modularity(a, labels, resolution=row["resolution"])
        assert result == pytest.approx(row["Q"], abs=case["expected"]["tolerance"])


@pytest.mark.refcase
def test_assortativity_fish_reference() -> None:
    """networkx test_correlation.py: fish graph r = 6/22."""
    case = REFCASES / "nx_attribute_assortativity"
    nodes = _read_csv(case / "nodes.csv")
    order = sorted({r["fish"] for r in nodes})
    groups = np.array([order.index(r["fish"]) for r in nodes])
    edges = [(int(r["source"]), int(r["target"])) for r in _read_csv(case / "edges.csv") if r["graph"] == "G_undirected"]
    g = nx.Graph(edges)
    a = nx.to_scipy_sparse_array(g, nodelist=[int(r["node"]) for r in nodes])
    assert unit_assortativity(a, groups) == pytest.approx(6 / 22)


@pytest.mark.refcase
def test_assortativity_from_symmetric_mixing_tables() -> None:
    """networkx tests: symmetric normalised tables give 0.68 (2 d.p.) and 0.029 (3 d.p.).

    Newman's race table is not symmetric; networkx's 0.623 is for the unsymmetrised
    convention, so it is not compared here (netseg's symmetrised value is the Catania case).
    """
    cases = json.loads((REFCASES / "nx_attribute_assortativity" / "expected.json").read_text())
    checked = 0
    for item in cases["expected"]["from_mixing_matrix"]:
        matrix = np.array(item["matrix"])
        if not np.array_equal(matrix, matrix.T):
            continue
        assert round(mixing_assortativity(matrix), item["decimals"]) == pytest.approx(item["r"])
        checked += 1
    assert checked == 2


@pytest.mark.refcase
def test_assortativity_catania_reference() -> None:
    """netseg test-assort.R: Catania counts give r = 0.621 ± 0.004 (Newman 2003)."""
    case = REFCASES / "netseg_catania_mixing"
    expected = json.loads((case / "expected.json").read_text())["expected"]["assortativity_coefficient"]
    rows = _read_csv(case / "mixing_counts.csv")
    names = sorted({r["male"] for r in rows})
    m = np.zeros((len(names), len(names)))
    for r in rows:
        m[names.index(r["male"]), names.index(r["female"])] = float(r["n"])
    assert mixing_assortativity(m) == pytest.approx(expected["value"], abs=expected["tolerance"])


@pytest.mark.refcase
def test_assortativity_netseg_references() -> None:
    """netseg: WhiteKinship r = 0.180124, mutual classroom r = 0.9089027."""
    white = REFCASES / "netseg_whitekinship"
    g = nx.Graph()
    g.add_nodes_from(r["name"] for r in _read_csv(white / "nodes.csv"))
    g.add_edges_from((r["from"], r["to"]) for r in _read_csv(white / "edges.csv"))
    gender = {r["name"]: r["gender"] for r in _read_csv(white / "nodes.csv")}
    nodes = list(g)
    groups = np.array([gender[v] == "male" for v in nodes], dtype=np.int64)
    expected = json.loads((white / "expected.json").read_text())["expected"]["assortativity_coefficient"]
    result = unit_assortativity(nx.to_scipy_sparse_array(g, nodelist=nodes), groups)
    assert result == pytest.approx(expected["value"], abs=expected["tolerance"])

    room = REFCASES / "netseg_classroom"
    arcs = {(r["from"], r["to"]) for r in _read_csv(room / "edges.csv")}
    kids = {r["id"]: r["gender"] for r in _read_csv(room / "nodes.csv")}
    mutual = nx.Graph()
    mutual.add_nodes_from(kids)
    mutual.add_edges_from((u, v) for u, v in arcs if (v, u) in arcs)
    nodes = list(mutual)
    groups = np.array([kids[v] == "Girl" for v in nodes], dtype=np.int64)
    expected = json.loads((room / "expected.json").read_text())["expected"]
    result = unit_assortativity(nx.to_scipy_sparse_array(mutual, nodelist=nodes), groups)
    assert result == pytest.approx(expected["undirected_mutual"]["assortativity_coefficient"], abs=expected["tolerance"])


# -- properties ---------------------------------------------------------------------------------------


@HYPO
@given(weighted_graphs(), st.sampled_from([0.5, 1.0, 1.7]))
def test_modularity_equals_networkx(case, resolution) -> None:
    """Q from unit totals equals nx.community.modularity, weighted and unweighted."""
    g, groups = case
    if g.number_of_edges() == 0:
        return
    partition = [set(np.flatnonzero(groups == k).tolist()) for k in np.unique(groups)]
    nodes = list(range(g.number_of_nodes()))
    for weight in ("weight", None):
        a = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=weight)
        expected = nx.community.modularity(g, partition, weight=weight, resolution=resolution)
        assert modularity(a, groups, resolution=resolution) == pytest.approx(expected, abs=1e-12)


@HYPO
@given(weighted_graphs())
def test_assortativity_equals_networkx_when_defined(case) -> None:
    """Where r is defined it equals networkx's attribute_assortativity_coefficient."""
    g, groups = case
    a = nx.to_scipy_sparse_array(g, nodelist=range(g.number_of_nodes()))
    result = unit_assortativity(a, groups)
    if np.isnan(result):
        return
    nx.set_node_attributes(g, dict(enumerate(groups.tolist())), "unit")
    assert result == pytest.approx(nx.attribute_assortativity_coefficient(g, "unit"), abs=1e-12)


@HYPO
@given(weighted_graphs(), st.randoms(use_true_random=False))
def test_modularity_invariant_under_relabelling_people(case, rnd) -> None:
    """Renumbering people consistently leaves Q and r unchanged."""
    g, groups = case
    n = g.number_of_nodes()
    a = nx.to_scipy_sparse_array(g, nodelist=range(n))
    order = np.array(rnd.sample(range(n), n))
    b = sp.csr_array(a[order][:, order])
    assert np.allclose(modularity(a, groups), modularity(b, groups[order]), equal_nan=True)
    assert np.allclose(unit_assortativity(a, groups), unit_assortativity(b, groups[order]), equal_nan=True)


# -- precomputed ties and the Louvain engine -----------------------------------------------------


def test_ties_argument_gives_the_same_structure_figures():
    """modularity, assortativity and Louvain give the same result with the tie list passed in."""
    g = nx.planted_partition_graph(5, 12, 0.6, 0.05, seed=4)
    w = nx.to_scipy_sparse_array(g, nodelist=range(60))
    groups = np.repeat(np.arange(5), 12)
    upper = sp.triu(w, k=1).tocoo()
    ties = (upper.row.astype(np.int32), upper.col.astype(np.int32), None)
    assert modularity(w, groups) == modularity(w, groups, ties=ties)
    assert unit_assortativity(w, groups) == unit_assortativity(w, groups, ties=ties)
    weighted = (upper.row, upper.col, upper.data)
    assert np.array_equal(louvain_communities(w, seed=3), louvain_communities(w, seed=3, ties=weighted))


def test_louvain_on_synthetic_organisation_close_to_networkx():
    """On an S-sized synthetic organisation, Louvain's modularity is within 0.02 of networkx's, run to run the same."""
    from analyser.network import build_network
    from analyser.sample import generate_roster

    net = build_network(Roster.from_frame(generate_roster(people=1000, projects=200, seed=3)))
    labels = louvain_communities(net.weights, seed=0)
    assert np.array_equal(labels, louvain_communities(net.weights, seed=0))
    g = nx.from_scipy_sparse_array(net.weights)
    theirs = nx.community.modularity(g, nx.community.louvain_communities(g, weight="weight", seed=0))
    assert modularity(net.weights, labels) >= theirs - 0.02


# -- reproducible communities and their stability ---------------------------------------------


def _organisation_weights(people: int, projects: int):
    from analyser.network import build_network
    from analyser.sample import generate_roster

    net = build_network(Roster.from_frame(generate_roster(people=people, projects=projects, seed=3)))
    return net.weights


@pytest.mark.parametrize("engine", [IGRAPH_ENGINE, NETWORKIT_ENGINE])
def test_louvain_is_reproducible_in_one_process_on_every_engine(engine, monkeypatch):
    """Five calls with one seed give identical labels (networkit PLM in a shared process did not)."""
    import analyser.metrics.structure as structure

    if engine == NETWORKIT_ENGINE:
        pytest.importorskip("networkit")  # the [fast] extra
    monkeypatch.setattr(structure, "NETWORKIT_MIN_TIES", 0 if engine == NETWORKIT_ENGINE else 10**12)
    w = _organisation_weights(1000, 200)
    assert structure.louvain_engine(w.nnz // 2) == engine
    runs = [louvain_communities(w, seed=0) for _ in range(5)]
    assert all(np.array_equal(runs[0], r) for r in runs[1:])
    assert modularity(w, runs[0]) > 0.3


@pytest.mark.slow
def test_louvain_is_reproducible_across_processes():
    """Two fresh interpreters (each engine) give the labels of this process."""
    import subprocess
    import sys

    script = (
        "import sys, numpy as np\n"
        "import analyser.metrics.structure as s\n"
        "from tests.metrics.test_structure import _organisation_weights\n"
        "s.NETWORKIT_MIN_TIES = int(sys.argv[1])\n"
        "print(','.join(map(str, s.louvain_communities(_organisation_weights(1000, 200), seed=2))))\n"
    )
    for threshold in (0, 10**12):
        import analyser.metrics.structure as structure

        original = structure.NETWORKIT_MIN_TIES
        structure.NETWORKIT_MIN_TIES = threshold
        try:
            here = louvain_communities(_organisation_weights(1000, 200), seed=2).tolist()
        finally:
            structure.NETWORKIT_MIN_TIES = original
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, "-c", script, str(threshold)], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
            assert [int(x) for x in out.strip().split(",")] == here


def test_louvain_seed_changes_the_answer_and_stability_measures_it():
    """Other seeds may give other partitions; stability is their mean pairwise NMI, in (0, 1]."""
    w = _organisation_weights(1000, 200)
    parts = louvain_partitions(w, seeds=(0, 1, 2))
    expected = np.mean([
        normalized_mutual_information(parts[i], parts[j]) for i, j in ((0, 1), (0, 2), (1, 2))
    ])  # fmt: skip
    assert community_stability(parts) == pytest.approx(expected)
    assert 0.5 < community_stability(parts) <= 1.0
    assert np.array_equal(parts[0], louvain_communities(w, seed=0))


def test_community_stability_hand_worked():
    """Identical partitions under other names: 1; two unrelated halvings: 0; fewer than two: NaN."""
    a, b = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert community_stability([a, 1 - a, a]) == 1.0
    assert community_stability([a, b]) == 0.0
    assert np.isnan(community_stability([a]))
    # the mask leaves out people (e.g. isolated ones) before comparing
    assert community_stability([np.array([0, 0, 1, 1, 5]), np.array([0, 0, 1, 1, 6])], mask=np.array([1, 1, 1, 1, 0], bool)) == 1.0


def test_stability_runs_budget():
    """Five runs on small graphs, fewer (never under two) on larger ones, none above the cap."""
    assert stability_runs(0) == STABILITY_RUNS == 5
    assert stability_runs(STABILITY_MAX_WORK // 4) == 4 and stability_runs(STABILITY_MAX_WORK // 8) == 5
    assert stability_runs(STABILITY_MAX_TIES) == max(2, min(5, STABILITY_MAX_WORK // STABILITY_MAX_TIES))
    assert stability_runs(STABILITY_MAX_TIES + 1) == 0
