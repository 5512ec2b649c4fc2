"""Unit-level silo metrics (E-I index, expected E-I, permutation test, densities) from arrays."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from analyser.metrics._arrays import as_groups, ratio

__all__ = [
    "PermutationResult",
    "upper_ties",
    "unit_tie_counts",
    "ei_index",
    "org_ei_index",
    "expected_ei_index",
    "org_expected_ei_index",
    "ei_permutation_test",
    "benjamini_hochberg",
    "silo_verdicts",
    "mixing_matrix",
    "internal_density",
    "external_density",
    "partner_units",
    "cross_unit_project_share",
    "bridge_concentration",
]


class PermutationResult(NamedTuple):
    """Per-unit result of :func:`ei_permutation_test`.

    Attributes
    ----------
    z
        ``(observed − mean_perm) / sd_perm`` per unit (NaN where undefined).
    p
        One-sided p-value: chance of a unit being at least this closed (E-I this low).
    n_permutations
        Number of permutations actually run (may be fewer than asked on big networks).
    expected
        Mean E-I over the permutations per unit: the test's own baseline, which keeps
        every person's ties (NaN where no permutation gave a value).
    """

    z: np.ndarray
    p: np.ndarray
    n_permutations: int
    expected: np.ndarray


# -- helpers ---------------------------------------------------------------------------------


def upper_ties(adjacency: sp.sparray | sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns the ties of a symmetric matrix once each: ``rows < cols`` and their values.

    Explicit zeros are dropped, so every returned entry is a tie.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix with zero diagonal (0/1 or weights).

    Returns
    -------
    rows, cols, values
        Person codes of both ends (``rows < cols``) and the stored value of each tie.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> rows, cols, values = upper_ties(a)
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 0], [1, 2], [1, 1])
    """
    upper = sp.triu(sp.csr_array(adjacency), k=1).tocoo()
    keep = upper.data != 0
    return (
        upper.row[keep].astype(np.intp, copy=False),
        upper.col[keep].astype(np.intp, copy=False),
        upper.data[keep],
    )


#: ``(rows, cols, values)`` of every tie once, as returned by :func:`upper_ties` (or
#: ``CollaborationNetwork.upper_ties``); pass it as ``ties=`` to skip extracting it again.
Ties = tuple[np.ndarray, ...]


