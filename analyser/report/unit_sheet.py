"""The dialogue sheet: one A4 page about one unit, to bring to the follow-up conversation with it.

Follow-up in trust-based governance happens in conversations with each unit, not in one
organisation-wide report. A sheet tells one unit, in plain words: whether it works mostly alone
(its E-I against both baselines, and the verdict), which units it works with, who carries
those links (as far as the privacy mode allows), its projects with other units, how it changed
since the previous period, and three to five questions chosen from its figures. A unit below
the minimum group size, or withheld in a privacy mode, gets a sheet that only says why it has
no figures.

The work is split into small steps:

- :func:`unit_facts` gathers what a sheet says about a unit: tables and numbers, no words;
- :func:`discussion_questions` picks the questions from those facts (text keys and values);
- :func:`sheet_html` and :func:`sheet_pdfs` word and lay them out in the report language;
- :func:`unit_sheet_bytes`, :func:`write_unit_sheet` and :func:`write_unit_sheets` make files.

The words are the catalogue's ``report.sheet`` keys (:func:`analyser.i18n.section`); numbers,
p-values, verdict labels and figure embedding are the silo report's own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import plotly.io as pio
import polars as pl

from analyser.i18n import section
from analyser.report import figures
from analyser.report.common import (
    SIGNIFICANCE_LEVEL,
    finite_or_none,
    ordered_units,
    permutations_used,
    suppressed_units,
    unique_slugs,
    verdict_minimums,
)
# The report's own escaping, number formats, tables and figure embedding: a sheet and the
# report never write the same figure two ways.
from analyser.report.html_report import FIGURE_CONFIG, _dec, _e, _int, _p, _share, _table, check_trends
from analyser.report.html_report import TEXTS as HTML_TEXTS
from analyser.report.language import check_language, current_language, report_language
from analyser.report.pdf_report import _image_tag, _only_data_urls, figure_pngs, load_weasyprint

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from analyser.analysis import Analysis

__all__ = [
    "SHEET_TEXTS",
    "SHEET_FORMATS",
    "UnknownUnitError",
    "TrendFacts",
    "UnitFacts",
    "closest_unit",
    "find_unit",
    "partner_table",
    "outside_carriers",
    "cross_unit_projects",
    "unit_trend",
    "unit_facts",
    "trend_direction",
    "discussion_questions",
    "verdict_key",
    "sheet_filenames",
    "sheet_html",
    "sheet_pdfs",
    "unit_sheet_bytes",
    "write_unit_sheet",
    "write_unit_sheets",
]

#: The sheet's words per report language (same keys in each).
SHEET_TEXTS: dict[str, dict[str, Any]] = {lang: section("report.sheet", lang) for lang in ("en", "sv")}

#: File suffixes a sheet can be written as.
SHEET_FORMATS = (".html", ".pdf")

# What one A4 page holds: the longest lists before "…and n more".
PARTNER_BARS = 8
CARRIER_ROWS = 5
SOLE_ROWS = 4
PROJECT_ROWS = 5
PROJECT_PARTNERS = 3

# When a question is asked (see discussion_questions).
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
FEW_PARTNERS = 2  # "we work with X and Y only"
MANY_PARTNERS = 6  # "which of these links matter most?"
CONCENTRATED = 0.5  # half of the outside ties through one person
#: A change of E-I between two periods this large is worth a question even when the period
#: test (few projects per period) cannot call it significant; the sheet says which it is.
CLEAR_MOVE = 0.25
FLAT_MOVE = 0.05  # below this the change sentence says "barely moved"

#: Text size of the partner chart, in figure pixels: on screen, and in the PDF, where the
#: 800-pixel-wide image is shrunk into half the A4 text width (about 88 mm), so 26 px prints
#: at about 7.5 pt.
SCREEN_FONT, PRINT_FONT = 12, 26

#: How an HTML sheet gets plotly.js: inlined (``True``), from a file beside it (a path ending
#: in ``.js``), or not at all (``False``: the words only).
PlotlyJs = bool | str

SheetKind = Literal["figures", "small", "withheld"]


class UnknownUnitError(LookupError):
    """A unit name the analysis does not have; the message names the closest one."""


@dataclass(frozen=True)
class TrendFacts:
    """The unit in the last two periods of a dated roster.

    Attributes
    ----------
    status
        ``"ok"`` (two periods or more), ``"one_period"``, ``"no_dates"`` (no trends given)
        or ``"off"`` (trends given without periods: not computed).
    period
        Period length: ``month``, ``quarter``, ``half`` or ``year``.
    rows
        The last two periods (one with ``"one_period"``): ``period``, ``ei_index``,
        ``ties_external``, ``ties_internal``, null where the unit has no figure.
    move
        The unit's entry of ``ei_moves`` in the last change (``change``, ``significant``,
        ``p``), or ``None``.
    """

    status: Literal["ok", "one_period", "no_dates", "off"]
    period: str | None = None
    rows: tuple[Mapping[str, Any], ...] = ()
    move: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class UnitFacts:
    """What one unit's sheet says, before it is put into words.

    Attributes
    ----------
    unit
        The unit's name.
    kind
        ``"figures"``; ``"small"`` (fewer people than the minimum group size) or
        ``"withheld"`` (figures withheld with smaller units'): these sheets say only why.
    privacy
        Privacy mode of the analysis.
    row
        The unit's row of the units table (NaN as ``None``); empty without figures.
    partners
        One row per partner unit with ties: ``partner``, ``ties``, ``shared_projects``,
        ``bridging_people``, ``key_people``, ``hangs_on_one_person``; most ties first.
    carriers
        The unit's people with collaborators in other units, most first (``None`` in
        aggregate mode, and when person-level figures were not computed).
    projects, project_count
        The unit's projects with visible other units (:func:`cross_unit_projects`) and the
        number of all its projects; ``None`` without memberships.
    trend
        :func:`unit_trend`.
    min_people, min_projects, n_permutations
        The analysis' verdict minimums and permutations (for the words on p and q).
    """

    unit: str
    kind: SheetKind
    privacy: str
    row: Mapping[str, Any] = field(default_factory=dict)
    partners: pl.DataFrame = field(default_factory=pl.DataFrame)
    carriers: pl.DataFrame | None = None
    projects: pl.DataFrame | None = None
    project_count: int | None = None
    trend: TrendFacts = TrendFacts("no_dates")
    min_people: int = 5
    min_projects: int = 3
    n_permutations: int | None = None


# -- which unit ------------------------------------------------------------------------------


def closest_unit(name: str, units: Sequence[str]) -> str | None:
    """Return the unit most like ``name``: one whose name holds it (case ignored, the shortest
    such), else the most similar spelling; ``None`` when there are no units.

    Examples
    --------
    >>> units = ["Kommunledningskontoret/Ekonomi", "Miljöförvaltningen/Tillsyn", "IT"]
    >>> closest_unit("ekonomi", units), closest_unit("Tilsyn", units), closest_unit("x", [])
    ('Kommunledningskontoret/Ekonomi', 'Miljöförvaltningen/Tillsyn', None)
    """
    if not units:
        return None
    wanted = name.casefold().strip()
    holding = [u for u in units if wanted and wanted in u.casefold()]
    if holding:
        return min(holding, key=lambda u: (len(u), u))
    by_fold = {u.casefold(): u for u in sorted(units, reverse=True)}
    best = difflib.get_close_matches(wanted, list(by_fold), n=1, cutoff=0.0)
    return by_fold[best[0]] if best else sorted(units)[0]


def find_unit(units: Sequence[str], name: str) -> str:
    """Return ``name`` if it is one of ``units``; else raise :class:`UnknownUnitError`
    naming the closest match (:func:`closest_unit`).

    Examples
    --------
    >>> find_unit(["IT", "HR"], "IT")
    'IT'
    >>> find_unit(["IT", "HR"], "it")
    Traceback (most recent call last):
    ...
    analyser.report.unit_sheet.UnknownUnitError: no unit 'it' in the analysis; the closest match is 'IT'
    """
    if name in units:
        return name
    closest = closest_unit(name, units)
    hint = f"the closest match is {closest!r}" if closest is not None else "the analysis has no units"
    raise UnknownUnitError(f"no unit {name!r} in the analysis; {hint}")


# -- the facts ------------------------------------------------------------------------------

PARTNER_SCHEMA = {
    "partner": pl.String, "ties": pl.Int64, "shared_projects": pl.Int64, "bridging_people": pl.Int64,
    "key_people": pl.String, "hangs_on_one_person": pl.Boolean,
}  # fmt: skip


def partner_table(unit_links: pl.DataFrame, unit: str) -> pl.DataFrame:
    """Return the partner units of ``unit`` from the unit links table: the other unit of each
    pair with at least one tie, most ties first (then by name).

    Columns missing from an older or hand-built table are null; ``hangs_on_one_person``
    then follows ``key_people``.

    Examples
    --------
    >>> links = pl.DataFrame({"unit_a": ["A", "B", "A"], "unit_b": ["B", "C", "C"], "ties": [2, 5, 7],
    ...                       "key_people": ["ann", None, None]})
    >>> partner_table(links, "A").select("partner", "ties", "hangs_on_one_person").rows()
    [('C', 7, False), ('B', 2, True)]
    """
    if unit_links.is_empty() or not {"unit_a", "unit_b", "ties"} <= set(unit_links.columns):
        return pl.DataFrame(schema=PARTNER_SCHEMA)
    links = unit_links.with_columns(pl.lit(None).alias(c) for c in ("shared_projects", "bridging_people", "key_people")
                                    if c not in unit_links.columns)  # fmt: skip
    if "hangs_on_one_person" not in links.columns:
        links = links.with_columns(pl.col("key_people").is_not_null().alias("hangs_on_one_person"))
    return (
        links.filter(((pl.col("unit_a") == unit) | (pl.col("unit_b") == unit)) & (pl.col("ties").fill_null(0) > 0))
        .select(
            pl.when(pl.col("unit_a") == unit).then("unit_b").otherwise("unit_a").alias("partner"),
            *(pl.col(c) for c in list(PARTNER_SCHEMA)[1:]),
        )
        .cast(PARTNER_SCHEMA)  # type: ignore[arg-type]
        .with_columns(pl.col("hangs_on_one_person").fill_null(False))
        .sort(["ties", "partner"], descending=[True, False])
    )


CARRIER_COLUMNS = ("person", "external_collaborators", "units_reached", "sole_bridges")


def outside_carriers(people: pl.DataFrame, unit: str) -> pl.DataFrame:
    """Return the people of ``unit`` with collaborators in other units: most outside
    collaborators first, then by cross-unit betweenness, then name.

    Examples
    --------
    >>> people = pl.DataFrame({"person": ["ann", "bob", "cid"], "unit": ["A", "A", "B"],
    ...                        "external_collaborators": [1, 4, 2], "units_reached": [1, 2, 1]})
    >>> outside_carriers(people, "A")["person"].to_list()
    ['bob', 'ann']
    """
    if people.is_empty() or not {"person", "unit", "external_collaborators"} <= set(people.columns):
        return pl.DataFrame(schema={c: pl.String if c == "person" else pl.Int64 for c in CARRIER_COLUMNS})
    keys = [c for c in ("external_collaborators", "cross_unit_betweenness") if c in people.columns]
    return (
        people.filter((pl.col("unit") == unit) & (pl.col("external_collaborators") > 0))
        .sort([*keys, "person"], descending=[*(True for _ in keys), False], nulls_last=True)
        .select(c for c in CARRIER_COLUMNS if c in people.columns)
    )


def cross_unit_projects(memberships: pl.DataFrame, unit: str, hidden: Sequence[str] = ()) -> tuple[pl.DataFrame, int]:
    """Return the projects of ``unit`` that include other units, and how many projects it has.

    Each row has ``project``, ``members_in_unit``, ``members`` (all distinct people) and
    ``partners`` (the other units, most members first, then by name); largest projects
    first. Units in ``hidden`` (withheld) are left out of ``partners``, and a project whose
    only other units are hidden is left out, so the sheet never says that a withheld unit
    works with this one.

    Parameters
    ----------
    memberships
        ``project``, ``person``, ``unit`` with units at the analysed level
        (:meth:`~analyser.roster.Roster.at_level`).
    unit
        The unit.
    hidden
        Withheld units (:func:`~analyser.report.common.suppressed_units`).

    Examples
    --------
    >>> m = pl.DataFrame({"project": ["P1", "P1", "P1", "P2", "P3", "P3"], "person": ["a", "b", "c", "a", "a", "d"],
    ...                   "unit": ["A", "B", "C", "A", "A", "H"]})
    >>> table, total = cross_unit_projects(m, "A", hidden=["H"])
    >>> table.rows(), total
    ([('P1', 1, 3, ['B', 'C'])], 3)
    """
    per_unit = memberships.group_by("project", "unit").agg(pl.col("person").n_unique().alias("n"))
    own = per_unit.filter(pl.col("unit") == unit).select("project", pl.col("n").alias("members_in_unit"))
    others = (
        per_unit.filter((pl.col("unit") != unit) & ~pl.col("unit").is_in(list(hidden)))
        .join(own.select("project"), on="project", how="semi")
        .sort(["n", "unit"], descending=[True, False])
        .group_by("project", maintain_order=True)
        .agg(pl.col("unit").alias("partners"))
    )
    members = (
        memberships.join(own.select("project"), on="project", how="semi")
        .group_by("project")
        .agg(pl.col("person").n_unique().alias("members"))
    )
    table = (
        own.join(members, on="project").join(others, on="project", how="inner")
        .select("project", "members_in_unit", "members", "partners")
        .sort(["members", "project"], descending=[True, False])
    )  # fmt: skip
    return table, own.height


def _period_row(period: Mapping[str, Any], unit: str) -> dict[str, Any]:
    entry = next((u for u in period.get("units") or [] if u.get("unit") == unit), {})
    return {"period": period.get("period"), **{k: finite_or_none(entry.get(k)) for k in
                                               ("ei_index", "ties_external", "ties_internal")}}  # fmt: skip


def unit_trend(trends: Mapping[str, Any] | None, unit: str) -> TrendFacts:
    """Return the unit in the last two periods of ``trends`` (:func:`analyser.periods.trends_json`).

    ``None`` means the roster has no dates; trends without periods mean they were not computed.

    Examples
    --------
    >>> t = {"meta": {"period": "year"}, "periods": [
    ...     {"period": "2025", "units": [{"unit": "A", "ei_index": -0.4, "ties_external": 3, "ties_internal": 7}]},
    ...     {"period": "2026", "units": [{"unit": "A", "ei_index": 0.2, "ties_external": 6, "ties_internal": 4}]}],
    ...     "changes": [{"ei_moves": [{"unit": "A", "change": 0.6, "significant": True, "p": 0.01}]}]}
    >>> trend = unit_trend(t, "A")
    >>> trend.status, [r["ei_index"] for r in trend.rows], trend.move["significant"]
    ('ok', [-0.4, 0.2], True)
    >>> unit_trend(None, "A").status, unit_trend({"periods": []}, "A").status
    ('no_dates', 'off')
    """
    if trends is None:
        return TrendFacts("no_dates")
    periods = trends.get("periods") or []
    length = (trends.get("meta") or {}).get("period")
    if not periods:
        return TrendFacts("off", length)
    rows = tuple(_period_row(p, unit) for p in periods[-2:])
    if len(periods) == 1:
        return TrendFacts("one_period", length, rows)
    changes = trends.get("changes") or []
    moves = (changes[-1].get("ei_moves") or []) if changes else []
    return TrendFacts("ok", length, rows, next((m for m in moves if m.get("unit") == unit), None))


def _sheet_kind(row: Mapping[str, Any], min_people: int) -> SheetKind:
    people = row.get("people")
    if people is not None and people < min_people:
        return "small"
    return "withheld" if row.get("suppressed") else "figures"


def unit_facts(
    analysis: Analysis,
    unit: str,
    *,
    memberships: pl.DataFrame | None = None,
    trends: Mapping[str, Any] | None = None,
) -> UnitFacts:
    """Return what the sheet of ``unit`` says (:class:`UnitFacts`).

    Parameters
    ----------
    analysis
        :func:`analyser.analysis.analyse` result; its privacy mode decides what is shown of
        people (codes in ``pseudonyms`` mode, nobody in ``aggregate`` mode).
    unit
        The unit's exact name.
    memberships
        Roster memberships with units at the analysed level, for the projects with other
        units (only project and unit names and head-counts are read, never people).
    trends
        :func:`analyser.periods.trends_json` of the same roster and options (same privacy
        mode), or ``None`` when the roster has no dates.

    Raises
    ------
    UnknownUnitError
        When the analysis has no such unit; the message names the closest one.

    Examples
    --------
    >>> from analyser.analysis import analyse
    >>> from analyser.roster import Roster
    >>> rows = [("P1", p, "A") for p in "abcde"] + [("P2", "e", "A"), ("P2", "f", "B")]
    >>> facts = unit_facts(analyse(Roster.from_rows(rows), n_permutations=9, min_group_size=2), "A")
    >>> facts.kind, facts.partners.select("partner", "ties", "hangs_on_one_person").rows()
    ('figures', [('B', 1, True)])
    >>> unit_facts(analyse(Roster.from_rows(rows), n_permutations=9), "B").kind
    'small'
    """
    units = analysis.units
    find_unit(units["unit"].to_list() if "unit" in units.columns else [], unit)
    row = {k: finite_or_none(v) for k, v in units.filter(pl.col("unit") == unit).row(0, named=True).items()}
    min_people, min_projects = verdict_minimums(analysis.meta)
    common = {"unit": unit, "privacy": analysis.privacy, "min_people": min_people, "min_projects": min_projects,
              "n_permutations": permutations_used(analysis.meta)}  # fmt: skip
    kind = _sheet_kind(row, min_people)
    if kind != "figures":  # nothing else about the unit: not even its exact head-count
        return UnitFacts(kind=kind, **common)
    projects, count = (None, None)
    if memberships is not None:
        projects, count = cross_unit_projects(memberships, unit, suppressed_units(units))
    # no people in aggregate mode; none computed on the unit-level route (a very large roster)
    unit_level = ((analysis.meta.get("methods") or {}).get("route")) == "unit level only"
    carriers = None if analysis.privacy == "aggregate" or unit_level else outside_carriers(analysis.people, unit)
    return UnitFacts(kind=kind, row=row, partners=partner_table(analysis.unit_links, unit), carriers=carriers,
                     projects=projects, project_count=count, trend=unit_trend(trends, unit), **common)  # fmt: skip


# -- the questions ---------------------------------------------------------------------------

Question = tuple[str, dict[str, Any]]

#: Asked when the figures call for fewer than :data:`MIN_QUESTIONS`: good for any unit.
GENERAL_QUESTIONS: tuple[Question, ...] = (("q_gone_better", {}), ("q_turn_to", {}), ("q_need_from_us", {}))


def trend_direction(trend: TrendFacts) -> Literal["rising", "falling"] | None:
    """Return whether the unit's E-I clearly rose or fell over the last two periods: a move
    the period test calls significant, or one of at least :data:`CLEAR_MOVE`.

    Examples
    --------
    >>> rows = ({"period": "2025", "ei_index": 0.1}, {"period": "2026", "ei_index": -0.3})
    >>> trend_direction(TrendFacts("ok", "year", rows)), trend_direction(TrendFacts("no_dates"))
    ('falling', None)
    >>> small = ({"period": "2025", "ei_index": 0.1}, {"period": "2026", "ei_index": 0.15})
    >>> significant = TrendFacts("ok", "year", small, {"significant": True})
    >>> trend_direction(TrendFacts("ok", "year", small)), trend_direction(significant)
    (None, 'rising')
    """
    if trend.status != "ok" or len(trend.rows) < 2:
        return None
    before, after = trend.rows[0]["ei_index"], trend.rows[1]["ei_index"]
    if before is None or after is None or before == after:
        return None
    significant = bool((trend.move or {}).get("significant"))
    if not significant and abs(after - before) < CLEAR_MOVE:
        return None
    return "rising" if after > before else "falling"


def _key_people(text: str | None) -> list[str]:
    return [p for p in (text or "").split("; ") if p]


def _sole_question(facts: UnitFacts) -> Question | None:
    """The link with most ties that hangs on one person: named people only in names mode
    (a pseudonym code reads as a judgment of someone in a conversation)."""
    sole = facts.partners.filter(pl.col("hangs_on_one_person"))
    if sole.is_empty():
        return None
    top = sole.row(0, named=True)
    people = _key_people(top["key_people"]) if facts.privacy == "names" else []
    if not people:
        return "q_sole_anonymous", {"partner": top["partner"]}
    # one person is often the only link to several units: the question counts them all
    also = sum(bool(set(_key_people(k)) & set(people)) for k in sole["key_people"].to_list()[1:])
    key = "q_sole_named" if not also else "q_sole_named_one" if also == 1 else "q_sole_named_other"
    return key, {"partner": top["partner"], "people": people, **({"n": also} if also else {})}


def discussion_questions(facts: UnitFacts) -> list[Question]:
    """Return 3–5 questions for the conversation, chosen from the unit's figures.

    In order of what is most at stake: a link to another unit that hangs on one person; a
    significant silo; a clear rise or fall of E-I since the previous period; no partner or
    few partners; outside ties concentrated on one person; most ties inside; many partners.
    General questions fill up to three. Each is a text key of :data:`SHEET_TEXTS` with its
    values (``partner``, ``people``, ``partners``, ``before``, ``share``, ``n``). People are
    named only in ``names`` mode. A sheet without figures gets none.

    Examples
    --------
    >>> partners = pl.DataFrame({"partner": ["B"], "ties": [3], "key_people": ["ann"],
    ...                          "hangs_on_one_person": [True]})
    >>> facts = UnitFacts("A", "figures", "names", row={"verdict": "silo", "ei_index": -0.4,
    ...                   "partner_units": 1}, partners=partners)
    >>> [key for key, _ in discussion_questions(facts)]
    ['q_sole_named', 'q_silo', 'q_few_partners']
    >>> discussion_questions(UnitFacts("A", "figures", "pseudonyms", row={}, partners=partners))[0]
    ('q_sole_anonymous', {'partner': 'B'})
    """
    if facts.kind != "figures":
        return []
    row = facts.row
    verdict, ei = row.get("verdict"), row.get("ei_index")
    partners = facts.partners["partner"].to_list()
    concentration = row.get("bridge_concentration")
    trend = facts.trend
    direction = trend_direction(trend)
    sole = _sole_question(facts)
    picks: list[Question | None] = [
        sole,
        ("q_silo", {}) if verdict == "silo" else None,
        (f"q_{direction}", {"before": trend.rows[0]["period"]}) if direction else None,
        ("q_no_partners", {}) if not partners else None,
        ("q_few_partners", {"partners": partners}) if 0 < len(partners) <= FEW_PARTNERS else None,
        # the sole-bridge question already asks about one person carrying the contact
        ("q_concentrated", {"share": concentration})
        if concentration is not None and concentration >= CONCENTRATED and sole is None else None,
        ("q_inward", {}) if ei is not None and ei < 0 and verdict != "silo" else None,
        ("q_many_partners", {"n": len(partners)}) if len(partners) >= MANY_PARTNERS else None,
    ]  # fmt: skip
    chosen = [q for q in picks if q is not None][:MAX_QUESTIONS]
    return chosen + list(GENERAL_QUESTIONS[: max(0, MIN_QUESTIONS - len(chosen))])


# -- words -----------------------------------------------------------------------------------


def _w() -> dict[str, Any]:
    """The sheet's words in the language being written."""
    return SHEET_TEXTS[current_language()]


