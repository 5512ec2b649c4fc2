"""Graph and roster generators shared by the person-level metric tests."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.shared_data import REFCASES  # noqa: F401 - re-exported to the metric tests

HYPO = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def arrays(g: nx.Graph, weight: str | None = "weight") -> sp.csr_array:
    """Sparse matrix of g in node order 0..n-1."""
    return sp.csr_array(
        nx.to_scipy_sparse_array(g, nodelist=sorted(g), weight=weight, format="csr")
    )


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


def generated_roster(
    n_people: int, n_units: int, n_projects: int, seed: int
) -> sp.csr_array:
    """Roster with unit-heavy projects and some cross-unit members, everyone in ≥ 1 project."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, n_units, n_people)
    rows, cols = [], []
    for proj in range(n_projects):
        home = rng.integers(0, n_units)
        size = int(rng.integers(2, 8))
        local = np.flatnonzero(unit == home)
        members = set(
            rng.choice(local, size=min(size, local.size), replace=False).tolist()
        )
        members |= set(
            rng.choice(n_people, size=int(rng.integers(0, 3)), replace=False).tolist()
        )
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
