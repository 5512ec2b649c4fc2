"""Tests for analyser.report.common: contract order, nulls, privacy and the silo flag."""

from __future__ import annotations

import polars as pl
import pytest

from analyser.analysis import PEOPLE_COLUMNS, UNIT_COLUMNS
from analyser.report.common import (
    contract_table,
    format_p,
    low_stability,
    ordered_units,
    project_headline,
    ranked_bridges,
    report_tables,
    significant_silos,
    silo_headline,
    summary_items,
    suppressed_units,
    top_bridges,
    unjudged_headline,
    verdicts,
)


def test_silo_rule_on_fixture(analysis):
    """The analysis' verdict decides: exactly the two units it calls silos are flagged."""
    flags = dict(zip(analysis.units["unit"], significant_silos(analysis.units)))
    assert {u for u, f in flags.items() if f} == {"Social/Elder care", "IT"}
    assert flags["Legal"] is False and flags["Schools"] is False  # withheld / undefined


def test_too_little_data_is_never_a_silo(analysis):
    """A unit with too little data is no silo, however closed it looks and however small its p."""
    archive = analysis.units.filter(pl.col("unit") == "Archive")
    assert archive["ei_index"].item() == -1.0 and archive["ei_p"].item() < 0.05  # the trap
    assert significant_silos(archive).to_list() == [False]
    assert verdicts(archive).to_list() == ["too_little_data"]


def test_verdict_column_wins_over_figures(analysis):
    """The verdict, not E-I and p, makes a silo: a verdict of silo on an open unit is followed."""
    units = analysis.units.with_columns(
        pl.when(pl.col("unit") == "Culture").then(pl.lit("silo")).otherwise(pl.col("verdict")).alias("verdict")
    )
    assert set(units.filter(significant_silos(units))["unit"]) == {"Social/Elder care", "IT", "Culture"}


def test_no_silo_flag_is_recomputed_from_p():
    """A table without verdict or silo column gets no flag from ei_p (that mixed two baselines)."""
    units = pl.DataFrame({"unit": ["A"], "ei_index": [-0.6], "ei_expected": [0.2], "ei_p": [0.001]})
    assert significant_silos(units).to_list() == [False]
    assert verdicts(units).to_list() == [None]


def test_older_table_keeps_its_producers_silo_call():
    """An analysis cached before verdicts existed keeps the call its ``silo`` column made."""
    units = pl.DataFrame({"unit": ["A", "B", "C"], "silo": [True, False, None]})
    assert verdicts(units).to_list() == ["silo", "not_silo", None]
    assert significant_silos(units).to_list() == [True, False, False]


def test_units_in_reading_order(analysis):
    """Silos first, then the other judged units, then units without a verdict, each by E-I."""
    order = ordered_units(analysis.units)["unit"].to_list()
    assert order[:2] == ["Social/Elder care", "IT"]
    assert order[-3:] == ["Archive", "Legal", "Schools"]  # E-I -1 would otherwise put Archive on top


@pytest.mark.parametrize(
    "value, n, lang, shown",
    [
        (0.001, 999, "en", "\u2264 0.001"),  # at the floor 1/(1+999)
        (1 / 999, 999, "en", "\u2264 0.001"),  # one shuffle gave no E-I: still the floor
        (0.001, 999, "sv", "\u2264 0,001"),
        (0.005, 199, "en", "\u2264 0.005"),
        (0.0001, 9999, "en", "\u2264 0.0001"),
        (0.0023, 999, "en", "0.002"),
        (0.4375, 999, "en", "0.438"),
        (0.0004, None, "en", "< 0.001"),  # another test: no floor known
    ],
)
def test_p_at_its_resolution(value, n, lang, shown):
    """A p at the permutation floor reads "≤ 0.001", never "0.001" or "0.000"."""
    assert format_p(value, n, lang=lang) == shown


def test_bridges_ranked_by_cross_unit_betweenness(analysis):
    """Cross-unit betweenness ranks bridges (nulls last); only people above 0 are top bridges."""
    ranked = ranked_bridges(analysis.people)["person"].to_list()
    assert ranked[:2] == ["<img src=x onerror=alert(1)>", "Åsa Öberg"] and ranked[-1] == "Cia Lund"
    top = top_bridges(analysis.people, 10)["person"].to_list()
    assert '=HYPERLINK("http://x","y")' not in top and "Cia Lund" not in top and len(top) == 4
    assert top_bridges(analysis.people.with_columns(cross_unit_betweenness=0.0), 10).is_empty()


def test_headline_speaks_of_team_projects():
    """With many one-person projects the headline counts only projects with two or more people."""
    summary = {"projects": 179, "team_projects": 55, "cross_unit_team_project_share": 0.76,
               "cross_unit_project_share": 0.23}  # fmt: skip
    key, values = project_headline(summary)
    assert key == "team" and values["n"] == 55 and values["solo"] == 124
    assert values["inside"] == pytest.approx(0.24)  # not 0.77 of all projects
    assert project_headline({"projects": 3, "team_projects": 0, "cross_unit_team_project_share": None}) == ("no_team", {})
    assert project_headline({"projects": 3, "team_projects": 1, "cross_unit_team_project_share": 1.0})[0] == "one_team_crosses"
    assert project_headline({}) is None


@pytest.mark.parametrize(
    "summary, key",
    [
        ({"significant_silos": 1, "units_judged": 4, "units": 70}, "silos_one"),
        ({"significant_silos": 2, "units_judged": 4, "units": 4}, "silos_other"),
        ({"significant_silos": 0, "units_judged": 4, "units": 4}, "silos_zero"),
        ({"significant_silos": 1, "units_judged": 1, "units": 3}, "silos_single_yes"),
        ({"significant_silos": 0, "units_judged": 0, "units": 3}, "silos_none_judged"),
        ({"significant_silos": None, "units_judged": None, "units": 3}, "silos_not_tested"),
        ({"significant_silos": 3, "units": 8}, "silos_legacy_other"),
        ({"units": 8}, None),
    ],
)
def test_silo_headline_choice(summary, key):
    """The silo sentence follows the verdict counts, the number of silos and what the summary holds."""
    choice = silo_headline(summary)
    assert (choice[0] if choice else None) == key


def test_unjudged_units_are_counted_only_when_some_unit_was_judged():
    """"N units had too little data" appears beside a verdict count, not instead of one."""
    assert unjudged_headline({"units": 70, "units_judged": 4}) == ("too_little_other", {"n": 66})
    assert unjudged_headline({"units": 5, "units_judged": 0}) is None
    assert unjudged_headline({"units": 5, "units_judged": None}) is None


def test_low_stability_threshold():
    """Stability below 0.8 is low; an unknown stability is not."""
    assert low_stability({"community_stability": 0.79}) and not low_stability({"community_stability": 0.8})
    assert not low_stability({"community_stability": None})


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