def _say(key: str, **values: str) -> str:
    """The sheet text ``key`` filled with values that are already escaped HTML."""
    return _e(_w()[key]).format(**values)


def _join(items: Sequence[str], last: str) -> str:
    """``a, b or c`` (``last`` is the sheet's ``or`` or ``and``); items are escaped HTML."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _e(_w()[last]) + items[-1]


def _pct(share: float | None) -> str:
    """A share as the report writes it ("40 %"), kept on one line with the number."""
    return _share(share).replace(" ", "\u00a0")


def _as_share(ei: float) -> float:
    """The share of ties that reach other units, from the E-I index: (E-I + 1) / 2."""
    return (ei + 1) / 2


def _relation(text: str) -> str:
    """``= 0.004`` for a value, ``≤ 0.001`` at the test's floor (already carrying its sign)."""
    return text if text[:1] in "\u2264<" else f"= {text}"


def _q(value: float | None, n_permutations: int | None) -> str:
    return _relation(_p(value, n_permutations))


def verdict_key(verdict: str | None, ei: float, perm: float) -> str:
    """Which sentence compares the unit with its shuffled-units baseline.

    Examples
    --------
    >>> verdict_key("silo", -0.2, 0.8), verdict_key("not_silo", -0.2, 0.8), verdict_key("not_silo", 0.3, 0.8)
    ('v_silo', 'v_chance', 'v_open')
    >>> verdict_key("not_silo", 0.9, 0.8), verdict_key("too_little_data", 1.0, 0.9)
    ('v_above', 'v_plain')
    """
    if verdict == "silo":
        return "v_silo"
    if verdict != "not_silo":
        return "v_plain"
    if ei >= perm:
        return "v_above"
    return "v_open" if ei >= 0 else "v_chance"


