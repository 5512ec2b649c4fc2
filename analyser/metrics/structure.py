"""Organisation-level structure: modularity, assortativity, communities, NMI, components."""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import igraph
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from analyser.metrics._arrays import as_groups
from analyser.metrics._louvain_worker import NETWORKIT_IMPORT_FAILED
from analyser.metrics.silo import Ties, upper_ties

__all__ = [
    "modularity",
    "unit_assortativity",
    "mixing_modularity",
    "mixing_unit_assortativity",
    "mixing_assortativity",
    "IGRAPH_ENGINE",
    "IGRAPH_FALLBACK_ENGINE",
    "NETWORKIT_ENGINE",
    "NETWORKIT_MIN_TIES",
    "louvain_engine",
    "STABILITY_RUNS",
    "STABILITY_MAX_WORK",
    "STABILITY_MAX_TIES",
    "stability_runs",
    "community_stability",
    "louvain_partitions",
    "louvain_communities",
    "count_communities",
    "community_ranks",
    "normalized_mutual_information",
    "connected_components",
    "component_summary",
]


def _group_totals(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, binary: bool, ties: Ties | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """Total tie weight m, weight inside each group L_k and degree sum d_k (= 2 L_k + cut)."""
    g = as_groups(groups)
    n_groups = int(g.max()) + 1 if g.size else 0
    rows, cols, values = upper_ties(adjacency) if ties is None else ties[:3]
    w = np.ones(rows.size) if binary or values is None else values.astype(np.float64)
    gi, gj = g[rows], g[cols]
    same = gi == gj
    inside = np.bincount(gi[same], weights=w[same], minlength=n_groups)
    degree_sum = np.bincount(gi, weights=w, minlength=n_groups) + np.bincount(gj, weights=w, minlength=n_groups)
    return float(w.sum()), inside, degree_sum


def _mixing_totals(mixing: np.ndarray | sp.sparray) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`_group_totals` of 0/1 ties from their edge-once unit mixing matrix M (``M[k, k]``
    ties inside k, ``M[k, l] = M[l, k]`` ties between k and l): the same numbers, bit for bit."""
    pairs = sp.csr_array(mixing)
    inside = pairs.diagonal().astype(np.int64)
    row = np.asarray(pairs.sum(axis=1)).ravel().astype(np.int64)  # L_k + cut_k
    return float((int(row.sum()) + int(inside.sum())) // 2), inside.astype(np.float64), (row + inside).astype(np.float64)


def _modularity(m: float, inside: np.ndarray, degree_sum: np.ndarray, resolution: float) -> float:
    if m == 0:
        return float("nan")
    return float(inside.sum() / m - resolution * np.sum((degree_sum / (2 * m)) ** 2))


def _assortativity(m: float, inside: np.ndarray, degree_sum: np.ndarray) -> float:
    # integer arithmetic keeps the one-unit case exactly undefined
    m_int, d = int(m), degree_sum.astype(np.int64)
    numerator = 4 * m_int * int(inside.sum()) - int(np.dot(d, d))
    denominator = 4 * m_int * m_int - int(np.dot(d, d))
    return float(numerator / denominator) if denominator else float("nan")


def modularity(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, resolution: float = 1.0, ties: Ties | None = None
) -> float:
    """Returns the Newman–Girvan modularity of the partition of people into units.

    .. math:: Q = \\sum_k \\left[\\frac{L_k}{m} - \\gamma\\left(\\frac{d_k}{2m}\\right)^2\\right]

    :math:`L_k` = tie weight inside unit *k*, :math:`d_k` = summed strength of its
    members, *m* = total tie weight, :math:`\\gamma` = resolution. Computed from these
    unit totals only, so it equals modularity on the contracted unit graph.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal; values are weights.
    groups
        Group code (0 … K−1) of each person.
    resolution
        :math:`\\gamma`; above 1 favours smaller groups.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`. Values ``None``: every tie weighs 1.

    Returns
    -------
    float
        Same value as ``networkx.community.modularity``; NaN with no ties (networkx raises
        ``ZeroDivisionError``); ``1 − γ`` (0 at γ = 1) when everyone is in one group.
        Isolated people do not change Q.

    References
    ----------
    .. [1] Newman, M.E.J. & Girvan, M. (2004) Finding and evaluating community structure in
       networks. Phys. Rev. E 69, 026113.
    .. [2] Reichardt, J. & Bornholdt, S. (2006) Statistical mechanics of community
       detection. Phys. Rev. E 74, 016110.

    Examples
    --------
    >>> import networkx as nx
    >>> a = nx.to_scipy_sparse_array(nx.barbell_graph(3, 0))
    >>> round(modularity(a, np.array([0, 0, 0, 1, 1, 1])), 6)  # 70/196
    0.357143
    """
    return _modularity(*_group_totals(adjacency, groups, binary=False, ties=ties), resolution)


def unit_assortativity(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, ties: Ties | None = None) -> float:
    """Returns Newman's assortativity r of ties by unit (nominal attribute).

    .. math:: r = \\frac{\\sum_k e_{kk} - \\sum_k a_k^2}{1 - \\sum_k a_k^2}

    on the symmetrised, normalised mixing matrix *e* (each tie once; a cross tie split
    half to each side), :math:`a_k = \\sum_l e_{kl}`. 1 = ties only inside units, 0 = as
    mixed as chance, negative = ties prefer other units. Tie values are ignored.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal.
    groups
        Unit code of each person.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`. Values are ignored.

    Returns
    -------
    float
        NaN when undefined: no ties, or every tie end in a single unit.

    Notes
    -----
    Equals ``networkx.attribute_assortativity_coefficient`` on undirected graphs and
    netseg ``assort``. Computed from unit degree totals (no K × K matrix); integer
    arithmetic keeps the one-unit case exactly undefined.

    References
    ----------
    .. [1] Newman, M.E.J. (2003) Mixing patterns in networks. Phys. Rev. E 67, 026126.

    Examples
    --------
    >>> import networkx as nx
    >>> a = nx.to_scipy_sparse_array(nx.barbell_graph(3, 0))
    >>> round(unit_assortativity(a, np.array([0, 0, 0, 1, 1, 1])), 6)  # (6/7 − 1/2) / (1/2)
    0.714286
    """
    return _assortativity(*_group_totals(adjacency, groups, binary=True, ties=ties))


def mixing_modularity(mixing: np.ndarray | sp.sparray, *, resolution: float = 1.0) -> float:
    """Returns :func:`modularity` of the unit partition of 0/1 ties from their unit mixing matrix.

    For the unit-level route, where the person ties are counted per unit pair and not kept:
    modularity needs only unit totals, and these follow from the edge-once mixing matrix M
    (``M[k, k]`` = ties inside unit k, ``M[k, l] = M[l, k]`` = ties between k and l, as
    :func:`analyser.metrics.silo.mixing_matrix` and :func:`analyser.network.unit_ties`
    give it): :math:`L_k = M_{kk}`, :math:`d_k = \\sum_l M_{kl} + M_{kk}`, :math:`m = (\\sum M + \\mathrm{tr} M)/2`.

    Parameters
    ----------
    mixing
        K × K symmetric integer matrix (dense or sparse), each tie counted once.
    resolution
        :math:`\\gamma`, as in :func:`modularity`.

    Returns
    -------
    float
        The same number as ``modularity(adjacency, groups, ties=(rows, cols, None))``, bit for
        bit; NaN with no ties.

    Examples
    --------
    >>> import networkx as nx
    >>> from analyser.metrics.silo import mixing_matrix
    >>> a = nx.to_scipy_sparse_array(nx.barbell_graph(3, 0))
    >>> groups = np.array([0, 0, 0, 1, 1, 1])
    >>> mixing_modularity(mixing_matrix(a, groups, 2)) == modularity(a, groups)
    True
    """
    return _modularity(*_mixing_totals(mixing), resolution)


def mixing_unit_assortativity(mixing: np.ndarray | sp.sparray) -> float:
    """Returns :func:`unit_assortativity` of 0/1 ties from their edge-once unit mixing matrix.

    The same totals as :func:`mixing_modularity`, the same integer arithmetic as
    :func:`unit_assortativity`, so the two routes give the same number bit for bit (unlike
    :func:`mixing_assortativity`, which takes any directed or normalised table in floats).

    Examples
    --------
    >>> import networkx as nx
    >>> from analyser.metrics.silo import mixing_matrix
    >>> a = nx.to_scipy_sparse_array(nx.barbell_graph(3, 0))
    >>> groups = np.array([0, 0, 0, 1, 1, 1])
    >>> mixing_unit_assortativity(mixing_matrix(a, groups, 2)) == unit_assortativity(a, groups)
    True
    """
    return _assortativity(*_mixing_totals(mixing))


def mixing_assortativity(mixing: np.ndarray) -> float:
    """Returns Newman's assortativity r from a mixing matrix (counts or proportions).

    The matrix is symmetrised (:math:`(M+M^T)/2`, as netseg does) and normalised to sum 1,
    then :math:`r = (\\sum_k e_{kk} - \\sum_k a_k b_k)/(1 - \\sum_k a_k b_k)`.

    Parameters
    ----------
    mixing
        K × K matrix; entry (k, l) = ties (or their share) from group k to group l.

    Returns
    -------
    float
        NaN when the matrix sums to 0 or all weight is in one group.

    References
    ----------
    .. [1] Newman, M.E.J. (2003) Mixing patterns in networks. Phys. Rev. E 67, 026126.

    Examples
    --------
    >>> mixing_assortativity(np.array([[3, 0], [0, 5]]))
    1.0
    """
    mat = np.asarray(mixing, dtype=np.float64)
    total = mat.sum()
    if total == 0:
        return float("nan")
    e = (mat + mat.T) / (2 * total)
    a = e.sum(axis=1)
    expected = float(np.dot(a, a))
    if np.isclose(expected, 1.0, rtol=0.0, atol=1e-12):
        return float("nan")
    return float((np.trace(e) - expected) / (1 - expected))


# igraph's random generator is process-wide; one seeded run at a time.
_IGRAPH_RNG = threading.Lock()

#: Engines of :func:`louvain_partitions`, recorded in the analysis' methods. Both are
#: reproducible: the same input and seed give the same labels in any process.
IGRAPH_ENGINE = "igraph multilevel"
NETWORKIT_ENGINE = "networkit PLM (own process, one thread)"
#: igraph in place of networkit, from :data:`NETWORKIT_MIN_TIES` ties, when networkit is not
#: installed (it is in the optional ``[fast]`` extra: no wheels for macOS 12 and 13 on Apple
#: silicon) or its process failed. Same method, seeded the same way; about 5× slower there.
IGRAPH_FALLBACK_ENGINE = "igraph multilevel (networkit not available)"
#: From this many ties on, Louvain runs in networkit (when installed), in a process of its own
#: (:mod:`analyser.metrics._louvain_worker`): about 5× faster than igraph, plus about 0.5 s
#: to start the process. Below it igraph runs in this process.
NETWORKIT_MIN_TIES = 100_000
#: Why networkit's process last failed in this process (then igraph is used from then on).
_networkit_failure: str | None = None


def louvain_engine(n_ties: int) -> str:
    """Returns the engine :func:`louvain_partitions` uses for ``n_ties`` ties.

    Examples
    --------
    >>> louvain_engine(10)
    'igraph multilevel'
    """
    if n_ties < NETWORKIT_MIN_TIES:
        return IGRAPH_ENGINE
    if _networkit_failure is None and importlib.util.find_spec("networkit") is not None:
        return NETWORKIT_ENGINE
    return IGRAPH_FALLBACK_ENGINE


#: Louvain runs behind ``community_stability`` (seeds seed … seed + R − 1): 5, fewer as
#: the graph grows (:func:`stability_runs`), never fewer than 2.
STABILITY_RUNS = 5
#: Budget of ties × runs for the stability check (a networkit run costs about 0.4 s per
#: million ties here): 5 runs up to 4M ties, fewer above.
STABILITY_MAX_WORK = 20_000_000
#: Above this many ties the stability check is skipped; ``community_stability`` is then
#: null and the reason is in ``meta["skipped"]``. At 10M ties (100,000 people) one more
#: run costs about 5 s of CPU and 1.5 GB in the Louvain process, which the 4 GB and time
#: budget of the L-scale report cannot take beside the person figures.
STABILITY_MAX_TIES = 5_000_000


def stability_runs(
    n_ties: int, *, runs: int = STABILITY_RUNS, max_work: int = STABILITY_MAX_WORK, max_ties: int = STABILITY_MAX_TIES
) -> int:
    """Returns how many Louvain runs the stability check makes for ``n_ties`` ties (0: skipped).

    Examples
    --------
    >>> stability_runs(1_000), stability_runs(5_000_000), stability_runs(10_000_000)
    (5, 4, 0)
    """
    if n_ties > max_ties:
        return 0
    if n_ties <= 0:
        return runs
    return int(min(runs, max(2, max_work // n_ties)))


def louvain_communities(
    weights: sp.sparray | sp.spmatrix, *, seed: int = 0, resolution: float = 1.0, ties: Ties | None = None
) -> np.ndarray:
    """Returns a community label per person found by the Louvain (multilevel) method.

    Greedily moves people, then merged groups, between communities while modularity
    (with resolution :math:`\\gamma`) rises, visiting people in an order shuffled by the
    seed. The same input and seed give the same labels, in one process and across processes:
    igraph's ``community_multilevel`` with its generator seeded for the call, or from
    :data:`NETWORKIT_MIN_TIES` ties on networkit's PLM in a process of its own
    (:func:`louvain_engine`).

    Parameters
    ----------
    weights
        Symmetric person × person matrix of tie weights, zero diagonal.
    seed
        Seed of the random node order (same seed and input, same labels).
    resolution
        :math:`\\gamma` of the modularity being optimised.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    numpy.ndarray
        Integer label per person, 0 … C−1, numbered in order of each community's first
        (lowest-index) member. Isolated people are each their own community; use
        :func:`count_communities` with ``min_size=2`` to count real groups.

    Notes
    -----
    igraph's generator is process-wide: it is set to ``random.Random(seed)`` for the call and
    reset to Python's ``random`` module afterwards, under a lock so two threads (dashboard
    callbacks) cannot seed each other's run. networkit's PLM is run in a child process started
    with ``OMP_NUM_THREADS=1``: in a shared process its answer changed from call to call (3
    answers in 7 calls with one seed on a 1,000-person roster, whether or not its thread count
    was set to 1 for the call). At 1M ties igraph takes about 1.3 s a run, networkit 0.35 s;
    at 10M ties 25 s (plus 15 s to hand the ties over) and 4.5 s. Louvain finds a local
    optimum: labels can differ from other implementations with similar modularity
    (:func:`community_stability` says how much they move with the seed).

    References
    ----------
    .. [1] Blondel, V.D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008) Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.

    Examples
    --------
    >>> import networkx as nx
    >>> w = nx.to_scipy_sparse_array(nx.barbell_graph(5, 0))
    >>> louvain_communities(w).tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    return louvain_partitions(weights, seeds=(seed,), resolution=resolution, ties=ties)[0]