def _ties(adjacency: sp.sparray | sp.spmatrix, ties: Ties | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The tie list: the precomputed one when given, else extracted from ``adjacency``."""
    if ties is None:
        return upper_ties(adjacency)
    rows, cols, values = ties[0], ties[1], ties[2]
    return rows, cols, values


def _internal_counts(gi: np.ndarray, gj: np.ndarray, n_groups: int) -> np.ndarray:
    """Ties with both ends in the same unit, per unit."""
    return np.bincount(gi[gi == gj], minlength=n_groups)[:n_groups]


# -- tie counts and E-I ------------------------------------------------------------------


def unit_tie_counts(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, ties: Ties | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Returns each unit's internal and external tie counts.

    :math:`I_k` = ties with both ends in unit *k* (each tie once);
    :math:`E_k` = ties with exactly one end in *k*. Edge values are ignored (any
    non-zero entry is one tie), as in UCINET's E-I index.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal.
    groups
        Unit code (0 … K−1) of each person.
    n_groups
        Number of units K (units without ties still get a 0).
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    internal, external
        Integer arrays of length K. ``internal.sum()`` is the number of within-unit ties;
        ``external.sum()`` is twice the number of cross-unit ties (each has two ends).

    Notes
    -----
    O(ties). Isolated people add nothing.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> unit_tie_counts(a, np.array([0, 0, 1]), 2)
    (array([1, 0]), array([1, 1]))
    """
    g = as_groups(groups, n_groups)
    rows, cols, _ = _ties(adjacency, ties)
    gi, gj = g[rows], g[cols]
    cross = gi != gj
    internal = _internal_counts(gi, gj, n_groups)
    external = np.bincount(gi[cross], minlength=n_groups) + np.bincount(gj[cross], minlength=n_groups)
    return internal.astype(np.int64), external.astype(np.int64)


def ei_index(internal: np.ndarray, external: np.ndarray) -> np.ndarray:
    """Returns the Krackhardt–Stern E-I index :math:`(E-I)/(E+I)` element-wise.

    −1 means every tie stays inside the unit (a closed silo), +1 means every tie goes out.

    Parameters
    ----------
    internal, external
        Tie counts (e.g. from :func:`unit_tie_counts`).

    Returns
    -------
    numpy.ndarray
        E-I per element; NaN where :math:`E+I=0` (a unit with no ties has no E-I, not 0).

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.

    Examples
    --------
    >>> ei_index(np.array([3, 0, 0]), np.array([1, 2, 0]))
    array([-0.5,  1. ,  nan])
    """
    i = np.asarray(internal, dtype=np.float64)
    e = np.asarray(external, dtype=np.float64)
    return ratio(e - i, e + i)


def org_ei_index(adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, *, ties: Ties | None = None) -> float:
    """Returns the whole-network E-I index (cross-unit − within-unit ties) / all ties.

    Each undirected tie is counted once (the netseg convention), so this is **not** the
    mean of the unit values.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal.
    groups
        Unit code of each person.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    float
        In [−1, 1]; NaN when there are no ties.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.
    .. [2] Bojanowski, M. netseg R package, ``R/ei.R``.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> org_ei_index(a, np.array([0, 0, 1]))
    0.0
    """
    g = as_groups(groups)
    rows, cols, _ = _ties(adjacency, ties)
    within = int(np.count_nonzero(g[rows] == g[cols]))
    cross = rows.size - within
    return float(ei_index(np.array(within), np.array(cross)))


def expected_ei_index(unit_sizes: np.ndarray) -> np.ndarray:
    """Returns each unit's E-I index if ties fell on person pairs at random.

    Replaces tie counts by the pairs available to unit *k* (per-tie convention):

    .. math:: EI^{exp}_k = \\frac{n_k(N-n_k) - n_k(n_k-1)/2}{n_k(N-n_k) + n_k(n_k-1)/2}

    Parameters
    ----------
    unit_sizes
        People per unit :math:`n_k`; :math:`N = \\sum n_k`.

    Returns
    -------
    numpy.ndarray
        Per unit; +1 for a one-person unit in a bigger organisation, −1 for the only unit;
        NaN when the unit has no possible pair (an empty unit, or a one-person organisation).

    Notes
    -----
    Our derivation from the "available pairs" idea in Krackhardt & Stern (1988); not
    UCINET's rescaled E-I.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.

    Examples
    --------
    >>> expected_ei_index(np.array([2, 2]))
    array([0.6, 0.6])
    """
    n = np.asarray(unit_sizes, dtype=np.float64)
    cross_pairs = n * (n.sum() - n)
    within_pairs = n * (n - 1) / 2
    return ratio(cross_pairs - within_pairs, cross_pairs + within_pairs)


def org_expected_ei_index(unit_sizes: np.ndarray) -> float:
    """Returns the whole-network E-I index if ties fell on person pairs at random.

    With :math:`X=\\sum_{k<l} n_k n_l` cross-unit pairs and
    :math:`W=\\sum_k n_k(n_k-1)/2` within-unit pairs, :math:`EI^{exp}=(X-W)/(X+W)`.

    Parameters
    ----------
    unit_sizes
        People per unit.

    Returns
    -------
    float
        NaN when there is no pair at all (fewer than two people).

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.

    Examples
    --------
    >>> org_expected_ei_index(np.array([2, 2]))
    0.3333333333333333
    """
    n = np.asarray(unit_sizes, dtype=np.float64)
    total = n.sum()
    cross_pairs = (total * total - np.sum(n * n)) / 2
    within_pairs = np.sum(n * (n - 1)) / 2
    return float(ratio(cross_pairs - within_pairs, cross_pairs + within_pairs))


# -- permutation test --------------------------------------------------------------------


def ei_permutation_test(
    adjacency: sp.sparray | sp.spmatrix,
    groups: np.ndarray,
    n_groups: int,
    *,
    n_permutations: int = 999,
    seed: int = 0,
    max_work: int = 10**8,
    ties: Ties | None = None,
) -> PermutationResult:
    """Returns how unusual each unit's E-I index is when unit labels are shuffled.

    Unit labels are permuted over all people (isolated people included, so unit sizes
    are kept) while the ties stay fixed; each unit's E-I is recomputed per permutation.

    .. math:: z_k = \\frac{EI_k - \\overline{EI_k^{perm}}}{sd(EI_k^{perm})},\\qquad
              p_k = \\frac{1 + \\#\\{EI_k^{perm} \\le EI_k\\}}{1 + n_{perm}}

    A small *p* means the unit is more closed than chance would make it (the silo question).

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal (values ignored).
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    n_permutations
        Permutations asked for.
    seed
        Seed of the random generator (same seed, same result).
    max_work
        Budget of tie look-ups: when ``ties × n_permutations`` exceeds it, the number of
        permutations drops to ``max(99, max_work // ties)`` (never above the number asked).
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    PermutationResult
        ``z``, ``p``, ``expected`` (arrays of length K) and the number of permutations used.

    Notes
    -----
    ``sd`` is the sample SD (ddof 1). A permutation in which the unit has no ties gives
    no E-I; it is left out of the mean, SD and *p* for that unit (n_perm then counts only
    permutations with a value). ``z`` is NaN when the observed E-I is NaN or the SD is 0
    (e.g. a one-person unit, always +1, or a one-unit organisation); ``p`` is NaN when the
    observed E-I is NaN or no permutation gave a value. Cost: O(ties) per permutation,
    via bincounts over the tie ends; per-unit sums use Welford's update, so a constant
    series has an SD of exactly 0.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.
    .. [2] Phipson, B. & Smyth, G.K. (2010) Permutation p-values should never be zero.
       Statistical Applications in Genetics and Molecular Biology 9(1):39.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]))
    >>> result = ei_permutation_test(a, np.array([0, 0, 1, 1]), 2, n_permutations=99)
    >>> result.n_permutations, bool(result.p[0] < 0.5)
    (99, True)
    """
    g = as_groups(groups, n_groups)
    rows, cols, _ = _ties(adjacency, ties)
    n_ties = rows.size
    used = int(n_permutations)
    if n_ties and n_ties * used > max_work:
        used = min(used, max(99, max_work // n_ties))
    if n_permutations < 0:
        msg = f"n_permutations must be 0 or more, got {n_permutations}"
        raise ValueError(msg)
    degree = np.bincount(rows, minlength=g.size) + np.bincount(cols, minlength=g.size)
    # Labels as the smallest integer type: the two gathers per tie then read a table that
    # stays in cache. Ties are taken in chunks so the per-tie temporaries do too.
    label_type = np.int16 if n_groups < 2**15 else np.int32
    index_type = np.int32 if g.size < 2**31 else np.int64
    ends_a, ends_b = rows.astype(index_type, copy=False), cols.astype(index_type, copy=False)
    chunk = 1 << 18

    def unit_ei(labels: np.ndarray) -> np.ndarray:
        small = labels.astype(label_type)
        internal = np.zeros(n_groups, dtype=np.int64)
        for lo in range(0, n_ties, chunk):
            la = np.take(small, ends_a[lo : lo + chunk])
            lb = np.take(small, ends_b[lo : lo + chunk])
            internal += np.bincount(la[la == lb], minlength=n_groups)[:n_groups]
        # ends of all ties in k = 2 I_k + E_k, so E_k needs no second pass over the ties
        ends = np.bincount(labels, weights=degree, minlength=n_groups)[:n_groups]
        return ei_index(internal, ends - 2 * internal)

    observed = unit_ei(g)

    rng = np.random.default_rng(seed)
    count = np.zeros(n_groups)
    mean = np.zeros(n_groups)
    m2 = np.zeros(n_groups)
    at_most = np.zeros(n_groups)
    for _ in range(used):
        value = unit_ei(rng.permutation(g))
        ok = ~np.isnan(value)
        count += ok
        delta = np.where(ok, value - mean, 0.0)
        mean += np.divide(delta, count, out=np.zeros(n_groups), where=ok)
        m2 += np.where(ok, delta * (value - mean), 0.0)
        at_most += ok & (value <= observed)

    sd = np.sqrt(ratio(m2, np.where(count > 1, count - 1, 0)))
    z = ratio(observed - mean, np.where(sd > 0, sd, 0.0))
    z[count == 0] = np.nan
    p = ratio(1 + at_most, 1 + count)
    p[np.isnan(observed) | (count == 0)] = np.nan
    expected = np.where(count > 0, mean, np.nan)
    return PermutationResult(z, p, used, expected)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Returns Benjamini–Hochberg adjusted p-values (q-values) of a family of tests.

    .. math:: q_{(i)} = \\min_{j \\ge i} \\min\\left(1, \\frac{m\\,p_{(j)}}{j}\\right)

    with :math:`p_{(1)} \\le \\dots \\le p_{(m)}` the sorted p-values of the *m* tests.
    Calling every test with :math:`q < \\alpha` a finding keeps the expected share of false
    findings among them at most :math:`\\alpha` (independent or positively dependent tests).

    Parameters
    ----------
    p_values
        One p-value per test; NaN entries are not tests (they stay NaN and do not count in *m*).

    Returns
    -------
    numpy.ndarray
        q per entry, in the order given.

    Notes
    -----
    Uses :func:`scipy.stats.false_discovery_control` (``method="bh"``).

    References
    ----------
    .. [1] Benjamini, Y. & Hochberg, Y. (1995) Controlling the false discovery rate: a
       practical and powerful approach to multiple testing. J. R. Stat. Soc. B 57(1):289–300.

    Examples
    --------
    >>> benjamini_hochberg(np.array([0.01, 0.04, np.nan, 0.03])).round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    from scipy.stats import false_discovery_control

    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        q[tested] = false_discovery_control(p[tested], method="bh")
    return q


#: The three answers to "is this unit a silo?" (the ``verdict`` column).
VERDICTS = ("silo", "not_silo", "too_little_data")


def silo_verdicts(
    ei: np.ndarray,
    ei_expected_perm: np.ndarray,
    p_values: np.ndarray,
    people: np.ndarray,
    tie_projects: np.ndarray,
    *,
    min_people: int = 5,
    min_projects: int = 3,
    alpha: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """Returns each unit's silo verdict and its multiple-testing adjusted p-value.

    A unit is *judged* only with enough evidence: at least ``min_people`` people, members in
    at least ``min_projects`` projects that make ties, and a permutation p-value. Among the
    judged units the p-values are adjusted with :func:`benjamini_hochberg`. A judged unit is
    a ``"silo"`` when all three hold:

    - most of its ties stay inside: :math:`EI_k < 0`;
    - it is more closed than the permutation test's own baseline (the mean E-I over shuffles
      of the unit labels, which keep every person's ties): :math:`EI_k < \\overline{EI^{perm}_k}`;
    - chance is an unlikely reason even after testing every judged unit: :math:`q_k < \\alpha`.

    Other judged units are ``"not_silo"``; the rest ``"too_little_data"``.

    Parameters
    ----------
    ei
        Observed E-I per unit.
    ei_expected_perm
        Mean E-I over the permutations per unit (:attr:`PermutationResult.expected`).
    p_values
        One-sided permutation p per unit (:attr:`PermutationResult.p`).
    people
        People per unit.
    tie_projects
        Per unit, the number of projects that make ties (two or more members, not above the
        maximum project size) with at least one member from the unit.
    min_people, min_projects
        Least evidence for a verdict.
    alpha
        False discovery rate of the silo calls.

    Returns
    -------
    verdict, q
        ``verdict``: one of :data:`VERDICTS` per unit (object array of str); ``q``: adjusted
        p per unit, NaN where the unit was not judged.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.
    .. [2] Benjamini, Y. & Hochberg, Y. (1995) Controlling the false discovery rate.
       J. R. Stat. Soc. B 57(1):289–300.

    Examples
    --------
    >>> verdict, q = silo_verdicts(np.array([-0.5, 0.2, -0.9]), np.array([0.1, 0.1, 0.3]),
    ...                            np.array([0.001, 0.6, 0.001]), np.array([12, 9, 2]),
    ...                            np.array([6, 4, 1]))
    >>> verdict.tolist(), q.round(3).tolist()
    (['silo', 'not_silo', 'too_little_data'], [0.002, 0.6, nan])
    """
    ei = np.asarray(ei, dtype=np.float64)
    baseline = np.asarray(ei_expected_perm, dtype=np.float64)
    p = np.asarray(p_values, dtype=np.float64)
    judged = (
        (np.asarray(people) >= min_people)
        & (np.asarray(tie_projects) >= min_projects)
        & ~np.isnan(p)
        & ~np.isnan(ei)
    )
    q = benjamini_hochberg(np.where(judged, p, np.nan))
    with np.errstate(invalid="ignore"):
        closed = judged & (ei < 0) & (ei < baseline) & (q < alpha)
    verdict = np.where(closed, "silo", np.where(judged, "not_silo", "too_little_data")).astype(object)
    return verdict, q


# -- mixing and descriptors --------------------------------------------------------------


def mixing_matrix(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, ties: Ties | None = None
) -> np.ndarray:
    """Returns the unit × unit tie counts (symmetric, each tie counted once).

    ``M[k, k]`` = ties inside unit *k*; ``M[k, l] = M[l, k]`` = ties between *k* and *l*.
    So ``np.triu(M).sum()`` is the number of ties, and the upper triangle (with the
    diagonal) is netseg's edge-once mixing matrix. networkx's ``attribute_mixing_matrix``
    is ``M + diag(diag(M))`` (it counts both directions).

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal (values ignored).
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    numpy.ndarray
        Dense K × K integer matrix.

    References
    ----------
    .. [1] Newman, M.E.J. (2003) Mixing patterns in networks. Phys. Rev. E 67, 026126.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> mixing_matrix(a, np.array([0, 0, 1]), 2)
    array([[1, 1],
           [1, 0]])
    """
    return _unit_pairs(adjacency, groups, n_groups, ties).toarray()


def _unit_pairs(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, ties: Ties | None = None
) -> sp.csr_array:
    """Sparse form of :func:`mixing_matrix` (K × K, symmetric), for many units."""
    g = as_groups(groups, n_groups)
    rows, cols, _ = _ties(adjacency, ties)
    gi, gj = g[rows], g[cols]
    lo, hi = np.minimum(gi, gj), np.maximum(gi, gj)
    if n_groups * n_groups <= 4 * 10**7:
        # one dense bincount: much faster than summing millions of duplicate COO entries
        dense = np.bincount(lo * n_groups + hi, minlength=n_groups * n_groups).reshape(n_groups, n_groups)
        upper = sp.csr_array(dense)
    else:
        upper = sp.coo_array((np.ones(lo.size, dtype=np.int64), (lo, hi)), shape=(n_groups, n_groups)).tocsr()
        upper.sum_duplicates()
    return (upper + sp.triu(upper, k=1).T).tocsr()


def internal_density(internal: np.ndarray, unit_sizes: np.ndarray) -> np.ndarray:
    """Returns the share of possible within-unit pairs that are ties, :math:`I_k/\\binom{n_k}{2}`.

    Parameters
    ----------
    internal
        Within-unit ties per unit.
    unit_sizes
        People per unit.

    Returns
    -------
    numpy.ndarray
        NaN for units with fewer than two people.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994) Social Network Analysis. Cambridge UP, §4.2.

    Examples
    --------
    >>> internal_density(np.array([1, 0]), np.array([3, 1]))
    array([0.33333333,        nan])
    """
    n = np.asarray(unit_sizes, dtype=np.float64)
    return ratio(internal, n * (n - 1) / 2)


def external_density(external: np.ndarray, unit_sizes: np.ndarray) -> np.ndarray:
    """Returns the share of possible pairs with other units that are ties, :math:`E_k/(n_k(N-n_k))`.

    Parameters
    ----------
    external
        Cross-unit ties per unit.
    unit_sizes
        People per unit; :math:`N=\\sum n_k`.

    Returns
    -------
    numpy.ndarray
        NaN where the unit has no possible outside pair (empty unit, or the only unit).

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994) Social Network Analysis. Cambridge UP, §4.2.

    Examples
    --------
    >>> external_density(np.array([1, 1]), np.array([2, 2]))
    array([0.25, 0.25])
    """
    n = np.asarray(unit_sizes, dtype=np.float64)
    return ratio(external, n * (n.sum() - n))


def partner_units(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, ties: Ties | None = None
) -> np.ndarray:
    """Returns the number of other units each unit has at least one tie to.

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal.
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    numpy.ndarray
        Integers in 0 … K−1.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R.N. (1988) Informal networks and organizational crises.
       Social Psychology Quarterly 51(2):123–140.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> partner_units(a, np.array([0, 1, 2]), 3)
    array([2, 1, 1])
    """
    pairs = _unit_pairs(adjacency, groups, n_groups, ties)
    pairs.setdiag(0)
    pairs.eliminate_zeros()
    return np.diff(pairs.indptr).astype(np.int64)


def _unit_presence(incidence: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> sp.csr_array:
    """Units × projects member counts :math:`X = A^T B`."""
    g = as_groups(groups, n_groups)
    onehot = sp.csr_array((np.ones(g.size), (np.arange(g.size), g)), shape=(g.size, n_groups))
    return (onehot.T @ (sp.csr_array(incidence) != 0).astype(np.float64)).tocsr()


def cross_unit_project_share(incidence: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Returns, per unit, the share of its projects that have members from two or more units.

    Parameters
    ----------
    incidence
        People × projects 0/1 matrix.
    groups
        Unit code of each person.
    n_groups
        Number of units K.

    Returns
    -------
    numpy.ndarray
        In [0, 1]; NaN for a unit on no project.

    References
    ----------
    .. [1] Cummings, J.N. & Kiesler, S. (2005) Collaborative research across disciplinary
       and organizational boundaries. Social Studies of Science 35(5):703–722.

    Examples
    --------
    >>> b = sp.csr_array(np.array([[1, 1], [1, 0], [0, 0]]))
    >>> cross_unit_project_share(b, np.array([0, 1, 2]), 3)
    array([0.5, 1. , nan])
    """
    present = _unit_presence(incidence, groups, n_groups)
    present.data[:] = 1.0
    multi = (np.diff(present.T.tocsr().indptr) >= 2) if present.shape[1] else np.zeros(0, bool)
    return ratio(present @ multi.astype(np.float64), np.diff(present.indptr))


def bridge_concentration(
    adjacency: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, ties: Ties | None = None
) -> np.ndarray:
    """Returns the share of a unit's outside ties held by its best-connected member.

    :math:`\\max_{i\\in k} e_i / E_k`, where :math:`e_i` = ties of person *i* to other
    units and :math:`E_k=\\sum_{i\\in k} e_i`. 1 means one person carries every link
    out of the unit (a single point of failure).

    Parameters
    ----------
    adjacency
        Symmetric person × person matrix, zero diagonal (values ignored).
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    ties
        Tie list when already extracted, else taken from ``adjacency``: see *Tie lists* in
        :mod:`analyser.metrics`.

    Returns
    -------
    numpy.ndarray
        In (0, 1]; NaN for a unit with no outside tie.

    References
    ----------
    .. [1] Burt, R.S. (1992) Structural Holes. Harvard UP (brokers as the only link
       between groups).

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> bridge_concentration(a, np.array([0, 1, 1]), 2)
    array([1. , 0.5])
    """
    g = as_groups(groups, n_groups)
    rows, cols, _ = _ties(adjacency, ties)
    cross = g[rows] != g[cols]
    person_external = np.bincount(rows[cross], minlength=g.size) + np.bincount(cols[cross], minlength=g.size)
    total = np.bincount(g, weights=person_external, minlength=n_groups)[:n_groups]
    top = np.zeros(n_groups)
    np.maximum.at(top, g, person_external)
    return ratio(top, total)