def _verdict_sentences(facts: UnitFacts) -> list[str]:
    """The verdict in plain words: share of ties outside, both baselines, the call and why."""
    row = facts.row
    ei, perm, rnd = row.get("ei_index"), row.get("ei_expected_perm"), row.get("ei_expected")
    verdict = row.get("verdict")
    inside, outside = row.get("ties_internal") or 0, row.get("ties_external") or 0
    ties = inside + outside
    if ei is None or ties == 0:
        out = [_say("no_ties")]
    elif ties == 1:
        out = [_say("share_single_out" if outside else "share_single_in")]
    else:
        out = [_say("share_other", ties=_int(ties), share=_pct(outside / ties))]
    if ei is not None and perm is not None:
        expect = _say("expect", perm=_pct(_as_share(perm)))
        q = _q(row.get("ei_q"), facts.n_permutations)
        out.append(_e(_w()[verdict_key(verdict, ei, perm)]).format(expect=expect, q=q))
    if ei is not None and rnd is not None:
        out.append(_say("random", random=_pct(_as_share(rnd))))
    if verdict == "too_little_data":
        out.append(_say("v_too_little", people=_int(facts.min_people), projects=_int(facts.min_projects)))
    elif verdict is None:
        out.append(_say("v_not_tested"))
    return out


