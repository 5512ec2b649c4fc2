"""Tests of analyser.metrics.structural_holes: Burt's constraint and effective size."""

from __future__ import annotations

import csv
import json

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from tests.metrics.graph_cases import HYPO, REFCASES, arrays, small_graphs, small_rosters
from hypothesis import given

from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage
from analyser.metrics.structural_holes import constraint, effective_size

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
        np.testing.assert_allclose(
            effective_size(arrays(g, weight)), expected, atol=1e-12
        )


def borgatti_graph() -> tuple[nx.Graph, list[str]]:
    g = nx.Graph()
    with open(
        REFCASES / "nx_structural_holes" / "undirected_edges.csv", newline=""
    ) as f:
        for row in csv.DictReader(f):
            g.add_edge(row["source"], row["target"], weight=float(row["weight"]))
    return g, sorted(g)


@pytest.mark.refcase
@pytest.mark.parametrize(
    "variant,weight",
    [("undirected_unweighted", None), ("undirected_weighted", "weight")],
)
def test_structural_holes_refcase(variant, weight):
    """Borgatti (1997) example: constraint and effective size of G, A, C (networkx test values)."""
    expected = json.loads(
        (REFCASES / "nx_structural_holes" / "expected.json").read_text()
    )["expected"][variant]
    g, order = borgatti_graph()
    m = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=order, weight=weight))
    got = {"constraint": constraint(m), "effective_size": effective_size(m)}
    for metric, values in got.items():
        ref = expected[metric]
        for node in ("G", "A", "C"):
            assert values[order.index(node)] == pytest.approx(
                ref[node], abs=ref["tolerance"]
            )


@pytest.mark.refcase
def test_networkx_effective_size_default_path_still_differs():
    """Regression: nx.effective_size(nodes=None) on the weighted Borgatti graph is not Burt's value.

    If this starts failing, networkx fixed its sparse fast path (METRICS.md §2.3) and the
    test of effective_size against networkx may use nodes=None too.
    """
    g, order = borgatti_graph()
    ours = effective_size(
        sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=order, weight="weight"))
    )
    fast = nx.effective_size(g, weight="weight")
    slow = nx.effective_size(g, nodes=list(g), weight="weight")
    assert ours[order.index("G")] == pytest.approx(slow["G"], abs=1e-12)
    assert fast["G"] == pytest.approx(5.515, abs=1e-3)
    assert abs(fast["A"] - ours[order.index("A")]) > 0.1


def igraph_constraint_cases() -> tuple[dict, dict]:
    data = json.loads((REFCASES / "igraph_constraint" / "expected.json").read_text())
    return data["graphs"], data["expected"]


@pytest.mark.refcase
def test_igraph_constraint_refcase():
    """igraph C test values; multi-edges are summed into one weight.

    Skipped sub-cases: full4_with_loop (our input has a zero diagonal by contract) and
    full4_weights_make_line (zero weights: we drop them, see the next test).
    """
    graphs, expected = igraph_constraint_cases()
    tol = expected["tolerance"]
    used = [
        "no_vertices",
        "one_vertex",
        "line4",
        "full4",
        "full4_split_multi_edges",
        "hole_between_two_clusters",
    ]
    for name in used:
        spec = graphs[name]
        n = spec["n"]
        edges = np.array(spec["edges"], dtype=np.int64).reshape(-1, 2)
        w = np.array(spec.get("weights", [1.0] * len(edges)), dtype=float)
        # duplicates in COO input are summed: parallel edges become one weighted tie
        m = sp.coo_array(
            (
                np.r_[w, w],
                (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]]),
            ),
            shape=(n, n),
        )
        want = np.array(
            [np.nan if v == "NaN" else v for v in expected[name]], dtype=float
        )
        np.testing.assert_allclose(
            constraint(sp.csr_array(m)), want, atol=tol, err_msg=name
        )


@pytest.mark.refcase
def test_zero_weights_count_as_no_tie():
    """Zero-weight ties are dropped, so igraph's 'weights make a line' K4 gives the line's values."""
    graphs, expected = igraph_constraint_cases()
    spec = graphs["full4_weights_make_line"]
    edges = np.array(spec["edges"])
    w = np.array(spec["weights"], dtype=float)
    m = sp.csr_array(
        (
            np.r_[w, w],
            (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]]),
        ),
        shape=(4, 4),
    )
    np.testing.assert_allclose(constraint(m), expected["line4"], atol=1e-12)