def louvain_partitions(
    weights: sp.sparray | sp.spmatrix,
    *,
    seeds: tuple[int, ...] | list[int] = (0,),
    resolution: float = 1.0,
    ties: Ties | None = None,
) -> list[np.ndarray]:
    """Returns :func:`louvain_communities` for each seed, handing the ties to igraph once.

    Examples
    --------
    >>> import networkx as nx
    >>> w = nx.to_scipy_sparse_array(nx.barbell_graph(5, 0))
    >>> [p.tolist() == [0] * 5 + [1] * 5 for p in louvain_partitions(w, seeds=(0, 1))]
    [True, True]
    """
    n = weights.shape[0]
    if n == 0:
        return [np.zeros(0, dtype=np.int64) for _ in seeds]
    rows, cols, values = upper_ties(weights) if ties is None else ties[:3]
    values = np.ones(rows.size) if values is None else np.asarray(values, dtype=np.float64)
    labels = None
    if louvain_engine(rows.size) == NETWORKIT_ENGINE:
        labels = _networkit_partitions(n, rows, cols, values, list(seeds), resolution)
    if labels is None:
        labels = _igraph_partitions(n, rows, cols, values, list(seeds), resolution)
    return [_first_seen_labels(np.asarray(x, dtype=np.int64)) for x in labels]


