"""Analyse an organisation period by period (month, quarter, half-year or year) from membership dates."""

from __future__ import annotations

from collections.abc import Sequence

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from analyser.analysis import Analysis, analyse
from analyser.privacy import content_salt
from analyser.roster import InputError, Phrase, Problem, Roster, plural_key

__all__ = [
    "PERIODS",
    "Period",
    "PeriodAnalysis",
    "period_bounds",
    "slice_roster",
    "undated_note",
    "analyse_periods",
    "trend_tables",
    "trends_json",
    "trends_document",
]

Period = Literal["month", "quarter", "half", "year"]
#: Period length in months, keyed by the names the CLI accepts.
PERIODS: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}
#: Permutations of the E-I test per period: fewer than a one-off report, since a trend
#: runs one analysis per period and its p-values are only a guide (recorded in meta).
PERIOD_PERMUTATIONS = 199


@dataclass(frozen=True)
class PeriodAnalysis:
    """One period's analysis.

    Attributes
    ----------
    period
        Label such as ``2025-Q1``, ``2025-03``, ``2025-H1`` or ``2025``.
    start, end
        First and last day of the period (both inclusive).
    analysis
        :func:`analyser.analysis.analyse` of the memberships overlapping the period;
        ``meta["period"]`` repeats the label, the dates and the membership counts.
    """

    period: str
    start: dt.date
    end: dt.date
    analysis: Analysis


def _check_period(period: str) -> int:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    return PERIODS[period]


def _label(year: int, month0: int, period: str) -> str:
    if period == "month":
        return f"{year}-{month0 + 1:02d}"
    if period == "quarter":
        return f"{year}-Q{month0 // 3 + 1}"
    if period == "half":
        return f"{year}-H{month0 // 6 + 1}"
    return str(year)


def _month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(roster: Roster, period: Period = "quarter") -> list[tuple[str, dt.date, dt.date]]:
    """Return the calendar periods spanning every date in ``roster``.

    Periods are aligned to the calendar (quarters start in January, April, July and
    October; halves in January and July) and run from the one holding the earliest
    ``start``/``end`` date to the one holding the latest. Periods without memberships are
    included here (:func:`analyse_periods` skips them).

    Parameters
    ----------
    roster
        Memberships; undated rows do not widen the range.
    period
        ``"month"``, ``"quarter"``, ``"half"`` or ``"year"``.

    Returns
    -------
    list of (label, start, end)
        ``start`` and ``end`` are the first and last day, both inclusive. Labels are
        ``2025-03`` (month), ``2025-Q1``, ``2025-H1`` and ``2025``. Empty when no
        membership has a date.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A", dt.date(2025, 2, 10), dt.date(2025, 4, 1))],
    ...                      columns=("project", "person", "unit", "start", "end"))
    >>> [label for label, _, _ in period_bounds(r, "quarter")]
    ['2025-Q1', '2025-Q2']
    >>> period_bounds(r, "half")[0]
    ('2025-H1', datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    """
    step = _check_period(period)
    m = roster.memberships
    dates = pl.concat([m["start"], m["end"]]).drop_nulls()
    if dates.is_empty():
        return []
    lo, hi = dates.min(), dates.max()
    first = (lo.year * 12 + lo.month - 1) // step * step
    last = hi.year * 12 + hi.month - 1
    bounds = []
    for index in range(first, last + 1, step):
        start = _month_start(index)
        end = _month_start(index + step) - dt.timedelta(days=1)
        bounds.append((_label(start.year, start.month - 1, period), start, end))
    return bounds


def slice_roster(roster: Roster, start: dt.date, end: dt.date) -> Roster:
    """Return the memberships that overlap the days ``start`` … ``end`` (inclusive).

    Overlap rule: a membership counts when it begins on or before ``end`` and ends on or
    after ``start``. A missing start means "since before the data", a missing end "still
    running"; a membership with neither date counts in every period. Each person keeps
    the unit of the whole roster. The roster's reading problems are not carried over (they
    belong to the whole file).

    Examples
    --------
    >>> rows = [("P1", "ann", "A", dt.date(2025, 1, 5), dt.date(2025, 2, 1)),
    ...         ("P2", "bob", "A", dt.date(2025, 3, 1), None),
    ...         ("P3", "cid", "B", None, None)]
    >>> r = Roster.from_rows(rows, columns=("project", "person", "unit", "start", "end"))
    >>> slice_roster(r, dt.date(2025, 2, 1), dt.date(2025, 2, 28)).memberships["person"].to_list()
    ['ann', 'cid']
    >>> slice_roster(r, dt.date(2026, 1, 1), dt.date(2026, 3, 31)).memberships["person"].to_list()
    ['bob', 'cid']
    """
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    begins = pl.col("start").is_null() | (pl.col("start") <= end)
    ends = pl.col("end").is_null() | (pl.col("end") >= start)
    return Roster(roster.memberships.filter(begins & ends), roster.source)


