"""The unit-level route for very large organisations: unit figures without keeping person ties.

Above :data:`analyser.analysis.PERSON_LEVEL_MAX_PAIRS` possible person pairs, building every
tie would cost more memory and time than a laptop has; this route counts distinct ties a
block of people at a time and computes every unit and organisation figure that needs no
tie list. What it cannot compute is listed, with the reason, in ``meta["skipped"]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.metrics import silo, structure
from analyser.metrics.projects import team_project_share
from analyser.network import DEFAULT_MAX_PROJECT_SIZE, CollaborationNetwork, UnitTies, unit_ties_blockwise
from analyser.unit_table import unit_table

__all__ = ["unit_level_tables", "unit_level_summary"]


def unit_level_tables(net: CollaborationNetwork, *, limit: int):
    """Unit table, unit links and skipped figures without keeping any person tie.

    Distinct person ties per unit pair come from :func:`unit_ties_blockwise`; the weighted
    link totals from X Λ Xᵀ (X = units × projects member counts, Λ = Newman weights), which
    equals the sum of the ties' Newman weights without forming them. The unit table is
    :func:`analyser.unit_table.unit_table` of those counts, as on the full route.
    """
    counts = unit_ties_blockwise(net)
    units = unit_table(net, counts)  # no permutation test without the tie list: no baseline, q or verdict
    pairs = counts.unit_pairs
    x = net.project_units
    lam = net.project_weights
    weight = sp.csr_array(x @ sp.diags_array(lam) @ x.T)
    presence = (x > 0).astype(np.float64)
    shared = sp.triu(presence @ presence.T, k=1).tocoo()
    ua, ub = shared.row.astype(np.int64), shared.col.astype(np.int64)
    order = np.lexsort((ub, ua))
    ua, ub = ua[order], ub[order]
    names = pl.Series(net.units, dtype=pl.String)
    links = pl.DataFrame(
        {
            "unit_a": names.gather(ua),
            "unit_b": names.gather(ub),
            "ties": np.asarray(pairs[ua, ub]).ravel().astype(np.int64),
            "shared_projects": shared.data[order].astype(np.int64),
            "weight": np.asarray(weight[ua, ub]).ravel().astype(np.float64),
        }
    ).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("bridging_people"),
        pl.lit(None, dtype=pl.String).alias("key_people"),
        pl.lit(None, dtype=pl.Boolean).alias("hangs_on_one_person"),
    )
    why = (
        f"{len(net.people):,} people make {net.pair_bound:,} person pairs through shared projects, "
        f"more than the person-level limit of {limit:,}; run with --level or --max-project-size, "
        "on a subset, or with a higher limit"
    )
    skipped = [
        {"metric": "person-level metrics (people table: collaborators, betweenness, participation, constraint, "
                   "effective size, brokerage, sole bridges, cross-unit betweenness)", "reason": why},
        {"metric": "ei_z, ei_p and the significant-silo flag (permutation test)",
         "reason": "the test re-counts every person tie per permutation; the ties are not kept at this size"},
        {"metric": "communities, community_unit_nmi, community_stability (Louvain)",
         "reason": "needs the person tie graph, not built at this size"},
        {"metric": "silo verdicts: ei_expected_perm, ei_q, verdict, silo, significant_silos, units_judged",
         "reason": "rest on the permutation test, which is skipped at this size"},
        {"metric": "unit links: bridging_people, key_people, hangs_on_one_person",
         "reason": "need the list of person ties, not kept at this size"},
    ]  # fmt: skip
    return units, links, counts, skipped


def unit_level_summary(
    net: CollaborationNetwork, units: pl.DataFrame, projects: pl.DataFrame, counts: UnitTies
) -> dict[str, Any]:
    """The organisation figures that need no person tie list (others null, see meta["skipped"]).

    Undefined figures are NaN here; :func:`analyser.analysis.analyse` turns them into null.
    """
    ties = counts.ties
    within = int(units["ties_internal"].sum())
    n_components, largest = structure.component_summary(structure.connected_components(net.tie_incidence))
    return {
        "people": len(net.people),
        "projects": len(net.projects),
        "units": len(net.units),
        "memberships": int(net.incidence.nnz),
        "ties": ties,
        "cross_unit_ties": ties - within,
        "ei_index": float(silo.ei_index(np.array(within), np.array(ties - within))),
        "ei_expected": silo.org_expected_ei_index(net.unit_size),
        # from unit totals only, by the same metric functions (bit for bit the full route's)
        "modularity": structure.mixing_modularity(counts.unit_pairs),
        "assortativity": structure.mixing_unit_assortativity(counts.unit_pairs),
        "communities": None,
        "community_unit_nmi": None,
        "components": n_components,
        "largest_component_share": largest,
        "cross_unit_project_share": float(projects["cross_unit"].mean()) if projects.height else None,
        **team_project_share(projects),
        "very_large_projects": int((net.project_size > DEFAULT_MAX_PROJECT_SIZE).sum()),
    }
