"""Gould & Fernandez brokerage roles of people between units (undirected form, plus the directed reference)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analyser.metrics._arrays import (
    as_groups,
    check_square,
    masked_product,
    masked_product_engine,
    masked_values,
    numba_compiled,
    onehot,
    pattern,
    row_sums,
)

__all__ = ["BROKERAGE_ROLES", "ROUTED_ENGINES", "brokerage", "brokerage_engine", "brokerage_reference"]

#: Undirected brokerage roles returned by :func:`brokerage`, in display order.
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")

#: Roles of the directed (sna) rule used by :func:`brokerage_reference`.
_DIRECTED_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")



def brokerage(
    adjacency: sp.sparray | sp.spmatrix,
    groups: np.ndarray,
    n_groups: int,
    *,
    incidence: sp.sparray | sp.spmatrix | None = None,
) -> dict[str, np.ndarray]:
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
    hold the ties within / across units. These equal the directed sna counts on the
    symmetric digraph divided by 2 (representative + gatekeeper divided by 2).

    For a tie b–c let T_bc be their common contacts, U_bc those in b's unit and V_bc
    those in c's unit; then diag(A_int³)_b = Σ_{c int} U_bc, diag(A_int A_ext²)_b =
    Σ_{c ext} U_bc, diag(A_ext A_int A_ext)_b = Σ_{c ext} V_bc and
    diag(A_ext³)_b = Σ_{c ext} (T_bc − U_bc − V_bc) (sums over b's ties within / across
    units). One masked product of packed counts gives T, U and V at once:
    X = A + 2²¹ A_int, Y = A + 2⁴² A_int, (X·Y)_bc = T + 2²¹ U + 2⁴² V + 2⁶³ Z in
    unsigned 64-bit arithmetic (Z, the common contacts in both units, falls off the top
    bits, modulo 2⁶⁴), exact while degrees stay below 2²¹; beyond that two products
    A·A_int and A·A_ext are used.

    Parameters
    ----------
    adjacency
        Symmetric 0/1 person × person sparse matrix with zero diagonal.
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    incidence
        Optional people × projects 0/1 memberships of the projects that make the ties
        (``adjacency`` must be "shares a project", checked through the degrees). Given, the
        closed pairs are counted through shared project sets (same counts, faster when
        big projects make big cliques).

    Returns
    -------
    dict
        Role name (:data:`BROKERAGE_ROLES`) → integer count per person.

    Notes
    -----
    The masked product (GraphBLAS, ``C<A> = X·Y``) computes only the entries at ties, but
    its cost is still the number of two-step paths, Σ_q k_q², which big projects blow up
    (Σ_p n_p³): 6.5·10⁹ at 100k people / 10M ties. A 0/1 tie is not linear in the shared
    projects, so the routing of :func:`~analyser.metrics.structural_holes.constraint` does
    not apply; with ``incidence`` the closed pairs come instead from inclusion–exclusion
    over the project sets Q shared by contacts (σ_Q = (−1)^{|Q|+1}, x_bQ = b's contacts
    whose projects include Q): b's tied contact pairs number Σ_Q σ_Q C(x_bQ, 2), by
    type when x_bQ is split by the contacts' units. Its cost is Σ_a k_a·(sets of a held by
    2+ people), 1.1·10⁸ at the same size, in one pass compiled with numba (≈ 1 s, once: the
    compiled code is cached on disk where a cache folder is writable), or without numba in
    scipy sparse products with the same counts (:func:`brokerage_engine`). It is used only
    where it pays: the masked product is kept when it walks
    fewer than :data:`ROUTED_MIN_PATHS` two-step paths, when the routed work is not
    smaller (:data:`ROUTED_WORK_FACTOR`) or when people have too many projects
    (:data:`MAX_PROJECT_SETS`). Both ways give the same counts.

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
    a.sort_indices()
    g = as_groups(groups, n_groups, n_people=a.shape[0])
    n = a.shape[0]
    rows = np.repeat(np.arange(n), np.diff(a.indptr))
    same = (g[rows] == g[a.indices]).astype(np.float64)
    # a copy of the index arrays: eliminate_zeros works in place and would corrupt `a`
    a_int = sp.csr_array((a.data * same, a.indices.copy(), a.indptr.copy()), shape=a.shape)
    a_int.eliminate_zeros()

    degree = np.diff(a.indptr).astype(np.float64)
    own = row_sums(a_int)
    ext = degree - own
    nu = (a @ onehot(g, n_groups)).tocsr()
    nu_sq = nu.copy()
    nu_sq.data **= 2
    other_sq = row_sums(nu_sq) - own**2  # Σ_{s≠u} n_bs²
    other_pairs = (other_sq - ext) / 2  # Σ_{s≠u} C(n_bs, 2)

    closed = None if incidence is None else _closed_pairs_through_projects(a, incidence, g, n_groups)
    if closed is None:
        closed = _closed_pairs(a, a_int, same.astype(bool))
    diag_iii, diag_eie, diag_iee, diag_eee = closed

    counts = {
        "coordinator": own * (own - 1) / 2 - diag_iii / 2,
        "itinerant": other_pairs - diag_eie / 2,
        "gatekeeper": own * ext - diag_iee,
        "liaison": (ext**2 - other_sq) / 2 - diag_eee / 2,
    }
    return {role: np.rint(v).astype(np.int64) for role, v in counts.items()}


#: Most (person, project subset) pairs enumerated by :func:`_closed_pairs_through_projects`.
MAX_PROJECT_SETS = 20_000_000

#: Route through project sets when Σ_a k_a·(sets of a) ≤ this × Σ_a k_a² (the masked product's work).
ROUTED_WORK_FACTOR = 1.0

#: ... and the masked product would walk at least this many two-step paths (Σ_a k_a²): below
#: it the masked product is quicker than the routed pass (whose compiled code is cached on
#: disk after the first run; compiling takes ≈ 1 s once). At M (10k people) the masked
#: product takes ≈ 4 s and the routed pass 0.2 s.
ROUTED_MIN_PATHS = 5e7


def _project_sets(b: sp.csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every non-empty subset Q of every person's projects: (person, Q id) pairs and |Q| per Q id.

    ``b`` must have sorted column indices, so one set always gives the same key.
    """
    d = np.diff(b.indptr)
    width = int(d.max()) if d.size else 0
    people, keys, sizes = [np.zeros(0, np.int64)], [np.zeros((0, width), np.int32)], [np.zeros(0, np.int64)]
    for k in range(1, width + 1):
        who = np.flatnonzero(d == k)
        if not who.size:
            continue
        projects = b.indices[b.indptr[who][:, None] + np.arange(k)].astype(np.int32)
        for bits in range(1, 2**k):
            chosen = [j for j in range(k) if bits >> j & 1]
            key = np.full((who.size, width), -1, dtype=np.int32)
            key[:, : len(chosen)] = projects[:, chosen]
            people.append(who)
            keys.append(key)
            sizes.append(np.full(who.size, len(chosen)))
    key = np.ascontiguousarray(np.concatenate(keys))
    size = np.concatenate(sizes)
    if not key.shape[0]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    _, first, q = np.unique(key.view(np.dtype((np.void, 4 * width))).ravel(), return_index=True, return_inverse=True)
    return np.concatenate(people), q.ravel(), size[first]