def undated_note(roster: Roster) -> Problem | None:
    """Return a warning when some (not all) memberships lack both dates, else ``None``.

    Examples
    --------
    >>> rows = [("P1", "ann", "A", dt.date(2025, 1, 5)), ("P2", "bob", "A", None)]
    >>> r = Roster.from_rows(rows, columns=("project", "person", "unit", "start"), source="r.csv")
    >>> print(undated_note(r))
    r.csv: start: 1 membership has no start or end date; it counts in every period (line 3)
    """
    undated = roster.memberships.filter(pl.col("start").is_null() & pl.col("end").is_null())
    if undated.is_empty() or undated.height == roster.memberships.height:
        return None
    lines = undated["line"].drop_nulls().to_list()
    listed = ", ".join(map(str, lines[:10])) + (", …" if len(lines) > 10 else "")
    where = Phrase(plural_key("datacheck.periods.lines", len(lines)), {"lines": listed}) if lines else ""
    n = undated.height
    return Problem.of(roster.source, None, "start", plural_key("datacheck.periods.undated", n), "warning", n=n, where=where)


def analyse_periods(
    roster: Roster,
    *,
    period: Period = "quarter",
    n_permutations: int = PERIOD_PERMUTATIONS,
    **analyse_options: Any,
) -> list[PeriodAnalysis]:
    """Analyse each calendar period that has memberships.

    Each period's roster is :func:`slice_roster` of the calendar period from
    :func:`period_bounds`; periods without a dated membership are skipped (undated
    memberships alone do not make a period). Pseudonyms use one salt
    (from the whole roster, unless ``salt`` is given) so a person keeps their code in every
    period.

    Parameters
    ----------
    roster
        Memberships with ``start``/``end`` dates.
    period
        ``"month"``, ``"quarter"`` (default), ``"half"`` or ``"year"``.
    n_permutations
        Permutations of the E-I test per period (default 199, against 999 in a single
        report, to keep a many-period trend fast; ``meta["methods"]`` records it).
    **analyse_options
        Passed to :func:`analyser.analysis.analyse` (``level``, ``privacy``, ...).

    Returns
    -------
    list of PeriodAnalysis
        In time order. Undated memberships count in every period; the warning from
        :func:`undated_note` is in each analysis's ``problems``.

    Raises
    ------
    InputError
        If no membership has a date.

    Examples
    --------
    >>> rows = [("P1", "ann", "A", dt.date(2025, 1, 5), dt.date(2025, 2, 1)),
    ...         ("P1", "bob", "B", dt.date(2025, 1, 5), dt.date(2025, 2, 1)),
    ...         ("P2", "ann", "A", dt.date(2025, 9, 1), None),
    ...         ("P2", "cid", "A", dt.date(2025, 9, 1), None)]
    >>> r = Roster.from_rows(rows, columns=("project", "person", "unit", "start", "end"))
    >>> [(p.period, p.analysis.summary["ei_index"]) for p in analyse_periods(r, n_permutations=9)]
    [('2025-Q1', 1.0), ('2025-Q3', -1.0)]
    """
    bounds = period_bounds(roster, period)
    if not bounds:
        raise InputError(Problem.of(roster.source, None, "start", "datacheck.periods.no_dates", "error"))
    note = undated_note(roster)
    options = {"salt": content_salt(roster), **analyse_options, "n_permutations": n_permutations}
    results = []
    for label, start, end in bounds:
        part = slice_roster(roster, start, end)
        undated = part.memberships.filter(pl.col("start").is_null() & pl.col("end").is_null()).height
        if undated == part.memberships.height:  # undated rows alone say nothing about this period
            continue
        a = analyse(part, **options)
        info = {
            "label": label, "start": start, "end": end, "length": period,
            "memberships": part.memberships.height,
            "undated_memberships": undated,
            "overlap_rule": "a membership counts in every period it overlaps; undated memberships count in every period",
        }  # fmt: skip
        a = dataclasses.replace(a, meta={**a.meta, "period": info}, problems=(note,) if note else ())
        results.append(PeriodAnalysis(label, start, end, a))
    return results