def test_pendant_person_has_constraint_one():
    """A person with a single contact is fully constrained (C = 1) and has effective size 1."""
    w = sp.csr_array(
        [[0, 0.5, 0, 0], [0.5, 0, 2.0, 1.0], [0, 2.0, 0, 1.0], [0, 1.0, 1.0, 0]]
    )
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


# -- routed through projects (incidence=) -----------------------------------------------------


def random_ties_by_project(seed: int, n_people: int = 40, n_projects: int = 14, max_size: int = 9):
    """Newman weights of a random roster with big projects left out (λ = 0) and one-project people.

    Returns (W, B of the tie projects, B of all projects, λ over all projects).
    """
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for p in range(n_projects):
        size = int(rng.integers(1, 15))  # sizes 1..14: one-person projects and some above max_size
        members = rng.choice(n_people, size=min(size, n_people), replace=False)
        rows += members.tolist()
        cols += [p] * len(members)
    b = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n_people, n_projects))
    b.sum_duplicates()
    b.data[:] = 1.0
    size = np.asarray(b.sum(axis=0)).ravel()
    keep = (size >= 2) & (size <= max_size)
    lam = np.zeros(n_projects)
    lam[keep] = 1.0 / (size[keep] - 1)
    w = sp.csr_array(b @ sp.diags_array(lam) @ b.T)
    w.setdiag(0)
    w.eliminate_zeros()
    return w, sp.csr_array(b[:, np.flatnonzero(keep)]), b, lam


@pytest.mark.parametrize("seed", range(12))
def test_routed_equals_masked_product(seed):
    """With incidence=, constraint and effective size equal the general masked-product path."""
    w, tie_b, all_b, lam = random_ties_by_project(seed)
    assert (np.diff(all_b.indptr) == 1).any() and (lam == 0).any()  # the cases of interest occur
    for metric in (constraint, effective_size):
        general = metric(w)
        np.testing.assert_allclose(metric(w, incidence=tie_b), general, atol=1e-12, rtol=1e-12)
        # all projects with λ = 0 for the excluded ones gives the same ties and values
        np.testing.assert_allclose(
            metric(w, incidence=all_b, project_weights=lam), general, atol=1e-12, rtol=1e-12
        )


@HYPO
@given(small_rosters(max_people=9, max_projects=6))
def test_routed_equals_masked_product_any_roster(incidence):
    """Routed and general paths agree on every small roster (NaN for people without ties)."""
    from analyser.metrics.structural_holes import newman_project_weights

    lam = newman_project_weights(incidence)
    w = sp.csr_array(incidence @ sp.diags_array(lam) @ incidence.T)
    w = sp.csr_array(w - sp.diags_array(w.diagonal()))
    for metric in (constraint, effective_size):
        np.testing.assert_allclose(metric(w, incidence=incidence), metric(w), atol=1e-12, rtol=1e-12)


def test_routed_checks_weights_match_incidence():
    """Weights that are not B Λ Bᵀ for the given incidence are refused, not silently misread."""
    w, tie_b, all_b, _ = random_ties_by_project(0)
    with pytest.raises(ValueError, match="not B Λ Bᵀ"):
        constraint(w, incidence=all_b)  # default Newman λ also counts the excluded projects
    with pytest.raises(ValueError, match="one row per person"):
        effective_size(w, incidence=tie_b[:-1])
    with pytest.raises(ValueError, match="project_weights"):
        constraint(w, incidence=tie_b, project_weights=np.ones(tie_b.shape[1] + 1))


def test_routed_pass_frees_its_graphblas_matrices(monkeypatch):
    """Large routed passes leave no GraphBLAS matrix behind (they sit in reference cycles,
    so without the explicit collection their memory waits for the next full collection)."""
    import gc

    gb = pytest.importorskip("graphblas")  # the [fast] extra; without it scipy makes no such matrices

    from analyser.metrics import _arrays

    def live_matrices() -> int:
        return sum(isinstance(o, gb.Matrix) for o in gc.get_objects())

    w, tie_b, _, _ = random_ties_by_project(0)
    monkeypatch.setattr(_arrays, "RELEASE_MIN_ENTRIES", 0)
    gc.collect()
    gc.disable()
    try:
        before = live_matrices()
        constraint(w, incidence=tie_b)
        effective_size(w)  # the masked-product path
        assert live_matrices() == before
    finally:
        gc.enable()
