"""The Trends page's builders and callback bodies, called as plain functions on the shipped sample."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import polars as pl
import pytest

from analyser.roster import Roster
from analyser.store import DatasetInfo, Store
from dashboard.data import DashboardData, SAMPLE_NAME, ensure_sample
from dashboard.settings import Settings
from dashboard.figures import org_ei_trend, summary_trend, unit_ei_trend
from dashboard.pages import trends
from tests.dashboard.component_text import texts

UNDATED = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "cid", "A"), ("P2", "dan", "A")])
PARTLY_DATED = Roster.from_rows(
    [("P1", "ann", "A", dt.date(2025, 1, 5), dt.date(2025, 2, 1)),
     ("P1", "bob", "B", dt.date(2025, 1, 5), dt.date(2025, 2, 1)),
     ("P2", "ann", "A", dt.date(2025, 5, 1), None),
     ("P2", "cid", "A", dt.date(2025, 5, 1), None),
     ("P3", "dan", "B", None, None)],
    columns=("project", "person", "unit", "start", "end"),
)  # fmt: skip



def _ids(component) -> set[str]:
    """Every string id inside a Dash component tree."""
    if isinstance(component, list | tuple):
        return set().union(*(_ids(c) for c in component)) if component else set()
    found = {component.id} if isinstance(getattr(component, "id", None), str) else set()
    children = getattr(component, "children", None)
    return found | (_ids(children) if isinstance(children, list | tuple) or hasattr(children, "children") else set())


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> DashboardData:
    """A store with the sample, a roster without dates and one with some undated rows."""
    store = Store(tmp_path_factory.mktemp("trends") / "data")
    ensure_sample(store)
    store.save(UNDATED, name="No dates")
    store.save(PARTLY_DATED, name="Partly dated")
    return DashboardData(store)


@pytest.fixture(scope="module")
def ids_by_name(data: DashboardData) -> dict[str, str]:
    """Dataset ids by name."""
    return {d.name: d.id for d in data.store.list()}


@pytest.fixture(scope="module")
def sample(ids_by_name):
    """Settings on the sample in a privacy mode and level."""
    return lambda privacy="names", level=1: Settings(ids_by_name[SAMPLE_NAME], level, privacy)


def _sample_names(data: DashboardData, ids_by_name: dict[str, str]) -> set[str]:
    return set(data.roster(ids_by_name[SAMPLE_NAME]).memberships["person"].to_list())


# -- figures ---------------------------------------------------------------------------------


def test_org_ei_trend_has_observed_and_expected_in_period_order():
    """The organisation chart draws observed and expected E-I over the periods in order."""
    s = pl.DataFrame({"period": ["2025-Q2", "2025-Q1"], "ei_index": [0.1, -0.3], "ei_expected": [0.5, 0.4]})
    fig = org_ei_trend(s, "en")
    assert [t.name for t in fig.data] == ["observed", "expected from unit sizes"]
    assert list(fig.layout.xaxis.categoryarray) == ["2025-Q2", "2025-Q1"]


def test_summary_trend_shows_share_as_percent_and_modularity_as_is():
    """Cross-unit share is drawn in per cent, modularity unchanged."""
    s = pl.DataFrame({"period": ["2025"], "cross_unit_project_share": [0.4], "modularity": [0.31]})
    assert summary_trend(s, "cross_unit_project_share", "en").data[0].y == (40.0,)
    assert summary_trend(s, "modularity", "sv").data[0].y == (0.31,)


def test_unit_ei_trend_escapes_unit_names():
    """A unit name with markup is shown as text, not read as HTML by plotly."""
    u = pl.DataFrame({"period": ["2025"], "unit": ["<b>IT</b>"], "ei_index": [0.2]})
    assert unit_ei_trend(u, ["2025"]).data[0].name == "&lt;b&gt;IT&lt;/b&gt;"


def test_empty_trend_figures_say_so():
    """Without periods each figure is a message, not an empty axis."""
    figures = trends.trend_figures(None, "en")
    assert all(not f.data and f.layout.annotations[0].text == "No period to show." for f in figures)


# -- the over-time view ----------------------------------------------------------------------


def test_sample_by_quarter_has_eight_periods_and_a_line_per_unit(data, sample):
    """The sample spans 2025-2026: eight quarters, each level-1 unit drawn, last two compared."""
    notes, org, share, modularity, unit_fig, options, before, _, after = trends.trends_view(data.trends(sample(), "quarter"), "en")
    assert [o["value"] for o in options] == [f"{y}-Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    assert (before, after) == ("2026-Q3", "2026-Q4")
    assert "Periods with memberships: 8, from 2025-Q1 to 2026-Q4." in texts(notes)
    assert len(unit_fig.data) == 8 and "Socialförvaltningen" in [t.name for t in unit_fig.data]
    assert len(org.data[0].y) == 8 and share.data and modularity.data


def test_period_length_changes_the_periods(data, sample):
    """Year periods give 2025 and 2026; months give 24."""
    assert data.trends(sample(), "year").labels == ["2025", "2026"]
    assert len(data.trends(sample(), "month").labels) == 24


def test_level_two_draws_the_level_two_units(data, sample):
    """At hierarchy level 2 the unit lines are the sub-units."""
    fig = trends.trend_figures(data.trends(sample(level=2), "year"), "en")[3]
    assert len(fig.data) > 8 and all("/" in t.name for t in fig.data)


def test_period_analyses_are_cached_per_app(data, sample):
    """A second look-up returns the cached object; another app has its own cache."""
    assert data.trends(sample(), "half") is data.trends(sample(), "half")
    other = DashboardData(data.store)
    assert other.trends(sample(), "half") is not data.trends(sample(), "half")


def test_unknown_period_or_no_dataset_gives_nothing(data, sample):
    """A bad period value or no dataset gives None, and the page says no dataset."""
    assert data.trends(sample(), "week") is None
    assert "No dataset" in texts(trends.trend_notes(data.trends(Settings(None), "quarter"), "en"))


def test_roster_without_dates_asks_for_start_and_end_columns(data, ids_by_name):
    """A roster with no dates gets the note and no periods to choose."""
    trend = data.trends(Settings(ids_by_name["No dates"]), "quarter")
    notes, *figures, options, before, _, after = trends.trends_view(trend, "en")
    assert "add start/end columns to follow change over time" in texts(notes).lower()
    assert options == [] and before is None and after is None
    assert not any(f.data for f in figures)
    assert trends.changes_between(trend, None, None, "en") == []


def test_undated_memberships_are_said_to_count_in_every_period(data, ids_by_name):
    """One undated membership is reported, in both languages."""
    trend = data.trends(Settings(ids_by_name["Partly dated"]), "quarter")
    assert "Memberships without dates, counted in every period: 1." in texts(trends.trend_notes(trend, "en"))
    assert "räknas i varje period" in texts(trends.trend_notes(trend, "sv"))


# -- change report ---------------------------------------------------------------------------


def test_change_report_between_two_years(data, sample):
    """2025 -> 2026 lists started and stopped pairs, E-I moves and sole bridges with people."""
    trend = data.trends(sample(level=2), "year")
    parts = trends.changes_between(trend, "2025", "2026", "en")
    text = texts(parts)
    assert "From 2025 to 2026" in text
    for heading in ("started working together", "stopped working together", "moved significantly", "New sole bridges",
                    "Sole bridges that ended"):  # fmt: skip
        assert heading in text
    assert {"change-started", "change-stopped", "change-sole-new"} <= _ids(parts)
    change = trends.period_change(trend, "2025", "2026")
    assert change["sole_bridges_new"] and "person" in change["sole_bridges_new"][0]
    assert change["sole_bridges_new"][0]["person"] in text


def test_change_report_in_aggregate_mode_shows_pairs_only(data, sample, ids_by_name):
    """Aggregate mode names nobody: sole bridges are unit pairs."""
    parts = trends.changes_between(data.trends(sample("aggregate", 2), "year"), "2025", "2026", "en")
    text = texts(parts)
    assert "New sole bridges" in text
    assert not [n for n in _sample_names(data, ids_by_name) if n in text]


def test_change_report_in_pseudonym_mode_shows_codes(data, sample, ids_by_name):
    """Pseudonym mode lists sole bridges as P- codes, matching the other pages' codes."""
    trend = data.trends(sample("pseudonyms", 2), "year")
    change = trends.period_change(trend, "2025", "2026")
    people = {b["person"] for b in change["sole_bridges_new"] + change["sole_bridges_lost"]}
    assert people and all(p.startswith("P-") for p in people)
    assert not [n for n in _sample_names(data, ids_by_name) if n in texts(trends.change_view(change, "en"))]


