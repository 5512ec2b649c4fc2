"""Tests for analyser.report.json_report: the JSON contract."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyser.analysis import (
    PEOPLE_COLUMNS,
    PROJECT_COLUMNS,
    SUMMARY_FIELDS,
    UNIT_COLUMNS,
    UNIT_LINK_COLUMNS,
)
from analyser.report import report_bytes
from analyser.report.json_report import TOP_LEVEL_KEYS, json_value, to_json_dict

CONTRACT = {
    "units": UNIT_COLUMNS,
    "people": PEOPLE_COLUMNS,
    "projects": PROJECT_COLUMNS,
    "unit_links": UNIT_LINK_COLUMNS,
}


def roundtrip(analysis):
    return json.loads(report_bytes(analysis, "json").decode("utf-8"))


def test_top_level_keys_in_contract_order(analysis):
    """The top level is meta, summary, the four tables and data_check, in that order."""
    assert list(roundtrip(analysis)) == list(TOP_LEVEL_KEYS)


@pytest.mark.parametrize("table", list(CONTRACT))
def test_rows_start_with_contract_columns(analysis, table):
    """Every row object of every table starts with the contract column names in order."""
    rows = roundtrip(analysis)[table]
    assert rows, f"{table} should have rows in the fixture"
    for row in rows:
        assert tuple(row)[: len(CONTRACT[table])] == CONTRACT[table]


def test_extra_columns_follow_contract_columns(make_analysis):
    """A column the contract does not name comes after the contract columns, even if first."""
    units = make_analysis().units
    units = units.select(pl.lit(0.5).alias("internal_density"), *units.columns)
    row = roundtrip(make_analysis(units=units))["units"][0]
    assert list(row) == [*UNIT_COLUMNS, "internal_density"]


def test_summary_fields_first_then_extras(make_analysis):
    """Summary keys are SUMMARY_FIELDS in order, then extra figures."""
    summary = {"very_large_projects": 0, **make_analysis().summary}
    keys = list(roundtrip(make_analysis(summary=summary))["summary"])
    assert keys == [*SUMMARY_FIELDS, "very_large_projects"]
    assert {"significant_silos", "units_judged", "team_projects", "cross_unit_team_project_share",
            "community_stability"} <= set(SUMMARY_FIELDS)  # fmt: skip


def test_nan_and_null_become_null(analysis):
    """NaN, infinity and null all become JSON null; defined values survive the round trip."""
    data = roundtrip(analysis)
    assert data["summary"]["assortativity"] is None  # NaN in the summary dict
    cia = next(p for p in data["people"] if p["person"] == "Cia Lund")
    assert cia["constraint"] is None  # NaN in a Float64 column
    assert cia["participation"] is None  # null
    assert cia["betweenness"] == 0.0  # a real zero stays zero
    legal = next(u for u in data["units"] if u["unit"] == "Legal")
    assert legal["ei_index"] is None and legal["suppressed"] is True


def test_output_is_strict_json(make_analysis):
    """The bytes parse as strict JSON: no NaN or Infinity tokens even from numpy values."""
    summary = {**make_analysis().summary, "modularity": np.float64("inf"), "people": np.int64(53)}
    text = report_bytes(make_analysis(summary=summary), "json").decode("utf-8")
    data = json.loads(text, parse_constant=lambda token: pytest.fail(f"non-standard token {token}"))
    assert data["summary"]["modularity"] is None
    assert data["summary"]["people"] == 53


def test_meta_keys_and_privacy(make_analysis):
    """meta starts with version, source, generated, options, privacy, methods."""
    meta = roundtrip(make_analysis(privacy="pseudonyms"))["meta"]
    assert list(meta)[:6] == ["version", "source", "generated", "options", "privacy", "methods"]
    assert meta["privacy"] == "pseudonyms"
    assert meta["methods"]["ei_permutations"] == 999


def test_dates_become_iso_strings(make_analysis):
    """Date and datetime values, in meta or in table columns, become ISO 8601 strings."""
    generated = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
    projects = make_analysis().projects.with_columns(pl.lit(date(2026, 3, 1)).alias("start"))
    meta = {**make_analysis().meta, "generated": generated}
    data = roundtrip(make_analysis(meta=meta, projects=projects))
    assert data["meta"]["generated"] == "2026-11-27T10:00:00+00:00"
    assert data["projects"][0]["start"] == "2026-03-01"


def test_data_check_lists_problems(analysis):
    """data_check holds one object per problem with file, line, column, severity, message."""
    checks = roundtrip(analysis)["data_check"]
    assert len(checks) == len(analysis.problems)
    assert checks[0] == {
        "file": "roster.csv", "line": 7, "column": "unit", "severity": "error",
        "message": "missing unit; row rejected",
    }  # fmt: skip
    assert checks[2]["line"] is None and checks[2]["column"] is None


def test_user_strings_kept_verbatim(analysis):
    """JSON is data, not a spreadsheet or a page: names are neither escaped nor prefixed."""
    names = {p["person"] for p in roundtrip(analysis)["people"]}
    assert {"<img src=x onerror=alert(1)>", '=HYPERLINK("http://x","y")', "Åsa Öberg"} <= names


def test_aggregate_mode_has_no_people(make_analysis):
    """In aggregate mode the people list is empty even if the analysis still carries rows."""
    data = roundtrip(make_analysis(privacy="aggregate"))
    assert data["people"] == []
    assert data["meta"]["privacy"] == "aggregate"


def test_same_analysis_same_bytes(analysis):
    """Two exports of one analysis are byte-identical (deterministic key order)."""
    assert report_bytes(analysis, "json") == report_bytes(analysis, "json")


def test_empty_tables_without_columns(make_analysis):
    """Tables with no rows and no columns export as empty lists, summary fields as null."""
    empty = pl.DataFrame()
    data = to_json_dict(make_analysis(units=empty, people=empty, projects=empty, unit_links=empty, summary={}))
    assert [data[t] for t in CONTRACT] == [[], [], [], []]
    assert set(data["summary"]) == set(SUMMARY_FIELDS)
    assert all(v is None for v in data["summary"].values())


def test_missing_contract_column_is_an_error(make_analysis):
    """A non-empty table without a contract column is refused with the column named."""
    with pytest.raises(ValueError, match="ei_p"):
        to_json_dict(make_analysis(units=make_analysis().units.drop("ei_p")))


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(), st.none()))
def test_json_value_always_serialisable(value):
    """Any scalar converts to something strict JSON accepts, finite numbers unchanged."""
    converted = json_value([value, {"k": value}])
    json.dumps(converted, allow_nan=False)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        assert converted[0] == value