def _igraph_partitions(
    n: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, seeds: list[int], resolution: float
) -> list[list[int]]:
    graph = igraph.Graph(n=n, edges=np.column_stack([rows, cols]))
    weight_list = values.tolist()
    out = []
    for seed in seeds:
        with _IGRAPH_RNG:
            igraph.set_random_number_generator(random.Random(int(seed)))
            try:
                out.append(graph.community_multilevel(weights=weight_list, resolution=resolution).membership)
            finally:
                igraph.set_random_number_generator(random)
    return out


def _networkit_partitions(
    n: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, seeds: list[int], resolution: float
) -> list[np.ndarray] | None:
    """networkit's labels per seed from a process of its own; ``None`` when networkit cannot be
    imported there (e.g. installed without the OpenMP library it loads): igraph then runs, and
    :func:`louvain_engine` says so from then on. Any other failure of the process raises."""
    global _networkit_failure  # noqa: PLW0603 - one flag per process, read by louvain_engine
    with tempfile.TemporaryDirectory(prefix="analyser-louvain-") as folder:
        source, target = Path(folder) / "ties.npz", Path(folder) / "labels.npy"
        np.savez(source, n=n, rows=rows, cols=cols, values=values, seeds=np.asarray(seeds), resolution=resolution)
        command = [sys.executable, "-m", "analyser.metrics._louvain_worker", str(source), str(target)]
        done = subprocess.run(
            command, env={**os.environ, "OMP_NUM_THREADS": "1"}, capture_output=True, text=True, check=False
        )
        if done.returncode == NETWORKIT_IMPORT_FAILED:
            _networkit_failure = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "import failed"
            return None
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)
        return list(np.load(target))


