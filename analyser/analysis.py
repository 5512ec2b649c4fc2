"""analyse(roster) -> Analysis: every table and headline figure of one roster."""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

import numpy as np
import polars as pl

from analyser import __version__
from analyser.metrics import bridging, silo, structure
from analyser.metrics.brokerage import brokerage, brokerage_engine
from analyser.metrics.structural_holes import constraint, effective_size
from analyser.metrics.projects import project_table, team_project_share
from analyser.network import (
    DEFAULT_MAX_PROJECT_SIZE,
    CollaborationNetwork,
    build_network,
    unit_link_table,
    unit_ties,
)
from analyser.privacy import PrivacyPolicy
from analyser.roster import Problem, Roster
from analyser.unit_level import unit_level_summary, unit_level_tables
from analyser.unit_table import silo_test, unit_table

__all__ = [
    "PARALLEL_MAX_PAIRS",
    "person_communities",
    "PERSON_LEVEL_MAX_PAIRS",
    "MEMORY_BUDGET_BYTES",
    "estimated_peak_bytes",
    "PrivacyMode",
    "STAGES",
    "UNIT_LEVEL_STAGES",
    "UNIT_COLUMNS",
    "PEOPLE_COLUMNS",
    "PROJECT_COLUMNS",
    "UNIT_LINK_COLUMNS",
    "SUMMARY_FIELDS",
    "Analysis",
    "analyse",
]

#: A unit is called a significant silo when most of its ties stay inside (E-I below 0) and
#: that is more than its size explains: E-I below the expected value with one-sided
#: permutation p below this. (Every unit of a real organisation is "more internal than
#: random"; only the first condition makes the flag mean "works mostly alone".)
SIGNIFICANCE = 0.05

#: Least evidence for a silo verdict besides ``min_group_size`` people: members in this many
#: projects that make ties. Two people sharing one project are no evidence of a silo.
MIN_SILO_PROJECTS = 3

PrivacyMode = Literal["names", "pseudonyms", "aggregate"]

#: The stages of :func:`analyse` in order, each with the share of the work done when it
#: starts, as ``on_stage`` reports them. Measured at 10,000 and 100,000 people (2 cores):
#: the silo permutation test, Louvain and the person figures (on a second thread from the
#: start, waited for at "bridges") take most of the time, the last more as the
#: organisation grows. The shares are rough, for a progress bar, not a promise.
STAGES = {"graphs": 0.0, "ties": 0.03, "silos": 0.07, "projects": 0.5, "structure": 0.51, "communities": 0.52,
          "bridges": 0.68, "privacy": 0.97, "done": 1.0}  # fmt: skip
#: The stages of the unit-level route (very large organisations), where counting ties in blocks dominates.
UNIT_LEVEL_STAGES = {"graphs": 0.0, "silos": 0.1, "projects": 0.85, "structure": 0.9, "privacy": 0.95, "done": 1.0}

#: Memory the person-level analysis may use: a laptop with 8 GB must keep room for the
#: browser and the dashboard.
MEMORY_BUDGET_BYTES = 4 * 1024**3
#: Peak memory of the person-level analysis beyond the roster, per person pair made by
#: projects (Σ C(n_p, 2)), and a fixed part (interpreter, libraries, tables). Measured
#: here: 270–300 bytes per pair at 2M, 6.1M (one big project) and 10.7M pairs (L scale,
#: 3.3 GB); benchmarks/run.py stage ``analyse``.
BYTES_PER_PAIR = 300
BASE_BYTES = 400 * 1024**2

#: Above this many person pairs made by projects (Σ C(n_p, 2) over the projects that make
#: ties, an upper bound of the ties) the estimated peak passes :data:`MEMORY_BUDGET_BYTES`
#: and the analysis is unit-level only: person ties are counted in blocks and dropped,
#: person-level metrics are skipped (and listed as such in ``meta["skipped"]``). About
#: 12.9M: a 100k-person organisation (10.7M pairs, 3.3 GB) keeps full detail; one project of
#: 7,500 people (28M pairs, about 8 GB) does not.
PERSON_LEVEL_MAX_PAIRS = (MEMORY_BUDGET_BYTES - BASE_BYTES) // BYTES_PER_PAIR


def estimated_peak_bytes(pair_bound: int) -> int:
    """Estimated peak memory of the person-level analysis for ``pair_bound`` person pairs.

    Examples
    --------
    >>> round(estimated_peak_bytes(10_700_000) / 1024**3, 1)
    3.4
    """
    return BASE_BYTES + BYTES_PER_PAIR * int(pair_bound)