def _closed_pairs_through_projects(
    a: sp.csr_array, incidence: sp.sparray | sp.spmatrix, g: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    r"""The four diagonals of :func:`_closed_pairs` by inclusion–exclusion over shared project sets.

    Two contacts a, c of broker b are tied iff they share a project, so with
    σ_Q = (−1)^{|Q|+1} and x_bQ = #{a ∈ N(b): Q ⊆ P_a} (P_a: a's projects),

    .. math::

        \#\{\text{tied pairs in } N(b)\} = \sum_{Q \ne \emptyset} \sigma_Q \binom{x_{bQ}}{2}

    (a pair sharing the project set K is counted Σ_{∅≠Q⊆K} σ_Q = 1 time; a pair sharing none,
    0 times). The same holds for each type of pair, from x_bQ split by the contacts' units,
    x^s_bQ: with u = b's unit, coordinator Σσ C(x^u, 2), itinerant Σσ Σ_{s≠u} C(x^s, 2),
    gatekeeper Σσ x^u (x − x^u), liaison Σσ [(x − x^u)² − Σ_{s≠u} (x^s)²] / 2. Only sets
    held by 2+ people can give a pair. The counts are gathered broker by broker in one
    compiled pass (:func:`_signed_set_sums`) whose work is Σ_a k_a·(sets of a) instead of
    Σ_a k_a². Returns None (use the masked product) when that is not cheaper or the sets
    are too many.
    """
    n = a.shape[0]
    b = pattern(incidence)
    b.sort_indices()
    if b.shape[0] != n:
        msg = f"incidence must have one row per person ({n}), got shape {b.shape}"
        raise ValueError(msg)
    projects_of = np.diff(b.indptr)
    degree = np.diff(a.indptr)
    paths = (degree.astype(np.float64) ** 2).sum()
    if paths < ROUTED_MIN_PATHS or (2.0 ** projects_of.astype(np.float64) - 1).sum() > MAX_PROJECT_SETS:
        return None
    person, q, q_size = _project_sets(b)
    holders = np.bincount(q, minlength=q_size.size)
    sign = np.where(q_size % 2 == 1, 1.0, -1.0)
    # the same inclusion–exclusion gives |∪ P_b| = k_b + 1: a check that a and b agree
    union = np.bincount(person, (sign * holders)[q], minlength=n)
    if not np.array_equal(union, np.where(projects_of > 0, degree + 1, 0)):
        raise ValueError("adjacency is not the ties of people sharing a project in incidence")
    if a.nnz == 0:
        return (np.zeros(n),) * 4
    shared = holders[q] >= 2
    person, q = person[shared], q[shared]
    used, q = np.unique(q, return_inverse=True)
    sign = sign[used]
    sets_of = np.bincount(person, minlength=n).astype(np.float64)
    if (a @ sets_of).sum() > ROUTED_WORK_FACTOR * paths:
        return None
    # the sets of each person as columns (Q, unit of the person), person by person
    unit_cols, unit_col = np.unique(q.astype(np.int64) * n_groups + g[person], return_inverse=True)
    order = np.argsort(person, kind="stable")
    set_indptr = np.concatenate(([0], np.cumsum(np.bincount(person, minlength=n))))
    sums = _routed_pass()[1](
        a.indptr,
        a.indices,
        set_indptr.astype(np.int64),
        unit_col.ravel()[order].astype(np.int64),
        (unit_cols // n_groups).astype(np.int64),
        sign.astype(np.int64),
        g.astype(np.int64),
    )
    x, xx, u, uu, xu, ss = sums.astype(np.float64)
    # closed pairs by type, ×2 where the diagonal counts ordered pairs:
    # coordinator Σσ C(x^u, 2); itinerant Σσ Σ_{s≠u} C(x^s, 2); gatekeeper Σσ x^u (x − x^u);
    # liaison Σσ [(x − x^u)² − Σ_{s≠u} (x^s)²] / 2
    return uu - u, ss - uu - x + u, xu - uu, xx - 2 * xu + 2 * uu - ss


#: How the routed pass (:func:`_closed_pairs_through_projects`) runs, by whether numba is installed.
ROUTED_ENGINES = {
    "numba": "project-set pass compiled with numba where it pays",
    "scipy": "project-set pass in scipy sparse products where it pays (numba not installed: the [fast] extra compiles it)",
}


@functools.cache
def _routed_pass() -> tuple[str, Callable[..., np.ndarray]]:
    """The project-set pass of :func:`_closed_pairs_through_projects`: compiled when numba is installed."""
    try:
        return "numba", numba_compiled(_signed_set_sums)
    except ImportError:
        return "scipy", _signed_set_sums_sparse


def brokerage_engine() -> str:
    """How :func:`brokerage` counts closed pairs here, for the analysis' methods (imports numba if installed).

    >>> brokerage_engine().startswith("masked product")
    True
    """
    return f"masked product ({masked_product_engine()}); {ROUTED_ENGINES[_routed_pass()[0]]}"


def _signed_set_sums(
    a_indptr: np.ndarray,
    a_indices: np.ndarray,
    set_indptr: np.ndarray,
    set_cols: np.ndarray,
    col_set: np.ndarray,
    sign: np.ndarray,
    g: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled; exercised through brokerage(incidence=)
    """Per broker b: Σ_Q σ_Q of x, x², x^u, (x^u)², x·x^u and Σ_s (x^s)² over the sets Q of b's contacts.

    One pass over b's contacts and their sets, with scratch counts that are reset per broker.
    """
    n = a_indptr.shape[0] - 1
    n_cols, n_sets = col_set.shape[0], sign.shape[0]
    out = np.zeros((6, n), dtype=np.int64)
    by_col = np.zeros(n_cols, dtype=np.int64)
    x = np.zeros(n_sets, dtype=np.int64)
    u = np.zeros(n_sets, dtype=np.int64)
    cols_seen = np.empty(n_cols, dtype=np.int64)
    sets_seen = np.empty(n_sets, dtype=np.int64)
    for b in range(n):
        n_seen_cols, n_seen_sets = 0, 0
        for e in range(a_indptr[b], a_indptr[b + 1]):
            contact = a_indices[e]
            same_unit = g[contact] == g[b]
            for f in range(set_indptr[contact], set_indptr[contact + 1]):
                c = set_cols[f]
                q = col_set[c]
                if by_col[c] == 0:
                    cols_seen[n_seen_cols] = c
                    n_seen_cols += 1
                by_col[c] += 1
                if x[q] == 0:
                    sets_seen[n_seen_sets] = q
                    n_seen_sets += 1
                x[q] += 1
                if same_unit:
                    u[q] += 1
        s_x = s_xx = s_u = s_uu = s_xu = s_ss = 0
        for i in range(n_seen_sets):
            q = sets_seen[i]
            s_x += sign[q] * x[q]
            s_xx += sign[q] * x[q] * x[q]
            s_u += sign[q] * u[q]
            s_uu += sign[q] * u[q] * u[q]
            s_xu += sign[q] * x[q] * u[q]
            x[q] = 0
            u[q] = 0
        for i in range(n_seen_cols):
            c = cols_seen[i]
            s_ss += sign[col_set[c]] * by_col[c] * by_col[c]
            by_col[c] = 0
        out[0, b], out[1, b], out[2, b], out[3, b], out[4, b], out[5, b] = s_x, s_xx, s_u, s_uu, s_xu, s_ss
    return out


#: Most entries of one block of brokers' contact-set counts in :func:`_signed_set_sums_sparse`
#: (about 24 bytes each while the block is worked on).
SPARSE_BLOCK_ENTRIES = 4_000_000


def _signed_set_sums_sparse(
    a_indptr: np.ndarray,
    a_indices: np.ndarray,
    set_indptr: np.ndarray,
    set_cols: np.ndarray,
    col_set: np.ndarray,
    sign: np.ndarray,
    g: np.ndarray,
) -> np.ndarray:
    """:func:`_signed_set_sums` in scipy sparse products, without numba: the same integer sums.

    With S the people × (set, unit) columns they hold, C = A·S counts per broker b and column
    the contacts holding it (``by_col``); x sums C over a set's units, u takes the column of
    b's own unit. Brokers go in blocks of at most :data:`SPARSE_BLOCK_ENTRIES` entries of C.
    """
    n = a_indptr.shape[0] - 1
    n_cols, n_sets = col_set.shape[0], sign.shape[0]
    out = np.zeros((6, n), dtype=np.int64)
    if n == 0 or n_cols == 0:
        return out
    a = sp.csr_array((np.ones(a_indices.shape[0], np.int64), a_indices, a_indptr), shape=(n, n))
    s = sp.csr_array((np.ones(set_cols.shape[0], np.int64), set_cols, set_indptr), shape=(n, n_cols))
    col_unit = np.zeros(n_cols, dtype=np.int64)
    col_unit[set_cols] = g[np.repeat(np.arange(n), np.diff(set_indptr))]
    to_set = sp.csr_array((np.ones(n_cols, np.int64), (np.arange(n_cols), col_set)), shape=(n_cols, n_sets))
    col_sign = sign[col_set]
    work = np.cumsum(a @ np.diff(set_indptr))  # entries of C up to each broker, at most
    cuts = np.searchsorted(work, np.arange(1, int(work[-1] // SPARSE_BLOCK_ENTRIES) + 1) * SPARSE_BLOCK_ENTRIES)
    bounds = np.unique(np.concatenate(([0], cuts, [n])))

    def signed_row_sums(m: sp.csr_array, values: np.ndarray, signs: np.ndarray) -> np.ndarray:
        return sp.csr_array((values * signs[m.indices], m.indices, m.indptr), shape=m.shape).sum(axis=1)

    for lo, hi in zip(bounds[:-1], bounds[1:]):
        c = sp.csr_array(a[lo:hi] @ s)
        rows = np.repeat(np.arange(lo, hi), np.diff(c.indptr))
        # copies of the index arrays: eliminate_zeros works in place and would corrupt `c`
        own = sp.csr_array(
            (c.data * (col_unit[c.indices] == g[rows]), c.indices.copy(), c.indptr.copy()), shape=c.shape
        )
        own.eliminate_zeros()
        x = sp.csr_array(c @ to_set)
        u = sp.csr_array(own @ to_set)
        xu = sp.csr_array(x.multiply(u))
        out[0, lo:hi] = x @ sign
        out[1, lo:hi] = signed_row_sums(x, x.data**2, sign)
        out[2, lo:hi] = u @ sign
        out[3, lo:hi] = signed_row_sums(u, u.data**2, sign)
        out[4, lo:hi] = signed_row_sums(xu, xu.data, sign)
        out[5, lo:hi] = signed_row_sums(c, c.data**2, col_sign)
    return out


#: Bits per packed count in :func:`_closed_pairs` (3 counts in 64 bits).
_PACK_BITS = 21


def _closed_pairs(
    a: sp.csr_array, a_int: sp.csr_array, same: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """diag(A_int³), diag(A_ext A_int A_ext), diag(A_int A_ext²), diag(A_ext³) per person.

    ``same`` flags, in ``a``'s CSR order, the ties within a unit.
    """
    n = a.shape[0]
    degree = np.diff(a.indptr)
    if n == 0 or a.nnz == 0:
        return (np.zeros(n),) * 4
    if degree.max() >= 2**_PACK_BITS:
        # Two masked products: a two-step walk b–a–c closed by c–b can only be of the
        # listed types, e.g. (A_ext A_int) ⊙ A_int = 0 because a, c share a unit and c, b
        # share a unit would put a in b's unit.
        a_ext = sp.csr_array((a.data * ~same, a.indices.copy(), a.indptr.copy()), shape=a.shape)
        a_ext.eliminate_zeros()
        via_int = masked_product(a, a_int, a)  # (A_int² + A_ext A_int) ⊙ A
        via_ext = masked_product(a, a_ext, a)  # (A_int A_ext + A_ext²) ⊙ A
        iee = row_sums(via_ext.multiply(a_int))  # diag(A_ext² A_int) = diag(A_int A_ext²)
        return (
            row_sums(via_int.multiply(a_int)),
            row_sums(via_int.multiply(a_ext)),
            iee,
            row_sums(via_ext.multiply(a_ext)) - iee,
        )

    def packed(scale: int) -> sp.csr_array:
        values = np.where(same, 1 + scale, 1).astype(np.uint64)
        return sp.csr_array((values, a.indices, a.indptr), shape=a.shape)

    # the product at A's CSR entries (a.sort_indices() was called), unsigned: wraps modulo 2⁶⁴
    c = masked_values(packed(2**_PACK_BITS), packed(2 ** (2 * _PACK_BITS)), a)
    low = np.uint64(2**_PACK_BITS - 1)
    common = (c & low).astype(np.float64)
    in_own = ((c >> np.uint64(_PACK_BITS)) & low).astype(np.float64)  # U: in b's unit
    in_other = ((c >> np.uint64(2 * _PACK_BITS)) & low).astype(np.float64)  # V: in c's unit
    rows = np.repeat(np.arange(n), degree)
    ext = ~same

    def per_person(values: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.bincount(rows[where], values[where], minlength=n)

    return (
        per_person(in_own, same),
        per_person(in_other, ext),
        per_person(in_own, ext),
        per_person(common - in_own - in_other, ext),
    )


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

