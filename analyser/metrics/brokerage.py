"""Gould & Fernandez brokerage roles of people between units (undirected form, plus the directed reference)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analyser.metrics._arrays import as_groups, check_square, masked_product, onehot, pattern, row_sums

__all__ = ["BROKERAGE_ROLES", "brokerage", "brokerage_reference"]

#: Undirected brokerage roles returned by :func:`brokerage`, in display order.
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")

#: Roles of the directed (sna) rule used by :func:`brokerage_reference`.
_DIRECTED_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")



def brokerage(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    r"""Gould & Fernandez brokerage role counts, undirected form.

    For broker b, every unordered pair {a, c} of b's collaborators who are not tied to
    each other counts once, by the units of a, b, c:

    - ``coordinator``: a, b, c in the same unit;
    - ``itinerant``: a and c in one unit, b in another;
    - ``gatekeeper``: exactly one of a, c in b's unit (the directed roles representative
      and gatekeeper coincide for undirected ties and are merged);
    - ``liaison``: three different units.

    Computed from counts: with :math:`n_{bs}` = b's collaborators in unit s and u = b's
    unit, all pairs are :math:`\binom{n_{bu}}{2}`, :math:`\sum_{s\ne u}\binom{n_{bs}}{2}`,
    :math:`n_{bu}(k_b-n_{bu})` and :math:`\tfrac12[(k_b-n_{bu})^2-\sum_{s\ne u}n_{bs}^2]`;
    the closed pairs (triangles) are subtracted by type: diag(A_int³)/2,
    diag(A_ext A_int A_ext)/2, diag(A_int A_ext²) and diag(A_ext³)/2, where A_int / A_ext
    hold the ties within / across units (two masked sparse products A·A_int and A·A_ext
    give all four). These equal the directed sna counts on the
    symmetric digraph divided by 2 (representative + gatekeeper divided by 2).

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.
    groups
        Unit code of each person.
    n_groups
        Number of units K.

    Returns
    -------
    dict
        Role name (:data:`BROKERAGE_ROLES`) → integer count per person.

    Notes
    -----
    Cost grows with the number of two-step paths, Σ_q k_q² (big projects dominate): about
    4 s and 0.6 GB for 1.3 million ties on 2 cores. The product is computed in row blocks so
    memory stays bounded.

    References
    ----------
    Gould, R.V. & Fernandez, R.M. (1989) Structures of mediation: a formal approach to
    brokerage in transaction networks. *Sociological Methodology* 19:89–126.

    Examples
    --------
    Person 1 links person 0 (own unit) and person 2 (other unit):

    >>> import scipy.sparse as sp
    >>> a = sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> {k: v.tolist() for k, v in brokerage(a, [0, 0, 1], 2).items()}
    {'coordinator': [0, 0, 0], 'itinerant': [0, 0, 0], 'gatekeeper': [0, 1, 0], 'liaison': [0, 0, 0]}
    """
    check_square(adjacency, "adjacency")
    a = pattern(adjacency)
    g = as_groups(groups, n_groups, n_people=a.shape[0])
    n = a.shape[0]
    rows = np.repeat(np.arange(n), np.diff(a.indptr))
    same = (g[rows] == g[a.indices]).astype(np.float64)
    # copies of the index arrays: eliminate_zeros works in place and would corrupt `a`
    a_int = sp.csr_array((a.data * same, a.indices.copy(), a.indptr.copy()), shape=a.shape)
    a_ext = sp.csr_array((a.data * (1.0 - same), a.indices.copy(), a.indptr.copy()), shape=a.shape)
    a_int.eliminate_zeros()
    a_ext.eliminate_zeros()

    degree = np.diff(a.indptr).astype(np.float64)
    own = row_sums(a_int)
    ext = degree - own
    nu = (a @ onehot(g, n_groups)).tocsr()
    nu_sq = nu.copy()
    nu_sq.data **= 2
    other_sq = row_sums(nu_sq) - own**2  # Σ_{s≠u} n_bs²
    other_pairs = (other_sq - ext) / 2  # Σ_{s≠u} C(n_bs, 2)

    # Two masked products instead of four: a two-step walk b–a–c closed by c–b can only
    # be of the listed types, e.g. (A_ext A_int) ⊙ A_int = 0 because a, c share a unit
    # and c, b share a unit would put a in b's unit.
    via_int = masked_product(a, a_int, a)  # (A_int² + A_ext A_int) ⊙ A
    via_ext = masked_product(a, a_ext, a)  # (A_int A_ext + A_ext²) ⊙ A
    diag_iii = row_sums(via_int.multiply(a_int))
    diag_eie = row_sums(via_int.multiply(a_ext))
    diag_iee = row_sums(via_ext.multiply(a_int))  # diag(A_ext² A_int) = diag(A_int A_ext²)
    diag_eee = row_sums(via_ext.multiply(a_ext)) - diag_iee

    counts = {
        "coordinator": own * (own - 1) / 2 - diag_iii / 2,
        "itinerant": other_pairs - diag_eie / 2,
        "gatekeeper": own * ext - diag_iee,
        "liaison": (ext**2 - other_sq) / 2 - diag_eee / 2,
    }
    return {role: np.rint(v).astype(np.int64) for role, v in counts.items()}


def brokerage_reference(
    graph: nx.Graph | nx.DiGraph, unit: Mapping[Hashable, Hashable]
) -> dict[Hashable, dict[str, int]]:
    """Directed Gould & Fernandez role counts by the sna rule, in plain networkx.

    Every ordered two-path a → b → c with a ≠ c and no arc a → c scores one role for b:
    coordinator (G(a)=G(b)=G(c)), itinerant (G(a)=G(c)≠G(b)), representative
    (G(a)=G(b)≠G(c)), gatekeeper (G(b)=G(c)≠G(a)), liaison (all different). An undirected
    graph is read as the symmetric digraph. This is a slow reference for tests, not for
    production use.

    Parameters
    ----------
    graph
        networkx graph or digraph (self-loops ignored).
    unit
        Unit of each node.

    Returns
    -------
    dict
        node → {role: count} for the five directed roles.

    References
    ----------
    Gould, R.V. & Fernandez, R.M. (1989) Structures of mediation. *Sociological
    Methodology* 19:89–126; R package sna, ``brokerage`` (Butts).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> brokerage_reference(g, {"a": 1, "b": 1, "c": 2})["b"]["representative"]
    1
    """
    d = graph if graph.is_directed() else graph.to_directed()
    result = {}
    for b in d:
        roles = dict.fromkeys(_DIRECTED_ROLES, 0)
        gb = unit[b]
        for a in d.predecessors(b):
            for c in d.successors(b):
                if a == c or a == b or c == b or d.has_edge(a, c):
                    continue
                ga, gc = unit[a], unit[c]
                if ga == gb == gc:
                    roles["coordinator"] += 1
                elif ga == gc:
                    roles["itinerant"] += 1
                elif ga == gb:
                    roles["representative"] += 1
                elif gc == gb:
                    roles["gatekeeper"] += 1
                else:
                    roles["liaison"] += 1
        result[b] = roles
    return result