#: Largest Σ C(n_p, 2) for which the person figures run on a second thread beside the unit
#: and structure figures (above it, after them). The overlap adds the unit figures' working
#: memory to the person figures' peak: at 100,000 people / 10M ties it saves 4 s of 34 and
#: lifts the peak from 3.0 to 3.3 GB.
PARALLEL_MAX_PAIRS = 30_000_000

# The JSON report is a contract (other tools read it): these names never change; new
# columns may be added after them.
SUMMARY_FIELDS = (
    "people", "projects", "units", "memberships", "ties", "cross_unit_ties", "ei_index",
    "ei_expected", "modularity", "assortativity", "communities", "community_unit_nmi",
    "components", "largest_component_share", "cross_unit_project_share",
    # added in 0.3 (issue 9): silo verdicts, team projects, community stability
    "significant_silos", "units_judged", "team_projects", "cross_unit_team_project_share",
    "community_stability",
)  # fmt: skip
UNIT_COLUMNS = (
    "unit", "people", "projects", "ties_internal", "ties_external", "ei_index", "ei_expected",
    "ei_z", "ei_p", "partner_units", "cross_unit_project_share", "bridge_concentration",
    "suppressed",
    # added in 0.3: the permutation test's own baseline, the adjusted p and the verdict
    "ei_expected_perm", "ei_q", "verdict", "silo",
)  # fmt: skip
PEOPLE_COLUMNS = (
    "person", "unit", "projects", "collaborators", "external_collaborators", "units_reached",
    "betweenness", "participation", "constraint", "effective_size", "brokerage_coordinator",
    "brokerage_itinerant", "brokerage_gatekeeper", "brokerage_liaison", "sole_bridges",
    "cross_unit_betweenness",  # added in 0.3: the bridge ranking
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
        are null); extra columns follow them (``units``: the densities; ``people``:
        ``community``, the Louvain community numbered by size, 1 = largest). ``people`` is
        empty in ``aggregate`` privacy mode and leaves out the people of withheld units in
        ``pseudonyms`` mode.
    summary
        Organisation-level figures keyed by :data:`SUMMARY_FIELDS` (and possibly more).
    meta
        ``version``, ``source``, ``generated``, ``options`` (level, privacy, min_group_size,
        max_project_size, seed, min_silo_projects), ``privacy``, ``withheld_units`` (privacy
        modes: the small units, those withheld with them, and the rule), ``methods`` (how
        estimated figures were estimated: permutations, the silo verdict rule, betweenness
        sampling and its measured error, Louvain engine and stability runs, the route taken
        and why, ...) and ``skipped`` (``[{metric, reason}]``: figures not computed, e.g.
        person-level metrics of a very large organisation; empty when nothing was skipped).
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


