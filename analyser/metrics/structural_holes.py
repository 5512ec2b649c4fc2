"""Burt's structural holes on the weighted person graph: constraint and effective size."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analyser.metrics._arrays import (
    check_square,
    clean,
    release_graphblas_memory,
    from_graphblas,
    graphblas,
    masked_product,
    masked_values,
    pattern,
    ratio,
    row_sums,
    to_graphblas,
)

__all__ = ["constraint", "effective_size", "newman_project_weights"]


def newman_project_weights(incidence: sp.sparray | sp.spmatrix) -> np.ndarray:
    r"""Newman's weight of each project, :math:`\lambda_p = 1/(n_p - 1)`; 0 for a one-person project.

    Parameters
    ----------
    incidence
        People × projects 0/1 membership matrix B (columns: whole projects).

    Returns
    -------
    numpy.ndarray
        λ per project, so that the Newman tie weights are W = B Λ Bᵀ − diag(B Λ Bᵀ).

    References
    ----------
    Newman, M.E.J. (2001) Scientific collaboration networks. II. Shortest paths, weighted
    networks, and centrality. *Physical Review E* 64:016132.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> newman_project_weights(sp.csr_array([[1, 1], [1, 0], [1, 0]])).tolist()
    [0.5, 0.0]
    """
    size = np.asarray(sp.csr_array(incidence).sum(axis=0)).ravel().astype(np.float64)
    lam = np.zeros_like(size)
    lam[size >= 2] = 1.0 / (size[size >= 2] - 1)
    return lam


def _projects_of_ties(
    w: sp.csr_array, incidence: sp.sparray | sp.spmatrix, project_weights: np.ndarray | None
) -> tuple[sp.csr_array, np.ndarray]:
    """B (0/1 CSR) and λ, checked against W = B Λ Bᵀ − diag through the people's strengths."""
    b = pattern(incidence)
    if b.shape[0] != w.shape[0]:
        msg = f"incidence must have one row per person ({w.shape[0]}), got shape {b.shape}"
        raise ValueError(msg)
    lam = newman_project_weights(b) if project_weights is None else np.asarray(project_weights, dtype=np.float64)
    if lam.shape != (b.shape[1],) or (lam.size and (not np.isfinite(lam).all() or lam.min() < 0)):
        msg = f"project_weights must be {b.shape[1]} finite non-negative numbers, one per project"
        raise ValueError(msg)
    # Σ_j w_ij = Σ_p B_ip λ_p (n_p − 1) for W = B Λ Bᵀ − diag: a cheap check that weights and
    # incidence describe the same ties (a mismatch would silently give wrong values)
    size = np.asarray(b.sum(axis=0)).ravel()
    if not np.allclose(b @ (lam * np.maximum(size - 1, 0)), row_sums(w), rtol=1e-9, atol=1e-12):
        msg = "weights are not B Λ Bᵀ (zero diagonal) for this incidence and project_weights"
        raise ValueError(msg)
    return b, lam


