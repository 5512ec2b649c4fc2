"""Runs networkit's PLM for :func:`analyser.metrics.structure.louvain_partitions` in a process of its own.

networkit's Louvain is five times faster than igraph's but reproducible only when its OpenMP
runtime has one thread from the start of the process: changing the thread count inside a
running process (as a library sharing the process must) made the same call with the same
seed return other communities. The parent starts this module with ``OMP_NUM_THREADS=1``.

Usage: ``python -m analyser.metrics._louvain_worker IN.npz OUT.npy``, where IN holds ``n``,
``rows``, ``cols``, ``values`` (each tie once), ``seeds`` and ``resolution``; OUT receives one
row of labels per seed. Exit status :data:`NETWORKIT_IMPORT_FAILED` when networkit cannot be
imported (not installed, or its OpenMP library missing): the parent then runs igraph.
"""

from __future__ import annotations

import sys

import numpy as np
import scipy.sparse as sp

#: Exit status of the worker when networkit cannot be imported.
NETWORKIT_IMPORT_FAILED = 3


def partitions(n: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, seeds, resolution: float) -> np.ndarray:
    """PLM labels per seed (one thread, node order shuffled by the seed)."""
    import networkit as nk

    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    if rows.size and np.any(rows[1:] < rows[:-1]):  # the analysis hands them over row by row
        order = np.argsort(rows, kind="stable")
        values, cols = values[order], cols[order]
    upper = sp.csr_matrix((values, cols, indptr), shape=(n, n))
    del rows
    graph = nk.graph.GraphFromCsr(upper, directed=False, weighted=True)
    nk.setNumberOfThreads(1)
    out = np.empty((len(seeds), n), dtype=np.int64)
    for i, seed in enumerate(seeds):
        nk.engineering.setSeed(int(seed), False)
        # "none randomized": the seed shuffles the node order ("balanced" ignores the seed)
        plm = nk.community.PLM(graph, refine=False, gamma=float(resolution), par="none randomized")
        plm.run()
        out[i] = np.asarray(plm.getPartition().getVector(), dtype=np.int64)
    return out


def main(argv: list[str]) -> int:
    source, target = argv
    try:
        import networkit  # noqa: F401
    except ImportError as exc:
        print(f"networkit cannot be imported: {exc}", file=sys.stderr)
        return NETWORKIT_IMPORT_FAILED
    with np.load(source) as data:
        labels = partitions(
            int(data["n"]), data["rows"], data["cols"], data["values"], data["seeds"].tolist(), float(data["resolution"])
        )
    np.save(target, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