def test_same_period_twice_and_single_period(data, sample, ids_by_name):
    """The same period twice asks for two; a one-period roster has nothing to compare."""
    assert "two different periods" in texts(trends.changes_between(data.trends(sample(), "year"), "2025", "2025", "en"))
    single = data.trends(Settings(ids_by_name["Partly dated"]), "year")
    assert "Only one period" in texts(trends.changes_between(single, "2025", "2025", "en"))


def test_change_report_in_swedish(data, sample):
    """The change report's headings follow the language."""
    text = texts(trends.changes_between(data.trends(sample(), "year"), "2025", "2026", "sv"))
    assert "Från 2025 till 2026" in text and "Enhetspar som började arbeta tillsammans" in text


# -- two datasets ----------------------------------------------------------------------------


def test_other_dataset_options_leave_out_the_current_one(data, ids_by_name):
    """The compare dropdown offers every other dataset and drops a choice no longer offered."""
    options, value = trends.other_dataset_options(data.store.list(), ids_by_name[SAMPLE_NAME], ids_by_name["No dates"])
    assert ids_by_name[SAMPLE_NAME] not in [o["value"] for o in options]
    assert value == ids_by_name["No dates"]
    assert trends.other_dataset_options([DatasetInfo("a", "A", "", "", 1, "", "")], "a", "a") == ([], None)


