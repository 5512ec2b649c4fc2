"""Build the collaboration graphs of a roster: memberships, person ties, unit links.

The heavy objects are kept as sparse matrices with dense integer codes (people, projects
and units are sorted by name, so results never depend on row order). networkx graphs are
built from them on request, for views, small graphs and reference checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.roster import Roster

__all__ = [
    "DEFAULT_MAX_PROJECT_SIZE",
    "CollaborationNetwork",
    "build_network",
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
    def unit_onehot(self) -> sp.csr_array:
        """People × units 0/1 matrix."""
        n = len(self.people)
        return sp.csr_array(
            (np.ones(n), (np.arange(n), self.person_unit)), shape=(n, len(self.units))
        )

    # -- person ties -----------------------------------------------------------------------
    @cached_property
    def _tie_matrices(self) -> tuple[sp.csr_array, sp.csr_array]:
        sizes = self.project_size
        keep = self.tie_projects & (sizes >= 2)
        lam = np.zeros(len(self.projects))
        lam[keep] = 1.0 / (sizes[keep] - 1)
        b = self.incidence
        shared = (b @ sp.diags_array(keep.astype(np.float64)) @ b.T).tocsr()
        weight = (b @ sp.diags_array(lam) @ b.T).tocsr()
        for m in (shared, weight):
            m.setdiag(0)
            m.eliminate_zeros()
            m.sort_indices()
        return shared, weight

    @property
    def shared_projects(self) -> sp.csr_array:
        """Symmetric people × people matrix: number of projects two people share."""
        return self._tie_matrices[0]

    @property
    def adjacency(self) -> sp.csr_array:
        """Symmetric 0/1 people × people matrix: 1 where two people share a project (a tie)."""
        a = self.shared_projects.copy()
        a.data[:] = 1.0
        return a

    @property
    def weights(self) -> sp.csr_array:
        """Symmetric Newman collaboration weights Σ_p 1/(n_p − 1) over shared projects."""
        return self._tie_matrices[1]

    @property
    def tie_incidence(self) -> sp.csr_array:
        """People × projects memberships of the projects that create ties."""
        return self.incidence[:, np.flatnonzero(self.tie_projects)].tocsr()

    @property
    def tie_count(self) -> int:
        return self.shared_projects.nnz // 2

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
    """Ties as a table ``a, b, projects, weight`` with person codes ``a < b``."""
    shared = sp.triu(net.shared_projects, k=1).tocoo()
    weight = sp.triu(net.weights, k=1).tocsr()
    return pl.DataFrame(
        {
            "a": shared.row.astype(np.int64),
            "b": shared.col.astype(np.int64),
            "projects": shared.data.astype(np.int64),
            "weight": np.asarray(weight[shared.row, shared.col]).ravel() if shared.nnz else np.zeros(0),
        }
    ).sort("a", "b")


def unit_link_table(net: CollaborationNetwork) -> pl.DataFrame:
    """Unit pairs that work together: ``unit_a, unit_b, ties, shared_projects, weight``.

    ``ties`` counts person ties across the pair (each once), ``weight`` sums their Newman
    weights and ``shared_projects`` counts projects with members from both units (all
    projects, including very large ones).
    """
    ties = tie_table(net)
    pu = net.person_unit
    ua, ub = pu[ties["a"].to_numpy()], pu[ties["b"].to_numpy()]
    cross = pl.DataFrame(
        {"ua": np.minimum(ua, ub), "ub": np.maximum(ua, ub), "w": ties["weight"].to_numpy()}
    ).filter(pl.col("ua") != pl.col("ub"))
    by_pair = cross.group_by("ua", "ub").agg(pl.len().alias("ties"), pl.col("w").sum().alias("weight"))
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
