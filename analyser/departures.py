"""Departures: which unit links break if named people leave, and who the key players are.

Sole bridges say which unit pairs hang on one person. Leaders ask the next question: if these
people leave (retire, change job, go on leave), which links between units break, and which few
people's departure would hurt cross-unit work most? Both answers come from the tie list of the
collaboration network: a person leaving takes exactly the ties they are an end of; the projects
keep their other members, so every other tie stays. Nothing stored changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.metrics import silo, structure
from analyser.network import CollaborationNetwork, build_network
from analyser.privacy import PrivacyPolicy
from analyser.roster import InputError, Phrase, Problem, Roster

__all__ = [
    "WEAKENED_SHARE",
    "Departures",
    "read_people",
    "departures",
    "key_players",
]

#: A unit pair is *weakened* when it keeps ties but at most this share of them.
WEAKENED_SHARE = 0.5


@dataclass(frozen=True)
class Departures:
    """Result of :func:`departures`: the organisation and every unit before and after.

    Attributes
    ----------
    people_leaving
        The people as given (codes in ``pseudonyms`` mode; ``[{unit, people}]`` counts in
        ``aggregate`` mode).
    summary_before, summary_after
        ``people``, ``ties``, ``cross_unit_ties``, ``ei_index``, ``unit_pairs`` (pairs of units
        with at least one tie), ``components`` and ``largest_component_share``.
    units
        One row per unit: ``unit``, ``ei_before``, ``ei_after``, ``ties_external_before``,
        ``ties_external_after``, ``partner_units_before``, ``partner_units_after``.
    unit_pairs_lost
        Unit pairs with ties before and none after: ``unit_a``, ``unit_b``, ``ties_before``.
    unit_pairs_weakened
        Unit pairs that keep ties but at most :data:`WEAKENED_SHARE` of them: ``unit_a``,
        ``unit_b``, ``ties_before``, ``ties_after``.
    """

    people_leaving: list[Any]
    summary_before: dict[str, Any]
    summary_after: dict[str, Any]
    units: pl.DataFrame
    unit_pairs_lost: pl.DataFrame
    unit_pairs_weakened: pl.DataFrame

    def as_json(self) -> dict[str, Any]:
        """The JSON contract of ``analyser whatif --leave`` (keys never renamed)."""
        return {
            "people_leaving": self.people_leaving,
            "summary_before": self.summary_before,
            "summary_after": self.summary_after,
            "units": self.units.to_dicts(),
            "unit_pairs_lost": self.unit_pairs_lost.to_dicts(),
            "unit_pairs_weakened": self.unit_pairs_weakened.to_dicts(),
        }


def read_people(text: str, *, source: str = "--leave") -> list[str]:
    """Returns the people of a ``--leave`` value: a comma-separated list or, if ``text`` names an
    existing file, its lines (decoded like every roster: UTF-8 with or without BOM, or cp1252).

    Examples
    --------
    >>> read_people("Anna Berg, Bo Ek")
    ['Anna Berg', 'Bo Ek']
    """
    path = Path(text)
    if path.is_file():
        from analyser.ingest.text import _decode

        decoded, _notes = _decode(path.read_bytes(), str(path))
        names = [line.strip().strip('"') for line in decoded.splitlines()]
    else:
        names = [part.strip() for part in text.split(",")]
    people = list(dict.fromkeys(n for n in names if n))
    if not people:
        raise InputError(Problem.of(source, None, "person", "datacheck.departures.no_people", "error"))
    return people


def _person_codes(net: CollaborationNetwork, leaving: Sequence[str], source: str) -> np.ndarray:
    index = {name: i for i, name in enumerate(net.people)}
    problems = []
    for name in leaving:
        if name not in index:
            close = difflib.get_close_matches(name, net.people, n=1)
            hint = Phrase("datacheck.plan.did_you_mean", {"name": close[0]}) if close else ""
            problems.append(Problem.of(source, None, "person", "datacheck.departures.unknown_person", "error",
                                       name=name, hint=hint))  # fmt: skip
    if problems:
        raise InputError(problems)
    return np.array([index[name] for name in leaving], dtype=np.int64)


def _figures(net: CollaborationNetwork, a: np.ndarray, b: np.ndarray, present: np.ndarray) -> dict[str, Any]:
    """Organisation, unit and unit-pair figures of the ties ``(a, b)`` among ``present`` people."""
    groups, k = net.person_unit, len(net.units)
    ties = (a, b, None)
    internal, external = silo.unit_tie_counts(net.adjacency, groups, k, ties=ties)
    pairs = silo.mixing_matrix(net.adjacency, groups, k, ties=ties)
    cross = np.triu(pairs, k=1)
    incidence = net.tie_incidence[np.flatnonzero(present)]
    n_components, largest = structure.component_summary(structure.connected_components(incidence))
    org_ei = silo.org_ei_index(net.adjacency, groups, ties=ties)
    summary = {
        "people": int(present.sum()),
        "ties": int(a.size),
        "cross_unit_ties": int(cross.sum()),
        "ei_index": None if np.isnan(org_ei) else float(org_ei),
        "unit_pairs": int(np.count_nonzero(cross)),
        "components": n_components,
        "largest_component_share": None if np.isnan(largest) else float(largest),
    }
    partners = np.count_nonzero(pairs - np.diag(np.diag(pairs)), axis=1)
    return {"summary": summary, "ei": silo.ei_index(internal, external), "external": external,
            "partners": partners, "cross": cross}  # fmt: skip


def departures(
    roster: Roster,
    leaving: Sequence[str],
    *,
    level: int | None = None,
    max_project_size: int | None = None,
    privacy: str = "names",
    min_group_size: int = 5,
    salt: bytes | None = None,
    source: str = "--leave",
) -> Departures:
    """Returns the organisation and every unit before and after ``leaving`` people leave.

    A departing person takes the ties they are an end of (their projects keep their other
    members), so the ties after are the ties before without those. Units keep their names;
    their E-I, outside ties and partner units are recounted.

    Parameters
    ----------
    roster
        Validated memberships.
    leaving
        People as written in the roster (unknown names are an error naming the closest match).
    level, max_project_size
        As for :func:`analyser.analysis.analyse`.
    privacy
        ``names``; ``pseudonyms`` (people as codes; the units the report withholds,
        :meth:`analyser.privacy.PrivacyPolicy.withheld`, without figures and their pairs left
        out); ``aggregate`` (as ``pseudonyms``, and the people
        leaving only as counts per unit).
    min_group_size
        Units with fewer people are withheld in the privacy modes.
    salt
        Salt of the pseudonyms (the analysis' content salt when None).
    source
        Where ``leaving`` came from, for messages.

    Returns
    -------
    Departures

    References
    ----------
    .. [1] Borgatti, S.P. (2006) Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory 12:21–34.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "bob", "B"), ("P2", "cid", "C")])
    >>> d = departures(r, ["bob"])
    >>> d.summary_before["cross_unit_ties"], d.summary_after["cross_unit_ties"]
    (2, 0)
    >>> d.unit_pairs_lost.rows()
    [('A', 'B', 1), ('B', 'C', 1)]
    """
    policy = PrivacyPolicy.for_roster(roster, privacy, min_group_size, salt)
    net = build_network(roster, level=level, max_project_size=max_project_size)
    gone = _person_codes(net, leaving, source)
    a, b, _, _ = net.upper_ties
    present = np.ones(len(net.people), dtype=bool)
    present[gone] = False
    before = _figures(net, a, b, np.ones(len(net.people), dtype=bool))
    kept = present[a] & present[b]
    after = _figures(net, a[kept], b[kept], present)

    units = pl.DataFrame(
        {
            "unit": net.units,
            "ei_before": before["ei"], "ei_after": after["ei"],
            "ties_external_before": before["external"].astype(np.int64),
            "ties_external_after": after["external"].astype(np.int64),
            "partner_units_before": before["partners"].astype(np.int64),
            "partner_units_after": after["partners"].astype(np.int64),
        }  # fmt: skip
    ).with_columns(pl.col(pl.Float64).fill_nan(None))
    ua, ub = np.nonzero(before["cross"])
    tb, ta = before["cross"][ua, ub], after["cross"][ua, ub]
    names = pl.Series(net.units, dtype=pl.String)
    pairs = pl.DataFrame(
        {"unit_a": names.gather(ua), "unit_b": names.gather(ub), "ties_before": tb.astype(np.int64),
         "ties_after": ta.astype(np.int64)}  # fmt: skip
    )
    lost = pairs.filter(pl.col("ties_after") == 0).drop("ties_after")
    weakened = pairs.filter((pl.col("ties_after") > 0) & (pl.col("ties_after") <= WEAKENED_SHARE * pl.col("ties_before")))
    hidden = policy.withheld_set(net)
    units = policy.hide_units(units, hidden)
    lost, weakened = policy.unit_links(lost, hidden), policy.unit_links(weakened, hidden)
    people = _shown_people(policy, net, gone, ranked=False)
    return Departures(people, before["summary"], after["summary"], units.sort("unit"), lost, weakened)


def _shown_people(policy: PrivacyPolicy, net: CollaborationNetwork, codes: Sequence[int], *, ranked: bool) -> list[Any]:
    """People as the policy shows them: names, or codes (sorted unless ``ranked``: the order of
    a list someone typed says something about the names; a ranking's order is the answer), or
    in ``aggregate`` mode counts per unit."""
    if not policy.shows_people:
        return policy.counts_by_unit((net.units[net.person_unit[c]] for c in codes), policy.withheld_set(net))
    shown = [policy.person(net.people[c]) for c in codes]
    return shown if ranked or policy.shows_names else sorted(shown)  # type: ignore[type-var]


def key_players(
    roster: Roster,
    k: int,
    *,
    level: int | None = None,
    max_project_size: int | None = None,
    privacy: str = "names",
    min_group_size: int = 5,
    salt: bytes | None = None,
) -> list[dict[str, Any]]:
    """Returns, for k = 1 … K, the set of k people whose departure removes the most cross-unit ties.

    Found greedily, one person at a time (Borgatti's key-player problem, fragmentation variant,
    on unit links): each step adds the person with the most cross-unit ties to people not yet
    in the set (ties between two chosen people count once), breaking ties by the unit pairs the
    step would cut off, then by name. The greedy set is the best first pick exactly, and a good
    (not always optimal) larger set; each entry states the marginal loss of its last person.

    Parameters
    ----------
    roster
        Validated memberships.
    k
        Largest set size K (at least 1).
    level, max_project_size, privacy, min_group_size, salt
        As for :func:`departures`. In ``pseudonyms`` mode people are codes; in ``aggregate``
        mode each set lists people per unit only.

    Returns
    -------
    list of dict
        ``[{k, people, unit_pairs_lost, cross_unit_ties_lost, marginal_cross_unit_ties_lost}]``.

    Notes
    -----
    Cost: one pass over the ties to list the cross-unit ones, then per pick one pass over the
    chosen person's cross-unit ties. At 10M ties (L scale) the whole search for K = 10 takes
    about the time of building the network.

    References
    ----------
    .. [1] Borgatti, S.P. (2006) Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory 12:21–34.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "bob", "B"), ("P2", "cid", "C")])
    >>> [(s["k"], s["people"], s["cross_unit_ties_lost"]) for s in key_players(r, 2)]
    [(1, ['bob'], 2), (2, ['bob', 'ann'], 2)]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    policy = PrivacyPolicy.for_roster(roster, privacy, min_group_size, salt)
    net = build_network(roster, level=level, max_project_size=max_project_size)
    groups, n_units, n = net.person_unit, len(net.units), len(net.people)
    neighbours = _cross_unit_neighbours(net)
    remaining = np.diff(neighbours.indptr).astype(np.int64)
    rows = np.repeat(np.arange(n), remaining)
    upper = rows < neighbours.indices
    pair_ties = silo.mixing_matrix(net.adjacency, groups, n_units, ties=(rows[upper], neighbours.indices[upper], None))
    chosen = np.zeros(n, dtype=bool)
    order = np.argsort(np.array(net.people, dtype=object), kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    picks, sets = [], []
    ties_lost = pairs_lost = 0
    for size in range(1, min(k, n) + 1):
        best = int(remaining.max()) if n else 0
        candidates = np.flatnonzero(~chosen & (remaining == best))
        scored = [(-_pairs_cut(v, neighbours, chosen, groups, pair_ties), int(rank[v]), int(v)) for v in candidates]
        v = min(scored)[2]
        cut = -min(scored)[0]
        others = neighbours.indices[neighbours.indptr[v] : neighbours.indptr[v + 1]]
        others = others[~chosen[others]]
        units_hit, hits = np.unique(groups[others], return_counts=True)
        pair_ties[groups[v], units_hit] -= hits
        pair_ties[units_hit, groups[v]] -= hits
        remaining[others] -= 1
        chosen[v] = True
        remaining[v] = -1
        ties_lost += best
        pairs_lost += cut
        picks.append(v)
        sets.append({"k": size, "people": list(picks), "unit_pairs_lost": pairs_lost,
                     "cross_unit_ties_lost": ties_lost, "marginal_cross_unit_ties_lost": best})  # fmt: skip
    return [{**s, "people": _shown_people(policy, net, s["people"], ranked=True)} for s in sets]


def _cross_unit_neighbours(net: CollaborationNetwork) -> sp.csr_array:
    """Each person's collaborators in other units, as a CSR filtered from the tie matrix
    (4× faster at 10M ties than building it from the tie list)."""
    adjacency, groups = net.adjacency, net.person_unit
    n = adjacency.shape[0]
    person = np.repeat(np.arange(n, dtype=adjacency.indices.dtype), np.diff(adjacency.indptr))
    cross = groups[person] != groups[adjacency.indices]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(person[cross], minlength=n))))
    indices = adjacency.indices[cross]
    return sp.csr_array((np.ones(indices.size, dtype=np.int8), indices, indptr), shape=adjacency.shape)


def _pairs_cut(v: int, neighbours: sp.csr_array, chosen: np.ndarray, groups: np.ndarray, pair_ties: np.ndarray) -> int:
    """Unit pairs whose last remaining cross ties all run through ``v``."""
    others = neighbours.indices[neighbours.indptr[v] : neighbours.indptr[v + 1]]
    others = others[~chosen[others]]
    if others.size == 0:
        return 0
    partner_units, through_v = np.unique(groups[others], return_counts=True)
    return int(np.count_nonzero(pair_ties[groups[v], partner_units] == through_v))

