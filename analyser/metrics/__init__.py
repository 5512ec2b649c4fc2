"""The metrics: pure functions of sparse matrices and unit codes, one module per family.

- :mod:`~analyser.metrics.silo`: unit figures (E-I index, silo test and verdicts, densities);
- :mod:`~analyser.metrics.bridging`: person figures (betweenness, participation, sole bridges);
- :mod:`~analyser.metrics.structural_holes` and :mod:`~analyser.metrics.brokerage`: Burt's
  constraint and effective size, Gould & Fernandez brokerage roles;
- :mod:`~analyser.metrics.structure`: organisation figures (modularity, assortativity,
  communities, components);
- :mod:`~analyser.metrics.projects`: project figures (Blau index, unique unit links).

What each number means, with its formula and paper, is in ``docs/metrics.md``; each entry
there links the function and its tests.

Tie lists
---------
Many functions take ``adjacency`` (a symmetric person × person sparse matrix with a zero
diagonal) and an optional keyword ``ties``: the same ties listed once each, as three arrays
``(rows, cols, values)`` with ``rows < cols``. Extracting that list from a large matrix costs
time and memory, so a caller that already holds it (``CollaborationNetwork.upper_ties``, or
:func:`analyser.metrics.silo.upper_ties`) passes it and every metric reuses it; without it the
function takes the ties from ``adjacency``. A function that ignores weights says so; ``values``
may then be ``None``.
"""
