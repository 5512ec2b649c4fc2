"""Shared steps of every report format: contract column order, nulls, privacy, silo flag."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from analyser.analysis import (
    PEOPLE_COLUMNS,
    PROJECT_COLUMNS,
    SUMMARY_FIELDS,
    UNIT_COLUMNS,
    UNIT_LINK_COLUMNS,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from analyser.analysis import Analysis

__all__ = [
    "SIGNIFICANCE_LEVEL",
    "PROBLEM_SCHEMA",
    "contract_table",
    "report_tables",
    "visible_people",
    "significant_silos",
    "suppressed_units",
    "problems_table",
    "summary_items",
    "finite_or_none",
]

#: A unit is a *significant silo* when its permutation p-value is below this and its
#: E-I index is below the E-I its size alone would give.
SIGNIFICANCE_LEVEL = 0.05

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


def significant_silos(units: pl.DataFrame) -> pl.Series:
    """Return a Boolean Series: is each unit a significant silo?

    A unit is one when most of its ties stay inside (``ei_index < 0``), more than its size
    would explain (``ei_index < ei_expected``), and chance is an unlikely reason
    (``ei_p < SIGNIFICANCE_LEVEL``). Undefined or withheld figures give ``False``. When the table
    carries the producer's own ``silo`` column, that verdict is used.

    Examples
    --------
    >>> u = pl.DataFrame({"ei_index": [-0.6, 0.1, None], "ei_expected": [0.2, 0.3, 0.4],
    ...                   "ei_p": [0.01, 0.2, None]})
    >>> significant_silos(u).to_list()
    [True, False, False]
    """
    if "silo" in units.columns:
        return units["silo"].fill_null(False).alias("significant_silo")
    if units.is_empty():
        return pl.Series("significant_silo", [], dtype=pl.Boolean)
    flag = (
        (pl.col("ei_index") < 0)
        & (pl.col("ei_p") < SIGNIFICANCE_LEVEL)
        & (pl.col("ei_index") < pl.col("ei_expected"))
    )
    return units.select(flag.fill_null(False).alias("significant_silo")).to_series()


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