def trend_tables(results: list[PeriodAnalysis]) -> dict[str, pl.DataFrame]:
    """Return the per-period tables behind the trend figures.

    ``summary`` has one row per period (``period``, ``start``, ``end``, then the report's
    summary fields: ``ei_index``, ``cross_unit_project_share``, ``modularity``, ...);
    ``units`` one row per period and unit (``period``, ``start``, ``end``, then the
    report's unit columns, e.g. ``ei_index``). Undefined figures are null.

    Examples
    --------
    >>> rows = [("P1", "ann", "A", dt.date(2025, 1, 5)), ("P1", "bob", "B", dt.date(2025, 1, 5)),
    ...         ("P2", "cid", "A", dt.date(2025, 5, 1)), ("P2", "dan", "A", dt.date(2025, 5, 1))]
    >>> r = Roster.from_rows(rows, columns=("project", "person", "unit", "start"))
    >>> t = trend_tables(analyse_periods(r, period="quarter", n_permutations=9))
    >>> t["summary"].select("period", "ei_index").rows()
    [('2025-Q1', 1.0), ('2025-Q2', 0.0)]
    >>> t["units"].filter(pl.col("unit") == "A").select("period", "ei_index").rows()
    [('2025-Q1', 1.0), ('2025-Q2', 0.0)]
    """
    from analyser.report.common import report_tables, summary_items

    summaries, units = [], []
    for r in results:
        when = {"period": r.period, "start": r.start, "end": r.end}
        summaries.append({**when, **summary_items(r.analysis)})
        table = report_tables(r.analysis)["units"]
        units.append(table.select(*(pl.lit(v).alias(k) for k, v in when.items()), pl.all()))
    summary = pl.DataFrame(summaries, infer_schema_length=None) if summaries else pl.DataFrame()
    return {"summary": summary, "units": pl.concat(units, how="diagonal_relaxed") if units else pl.DataFrame()}


def trends_json(roster: Roster, *, period: Period = "quarter", alpha: float = 0.05, **options: Any) -> dict[str, Any]:
    """Return the ``analyser trends`` JSON: per-period figures and consecutive changes.

    Layout (the contract other tools read)::

        meta     version, source, generated, period, options, privacy, methods, overlap_rule
        periods  [{period, start, end, summary, units}, ...]   only periods with memberships
        changes  [{from, to, unit_pairs_started, unit_pairs_stopped, ei_moves,
                   sole_bridges_new, sole_bridges_lost}, ...]  one per consecutive pair
        data_check  [{file, line, column, severity, message}, ...]

    ``summary`` and ``units`` use the JSON report's field names and null handling
    (:func:`analyser.report.json_report.to_json_dict`); ``changes`` come from
    :func:`analyser.changes.compare`.

    Parameters
    ----------
    roster
        Memberships with dates.
    period
        ``"month"``, ``"quarter"``, ``"half"`` or ``"year"``.
    alpha
        Significance level of the E-I moves.
    **options
        Passed to :func:`analyse_periods` (``level``, ``privacy``, ``min_group_size``,
        ``max_project_size``, ``seed``, ``n_permutations``).

    Examples
    --------
    >>> rows = [("P1", "ann", "A", dt.date(2025, 1, 5)), ("P1", "bob", "B", dt.date(2025, 1, 5))]
    >>> data = trends_json(Roster.from_rows(rows, columns=("project", "person", "unit", "start")), n_permutations=9)
    >>> list(data), [p["period"] for p in data["periods"]], data["changes"]
    (['meta', 'periods', 'changes', 'data_check'], ['2025-Q1'], [])
    """
    return trends_document(roster, analyse_periods(roster, period=period, **options), period=period, alpha=alpha)


def trends_document(
    roster: Roster, results: Sequence[PeriodAnalysis], *, period: Period, alpha: float = 0.05
) -> dict[str, Any]:
    """Return the :func:`trends_json` document of period analyses already made (the
    dashboard keeps them cached); ``results`` must be non-empty."""
    from analyser.changes import compare
    from analyser.report.json_report import json_value, table_records, to_json_dict

    periods = []
    for r in results:
        report = to_json_dict(r.analysis)
        periods.append({"period": r.period, "start": r.start.isoformat(), "end": r.end.isoformat(),
                        "summary": report["summary"], "units": report["units"]})  # fmt: skip
    changes = [compare(a.analysis, b.analysis, alpha=alpha) for a, b in itertools.pairwise(results)]
    first = to_json_dict(results[0].analysis)["meta"]
    meta = {
        "version": first["version"], "source": roster.source, "generated": first["generated"], "period": period,
        "options": first["options"], "privacy": first["privacy"], "methods": first["methods"],
        "overlap_rule": "a membership counts in every period it overlaps; undated memberships count in every period",
        "ei_move_test": f"two-proportion z-test on the external share of each unit's ties, one observation per project, alpha {alpha}",
    }  # fmt: skip
    problems = list(roster.problems) + ([note] if (note := undated_note(roster)) else [])
    check = table_records(pl.DataFrame([p.as_dict() for p in problems])) if problems else []
    return {"meta": json_value(meta), "periods": periods, "changes": json_value(changes), "data_check": check}
