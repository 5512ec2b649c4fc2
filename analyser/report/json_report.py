"""The JSON report: the machine-readable contract other tools read."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from analyser.report.common import finite_or_none, problems_table, report_tables, summary_items

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = ["META_KEYS", "TOP_LEVEL_KEYS", "json_value", "table_records", "to_json_dict", "json_bytes"]

#: Top-level keys in this order; ``data_check`` is an addition after the four tables.
TOP_LEVEL_KEYS = ("meta", "summary", "units", "people", "projects", "unit_links", "data_check")
#: ``meta`` keys always present, in this order (missing ones are ``null``); others follow.
META_KEYS = ("version", "source", "generated", "options", "privacy", "methods")


def json_value(value: Any) -> Any:
    """Return ``value`` as plain JSON data: NaN/inf -> ``None``, dates -> ISO strings.

    Containers are converted recursively (dict keys become strings, tuples lists);
    anything else unknown becomes its ``str``.

    Examples
    --------
    >>> json_value({"d": date(2026, 3, 1), "x": [float("nan"), 1.5], 2: (True, None)})
    {'d': '2026-03-01', 'x': [None, 1.5], '2': [True, None]}
    """
    value = finite_or_none(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (np.ndarray, pl.Series)):
        return json_value(value.to_list() if isinstance(value, pl.Series) else value.tolist())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [json_value(v) for v in items]
    if isinstance(value, Decimal):
        return json_value(float(value))
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, PurePath):
        return str(value)
    return str(value)


def table_records(table: pl.DataFrame) -> list[dict[str, Any]]:
    """Return ``table`` as a list of row objects in column order, JSON-ready.

    Examples
    --------
    >>> table_records(pl.DataFrame({"a": ["x"], "b": [float("inf")]}))
    [{'a': 'x', 'b': None}]
    """
    return [json_value(row) for row in table.iter_rows(named=True)]


def _meta(analysis: Analysis) -> dict[str, Any]:
    meta = analysis.meta
    ordered = {k: meta.get(k) for k in META_KEYS}
    ordered["privacy"] = analysis.privacy  # the mode in force, also when meta omits it
    ordered.update((k, v) for k, v in meta.items() if k not in META_KEYS)
    return json_value(ordered)


def to_json_dict(analysis: Analysis) -> dict[str, Any]:
    """Return the report as plain JSON data: the contract other tools read.

    Layout (keys in this order)::

        meta        version, source, generated, options, privacy, methods, then extras
        summary     SUMMARY_FIELDS, then extra figures
        units       [{unit, people, ..., suppressed, extras...}, ...]
        people      [{person, unit, ..., sole_bridges, extras...}, ...]  ([] in aggregate mode)
        projects    [{project, members, units, blau_index, cross_unit, unique_links, ...}]
        unit_links  [{unit_a, unit_b, ties, shared_projects, weight, ...}]
        data_check  [{file, line, column, severity, message}, ...]

    Contract column names come first in every row object and never change; new columns
    may follow them. Undefined values (null, NaN, infinity) are ``null``; dates and times
    are ISO 8601 strings. The same analysis always gives the same key order.

    Parameters
    ----------
    analysis
        The result of :func:`analyser.analysis.analyse`.

    Returns
    -------
    dict
        JSON-ready data (``json.dumps(..., allow_nan=False)`` succeeds).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> d = to_json_dict(Analysis(e, e, e, e, {"people": 0}, meta={"version": "0.1.0"}))
    >>> list(d)
    ['meta', 'summary', 'units', 'people', 'projects', 'unit_links', 'data_check']
    >>> d["meta"]["privacy"], d["summary"]["people"], d["summary"]["ei_index"], d["units"]
    ('names', 0, None, [])
    """
    tables = report_tables(analysis)
    return {
        "meta": _meta(analysis),
        "summary": json_value(summary_items(analysis)),
        **{name: table_records(table) for name, table in tables.items()},
        "data_check": table_records(problems_table(analysis)),
    }


def json_bytes(analysis: Analysis) -> bytes:
    """Return :func:`to_json_dict` as indented UTF-8 JSON (non-ASCII kept readable).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> json_bytes(Analysis(e, e, e, e, {}, meta={"source": "Å.csv"}))[:30]
    b'{\\n  "meta": {\\n    "version": n'
    """
    text = json.dumps(to_json_dict(analysis), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