def analyse(
    roster: Roster,
    *,
    level: int | None = None,
    privacy: PrivacyMode = "names",
    min_group_size: int = 5,
    max_project_size: int | None = None,
    seed: int = 0,
    n_permutations: int = 999,
    min_silo_projects: int = MIN_SILO_PROJECTS,
    salt: bytes | None = None,
    progress: Callable[[str], None] | None = None,
    person_level_max_pairs: int | None = PERSON_LEVEL_MAX_PAIRS,
    on_stage: Callable[[str, float], None] | None = None,
) -> Analysis:
    """Return every table and headline figure of ``roster``.

    Parameters
    ----------
    roster
        Validated memberships (see :func:`analyser.ingest.read_roster`).
    level
        Unit hierarchy level to analyse (1 = top); ``None`` uses units as written.
    privacy
        ``"names"`` shows people as uploaded, ``"pseudonyms"`` replaces them by stable
        salted codes, ``"aggregate"`` removes every person-level output.
    min_group_size
        Units with fewer people get no silo verdict (``too_little_data``); in the
        ``pseudonyms`` and ``aggregate`` modes they are also marked ``suppressed`` and their
        figures (and their unit links) withheld.
    max_project_size
        Projects with more members create no person ties (they stay in project tables).
    seed
        Seed of every random step (permutation test, sampled betweenness, communities).
    n_permutations
        Label permutations for the E-I significance test (reduced on very large graphs;
        the number used is in ``meta["methods"]``).
    min_silo_projects
        Units whose members are in fewer projects that make ties get no silo verdict.
    salt
        Salt of the pseudonyms; by default derived from the roster's content, so the same
        file always gives the same codes.
    progress
        Called with the name of each step as it starts (the CLI shows it).
    person_level_max_pairs
        Largest number of person pairs made by projects (Σ C(n_p, 2), see
        :data:`PERSON_LEVEL_MAX_PAIRS`) analysed at person level. Above it only unit-level
        figures are computed; the people table is empty and ``meta["skipped"]`` lists each
        skipped figure with the reason. ``None`` never switches.
    on_stage
        Called as each stage starts with its key and the share of the work done, from
        :data:`STAGES` (or :data:`UNIT_LEVEL_STAGES` after ``"graphs"`` on the unit-level
        route), and with ``("done", 1.0)`` at the end; for a progress bar. An exception
        raised by it stops the analysis.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "A"), ("P2", "bob", "A"),
    ...                       ("P2", "cid", "B")])
    >>> a = analyse(r)
    >>> a.summary["ties"], a.summary["cross_unit_ties"]
    (2, 1)
    >>> a.units.select("unit", "ties_internal", "ties_external", "ei_index").rows()
    [('A', 1, 1, 0.0), ('B', 0, 1, 1.0)]
    >>> seen = []
    >>> _ = analyse(r, on_stage=lambda key, done: seen.append(key))
    >>> seen
    ['graphs', 'ties', 'silos', 'projects', 'structure', 'communities', 'bridges', 'privacy', 'done']
    """
    policy = PrivacyPolicy.for_roster(roster, privacy, min_group_size, salt)  # refuses an unknown mode first
    step = _Stages(progress, on_stage)
    step("graphs", "building the collaboration graphs")
    net = build_network(roster, level=level, max_project_size=max_project_size)
    unit_level_only = person_level_max_pairs is not None and net.pair_bound > person_level_max_pairs
    skipped: list[dict[str, str]] = []
    if unit_level_only:
        step.shares = UNIT_LEVEL_STAGES
        step("silos", "unit silo figures (unit level only: person ties counted in blocks)")
        units, links, tie_counts, skipped = unit_level_tables(net, limit=person_level_max_pairs)
        people, betweenness, n_used = _empty_people(), None, 0
        step("projects", "project figures")
        projects = _project_table(net)
        step("structure", "organisation structure")
        summary = {
            key: _float(value) if isinstance(value, float) else value
            for key, value in unit_level_summary(net, units, projects, tie_counts).items()
        }
        summary.update(significant_silos=None, units_judged=None, community_stability=None)
        stability_runs = 0
    else:
        units, links, people, projects, summary, betweenness, n_used, stability_runs = _full_route(
            net,
            seed=seed,
            n_permutations=n_permutations,
            judge=dict(min_people=min_group_size, min_projects=min_silo_projects),
            step=step,
        )
    summary = {key: summary.get(key) for key in SUMMARY_FIELDS} | {k: v for k, v in summary.items() if k not in SUMMARY_FIELDS}

    if not unit_level_only and stability_runs == 0:
        skipped.append({
            "metric": "community_stability",
            "reason": f"more than {structure.STABILITY_MAX_TIES:,} ties: each extra Louvain run would cost "
            "about 0.5 s and 150 MB per million ties, beyond the time and memory budget",
        })  # fmt: skip
    step("privacy")
    # a withheld unit is never judged (fewer people than the minimum), so its verdict and flag
    # say only that: too little data, not a silo; its people and links are left out, and the
    # silo counts cover the units shown, so no withheld figure follows by subtraction
    hidden = policy.withheld_set(units)
    units = policy.units_table(units)
    links = policy.unit_links(links, hidden)
    summary = policy.summary(summary, units)
    people = policy.people_table(people, hidden)
    meta = {
        "version": __version__,
        "source": roster.source,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": {
            "level": level,
            "privacy": privacy,
            "min_group_size": min_group_size,
            "max_project_size": max_project_size,
            "seed": seed,
            "min_silo_projects": min_silo_projects,
        },
        "privacy": privacy,
        "withheld_units": policy.withheld_note(units),
        "levels": roster.levels,
        "methods": {
            "ei_permutations": n_used,
            "ei_p": "one-sided: chance of a unit being at least this closed if units were assigned at random",
            "ei_q": "Benjamini-Hochberg adjusted ei_p over the judged units",
            "silo_verdict": (
                "not tested (unit level only)" if unit_level_only
                else f"judged when people >= {min_group_size} and members in >= {min_silo_projects} projects "
                f"that make ties; silo when E-I < 0, E-I < ei_expected_perm and ei_q < {SIGNIFICANCE}"
            ),
            **_betweenness_methods(betweenness),
            "communities": (
                "skipped (unit level only)" if unit_level_only
                else f"Louvain ({structure.louvain_engine(net.tie_count)}, seeded: same roster and options, same labels) "
                "on Newman-weighted ties; counted when of two or more people"
            ),
            "brokerage_engine": "skipped (unit level only)" if unit_level_only else brokerage_engine(),
            "community_stability_runs": stability_runs,
            "excluded_projects": int((~net.tie_projects).sum()),
            "route": "unit level only" if unit_level_only else "full",
            "route_reason": (
                f"{net.pair_bound:,} person pairs: the person-level analysis would need about "
                f"{estimated_peak_bytes(net.pair_bound) / 1024**3:.1f} GB"
                + (f", more than the {person_level_max_pairs:,} pairs allowed" if unit_level_only else "")
            ),
            "person_pairs": net.pair_bound,
            "person_level_max_pairs": person_level_max_pairs,
        },
        "skipped": skipped,
    }
    # the data check quotes names: codes in pseudonym mode, counts only in aggregate mode
    problems = policy.data_check(roster.problems, net.people)
    step("done")
    return Analysis(units, people, projects, links, summary, meta, problems)


