"""Plan files of planned projects (what-if), read like rosters: any CSV dialect and encoding, .xlsx or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analyser.ingest.headers import HEADER_SYNONYMS, _detect_indices, synonym_keys
from analyser.roster import InputError, Phrase, Problem


__all__ = ["PLAN_SYNONYMS", "Plan", "read_plan_bytes", "read_plan_file"]

#: Header names recognised in a plan file: the roster's for project, person and unit, and
#: the number of (not yet named) members from a unit. Matching is as for rosters
#: (:data:`~analyser.ingest.HEADER_SYNONYMS`): case, spaces, ``_ - .`` and bracketed text ignored.
PLAN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "project": (*HEADER_SYNONYMS["project"], "namn på projekt"),
    "person": HEADER_SYNONYMS["person"],
    "unit": HEADER_SYNONYMS["unit"],
    "count": ("antal", "number", "number of people", "antal personer", "people", "personer", "n"),
}

_PLAN_KEYS = synonym_keys(PLAN_SYNONYMS)

#: Where a plan names a person or unit: ``(kind, name) -> (line, column)``.
_Where = dict[tuple[str, str], tuple[int | None, str]]


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


def read_plan_file(path: str | Path) -> tuple[list[Plan], tuple[Problem, ...]]:
    """Returns the planned projects of a plan file and the warnings found reading it.

    See :func:`read_plan_bytes`; a file that cannot be opened is an :class:`InputError` too.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "plan.csv"
    ...     _ = f.write_bytes("Projekt;Enhet;Antal\\nNytt;Hemtjänst;2\\n".encode("cp1252"))
    ...     plans, warnings = read_plan_file(f)
    >>> plans[0].units, [w.key for w in warnings]
    ({'Hemtjänst': 2}, ['datacheck.not_utf8'])
    """
    from analyser.ingest import MAX_FILE_BYTES, _check_size, cannot_open

    path = Path(path)
    try:
        _check_size(path.stat().st_size, MAX_FILE_BYTES, path.name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem.of(str(path), None, None, "datacheck.file_not_found", "error")) from None
    except OSError as exc:
        raise InputError(cannot_open(path.name, exc)) from None
    return read_plan_bytes(data, path.name)


def read_plan_bytes(data: bytes, filename: str) -> tuple[list[Plan], tuple[Problem, ...]]:
    """Returns the planned projects held in the bytes of a plan file and the reading warnings.

    A name ending in ``.json`` is read as JSON::

        {"projects": [{"name": "New project", "people": ["ann"], "units": {"Unit A": 2}}]}

    Anything else is read by the roster reader (:func:`~analyser.ingest.read_roster_bytes`):
    CSV with ``,`` ``;`` tab or ``|``, UTF-8, UTF-16 or Windows-1252, or an ``.xlsx``
    workbook, the header possibly below title rows. The header names ``project`` and
    ``person`` (one row per named member) and/or ``unit`` and ``count`` (one row per "n
    members from this unit"), in English or Swedish (:data:`PLAN_SYNONYMS`: ``Projekt``,
    ``Namn``, ``Enhet``, ``Antal`` ...). Rows of one project may be mixed and need not be
    adjacent; blank rows are skipped.

    Parameters
    ----------
    data
        The file content.
    filename
        Name used in messages (and ``.json`` picks JSON).

    Returns
    -------
    plans : list of Plan
        In the order the projects first appear. People and units are checked against the
        roster later, by :func:`analyser.whatif.apply_plan`.
    warnings : tuple of Problem
        What the reader noted and got past (another encoding, title rows above the header).

    Raises
    ------
    InputError
        With every ``FILE:LINE: column: message`` problem: an unreadable file, a header
        without the columns above, an empty project, a row with neither person nor unit or
        with both, or a count that is not a whole number of 1 or more.

    Examples
    --------
    >>> plans, _ = read_plan_bytes(b"project,person\\nNew,ann\\nNew,bob\\n", "plan.csv")
    >>> plans[0].name, plans[0].people
    ('New', ('ann', 'bob'))
    >>> read_plan_bytes(b"Projekt;Antal\\nNew;x\\n", "plan.csv")
    Traceback (most recent call last):
    ...
    analyser.roster.InputError: plan.csv:1: the header must be project,person or project,unit,count; found Projekt,Antal
    """
    from analyser.ingest import _read_cells
    from analyser.ingest.text import _decode

    if Path(filename).suffix.lower() == ".json":
        text, warnings = _decode(bytes(data), filename)
        plans = _plans_of_json(text.removeprefix("\ufeff"), filename)
    else:
        table = _read_cells(bytes(data), filename, {k for keys in _PLAN_KEYS.values() for k in keys})
        errors = [p for p in table.problems if p.severity == "error"]
        warnings = [p for p in table.problems if p.severity != "error"]
        rows = table.cells.select([f"c{i}" for i in range(len(table.header))] + ["line"]).rows()  # the line comes last
        plans, row_errors = _plans_of_rows(table.header, table.header_line, rows, filename)
        if errors or row_errors:
            raise InputError(sorted(errors + row_errors, key=lambda p: -1 if p.line is None else p.line))
    if not plans:
        raise InputError(Problem.of(filename, None, None, "datacheck.plan.no_projects", "error"))
    return plans, tuple(warnings)


def _plans_of_rows(
    header: Sequence[str], header_line: int, rows: Sequence[Sequence[str | None]], source: str
) -> tuple[list[Plan], list[Problem]]:
    """The plans of a table's rows (cells ``c0..cN`` then ``line``) and the errors of its rows."""

    col = {name: i for name, i in _detect_indices(header, keyed=_PLAN_KEYS).items() if i is not None}
    if "project" not in col or not ("person" in col or {"unit", "count"} <= set(col)):
        found = ",".join(h.strip() for h in header)
        raise InputError(Problem.of(source, header_line, None, "datacheck.plan.header", "error", found=found))
    people: dict[str, list[str]] = {}
    units: dict[str, dict[str, int]] = {}
    where: dict[str, _Where] = {}
    errors: list[Problem] = []
    for *values, line in rows:
        cell = {name: (values[i] or "").strip() for name, i in col.items()}
        if not any(cell.values()):
            continue
        problem = _row_problem(cell, source, line)
        if problem is not None:
            errors.append(problem)
            continue
        project, person, unit = cell["project"], cell.get("person", ""), cell.get("unit", "")
        places = where.setdefault(project, {})
        named, counted = people.setdefault(project, []), units.setdefault(project, {})
        if person:
            if person not in named:
                named.append(person)
            places.setdefault(("person", person), (line, "person"))
        else:
            counted[unit] = counted.get(unit, 0) + (_whole(cell["count"]) or 0)
            places.setdefault(("unit", unit), (line, "unit"))
    plans = [Plan(p, tuple(people[p]), units[p], source, where[p]) for p in people]
    return plans, errors


