"""Person-level bridging metrics computed on sparse arrays: betweenness, participation, Burt, brokerage."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import NamedTuple

import igraph
import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

__all__ = [
    "BetweennessResult",
    "SoleBridges",
    "BROKERAGE_ROLES",
    "betweenness",
    "participation",
    "participation_coefficient",
    "collaborators",
    "external_collaborators",
    "units_reached",
    "constraint",
    "effective_size",
    "brokerage",
    "brokerage_reference",
    "sole_bridges",
]

#: Undirected brokerage roles returned by :func:`brokerage`, in display order.
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")

#: Roles of the directed (sna) rule used by :func:`brokerage_reference`.
_DIRECTED_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

# Upper bound on the number of scalar multiplications done per block of rows in a masked
# sparse product; it bounds memory on graphs where big projects create huge cliques.
_BLOCK_WORK = 20_000_000


class BetweennessResult(NamedTuple):
    """Betweenness scores and how they were obtained.

    Attributes
    ----------
    values
        Normalised betweenness per person (share of pairs of other people).
    method
        ``"exact"`` (every person used as a source) or ``"sampled"``.
    sources
        Number of source people used (``N`` when exact).
    seed
        Seed of the source sample (kept even when exact, so results record their options).
    """

    values: np.ndarray
    method: str
    sources: int
    seed: int


class SoleBridges(NamedTuple):
    """Result of :func:`sole_bridges`.

    Attributes
    ----------
    per_person
        Number of unit pairs for which the person is a sole bridge.
    pairs
        One row per (unit pair, sole bridge): ``unit_a``, ``unit_b`` (unit codes,
        ``unit_a < unit_b``), ``person`` (person code), ``ties`` (cross ties of the pair).
    """

    per_person: np.ndarray
    pairs: pl.DataFrame


# -- helpers ----------------------------------------------------------------------------------


def _check_square(matrix: sp.sparray | sp.spmatrix, name: str) -> None:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        msg = f"{name} must be a square person × person matrix, got shape {matrix.shape}"
        raise ValueError(msg)


def _check_groups(groups: np.ndarray, n_people: int, n_groups: int | None = None) -> np.ndarray:
    """Unit codes as int64, checked against the number of people and of units."""
    g = np.asarray(groups, dtype=np.int64)
    if g.shape != (n_people,):
        msg = f"groups must give one unit code per person ({n_people}), got shape {g.shape}"
        raise ValueError(msg)
    upper = n_groups if n_groups is not None else np.iinfo(np.int64).max
    if g.size and (g.min() < 0 or g.max() >= upper):
        msg = f"unit codes must lie in 0 … {upper - 1}, got {g.min()} … {g.max()}"
        raise ValueError(msg)
    return g


def _pattern(matrix: sp.sparray | sp.spmatrix) -> sp.csr_array:
    """0/1 float CSR copy of the non-zero pattern of ``matrix`` (explicit zeros dropped)."""
    m = sp.csr_array(matrix, dtype=np.float64, copy=True)
    m.eliminate_zeros()
    m.data[:] = 1.0
    return m


def _clean(matrix: sp.sparray | sp.spmatrix) -> sp.csr_array:
    """Float CSR copy with explicit zeros dropped (a zero weight is no tie)."""
    m = sp.csr_array(matrix, dtype=np.float64, copy=True)
    m.eliminate_zeros()
    m.sort_indices()
    return m


def _onehot(groups: np.ndarray, n_groups: int) -> sp.csr_array:
    """People × units 0/1 matrix."""
    groups = np.asarray(groups, dtype=np.int64)
    n = groups.shape[0]
    return sp.csr_array(
        (np.ones(n), (np.arange(n), groups)), shape=(n, int(n_groups))
    )


def _row_sums(matrix: sp.csr_array) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def _masked_product(x: sp.csr_array, y: sp.csr_array, mask: sp.csr_array) -> sp.csr_array:
    """(x @ y) ⊙ mask, computed in row blocks so the full product never sits in memory.

    The work of row i is Σ_{q ∈ row i of x} nnz(row q of y); blocks are cut where the
    running work passes ``_BLOCK_WORK``.
    """
    n = x.shape[0]
    if n == 0:
        return sp.csr_array(mask.shape, dtype=np.float64)
    y_row_nnz = np.diff(y.indptr).astype(np.float64)
    work = _pattern(x) @ y_row_nnz
    cuts = np.searchsorted(np.cumsum(work), np.arange(1, int(work.sum() // _BLOCK_WORK) + 1) * _BLOCK_WORK)
    bounds = np.unique(np.concatenate(([0], cuts, [n])))
    blocks = [
        (x[lo:hi] @ y).multiply(mask[lo:hi]).tocsr()
        for lo, hi in zip(bounds[:-1], bounds[1:])
    ]
    out = sp.vstack(blocks, format="csr") if len(blocks) > 1 else sp.csr_array(blocks[0])
    out.eliminate_zeros()
    return sp.csr_array(out)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with NaN where den == 0 (no RuntimeWarning)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


# -- betweenness ------------------------------------------------------------------------------


def betweenness(
    incidence: sp.sparray | sp.spmatrix,
    *,
    exact_max_people: int = 5000,
    sample_size: int = 256,
    seed: int = 0,
) -> BetweennessResult:
    r"""Betweenness of each person in the membership graph (people + projects).

    One definition for every roster size: the membership graph B has a node per person
    and per project and an edge per membership (Borgatti & Everett 1997, two-mode
    betweenness). Only shortest paths whose two ends are people are counted, and a
    person's score is the share of pairs of *other* people whose shortest paths run
    through them:

    .. math::

        b_v = \frac{1}{(N-1)(N-2)/2} \sum_{\{s,t\} \subseteq V \setminus \{v\}}
              \frac{\sigma_{st}(v)}{\sigma_{st}}

    with V the N people, σ_st the number of shortest s–t paths in B and σ_st(v) those
    through v. Paths may run through project nodes; projects are never endpoints.

    Up to ``exact_max_people`` people every person is a source (exact). Beyond, ``sample_size``
    source people are drawn uniformly without replacement with
    ``numpy.random.default_rng(seed)`` and the source-restricted sum is scaled by
    N / sample_size (Brandes & Pich 2007), an unbiased estimate of the exact sum. The
    sample is reproducible for a given seed. Accuracy is about rank, not digits: with 256
    sources the person ranking agrees with the exact one at Spearman ≈ 0.95 on a
    10k-person synthetic organisation, but the exact top-1 % list is not recovered.

    Parameters
    ----------
    incidence
        People × projects 0/1 sparse matrix.
    exact_max_people
        Largest number of people for which the exact value is computed.
    sample_size
        Number of source people when sampling; if it reaches N the result is exact.
    seed
        Seed of the source sample.

    Returns
    -------
    BetweennessResult
        ``values`` (NaN for every person when N < 3: there is no pair of other people),
        ``method`` ("exact" or "sampled"), ``sources`` and ``seed``.

    References
    ----------
    Freeman, L.C. (1977) A set of measures of centrality based on betweenness.
    *Sociometry* 40(1):35–41.
    Borgatti, S.P. & Everett, M.G. (1997) Network analysis of 2-mode data.
    *Social Networks* 19(3):243–269.
    Brandes, U. & Pich, C. (2007) Centrality estimation in large networks.
    *Int. J. Bifurcation and Chaos* 17(7):2303–2318.

    Examples
    --------
    Three people in a chain of two projects: the middle person links the other two.

    >>> import scipy.sparse as sp
    >>> inc = sp.csr_array([[1, 0], [1, 1], [0, 1]])
    >>> betweenness(inc).values.tolist()
    [0.0, 1.0, 0.0]
    """
    if sample_size < 1:
        raise ValueError("sample_size must be at least 1")
    inc = _pattern(incidence).tocoo()
    n_people, n_projects = inc.shape
    if n_people < 3:
        return BetweennessResult(np.full(n_people, np.nan), "exact", n_people, seed)
    graph = igraph.Graph(n=n_people + n_projects)
    graph.add_edges(np.column_stack((inc.row, inc.col + n_people)))
    people = range(n_people)
    if n_people <= exact_max_people or sample_size >= n_people:
        sources, method, scale = people, "exact", 1.0
    else:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n_people, size=sample_size, replace=False)).tolist()
        method, scale = "sampled", n_people / sample_size
    # igraph halves undirected counts, so with sources = targets = people the raw value
    # counts each unordered pair once; with a source sample it is half the ordered-pair
    # sum from those sources, which the scale turns into an estimate of the same quantity.
    raw = np.asarray(
        graph.betweenness(vertices=people, directed=False, sources=sources, targets=people),
        dtype=np.float64,
    )
    pairs = (n_people - 1) * (n_people - 2) / 2
    return BetweennessResult(raw * scale / pairs, method, len(sources), seed)


# -- participation and counts -----------------------------------------------------------------


def participation_coefficient(
    matrix: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int
) -> np.ndarray:
    r"""Guimerà–Amaral participation coefficient from the rows of any non-negative matrix.

    .. math:: P_i = 1 - \sum_s \left(\frac{k_{is}}{k_i}\right)^2

    with :math:`k_{is} = \sum_{j \in s} m_{ij}` (row i restricted to the columns of module s)
    and :math:`k_i = \sum_j m_{ij}` (row sum). The matrix is used as given: it is not
    symmetrised and a diagonal entry counts towards the person's own module, as in bctpy.
    :func:`participation` is this function on the loop-free symmetric tie matrix.

    Parameters
    ----------
    matrix
        N × N sparse matrix (rows are read).
    groups
        Module code (0 … n_groups − 1) of each node.
    n_groups
        Number of modules K.

    Returns
    -------
    numpy.ndarray
        P per node; NaN where the row sum is 0.

    References
    ----------
    Guimerà, R. & Amaral, L.A.N. (2005) Functional cartography of complex metabolic
    networks. *Nature* 433:895–900.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> participation_coefficient(sp.csr_array([[1, 1], [0, 0]]), [0, 1], 2).tolist()
    [0.5, nan]
    """
    _check_square(matrix, "matrix")
    m = sp.csr_array(matrix, dtype=np.float64)
    per_module = (m @ _onehot(_check_groups(groups, m.shape[0], n_groups), n_groups)).tocsr()
    k = _row_sums(m)
    squares = per_module.copy()
    squares.data **= 2
    return 1.0 - _safe_divide(_row_sums(squares), k**2)


def participation(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> np.ndarray:
    r"""Participation coefficient of each person over units (how evenly ties spread).

    .. math:: P_i = 1 - \sum_s \left(\frac{k_{is}}{k_i}\right)^2

    :math:`k_{is}` = number of i's ties to people of unit s (own unit included), :math:`k_i`
    = number of ties. Unweighted. 0 = every tie in one unit; the maximum is 1 − 1/K.

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
    numpy.ndarray
        P per person; NaN for a person with no ties.

    References
    ----------
    Guimerà, R. & Amaral, L.A.N. (2005) Functional cartography of complex metabolic
    networks. *Nature* 433:895–900.

    Examples
    --------
    Person 0 has one tie inside unit 0 and one to unit 1:

    >>> import scipy.sparse as sp
    >>> a = sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> participation(a, [0, 0, 1], 2).tolist()
    [0.5, 0.0, 0.0]
    """
    return participation_coefficient(_pattern(adjacency), groups, n_groups)


def collaborators(adjacency: sp.sparray | sp.spmatrix) -> np.ndarray:
    """Number of people each person shares at least one project with (degree).

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.

    Returns
    -------
    numpy.ndarray
        Integer count per person (0 for a person with no ties).

    References
    ----------
    Wasserman, S. & Faust, K. (1994) *Social Network Analysis*, §4.3 (degree).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> collaborators(sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])).tolist()
    [2, 1, 1]
    """
    return np.diff(_pattern(adjacency).indptr).astype(np.int64)


def _unit_ties(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> sp.csr_array:
    """People × units matrix NU: number of the person's ties to each unit."""
    _check_square(adjacency, "adjacency")
    _check_groups(groups, adjacency.shape[0], n_groups)
    return (_pattern(adjacency) @ _onehot(groups, n_groups)).tocsr()


