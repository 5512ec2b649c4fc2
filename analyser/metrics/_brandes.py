"""Brandes' betweenness with two target sets in one pass, to be compiled with numba.

:func:`analyser.metrics.bridging.bridging_betweenness` compiles :func:`both_dependencies`
with numba on first use (:func:`analyser.metrics._arrays.numba_compiled`), not at ``import
analyser``: numba is an optional accelerator (the ``[fast]`` extra). Without it the two
igraph passes give the same values; this plain-Python form is never run uncompiled (too slow).
"""

from __future__ import annotations

import numpy as np


def both_dependencies(
    indptr: np.ndarray, indices: np.ndarray, n_people: int, unit: np.ndarray, sources: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sums over ``sources`` of each person's dependency on every other person and on the
    people of other units than the source's (nodes ≥ ``n_people`` are projects: passed
    through, never targets). Undirected graph as CSR; unweighted breadth-first search."""
    n = indptr.size - 1
    plain = np.zeros(n_people)
    cross = np.zeros(n_people)
    dist = np.full(n, -1, np.int64)
    sigma = np.zeros(n)
    d_all = np.zeros(n)
    d_cross = np.zeros(n)
    order = np.empty(n, np.int64)
    for s in sources:
        head = 0
        tail = 1
        order[0] = s
        dist[s] = 0
        sigma[s] = 1.0
        while head < tail:  # breadth-first: distances and numbers of shortest paths
            v = order[head]
            head += 1
            dv = dist[v] + 1
            for j in range(indptr[v], indptr[v + 1]):
                w = indices[j]
                if dist[w] < 0:
                    dist[w] = dv
                    order[tail] = w
                    tail += 1
                if dist[w] == dv:
                    sigma[w] += sigma[v]
        us = unit[s]
        for i in range(tail - 1, -1, -1):  # farthest first: accumulate the dependencies
            w = order[i]
            person = w < n_people and w != s
            to_all = (1.0 if person else 0.0) + d_all[w]
            to_cross = (1.0 if person and unit[w] != us else 0.0) + d_cross[w]
            dw = dist[w] - 1
            for j in range(indptr[w], indptr[w + 1]):
                v = indices[j]
                if dist[v] == dw:
                    d_all[v] += sigma[v] / sigma[w] * to_all
                    d_cross[v] += sigma[v] / sigma[w] * to_cross
            if person:
                plain[w] += d_all[w]
                cross[w] += d_cross[w]
        for i in range(tail):  # reset only what this source touched
            w = order[i]
            dist[w] = -1
            sigma[w] = 0.0
            d_all[w] = 0.0
            d_cross[w] = 0.0
    return plain, cross

