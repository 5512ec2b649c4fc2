"""One person's place in the collaboration network: units reached, collaborators, projects,
brokerage roles and the unit pairs that hang on them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from analyser.metrics.brokerage import BROKERAGE_ROLES
from analyser.network import CollaborationNetwork
from analyser.privacy import PrivacyPolicy

__all__ = ["PersonDetail", "person_codes", "find_person", "brokerage_roles", "sole_bridge_units", "person_detail",
           "top_collaborators"]


@dataclass(frozen=True)
class PersonDetail:
    """What :func:`person_detail` returns: one person, as the privacy mode allows them to be shown.

    Attributes
    ----------
    person, unit
        The person as shown (name, or pseudonym code) and their unit.
    units
        ``unit``, ``collaborators``, ``shared_projects`` (projects shared with people of that
        unit), ``own`` (the person's own unit): every unit the person has a tie into, most
        collaborators first.
    collaborators
        ``person`` (as shown), ``unit``, ``shared_projects``: own unit first, then by unit and
        most shared projects.
    projects
        ``project``, ``members``, ``units`` (distinct units among all members), ``unit_names``
        (the units shown, ``", "``-joined, most members first), ``makes_ties`` (false for projects
        above the largest project size, which create no ties).
    roles
        ``role`` (:data:`analyser.metrics.brokerage.BROKERAGE_ROLES`) and ``count``.
    sole_bridges
        ``unit`` and ``ties``: units whose every tie with the person's own unit runs through
        the person.
    ties
        ``person_a``, ``person_b``: ties among the collaborators shown (for an ego map).
    figures
        The person's row of an analysis' people table, when one was given (else empty).
    """

    person: str
    unit: str
    units: pl.DataFrame
    collaborators: pl.DataFrame
    projects: pl.DataFrame
    roles: pl.DataFrame
    sole_bridges: pl.DataFrame
    ties: pl.DataFrame
    figures: dict[str, Any] = field(default_factory=dict)


def _hidden_units(net: CollaborationNetwork, withheld: Collection[str]) -> np.ndarray:
    """Boolean mask over units: the ``withheld`` ones."""
    return np.isin(np.asarray(net.units, dtype=object), list(withheld)) if withheld else np.zeros(len(net.units), bool)


def person_codes(net: CollaborationNetwork, salt: bytes) -> dict[str, int]:
    """Returns each person's pseudonym code mapped to their index in ``net.people``.

    Examples
    --------
    >>> from analyser.roster import Roster
    >>> from analyser.network import build_network
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]))
    >>> codes = PrivacyPolicy("pseudonyms", salt=b"s")
    >>> person_codes(net, b"s") == {codes.person("ann"): 0, codes.person("bob"): 1}
    True
    """
    return {code: i for i, code in enumerate(PrivacyPolicy("pseudonyms", salt=salt).people(net.people))}


def find_person(
    net: CollaborationNetwork,
    shown: str | None,
    *,
    privacy: str = "names",
    salt: bytes = b"",
    withheld: Collection[str] = (),
    codes: Mapping[str, int] | None = None,
) -> int | None:
    """Returns the index in ``net.people`` of the person shown as ``shown``, or ``None``.

    With ``names`` a person is found by name; with ``pseudonyms`` only by code (a name finds
    nobody, so nobody can check which code a guessed name has), and never when they belong to
    a ``withheld`` unit; in ``aggregate`` mode nobody is found. ``codes`` is
    :func:`person_codes` when the caller keeps it.

    Examples
    --------
    >>> from analyser.roster import Roster
    >>> from analyser.network import build_network
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]))
    >>> find_person(net, "bob"), find_person(net, "bob", privacy="pseudonyms", salt=b"s")
    (1, None)
    >>> code = PrivacyPolicy("pseudonyms", salt=b"s").person("bob")
    >>> find_person(net, code, privacy="pseudonyms", salt=b"s")
    1
    >>> find_person(net, code, privacy="pseudonyms", salt=b"s", withheld={"B"})
    """
    policy = PrivacyPolicy(privacy, salt=salt)
    if not shown or not policy.shows_people:
        return None
    if policy.shows_names:
        index = _index(net.people, shown)
    else:
        index = (codes if codes is not None else person_codes(net, salt)).get(shown)
    if index is None or _hidden_units(net, withheld)[net.person_unit[index]]:
        return None
    return index


def _index(names: list[str], name: str) -> int | None:
    """Position of ``name`` in the sorted list ``names`` (binary search), or ``None``."""
    at = int(np.searchsorted(np.asarray(names, dtype=object), name))
    return at if at < len(names) and names[at] == name else None


def brokerage_roles(net: CollaborationNetwork, person: int) -> dict[str, int]:
    r"""Returns the Gould & Fernandez brokerage role counts of one person (undirected form).

    Every unordered pair {a, c} of the person's collaborators who share no project counts
    once, by the units of a, the person b, and c: *coordinator* (all three in one unit),
    *itinerant* (a and c in one unit, b in another), *gatekeeper* (exactly one of a, c in b's
    unit) or *liaison* (three units). With :math:`n_s` collaborators in unit s, u = b's unit
    and k collaborators, the open and closed pairs together are :math:`\binom{n_u}{2}`,
    :math:`\sum_{s\ne u}\binom{n_s}{2}`, :math:`n_u(k-n_u)` and
    :math:`\tfrac12[(k-n_u)^2-\sum_{s\ne u}n_s^2]`; the ties among the collaborators are
    classified the same way and subtracted.

    The same counts as :func:`analyser.metrics.brokerage.brokerage` gives for everyone, for one
    person at the cost of their neighbourhood: O(k + ties among the k collaborators).

    References
    ----------
    .. [1] Gould, R.V. & Fernandez, R.M. (1989) Structures of mediation: a formal approach to
       brokerage in transaction networks. *Sociological Methodology* 19:89–126.

    Examples
    --------
    ``cid`` (unit A) works with ann and bob (A, tied), dan (B), eva (B) and fay (C); dan–eva
    and eva–fay are tied:

    >>> from analyser.roster import Roster
    >>> from analyser.network import build_network
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "A"),
    ...     ("P2", "cid", "A"), ("P2", "dan", "B"), ("P3", "dan", "B"), ("P3", "eva", "B"),
    ...     ("P4", "eva", "B"), ("P4", "fay", "C"), ("P4", "cid", "A")]))
    >>> brokerage_roles(net, net.people.index("cid"))
    {'coordinator': 0, 'itinerant': 0, 'gatekeeper': 6, 'liaison': 1}
    """
    adj, groups = net.adjacency, net.person_unit
    near = adj.indices[adj.indptr[person] : adj.indptr[person + 1]]
    own = groups[person]
    counts = np.bincount(groups[near], minlength=len(net.units)).astype(np.int64)
    n_own, k = int(counts[own]), int(near.size)
    others = np.delete(counts, own)
    pairs = {
        "coordinator": n_own * (n_own - 1) // 2,
        "itinerant": int(np.sum(others * (others - 1) // 2)),
        "gatekeeper": n_own * (k - n_own),
        "liaison": ((k - n_own) ** 2 - int(np.sum(others**2))) // 2,
    }
    sub = adj[near][:, near].tocoo()
    upper = sub.row < sub.col
    ua, uc = groups[near[sub.row[upper]]], groups[near[sub.col[upper]]]
    closed = {
        "coordinator": (ua == own) & (uc == own),
        "itinerant": (ua == uc) & (ua != own),
        "gatekeeper": (ua == own) != (uc == own),
        "liaison": (ua != uc) & (ua != own) & (uc != own),
    }
    return {role: int(pairs[role] - np.count_nonzero(closed[role])) for role in BROKERAGE_ROLES}


def sole_bridge_units(net: CollaborationNetwork, person: int) -> dict[str, int]:
    """Returns the units whose every tie with the person's own unit runs through the person, with the tie count.

    A person is a sole bridge of the unit pair (u, v) when they are an end of every tie
    between u and v (:func:`analyser.metrics.bridging.sole_bridges`); a person of unit u can
    only be one for pairs (u, v), and is one exactly when the ties between u and v are the
    person's own ties into v.

    Examples
    --------
    >>> from analyser.roster import Roster
    >>> from analyser.network import build_network
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "ann", "A"),
    ...     ("P2", "cid", "C"), ("P3", "dan", "A"), ("P3", "cid", "C")]))
    >>> sole_bridge_units(net, net.people.index("ann")), sole_bridge_units(net, net.people.index("dan"))
    ({'B': 1}, {})
    """
    adj, groups, k = net.adjacency, net.person_unit, len(net.units)
    own = groups[person]
    near = adj.indices[adj.indptr[person] : adj.indptr[person + 1]]
    mine = np.bincount(groups[near], minlength=k)
    members = np.flatnonzero(groups == own)
    rows = adj[members]
    unit_total = np.bincount(groups[rows.indices], minlength=k)  # ties from the unit into each unit
    sole = np.flatnonzero((mine > 0) & (mine == unit_total))
    return {net.units[v]: int(mine[v]) for v in sole if v != own}


def person_detail(
    net: CollaborationNetwork,
    person: str,
    *,
    privacy: str = "names",
    salt: bytes = b"",
    withheld: Collection[str] = (),
    people: pl.DataFrame | None = None,
) -> PersonDetail:
    """Returns one person's units reached, collaborators, projects, brokerage roles and sole bridges.

    Parameters
    ----------
    net
        The collaboration network (at the unit level analysed).
    person
        The person's name as in ``net.people`` (:func:`find_person` turns a shown name or code
        into it).
    privacy
        ``"names"`` shows people by name; ``"pseudonyms"`` shows the person and every
        collaborator by code (:meth:`analyser.privacy.PrivacyPolicy.person`) and leaves out the people of
        ``withheld`` units entirely (as collaborators, in counts per unit, in ties and in the
        units listed for a project). ``"aggregate"`` shows no person: a ``ValueError``.
    salt
        Salt of the pseudonyms.
    withheld
        Units whose people are never shown with pseudonyms
        (:meth:`analyser.privacy.PrivacyPolicy.withheld_set`); ignored with names.
    people
        An analysis' people table in the same privacy mode; the person's row becomes
        :attr:`PersonDetail.figures`.

    Returns
    -------
    PersonDetail

    Raises
    ------
    ValueError
        In ``aggregate`` mode, for a person not in ``net``, and with pseudonyms for a person
        of a withheld unit.

    Notes
    -----
    Collaborators are people who share a project that makes ties (the network's largest
    project size applies); ``projects`` lists every project of the person. Cost: the person's
    neighbourhood plus one pass over the ties of their unit (for the sole bridges).

    Examples
    --------
    >>> from analyser.roster import Roster
    >>> from analyser.network import build_network
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "A"),
    ...     ("P2", "cid", "A"), ("P2", "dan", "B"), ("P3", "dan", "B"), ("P3", "eva", "B"),
    ...     ("P4", "eva", "B"), ("P4", "fay", "C"), ("P4", "cid", "A")]))
    >>> d = person_detail(net, "cid")
    >>> d.units.rows()
    [('A', 2, 1, True), ('B', 2, 2, False), ('C', 1, 1, False)]
    >>> d.sole_bridges.rows(), d.projects["project"].to_list()
    ([('B', 2), ('C', 1)], ['P4', 'P2', 'P1'])
    >>> person_detail(net, "cid", privacy="pseudonyms", salt=b"s", withheld={"C"}).collaborators["unit"].to_list()
    ['A', 'A', 'B', 'B']
    """
    policy = PrivacyPolicy(privacy, salt=salt)
    if not policy.shows_people:
        raise ValueError("aggregate mode shows no person: there is no person detail")
    hidden = _hidden_units(net, withheld if policy.withholds_units else ())
    index = _index(net.people, person)
    if index is None:
        raise ValueError(f"{person!r} is not in this network")
    if hidden[net.person_unit[index]]:
        raise ValueError("the person belongs to a withheld unit")

    def show(i: int) -> str:
        return policy.person(net.people[i])  # type: ignore[return-value]

    shown = show(index)
    units = pl.Series(net.units, dtype=pl.String)
    near = net.adjacency.indices[net.adjacency.indptr[index] : net.adjacency.indptr[index + 1]]
    near = near[~hidden[net.person_unit[near]]]
    shared = net.shared_projects[[index]][:, near].toarray().ravel().astype(np.int64) if near.size else near
    collaborators = pl.DataFrame(
        {"person": [show(i) for i in near], "unit": units.gather(net.person_unit[near]),
         "shared_projects": shared, "own": net.person_unit[near] == net.person_unit[index]},
        schema={"person": pl.String, "unit": pl.String, "shared_projects": pl.Int64, "own": pl.Boolean},
    ).sort(["own", "unit", "shared_projects", "person"], descending=[True, False, True, False])  # fmt: skip
    return PersonDetail(
        person=shown,
        unit=net.units[net.person_unit[index]],
        units=_units_reached(net, index, near),
        collaborators=collaborators.drop("own"),
        projects=_projects(net, index, hidden),
        roles=pl.DataFrame({"role": list(BROKERAGE_ROLES), "count": list(brokerage_roles(net, index).values())},
                           schema={"role": pl.String, "count": pl.Int64}),
        sole_bridges=pl.DataFrame(list(sole_bridge_units(net, index).items()), schema={"unit": pl.String, "ties": pl.Int64},
                                  orient="row").filter(~pl.col("unit").is_in(list(np.asarray(net.units)[hidden]))),
        ties=_ties_among(net, near, show),
        figures=_figures(people, shown),
    )  # fmt: skip


def _units_reached(net: CollaborationNetwork, index: int, near: np.ndarray) -> pl.DataFrame:
    """Collaborators and shared projects per unit of the collaborators ``near``."""
    own = net.person_unit[index]
    mine = net.incidence[[index]].indices
    others = net.project_units[:, mine].toarray()  # units × the person's projects: members besides the person
    others[own] -= 1
    others = others[:, _tied(net, mine)]
    unit_codes, counts = np.unique(net.person_unit[near], return_counts=True)
    return pl.DataFrame(
        {"unit": [net.units[u] for u in unit_codes], "collaborators": counts.astype(np.int64),
         "shared_projects": (others[unit_codes] > 0).sum(axis=1).astype(np.int64), "own": unit_codes == own},
        schema={"unit": pl.String, "collaborators": pl.Int64, "shared_projects": pl.Int64, "own": pl.Boolean},
    ).sort(["collaborators", "own", "unit"], descending=[True, True, False])  # fmt: skip


def _tied(net: CollaborationNetwork, projects: np.ndarray) -> np.ndarray:
    """Which of ``projects`` make ties (two or more members, within the largest project size)."""
    return net.tie_projects[projects] & (net.project_size[projects] >= 2)


def _projects(net: CollaborationNetwork, index: int, hidden: np.ndarray) -> pl.DataFrame:
    """The person's projects: size, units spanned, the units shown (most members first), tie-making."""
    mine = net.incidence[[index]].indices
    per_unit = net.project_units[:, mine].toarray()  # units × the person's projects
    names = []
    for column in per_unit.T:
        order = np.lexsort((np.arange(column.size), -column))
        names.append(", ".join(net.units[u] for u in order if column[u] > 0 and not hidden[u]))
    return pl.DataFrame(
        {"project": [net.projects[p] for p in mine], "members": net.project_size[mine].astype(np.int64),
         "units": (per_unit > 0).sum(axis=0).astype(np.int64), "unit_names": names, "makes_ties": _tied(net, mine)},
        schema={"project": pl.String, "members": pl.Int64, "units": pl.Int64, "unit_names": pl.String,
                "makes_ties": pl.Boolean},
    ).sort(["units", "members", "project"], descending=[True, True, False])  # fmt: skip


