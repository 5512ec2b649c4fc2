"""A hand-built Analysis for the report tests: contract columns, nulls, hostile names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import polars as pl
import pytest

from analyser.analysis import (
    PEOPLE_COLUMNS,
    PROJECT_COLUMNS,
    SUMMARY_FIELDS,
    UNIT_COLUMNS,
    UNIT_LINK_COLUMNS,
    Analysis,
)
from analyser.roster import Problem

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","y")'
SWEDISH = "Åsa Öberg"
NAN = float("nan")

# fmt: off
# Two significant silos (p at the floor of 999 permutations for the first), three other judged
# units, and three with too little data for a verdict: "Archive" is the trap, two people who only
# work together (E-I -1, small p) but no evidence of a silo.
UNITS = pl.DataFrame(
    [
        ("Social/Elder care", 14, 6, 40, 8, -0.667, -0.20, -4.1, 0.001, 2, 0.33, 0.50, False, -0.18, 0.005, "silo", True),
        ("IT", 12, 9, 30, 20, -0.20, 0.10, -2.3, 0.02, 4, 0.78, 0.35, False, 0.11, 0.04, "silo", True),
        ("Culture", 9, 5, 12, 14, 0.077, 0.30, -1.2, 0.23, 4, 0.80, 0.36, False, 0.31, 0.383, "not_silo", False),
        (XSS, 6, 4, 5, 15, 0.50, 0.55, -0.3, 0.61, 3, 0.75, 0.40, False, 0.56, 0.61, "not_silo", False),
        (FORMULA, 7, 3, 6, 12, 0.333, 0.50, -0.9, 0.35, 2, 0.67, 0.58, False, 0.49, 0.4375, "not_silo", False),
        ("Archive", 2, 1, 1, 0, -1.0, 0.95, -2.8, 0.004, 0, 0.0, None, False, 0.96, None, "too_little_data", False),
        ("Schools", 3, 1, 0, 0, None, 0.90, None, None, 0, 0.0, None, False, 0.91, None, "too_little_data", False),
        ("Legal", 2, None, None, None, None, None, None, None, None, None, None, True, None, None, "too_little_data", False),
    ],
    schema={
        "unit": pl.String, "people": pl.Int64, "projects": pl.Int64, "ties_internal": pl.Int64,
        "ties_external": pl.Int64, "ei_index": pl.Float64, "ei_expected": pl.Float64,
        "ei_z": pl.Float64, "ei_p": pl.Float64, "partner_units": pl.Int64,
        "cross_unit_project_share": pl.Float64, "bridge_concentration": pl.Float64,
        "suppressed": pl.Boolean, "ei_expected_perm": pl.Float64, "ei_q": pl.Float64,
        "verdict": pl.String, "silo": pl.Boolean,
    },
    orient="row",
)

# Cross-unit betweenness ranks otherwise than betweenness: the formula person lies on many paths
# (betweenness 0.12) but on none between units (0.0), so is no bridge.
PEOPLE = pl.DataFrame(
    [
        (SWEDISH, "IT", 4, 9, 5, 3, 0.31, 0.62, 0.28, 6.1, 2, 1, 3, 4, 2, 0.18),
        (XSS, XSS, 3, 7, 6, 3, 0.22, 0.55, 0.33, 5.2, 0, 1, 2, 1, 1, 0.26),
        (FORMULA, FORMULA, 2, 5, 3, 2, 0.12, 0.48, 0.41, 3.9, 1, 0, 1, 0, 0, 0.0),
        ("+46 70 123 45 67", "Culture", 2, 4, 1, 2, 0.05, 0.38, 0.52, 2.5, 1, 0, 0, 0, 0, 0.07),
        ("Bo Ek", "Social/Elder care", 5, 8, 1, 2, 0.04, 0.22, 0.45, 3.0, 3, 0, 1, 0, 0, 0.02),
        ("Cia Lund", "Social/Elder care", 1, 0, 0, 0, 0.0, None, NAN, None, 0, 0, 0, 0, 0, None),
    ],
    schema={
        "person": pl.String, "unit": pl.String, "projects": pl.Int64, "collaborators": pl.Int64,
        "external_collaborators": pl.Int64, "units_reached": pl.Int64, "betweenness": pl.Float64,
        "participation": pl.Float64, "constraint": pl.Float64, "effective_size": pl.Float64,
        "brokerage_coordinator": pl.Int64, "brokerage_itinerant": pl.Int64,
        "brokerage_gatekeeper": pl.Int64, "brokerage_liaison": pl.Int64, "sole_bridges": pl.Int64,
        "cross_unit_betweenness": pl.Float64,
    },
    orient="row",
)

PROJECTS = pl.DataFrame(
    [
        ("Digital care", 8, 3, 0.59, True, 1),
        (SCRIPT_BREAK, 5, 2, 0.48, True, 0),
        (FORMULA, 4, 2, 0.50, True, 1),
        ("-Budget 2027", 6, 1, 0.0, False, 0),
        ("Solo study", 1, 1, 0.0, False, 0),
        ("Library app", 3, 2, 0.44, True, 0),
    ],
    schema={
        "project": pl.String, "members": pl.Int64, "units": pl.Int64, "blau_index": pl.Float64,
        "cross_unit": pl.Boolean, "unique_links": pl.Int64,
    },
    orient="row",
)

UNIT_LINKS = pl.DataFrame(
    [
        ("IT", "Social/Elder care", 6, 2, 1.5),
        ("Culture", "IT", 9, 3, 2.25),
        ("Culture", XSS, 7, 2, 1.75),
        ("IT", FORMULA, 4, 1, 1.0),
        ("Legal", "IT", None, None, None),
    ],
    schema={"unit_a": pl.String, "unit_b": pl.String, "ties": pl.Int64,
            "shared_projects": pl.Int64, "weight": pl.Float64},
    orient="row",
)

SUMMARY = {
    "people": 53, "projects": 6, "units": 8, "memberships": 81, "ties": 162,
    "cross_unit_ties": 69, "ei_index": -0.148, "ei_expected": 0.52, "modularity": 0.41,
    "assortativity": NAN, "communities": 5, "community_unit_nmi": 0.71, "components": 2,
    "largest_component_share": 0.94, "cross_unit_project_share": 0.667,
    "significant_silos": 2, "units_judged": 5, "team_projects": 5, "cross_unit_team_project_share": 0.8,
    "community_stability": 0.91,
}

PROBLEMS = (
    Problem("roster.csv", 7, "unit", "missing unit; row rejected", "error"),
    Problem("roster.csv", 12, "person", f"person {XSS} listed in two units; kept IT"),
    Problem("roster.csv", None, None, "3 exact duplicate rows dropped"),
    Problem("roster.csv", 15, "project", f"project name {SCRIPT_BREAK} looks odd"),
)

META = {
    "version": "0.1.0",
    "source": "roster.csv",
    "generated": "2026-11-27T10:00:00+00:00",
    "options": {"level": None, "privacy": "names", "min_group_size": 5,
                "max_project_size": None, "seed": 42, "min_silo_projects": 3},
    "privacy": "names",
    "methods": {"ei_permutations": 999, "betweenness": "exact",
                "betweenness_sources": None, "betweenness_seed": 42, "community_stability_runs": 5},
}
# fmt: on


def build_analysis(privacy: str = "names", **changes: object) -> Analysis:
    """The fixture analysis in ``privacy`` mode, with any field replaced by ``changes``."""
    assert tuple(UNITS.columns) == UNIT_COLUMNS
    assert tuple(PEOPLE.columns) == PEOPLE_COLUMNS
    assert tuple(PROJECTS.columns) == PROJECT_COLUMNS
    assert tuple(UNIT_LINKS.columns) == UNIT_LINK_COLUMNS
    assert tuple(SUMMARY) == SUMMARY_FIELDS
    meta = {**META, "privacy": privacy, "options": {**META["options"], "privacy": privacy}}
    analysis = Analysis(
        units=UNITS, people=PEOPLE, projects=PROJECTS, unit_links=UNIT_LINKS,
        summary=dict(SUMMARY), meta=meta, problems=PROBLEMS,
    )  # fmt: skip
    return dataclasses.replace(analysis, **changes)


def empty_analysis() -> Analysis:
    """An analysis of nothing: empty tables with no columns and no summary figures."""
    empty = pl.DataFrame()
    return Analysis(units=empty, people=empty, projects=empty, unit_links=empty, summary={})


@pytest.fixture(scope="session")
def make_analysis() -> Callable[..., Analysis]:
    """Factory: ``make_analysis(privacy="names", **field_changes)``."""
    return build_analysis


@pytest.fixture
def analysis() -> Analysis:
    """The fixture analysis in names mode."""
    return build_analysis()
