"""Tests of analyser.metrics.structural_holes: Burt's constraint and effective size."""

from __future__ import annotations

import csv
import json

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from tests.metrics.graph_cases import HYPO, REFCASES, arrays, needs_refcases, small_graphs
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
@needs_refcases
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
@needs_refcases
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
@needs_refcases
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
@needs_refcases
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