def _verdict_box(facts: UnitFacts) -> str:
    row = facts.row
    verdict = row.get("verdict")
    label = _e(HTML_TEXTS[current_language()]["verdict_labels"][verdict or "not_tested"])
    css = "silo" if verdict == "silo" else "none" if verdict != "not_silo" else ""
    figures_line = ""
    if row.get("ei_index") is not None:
        q = row.get("ei_q")  # none for a unit without a verdict: left out, not shown as "–"
        q_part = "" if q is None else _say("figures_q", q=_q(q, facts.n_permutations))
        figures_line = '<p class="note">' + _say(
            "figures_line", ei=_dec(row["ei_index"]), perm=_dec(row.get("ei_expected_perm")),
            random=_dec(row.get("ei_expected")), q=q_part,
        ) + "</p>"  # fmt: skip
    text = " ".join(_verdict_sentences(facts))
    return (f'<section class="verdict {css}"><p><span class="badge {css}">{label}</span> {text}</p>'
            f"{figures_line}</section>")  # fmt: skip


KEY_FIGURES = (
    ("key_people", "people", _int), ("key_projects", "projects", _int), ("key_inside", "ties_internal", _int),
    ("key_outside", "ties_external", _int), ("key_partners", "partner_units", _int),
    ("key_cross", "cross_unit_project_share", _pct),
)  # fmt: skip