def test_compare_two_datasets_before_and_after(data, sample, ids_by_name, tmp_path):
    """A reorganised copy of the sample compared with the sample names both datasets and the changes."""
    sample_roster = data.roster(ids_by_name[SAMPLE_NAME])
    moved = sample_roster.memberships.with_columns(
        pl.when(pl.col("unit").str.starts_with("Miljöförvaltningen")).then(pl.lit("Stadsbyggnadsförvaltningen/Miljö"))
        .otherwise(pl.col("unit")).alias("unit"))  # fmt: skip
    after_id = data.store.save(Roster(moved, "after.csv"), name="After merger").id
    try:
        s = dataclasses.replace(sample(), dataset=after_id)
        parts = trends.dataset_change(data.analysis(sample()), data.analysis(s), (SAMPLE_NAME, "After merger"), "en")
        text = texts(parts)
        assert f"From {SAMPLE_NAME} to After merger" in text
        assert "stopped working together" in text
        assert "Miljöförvaltningen" in json.dumps(text, ensure_ascii=False)
        assert trends.dataset_change(None, data.analysis(s), ("", ""), "en") == []
    finally:
        data.store.delete(after_id)


def test_exported_html_report_has_change_over_time(tmp_path):
    """The Export page's HTML report of the dated sample carries section 8, as the CLI's does."""
    import base64

    from analyser.store import Store
    from dashboard.data import DashboardData, ensure_sample
    from dashboard.settings import parse_settings
    from dashboard.pages.export import export_report

    store = Store(tmp_path)
    dataset = ensure_sample(store).id
    data = DashboardData(store)
    settings = parse_settings({"dataset": dataset, "level": 1, "privacy": "names"})
    payload, _ = export_report(data.analysis(settings), "html", "Sample", "en", trends=data.report_trends(settings))
    page = base64.b64decode(payload["content"]).decode("utf-8")
    assert "Change over time" in page


def test_long_change_tables_are_cut_with_a_count():
    """A change table longer than CHANGE_ROWS shows that many rows and says how many more there are."""
    n = trends.CHANGE_ROWS + 7
    change = {"from": "2025-Q3", "to": "2025-Q4", "ei_moves": [], "unit_pairs_stopped": [],
              "unit_pairs_started": [[f"A{i:03d}", f"B{i:03d}"] for i in range(n)],
              "sole_bridges_new": [], "sole_bridges_lost": []}  # fmt: skip
    parts = trends.change_view(change, "en")
    table = next(p for p in parts if getattr(p, "id", None) == "change-started")
    assert len(table.children[1].children) == trends.CHANGE_ROWS
    more = next(p for p in parts if getattr(p, "id", None) == "change-started-more")
    assert "and 7 more" in more.children
    assert "change-stopped-more" not in _ids(parts)
