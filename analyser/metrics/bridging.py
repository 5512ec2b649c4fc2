"""Person-level bridging metrics on sparse arrays: betweenness, participation, reach, sole bridges.

Burt's measures are in :mod:`analyser.metrics.structural_holes`, Gould & Fernandez roles in
:mod:`analyser.metrics.brokerage`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import igraph
import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.metrics._arrays import as_groups, check_square, onehot, pattern, ratio, row_sums

__all__ = [
    "EXACT_MAX_PEOPLE",
    "SAMPLE_SIZE",
    "LARGE_PEOPLE",
    "LARGE_SAMPLE_SIZE",
    "SAMPLED_SPEARMAN_MIN",
    "SAMPLING_NOTE",
    "SAMPLED_ACCURACY",
    "BetweennessResult",
    "SoleBridges",
    "betweenness",
    "cross_unit_betweenness",
    "bridging_betweenness",
    "betweenness_engine",
    "BETWEENNESS_ENGINES",
    "participation",
    "participation_coefficient",
    "collaborators",
    "external_collaborators",
    "units_reached",
    "sole_bridges",
]


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


# -- betweenness ------------------------------------------------------------------------------

#: Up to this many people betweenness is exact (every person a source).
EXACT_MAX_PEOPLE = 5000
#: Source people drawn above :data:`EXACT_MAX_PEOPLE`.
SAMPLE_SIZE = 256
#: Above this many people the sample is :data:`LARGE_SAMPLE_SIZE` sources: each source
#: costs one breadth-first search of the whole membership graph (≈ 50 ms at 100k people).
LARGE_PEOPLE = 50_000
LARGE_SAMPLE_SIZE = 128
#: How the sample is drawn and scaled (printed in the report's methods appendix).
SAMPLING_NOTE = (
    f"above {EXACT_MAX_PEOPLE:,} people: {SAMPLE_SIZE} source people ({LARGE_SAMPLE_SIZE} above "
    f"{LARGE_PEOPLE:,} people) drawn uniformly without replacement with numpy default_rng(seed); "
    "source-restricted sums scaled by people/sources (Brandes & Pich 2007)"
)
#: Measured error of the sampled estimate against the exact value on the synthetic benchmark
#: organisations S (1,000 people) and M (10,000), sampling forced, seeds 0–2
#: (benchmarks/betweenness_accuracy.py; docs/performance.md).
SAMPLED_ACCURACY = (
    "Spearman rank correlation with exact betweenness over all people: 256 sources 0.987–0.989 (1,000 people), "
    "0.965 (10,000 people); 128 sources 0.978–0.982 and 0.958–0.962. Overlap of the top-100 lists: 256 sources "
    "0.86–0.92 and 0.52–0.59; 128 sources 0.78–0.84 and 0.44–0.45. The ranking is reliable; the exact order "
    "of the very top is not."
)
#: Lowest Spearman correlation with the exact values stated above (the tests hold it).
SAMPLED_SPEARMAN_MIN = 0.95


def _source_people(n_people: int, exact_max_people: int, sample_size: int | None, seed: int):
    """Source people of the betweenness measures: everyone (exact) or a seeded sample.

    Returns ``(sources, method, scale)``; the sample is drawn uniformly without replacement
    with ``numpy.random.default_rng(seed)``, so every measure with one seed uses the same people.
    """
    if sample_size is None:
        sample_size = SAMPLE_SIZE if n_people <= LARGE_PEOPLE else LARGE_SAMPLE_SIZE
    if sample_size < 1:
        raise ValueError("sample_size must be at least 1")
    if n_people <= exact_max_people or sample_size >= n_people:
        return np.arange(n_people, dtype=np.int64), "exact", 1.0
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(n_people, size=sample_size, replace=False)).astype(np.int64)
    return sources, "sampled", n_people / sample_size


def _per_cross_pair(raw: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """``raw`` over the cross-unit pairs that do not involve each person, C − (N − n_u(v))."""
    n_people = groups.size
    sizes = np.bincount(groups, minlength=n_groups).astype(np.float64)
    cross_pairs = (n_people * n_people - float(np.sum(sizes * sizes))) / 2
    return ratio(raw, cross_pairs - (n_people - sizes[groups]))


def betweenness(
    incidence: sp.sparray | sp.spmatrix,
    *,
    exact_max_people: int = EXACT_MAX_PEOPLE,
    sample_size: int | None = None,
    seed: int = 0,
) -> BetweennessResult:
    r"""Betweenness of each person in the membership graph (people + projects).

    One definition for every roster size: Freeman's betweenness of people, computed on the
    membership graph B (a node per person and per project, an edge per membership; the
    two-mode representation of Borgatti & Everett 1997, not their two-mode normalisation).
    Only shortest paths whose two ends are people are counted, so a pair sharing *k*
    projects has *k* shortest routes, and a person's score is the share of pairs of *other*
    people whose shortest paths run through them:

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
    sources the person ranking agrees with the exact one at Spearman 0.965 on a
    10k-person synthetic organisation (0.96 with 128), but the exact top-1 % list is not
    recovered (:data:`SAMPLED_ACCURACY`).

    Parameters
    ----------
    incidence
        People × projects 0/1 sparse matrix.
    exact_max_people
        Largest number of people for which the exact value is computed.
    sample_size
        Number of source people when sampling; if it reaches N the result is exact.
        ``None``: :data:`SAMPLE_SIZE` (256), or :data:`LARGE_SAMPLE_SIZE` (128) above
        :data:`LARGE_PEOPLE` people.
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
    inc = pattern(incidence).tocoo()
    n_people, n_projects = inc.shape
    picked, method, scale = _source_people(n_people, exact_max_people, sample_size, seed)
    if n_people < 3:
        return BetweennessResult(np.full(n_people, np.nan), "exact", n_people, seed)
    graph = igraph.Graph(n=n_people + n_projects)
    graph.add_edges(np.column_stack((inc.row, inc.col + n_people)))
    people = range(n_people)
    sources = people if method == "exact" else picked.tolist()
    # igraph halves undirected counts, so with sources = targets = people the raw value
    # counts each unordered pair once; with a source sample it is half the ordered-pair
    # sum from those sources, which the scale turns into an estimate of the same quantity.
    raw = np.asarray(
        graph.betweenness(vertices=people, directed=False, sources=sources, targets=people),
        dtype=np.float64,
    )
    pairs = (n_people - 1) * (n_people - 2) / 2
    return BetweennessResult(raw * scale / pairs, method, len(sources), seed)