def community_stability(partitions: list[np.ndarray], *, mask: np.ndarray | None = None) -> float:
    """Returns the mean pairwise NMI of partitions of the same people (1 = always the same).

    Louvain's answer depends on the order in which it visits people (its seed). Running it
    with R seeds and comparing every pair of answers says how much of the grouping is in the
    data and how much is the method's luck.

    .. math:: S = \\binom{R}{2}^{-1} \\sum_{r<s} NMI(\\pi_r, \\pi_s)

    Parameters
    ----------
    partitions
        R ≥ 2 label arrays (e.g. :func:`louvain_communities` with R seeds).
    mask
        People to compare (e.g. those with at least one tie; isolated people are a community
        of one in every run and would lift the agreement). ``None``: everyone.

    Returns
    -------
    float
        In [0, 1]; NaN with fewer than two partitions or no people.

    References
    ----------
    .. [1] Lancichinetti, A. & Fortunato, S. (2012) Consensus clustering in complex networks.
       Scientific Reports 2:336.
    .. [2] Danon, L. et al. (2005) Comparing community structure identification. J. Stat.
       Mech. P09008.

    Examples
    --------
    >>> community_stability([np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0]), np.array([0, 0, 1, 1])])
    1.0
    """
    if len(partitions) < 2:
        return float("nan")
    parts = [np.asarray(p) if mask is None else np.asarray(p)[mask] for p in partitions]
    if parts[0].size == 0:
        return float("nan")
    scores = [
        normalized_mutual_information(parts[i], parts[j])
        for i in range(len(parts))
        for j in range(i + 1, len(parts))
    ]
    return float(np.mean(scores))