class _Stages:
    """Tells the CLI's ``progress`` a stage's text and ``on_stage`` its key and share of the work done."""

    def __init__(self, progress: Callable[[str], None] | None, on_stage: Callable[[str, float], None] | None):
        self.progress, self.on_stage, self.shares = progress, on_stage, STAGES

    def __call__(self, key: str, text: str | None = None) -> None:
        if self.on_stage is not None:
            self.on_stage(key, self.shares[key])
        if self.progress is not None and text is not None:
            self.progress(text)


def _full_route(
    net: CollaborationNetwork, *, seed: int, n_permutations: int, judge: dict[str, int], step: _Stages
):
    """Every table and the summary at person level; the person figures on a second thread.

    Up to :data:`PARALLEL_MAX_PAIRS`, the person bridging figures (about half the work) run
    beside the unit, project, structure and cross-unit betweenness figures: their heavy parts
    (GraphBLAS, the compiled brokerage pass, igraph) spend much of their time
    outside the GIL, so two cores finish the analysis sooner. Each part is seeded on its own,
    so the result does not depend on the interleaving.
    """
    step("ties")
    net.prepare_ties()  # built once, before two threads read the cached tie structures
    a, b, _, weight = net.upper_ties
    runs = structure.stability_runs(a.size)
    seeds = [seed + r for r in range(max(runs, 1))]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="person-figures") as pool:
        people_job = pool.submit(_people_table, net, seed=seed) if net.pair_bound <= PARALLEL_MAX_PAIRS else None
        # from 100k ties Louvain runs in a child process: started now, it overlaps the rest
        louvain_job = pool.submit(structure.louvain_partitions, net.weights, seeds=seeds, ties=(a, b, weight))
        step("silos", "unit silo figures")
        units, perm = _unit_table(net, seed=seed, n_permutations=n_permutations, **judge)
        links = _unit_link_table(net)
        step("projects", "project figures")
        projects = _project_table(net)
        step("structure", "organisation structure")
        step("communities", "communities")
        partitions = louvain_job.result()
        communities = partitions[0]
        summary = _summary(net, units, projects, communities)
        summary["community_stability"] = (
            _float(structure.community_stability(partitions, mask=_has_ties(net))) if runs else None
        )
        step("bridges", "person bridging figures")
        people, betweenness = people_job.result() if people_job else _people_table(net, seed=seed)
    # after the contract columns: the community as people see it numbered (1 = largest)
    people = people.with_columns(pl.Series("community", structure.community_ranks(communities), dtype=pl.Int64))
    return units, links, people, projects, summary, betweenness, perm.n_permutations, runs