def cross_unit_betweenness(
    incidence: sp.sparray | sp.spmatrix,
    groups: np.ndarray,
    n_groups: int,
    *,
    exact_max_people: int = EXACT_MAX_PEOPLE,
    sample_size: int | None = None,
    seed: int = 0,
) -> BetweennessResult:
    r"""Share of the shortest collaboration paths between people of *different* units that pass
    through each person: brokerage across unit borders.

    The paths are those of :func:`betweenness` (person–project–person steps on the membership
    graph, so a pair sharing *k* projects has *k* routes), counted only for pairs whose two
    people are in different units and neither of whom is the person scored:

    .. math::

        b^{cross}_v = \frac{1}{C - (N - n_{u(v)})}
              \sum_{\substack{\{s,t\} \subseteq V \setminus \{v\} \\ u(s) \ne u(t)}}
              \frac{\sigma_{st}(v)}{\sigma_{st}}

    with :math:`C = (N^2 - \sum_u n_u^2)/2` the number of cross-unit pairs and
    :math:`N - n_{u(v)}` the cross-unit pairs that involve *v*. A person with a high plain
    betweenness inside one big unit scores 0 here unless they lie on paths between units.

    Exact up to ``exact_max_people`` people; above, the same source sample as
    :func:`betweenness` (same seed, same people) with the sum scaled by N / sources.

    Parameters
    ----------
    incidence
        People × projects 0/1 sparse matrix.
    groups
        Unit code (0 … n_groups − 1) of each person.
    n_groups
        Number of units K.
    exact_max_people, sample_size, seed
        As for :func:`betweenness`.

    Returns
    -------
    BetweennessResult
        ``values`` (NaN where the person's normaliser is 0, e.g. everyone in one unit),
        ``method``, ``sources`` and ``seed``.

    Notes
    -----
    One igraph subset-betweenness call per unit present among the sources (sources = the
    unit's people, targets = everyone outside it): the cost is one breadth-first search per
    source, as for :func:`betweenness`. igraph halves undirected counts, and each unordered
    cross pair is reached once from each side, so the sum counts each pair once.

    References
    ----------
    Freeman, L.C. (1977) A set of measures of centrality based on betweenness.
    *Sociometry* 40(1):35–41.
    Brandes, U. (2008) On variants of shortest-path betweenness centrality and their generic
    computation. *Social Networks* 30(2):136–145 (betweenness restricted to source and target
    sets).
    Brandes, U. & Pich, C. (2007) Centrality estimation in large networks.
    *Int. J. Bifurcation and Chaos* 17(7):2303–2318.

    Examples
    --------
    A chain a–b–c–d of three projects, a and b in unit 0, c and d in unit 1. Of the cross
    pairs without b, {a, c} and {a, d}, both run through b (plain betweenness: 2 of 3 pairs).

    >>> import scipy.sparse as sp
    >>> inc = sp.csr_array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]])
    >>> cross_unit_betweenness(inc, np.array([0, 0, 1, 1]), 2).values.tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    g = as_groups(groups, n_groups, n_people=incidence.shape[0])
    inc = pattern(incidence).tocoo()
    n_people, n_projects = inc.shape
    sources, method, scale = _source_people(n_people, exact_max_people, sample_size, seed)
    if n_people < 3:
        return BetweennessResult(np.full(n_people, np.nan), "exact", n_people, seed)
    graph = igraph.Graph(n=n_people + n_projects)
    graph.add_edges(np.column_stack((inc.row, inc.col + n_people)))
    raw = np.zeros(n_people)
    people = range(n_people)
    everyone = np.arange(n_people)
    for unit in np.unique(g[sources]):
        inside = g == unit
        raw += np.asarray(
            graph.betweenness(
                vertices=people,
                directed=False,
                sources=sources[g[sources] == unit].tolist(),
                targets=everyone[~inside].tolist(),
            ),
            dtype=np.float64,
        )
    return BetweennessResult(_per_cross_pair(raw * scale, g, n_groups), method, sources.size, seed)


#: How :func:`bridging_betweenness` runs, by whether numba is installed (for the analysis' methods).
BETWEENNESS_ENGINES = {
    "numba": "one Brandes pass for both measures, compiled with numba",
    "igraph": "igraph, one pass per measure (numba not installed: the [fast] extra compiles one pass for both)",
}


@functools.cache
def _one_pass() -> Callable[..., tuple[np.ndarray, np.ndarray]] | None:
    """The compiled Brandes pass of :func:`bridging_betweenness`, compiled (numba imported) on first use; None without numba."""
    from analyser.metrics._arrays import numba_compiled
    from analyser.metrics._brandes import both_dependencies

    try:
        return numba_compiled(both_dependencies)
    except ImportError:
        return None


def betweenness_engine() -> str:
    """How :func:`bridging_betweenness` computes here (:data:`BETWEENNESS_ENGINES`); imports numba if installed."""
    return BETWEENNESS_ENGINES["igraph" if _one_pass() is None else "numba"]


def bridging_betweenness(
    incidence: sp.sparray | sp.spmatrix,
    groups: np.ndarray,
    n_groups: int,
    *,
    exact_max_people: int = EXACT_MAX_PEOPLE,
    sample_size: int | None = None,
    seed: int = 0,
) -> tuple[BetweennessResult, BetweennessResult]:
    """Returns :func:`betweenness` and :func:`cross_unit_betweenness` from one pass of Brandes' algorithm.

    The same values as the two functions (same sources, same seed, same scaling), from one
    breadth-first search per source that accumulates two dependencies: one over every person
    as target, one over the people of other units than the source's (Brandes 2008, betweenness
    with source and target sets). Compiled with numba; without numba, the two igraph calls.

    Parameters
    ----------
    incidence, groups, n_groups, exact_max_people, sample_size, seed
        As for :func:`cross_unit_betweenness`.

    Returns
    -------
    plain, cross
        :class:`BetweennessResult` of each.

    Notes
    -----
    Measured here: at 100,000 people (128 sources) 3.8 s for both against 8.0 s + 11.6 s for
    the two igraph calls; at 10,000 (256 sources) 0.39 s against 0.44 s + 0.89 s. Equal to the
    igraph values within 1e-15 on the sample, M and L rosters (tests compare them on random
    rosters).

    References
    ----------
    Brandes, U. (2001) A faster algorithm for betweenness centrality. *Journal of Mathematical
    Sociology* 25(2):163–177.
    Brandes, U. (2008) On variants of shortest-path betweenness centrality and their generic
    computation. *Social Networks* 30(2):136–145.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> inc = sp.csr_array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]])
    >>> plain, cross = bridging_betweenness(inc, np.array([0, 0, 1, 1]), 2)
    >>> plain.values.round(3).tolist(), cross.values.tolist()
    ([0.0, 0.667, 0.667, 0.0], [0.0, 1.0, 1.0, 0.0])
    """
    both_dependencies = _one_pass()
    if both_dependencies is None:  # numba not installed: two igraph passes, same values
        kwargs = dict(exact_max_people=exact_max_people, sample_size=sample_size, seed=seed)
        return betweenness(incidence, **kwargs), cross_unit_betweenness(incidence, groups, n_groups, **kwargs)
    g = as_groups(groups, n_groups, n_people=incidence.shape[0]).astype(np.int64)
    inc = pattern(incidence).tocsr()
    n_people = inc.shape[0]
    sources, method, scale = _source_people(n_people, exact_max_people, sample_size, seed)
    if n_people < 3:
        nan = np.full(n_people, np.nan)
        return BetweennessResult(nan, "exact", n_people, seed), BetweennessResult(nan.copy(), "exact", n_people, seed)
    graph = sp.bmat([[None, inc], [inc.T, None]], format="csr")
    plain_raw, cross_raw = both_dependencies(
        graph.indptr.astype(np.int64), graph.indices.astype(np.int64), n_people, g, sources
    )
    # each unordered pair is reached from both ends: halve, as igraph does for undirected graphs
    plain = plain_raw / 2 * scale / ((n_people - 1) * (n_people - 2) / 2)
    cross = _per_cross_pair(cross_raw / 2 * scale, g, n_groups)
    return (
        BetweennessResult(plain, method, sources.size, seed),
        BetweennessResult(cross, method, sources.size, seed),
    )


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
    check_square(matrix, "matrix")
    m = sp.csr_array(matrix, dtype=np.float64)
    per_module = (m @ onehot(as_groups(groups, n_groups, n_people=m.shape[0]), n_groups)).tocsr()
    k = row_sums(m)
    squares = per_module.copy()
    squares.data **= 2
    return 1.0 - ratio(row_sums(squares), k**2)


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
    return participation_coefficient(pattern(adjacency), groups, n_groups)


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
    return np.diff(pattern(adjacency).indptr).astype(np.int64)


def _unit_ties(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> sp.csr_array:
    """People × units matrix NU: number of the person's ties to each unit."""
    check_square(adjacency, "adjacency")
    as_groups(groups, n_groups, n_people=adjacency.shape[0])
    return (pattern(adjacency) @ onehot(groups, n_groups)).tocsr()