def _two_step_through_projects(
    w: sp.csr_array, b: sp.csr_array, lam: np.ndarray, middle: np.ndarray
) -> np.ndarray:
    r"""(W T W)_ij at the ties of W (in W's CSR order), T = diag(middle), routed through projects.

    With W = B Λ Bᵀ − D, D = diag(δ), δ = B λ (so w_ij = (B Λ Bᵀ)_ij for i ≠ j):

    .. math::

        (W T W)_{ij} = (B\,G\,B^\top)_{ij} - w_{ij}\,(\delta_i t_i + \delta_j t_j),
        \qquad G = \Lambda B^\top T B \Lambda \quad (i \ne j),

    because (D T BΛBᵀ)_ij = δ_i t_i w_ij, (BΛBᵀ T D)_ij = w_ij t_j δ_j and (D T D)_ij = 0.
    G is projects × projects, and (B G Bᵀ)_ij = Σ_{p ∋ i} Σ_{q ∋ j} G_pq costs d_i·d_j
    (projects per person) per tie instead of the two-step paths through the big cliques.
    """
    n = w.shape[0]
    gb = graphblas()
    if gb is None:  # python-graphblas not installed: the same products in scipy
        bl_sp = sp.csr_array(b @ sp.diags_array(lam))
        g_sp = sp.csr_array(bl_sp.T @ sp.diags_array(middle) @ bl_sp)
        r = masked_values(sp.csr_array(b @ g_sp), sp.csr_array(b.T), w)
    else:
        bl = to_graphblas(sp.csr_array(b @ sp.diags_array(lam)))
        g = bl.T.mxm(gb.Vector.from_dense(middle).diag().mxm(bl, gb.semiring.plus_times).new(), gb.semiring.plus_times)
        bg = to_graphblas(b).mxm(g.new(), gb.semiring.plus_times).new()
        # start from W's pattern with zeros, so the result lines up with W's CSR entries
        routed = to_graphblas(w, iso=0.0)
        routed(mask=routed.S, accum=gb.binary.plus) << bg.mxm(to_graphblas(b).T, gb.semiring.plus_times)
        r = from_graphblas(routed).data
        del bl, g, bg, routed
        release_graphblas_memory(w.nnz)
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(w.indptr))
    dt = (b @ lam) * middle
    return r - w.data * (dt[rows] + dt[w.indices])