def _ties_among(net: CollaborationNetwork, near: np.ndarray, show) -> pl.DataFrame:
    """Ties among the collaborators ``near``, each once, as shown people."""
    sub = net.adjacency[near][:, near].tocoo()
    upper = sub.row < sub.col
    pairs = sorted(tuple(sorted((show(near[a]), show(near[b])))) for a, b in zip(sub.row[upper], sub.col[upper]))
    return pl.DataFrame(pairs, schema={"person_a": pl.String, "person_b": pl.String}, orient="row")


def _figures(people: pl.DataFrame | None, shown: str) -> dict[str, Any]:
    """The row of ``shown`` in an analysis' people table, as a dict (empty when absent)."""
    if people is None or people.is_empty() or "person" not in people.columns:
        return {}
    row = people.filter(pl.col("person") == shown)
    return row.row(0, named=True) if row.height else {}


def top_collaborators(collaborators: pl.DataFrame, n: int) -> pl.DataFrame:
    """Returns the ``n`` collaborators with most shared projects (ties in table order), in table order.

    Examples
    --------
    >>> c = pl.DataFrame({"person": ["a", "b", "c"], "unit": ["A", "B", "B"], "shared_projects": [1, 3, 1]})
    >>> top_collaborators(c, 2)["person"].to_list()
    ['a', 'b']
    """
    if collaborators.height <= n:
        return collaborators
    ranked = collaborators.with_row_index("_at").sort(["shared_projects", "_at"], descending=[True, False])
    return ranked.head(n).sort("_at").drop("_at")