def _row_problem(cell: Mapping[str, str], source: str, line: int) -> Problem | None:
    """What is wrong with one plan row (``None`` when it names a project and a person, or a
    unit and a count of 1 or more).

    >>> print(_row_problem({"project": "P", "unit": "A", "count": "två"}, "plan.csv", 3))
    plan.csv:3: count: 'två' is not a whole number of people
    """
    person, unit, count = cell.get("person", ""), cell.get("unit", ""), cell.get("count", "")
    if not cell["project"]:
        return Problem.of(source, line, "project", "datacheck.plan.project_empty", "error")
    if person and count:
        return Problem.of(source, line, "count", "datacheck.plan.person_and_count", "error")
    if person:
        return None
    if not unit:
        return Problem.of(source, line, None, "datacheck.plan.neither", "error")
    if not count:
        return Problem.of(source, line, "count", "datacheck.plan.count_empty", "error", unit=unit)
    value = _whole(count)
    if value is None:
        return Problem.of(source, line, "count", "datacheck.plan.count_not_whole", "error", text=count)
    if value < 1:
        return Problem.of(source, line, "count", "datacheck.plan.count_too_small", "error", value=value)
    return None


def _whole(text: str) -> int | None:
    """The whole number written in ``text`` (``2``, or ``2.0`` as a workbook cell holds it); else ``None``.

    >>> _whole("3"), _whole("2.0"), _whole("2,5"), _whole("x")
    (3, 2, None, None)
    """
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _plans_of_json(text: str, source: str) -> list[Plan]:
    """The plans of a JSON plan file (see :func:`read_plan_bytes`)."""

    def refuse(column: str | None, key: str, **values: object) -> InputError:
        problem = Problem.of(source, None, column, f"datacheck.plan.json.{key}", "error", **values)  # type: ignore[arg-type]
        return InputError(problem)

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem.of(source, exc.lineno, None, "datacheck.plan.json.invalid", "error", reason=exc.msg)
        raise InputError(problem) from None
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise refuse("projects", "shape")
    plans, seen = [], set()
    for i, item in enumerate(projects):
        at = f"projects[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise refuse(f"{at}.name", "name_missing")
        name = item["name"].strip()
        if name in seen:
            raise refuse(f"{at}.name", "planned_twice", name=name)
        seen.add(name)
        people, units = item.get("people", []), item.get("units", {})
        if not isinstance(people, list) or not all(isinstance(p, str) and p.strip() for p in people):
            raise refuse(f"{at}.people", "people_shape")
        if not isinstance(units, dict):
            raise refuse(f"{at}.units", "units_shape")
        counts = {}
        for unit, count in units.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise refuse(f"{at}.units", "count", unit=unit, count=repr(count))
            counts[unit.strip()] = count
        where: _Where = {("person", p.strip()): (None, f"{at}.people[{j}]") for j, p in enumerate(people)}
        where.update({("unit", u.strip()): (None, f"{at}.units") for u in units})
        plans.append(Plan(name, tuple(dict.fromkeys(p.strip() for p in people)), counts, source, where))
    return plans


def unknown_in_roster(kind: str, name: str, source: str, line: int | None, column: str, roster_source: str,
                      close: str | None) -> Problem:  # fmt: skip
    """The error for a plan's person or unit (``kind``) that the roster does not have,
    with the closest roster spelling when there is one.

    >>> print(unknown_in_roster("person", "anne", "plan.csv", 2, "person", "r.csv", "ann"))
    plan.csv:2: person: person 'anne' is not in the roster r.csv; did you mean 'ann'?
    """
    hint = Phrase("datacheck.plan.did_you_mean", {"name": close}) if close else ""
    key = f"datacheck.plan.unknown_{kind}"
    return Problem.of(source, line, column, key, "error", name=name, roster=roster_source, hint=hint)


def upper_level_unit(unit: str, source: str, line: int | None, column: str, depth: int) -> Problem:
    """The error for a plan's count from an upper-level unit analysed at a lower level.

    >>> print(upper_level_unit("A", "plan.csv", 3, "unit", 1))
    plan.csv:3: unit: 'A' is an upper-level unit; analyse at level 1 or name one of its units
    """
    return Problem.of(source, line, column, "datacheck.plan.upper_level_unit", "error", unit=unit, depth=depth)

