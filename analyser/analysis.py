"""analyse(roster) -> Analysis: every table and headline figure of one roster."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from analyser.roster import Problem

__all__ = [
    "PrivacyMode",
    "UNIT_COLUMNS",
    "PEOPLE_COLUMNS",
    "PROJECT_COLUMNS",
    "UNIT_LINK_COLUMNS",
    "SUMMARY_FIELDS",
    "Analysis",
]

PrivacyMode = Literal["names", "pseudonyms", "aggregate"]

# The JSON report is a contract (other tools read it): these names never change; new
# columns may be added after them.
SUMMARY_FIELDS = (
    "people", "projects", "units", "memberships", "ties", "cross_unit_ties", "ei_index",
    "ei_expected", "modularity", "assortativity", "communities", "community_unit_nmi",
    "components", "largest_component_share", "cross_unit_project_share",
)  # fmt: skip
UNIT_COLUMNS = (
    "unit", "people", "projects", "ties_internal", "ties_external", "ei_index", "ei_expected",
    "ei_z", "ei_p", "partner_units", "cross_unit_project_share", "bridge_concentration",
    "suppressed",
)  # fmt: skip
PEOPLE_COLUMNS = (
    "person", "unit", "projects", "collaborators", "external_collaborators", "units_reached",
    "betweenness", "participation", "constraint", "effective_size", "brokerage_coordinator",
    "brokerage_itinerant", "brokerage_gatekeeper", "brokerage_liaison", "sole_bridges",
)  # fmt: skip
PROJECT_COLUMNS = ("project", "members", "units", "blau_index", "cross_unit", "unique_links")
UNIT_LINK_COLUMNS = ("unit_a", "unit_b", "ties", "shared_projects", "weight")


@dataclass(frozen=True)
class Analysis:
    """Result of :func:`analyse`: four tables, a summary and how they were made.

    Attributes
    ----------
    units, people, projects, unit_links
        polars tables whose first columns are the contract columns above (undefined values
        are null). ``people`` is empty in ``aggregate`` privacy mode.
    summary
        Organisation-level figures keyed by :data:`SUMMARY_FIELDS` (and possibly more).
    meta
        ``version``, ``source``, ``generated``, ``options`` (level, privacy, min_group_size,
        max_project_size, seed), ``privacy`` and ``methods`` (how estimated figures were
        estimated: permutations, betweenness sampling, ...).
    problems
        The data check: warnings from reading the roster and from the analysis.
    """

    units: pl.DataFrame
    people: pl.DataFrame
    projects: pl.DataFrame
    unit_links: pl.DataFrame
    summary: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def privacy(self) -> PrivacyMode:
        return self.meta.get("privacy", "names")
