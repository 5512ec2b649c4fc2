"""Burt's structural holes on the weighted person graph: constraint and effective size."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analyser.metrics._arrays import check_square, clean, masked_product, pattern, ratio, row_sums

__all__ = ["constraint", "effective_size"]



def _proportional_ties(weights: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    """P with p_ij = w_ij / Σ_k w_ik, and the row sums."""
    check_square(weights, "weights")
    if weights.nnz and weights.data.min() < 0:
        raise ValueError("weights must be non-negative")
    strength = row_sums(weights)
    inverse = ratio(np.ones_like(strength), strength)
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
    w = clean(weights)
    p, strength = _proportional_ties(w)
    two_step = masked_product(p, p, pattern(w))
    c = sp.csr_array(p + two_step)
    c.data **= 2
    return np.where(strength > 0, row_sums(c), np.nan)


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
    w = clean(weights)
    p, strength = _proportional_ties(w)
    row_max = w.max(axis=1).toarray().ravel() if w.shape[0] else np.zeros(0)
    scale = ratio(np.ones_like(row_max), row_max)
    scale[np.isnan(scale)] = 0.0
    m = sp.csr_array(sp.diags_array(scale) @ w)
    redundancy = masked_product(p, sp.csr_array(m.T), pattern(w))
    degree = np.diff(w.indptr).astype(np.float64)
    return np.where(strength > 0, degree - row_sums(redundancy), np.nan)

