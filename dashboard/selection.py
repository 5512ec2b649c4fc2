"""Which people and rows a page shows: a unit's projects, the rows of a capped grid, the
people of a network map (withheld units left out)."""

from __future__ import annotations

import numpy as np
import polars as pl

from analyser.network import CollaborationNetwork
from analyser.privacy import PrivacyPolicy
from dashboard.settings import _int

__all__ = ['GRID_ROW_LIMIT', 'grid_rows', 'network_withheld_units', 'select_people', 'unit_projects']


#: Most rows a people or project grid sends to the browser; a search narrows the rest on the server.
GRID_ROW_LIMIT = 1000


def unit_projects(memberships: pl.DataFrame, unit: str, projects: pl.DataFrame) -> pl.DataFrame:
    """Return the projects with at least one member in ``unit``, with that unit's members.

    ``memberships`` must have units at the level analysed (``Roster.at_level``); the
    figures of ``projects`` (the analysis' project table) are joined on.

    Examples
    --------
    >>> m = pl.DataFrame({"project": ["P1", "P1", "P2"], "person": ["a", "b", "c"], "unit": ["A", "B", "B"]})
    >>> p = pl.DataFrame({"project": ["P1", "P2"], "members": [2, 1], "units": [2, 1]})
    >>> unit_projects(m, "A", p).rows()
    [('P1', 1, 2, 2)]
    """
    own = (
        memberships.filter(pl.col("unit") == unit)
        .group_by("project")
        .agg(pl.col("person").n_unique().alias("members_in_unit"))
    )
    keep = [c for c in ("project", "members", "units", "blau_index", "cross_unit") if c in projects.columns]
    return own.join(projects.select(keep), on="project", how="left").sort(
        ["members_in_unit", "project"], descending=[True, False]
    )


def grid_rows(
    frame: pl.DataFrame, search: str | None, columns: tuple[str, ...], limit: int = GRID_ROW_LIMIT
) -> tuple[pl.DataFrame, int]:
    """Return the first ``limit`` rows of ``frame`` whose ``columns`` hold ``search``, and how many match.

    The match ignores case and takes the text literally (no patterns); an empty search
    matches every row. ``frame`` keeps its order, so sort it first: the rows sent are then
    the top of the ranking, and the count says how many more there are.

    Examples
    --------
    >>> f = pl.DataFrame({"person": ["Ann", "Bo", "Anders"], "unit": ["HR", "IT", "IT"]})
    >>> rows, total = grid_rows(f, "an", ("person", "unit"), limit=1)
    >>> rows["person"].to_list(), total
    (['Ann'], 2)
    >>> grid_rows(f, None, ("person",), limit=2)[1]
    3
    """
    needle = (search or "").strip().lower()  # as polars' to_lowercase, so both sides fold alike
    columns = tuple(c for c in columns if c in frame.columns)
    if needle and columns:
        hit = pl.any_horizontal(
            pl.col(c).cast(pl.String).fill_null("").str.to_lowercase().str.contains(needle, literal=True) for c in columns
        )
        frame = frame.filter(hit)
    return frame.head(limit), frame.height


def network_withheld_units(net: CollaborationNetwork, privacy: str, min_group_size: int) -> frozenset[str]:
    """The units of ``net`` whose people a person map must not show in ``privacy`` mode.

    With pseudonyms (and aggregate) these are the units the analysis withholds
    (:meth:`analyser.privacy.PrivacyPolicy.withheld_set`): small units and their
    complements. With names nothing is withheld.

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P1", "cid", "B"), ("P2", "dan", "C"),
    ...                       ("P2", "eva", "C"), ("P2", "fay", "D"), ("P2", "gus", "D"), ("P2", "hal", "D")])
    >>> sorted(network_withheld_units(build_network(r), "pseudonyms", 2))
    ['A', 'B', 'C']
    >>> network_withheld_units(build_network(r), "names", 2)
    frozenset()
    """
    return PrivacyPolicy(privacy, min_group_size).withheld_set(net)


def select_people(
    net: CollaborationNetwork, mode: str, choice: str | None, communities: np.ndarray | None = None
) -> np.ndarray:
    """Return the indices of the people a person map shows.

    ``mode`` is ``"unit"`` (people of a unit), ``"community"`` (one detected community,
    ``choice`` its number as text) or ``"project"`` (the members of a project and everyone
    they share another project with).

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "bob", "B"), ("P2", "cid", "B")])
    >>> net = build_network(r)
    >>> select_people(net, "unit", "B").tolist(), select_people(net, "project", "P1").tolist()
    ([1, 2], [0, 1, 2])
    """
    if choice is None:
        return np.zeros(0, dtype=np.int64)
    if mode == "unit":
        if choice not in net.units:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(net.person_unit == net.units.index(choice))
    if mode == "community":
        if communities is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(communities == _int(choice, -1, 0))
    if mode == "project":
        if choice not in net.projects:
            return np.zeros(0, dtype=np.int64)
        members = net.incidence[:, [net.projects.index(choice)]].nonzero()[0]
        reached = net.adjacency[members].nonzero()[1] if members.size else members
        return np.unique(np.concatenate([members, reached])).astype(np.int64)
    raise ValueError(f"unknown selection mode {mode!r}")
