"""Suggested links: unit pairs that never work together though they share partners, and who could bridge them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.network import CollaborationNetwork, build_network
from analyser.privacy import PrivacyPolicy
from analyser.roster import Roster

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = ["SUGGESTION_SCHEMA", "CANDIDATE_SCHEMA", "suggest_links", "bridge_candidates"]

SUGGESTION_SCHEMA: dict[str, pl.DataType] = {
    "unit_a": pl.String(), "unit_b": pl.String(), "shared_partners": pl.Int64(), "jaccard": pl.Float64(),
    "partners": pl.String(), "reason": pl.String(),
}  # fmt: skip
CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "unit_a": pl.String(), "unit_b": pl.String(), "rank": pl.Int64(), "person": pl.String(), "unit": pl.String(),
    "kind": pl.String(), "ties_a": pl.Int64(), "ties_b": pl.Int64(), "via": pl.Int64(), "reason": pl.String(),
}  # fmt: skip
TIED_TO_BOTH, ONE_STEP = "tied to both", "one step away"


def _names(names: Sequence[str], most: int = 3) -> str:
    shown = list(names[:most])
    if len(names) > most:
        return f"{', '.join(shown)} and {len(names) - most} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def suggest_links(analysis: Analysis, *, top: int | None = 10) -> pl.DataFrame:
    """Return unit pairs with no tie between them that work with the same other units.

    Partners of a unit are the units it has at least one tie with (``unit_links`` with
    ``ties > 0``). For a pair (a, b) without ties, ``shared_partners`` = |P(a) ∩ P(b)| and
    ``jaccard`` = |P(a) ∩ P(b)| / |P(a) ∪ P(b)|: units that work with the same partners
    likely have related work, so an unmade link is a missed opportunity (closing an open
    triad at unit level). Pairs sharing no partner are not listed. Ranked by shared
    partners, then Jaccard, then names.

    Units withheld for their size (``suppressed``, privacy modes) are left out. No person
    appears in the result, so it is the same in every privacy mode.

    Parameters
    ----------
    analysis
        Result of :func:`analyser.analysis.analyse`.
    top
        Number of pairs to return (``None`` for all).

    Returns
    -------
    polars.DataFrame
        :data:`SUGGESTION_SCHEMA`: ``unit_a``, ``unit_b``, ``shared_partners``,
        ``jaccard``, ``partners`` (``"; "``-joined names) and ``reason``.

    References
    ----------
    .. [1] Liben-Nowell, D. & Kleinberg, J. (2007) The link-prediction problem for social
       networks. *JASIST* 58(7):1019–1031 (common neighbours and Jaccard scores).
    .. [2] Burt, R.S. (2004) Structural holes and good ideas. *American Journal of
       Sociology* 110(2):349–399.

    Examples
    --------
    >>> from analyser.analysis import analyse
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "cid", "C"), ("P2", "bob", "B"), ("P2", "cid", "C")])
    >>> suggest_links(analyse(r, n_permutations=9)).select("unit_a", "unit_b", "shared_partners", "reason").rows()
    [('A', 'B', 1, 'both work with C, but not with each other')]
    """
    units, links = analysis.units, analysis.unit_links
    if units.is_empty():
        return pl.DataFrame(schema=SUGGESTION_SCHEMA)
    hidden = units.filter(pl.col("suppressed").fill_null(False))["unit"].to_list() if "suppressed" in units.columns else []
    names = sorted(u for u in units["unit"].to_list() if u not in set(hidden))
    code = {u: i for i, u in enumerate(names)}
    k = len(names)
    partner = np.zeros((k, k), dtype=bool)
    if not links.is_empty():
        for a, b in links.filter(pl.col("ties").fill_null(0) > 0).select("unit_a", "unit_b").iter_rows():
            if a in code and b in code:
                partner[code[a], code[b]] = partner[code[b], code[a]] = True
    counts = partner.astype(np.int64)
    shared = counts @ counts.T
    degree = counts.sum(axis=1)
    ia, ib = np.triu_indices(k, k=1)
    keep = ~partner[ia, ib] & (shared[ia, ib] > 0)
    ia, ib = ia[keep], ib[keep]
    common = shared[ia, ib]
    union = degree[ia] + degree[ib] - common
    rows = []
    for a, b, n, u in zip(ia, ib, common, union):
        both = [names[j] for j in np.flatnonzero(partner[a] & partner[b])]
        rows.append((names[a], names[b], int(n), float(n / u), "; ".join(both),
                     f"both work with {_names(both)}, but not with each other"))  # fmt: skip
    table = pl.DataFrame(rows, schema=SUGGESTION_SCHEMA, orient="row")
    table = table.sort(["shared_partners", "jaccard", "unit_a", "unit_b"], descending=[True, True, False, False])
    return table if top is None else table.head(top)


def _pairs(pairs: pl.DataFrame | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if isinstance(pairs, pl.DataFrame):
        return list(pairs.select("unit_a", "unit_b").iter_rows())
    return [(a, b) for a, b in pairs]


def bridge_candidates(
    source: Roster | CollaborationNetwork,
    pairs: pl.DataFrame | Sequence[tuple[str, str]],
    *,
    level: int | None = None,
    max_project_size: int | None = None,
    privacy: str = "names",
    min_group_size: int = 5,
    salt: bytes | None = None,
    per_pair: int = 5,
) -> pl.DataFrame:
    """Return, for each unit pair, the people best placed to link it, with the reason.

    For units a and b, a person *touches* a side when they belong to it or have a
    collaborator (a person tie) in it.

    - ``tied to both``: the person touches both sides already (for a pair with no ties,
      someone of a third unit with collaborators in each). Ranked by the smaller of
      ``ties_a`` and ``ties_b`` (their collaborators in a and in b), then by the sum.
    - ``one step away``: the person touches one side, and ``via`` ≥ 1 of their
      collaborators touch the other side, so one introduction would do. Ranked by
      ``via``, then by ties to their own side.

    Parameters
    ----------
    source
        A roster (its network is built at ``level``) or an already built network.
    pairs
        Unit pairs, e.g. the result of :func:`suggest_links`, or ``(unit_a, unit_b)``
        tuples; unknown units give no rows.
    level, max_project_size
        As in :func:`analyser.analysis.analyse` (used when ``source`` is a roster).
    privacy, min_group_size, salt
        ``aggregate`` gives an empty table (no people); ``pseudonyms`` shows persons as
        the report's codes (``salt`` defaults to the roster's, as in the report; it is
        required with a network) and the unit of a person in a unit the report withholds
        (fewer than ``min_group_size`` people, and the smallest others with them:
        :meth:`analyser.privacy.PrivacyPolicy.withheld`) as ``(small unit)``; pairs
        involving such units get no rows.
    per_pair
        Most candidates per pair.

    Returns
    -------
    polars.DataFrame
        :data:`CANDIDATE_SCHEMA`: ``unit_a``, ``unit_b``, ``rank`` (1 = best), ``person``,
        ``unit``, ``kind``, ``ties_a``, ``ties_b``, ``via`` and ``reason``.

    References
    ----------
    .. [1] Burt, R.S. (1992) *Structural Holes*. Harvard University Press (brokers who
       span otherwise unconnected groups).
    .. [2] Granovetter, M.S. (1973) The strength of weak ties. *American Journal of
       Sociology* 78(6):1360–1380 (friends of friends).

    Examples
    --------
    cid (C) works with ann (A) and bob (B); dan (A) works with ann only:

    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "cid", "C"), ("P2", "bob", "B"),
    ...                       ("P2", "cid", "C"), ("P3", "ann", "A"), ("P3", "dan", "A")])
    >>> c = bridge_candidates(r, [("A", "B")])
    >>> c.select("person", "kind", "via").rows()
    [('cid', 'tied to both', 0), ('ann', 'one step away', 1), ('bob', 'one step away', 1)]
    >>> c["reason"][0]
    'works with 1 person in A and 1 in B'
    """
    if isinstance(source, Roster):
        policy = PrivacyPolicy.for_roster(source, privacy, min_group_size, salt)
    else:
        policy = PrivacyPolicy(privacy, min_group_size, salt)
        if policy.mode == "pseudonyms" and salt is None:
            raise ValueError("pseudonyms need the salt of the report when a network is given")
    if not policy.shows_people:
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    net = build_network(source, level=level, max_project_size=max_project_size) if isinstance(source, Roster) else source
    withheld = policy.withheld_set(net)
    code = {u: i for i, u in enumerate(net.units)}
    adj = sp.csr_array(net.adjacency)
    groups = net.person_unit
    per_unit = (adj @ net.unit_onehot).toarray() if len(net.people) else np.zeros((0, len(net.units)))
    rows = []
    for unit_a, unit_b in _pairs(pairs):
        if unit_a not in code or unit_b not in code or unit_a == unit_b or {unit_a, unit_b} & withheld:
            continue
        a, b = code[unit_a], code[unit_b]
        ca, cb = per_unit[:, a].astype(np.int64), per_unit[:, b].astype(np.int64)
        in_a, in_b = groups == a, groups == b
        touch_a, touch_b = in_a | (ca > 0), in_b | (cb > 0)
        via_a = adj @ touch_a.astype(np.float64)  # collaborators touching a
        via_b = adj @ touch_b.astype(np.float64)
        found = []
        for i in np.flatnonzero(touch_a & touch_b):
            found.append((0, -min(ca[i], cb[i]), -(ca[i] + cb[i]), net.people[i], i, TIED_TO_BOTH, 0))
        for i in np.flatnonzero(touch_a ^ touch_b):
            near_a = bool(touch_a[i])
            via = int(via_b[i] if near_a else via_a[i])
            if via:
                own = ca[i] if near_a else cb[i]
                found.append((1, -via, -own, net.people[i], i, ONE_STEP, via))
        found.sort()
        for rank, (_, _, _, person, i, kind, via) in enumerate(found[:per_pair], start=1):
            unit = net.units[groups[i]]
            rows.append((unit_a, unit_b, rank, policy.person(person), policy.unit_label(unit, withheld),
                         kind, int(ca[i]), int(cb[i]), via,
                         _reason(unit_a, unit_b, bool(in_a[i]), bool(in_b[i]), int(ca[i]), int(cb[i]), kind, via)))  # fmt: skip
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, orient="row")


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def _reason(unit_a: str, unit_b: str, in_a: bool, in_b: bool, ties_a: int, ties_b: int, kind: str, via: int) -> str:
    if kind == TIED_TO_BOTH:
        if in_a:
            return f"in {unit_a}; works with {_people(ties_b)} in {unit_b}"
        if in_b:
            return f"in {unit_b}; works with {_people(ties_a)} in {unit_a}"
        return f"works with {_people(ties_a)} in {unit_a} and {ties_b} in {unit_b}"
    near, far, ties = (unit_a, unit_b, ties_a) if in_a or ties_a else (unit_b, unit_a, ties_b)
    home = f"in {near}" if in_a or in_b else f"works with {_people(ties)} in {near}"
    return f"{home}; {via} of their collaborators {'works' if via == 1 else 'work'} with {far}"
