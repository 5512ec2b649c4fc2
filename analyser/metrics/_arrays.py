"""Array helpers shared by the metric modules: input checks, masks, safe ratios."""

from __future__ import annotations

import gc
import itertools

import graphblas as gb
import numpy as np
import scipy.sparse as sp

__all__ = [
    "BLOCK_WORK",
    "as_groups",
    "check_square",
    "clean",
    "from_graphblas",
    "masked_product",
    "onehot",
    "pattern",
    "ratio",
    "release_graphblas_memory",
    "row_sums",
    "to_graphblas",
]

# Upper bound on the number of scalar multiplications done per block of rows in a masked
# sparse product; it bounds memory on graphs where big projects create huge cliques.
BLOCK_WORK = 20_000_000


def check_square(matrix: sp.sparray | sp.spmatrix, name: str) -> None:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        msg = f"{name} must be a square person × person matrix, got shape {matrix.shape}"
        raise ValueError(msg)


def as_groups(groups: np.ndarray, n_groups: int | None = None, *, n_people: int | None = None) -> np.ndarray:
    """Unit codes as int64, checked (once, at the boundary) against the numbers of people and units."""
    g = np.asarray(groups)
    if g.ndim != 1 or (g.size and not np.issubdtype(g.dtype, np.integer)):
        msg = "groups must be a 1-D array of integer unit codes"
        raise ValueError(msg)
    g = g.astype(np.int64, copy=False)
    if n_people is not None and g.shape != (n_people,):
        msg = f"groups must give one unit code per person ({n_people}), got shape {g.shape}"
        raise ValueError(msg)
    if g.size and g.min() < 0:
        msg = f"unit codes in groups must be 0 or more, got {g.min()}"
        raise ValueError(msg)
    if n_groups is not None and g.size and g.max() >= n_groups:
        msg = f"groups has unit code {int(g.max())} but n_groups is {n_groups}"
        raise ValueError(msg)
    return g


def pattern(matrix: sp.sparray | sp.spmatrix) -> sp.csr_array:
    """0/1 float CSR copy of the non-zero pattern of ``matrix`` (explicit zeros dropped)."""
    m = sp.csr_array(matrix, dtype=np.float64, copy=True)
    m.eliminate_zeros()
    m.data[:] = 1.0
    return m


def clean(matrix: sp.sparray | sp.spmatrix) -> sp.csr_array:
    """Float CSR copy with explicit zeros dropped (a zero weight is no tie)."""
    m = sp.csr_array(matrix, dtype=np.float64, copy=True)
    m.eliminate_zeros()
    m.sort_indices()
    return m


def onehot(groups: np.ndarray, n_groups: int) -> sp.csr_array:
    """People × units 0/1 matrix."""
    groups = np.asarray(groups, dtype=np.int64)
    n = groups.shape[0]
    return sp.csr_array(
        (np.ones(n), (np.arange(n), groups)), shape=(n, int(n_groups))
    )


def row_sums(matrix: sp.csr_array) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def to_graphblas(matrix: sp.sparray | sp.spmatrix, *, iso: float | None = None) -> gb.Matrix:
    """SuiteSparse:GraphBLAS copy of a scipy matrix (CSR); ``iso`` stores one value for all entries."""
    m = sp.csr_array(matrix)
    if not m.has_sorted_indices:
        m = m.sorted_indices()
    values = m.data.astype(np.float64) if iso is None else np.array([iso])
    return gb.Matrix.ss.import_csr(
        nrows=m.shape[0],
        ncols=m.shape[1],
        indptr=m.indptr.astype(np.uint64),
        col_indices=m.indices.astype(np.uint64),
        values=values,
        is_iso=iso is not None,
        sorted_cols=True,
        take_ownership=True,
    )


def from_graphblas(matrix: gb.Matrix) -> sp.csr_array:
    """scipy CSR copy of a GraphBLAS matrix (sorted column indices)."""
    out = matrix.ss.export("csr", sort=True)
    values = out["values"]
    if out.get("is_iso"):
        values = np.full(out["col_indices"].shape[0], values[0])
    return sp.csr_array(
        (values.astype(np.float64), out["col_indices"].astype(np.int64), out["indptr"].astype(np.int64)),
        shape=matrix.shape,
    )


#: Stored entries above which :func:`release_graphblas_memory` runs the cycle collector.
RELEASE_MIN_ENTRIES = 2_000_000


def release_graphblas_memory(entries: int) -> None:
    """Free the GraphBLAS temporaries of a large product now (call it as the product returns).

    python-graphblas objects sit in reference cycles, so the matrices made inside a
    function keep their memory after it returns, until the next full collection. At
    100,000 people that is 0.8 GB per routed structural-holes pass, and the next pass then
    peaks on top of it (3.8 GB instead of 3.0 GB). A full collection costs 70-90 ms
    (measured with an analysis of 10,000 or 100,000 people in memory), so it runs only
    when the product had at least :data:`RELEASE_MIN_ENTRIES` entries.
    """
    if entries >= RELEASE_MIN_ENTRIES:
        gc.collect()


def masked_product(x: sp.csr_array, y: sp.csr_array, mask: sp.csr_array) -> sp.csr_array:
    """(x @ y) ⊙ pattern(mask), computed only at the mask's entries, in row blocks.

    GraphBLAS's masked product (``C<mask> = x·y``) skips the entries outside the mask, which
    scipy cannot; its work is still Σ_{q ∈ row i of x} nnz(row q of y) per row i. Blocks
    of rows are cut where the running work passes :data:`BLOCK_WORK`, which bounds the
    product's workspace.
    """
    n = x.shape[0]
    if n == 0 or x.nnz == 0 or y.nnz == 0:
        return sp.csr_array(mask.shape, dtype=np.float64)
    y_row_nnz = np.diff(y.indptr).astype(np.float64)
    work = pattern(x) @ y_row_nnz
    cuts = np.searchsorted(np.cumsum(work), np.arange(1, int(work.sum() // BLOCK_WORK) + 1) * BLOCK_WORK)
    bounds = np.unique(np.concatenate(([0], cuts, [n])))
    right = to_graphblas(y)
    blocks = []
    for lo, hi in itertools.pairwise(bounds):
        left, where = to_graphblas(x[lo:hi]), to_graphblas(mask[lo:hi], iso=True)
        block = gb.Matrix(float, hi - lo, y.shape[1])
        block(mask=where.S) << left.mxm(right, gb.semiring.plus_times)
        blocks.append(from_graphblas(block))
    del left, where, block, right
    out = sp.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]
    release_graphblas_memory(x.nnz + y.nnz + mask.nnz)
    out.eliminate_zeros()
    return sp.csr_array(out)


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN (not a RuntimeWarning) where ``den`` is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
