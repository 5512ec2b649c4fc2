"""What-if planning: how planned projects would change silo and key-person figures (stored data untouched)."""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyser.metrics import bridging, silo, structure
from analyser.network import CollaborationNetwork, build_network, unit_link_table
from analyser.privacy import PRIVACY_MODES, pseudonym
from analyser.roster import UNIT_SEPARATOR, Problem, Roster, RosterError, unit_at_level

__all__ = [
    "PLACEHOLDER_PREFIX",
    "PLANNED_ROLE",
    "FIGURES",
    "Plan",
    "read_plan",
    "apply_plan",
    "network_figures",
    "network_figures_of",
    "whatif",
    "whatif_json",
]

#: Placeholder people for "n members from unit U" are named ``planned: U #1``, ``#2``, ...
PLACEHOLDER_PREFIX = "planned: "
#: Role of every membership added by a plan.
PLANNED_ROLE = "planned"
#: Organisation figures of :func:`network_figures`, before/after/change in :func:`whatif`.
FIGURES = ("ei_index", "modularity", "unit_pairs", "unit_pairs_covered", "unit_pair_coverage", "key_person_pairs")

_HEADER_WORDS = {
    "project": ("project", "projekt", "name", "namn på projekt"),
    "person": ("person", "namn", "name of person", "medarbetare"),
    "unit": ("unit", "enhet", "avdelning"),
    "count": ("count", "antal", "people", "n"),
}