def person_communities(net: CollaborationNetwork, *, seed: int = 0) -> np.ndarray:
    """Each person's Louvain community numbered by size (1 = largest), as :func:`analyse` finds it.

    The same engine, seed and tie list as the analysis, so a map coloured by community
    matches the ``community`` column of the people table. Pages need it in ``aggregate``
    mode too, where the analysis keeps no people table.

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> r = Roster.from_rows([("P1", "a", "X"), ("P1", "b", "X"), ("P2", "c", "Y"), ("P2", "d", "Y"), ("P2", "e", "Y")])
    >>> person_communities(build_network(r)).tolist()
    [2, 2, 1, 1, 1]
    """
    a, b, _, weight = net.upper_ties
    labels = structure.louvain_partitions(net.weights, seeds=[seed], ties=(a, b, weight))[0]
    return structure.community_ranks(labels)


def _has_ties(net: CollaborationNetwork) -> np.ndarray:
    """People with at least one tie (isolated people are a community of one in any run)."""
    return np.diff(net.adjacency.indptr) > 0


def _project_table(net: CollaborationNetwork) -> pl.DataFrame:
    return project_table(net.incidence, net.person_unit, len(net.units), projects=net.projects)


def _unit_table(net: CollaborationNetwork, *, seed: int, n_permutations: int, min_people: int, min_projects: int):
    """The units table with the permutation test and verdicts (the one builder of every route)."""
    counts = unit_ties(net)
    test = silo_test(
        net, counts, seed=seed, n_permutations=n_permutations, min_people=min_people, min_projects=min_projects,
        alpha=SIGNIFICANCE,
    )  # fmt: skip
    return unit_table(net, counts, test=test), test.permutation


def _unit_link_table(net: CollaborationNetwork) -> pl.DataFrame:
    links = unit_link_table(net)
    sole = bridging.sole_bridges(net.adjacency, net.person_unit, ties=_pattern_ties(net))
    people = pl.Series(net.people, dtype=pl.String)
    carriers = _cross_tie_carriers(net)
    pairs = sole.pairs.select(
        pl.col("unit_a").cast(pl.Int64), pl.col("unit_b").cast(pl.Int64), people.gather(sole.pairs["person"]).alias("name")
    )
    key = pairs.group_by("unit_a", "unit_b").agg(pl.col("name").sort().str.join("; ").alias("key_people"))
    code_to_name = dict(enumerate(net.units))
    extra = carriers.join(key, on=["unit_a", "unit_b"], how="left").select(
        pl.col("unit_a").replace_strict(code_to_name, return_dtype=pl.String),
        pl.col("unit_b").replace_strict(code_to_name, return_dtype=pl.String),
        "bridging_people",
        "key_people",
    )
    # hangs_on_one_person outlives the aggregate mode (which nulls key_people), so the
    # change report can still list the unit pairs at key-person risk.
    return links.join(extra, on=["unit_a", "unit_b"], how="left", maintain_order="left").with_columns(
        pl.col("bridging_people").fill_null(0), pl.col("key_people").is_not_null().alias("hangs_on_one_person")
    )


