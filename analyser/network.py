"""Build the collaboration graphs of a roster: memberships, person ties, unit links.

The heavy objects are kept as sparse matrices with dense integer codes (people, projects
and units are sorted by name, so results never depend on row order). networkx graphs are
built from them on request, for views, small graphs and reference checks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.metrics.structural_holes import newman_project_weights
from analyser.roster import Roster

__all__ = [
    "DEFAULT_MAX_PROJECT_SIZE",
    "CollaborationNetwork",
    "UnitTies",
    "build_network",
    "unit_ties",
    "unit_ties_blockwise",
    "tie_table",
    "unit_link_table",
]

#: Projects larger than this are reported as "very large" in the data check.
DEFAULT_MAX_PROJECT_SIZE = 100


def _codes(values: pl.Series) -> tuple[np.ndarray, list[str]]:
    """Dense integer codes for ``values`` in sorted order of the distinct values."""
    names = values.unique().sort()
    lookup = pl.DataFrame({"value": names, "code": np.arange(names.len(), dtype=np.int64)})
    codes = pl.DataFrame({"value": values}).join(lookup, on="value", how="left", maintain_order="left")["code"]
    return codes.to_numpy(), names.to_list()


@dataclass(frozen=True)
class CollaborationNetwork:
    """The graphs of one roster at one unit level.

    Attributes
    ----------
    people, projects, units
        Names, sorted; a person's index in ``people`` is its row in every matrix.
    person_unit
        Unit code of each person (index into ``units``).
    incidence
        People × projects CSR matrix of 0/1 memberships (the membership graph B).
    tie_projects
        Boolean mask of projects that create person ties (size ≤ ``max_project_size``).
    """

    people: list[str]
    projects: list[str]
    units: list[str]
    person_unit: np.ndarray
    incidence: sp.csr_array
    tie_projects: np.ndarray
    max_project_size: int | None = None

    # -- sizes ---------------------------------------------------------------------------
    @property
    def project_size(self) -> np.ndarray:
        """Members per project."""
        return np.asarray(self.incidence.sum(axis=0)).ravel().astype(np.int64)

    @property
    def unit_size(self) -> np.ndarray:
        """People per unit."""
        return np.bincount(self.person_unit, minlength=len(self.units))

    @cached_property
    def project_units(self) -> sp.csr_array:
        """Units × projects matrix of member counts (X = Aᵀ B)."""
        return (self.unit_onehot.T @ self.incidence).tocsr()

    @cached_property
    def project_weights(self) -> np.ndarray:
        """Newman weight λ_p = 1/(n_p − 1) of each project that makes ties, 0 for the others
        (one-person projects, and those above ``max_project_size``): W = B Λ Bᵀ − diag."""
        return np.where(self.tie_projects, newman_project_weights(self.incidence), 0.0)

    @cached_property
    def unit_onehot(self) -> sp.csr_array:
        """People × units 0/1 matrix."""
        n = len(self.people)
        return sp.csr_array(
            (np.ones(n), (np.arange(n), self.person_unit)), shape=(n, len(self.units))
        )

    # -- person ties -----------------------------------------------------------------------
    @cached_property
    def _tie_matrices(self) -> tuple[sp.csr_array, sp.csr_array]:
        lam = self.project_weights
        keep = lam > 0  # the projects that make ties: two or more members, not too large
        b = self.incidence
        n = b.shape[0]
        # One product for both matrices: the real part counts shared projects, the imaginary
        # part sums Newman weights (same pattern, bitwise the same sums as two products).
        both = sp.csr_array(b @ sp.diags_array(keep + 1j * lam) @ b.T)
        both.sort_indices()
        rows = np.repeat(np.arange(n, dtype=np.int32 if n < 2**31 else np.int64), np.diff(both.indptr))
        off = (both.indices != rows) & (both.data.real != 0)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[off], minlength=n)))).astype(both.indptr.dtype)
        indices, data = both.indices[off], both.data[off]
        del both, rows, off
        # the two matrices (and adjacency) share one index structure: treat them as read-only
        shared = sp.csr_array((data.real.copy(), indices, indptr), shape=(n, n))
        weight = sp.csr_array((data.imag.copy(), indices, indptr), shape=(n, n))
        for m in (shared, weight):
            m.has_sorted_indices = True
        return shared, weight

    @property
    def shared_projects(self) -> sp.csr_array:
        """Symmetric people × people matrix: number of projects two people share."""
        return self._tie_matrices[0]

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric 0/1 people × people matrix: 1 where two people share a project (a tie).

        Computed once per network; treat it as read-only (it is shared by every metric).
        """
        shared = self.shared_projects
        return sp.csr_array((np.ones(shared.nnz), shared.indices, shared.indptr), shape=shared.shape)

    @cached_property
    def upper_ties(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every tie once: person codes ``a < b`` (row-major order), shared projects and weight.

        The metric functions accept ``(a, b, values)`` as their ``ties=`` argument, so the
        tie list is extracted once per network rather than once per metric.
        """
        shared, weight = self._tie_matrices
        n = shared.shape[0]
        small = np.int32 if n < 2**31 else np.int64
        rows = np.repeat(np.arange(n, dtype=small), np.diff(shared.indptr))
        up = shared.indices > rows
        return (
            rows[up],
            shared.indices[up].astype(small, copy=False),
            shared.data[up].astype(np.int64),
            weight.data[up],
        )

    @property
    def weights(self) -> sp.csr_array:
        """Symmetric Newman collaboration weights Σ_p 1/(n_p − 1) over shared projects."""
        return self._tie_matrices[1]

    @cached_property
    def tie_incidence(self) -> sp.csr_array:
        """People × projects memberships of the projects that create ties."""
        return self.incidence[:, np.flatnonzero(self.tie_projects)].tocsr()

    @property
    def tie_count(self) -> int:
        return self.shared_projects.nnz // 2

    def prepare_ties(self) -> None:
        """Build the shared tie structures now, e.g. before several threads read them."""
        for name in ("adjacency", "upper_ties", "tie_incidence", "unit_onehot", "project_units"):
            getattr(self, name)

    @cached_property
    def pair_bound(self) -> int:
        """Σ C(n_p, 2) over the projects that make ties: an upper bound on the number of
        ties, known before any person × person product is formed."""
        sizes = self.project_size[self.tie_projects].astype(np.int64)
        return int(np.sum(sizes * (sizes - 1) // 2))

    # -- networkx views ------------------------------------------------------------------
    def person_graph(self) -> nx.Graph:
        """Person graph G: nodes are person ids (attribute ``unit``); edges carry
        ``projects`` (number shared) and ``weight`` (Newman collaboration weight)."""
        g = nx.Graph()
        g.add_nodes_from((p, {"unit": self.units[u]}) for p, u in zip(self.people, self.person_unit))
        ties = tie_table(self)
        names = self.people
        g.add_edges_from(
            (names[a], names[b], {"projects": int(c), "weight": float(w)})
            for a, b, c, w in ties.iter_rows()
        )
        return g

    def membership_graph(self) -> nx.Graph:
        """Membership graph B: nodes ``("person", id)`` (bipartite 0, attribute ``unit``)
        and ``("project", id)`` (bipartite 1); one edge per membership."""
        g = nx.Graph()
        g.add_nodes_from((("person", p), {"bipartite": 0, "unit": self.units[u]})
                         for p, u in zip(self.people, self.person_unit))
        g.add_nodes_from((("project", p), {"bipartite": 1}) for p in self.projects)
        coo = self.incidence.tocoo()
        g.add_edges_from((("person", self.people[i]), ("project", self.projects[j]))
                         for i, j in zip(coo.row, coo.col))
        return g

    def unit_graph(self) -> nx.Graph:
        """Unit graph U: nodes are units (attribute ``people``); an edge where people of
        two units share a project, with ``ties`` (cross-unit person pairs) and
        ``shared_projects`` (projects with members from both units)."""
        g = nx.Graph()
        g.add_nodes_from((u, {"people": int(n)}) for u, n in zip(self.units, self.unit_size))
        for row in unit_link_table(self).iter_rows(named=True):
            g.add_edge(row["unit_a"], row["unit_b"], ties=row["ties"], shared_projects=row["shared_projects"],
                       weight=row["weight"])
        return g


def tie_table(net: CollaborationNetwork) -> pl.DataFrame:
    """Ties as a table ``a, b, projects, weight`` with person codes ``a < b``, sorted."""
    a, b, shared, weight = net.upper_ties
    return pl.DataFrame(
        {"a": a.astype(np.int64), "b": b.astype(np.int64), "projects": shared, "weight": weight}
    )


def unit_link_table(net: CollaborationNetwork) -> pl.DataFrame:
    """Unit pairs that work together: ``unit_a, unit_b, ties, shared_projects, weight``.

    ``ties`` counts person ties across the pair (each once), ``weight`` sums their Newman
    weights and ``shared_projects`` counts projects with members from both units (all
    projects, including very large ones).
    """
    a, b, _, weight = net.upper_ties
    k = len(net.units)
    pu = net.person_unit
    ua, ub = pu[a], pu[b]
    lo, hi = np.minimum(ua, ub), np.maximum(ua, ub)
    cross = lo != hi
    pair = lo[cross] * k + hi[cross]
    if k * k <= 4 * 10**7:
        # a dense K² bincount is one pass, far faster than a group-by on millions of ties
        counts = np.bincount(pair, minlength=k * k)
        sums = np.bincount(pair, weights=weight[cross], minlength=k * k)
        found = np.flatnonzero(counts)
        by_pair = pl.DataFrame({"ua": found // k, "ub": found % k, "ties": counts[found], "weight": sums[found]})
    else:
        by_pair = pl.DataFrame({"pair": pair, "w": weight[cross]}).group_by("pair").agg(
            pl.len().alias("ties"), pl.col("w").sum().alias("weight")
        ).select((pl.col("pair") // k).alias("ua"), (pl.col("pair") % k).alias("ub"), "ties", "weight")
    by_pair = by_pair.cast({"ua": pl.Int64, "ub": pl.Int64, "ties": pl.Int64, "weight": pl.Float64})
    x = (net.project_units > 0).astype(np.float64)
    co = sp.triu(x @ x.T, k=1).tocoo()
    shared = pl.DataFrame(
        {"ua": co.row.astype(np.int64), "ub": co.col.astype(np.int64), "shared_projects": co.data.astype(np.int64)}
    )
    links = shared.join(by_pair, on=["ua", "ub"], how="full", coalesce=True).with_columns(
        pl.col("ties").fill_null(0).cast(pl.Int64),
        pl.col("shared_projects").fill_null(0),
        pl.col("weight").fill_null(0.0),
    )
    names = pl.Series(net.units, dtype=pl.String)
    links = links.sort("ua", "ub")
    return links.select(
        names.gather(links["ua"]).alias("unit_a"),
        names.gather(links["ub"]).alias("unit_b"),
        "ties",
        "shared_projects",
        "weight",
    )


class UnitTies(NamedTuple):
    """Result of :func:`unit_ties_blockwise`.

    Attributes
    ----------
    unit_pairs
        Sparse K × K integer matrix: ``[k, k]`` ties inside unit k, ``[k, l]`` (= ``[l, k]``)
        ties between k and l, each distinct person pair once (as ``silo.mixing_matrix``).
    person_external
        Per person, the number of their ties to people of other units.
    ties
        Number of distinct person ties.
    """

    unit_pairs: sp.csr_array
    person_external: np.ndarray
    ties: int


def unit_ties_blockwise(net: CollaborationNetwork, *, block_work: int = 30_000_000) -> UnitTies:
    """Count distinct person ties per unit pair without keeping the person tie matrix.

    The rows of B·Bᵀ (B = people × tie projects) are formed a block of people at a time,
    only towards people of higher index (each pair once), reduced to unit-pair counts and
    dropped, so memory stays bounded by ``block_work`` product entries whatever the number
    of ties (112M ties at 1M people).

    Parameters
    ----------
    net
        The network (its tie matrices are not built).
    block_work
        Upper bound on the product entries formed per block (Σ over the block's people of
        the sizes of their projects).

    Returns
    -------
    UnitTies
        Unit × unit tie counts, per-person cross-unit tie counts and the number of ties.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B")])
    >>> result = unit_ties_blockwise(build_network(r))
    >>> result.unit_pairs.toarray().tolist(), result.person_external.tolist(), result.ties
    ([[1, 2], [2, 0]], [1, 1, 2], 3)
    """
    sizes = net.project_size
    keep = np.flatnonzero(net.tie_projects & (sizes >= 2))
    b = net.incidence[:, keep].tocsr()
    b.data[:] = 1.0
    n = b.shape[0]
    work = np.cumsum(b @ sizes[keep].astype(np.float64)) if n else np.zeros(0)
    cuts = np.searchsorted(work, np.arange(1, int(work[-1] // block_work) + 1 if n else 1) * block_work)
    bounds = np.unique(np.concatenate(([0], np.minimum(cuts + 1, n), [n])))

    def blocks():
        for lo, hi in itertools.pairwise(bounds):
            # columns ≥ lo only: pairs with an earlier person were counted in an earlier block
            block = (b[lo:hi] @ b[lo:].T).tocsr()
            rows = np.repeat(np.arange(lo, hi, dtype=np.int64), np.diff(block.indptr))
            cols = block.indices.astype(np.int64) + lo
            up = cols > rows
            yield rows[up], cols[up]

    return _tally(net, blocks())


def unit_ties(net: CollaborationNetwork) -> UnitTies:
    """The counts of :func:`unit_ties_blockwise` from the network's tie list (built once, kept).

    The route for every organisation whose ties fit in memory; the same tally, so both
    routes give the same unit figures.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B")])
    >>> result = unit_ties(build_network(r))
    >>> result.unit_pairs.toarray().tolist(), result.person_external.tolist(), result.ties
    ([[1, 2], [2, 0]], [1, 1, 2], 3)
    """
    a, b, _, _ = net.upper_ties
    return _tally(net, [(a, b)])


def _tally(net: CollaborationNetwork, chunks: Iterable[tuple[np.ndarray, np.ndarray]]) -> UnitTies:
    """Unit × unit and per-person cross-unit counts of ties given as ``(rows, cols)`` chunks
    of person codes, each tie once over all chunks."""
    k, n = len(net.units), len(net.people)
    g = net.person_unit.astype(np.int64)
    dense = k * k <= 4 * 10**7
    counts = np.zeros(k * k if dense else 0, dtype=np.int64)
    sparse_counts = sp.csr_array((k, k), dtype=np.int64)
    person_external = np.zeros(n, dtype=np.int64)
    for rows, cols in chunks:
        gi, gj = g[rows], g[cols]
        if dense:
            counts += np.bincount(gi * k + gj, minlength=k * k)
        else:
            sparse_counts = sparse_counts + sp.coo_array(
                (np.ones(gi.size, dtype=np.int64), (gi, gj)), shape=(k, k)
            ).tocsr()
        cross = gi != gj
        person_external += np.bincount(rows[cross], minlength=n)
        person_external += np.bincount(cols[cross], minlength=n)
    upper = sp.csr_array(counts.reshape(k, k)) if dense else sparse_counts
    diagonal = sp.diags_array(upper.diagonal(), shape=(k, k), dtype=np.int64)
    unit_pairs = sp.csr_array(upper + upper.T - diagonal)
    unit_pairs.eliminate_zeros()
    return UnitTies(unit_pairs, person_external, int(upper.sum()))


def build_network(
    roster: Roster,
    *,
    level: int | None = None,
    max_project_size: int | None = None,
) -> CollaborationNetwork:
    """Build the collaboration graphs of ``roster`` with units cut to ``level``.

    Parameters
    ----------
    roster
        Validated memberships (each person in exactly one unit).
    level
        Unit hierarchy level (1 = top); ``None`` uses units as written.
    max_project_size
        Projects with more members than this still count as memberships but create no
        person ties (a 300-person programme would otherwise tie everyone to everyone).
        ``None`` keeps every project.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "bob", "B")])
    >>> net = build_network(r)
    >>> net.people, net.units, net.tie_count
    (['ann', 'bob'], ['A', 'B'], 1)
    """
    m = roster.at_level(level)
    person_codes, people = _codes(m["person"])
    project_codes, projects = _codes(m["project"])
    per_person = pl.DataFrame({"p": person_codes, "unit": m["unit"]}).unique().sort("p")
    if per_person.height != len(people):
        raise ValueError("each person must have exactly one unit; resolve with analyser.ingest first")
    unit_codes, units = _codes(per_person["unit"])
    incidence = sp.csr_array(
        (np.ones(len(person_codes)), (person_codes, project_codes)), shape=(len(people), len(projects))
    )
    incidence.sum_duplicates()
    incidence.data[:] = 1.0
    sizes = np.asarray(incidence.sum(axis=0)).ravel()
    tie_projects = np.ones(len(projects), dtype=bool) if max_project_size is None else sizes <= max_project_size
    return CollaborationNetwork(people, projects, units, unit_codes, incidence, tie_projects, max_project_size)
