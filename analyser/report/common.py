"""Shared steps of every report format and the dashboard: contract column order, nulls,
privacy, silo verdicts, p-values at their resolution, bridge ranking and headline choices."""

from __future__ import annotations

import inspect
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from analyser.analysis import (
    MIN_SILO_PROJECTS,
    PEOPLE_COLUMNS,
    PROJECT_COLUMNS,
    SUMMARY_FIELDS,
    UNIT_COLUMNS,
    UNIT_LINK_COLUMNS,
    analyse,
)
from analyser.i18n import number

if TYPE_CHECKING:
    from collections.abc import Sequence

    from analyser.analysis import Analysis

__all__ = [
    "SIGNIFICANCE_LEVEL",
    "LOW_STABILITY",
    "FLOOR_TOLERANCE",
    "VERDICT_RANK",
    "PROBLEM_SCHEMA",
    "contract_table",
    "report_tables",
    "visible_people",
    "verdicts",
    "significant_silos",
    "ordered_units",
    "suppressed_units",
    "problems_table",
    "summary_items",
    "finite_or_none",
    "permutations_used",
    "verdict_minimums",
    "p_floor",
    "format_p",
    "bridge_measure",
    "ranked_bridges",
    "top_bridges",
    "low_stability",
    "project_headline",
    "silo_headline",
    "unjudged_headline",
    "slug",
    "unique_slugs",
]

#: A judged unit is a *significant silo* when its adjusted p-value (``ei_q``) is below this,
#: its E-I below 0 and below the permutation test's own baseline (``ei_expected_perm``). The
#: analysis makes the call (the ``verdict`` column); the reports only state the level.
SIGNIFICANCE_LEVEL = 0.05

#: Community stability (mean NMI between Louvain runs from different random starts) below
#: this reads as "the communities move with the random start": the reports then say to read
#: them as rough groupings.
LOW_STABILITY = 0.8

#: A p-value within this factor of the floor 1/(1 + n) counts as at the floor: when a few
#: shuffles give a unit no tie, its p is 1/(1 + m) with m slightly below n.
FLOOR_TOLERANCE = 1.02

#: Order of the verdicts in unit tables: silos first, then the other judged units, then
#: units not tested (unit-level route), then units with too little data.
VERDICT_RANK = {"silo": 0, "not_silo": 1, "too_little_data": 3}
_NOT_TESTED_RANK = 2

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.String(),
    "line": pl.Int64(),
    "column": pl.String(),
    "severity": pl.String(),
    "message": pl.String(),
}


