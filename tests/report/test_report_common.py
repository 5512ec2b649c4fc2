"""Tests for analyser.report.common: contract order, nulls, privacy and the silo flag."""

from __future__ import annotations

import polars as pl
import pytest

from analyser.analysis import PEOPLE_COLUMNS, UNIT_COLUMNS
from analyser.report.common import (
    contract_table,
    report_tables,
    significant_silos,
    summary_items,
    suppressed_units,
)


def test_silo_rule_on_fixture(analysis):
    """p < 0.05 and observed below expected marks exactly the two closed units."""
    flags = dict(zip(analysis.units["unit"], significant_silos(analysis.units)))
    assert {u for u, f in flags.items() if f} == {"Social/Elder care", "IT"}
    assert flags["Legal"] is False and flags["Schools"] is False  # withheld / undefined


def test_producer_silo_column_wins(analysis):
    """When the units table carries the producer's ``silo`` verdict, that verdict is used."""
    units = analysis.units.with_columns(pl.col("unit").eq("Culture").alias("silo"))
    assert significant_silos(units).to_list() == units["silo"].to_list()


def test_contract_table_orders_and_nulls():
    """Contract columns come first, extras after; NaN and infinity become null."""
    table = pl.DataFrame({"extra": [1], "b": [float("-inf")], "a": ["x"]})
    result = contract_table(table, ["a", "b"], name="t")
    assert result.columns == ["a", "b", "extra"]
    assert result.row(0) == ("x", None, 1)


def test_contract_table_refuses_missing_column():
    """A non-empty table without a contract column raises, naming table and column."""
    with pytest.raises(ValueError, match="the t table lacks contract column.*b"):
        contract_table(pl.DataFrame({"a": [1]}), ["a", "b"], name="t")


def test_report_tables_hide_people_in_aggregate_mode(make_analysis):
    """Aggregate mode empties the people table but keeps its contract header."""
    people = report_tables(make_analysis(privacy="aggregate"))["people"]
    assert people.height == 0 and tuple(people.columns) == PEOPLE_COLUMNS


def test_report_tables_keep_rows(analysis):
    """In names mode every table keeps all rows with the contract columns first."""
    tables = report_tables(analysis)
    assert tables["units"].height == analysis.units.height
    assert tuple(tables["units"].columns[: len(UNIT_COLUMNS)]) == UNIT_COLUMNS


def test_suppressed_units_named(analysis):
    """The suppressed unit of the fixture is listed by name."""
    assert suppressed_units(analysis.units) == ["Legal"]


def test_summary_items_nan_to_none(analysis):
    """NaN summary figures become None; defined ones keep their value."""
    items = summary_items(analysis)
    assert items["assortativity"] is None and items["modularity"] == 0.41