def _key_figures(row: Mapping[str, Any]) -> str:
    items = "".join(f"<div><dt>{_e(_w()[label])}</dt><dd>{_e(show(row.get(column)))}</dd></div>"
                    for label, column, show in KEY_FIGURES)  # fmt: skip
    return f'<dl class="keyfigs">{items}</dl>'


def _more(key: str, n: int) -> str:
    return f'<p class="note">{_say(key, n=_int(n))}</p>' if n > 0 else ""


def _partners(facts: UnitFacts, embed: Callable[[go.Figure, str], str], font_size: int) -> str:
    """The partner chart (top :data:`PARTNER_BARS`), the rest in one line."""
    partners = facts.partners
    heading = f"<h2>{_e(_w()['h_partners'])}</h2>"
    if partners.is_empty():
        return f"<section>{heading}<p>{_say('partners_none')}</p></section>"
    shown, rest = partners.head(PARTNER_BARS), partners.slice(PARTNER_BARS)
    caption = "partners_caption_sole" if shown["hangs_on_one_person"].any() else "partners_caption"
    chart = figures.partner_ties_bar(partners, PARTNER_BARS, current_language(), font_size)
    parts = [heading, f'<p class="note">{_say(caption)}</p>', embed(chart, "partners")]
    if rest.height:
        key = "partners_more_one" if rest.height == 1 else "partners_more_other"
        parts.append(f'<p class="note">{_say(key, n=_int(rest.height), ties=_int(rest["ties"].sum()))}</p>')
    return f"<section>{''.join(parts)}</section>"


def _sole_links(facts: UnitFacts) -> str:
    """Aggregate mode: no people at all, only which links hang on one person (a unit-level
    fact the analysis keeps in every mode) and why nobody is named."""
    sole = facts.partners.filter(pl.col("hangs_on_one_person"))["partner"].to_list()
    if sole:
        names = [_e(u) for u in sole[:SOLE_ROWS]]
        if len(sole) > SOLE_ROWS:
            names.append(_say("and_more", n=_int(len(sole) - SOLE_ROWS)))
        key = "sole_units_one" if len(sole) == 1 else "sole_units_other"
        text = _say(key, units=_join(names, "and"))
    else:
        text = _say("sole_none")
    return (f"<section><h2>{_e(_w()['sole_title'])}</h2><p>{text}</p>"
            f'<p class="note">{_say("people_hidden")}</p></section>')  # fmt: skip


def _sole_list(facts: UnitFacts) -> str:
    sole = facts.partners.filter(pl.col("hangs_on_one_person"))
    title = f"<h3>{_e(_w()['sole_title'])}</h3>"
    if sole.is_empty():
        return f"{title}<p>{_say('sole_none')}</p>"
    items = "".join(
        f"<li>{_say('sole_line', partner=_e(p), people=_join([_e(x) for x in _key_people(k)], 'or'))}</li>"
        for p, k in sole.head(SOLE_ROWS).select("partner", "key_people").iter_rows()
    )
    return f'{title}<ul class="sole">{items}</ul>{_more("sole_more", sole.height - SOLE_ROWS)}'


def _people(facts: UnitFacts) -> str:
    """Who carries the outside ties (codes in pseudonyms mode) and the sole bridges; in
    aggregate mode there is no people section (:func:`_sole_links` instead)."""
    heading = f"<h2>{_e(_w()['h_people'])}</h2>"
    carriers = facts.carriers
    if carriers is None and facts.privacy == "aggregate":
        return _sole_links(facts)
    if carriers is None:  # the unit-level route: who bridges, and which link hangs on whom, is unknown
        return f'<section>{heading}<p class="note">{_say("people_skipped")}</p></section>'
    if carriers.is_empty():
        body = f"<p>{_say('people_none')}</p>"
    else:
        key = "people_intro_one" if carriers.height == 1 else "people_intro"
        intro = _say(key, n=_int(carriers.height), people=_int(facts.row.get("people")))
        codes = f' {_say("people_codes")}' if facts.privacy == "pseudonyms" else ""
        table = _table(carriers.head(CARRIER_ROWS), carriers.columns)  # the report's people columns and words
        body = f'<p>{intro}{codes}</p><div class="carriers">{table}</div>'
    return f"<section>{heading}{body}{_sole_list(facts)}</section>"


def _partner_names(names: Sequence[str]) -> str:
    shown = ", ".join(_e(n) for n in names[:PROJECT_PARTNERS])
    extra = len(names) - PROJECT_PARTNERS
    return shown + (" " + _say("and_more", n=_int(extra)) if extra > 0 else "")