def finite_or_none(value: Any) -> Any:
    """Return ``value`` with NaN and infinities replaced by ``None`` (undefined).

    numpy scalars become plain Python numbers, so the result is JSON-ready.

    Examples
    --------
    >>> finite_or_none(float("nan")) is None, finite_or_none(float("inf")) is None
    (True, True)
    >>> finite_or_none(0.25), finite_or_none(3), finite_or_none("x")
    (0.25, 3, 'x')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def contract_table(table: pl.DataFrame, columns: Sequence[str], *, name: str) -> pl.DataFrame:
    """Return ``table`` with the contract ``columns`` first and NaN/inf turned into null.

    Extra columns follow in their own order. An *empty* table may lack contract columns
    (``people`` in aggregate mode may come without a schema); they are added as all-null
    columns so every export still shows the contract header. A non-empty table that lacks
    a contract column is a bug in the producer and raises ``ValueError``.

    Examples
    --------
    >>> t = pl.DataFrame({"b": [float("nan")], "a": ["x"]})
    >>> contract_table(t, ["a", "b"], name="demo").rows()
    [('x', None)]
    >>> contract_table(pl.DataFrame(), ["a", "b"], name="demo").columns
    ['a', 'b']
    """
    missing = [c for c in columns if c not in table.columns]
    if missing and table.height:
        msg = f"the {name} table lacks contract column(s) {', '.join(missing)}"
        raise ValueError(msg)
    if missing:
        table = pl.DataFrame(schema={**table.schema, **dict.fromkeys(missing, pl.Null())})
    extras = [c for c in table.columns if c not in columns]
    floats = [c for c, dtype in table.schema.items() if dtype.is_float()]
    return table.select(*columns, *extras).with_columns(
        pl.when(pl.col(c).is_finite()).then(pl.col(c)).otherwise(None).alias(c) for c in floats
    )


def visible_people(analysis: Analysis) -> pl.DataFrame:
    """Return the people table, emptied in ``aggregate`` privacy mode.

    The producer already empties it; doing it again here means no report format can leak
    person-level rows even from a hand-built :class:`Analysis`.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> people = pl.DataFrame({"person": ["ann"]})
    >>> a = Analysis(pl.DataFrame(), people, pl.DataFrame(), pl.DataFrame(), {},
    ...              meta={"privacy": "aggregate"})
    >>> visible_people(a).height
    0
    """
    people = analysis.people
    return people.clear() if analysis.privacy == "aggregate" else people


def report_tables(analysis: Analysis) -> dict[str, pl.DataFrame]:
    """Return the four result tables in contract order, keyed ``units``, ``people``,
    ``projects``, ``unit_links``, ready for any export.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> list(report_tables(Analysis(e, e, e, e, {})))
    ['units', 'people', 'projects', 'unit_links']
    """
    return {
        "units": contract_table(analysis.units, UNIT_COLUMNS, name="units"),
        "people": contract_table(visible_people(analysis), PEOPLE_COLUMNS, name="people"),
        "projects": contract_table(analysis.projects, PROJECT_COLUMNS, name="projects"),
        "unit_links": contract_table(analysis.unit_links, UNIT_LINK_COLUMNS, name="unit_links"),
    }


def verdicts(units: pl.DataFrame) -> pl.Series:
    """Return each unit's silo verdict: ``"silo"``, ``"not_silo"``, ``"too_little_data"``,
    or null when significance was not tested (unit-level route).

    The analysis makes the verdict (the ``verdict`` column). A table without it (an analysis
    cached by an older version) keeps the call its producer made in ``silo``; nothing is
    recomputed here, since a flag from ``ei_p`` and ``ei_expected`` would mix two baselines.

    Examples
    --------
    >>> verdicts(pl.DataFrame({"verdict": ["silo", "too_little_data", None]})).to_list()
    ['silo', 'too_little_data', None]
    >>> verdicts(pl.DataFrame({"silo": [True, False, None]})).to_list()
    ['silo', 'not_silo', None]
    >>> verdicts(pl.DataFrame({"unit": ["A"]})).to_list()
    [None]
    """
    if "verdict" in units.columns:
        return units["verdict"].cast(pl.String)
    if "silo" in units.columns:
        flag = units["silo"].cast(pl.Boolean)
        return pl.select(pl.when(flag).then(pl.lit("silo")).when(~flag).then(pl.lit("not_silo"))
                         .otherwise(None).alias("verdict")).to_series()  # fmt: skip
    return pl.Series("verdict", [None] * units.height, dtype=pl.String)


def significant_silos(units: pl.DataFrame) -> pl.Series:
    """Return a Boolean Series named ``significant_silo``: is each unit a significant silo?

    True exactly when the unit's :func:`verdict <verdicts>` is ``"silo"``; units with too
    little data, not tested or withheld give ``False``.

    Examples
    --------
    >>> u = pl.DataFrame({"verdict": ["silo", "not_silo", "too_little_data", None]})
    >>> significant_silos(u).to_list()
    [True, False, False, False]
    """
    return (verdicts(units) == "silo").fill_null(False).alias("significant_silo")


def ordered_units(units: pl.DataFrame) -> pl.DataFrame:
    """Return ``units`` in reading order: significant silos, the other judged units, then
    units without a verdict; within each group from the most closed (lowest E-I) up.

    Units with too little data often have the most extreme E-I (two people who only work
    together have −1); sorting by E-I alone would put them above the real findings.

    Examples
    --------
    >>> u = pl.DataFrame({"unit": ["tiny", "open", "silo"], "ei_index": [-1.0, 0.4, -0.3],
    ...                   "verdict": ["too_little_data", "not_silo", "silo"]})
    >>> ordered_units(u)["unit"].to_list()
    ['silo', 'open', 'tiny']
    """
    if units.is_empty():
        return units
    rank = verdicts(units).replace_strict(VERDICT_RANK, default=_NOT_TESTED_RANK, return_dtype=pl.Int8)
    keys = ["_verdict_rank", *(c for c in ("ei_index", "unit") if c in units.columns)]
    return (
        units.with_columns(rank.fill_null(_NOT_TESTED_RANK).alias("_verdict_rank"))
        .sort(keys, nulls_last=True, maintain_order=True)
        .drop("_verdict_rank")
    )


def suppressed_units(units: pl.DataFrame) -> list[str]:
    """Return the names of units whose figures are withheld (``suppressed`` true).

    Examples
    --------
    >>> suppressed_units(pl.DataFrame({"unit": ["A", "B"], "suppressed": [False, True]}))
    ['B']
    """
    if "suppressed" not in units.columns or units.is_empty():
        return []
    return units.filter(pl.col("suppressed").fill_null(False))["unit"].cast(pl.String).to_list()


def problems_table(analysis: Analysis) -> pl.DataFrame:
    """Return the data check as a table: file, line, column, severity, message.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> from analyser.roster import Problem
    >>> e = pl.DataFrame()
    >>> a = Analysis(e, e, e, e, {}, problems=(Problem("r.csv", 3, "unit", "empty"),))
    >>> problems_table(a).row(0)
    ('r.csv', 3, 'unit', 'warning', 'empty')
    """
    rows = [p.as_dict() for p in analysis.problems]
    return pl.DataFrame(rows, schema=PROBLEM_SCHEMA, orient="row") if rows else pl.DataFrame(schema=PROBLEM_SCHEMA)


def summary_items(analysis: Analysis) -> dict[str, Any]:
    """Return the summary with :data:`SUMMARY_FIELDS` first (missing ones ``None``), then
    any extra figures, NaN/inf turned into ``None``.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> items = summary_items(Analysis(e, e, e, e, {"extra": 1, "people": float("nan")}))
    >>> items["people"] is None, list(items)[-1]
    (True, 'extra')
    """
    summary = analysis.summary
    keys = [*SUMMARY_FIELDS, *(k for k in summary if k not in SUMMARY_FIELDS)]
    return {k: finite_or_none(summary.get(k)) for k in keys}


def permutations_used(meta: Mapping[str, Any] | None) -> int | None:
    """Return the number of permutations of the E-I test (``meta["methods"]["ei_permutations"]``),
    or ``None`` when unknown or none ran.

    Examples
    --------
    >>> permutations_used({"methods": {"ei_permutations": 999}}), permutations_used({})
    (999, None)
    """
    n = ((meta or {}).get("methods") or {}).get("ei_permutations")
    return int(n) if isinstance(n, (int, float)) and n > 0 else None


def verdict_minimums(meta: Mapping[str, Any] | None) -> tuple[int, int]:
    """Return the least evidence for a silo verdict the analysis used: (people, projects
    that make ties), from ``meta["options"]`` (the defaults of
    :func:`~analyser.analysis.analyse` when absent).

    Examples
    --------
    >>> verdict_minimums({"options": {"min_group_size": 8, "min_silo_projects": 2}}), verdict_minimums({})
    ((8, 2), (5, 3))
    """
    options = (meta or {}).get("options") or {}
    default_people = inspect.signature(analyse).parameters["min_group_size"].default  # one source of defaults
    people = options.get("min_group_size")
    projects = options.get("min_silo_projects")
    return (int(people) if people else default_people, int(projects) if projects else MIN_SILO_PROJECTS)


def p_floor(n_permutations: int | None) -> float | None:
    """Return the smallest p-value a permutation test with ``n_permutations`` can give,
    1 / (1 + n) (``None`` when the number is unknown).

    Examples
    --------
    >>> p_floor(999), p_floor(None)
    (0.001, None)
    """
    return 1 / (1 + n_permutations) if n_permutations else None


def format_p(value: float, n_permutations: int | None = None, *, lang: str = "en") -> str:
    """Return a p-value (or adjusted q-value) as text, at the resolution of its test.

    A permutation test with n permutations cannot give p below 1 / (1 + n): a value at
    that floor only says "at most this", so it is written "≤ 0.001" (n = 999), never
    "0.001" or "0.000". Other values get three decimals (more when the floor needs them).
    When n is unknown (other tests), values below 0.001 are written "< 0.001".

    Parameters
    ----------
    value
        The p- or q-value (not null).
    n_permutations
        Permutations of the test (:func:`permutations_used`), or ``None``.
    lang
        Language whose number style is used (:func:`analyser.i18n.number`: a decimal
        comma in Swedish).

    Examples
    --------
    >>> format_p(0.001, 999), format_p(0.001001, 999), format_p(0.0234, 999), format_p(0.001037, 999)
    ('≤ 0.001', '≤ 0.001', '0.023', '0.001')
    >>> format_p(0.005, 199, lang="sv"), format_p(0.0004), format_p(0.0001, 9999), format_p(1.0, 999)
    ('≤ 0,005', '< 0.001', '≤ 0.0001', '1.000')
    """
    floor = p_floor(n_permutations)
    digits = 3 if floor is None else max(3, math.ceil(-math.log10(floor) - 1e-9))
    if floor is not None and value <= floor * FLOOR_TOLERANCE:
        shown = math.ceil(floor * 10**digits - 1e-6) / 10**digits  # rounded up, so "≤" stays true
        return f"\u2264 {number(shown, lang, digits)}"
    if value < 10**-digits:
        return f"< {number(10**-digits, lang, digits)}"
    return number(float(value), lang, digits)


def bridge_measure(people: pl.DataFrame) -> str:
    """Return the column that ranks bridges: ``cross_unit_betweenness`` (share of shortest
    paths between people of different units through the person), or ``betweenness`` in a
    table made before it existed.

    Examples
    --------
    >>> bridge_measure(pl.DataFrame({"betweenness": [0.1], "cross_unit_betweenness": [0.2]}))
    'cross_unit_betweenness'
    """
    return "cross_unit_betweenness" if "cross_unit_betweenness" in people.columns else "betweenness"


def ranked_bridges(people: pl.DataFrame) -> pl.DataFrame:
    """Return ``people`` from the strongest bridge between units down: by cross-unit
    betweenness, then betweenness, then name; undefined values last.

    Examples
    --------
    >>> p = pl.DataFrame({"person": ["a", "b", "c", "d"], "betweenness": [0.5, 0.1, 0.2, None],
    ...                   "cross_unit_betweenness": [0.0, 0.3, 0.0, None]})
    >>> ranked_bridges(p)["person"].to_list()
    ['b', 'a', 'c', 'd']
    """
    if people.is_empty():
        return people
    keys = [c for c in ("cross_unit_betweenness", "betweenness") if c in people.columns]
    return people.sort([*keys, "person"], descending=[*(True for _ in keys), False], nulls_last=True)


def top_bridges(people: pl.DataFrame, n: int) -> pl.DataFrame:
    """Return the ``n`` best-ranked people who bridge units at all (:func:`bridge_measure`
    above 0): a "top bridges" list of people who bridge nothing would mislead.

    Examples
    --------
    >>> p = pl.DataFrame({"person": ["a", "b", "c"], "betweenness": [0.5, 0.1, 0.2],
    ...                   "cross_unit_betweenness": [0.0, 0.3, None]})
    >>> top_bridges(p, 5)["person"].to_list()
    ['b']
    """
    if people.is_empty() or bridge_measure(people) not in people.columns:
        return people.clear()
    return ranked_bridges(people).filter(pl.col(bridge_measure(people)) > 0).head(n)


def low_stability(summary: Mapping[str, Any]) -> bool:
    """True when the communities change with the method's random start
    (``community_stability`` below :data:`LOW_STABILITY`).

    Examples
    --------
    >>> low_stability({"community_stability": 0.62}), low_stability({"community_stability": 0.95}), low_stability({})
    (True, False, False)
    """
    value = finite_or_none(summary.get("community_stability"))
    return value is not None and value < LOW_STABILITY


Headline = tuple[str, dict[str, Any]]


def project_headline(summary: Mapping[str, Any]) -> Headline | None:
    """Return which sentence says how many projects stay inside one unit, and its numbers.

    Only team projects (two or more people) can cross units, so the sentence speaks of them
    (``team_projects``, ``cross_unit_team_project_share``). An older summary without them
    falls back to the share of all projects.

    Returns
    -------
    (key, values) or None
        ``"team"`` with ``n`` (team projects), ``inside`` (share of them in one unit) and
        ``solo`` (one-person projects); ``"one_team_inside"`` / ``"one_team_crosses"`` when
        there is one team project; ``"no_team"`` when there is none; ``"projects"`` with
        ``inside`` for an older summary; ``None`` when there are no projects.

    Examples
    --------
    >>> project_headline({"projects": 179, "team_projects": 55, "cross_unit_team_project_share": 0.75})
    ('team', {'n': 55, 'inside': 0.25, 'solo': 124})
    >>> project_headline({"projects": 4, "team_projects": 0, "cross_unit_team_project_share": None})
    ('no_team', {})
    >>> project_headline({"cross_unit_project_share": 0.4})
    ('projects', {'inside': 0.6})
    """
    teams = finite_or_none(summary.get("team_projects"))
    if teams is None:
        share = finite_or_none(summary.get("cross_unit_project_share"))
        return None if share is None else ("projects", {"inside": 1 - share})
    if teams == 0:
        return ("no_team", {}) if summary.get("projects") else None
    share = finite_or_none(summary.get("cross_unit_team_project_share"))
    if share is None:
        return None
    if teams == 1:
        return ("one_team_inside" if share < 0.5 else "one_team_crosses"), {}
    projects = finite_or_none(summary.get("projects"))
    solo = None if projects is None else int(projects) - int(teams)
    return "team", {"n": int(teams), "inside": 1 - share, "solo": solo}


def silo_headline(summary: Mapping[str, Any]) -> Headline | None:
    """Return which sentence says how many units are significant silos, and its numbers.

    The count is of the units with enough data for a verdict (``units_judged``), not of all
    units: a one-person unit is no evidence either way.

    Returns
    -------
    (key, values) or None
        ``"silos_zero"`` / ``"silos_one"`` / ``"silos_other"`` (``k`` silos: none, one or
        more, of ``j`` judged units);
        ``"silos_single_yes"`` / ``"silos_single_no"`` when one unit was judged;
        ``"silos_none_judged"``; ``"silos_not_tested"`` (unit-level route);
        ``"silos_legacy_zero"`` / ``_one`` / ``_other`` (``k`` of ``n`` units: an older
        summary with a silo count but no ``units_judged``); ``None`` when the summary says
        nothing of silos.

    Examples
    --------
    >>> silo_headline({"significant_silos": 1, "units_judged": 4, "units": 70})
    ('silos_one', {'k': 1, 'j': 4})
    >>> silo_headline({"significant_silos": 0, "units_judged": 8, "units": 8})
    ('silos_zero', {'k': 0, 'j': 8})
    >>> silo_headline({"significant_silos": None, "units_judged": None, "units": 9})
    ('silos_not_tested', {})
    >>> silo_headline({"significant_silos": 2, "units": 7})
    ('silos_legacy_other', {'k': 2, 'n': 7})
    """
    if "significant_silos" not in summary:
        return None
    k = finite_or_none(summary.get("significant_silos"))
    if k is None:
        return "silos_not_tested", {}
    k = int(k)
    plural = "zero" if k == 0 else "one" if k == 1 else "other"
    j = finite_or_none(summary.get("units_judged"))
    if j is None:  # counted silos but not judged units: an analysis from before verdicts
        return f"silos_legacy_{plural}", {"k": k, "n": int(summary.get("units") or 0)}
    if j == 0:
        return "silos_none_judged", {}
    if j == 1:
        return ("silos_single_yes" if k else "silos_single_no"), {}
    return f"silos_{plural}", {"k": k, "j": int(j)}


def unjudged_headline(summary: Mapping[str, Any]) -> Headline | None:
    """Return the sentence on units with too little data for a verdict, when there are any
    and some unit was judged (else :func:`silo_headline` already says it).

    Examples
    --------
    >>> unjudged_headline({"units": 70, "units_judged": 4})
    ('too_little_other', {'n': 66})
    >>> unjudged_headline({"units": 5, "units_judged": 4}), unjudged_headline({"units": 5, "units_judged": 5})
    (('too_little_one', {'n': 1}), None)
    """
    units, judged = finite_or_none(summary.get("units")), finite_or_none(summary.get("units_judged"))
    if units is None or not judged or units <= judged:
        return None
    n = int(units) - int(judged)
    return ("too_little_one" if n == 1 else "too_little_other"), {"n": n}


#: Longest slug :func:`slug` makes: file names stay readable and far below every file
#: system's limit, with room for a ``-2`` and a suffix.
SLUG_LENGTH = 60


def slug(text: str, *, fallback: str = "unit") -> str:
    """Return ``text`` as a safe file name stem: lower-case ASCII letters, digits and dashes.

    Accents are dropped rather than the letters (``ö`` becomes ``o``, not a dash), so Swedish
    unit names stay readable; every other run of characters becomes one dash. Text with no
    letter or digit left gives ``fallback``.

    Examples
    --------
    >>> slug("Miljöförvaltningen/Tillsyn"), slug("chromium.org"), slug("../../etc"), slug("???")
    ('miljoforvaltningen-tillsyn', 'chromium-org', 'etc', 'unit')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:SLUG_LENGTH].strip("-")
    return stem or fallback


def unique_slugs(names: Sequence[str], *, taken: Sequence[str] = ()) -> dict[str, str]:
    """Return a distinct :func:`slug` for each name, in order: a clash gets ``-2``, ``-3``, ...

    ``taken`` are stems already in use (``index`` beside the sheets, say); comparison ignores
    case, since some file systems do.

    Examples
    --------
    >>> unique_slugs(["IT", "it", "I/T", "Index"], taken=["index"])
    {'IT': 'it', 'it': 'it-2', 'I/T': 'i-t', 'Index': 'index-2'}
    """
    used = {t.casefold() for t in taken}
    out: dict[str, str] = {}
    for name in names:
        stem = candidate = slug(name)
        n = 1
        while candidate in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate)
        out[name] = candidate
    return out