def _strength(weights: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Row sums s_i = Σ_k w_ik and 1/s_i (0 where s_i = 0), after checking the matrix."""
    check_square(weights, "weights")
    if weights.nnz and weights.data.min() < 0:
        raise ValueError("weights must be non-negative")
    strength = row_sums(weights)
    inverse = ratio(np.ones_like(strength), strength)
    inverse[np.isnan(inverse)] = 0.0
    return strength, inverse


def _proportional_ties(weights: sp.csr_array) -> sp.csr_array:
    """P with p_ij = w_ij / Σ_k w_ik."""
    _, inverse = _strength(weights)
    return sp.csr_array(sp.diags_array(inverse) @ weights)


def constraint(
    weights: sp.sparray | sp.spmatrix,
    *,
    incidence: sp.sparray | sp.spmatrix | None = None,
    project_weights: np.ndarray | None = None,
) -> np.ndarray:
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
    incidence
        Optional people × projects 0/1 memberships B of the projects that make the ties.
        Given, ``weights`` must be W = B Λ Bᵀ with a zero diagonal (checked through the
        row sums) and the two-step term is routed through projects (same values, faster).
    project_weights
        λ per project (Λ = diag(λ)); default :func:`newman_project_weights` of ``incidence``.

    Returns
    -------
    numpy.ndarray
        C per person; NaN for a person with no ties.

    Notes
    -----
    Without ``incidence``, the two-step term is the masked product (P·P) ⊙ pattern(W)
    (GraphBLAS, only the masked entries); its cost is the number of two-step paths,
    Σ_q k_q², which the big projects blow up (Σ_p n_p³): 6.6·10⁹ at 100k people / 10M ties.

    With ``incidence``: p²_ij = Σ_q p_iq p_qj = (W S⁻¹ W)_ij / s_i, s = strengths, and for
    W = B Λ Bᵀ − D, D = diag(B λ) (Newman weights: λ_p = 1/(n_p − 1), 0 for projects that
    make no ties), for i ≠ j

    .. math::

        (W S^{-1} W)_{ij} = (B\,G\,B^\top)_{ij} - w_{ij}\Big(\frac{\delta_i}{s_i}
        + \frac{\delta_j}{s_j}\Big), \qquad G = \Lambda B^\top S^{-1} B \Lambda,
        \quad \delta = B\lambda,

    read only at the ties (W's pattern is the mask: constraint sums over contacts only).
    The cost per tie is d_i·d_j (projects per person), not the clique's size. For
    Newman weights s_i is the number of i's projects with 2+ members and δ_i/s_i is the
    mean of 1/(n_p − 1) over them.

    References
    ----------
    Burt, R.S. (1992) *Structural Holes: The Social Structure of Competition*, Harvard UP.

    Examples
    --------
    Path of three people: the ends depend on their one contact, the middle less so.

    >>> import scipy.sparse as sp
    >>> constraint(sp.csr_array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])).tolist()
    [1.0, 0.5, 1.0]

    Projects {0, 1, 2} and {2, 3} with Newman weights; routed through them, same values:

    >>> b = sp.csr_array([[1, 0], [1, 0], [1, 1], [0, 1]])
    >>> w = sp.csr_array([[0, .5, .5, 0], [.5, 0, .5, 0], [.5, .5, 0, 1], [0, 0, 1, 0]])
    >>> constraint(w, incidence=b).round(4).tolist()
    [0.9531, 0.9531, 0.5312, 1.0]
    """
    w = clean(weights)
    strength, inverse = _strength(w)
    if incidence is None:
        p = _proportional_ties(w)
        two_step = masked_product(p, p, pattern(w))
        c = sp.csr_array(p + two_step)
        c.data **= 2
        return np.where(strength > 0, row_sums(c), np.nan)
    b, lam = _projects_of_ties(w, incidence, project_weights)
    rows = np.repeat(np.arange(w.shape[0], dtype=np.int32), np.diff(w.indptr))
    direct_and_two_step = (w.data + _two_step_through_projects(w, b, lam, inverse)) * inverse[rows]
    c = np.bincount(rows, direct_and_two_step**2, minlength=w.shape[0])
    return np.where(strength > 0, c, np.nan)


def effective_size(
    weights: sp.sparray | sp.spmatrix,
    *,
    incidence: sp.sparray | sp.spmatrix | None = None,
    project_weights: np.ndarray | None = None,
) -> np.ndarray:
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
    incidence, project_weights
        Optional projects behind the ties, as in :func:`constraint`: W = B Λ Bᵀ with a zero
        diagonal; the redundancy term is then routed through projects (same values, faster).

    Returns
    -------
    numpy.ndarray
        ES per person; NaN for a person with no ties.

    Notes
    -----
    Σ_q p_iq m_jq = (W W)_ij / (s_i x_j), with s_i = Σ_k w_ik and x_j = max_k w_jk, summed
    over the ties j of i. Without ``incidence`` it is the masked product (P·Mᵀ) ⊙ pattern(W),
    whose cost is the number of two-step paths Σ_q k_q². With ``incidence`` (W = B Λ Bᵀ − D,
    δ = Bλ), for i ≠ j

    .. math::

        (W W)_{ij} = (B\,\Lambda B^\top B \Lambda\,B^\top)_{ij} - w_{ij}(\delta_i + \delta_j),

    read only at the ties, at a cost of d_i·d_j (projects per person) per tie.

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

    >>> b = sp.csr_array([[1, 0], [1, 0], [1, 1], [0, 1]])  # projects {0, 1, 2} and {2, 3}
    >>> w = sp.csr_array([[0, .5, .5, 0], [.5, 0, .5, 0], [.5, .5, 0, 1], [0, 0, 1, 0]])
    >>> effective_size(w, incidence=b).tolist()
    [1.25, 1.25, 2.5, 1.0]
    """
    w = clean(weights)
    strength, inverse = _strength(w)
    row_max = w.max(axis=1).toarray().ravel() if w.shape[0] else np.zeros(0)
    scale = ratio(np.ones_like(row_max), row_max)
    scale[np.isnan(scale)] = 0.0
    degree = np.diff(w.indptr).astype(np.float64)
    if incidence is None:
        m = sp.csr_array(sp.diags_array(scale) @ w)
        redundancy = row_sums(masked_product(_proportional_ties(w), sp.csr_array(m.T), pattern(w)))
    else:
        b, lam = _projects_of_ties(w, incidence, project_weights)
        rows = np.repeat(np.arange(w.shape[0], dtype=np.int32), np.diff(w.indptr))
        two_step = _two_step_through_projects(w, b, lam, np.ones(w.shape[0]))
        redundancy = np.bincount(rows, two_step * inverse[rows] * scale[w.indices], minlength=w.shape[0])
    return np.where(strength > 0, degree - redundancy, np.nan)

