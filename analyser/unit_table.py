"""The units table: one builder for the full route, the unit-level route and the what-if."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from analyser.metrics import silo
from analyser.metrics._arrays import ratio
from analyser.network import CollaborationNetwork, UnitTies

__all__ = ["SiloTest", "unit_tie_totals", "silo_test", "unit_table"]


@dataclass(frozen=True)
class SiloTest:
    """The E-I permutation test of every unit and the silo verdicts it gives (:func:`silo_test`).

    Attributes
    ----------
    permutation
        :func:`analyser.metrics.silo.ei_permutation_test` (z, p, baseline, permutations used).
    verdict, q
        :func:`analyser.metrics.silo.silo_verdicts` per unit.
    """

    permutation: silo.PermutationResult
    verdict: np.ndarray
    q: np.ndarray


def unit_tie_totals(counts: UnitTies) -> tuple[np.ndarray, np.ndarray]:
    """Returns each unit's internal and external tie counts from the unit × unit counts.

    The same numbers as :func:`analyser.metrics.silo.unit_tie_counts` of the person ties.

    Examples
    --------
    >>> from analyser.network import build_network, unit_ties
    >>> from analyser.roster import Roster
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B")])
    >>> [x.tolist() for x in unit_tie_totals(unit_ties(build_network(r)))]
    [[1, 0], [2, 2]]
    """
    internal = counts.unit_pairs.diagonal().astype(np.int64)
    return internal, np.asarray(counts.unit_pairs.sum(axis=1)).ravel().astype(np.int64) - internal


def silo_test(
    net: CollaborationNetwork,
    counts: UnitTies,
    *,
    seed: int,
    n_permutations: int,
    min_people: int,
    min_projects: int,
    alpha: float,
) -> SiloTest:
    """Returns the E-I permutation test and the silo verdict of every unit of ``net``.

    Needs the person tie list (the labels are shuffled over the ties), so the unit-level
    route has no test. ``min_people`` and ``min_projects`` are the least evidence for a
    verdict (people, and projects that make ties); ``alpha`` the significance level of the
    Benjamini–Hochberg adjusted p (:func:`analyser.metrics.silo.silo_verdicts`).
    """
    a, b, _, _ = net.upper_ties
    groups, k = net.person_unit, len(net.units)
    perm = silo.ei_permutation_test(net.adjacency, groups, k, n_permutations=n_permutations, seed=seed, ties=(a, b, None))
    present = net.project_units > 0
    makes_ties = net.tie_projects & (net.project_size >= 2)
    tie_projects_per_unit = np.asarray(present[:, np.flatnonzero(makes_ties)].sum(axis=1)).ravel()
    verdict, q = silo.silo_verdicts(
        silo.ei_index(*unit_tie_totals(counts)), perm.expected, perm.p, net.unit_size, tie_projects_per_unit,
        min_people=min_people, min_projects=min_projects, alpha=alpha,
    )  # fmt: skip
    return SiloTest(perm, verdict, q)


def unit_table(net: CollaborationNetwork, counts: UnitTies, *, test: SiloTest | None = None) -> pl.DataFrame:
    """Returns the units table of ``net`` (the contract columns of
    :data:`analyser.analysis.UNIT_COLUMNS`, then the densities), undefined values null.

    ``counts`` are the unit × unit tie counts, from the tie list (:func:`analyser.network.unit_ties`)
    or counted in blocks (:func:`analyser.network.unit_ties_blockwise`): the same numbers,
    so every route gives the same table. Without ``test`` (the unit-level route, the what-if)
    the permutation figures and verdicts are null.

    Examples
    --------
    >>> from analyser.network import build_network, unit_ties
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B")]))
    >>> unit_table(net, unit_ties(net)).select("unit", "people", "ei_index", "partner_units", "verdict").rows()
    [('A', 2, 0.3333333333333333, 1, None), ('B', 1, 1.0, 1, None)]
    """
    groups, k = net.person_unit, len(net.units)
    sizes = net.unit_size
    internal, external = unit_tie_totals(counts)
    pairs = counts.unit_pairs  # zeros eliminated: a stored entry is a unit pair with ties
    partners = np.diff(pairs.indptr) - (pairs.diagonal() != 0)
    # silo.bridge_concentration, from the per-person cross-tie counts
    total = np.bincount(groups, weights=counts.person_external, minlength=k)[:k]
    top = np.zeros(k)
    np.maximum.at(top, groups, counts.person_external)
    nan = np.full(k, np.nan)
    perm = test.permutation if test is not None else None
    verdict = test.verdict.tolist() if test is not None else [None] * k
    return pl.DataFrame(
        {
            "unit": net.units,
            "people": sizes.astype(np.int64),
            "projects": np.asarray((net.project_units > 0).sum(axis=1)).ravel().astype(np.int64),
            "ties_internal": internal,
            "ties_external": external,
            "ei_index": silo.ei_index(internal, external),
            "ei_expected": silo.expected_ei_index(sizes),
            "ei_z": perm.z if perm is not None else nan,
            "ei_p": perm.p if perm is not None else nan,
            "partner_units": partners.astype(np.int64),
            "cross_unit_project_share": silo.cross_unit_project_share(net.incidence, groups, k),
            "bridge_concentration": ratio(top, total),
            "suppressed": np.zeros(k, dtype=bool),
            "ei_expected_perm": perm.expected if perm is not None else nan,
            "ei_q": test.q if test is not None else nan,
            "verdict": pl.Series(verdict, dtype=pl.String),
            "silo": pl.Series([v == "silo" if v is not None else None for v in verdict], dtype=pl.Boolean),
            "internal_density": silo.internal_density(internal, sizes),
            "external_density": silo.external_density(external, sizes),
        }
    ).with_columns(pl.col(pl.Float64).fill_nan(None))