def _first_seen_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel to 0 … C−1 in order of first appearance (independent of the solver's ids)."""
    if labels.size == 0:
        return labels.astype(np.int64)
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse]


def community_ranks(labels: np.ndarray) -> np.ndarray:
    """Returns each person's community as its rank by size: 1 = the largest community.

    Ties in size keep the order of the labels. These are the numbers people see ("Community
    3") in the dashboard and the exports, so they do not depend on the solver's ids.

    Parameters
    ----------
    labels
        Community label per person (e.g. :func:`louvain_communities`).

    Returns
    -------
    numpy.ndarray
        Rank 1 … C per person.

    Examples
    --------
    >>> community_ranks(np.array([0, 1, 1, 2, 1, 0])).tolist()
    [2, 1, 1, 3, 1, 2]
    """
    found, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    rank = np.empty(found.size, dtype=np.int64)
    rank[np.lexsort((found, -sizes))] = np.arange(1, found.size + 1)
    return rank[inverse.ravel()]


def count_communities(labels: np.ndarray, *, min_size: int = 1) -> int:
    """Returns the number of communities with at least ``min_size`` members.

    Parameters
    ----------
    labels
        Community label per person.
    min_size
        2 leaves out isolated people (each a community of one).

    Returns
    -------
    int

    References
    ----------
    .. [1] Fortunato, S. (2010) Community detection in graphs. Physics Reports 486:75–174.

    Examples
    --------
    >>> count_communities(np.array([0, 0, 1, 2]), min_size=2)
    1
    """
    _, sizes = np.unique(np.asarray(labels), return_counts=True)
    return int(np.count_nonzero(sizes >= min_size))


def _entropy(counts: np.ndarray, total: float) -> float:
    p = counts[counts > 0] / total
    return float(-np.sum(p * np.log(p)))