def _cross_tie_carriers(net: CollaborationNetwork) -> pl.DataFrame:
    """Distinct people at either end of the cross ties of each unit pair."""
    a, b, _, _ = net.upper_ties
    pu, k, n = net.person_unit, len(net.units), len(net.people)
    ua, ub = pu[a], pu[b]
    cross = ua != ub
    pair = np.minimum(ua, ub)[cross] * k + np.maximum(ua, ub)[cross]
    # one int64 key per (unit pair, person): a hash-unique on it counts distinct people
    keys = pl.Series(np.concatenate([pair * n + a[cross], pair * n + b[cross]])).unique().to_numpy()
    found, people = np.unique(keys // n, return_counts=True)
    return pl.DataFrame(
        {"unit_a": found // k, "unit_b": found % k, "bridging_people": people},
        schema={"unit_a": pl.Int64, "unit_b": pl.Int64, "bridging_people": pl.Int64},
    )


def _people_table(net: CollaborationNetwork, *, seed: int):
    adj, w, groups, k = net.adjacency, net.weights, net.person_unit, len(net.units)
    ties_by_project = net.tie_incidence  # W = B Λ Bᵀ: brokerage, constraint and effective size route through it
    between, cross = bridging.bridging_betweenness(ties_by_project, groups, k, seed=seed)
    ties = _pattern_ties(net)
    roles = brokerage(adj, groups, k, incidence=ties_by_project)
    table = pl.DataFrame(
        {
            "person": net.people,
            "unit": pl.Series(net.units, dtype=pl.String).gather(groups),
            "projects": np.asarray(net.incidence.sum(axis=1)).ravel().astype(np.int64),
            "collaborators": bridging.collaborators(adj).astype(np.int64),
            "external_collaborators": bridging.external_collaborators(adj, groups, ties=ties).astype(np.int64),
            "units_reached": bridging.units_reached(adj, groups, k).astype(np.int64),
            "betweenness": between.values,
            "participation": bridging.participation(adj, groups, k),
            "constraint": constraint(w, incidence=ties_by_project),
            "effective_size": effective_size(w, incidence=ties_by_project),
            "brokerage_coordinator": roles["coordinator"].astype(np.int64),
            "brokerage_itinerant": roles["itinerant"].astype(np.int64),
            "brokerage_gatekeeper": roles["gatekeeper"].astype(np.int64),
            "brokerage_liaison": roles["liaison"].astype(np.int64),
            "sole_bridges": bridging.sole_bridges(adj, groups, ties=ties).per_person.astype(np.int64),
            "cross_unit_betweenness": cross.values,
        }
    ).pipe(_nan_to_null)
    return table, between


def _summary(
    net: CollaborationNetwork, units: pl.DataFrame, projects: pl.DataFrame, communities: np.ndarray
) -> dict[str, Any]:
    adj, groups = net.adjacency, net.person_unit
    sizes = net.unit_size
    ties_once = _pattern_ties(net)
    components = structure.connected_components(net.tie_incidence)
    n_components, largest = structure.component_summary(components)
    ties = net.tie_count
    internal = int(units["ties_internal"].sum())
    tied = _has_ties(net)
    return {
        "people": len(net.people),
        "projects": len(net.projects),
        "units": len(net.units),
        "memberships": int(net.incidence.nnz),
        "ties": ties,
        "cross_unit_ties": ties - internal,
        "ei_index": _float(silo.org_ei_index(adj, groups, ties=ties_once)),
        "ei_expected": _float(silo.org_expected_ei_index(sizes)),
        "modularity": _float(structure.modularity(adj, groups, ties=ties_once)),
        "assortativity": _float(structure.unit_assortativity(adj, groups, ties=ties_once)),
        "communities": structure.count_communities(communities, min_size=2),
        "community_unit_nmi": _float(structure.normalized_mutual_information(communities[tied], groups[tied])),
        "components": n_components,
        "largest_component_share": _float(largest),
        "cross_unit_project_share": _float(projects["cross_unit"].mean()) if projects.height else None,
        "significant_silos": int((units["verdict"] == "silo").sum()),
        "units_judged": int(units["verdict"].is_in(["silo", "not_silo"]).sum()),
        **team_project_share(projects),
        "very_large_projects": int((net.project_size > DEFAULT_MAX_PROJECT_SIZE).sum()),
    }


def _pattern_ties(net: CollaborationNetwork) -> tuple[np.ndarray, np.ndarray, None]:
    """The network's tie list for the 0/1 metrics (values None: every tie counts 1)."""
    a, b, _, _ = net.upper_ties
    return a, b, None


def _betweenness_methods(result: bridging.BetweennessResult | None) -> dict[str, Any]:
    """How betweenness was obtained, for the methods appendix (switch size, sample, error)."""
    if result is None:
        return {"betweenness": "skipped (unit level only)"}
    out: dict[str, Any] = {
        "betweenness": result.method,
        "betweenness_sources": result.sources,
        "betweenness_seed": result.seed,
        "betweenness_exact_max_people": bridging.EXACT_MAX_PEOPLE,
        "betweenness_engine": bridging.betweenness_engine(),
    }
    if result.method == "sampled":
        out["betweenness_sampling"] = bridging.SAMPLING_NOTE
        out["betweenness_accuracy"] = bridging.SAMPLED_ACCURACY
    return out


_PEOPLE_SCHEMA = {
    "person": pl.String, "unit": pl.String, "projects": pl.Int64, "collaborators": pl.Int64,
    "external_collaborators": pl.Int64, "units_reached": pl.Int64, "betweenness": pl.Float64,
    "participation": pl.Float64, "constraint": pl.Float64, "effective_size": pl.Float64,
    "brokerage_coordinator": pl.Int64, "brokerage_itinerant": pl.Int64, "brokerage_gatekeeper": pl.Int64,
    "brokerage_liaison": pl.Int64, "sole_bridges": pl.Int64, "cross_unit_betweenness": pl.Float64,
    "community": pl.Int64,
}  # fmt: skip


def _empty_people() -> pl.DataFrame:
    return pl.DataFrame(schema=_PEOPLE_SCHEMA)


def _float(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _nan_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None))