@dataclass(frozen=True)
class Plan:
    """A planned project: named members and/or a number of members per unit.

    Attributes
    ----------
    name
        Project name (a new one, or an existing project that gains members).
    people
        Person ids as written in the roster; each keeps their roster unit.
    units
        Unit -> number of (not yet named) members; the unit may be a roster unit or an
        upper level of one (``Socialförvaltningen`` for ``Socialförvaltningen/Hemtjänst``).
    source
        Plan file name, for messages.
    where
        ``("person", id)`` or ``("unit", name)`` -> ``(line, column)`` in the plan file, so
        a message about an unknown person or unit can point at it.

    Examples
    --------
    >>> Plan("Trygg hemgång 2", people=("ann",), units={"B": 2}).members
    3
    """

    name: str
    people: tuple[str, ...] = ()
    units: Mapping[str, int] = field(default_factory=dict)
    source: str = field(default="<plan>", compare=False)
    where: Mapping[tuple[str, str], tuple[int | None, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def members(self) -> int:
        """Named people plus counted places."""
        return len(self.people) + sum(self.units.values())


# -- reading plan files --------------------------------------------------------------------


def _canonical_header(name: str) -> str | None:
    key = name.strip().lower().lstrip("\ufeff")
    return next((canon for canon, words in _HEADER_WORDS.items() if key in words), None)


def _count(text: str, source: str, line: int, column: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise RosterError(Problem(source, line, column, f"{text!r} is not a whole number of people", "error")) from None
    if value < 1:
        raise RosterError(Problem(source, line, column, f"the count must be 1 or more, got {value}", "error"))
    return value


def _read_plan_csv(text: str, source: str) -> list[Plan]:
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise RosterError(Problem(source, None, None, "the plan file is empty", "error"))
    header = [_canonical_header(h) for h in rows[0]]
    col = {name: header.index(name) for name in _HEADER_WORDS if name in header}
    if "project" not in col or not ("person" in col or {"unit", "count"} <= set(col)):
        raise RosterError(Problem(source, 1, None, f"the header must be project,person or project,unit,count; found {','.join(rows[0])}", "error"))
    people: dict[str, list[str]] = {}
    units: dict[str, dict[str, int]] = {}
    where: dict[str, dict[tuple[str, str], tuple[int | None, str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        if not any(cell.values()):
            continue
        project = cell["project"]
        if not project:
            raise RosterError(Problem(source, line, "project", "the project name is empty", "error"))
        people.setdefault(project, [])
        units.setdefault(project, {})
        places = where.setdefault(project, {})
        person, unit, count = cell.get("person", ""), cell.get("unit", ""), cell.get("count", "")
        if person and count:
            raise RosterError(Problem(source, line, "count", "give either a person or a unit with a count on a row, not both", "error"))
        if person:
            if person not in people[project]:
                people[project].append(person)
            places.setdefault(("person", person), (line, "person"))
        elif unit:
            if not count:
                raise RosterError(Problem(source, line, "count", f"how many people from {unit!r}? the count is empty", "error"))
            units[project][unit] = units[project].get(unit, 0) + _count(count, source, line, "count")
            places.setdefault(("unit", unit), (line, "unit"))
        else:
            raise RosterError(Problem(source, line, None, "the row names neither a person nor a unit", "error"))
    return [Plan(p, tuple(people[p]), units[p], source, where[p]) for p in people]


def _read_plan_json(text: str, source: str) -> list[Plan]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RosterError(Problem(source, exc.lineno, None, f"not valid JSON: {exc.msg}", "error")) from None
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise RosterError(Problem(source, None, "projects", 'expected {"projects": [{"name": ..., "people": [...], "units": {...}}]}', "error"))
    plans, seen = [], set()
    for i, item in enumerate(projects):
        at = f"projects[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise RosterError(Problem(source, None, f"{at}.name", "each project needs a non-empty name", "error"))
        name = item["name"].strip()
        if name in seen:
            raise RosterError(Problem(source, None, f"{at}.name", f"project {name!r} is planned twice", "error"))
        seen.add(name)
        people, units = item.get("people", []), item.get("units", {})
        if not isinstance(people, list) or not all(isinstance(p, str) and p.strip() for p in people):
            raise RosterError(Problem(source, None, f"{at}.people", "people must be a list of person ids", "error"))
        if not isinstance(units, dict):
            raise RosterError(Problem(source, None, f"{at}.units", 'units must map unit to count, e.g. {"Unit A": 2}', "error"))
        counts = {}
        for unit, count in units.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise RosterError(Problem(source, None, f"{at}.units", f"the count for {unit!r} must be a whole number of 1 or more, got {count!r}", "error"))
            counts[unit.strip()] = count
        where = {("person", p.strip()): (None, f"{at}.people[{j}]") for j, p in enumerate(people)}
        where.update({("unit", u.strip()): (None, f"{at}.units") for u in units})
        plans.append(Plan(name, tuple(dict.fromkeys(p.strip() for p in people)), counts, source, where))
    return plans


def read_plan(path: str | Path) -> list[Plan]:
    """Read planned projects from a CSV or JSON file.

    CSV (``,`` ``;`` or tab; UTF-8): a header with ``project`` and ``person`` (one row per
    named member) and/or ``unit`` and ``count`` (one row per "n members from this unit");
    rows of one project may be mixed and need not be adjacent. JSON::

        {"projects": [{"name": "New project", "people": ["ann"], "units": {"Unit A": 2}}]}

    Parameters
    ----------
    path
        The plan file; ``.json`` is read as JSON, anything else as CSV.

    Returns
    -------
    list of Plan
        In the order the projects first appear. People and units are checked against the
        roster later, by :func:`apply_plan`.

    Raises
    ------
    RosterError
        With ``FILE:LINE: column: message`` problems for an unreadable file, a wrong header,
        an empty project, a row with neither person nor unit, or a count that is not a
        whole number of 1 or more.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "plan.csv"
    ...     _ = f.write_text("project,unit,count\\nNew,A,2\\nNew,B,1\\n", encoding="utf-8")
    ...     read_plan(f)[0].units
    {'A': 2, 'B': 1}
    """
    path = Path(path)
    source = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(Problem(str(path), None, None, "file not found", "error")) from None
    except UnicodeDecodeError:
        raise RosterError(Problem(source, None, None, "the plan file is not UTF-8 text", "error")) from None
    plans = _read_plan_json(text, source) if path.suffix.lower() == ".json" else _read_plan_csv(text, source)
    if not plans:
        raise RosterError(Problem(source, None, None, "the plan file lists no projects", "error"))
    return plans


# -- applying plans --------------------------------------------------------------------------


def _known_units(roster: Roster) -> set[str]:
    """Every roster unit and every upper level of one."""
    known = set()
    for unit in roster.memberships["unit"].unique().to_list():
        parts = unit.split(UNIT_SEPARATOR)
        known.update(UNIT_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts)))
    return known


def _unknown(plan: Plan, kind: str, name: str, candidates: Sequence[str], roster: Roster) -> Problem:
    line, column = plan.where.get((kind, name), (None, kind))
    close = difflib.get_close_matches(name, candidates, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Problem(plan.source, line, column, f"{kind} {name!r} is not in the roster {roster.source}{hint}", "error")


def apply_plan(roster: Roster, plans: Sequence[Plan]) -> Roster:
    """Return ``roster`` with the planned memberships added (``roster`` itself is unchanged).

    Named people join with their roster unit. A count of n members from unit U adds n
    placeholder people ``planned: U #1`` … ``planned: U #n``; numbering continues across
    plans, so two plans never share a placeholder (each stands for a different person).
    Added rows have role ``planned`` and no dates. A plan named like an existing project
    adds its members to that project.

    Raises
    ------
    RosterError
        Naming the plan file, line and column of each unknown person or unit (with the
        closest roster spelling when there is one).

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A/x"), ("P2", "bob", "B/y")])
    >>> after = apply_plan(r, [Plan("New", people=("ann",), units={"B": 2})])
    >>> after.memberships.filter(project="New").select("person", "unit", "role").rows()
    [('ann', 'A/x', 'planned'), ('planned: B #1', 'B', 'planned'), ('planned: B #2', 'B', 'planned')]
    """
    m = roster.memberships
    unit_of = dict(m.select("person", "unit").unique(subset="person", keep="first").iter_rows())
    known = _known_units(roster)
    problems = [
        _unknown(plan, "person", p, list(unit_of), roster) for plan in plans for p in plan.people if p not in unit_of
    ] + [_unknown(plan, "unit", u, sorted(known), roster) for plan in plans for u in plan.units if u not in known]
    if problems:
        raise RosterError(problems)
    rows, numbered = [], {}
    for plan in plans:
        rows += [(plan.name, person, unit_of[person]) for person in plan.people]
        for unit, count in plan.units.items():
            first = numbered.get(unit, 0)
            rows += [(plan.name, f"{PLACEHOLDER_PREFIX}{unit} #{first + i}", unit) for i in range(1, count + 1)]
            numbered[unit] = first + count
    added = pl.DataFrame(rows, schema={"project": pl.String, "person": pl.String, "unit": pl.String}, orient="row")
    added = added.with_columns(pl.lit(PLANNED_ROLE).alias("role"))
    frame = pl.concat([m, Roster.from_frame(added).memberships.with_columns(pl.lit(None, pl.Int64).alias("line"))])
    return Roster(frame.unique(subset=["project", "person"], keep="first", maintain_order=True), roster.source, roster.problems)


# -- figures -------------------------------------------------------------------------------


def network_figures(
    roster: Roster, *, level: int | None = None, max_project_size: int | None = None
) -> tuple[pl.DataFrame, dict[str, Any], dict[str, set[tuple[str, str]]]]:
    """Return the planning figures of ``roster``: per-unit table, organisation figures, pairs.

    - per unit: ``unit``, ``people``, ``ties_internal``, ``ties_external``, ``ei_index``
      (null without ties), computed as in the report;
    - ``ei_index`` and ``modularity`` of the organisation (as in the report's summary);
    - ``unit_pairs`` = K(K−1)/2 for K units, ``unit_pairs_covered`` = pairs with at least
      one tie, ``unit_pair_coverage`` = covered / all (``None`` with fewer than 2 units);
    - ``key_person_pairs``: unit pairs whose every tie runs through one person
      (:func:`analyser.metrics.bridging.sole_bridges`), the key-person risk.

    The third value holds the sets ``covered`` and ``key_person`` of ``(unit_a, unit_b)``.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "cid", "C")])
    >>> units, figures, pairs = network_figures(r)
    >>> figures["unit_pairs"], figures["unit_pairs_covered"], figures["key_person_pairs"]
    (3, 1, 1)
    >>> round(figures["unit_pair_coverage"], 3), sorted(pairs["key_person"])
    (0.333, [('A', 'B')])
    """
    return network_figures_of(build_network(roster, level=level, max_project_size=max_project_size))


def network_figures_of(
    net: CollaborationNetwork,
) -> tuple[pl.DataFrame, dict[str, Any], dict[str, set[tuple[str, str]]]]:
    """:func:`network_figures` of an already built network (e.g. the dashboard's cached one).

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")])
    >>> network_figures_of(build_network(r))[1]["unit_pairs_covered"]
    1
    """
    adj, groups, k = net.adjacency, net.person_unit, len(net.units)
    a, b, _, _ = net.upper_ties
    ties = (a, b, None)  # the tie list once, shared by every figure below
    internal, external = silo.unit_tie_counts(adj, groups, k, ties=ties)
    units = pl.DataFrame({
        "unit": pl.Series(net.units, dtype=pl.String),
        "people": net.unit_size.astype(np.int64),
        "ties_internal": internal.astype(np.int64),
        "ties_external": external.astype(np.int64),
        "ei_index": silo.ei_index(internal, external),
    }).with_columns(pl.col("ei_index").fill_nan(None))  # fmt: skip
    links = unit_link_table(net)
    covered = {(a, b) for a, b in links.filter(pl.col("ties") > 0).select("unit_a", "unit_b").iter_rows()}
    sole = bridging.sole_bridges(adj, groups, ties=ties).pairs
    key = {(net.units[i], net.units[j]) for i, j in sole.select("unit_a", "unit_b").unique().iter_rows()}
    n_pairs = k * (k - 1) // 2
    org_ei, q = silo.org_ei_index(adj, groups, ties=ties), structure.modularity(adj, groups, ties=ties)
    figures = {
        "ei_index": None if np.isnan(org_ei) else org_ei,
        "modularity": None if np.isnan(q) else q,
        "unit_pairs": n_pairs,
        "unit_pairs_covered": len(covered),
        "unit_pair_coverage": len(covered) / n_pairs if n_pairs else None,
        "key_person_pairs": len(key),
    }
    return units, figures, {"covered": covered, "key_person": key}


def _difference(after: Any, before: Any) -> Any:
    return None if after is None or before is None else after - before


def _check_plan_units(plans: Sequence[Plan], roster: Roster, level: int | None) -> None:
    """A counted unit must be a whole unit at the analysed level, else it would form a new one."""
    units_at_level = set(roster.memberships.select(unit_at_level(pl.col("unit"), level))["unit"].to_list())
    problems = []
    for plan in plans:
        for unit in plan.units:
            cut = unit if level is None else UNIT_SEPARATOR.join(unit.split(UNIT_SEPARATOR)[:level])
            if cut not in units_at_level:
                line, column = plan.where.get(("unit", unit), (None, "unit"))
                depth = unit.count(UNIT_SEPARATOR) + 1
                problems.append(Problem(plan.source, line, column,
                                        f"{unit!r} is an upper-level unit; analyse at level {depth} or name one of its units", "error"))  # fmt: skip
    if problems:
        raise RosterError(problems)


def whatif(
    roster: Roster,
    plans: Sequence[Plan],
    *,
    level: int | None = None,
    privacy: str = "names",
    min_group_size: int = 5,
    max_project_size: int | None = None,
    salt: bytes | None = None,
    before: tuple[pl.DataFrame, dict[str, Any], dict[str, set[tuple[str, str]]]] | None = None,
) -> dict[str, Any]:
    """Return the figures before and after adding the planned projects, and their change.

    Works on a copy (:func:`apply_plan`); the roster and any stored data are untouched.
    Cheap: one graph build and no random step per side (no permutation test).

    Parameters
    ----------
    roster
        The current memberships.
    plans
        Planned projects (:func:`read_plan` or built in code).
    level, max_project_size
        As in :func:`analyser.analysis.analyse`.
    privacy, min_group_size
        In ``pseudonyms`` and ``aggregate`` mode, units with fewer than ``min_group_size``
        (real) people get null E-I and are left out of the pair lists; named planned
        people are shown as codes (``pseudonyms``) or not at all (``aggregate``).
    salt
        Pseudonym salt; by default the one the report uses for this roster.
    before
        :func:`network_figures` of ``roster`` at the same ``level`` and
        ``max_project_size``, when already known (the dashboard keeps them per dataset,
        so each plan costs one graph build instead of two).

    Returns
    -------
    dict
        ``plans`` (name, members, units, people), ``before``/``after``/``change`` keyed by
        :data:`FIGURES`, ``units`` (polars table: ``unit``, ``people_before``,
        ``people_after``, ``ei_before``, ``ei_after``, ``change``), ``unit_pairs_covered_new``,
        ``key_person_pairs_new`` and ``key_person_pairs_removed`` (sorted ``[unit_a, unit_b]``
        lists), ``notes`` and ``options``. :func:`whatif_json` makes it JSON-ready.

    Examples
    --------
    A plan putting one person of A and one of C together covers the pair A-C:

    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "cid", "C")])
    >>> result = whatif(r, [Plan("New", people=("ann", "cid"))])
    >>> result["before"]["unit_pairs_covered"], result["after"]["unit_pairs_covered"]
    (1, 2)
    >>> result["unit_pairs_covered_new"]
    [['A', 'C']]
    """
    from analyser.analysis import _content_salt

    if privacy not in PRIVACY_MODES:
        raise ValueError(f"privacy must be one of {', '.join(PRIVACY_MODES)}, got {privacy!r}")
    if not plans:
        raise ValueError("no planned project given")
    after_roster = apply_plan(roster, plans)
    _check_plan_units(plans, roster, level)
    if before is None:
        before = network_figures(roster, level=level, max_project_size=max_project_size)
    units_before, before, pairs_before = before
    units_after, after, pairs_after = network_figures(after_roster, level=level, max_project_size=max_project_size)
    small = set()
    if privacy != "names":
        small = set(units_before.filter(pl.col("people") < min_group_size)["unit"].to_list())
    units = (
        units_before.select("unit", pl.col("people").alias("people_before"), pl.col("ei_index").alias("ei_before"))
        .join(units_after.select("unit", pl.col("people").alias("people_after"), pl.col("ei_index").alias("ei_after")),
              on="unit", how="full", coalesce=True)
        .with_columns(pl.col("people_before").fill_null(0))
        .with_columns((pl.col("ei_after") - pl.col("ei_before")).alias("change"))
        .with_columns(pl.when(pl.col("unit").is_in(list(small))).then(None).otherwise(pl.col(c)).alias(c)
                      for c in ("ei_before", "ei_after", "change"))
        .select("unit", "people_before", "people_after", "ei_before", "ei_after", "change")
        .sort("unit")
    )  # fmt: skip

    def shown(pairs: set[tuple[str, str]]) -> list[list[str]]:
        return [list(p) for p in sorted(pairs) if not (set(p) & small)]

    salt = salt if salt is not None else _content_salt(roster)
    described = []
    for plan in plans:
        entry: dict[str, Any] = {"name": plan.name, "members": plan.members, "units": dict(plan.units)}
        if privacy == "names":
            entry["people"] = list(plan.people)
        elif privacy == "pseudonyms":
            entry["people"] = sorted(pseudonym(p, salt) for p in plan.people)
        described.append(entry)
    notes = [
        f"counted members are placeholder people named '{PLACEHOLDER_PREFIX}UNIT #n', one per place",
        "figures come from person ties (shared projects), as in the report; no permutation test is run",
    ]
    if small:
        notes.append(f"{len(small)} unit(s) with fewer than {min_group_size} people: figures withheld")
    existing = set(roster.memberships["project"].unique().to_list())
    notes += [f"{plan.name!r} is an existing project: the plan adds members to it" for plan in plans if plan.name in existing]
    return {
        "plans": described,
        "before": before,
        "after": after,
        "change": {key: _difference(after[key], before[key]) for key in FIGURES},
        "units": units,
        "unit_pairs_covered_new": shown(pairs_after["covered"] - pairs_before["covered"]),
        "key_person_pairs_new": shown(pairs_after["key_person"] - pairs_before["key_person"]),
        "key_person_pairs_removed": shown(pairs_before["key_person"] - pairs_after["key_person"]),
        "notes": notes,
        "options": {"level": level, "privacy": privacy, "min_group_size": min_group_size, "max_project_size": max_project_size},
    }


def whatif_json(result: Mapping[str, Any]) -> dict[str, Any]:
    """Return a :func:`whatif` result as plain JSON data (tables as row objects, NaN as null).

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P2", "bob", "B")])
    >>> whatif_json(whatif(r, [Plan("New", people=("ann", "bob"))]))["units"][0]
    {'unit': 'A', 'people_before': 1, 'people_after': 1, 'ei_before': None, 'ei_after': 1.0, 'change': None}
    """
    from analyser.report.json_report import json_value, table_records

    return {key: table_records(value) if isinstance(value, pl.DataFrame) else json_value(value) for key, value in result.items()}