def normalized_mutual_information(labels_a: np.ndarray, labels_b: np.ndarray) -> float:
    """Returns how much two partitions of the same people agree (0 = unrelated, 1 = same).

    .. math:: NMI = \\frac{I(A;B)}{(H(A)+H(B))/2}

    with :math:`I` the mutual information and :math:`H` the entropy of the label
    frequencies (arithmetic-mean normalisation, scikit-learn's default). Label values do
    not matter, only who is grouped with whom.

    Parameters
    ----------
    labels_a, labels_b
        Labels (any hashable numpy dtype) per person, same length.

    Returns
    -------
    float
        In [0, 1]. 1.0 when both put everyone in one group (as scikit-learn); 0.0 when
        only one of them does (no shared information); NaN for no people.

    References
    ----------
    .. [1] Danon, L., Díaz-Guilera, A., Duch, J. & Arenas, A. (2005) Comparing community
       structure identification. J. Stat. Mech. P09008.
    .. [2] Vinh, N.X., Epps, J. & Bailey, J. (2010) Information theoretic measures for
       clusterings comparison. JMLR 11:2837–2854.

    Examples
    --------
    >>> normalized_mutual_information(np.array([0, 0, 1, 1]), np.array([5, 5, 3, 3]))
    1.0
    >>> normalized_mutual_information(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]))
    0.0
    """
    a, b = np.asarray(labels_a), np.asarray(labels_b)
    if a.shape != b.shape or a.ndim != 1:
        msg = f"labels_a and labels_b must be 1-D and the same length, got {a.shape} and {b.shape}"
        raise ValueError(msg)
    n = a.size
    if n == 0:
        return float("nan")
    _, ca = np.unique(a, return_inverse=True)
    _, cb = np.unique(b, return_inverse=True)
    ka, kb = int(ca.max()) + 1, int(cb.max()) + 1
    table = sp.coo_array((np.ones(n), (ca, cb)), shape=(ka, kb)).tocsr()
    table.sum_duplicates()
    if table.nnz == ka == kb:
        # the same grouping under other names (incl. one group each): exactly 1, no rounding
        return 1.0
    row, col = np.bincount(ca).astype(np.float64), np.bincount(cb).astype(np.float64)
    joint = table.tocoo()
    nij = joint.data
    mi = float(np.sum(nij / n * (np.log(nij * n) - np.log(row[joint.row] * col[joint.col]))))
    normaliser = (_entropy(row, n) + _entropy(col, n)) / 2
    if mi <= 0 or normaliser == 0:
        return 0.0
    return float(min(max(mi / normaliser, 0.0), 1.0))


def connected_components(incidence: sp.sparray | sp.spmatrix) -> np.ndarray:
    """Returns a component label per person in the membership (person–project) graph.

    Two people are in the same component when a chain of shared projects links them.

    Parameters
    ----------
    incidence
        People × projects 0/1 matrix.

    Returns
    -------
    numpy.ndarray
        Labels 0 … C−1 per person, in order of first appearance. A person whose only
        projects have no other member (or who has no project) is a component alone.

    Notes
    -----
    Uses ``scipy.sparse.csgraph.connected_components`` on the bipartite matrix
    :math:`\\begin{pmatrix}0&B\\\\B^T&0\\end{pmatrix}`: O(memberships), no person × person
    product.

    References
    ----------
    .. [1] Hopcroft, J. & Tarjan, R. (1973) Efficient algorithms for graph manipulation.
       Communications of the ACM 16(6):372–378.

    Examples
    --------
    >>> b = sp.csr_array(np.array([[1, 0], [1, 0], [0, 1]]))
    >>> connected_components(b).tolist()
    [0, 0, 1]
    """
    b = sp.csr_array(incidence)
    n_people = b.shape[0]
    if b.shape[1] == 0:
        return np.arange(n_people, dtype=np.int64)
    bipartite = sp.bmat([[None, b], [b.T, None]], format="csr", dtype=np.float64)
    _, labels = csgraph.connected_components(bipartite, directed=False)
    return _first_seen_labels(labels[:n_people])


def component_summary(labels: np.ndarray) -> tuple[int, float]:
    """Returns the number of components and the share of people in the largest one.

    Parameters
    ----------
    labels
        Component label per person (from :func:`connected_components`).

    Returns
    -------
    count, largest_share
        ``(0, nan)`` for no people.

    References
    ----------
    .. [1] Newman, M.E.J. (2010) Networks: An Introduction. Oxford UP, §6.12.

    Examples
    --------
    >>> component_summary(np.array([0, 0, 0, 1]))
    (2, 0.75)
    """
    labels = np.asarray(labels)
    if labels.size == 0:
        return 0, float("nan")
    _, sizes = np.unique(labels, return_counts=True)
    return int(sizes.size), float(sizes.max() / labels.size)
