"""What-if planning: how planned projects would change silo and key-person figures (stored data untouched)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.i18n import integer, t
from analyser.ingest.plan import Plan
from analyser.metrics import bridging, silo, structure
from analyser.network import CollaborationNetwork, build_network, unit_ties
from analyser.privacy import PrivacyPolicy
from analyser.roster import UNIT_SEPARATOR, InputError, Problem, Roster, unit_at_level
from analyser.unit_table import unit_table

__all__ = [
    "PLACEHOLDER_PREFIX",
    "PLANNED_ROLE",
    "FIGURES",
    "NOTE_PLACEHOLDERS",
    "NOTE_METHOD",
    "NOTE_WITHHELD",
    "NOTE_WITHHELD_COMPLEMENTARY",
    "NOTE_EXISTING",
    "Plan",
    "Note",
    "PlannedProject",
    "WhatIfResult",
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
#: Catalogue keys of the notes :func:`whatif` attaches (``NOTE_WITHHELD`` + ``_one``/``_other``).
NOTE_PLACEHOLDERS = "whatif_note_placeholders"
NOTE_METHOD = "whatif_note_method"
NOTE_WITHHELD = "whatif_note_withheld"
#: Units withheld with the small ones so their figures cannot be had by subtraction (+ ``_one``/``_other``).
NOTE_WITHHELD_COMPLEMENTARY = "whatif_note_withheld_complementary"
NOTE_EXISTING = "whatif_note_existing"


@dataclass(frozen=True)
class Note:
    """A remark about a what-if result, as a catalogue key and the values it is filled with.

    The caller writes it in the reader's language (:meth:`text`); code that needs to know
    which remark it is compares :attr:`key`, never the words.

    Examples
    --------
    >>> note = Note("whatif_note_withheld_other", {"n": 2, "k": 5})
    >>> note.text("en")
    '2 units with fewer than 5 people have their figures withheld.'
    >>> note.text("sv")
    '2 enheter med färre än 5 personer visas utan siffror.'
    """

    key: str
    values: Mapping[str, str | int] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The note in ``lang``, counts written in the language's style."""
        shown = {k: integer(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in self.values.items()}
        return t(self.key, lang, **shown)


@dataclass(frozen=True)
class PlannedProject:
    """A planned project as a what-if result describes it (people as the privacy mode allows).

    ``people`` is the named members (codes with pseudonyms) and ``None`` in aggregate mode,
    where nobody is named.
    """

    name: str
    members: int
    units: Mapping[str, int]
    people: tuple[str, ...] | None = None

    def as_json(self) -> dict[str, Any]:
        """``{name, members, units[, people]}``: no ``people`` key in aggregate mode."""
        out: dict[str, Any] = {"name": self.name, "members": self.members, "units": dict(self.units)}
        if self.people is not None:
            out["people"] = list(self.people)
        return out


@dataclass(frozen=True)
class WhatIfResult:
    """Result of :func:`whatif`: the figures before and after the plans, and what changed.

    Attributes
    ----------
    plans
        The planned projects, in the order given.
    before, after, change
        Organisation figures keyed by :data:`FIGURES` (``change`` = after − before; ``None``
        where either side is undefined).
    units
        One row per unit: ``unit``, ``people_before``, ``people_after``, ``ei_before``,
        ``ei_after``, ``change`` (E-I of the withheld units null outside ``names`` mode).
    unit_pairs_covered_new, key_person_pairs_new, key_person_pairs_removed
        Sorted ``(unit_a, unit_b)`` pairs that start working together, that come to hang on
        one person, and that no longer do.
    notes
        Remarks the reader needs (:class:`Note`), written by the caller in its language.
    options
        ``level``, ``privacy``, ``min_group_size``, ``max_project_size``.
    """

    plans: tuple[PlannedProject, ...]
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    change: Mapping[str, Any]
    units: pl.DataFrame = field(compare=False)
    unit_pairs_covered_new: tuple[tuple[str, str], ...] = ()
    key_person_pairs_new: tuple[tuple[str, str], ...] = ()
    key_person_pairs_removed: tuple[tuple[str, str], ...] = ()
    notes: tuple[Note, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    def has_note(self, key: str) -> bool:
        """Whether a note with catalogue key ``key`` (or ``key_one``/``key_other``) is attached."""
        return any(n.key in (key, f"{key}_one", f"{key}_other") for n in self.notes)

    def as_json(self) -> dict[str, Any]:
        """The JSON contract of ``analyser whatif`` (keys never renamed): tables as row
        objects, pairs as ``[unit_a, unit_b]`` lists, notes as English sentences, NaN as null."""
        from analyser.report.json_report import json_value, table_records

        data = {
            "plans": [p.as_json() for p in self.plans],
            "before": dict(self.before),
            "after": dict(self.after),
            "change": dict(self.change),
            "units": table_records(self.units),
            "unit_pairs_covered_new": self.unit_pairs_covered_new,
            "key_person_pairs_new": self.key_person_pairs_new,
            "key_person_pairs_removed": self.key_person_pairs_removed,
            "notes": [n.text("en") for n in self.notes],
            "options": dict(self.options),
        }
        return {key: value if key == "units" else json_value(value) for key, value in data.items()}


# -- reading plan files --------------------------------------------------------------------


def read_plan(path: str | Path) -> list[Plan]:
    """Read planned projects from a plan file: CSV (any delimiter and encoding the roster reader
    takes, English or Swedish headers), ``.xlsx`` or JSON.

    A header with ``project`` and ``person`` (one row per named member) and/or ``unit`` and
    ``count`` (one row per "n members from this unit"); rows of one project may be mixed and
    need not be adjacent. JSON::

        {"projects": [{"name": "New project", "people": ["ann"], "units": {"Unit A": 2}}]}

    The reading itself, and the warnings it notes, are
    :func:`analyser.ingest.plan.read_plan_file`.

    Parameters
    ----------
    path
        The plan file; ``.json`` is read as JSON, anything else as a table.

    Returns
    -------
    list of Plan
        In the order the projects first appear. People and units are checked against the
        roster later, by :func:`apply_plan`.

    Raises
    ------
    InputError
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
    from analyser.ingest.plan import read_plan_file

    return read_plan_file(path)[0]


# -- applying plans --------------------------------------------------------------------------


def _known_units(roster: Roster) -> set[str]:
    """Every roster unit and every upper level of one."""
    known = set()
    for unit in roster.memberships["unit"].unique().to_list():
        parts = unit.split(UNIT_SEPARATOR)
        known.update(UNIT_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts)))
    return known


def _unknown(plan: Plan, kind: str, name: str, candidates: Sequence[str], roster: Roster) -> Problem:
    from analyser.ingest.plan import unknown_in_roster

    line, column = plan.where.get((kind, name), (None, kind))
    close = difflib.get_close_matches(name, candidates, n=1)
    return unknown_in_roster(kind, name, plan.source, line, column, roster.source, close[0] if close else None)


def apply_plan(roster: Roster, plans: Sequence[Plan]) -> Roster:
    """Return ``roster`` with the planned memberships added (``roster`` itself is unchanged).

    Named people join with their roster unit. A count of n members from unit U adds n
    placeholder people ``planned: U #1`` … ``planned: U #n``; numbering continues across
    plans, so two plans never share a placeholder (each stands for a different person).
    Added rows have role ``planned`` and no dates. A plan named like an existing project
    adds its members to that project.

    Raises
    ------
    InputError
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
        raise InputError(problems)
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
    k = len(net.units)
    a, b, _, _ = net.upper_ties
    counts = unit_ties(net)  # the unit table's counts, as in the report
    units = unit_table(net, counts).select("unit", "people", "ties_internal", "ties_external", "ei_index")
    upper = sp.triu(counts.unit_pairs, k=1).tocoo()
    covered = {(net.units[i], net.units[j]) for i, j in zip(upper.row.tolist(), upper.col.tolist())}
    sole = bridging.sole_bridges(net.adjacency, net.person_unit, ties=(a, b, None)).pairs
    key = {(net.units[i], net.units[j]) for i, j in sole.select("unit_a", "unit_b").unique().iter_rows()}
    n_pairs = k * (k - 1) // 2
    within = int(units["ties_internal"].sum())
    org_ei = float(silo.ei_index(np.array(within), np.array(counts.ties - within)))
    q = structure.mixing_modularity(counts.unit_pairs)
    figures = {
        "ei_index": None if np.isnan(org_ei) else org_ei,
        "modularity": None if np.isnan(q) else q,
        "unit_pairs": n_pairs,
        "unit_pairs_covered": len(covered),
        "unit_pair_coverage": len(covered) / n_pairs if n_pairs else None,
        "key_person_pairs": len(key),
    }
    return units, figures, {"covered": covered, "key_person": key}


def _form(n: int) -> str:
    return "one" if n == 1 else "other"


def _difference(after: Any, before: Any) -> Any:
    return None if after is None or before is None else after - before


def _check_plan_units(plans: Sequence[Plan], roster: Roster, level: int | None) -> None:
    """A counted unit must be a whole unit at the analysed level, else it would form a new one."""
    from analyser.ingest.plan import upper_level_unit

    units_at_level = set(roster.memberships.select(unit_at_level(pl.col("unit"), level))["unit"].to_list())
    problems = []
    for plan in plans:
        for unit in plan.units:
            cut = unit if level is None else UNIT_SEPARATOR.join(unit.split(UNIT_SEPARATOR)[:level])
            if cut not in units_at_level:
                line, column = plan.where.get(("unit", unit), (None, "unit"))
                problems.append(upper_level_unit(unit, plan.source, line, column, unit.count(UNIT_SEPARATOR) + 1))
    if problems:
        raise InputError(problems)


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
) -> WhatIfResult:
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
        In ``pseudonyms`` and ``aggregate`` mode the units the report withholds (fewer than
        ``min_group_size`` real people, and the smallest others with them:
        :meth:`analyser.privacy.PrivacyPolicy.withheld`) get null E-I and are left out of the
        pair lists; named planned people are shown as codes (``pseudonyms``) or not at all
        (``aggregate``).
    salt
        Pseudonym salt; by default the one the report uses for this roster.
    before
        :func:`network_figures` of ``roster`` at the same ``level`` and
        ``max_project_size``, when already known (the dashboard keeps them per dataset,
        so each plan costs one graph build instead of two).

    Returns
    -------
    WhatIfResult
        The plans as the privacy mode allows, ``before``/``after``/``change`` keyed by
        :data:`FIGURES`, the unit table, the unit pairs gained and lost, and the notes
        (:class:`Note`: placeholders, method, withheld units, existing projects).
        :meth:`WhatIfResult.as_json` (or :func:`whatif_json`) makes it JSON-ready.

    Examples
    --------
    A plan putting one person of A and one of C together covers the pair A-C:

    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "cid", "C")])
    >>> result = whatif(r, [Plan("New", people=("ann", "cid"))])
    >>> result.before["unit_pairs_covered"], result.after["unit_pairs_covered"]
    (1, 2)
    >>> result.unit_pairs_covered_new
    (('A', 'C'),)
    >>> [n.key for n in result.notes]  # no counted places, so no note about placeholders
    ['whatif_note_method']
    """
    policy = PrivacyPolicy.for_roster(roster, privacy, min_group_size, salt)
    if not plans:
        raise ValueError("no planned project given")
    after_roster = apply_plan(roster, plans)
    _check_plan_units(plans, roster, level)
    if before is None:
        before = network_figures(roster, level=level, max_project_size=max_project_size)
    units_before, before, pairs_before = before
    units_after, after, pairs_after = network_figures(after_roster, level=level, max_project_size=max_project_size)
    # withheld by the real head-counts (placeholders are not people), small units and their complements
    small, complementary = policy.withheld(units_before)
    hidden = set(small) | set(complementary)
    units = (
        units_before.select("unit", pl.col("people").alias("people_before"), pl.col("ei_index").alias("ei_before"))
        .join(units_after.select("unit", pl.col("people").alias("people_after"), pl.col("ei_index").alias("ei_after")),
              on="unit", how="full", coalesce=True)
        .with_columns(pl.col("people_before").fill_null(0))
        .with_columns((pl.col("ei_after") - pl.col("ei_before")).alias("change"))
        .pipe(policy.hide_units, hidden, ("ei_before", "ei_after", "change"))
        .select("unit", "people_before", "people_after", "ei_before", "ei_after", "change")
        .sort("unit")
    )  # fmt: skip

    def shown(pairs: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return policy.unit_pairs(pairs, hidden)

    described = []
    for plan in plans:
        people = None  # aggregate mode names nobody
        if policy.shows_people:
            # codes sorted, so their order says nothing about the names
            people = tuple(plan.people) if policy.shows_names else tuple(sorted(policy.people(plan.people)))
        described.append(PlannedProject(plan.name, plan.members, dict(plan.units), people))
    notes = [Note(NOTE_PLACEHOLDERS, {"prefix": PLACEHOLDER_PREFIX})] if any(plan.units for plan in plans) else []
    notes.append(Note(NOTE_METHOD))
    if small:
        notes.append(Note(f"{NOTE_WITHHELD}_{_form(len(small))}", {"n": len(small), "k": min_group_size}))
    if complementary:
        notes.append(Note(f"{NOTE_WITHHELD_COMPLEMENTARY}_{_form(len(complementary))}", {"n": len(complementary)}))
    existing = set(roster.memberships["project"].unique().to_list())
    notes += [Note(NOTE_EXISTING, {"name": plan.name}) for plan in plans if plan.name in existing]
    return WhatIfResult(
        plans=tuple(described),
        before=before,
        after=after,
        change={key: _difference(after[key], before[key]) for key in FIGURES},
        units=units,
        unit_pairs_covered_new=shown(pairs_after["covered"] - pairs_before["covered"]),
        key_person_pairs_new=shown(pairs_after["key_person"] - pairs_before["key_person"]),
        key_person_pairs_removed=shown(pairs_before["key_person"] - pairs_after["key_person"]),
        notes=tuple(notes),
        options={"level": level, "privacy": privacy, "min_group_size": min_group_size, "max_project_size": max_project_size},
    )


def whatif_json(result: WhatIfResult) -> dict[str, Any]:
    """Return a :func:`whatif` result as plain JSON data (:meth:`WhatIfResult.as_json`).

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P2", "bob", "B")])
    >>> whatif_json(whatif(r, [Plan("New", people=("ann", "bob"))]))["units"][0]
    {'unit': 'A', 'people_before': 1, 'people_after': 1, 'ei_before': None, 'ei_after': 1.0, 'change': None}
    """
    return result.as_json()