def _projects(facts: UnitFacts) -> str:
    heading = f"<h2>{_e(_w()['h_projects'])}</h2>"
    projects = facts.projects
    if projects is None:
        return f'<section>{heading}<p class="note">{_say("projects_unknown")}</p></section>'
    if projects.is_empty():
        key = "projects_none_one" if facts.project_count == 1 else "projects_none"
        return f"<section>{heading}<p>{_say(key, total=_int(facts.project_count))}</p></section>"
    intro = _say("projects_intro", n=_int(projects.height), total=_int(facts.project_count))
    head = "".join(f'<th scope="col">{_e(_w()[k])}</th>' for k in ("col_project", "col_members", "col_partners"))
    rows = "".join(
        f'<tr><td>{_e(name)}</td><td class="num">{_int(ours)} / {_int(members)}</td>'
        f"<td>{_partner_names(partners)}</td></tr>"
        for name, ours, members, partners in projects.head(PROJECT_ROWS).iter_rows()
    )
    table = f'<table class="projects"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return f"<section>{heading}<p>{intro}</p>{table}</section>"


def _change_sentence(trend: TrendFacts) -> str:
    before, after = trend.rows
    if before["ei_index"] is None or after["ei_index"] is None:
        missing = before if before["ei_index"] is None else after
        return _say("change_missing", period=_e(missing["period"]))
    change = after["ei_index"] - before["ei_index"]
    key = "change_flat" if abs(change) < FLAT_MOVE else "change_up" if change > 0 else "change_down"
    text = _say(key, before=_e(before["period"]), after=_e(after["period"]))
    p = (trend.move or {}).get("p")
    if p is None:
        return text + _say("change_untested")
    return text + _say("change_significant" if trend.move.get("significant") else "change_chance", p=_q(p, None))