def external_collaborators(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, ties: tuple[np.ndarray, ...] | None = None
) -> np.ndarray:
    """Number of each person's collaborators who belong to another unit.

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.
    groups
        Unit code of each person.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

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
    check_square(adjacency, "adjacency")
    n = adjacency.shape[0]
    if ties is None:
        upper = sp.triu(pattern(adjacency), k=1).tocoo()
        i, j = upper.row, upper.col
    else:
        i, j = np.asarray(ties[0], dtype=np.int64), np.asarray(ties[1], dtype=np.int64)
    g = as_groups(groups, n_people=n)
    cross = g[i] != g[j]
    counts = np.bincount(i[cross], minlength=n) + np.bincount(j[cross], minlength=n)
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


# -- sole bridges -----------------------------------------------------------------------------


def sole_bridges(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, ties: tuple[np.ndarray, ...] | None = None
) -> SoleBridges:
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
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`. Values are ignored.

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
    check_square(adjacency, "adjacency")
    g = as_groups(groups, n_people=adjacency.shape[0])
    n = g.shape[0]
    if ties is None:
        upper = sp.triu(pattern(adjacency), k=1).tocoo()
        i, j = upper.row.astype(np.int64), upper.col.astype(np.int64)
    else:
        i, j = np.asarray(ties[0], dtype=np.int64), np.asarray(ties[1], dtype=np.int64)
    cross = g[i] != g[j]
    i, j = i[cross], j[cross]
    lo, hi = np.minimum(g[i], g[j]), np.maximum(g[i], g[j])
    # A sole bridge is an end of every tie of the pair, so of its first tie: only the two
    # ends of that tie are candidates, and each is checked with one pass over the ties.
    pair_ids, first, pair = np.unique(lo * (int(g.max()) + 1 if n else 1) + hi, return_index=True, return_inverse=True)
    totals = np.bincount(pair, minlength=pair_ids.size)
    rows = []
    for candidate in (i[first], j[first]):
        own = candidate[pair]
        carried = np.bincount(pair, weights=(i == own) | (j == own), minlength=pair_ids.size)
        hit = np.flatnonzero(carried == totals)
        rows.append((lo[first][hit], hi[first][hit], candidate[hit], totals[hit]))
    pairs = pl.DataFrame(
        {name: np.concatenate([r[c] for r in rows]).astype(np.int64)
         for c, name in enumerate(("unit_a", "unit_b", "person", "ties"))}
    ).sort("unit_a", "unit_b", "person")
    per_person = np.bincount(pairs["person"].to_numpy(), minlength=n).astype(np.int64)
    return SoleBridges(per_person, pairs)