def external_collaborators(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray) -> np.ndarray:
    """Number of each person's collaborators who belong to another unit.

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.
    groups
        Unit code of each person.

    Returns
    -------
    numpy.ndarray
        Integer count per person.

    References
    ----------
    Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
    *Social Psychology Quarterly* 51(2):123–140 (external ties).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> a = sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> external_collaborators(a, [0, 0, 1]).tolist()
    [1, 0, 1]
    """
    _check_square(adjacency, "adjacency")
    a = sp.triu(_pattern(adjacency), k=1).tocoo()
    g = _check_groups(groups, a.shape[0])
    cross = g[a.row] != g[a.col]
    n = a.shape[0]
    counts = np.bincount(a.row[cross], minlength=n) + np.bincount(a.col[cross], minlength=n)
    return counts.astype(np.int64)


def units_reached(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Number of *other* units in which the person has at least one collaborator.

    The person's own unit is not counted, so 0 means "no tie outside my unit".

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
    numpy.ndarray
        Integer count per person, between 0 and K − 1.

    References
    ----------
    Burt, R.S. (1992) *Structural Holes*, Harvard UP (range of contacts across groups).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> a = sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> units_reached(a, [0, 1, 2], 3).tolist()
    [2, 1, 1]
    """
    nu = _unit_ties(adjacency, groups, n_groups)
    has_internal = collaborators(adjacency) > external_collaborators(adjacency, groups)
    return (np.diff(nu.indptr) - has_internal).astype(np.int64)


# -- Burt's structural-hole measures ----------------------------------------------------------


def _proportional_ties(weights: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    """P with p_ij = w_ij / Σ_k w_ik, and the row sums."""
    _check_square(weights, "weights")
    if weights.nnz and weights.data.min() < 0:
        raise ValueError("weights must be non-negative")
    strength = _row_sums(weights)
    inverse = _safe_divide(np.ones_like(strength), strength)
    inverse[np.isnan(inverse)] = 0.0
    return sp.csr_array(sp.diags_array(inverse) @ weights), strength


def constraint(weights: sp.sparray | sp.spmatrix) -> np.ndarray:
    r"""Burt's constraint: how much a person's contacts are tied to each other.

    .. math::

        p_{ij} = \frac{w_{ij}}{\sum_k w_{ik}}, \qquad
        C_i = \sum_{j \in N(i)} \Big(p_{ij} + \sum_{q \ne i,j} p_{iq}\,p_{qj}\Big)^2

    For a symmetric matrix this is Burt's :math:`p_{ij} = (a_{ij}+a_{ji})/\sum_k(a_{ik}+a_{ki})`.
    Low values = the person connects otherwise unconnected contacts. A person with one
    contact has constraint 1. Zero weights are treated as no tie. The two-step term is the
    product P·P read only at existing ties.

    Parameters
    ----------
    weights
        Symmetric non-negative person × person sparse matrix with zero diagonal (Newman
        weights, or the 0/1 adjacency for the unweighted measure).

    Returns
    -------
    numpy.ndarray
        C per person; NaN for a person with no ties.

    Notes
    -----
    Cost grows with the number of two-step paths, Σ_q k_q² (big projects dominate): about
    4 s and 0.6 GB for 1.3 million ties on 2 cores. The product is computed in row blocks so
    memory stays bounded.

    References
    ----------
    Burt, R.S. (1992) *Structural Holes: The Social Structure of Competition*, Harvard UP.

    Examples
    --------
    Path of three people: the ends depend on their one contact, the middle less so.

    >>> import scipy.sparse as sp
    >>> constraint(sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])).tolist()
    [1.0, 0.5, 1.0]
    """
    w = _clean(weights)
    p, strength = _proportional_ties(w)
    two_step = _masked_product(p, p, _pattern(w))
    c = sp.csr_array(p + two_step)
    c.data **= 2
    return np.where(strength > 0, _row_sums(c), np.nan)


def effective_size(weights: sp.sparray | sp.spmatrix) -> np.ndarray:
    r"""Burt's effective size: number of contacts, minus their redundancy with each other.

    .. math::

        ES_i = \sum_{j \in N(i)} \Big(1 - \sum_{q \ne i,j} p_{iq}\, m_{jq}\Big), \qquad
        p_{iq} = \frac{w_{iq}}{\sum_k w_{ik}}, \quad m_{jq} = \frac{w_{jq}}{\max_k w_{jk}}

    (Burt's general form; for 0/1 ties it equals Borgatti's n − 2t/n). Zero weights are
    treated as no tie. Efficiency is ES_i divided by the number of contacts.

    Parameters
    ----------
    weights
        Symmetric non-negative person × person sparse matrix with zero diagonal.

    Returns
    -------
    numpy.ndarray
        ES per person; NaN for a person with no ties.

    Notes
    -----
    Cost grows with the number of two-step paths, Σ_q k_q² (big projects dominate): about
    4 s and 0.6 GB for 1.3 million ties on 2 cores. The product is computed in row blocks so
    memory stays bounded.

    References
    ----------
    Burt, R.S. (1992) *Structural Holes*, Harvard UP.
    Borgatti, S.P. (1997) Structural holes: unpacking Burt's redundancy measures.
    *Connections* 20(1):35–38.

    Examples
    --------
    In a triangle each person's two contacts know each other: 2 − 2·1/2 = 1.

    >>> import scipy.sparse as sp
    >>> effective_size(sp.csr_array([[0, 1, 1], [1, 0, 1], [1, 1, 0]])).tolist()
    [1.0, 1.0, 1.0]
    """
    w = _clean(weights)
    p, strength = _proportional_ties(w)
    row_max = w.max(axis=1).toarray().ravel() if w.shape[0] else np.zeros(0)
    scale = _safe_divide(np.ones_like(row_max), row_max)
    scale[np.isnan(scale)] = 0.0
    m = sp.csr_array(sp.diags_array(scale) @ w)
    redundancy = _masked_product(p, sp.csr_array(m.T), _pattern(w))
    degree = np.diff(w.indptr).astype(np.float64)
    return np.where(strength > 0, degree - _row_sums(redundancy), np.nan)


# -- Gould & Fernandez brokerage --------------------------------------------------------------


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
    _check_square(adjacency, "adjacency")
    a = _pattern(adjacency)
    g = _check_groups(groups, a.shape[0], n_groups)
    n = a.shape[0]
    rows = np.repeat(np.arange(n), np.diff(a.indptr))
    same = (g[rows] == g[a.indices]).astype(np.float64)
    # copies of the index arrays: eliminate_zeros works in place and would corrupt `a`
    a_int = sp.csr_array((a.data * same, a.indices.copy(), a.indptr.copy()), shape=a.shape)
    a_ext = sp.csr_array((a.data * (1.0 - same), a.indices.copy(), a.indptr.copy()), shape=a.shape)
    a_int.eliminate_zeros()
    a_ext.eliminate_zeros()

    degree = np.diff(a.indptr).astype(np.float64)
    own = _row_sums(a_int)
    ext = degree - own
    nu = (a @ _onehot(g, n_groups)).tocsr()
    nu_sq = nu.copy()
    nu_sq.data **= 2
    other_sq = _row_sums(nu_sq) - own**2  # Σ_{s≠u} n_bs²
    other_pairs = (other_sq - ext) / 2  # Σ_{s≠u} C(n_bs, 2)

    # Two masked products instead of four: a two-step walk b–a–c closed by c–b can only
    # be of the listed types, e.g. (A_ext A_int) ⊙ A_int = 0 because a, c share a unit
    # and c, b share a unit would put a in b's unit.
    via_int = _masked_product(a, a_int, a)  # (A_int² + A_ext A_int) ⊙ A
    via_ext = _masked_product(a, a_ext, a)  # (A_int A_ext + A_ext²) ⊙ A
    diag_iii = _row_sums(via_int.multiply(a_int))
    diag_eie = _row_sums(via_int.multiply(a_ext))
    diag_iee = _row_sums(via_ext.multiply(a_int))  # diag(A_ext² A_int) = diag(A_int A_ext²)
    diag_eee = _row_sums(via_ext.multiply(a_ext)) - diag_iee

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


# -- sole bridges -----------------------------------------------------------------------------


def sole_bridges(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray) -> SoleBridges:
    """People who carry every tie between two units.

    For each pair of units (k, l) with at least one cross tie, a person is a sole bridge
    if they are an endpoint of every tie between k and l. When the pair has one tie,
    both its endpoints qualify; when it has several, at most one person can (the one
    they all share).

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.
    groups
        Unit code of each person.

    Returns
    -------
    SoleBridges
        ``per_person`` counts of unit pairs and ``pairs`` (unit_a, unit_b, person, ties),
        sorted.

    References
    ----------
    Granovetter, M.S. (1973) The strength of weak ties. *American Journal of Sociology*
    78(6):1360–1380 (bridges between groups).

    Examples
    --------
    Person 0 (unit 0) is the only link to units 1 and 2:

    >>> import scipy.sparse as sp
    >>> a = sp.csr_array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])
    >>> sole_bridges(a, [0, 1, 2]).per_person.tolist()
    [2, 1, 1]
    """
    _check_square(adjacency, "adjacency")
    g = _check_groups(groups, adjacency.shape[0])
    n = g.shape[0]
    upper = sp.triu(_pattern(adjacency), k=1).tocoo()
    i, j = upper.row.astype(np.int64), upper.col.astype(np.int64)
    cross = g[i] != g[j]
    i, j = i[cross], j[cross]
    ties = pl.DataFrame({
        "unit_a": np.minimum(g[i], g[j]),
        "unit_b": np.maximum(g[i], g[j]),
        "i": i,
        "j": j,
    })
    totals = ties.group_by("unit_a", "unit_b").agg(pl.len().alias("ties"))
    ends = pl.concat([
        ties.select("unit_a", "unit_b", pl.col("i").alias("person")),
        ties.select("unit_a", "unit_b", pl.col("j").alias("person")),
    ])
    pairs = (
        ends.group_by("unit_a", "unit_b", "person")
        .agg(pl.len().alias("carried"))
        .join(totals, on=["unit_a", "unit_b"])
        .filter(pl.col("carried") == pl.col("ties"))
        .select(
            pl.col("unit_a").cast(pl.Int64),
            pl.col("unit_b").cast(pl.Int64),
            pl.col("person").cast(pl.Int64),
            pl.col("ties").cast(pl.Int64),
        )
        .sort("unit_a", "unit_b", "person")
    )
    per_person = np.bincount(pairs["person"].to_numpy(), minlength=n).astype(np.int64)
    return SoleBridges(per_person, pairs)