def _change(facts: UnitFacts) -> str:
    heading = f"<h2>{_e(_w()['h_change'])}</h2>"
    trend = facts.trend
    if trend.status in ("no_dates", "off"):
        return f"<section>{heading}<p>{_say('change_' + trend.status)}</p></section>"
    if trend.status == "one_period":
        return f"<section>{heading}<p>{_say('change_one_period', period=_e(trend.rows[0]['period']))}</p></section>"
    period = HTML_TEXTS[current_language()]["period_names"].get(trend.period, trend.period or "")
    columns = ("col_period", "col_ei", "col_ties_out", "col_ties_in")
    head = "".join(f'<th scope="col">{_e(_w()[k])}</th>' for k in columns)
    rows = "".join(
        f'<tr><td>{_e(r["period"])}</td><td class="num">{_dec(r["ei_index"])}</td>'
        f'<td class="num">{_int(r["ties_external"])}</td><td class="num">{_int(r["ties_internal"])}</td></tr>'
        for r in trend.rows
    )
    return (f"<section>{heading}<p>{_say('change_intro', period=_e(period))}</p>"
            f'<table class="change"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            f"<p>{_change_sentence(trend)}</p></section>")  # fmt: skip


def _question_text(key: str, values: Mapping[str, Any]) -> str:
    """A question in words: people joined with "or", partner units with "and"."""
    shown = {
        k: _join([_e(x) for x in v], "or") if k == "people"
        else _join([_e(x) for x in v], "and") if k == "partners"
        else _pct(v) if k == "share"
        else _int(v) if k == "n"
        else _e(v)
        for k, v in values.items()
    }  # fmt: skip
    return _say(key, **shown)


def _questions(facts: UnitFacts) -> str:
    items = "".join(f"<li>{_question_text(key, values)}</li>" for key, values in discussion_questions(facts))
    return f'<section class="questions"><h2>{_e(_w()["h_questions"])}</h2><ol>{items}</ol></section>'


def _where(meta: Mapping[str, Any], privacy: str) -> dict[str, str]:
    """Which roster, level and privacy mode the figures come from, as escaped words."""
    level = (meta.get("options") or {}).get("level")
    return {
        "source": _e(Path(str(meta.get("source") or "–")).name),
        "level": _say("level", n=_int(level)) if level else _say("level_written"),
        "privacy": _e(_w()["privacy"].get(privacy, privacy)),
    }


def _source_line(meta: Mapping[str, Any], privacy: str) -> str:
    return _say("source", **_where(meta, privacy), made=_e(str(meta.get("generated") or "–")[:10]),
                version=_e(meta.get("version") or "–"))  # fmt: skip


def _sheet_body(facts: UnitFacts, meta: Mapping[str, Any], embed: Callable[[go.Figure, str], str], *,
                font_size: int = SCREEN_FONT) -> str:  # fmt: skip
    """The sheet's visible content in the current language: a header, then either every
    section or, for a unit without figures, only why."""
    header = (f'<header><p class="kicker">{_e(_w()["kicker"])}</p><h1>{_e(facts.unit)}</h1>'
              f'<p class="sub">{_source_line(meta, facts.privacy)}</p></header>')  # fmt: skip
    if facts.kind != "figures":
        reason = _say("small", k=_int(facts.min_people)) if facts.kind == "small" else _say("withheld")
        return f'{header}<main><section><h2>{_e(_w()["h_no_figures"])}</h2><p>{reason}</p></section></main>'
    footer = f'<footer><p class="note">{_say("how_to_read", alpha=_dec(SIGNIFICANCE_LEVEL))}</p></footer>'
    return (
        f"{header}<main>{_verdict_box(facts)}{_key_figures(facts.row)}"
        f'<div class="cols">{_partners(facts, embed, font_size)}{_people(facts)}</div>'
        f"{_projects(facts)}{_change(facts)}{_questions(facts)}</main>{footer}"
    )


#: The sheet's style, on screen and on paper. Arial and its metric twin Liberation Sans come
#: first so that text takes the same room in every browser and in weasyprint, and the page
#: that fits A4 in the PDF also fits when the HTML is printed.
SHEET_CSS = """
:root { --ink:#1d2733; --muted:#5b6673; --line:#d9dee4; --accent:#1F4E79; --silo:#C0392B; }
* { box-sizing: border-box; }
body { font: 14px/1.4 Arial, "Liberation Sans", Helvetica, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 52rem; padding: 1.2rem; }
h1 { font-size: 1.5em; margin: .05em 0 .1em; overflow-wrap: anywhere; }
h2 { font-size: 1.02em; color: var(--accent); border-bottom: 1.5px solid var(--accent); margin: .85em 0 .3em;
     padding-bottom: .05em; break-after: avoid; }
h3 { font-size: .92em; margin: .6em 0 .15em; }
p { margin: .2em 0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--accent); font-size: .72em;
          font-weight: 700; margin: 0; }
.sub, .note { color: var(--muted); font-size: .8em; }
.verdict { border-left: 5px solid var(--accent); background: #f1f5f9; padding: .45em .7em; margin-top: .7em; }
.verdict.silo { border-color: var(--silo); background: #fbefed; }
.verdict.none { border-color: #95A5A6; }
.badge { display: inline-block; border: 1px solid var(--accent); color: var(--accent); border-radius: .3em;
         padding: 0 .4em; font-size: .85em; font-weight: 600; white-space: nowrap; }
.badge.silo { border-color: var(--silo); color: #fff; background: var(--silo); }
.badge.none { border-color: #95A5A6; color: var(--muted); }
dl.keyfigs { display: grid; grid-template-columns: repeat(6, 1fr); gap: .35em; margin: .55em 0 0; }
dl.keyfigs div { border: 1px solid var(--line); border-radius: .25em; padding: .15em .4em; }
dl.keyfigs dt { font-size: .7em; color: var(--muted); line-height: 1.2; }
dl.keyfigs dd { margin: 0; font-size: 1.1em; font-weight: 600; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.3em; }
.cols > section { min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: .8em; margin: .2em 0 .3em; }
th, td { border-bottom: 1px solid var(--line); padding: .12em .3em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eef2f6; font-weight: 600; overflow-wrap: normal; hyphens: auto; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.undefined, td.withheld { color: var(--muted); }
table.change { width: auto; }
table.projects td:first-child { width: 36%; }
.carriers th:first-child { width: 38%; }
.carriers td:first-child { overflow-wrap: normal; }
ul.sole { margin: .1em 0; padding-left: 1.1em; font-size: .85em; }
.figure { margin: .2em 0; }
.figure img { display: block; width: 100%; }
.questions { background: #f6f8fa; border: 1px solid var(--line); border-radius: .3em; padding: .1em .8em .35em;
             margin-top: .9em; break-inside: avoid; }
.questions h2 { border: 0; margin-top: .45em; }
.questions ol { margin: .1em 0; padding-left: 1.3em; }
.questions li { margin: .25em 0; }
footer { margin-top: .6em; border-top: 1px solid var(--line); padding-top: .25em; }
table.index { font-size: .9em; }
@page { size: A4; margin: 11mm 13mm 11mm; }
@media print { body { max-width: none; padding: 0; font-size: 9pt; } a { color: inherit; } }
"""

#: Tighter layout for a sheet whose normal layout would spill onto a second page (very long
#: unit or project names): smaller type and spacing, the same content.
COMPACT_CSS = """
@media print { body { font-size: 8.2pt; line-height: 1.3; } }
h2 { margin: .6em 0 .2em; }
.verdict { margin-top: .5em; }
.questions { margin-top: .6em; }
"""


def _document(body: str, title: str, css: str = SHEET_CSS) -> str:
    lang = _e(HTML_TEXTS[current_language()]["lang"])
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{css}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")  # fmt: skip


def _html_embedder(plotlyjs: PlotlyJs) -> Callable[[go.Figure, str], str]:
    """Embed figures as interactive plotly divs; plotly.js inlined (``True``) or loaded from
    a file beside the sheet (a path ending ``.js``) with the first figure only."""
    count = 0

    def embed(fig: go.Figure, name: str) -> str:
        nonlocal count
        count += 1
        div = pio.to_html(
            fig, full_html=False, include_plotlyjs=plotlyjs if count == 1 else False, div_id=f"figure-{name}",
            config={**FIGURE_CONFIG, "displayModeBar": False}, default_height=f"{fig.layout.height or 300}px",
        )  # fmt: skip
        return f'<div class="figure">{div}</div>'

    return embed


def sheet_html(
    facts: UnitFacts, meta: Mapping[str, Any], *, lang: str = "en", plotlyjs: PlotlyJs = True
) -> str:
    """Return the sheet of ``facts`` as one HTML page (A4 when printed).

    Parameters
    ----------
    facts
        :func:`unit_facts`.
    meta
        The analysis' ``meta`` (source, level, generated, version) for the header.
    lang
        ``"en"`` or ``"sv"``.
    plotlyjs
        ``True`` inlines plotly.js (a self-contained page of about 5 MB); a path ending in
        ``.js`` loads it from there instead (sheets in one folder share one copy).

    Examples
    --------
    >>> page = sheet_html(UnitFacts("<IT>", "small", "names"), {"source": "r.csv"}, lang="sv")
    >>> "&lt;IT&gt;" in page, "färre än 5 personer" in page, "<script" in page
    (True, True, False)
    """
    with report_language(lang):
        body = _sheet_body(facts, meta, _html_embedder(plotlyjs))
        return _document(body, _w()["title"].format(unit=facts.unit))


def _one_page_pdf(page: str) -> bytes:
    """Print ``page`` to PDF; should it run onto a second page, print it again in the
    compact layout (weasyprint lays out before writing, so the check costs one layout)."""
    weasyprint = load_weasyprint()  # PdfUnavailable, saying how to install Pango, when it cannot load
    CSS, HTML = weasyprint.CSS, weasyprint.HTML  # noqa: N806 - weasyprint's classes

    document = HTML(string=page, url_fetcher=_only_data_urls()).render()
    if len(document.pages) > 1:
        document = HTML(string=page, url_fetcher=_only_data_urls()).render(stylesheets=[CSS(string=COMPACT_CSS)])
    return document.write_pdf()


def sheet_pdfs(facts: Sequence[UnitFacts], meta: Mapping[str, Any], *, lang: str = "en") -> list[bytes]:
    """Return the sheet of each of ``facts`` as a one-page A4 PDF, in order.

    All partner charts are drawn by one headless Chromium (:func:`~analyser.report.pdf_report.figure_pngs`),
    so a folder of sheets costs one browser start, not one per sheet.

    Raises
    ------
    PdfExportError
        When Chromium is not installed (only sheets with a chart need it).

    Examples
    --------
    >>> sheet_pdfs([UnitFacts("IT", "small", "names")], {})[0][:5]  # doctest: +SKIP
    b'%PDF-'
    """
    collected: list[tuple[go.Figure, str]] = []

    def embed(fig: go.Figure, name: str) -> str:
        collected.append((fig, name))
        return f"<sheet-figure {len(collected) - 1}>"  # a slot no escaped user text can contain

    with report_language(lang):
        pages = [_document(_sheet_body(f, meta, embed, font_size=PRINT_FONT), _w()["title"].format(unit=f.unit))
                 for f in facts]  # fmt: skip
    pngs = figure_pngs([fig for fig, _ in collected])
    images = [f'<div class="figure">{_image_tag(png, fig, name)}</div>'
              for png, (fig, name) in zip(pngs, collected, strict=True)]
    return [_one_page_pdf(re.sub(r"<sheet-figure (\d+)>", lambda m: images[int(m.group(1))], page)) for page in pages]


def _format(fmt: str) -> str:
    suffix = fmt if fmt.startswith(".") else f".{fmt}"
    if suffix.lower() not in SHEET_FORMATS:
        msg = f"a unit sheet is written as {' or '.join(SHEET_FORMATS)}, not {fmt!r}"
        raise ValueError(msg)
    return suffix.lower()


def unit_sheet_bytes(
    analysis: Analysis,
    unit: str,
    fmt: str = "pdf",
    *,
    memberships: pl.DataFrame | None = None,
    trends: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> bytes:
    """Return the dialogue sheet of ``unit`` as ``"pdf"`` or ``"html"`` bytes.

    See :func:`unit_facts` for ``memberships`` and ``trends``, which must be in the
    analysis' privacy mode. The HTML is self-contained (plotly.js inlined).

    Raises
    ------
    UnknownUnitError
        For a unit the analysis does not have (the message names the closest one).
    PdfExportError
        For ``"pdf"`` when Chromium is missing.

    Examples
    --------
    >>> from analyser.analysis import analyse
    >>> from analyser.roster import Roster
    >>> a = analyse(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]), n_permutations=9)
    >>> b"Dialogue sheet" in unit_sheet_bytes(a, "A", "html")
    True
    """
    suffix = _format(fmt)
    check_language(lang)
    check_trends(analysis, trends)
    facts = unit_facts(analysis, unit, memberships=memberships, trends=trends)
    if suffix == ".pdf":
        return sheet_pdfs([facts], analysis.meta, lang=lang)[0]
    return sheet_html(facts, analysis.meta, lang=lang).encode("utf-8")


def write_unit_sheet(
    analysis: Analysis,
    unit: str,
    out: str | Path,
    *,
    memberships: pl.DataFrame | None = None,
    trends: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> Path:
    """Write the sheet of ``unit`` to ``out`` (``.pdf`` or ``.html``, by its suffix); return the path.

    Examples
    --------
    >>> import tempfile
    >>> from analyser.analysis import analyse
    >>> from analyser.roster import Roster
    >>> a = analyse(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]), n_permutations=9)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_unit_sheet(a, "A", Path(tmp) / "a.html").name
    'a.html'
    >>> write_unit_sheet(a, "A", "a.docx")
    Traceback (most recent call last):
    ...
    ValueError: a unit sheet is written as .html or .pdf, not '.docx'
    """
    out = Path(out)
    content = unit_sheet_bytes(analysis, unit, _format(out.suffix), memberships=memberships, trends=trends, lang=lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    return out


def sheet_filenames(units: Sequence[str], suffix: str) -> dict[str, str]:
    """Return a safe, distinct file name for each unit's sheet (``index`` is kept for the list).

    Clashes are settled in name order, so the same units always get the same names.

    Examples
    --------
    >>> sheet_filenames(["Miljö/Tillsyn", "miljo tillsyn", "Index"], ".pdf")
    {'Index': 'index-2.pdf', 'Miljö/Tillsyn': 'miljo-tillsyn.pdf', 'miljo tillsyn': 'miljo-tillsyn-2.pdf'}
    """
    return {unit: stem + suffix for unit, stem in unique_slugs(sorted(units), taken=["index"]).items()}


def _index_page(facts: Sequence[UnitFacts], files: Mapping[str, str], analysis: Analysis) -> str:
    """The list of sheets: units with figures in the report's order (silos first), then those
    without in name order; each unit links to its sheet."""
    by_unit = {f.unit: f for f in facts}
    ranked = ordered_units(analysis.units)["unit"].to_list()
    without = sorted(u for u in ranked if by_unit[u].kind != "figures")
    order = [u for u in ranked if by_unit[u].kind == "figures"] + without
    labels = HTML_TEXTS[current_language()]["verdict_labels"]
    rows = []
    for unit in order:
        f = by_unit[unit]
        has = f.kind == "figures"
        verdict = _e(labels[f.row.get("verdict") or "not_tested"]) if has else _say("no_figures")
        people, partners = (_int(f.row.get("people")), _int(f.row.get("partner_units"))) if has else ("–", "–")
        rows.append(f'<tr><td><a href="{_e(files[unit])}">{_e(unit)}</a></td><td>{verdict}</td>'
                    f'<td class="num">{people}</td><td class="num">{partners}</td></tr>')  # fmt: skip
    head = "".join(f'<th scope="col">{_e(_w()[k])}</th>' for k in ("col_unit", "col_verdict", "col_people",
                                                                      "key_partners"))  # fmt: skip
    intro = _say("index_intro", **_where(analysis.meta, analysis.privacy))
    table = f'<table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    body = f'<header><h1>{_e(_w()["index_title"])}</h1><p class="sub">{intro}</p></header><main>{table}</main>'
    return _document(body, _w()["index_title"])


def write_unit_sheets(
    analysis: Analysis,
    folder: str | Path,
    *,
    fmt: str = "html",
    memberships: pl.DataFrame | None = None,
    trends: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> list[Path]:
    """Write one sheet per unit into ``folder``, and ``index.html`` linking them all.

    File names are made from the unit names (:func:`sheet_filenames`). HTML sheets share
    one ``plotly.min.js`` written beside them instead of each carrying 4 MB of it; PDF
    sheets are drawn with one Chromium for all (:func:`sheet_pdfs`).

    Returns
    -------
    list of Path
        The sheets in unit name order, then the index.

    Examples
    --------
    >>> import tempfile
    >>> from analyser.analysis import analyse
    >>> from analyser.roster import Roster
    >>> a = analyse(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B/C")]), n_permutations=9)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_unit_sheets(a, tmp)]
    ['a.html', 'b-c.html', 'index.html']
    """
    suffix = _format(fmt)
    check_language(lang)
    check_trends(analysis, trends)
    folder = Path(folder)
    units = sorted(analysis.units["unit"].to_list()) if "unit" in analysis.units.columns else []
    files = sheet_filenames(units, suffix)
    facts = [unit_facts(analysis, u, memberships=memberships, trends=trends) for u in units]
    folder.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        contents = sheet_pdfs(facts, analysis.meta, lang=lang)
    else:
        contents = [sheet_html(f, analysis.meta, lang=lang, plotlyjs="plotly.min.js").encode("utf-8") for f in facts]
        if any(f.kind == "figures" and not f.partners.is_empty() for f in facts):
            (folder / "plotly.min.js").write_text(_plotlyjs(), encoding="utf-8")
    written = []
    for unit, content in zip(units, contents, strict=True):
        path = folder / files[unit]
        path.write_bytes(content)
        written.append(path)
    with report_language(lang):
        index = _index_page(facts, files, analysis)
    (folder / "index.html").write_text(index, encoding="utf-8")
    return [*written, folder / "index.html"]


def _plotlyjs() -> str:
    """The plotly.js bundle the HTML sheets load (the version plotly.py embeds)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
