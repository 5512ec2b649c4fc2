"""Array helpers shared by the metric modules: input checks, masks, safe ratios.

Masked sparse products run in SuiteSparse:GraphBLAS (python-graphblas) when it is installed,
else in scipy: GraphBLAS is an optional accelerator (the ``[fast]`` extra; it has no wheels
for macOS 12 and 13 on Apple silicon with Python 3.13), and is imported on first use.
"""

from __future__ import annotations

import functools
import gc
import itertools
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    import graphblas as gb

__all__ = [
    "BLOCK_WORK",
    "MASKED_PRODUCT_ENGINES",
    "as_groups",
    "check_square",
    "clean",
    "from_graphblas",
    "graphblas",
    "masked_product",
    "masked_product_engine",
    "masked_values",
    "numba_compiled",
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
#: The same bound for the scipy routes (without python-graphblas), whose blocks hold every
#: product term or looked-up term at once (about 50 bytes each): about 0.2 GB a block.
SCIPY_BLOCK_WORK = 4_000_000


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


#: How masked products run, by whether python-graphblas is installed (for the analysis' methods).
MASKED_PRODUCT_ENGINES = {
    "graphblas": "SuiteSparse:GraphBLAS",
    "scipy": "scipy, in row blocks (python-graphblas not installed: the [fast] extra adds it)",
}


@functools.cache
def graphblas() -> ModuleType | None:
    """The python-graphblas module, imported on first use; ``None`` when it is not installed."""
    try:
        import graphblas as gb
    except ImportError:
        return None
    return gb


def masked_product_engine() -> str:
    """Which engine :func:`masked_product` and :func:`masked_values` use here."""
    return MASKED_PRODUCT_ENGINES["scipy" if graphblas() is None else "graphblas"]


def to_graphblas(
    matrix: sp.sparray | sp.spmatrix, *, iso: float | None = None, dtype: Any = np.float64
) -> gb.Matrix:
    """SuiteSparse:GraphBLAS copy of a scipy matrix (CSR) with values of ``dtype``; ``iso`` stores
    one value for all entries. Needs python-graphblas (:func:`graphblas`)."""
    gb = graphblas()
    m = sp.csr_array(matrix)
    if not m.has_sorted_indices:
        m = m.sorted_indices()
    values = m.data.astype(dtype) if iso is None else np.array([iso], dtype=dtype)
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


def _row_blocks(x: sp.csr_array, y: sp.csr_array, block_work: int | None = None) -> np.ndarray:
    """Bounds of row blocks of ``x`` whose product with ``y`` does about ``block_work``
    (:data:`BLOCK_WORK`) multiplications each."""
    block_work = BLOCK_WORK if block_work is None else block_work
    y_row_nnz = np.diff(y.indptr).astype(np.float64)
    work = pattern(x) @ y_row_nnz
    cuts = np.searchsorted(np.cumsum(work), np.arange(1, int(work.sum() // block_work) + 1) * block_work)
    return np.unique(np.concatenate(([0], cuts, [x.shape[0]])))


def masked_values(x: sp.sparray, y: sp.sparray, mask: sp.sparray) -> np.ndarray:
    """(x @ y) at every stored entry of ``mask``, in the mask's CSR order (sorted columns), 0 where
    the product has no entry; of the dtype of x·y (float64, or uint64 wrapping modulo 2⁶⁴).

    GraphBLAS computes only the entries at the mask (``C<mask> += x·y``). scipy cannot skip
    the others. It either multiplies blocks of rows (each about :data:`SCIPY_BLOCK_WORK`
    multiplications, which bounds the memory of the unmasked block) and looks the mask's
    entries up in each, or, when y's columns are short, gathers each entry's dot product
    (:func:`_gathered_values`), whichever does less work (:data:`GATHER_COST`).

    >>> m = sp.csr_array([[0, 1], [1, 0]])
    >>> masked_values(sp.csr_array([[1.0, 2.0], [0.0, 3.0]]), sp.csr_array([[1.0, 0.0], [1.0, 1.0]]), m).tolist()
    [2.0, 3.0]
    """
    x, y, mask = sp.csr_array(x), sp.csr_array(y), sp.csr_array(mask)
    dtype = np.result_type(x.dtype, y.dtype)
    mask = mask if mask.has_sorted_indices else mask.sorted_indices()
    if mask.nnz == 0 or x.nnz == 0 or y.nnz == 0:
        return np.zeros(mask.nnz, dtype=dtype)
    gb = graphblas()
    if gb is not None:
        out = to_graphblas(mask, iso=0, dtype=dtype)
        out(mask=out.S, accum=gb.binary.plus) << to_graphblas(x, dtype=dtype).mxm(
            to_graphblas(y, dtype=dtype), gb.semiring.plus_times
        )
        exported = out.ss.export("csr", sort=True)
        del out
        release_graphblas_memory(x.nnz + y.nnz + mask.nnz)
        values = exported["values"]
        return np.full(mask.nnz, values[0], dtype=dtype) if exported.get("is_iso") else values.astype(dtype)
    yt = sp.csr_array(y.T)  # the columns of y as rows
    yt.sort_indices()
    col_nnz = np.diff(yt.indptr)
    gather_work = float(col_nnz[mask.indices].sum())
    product_work = float((pattern(x) @ np.diff(y.indptr).astype(np.float64))[np.diff(mask.indptr) > 0].sum())
    if GATHER_COST * gather_work <= product_work:
        return _gathered_values(x, yt, mask, dtype)
    out = np.zeros(mask.nnz, dtype=dtype)
    n_cols = np.int64(mask.shape[1])
    for lo, hi in itertools.pairwise(_row_blocks(x, y, min(BLOCK_WORK, SCIPY_BLOCK_WORK))):
        start, stop = mask.indptr[lo], mask.indptr[hi]
        if start == stop:
            continue
        block = sp.csr_array(x[lo:hi] @ y)
        block.sort_indices()
        keys = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(block.indptr)) * n_cols + block.indices
        wanted = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(mask.indptr[lo : hi + 1])) * n_cols
        wanted += mask.indices[start:stop]
        at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
        found = keys[at] == wanted if keys.size else np.zeros(wanted.size, dtype=bool)
        out[start:stop][found] = block.data[at[found]]
    return out


#: Relative cost of one looked-up term of :func:`_gathered_values` against one multiplication of
#: a scipy product (a binary search in x's entries against a sequential add): the gather is
#: chosen when its terms times this are fewer than the product's multiplications.
GATHER_COST = 4.0


def _gathered_values(x: sp.csr_array, yt: sp.csr_array, mask: sp.csr_array, dtype: Any) -> np.ndarray:
    """:func:`masked_values` as dot products: for each mask entry (i, j), Σ_q x[i, q]·y[q, j] over
    the entries of column j of y (row j of ``yt``), each x[i, q] found by binary search.

    Its work is Σ over the mask's entries of nnz(column j of y): small when y's columns are
    short (y = Bᵀ, a person's few projects), where the row-block product would make every
    pair of people two projects apart. Blocks of mask entries keep each pass within
    :data:`SCIPY_BLOCK_WORK` terms.
    """
    out = np.zeros(mask.nnz, dtype=dtype)
    x = x if x.has_sorted_indices else x.sorted_indices()
    n_cols = np.int64(x.shape[1])
    x_keys = np.repeat(np.arange(x.shape[0], dtype=np.int64), np.diff(x.indptr)) * n_cols + x.indices
    x_values = x.data.astype(dtype, copy=False)
    rows = np.repeat(np.arange(mask.shape[0], dtype=np.int64), np.diff(mask.indptr))
    terms = np.diff(yt.indptr)[mask.indices].astype(np.int64)
    ends = np.cumsum(terms)
    block = min(BLOCK_WORK, SCIPY_BLOCK_WORK)
    cuts = np.searchsorted(ends, np.arange(1, int(ends[-1] // block) + 1) * block) if ends.size else []
    for lo, hi in itertools.pairwise(np.unique(np.concatenate(([0], cuts, [mask.nnz])))):
        count = terms[lo:hi]
        total = int(count.sum())
        if total == 0:
            continue
        entry = np.repeat(np.arange(lo, hi), count)
        first = np.repeat(yt.indptr[mask.indices[lo:hi]] - (np.cumsum(count) - count), count)
        at = first + np.arange(total)  # positions in yt of column j's entries, entry by entry
        wanted = rows[entry] * n_cols + yt.indices[at]
        found_at = np.minimum(np.searchsorted(x_keys, wanted), max(x_keys.size - 1, 0))
        found = x_keys[found_at] == wanted if x_keys.size else np.zeros(total, dtype=bool)
        terms_found = x_values[found_at[found]] * yt.data[at[found]].astype(dtype, copy=False)
        # sums per mask entry (entries come in order), in the product's own arithmetic: uint64 wraps
        # modulo 2⁶⁴ as in GraphBLAS
        hit, starts = np.unique(entry[found], return_index=True)
        if hit.size:
            out[hit] = np.add.reduceat(terms_found, starts)
    return out


def masked_product(x: sp.csr_array, y: sp.csr_array, mask: sp.csr_array) -> sp.csr_array:
    """(x @ y) ⊙ pattern(mask), computed only at the mask's entries, in row blocks.

    GraphBLAS's masked product (``C<mask> = x·y``) skips the entries outside the mask, which
    scipy cannot; its work is still Σ_{q ∈ row i of x} nnz(row q of y) per row i. Blocks
    of rows are cut where the running work passes :data:`BLOCK_WORK`, which bounds the
    product's workspace. Without python-graphblas: :func:`masked_values`, same values.
    """
    n = x.shape[0]
    if n == 0 or x.nnz == 0 or y.nnz == 0:
        return sp.csr_array(mask.shape, dtype=np.float64)
    gb = graphblas()
    if gb is None:
        where = sp.csr_array(mask)
        where = where if where.has_sorted_indices else where.sorted_indices()
        out = sp.csr_array(
            (masked_values(x, y, where).astype(np.float64), where.indices.copy(), where.indptr.copy()), shape=where.shape
        )
        out.eliminate_zeros()
        return out
    bounds = _row_blocks(x, y)
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


def numba_compiled(function):
    """``function`` compiled by numba, cached on disk where a cache folder is writable.

    numba is imported here, when a compiled path is first set up, and not by ``import
    analyser``: it is an optional accelerator (``pip install "collab-analyser[fast]"``), and
    importing it (with llvmlite) costs about 0.3 s. Raises ``ImportError`` without it; the
    callers then take their numba-free route.
    """
    import numba

    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # no writable cache location: compile on first use in each process
        return numba.njit(cache=False, nogil=True)(function)


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN (not a RuntimeWarning) where ``den`` is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
