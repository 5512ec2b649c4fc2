"""Silo verdicts, team projects, p at its resolution and cross-unit bridges on the dashboard pages.

The roster is shaped like a real HR export: the shipped sample plus a two-person unit that only
works with itself (E-I -1, a tiny p, but far too little data for a verdict) and many one-person
projects (personal tasks), which must not make the organisation look siloed.
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from analyser.analysis import Analysis, analyse
from analyser.ingest import read_roster
from analyser.roster import Roster
from dashboard.data import SAMPLE_PATH
from dashboard.pages import bridges, overview, units
from tests.dashboard.component_text import texts

TINY = "Revisionen"
SOLO_PROJECTS = 40


@pytest.fixture(scope="module")
def roster() -> Roster:
    """The sample, a two-person unit with one shared project, and 40 one-person projects."""
    base = read_roster(SAMPLE_PATH).at_level(1).select("project", "person", "unit")
    people = base.unique("person", keep="first", maintain_order=True).head(SOLO_PROJECTS)
    extra = pl.concat([
        pl.DataFrame({"project": ["Granskning 2026"] * 2, "person": ["Ada Revisor", "Bo Revisor"], "unit": [TINY] * 2}),
        people.with_columns(pl.format("Egen uppgift {}", pl.int_range(pl.len())).alias("project")).select(base.columns),
    ])  # fmt: skip
    return Roster.from_frame(pl.concat([base, extra]))


@pytest.fixture(scope="module")
def analysis(roster: Roster) -> Analysis:
    return analyse(roster)


def test_headline_speaks_of_team_projects_and_judged_units(analysis):
    """One-person projects are left out of the share; the silo count is of units with enough data."""
    s = analysis.summary
    assert s["projects"] == s["team_projects"] + SOLO_PROJECTS
    text = overview.headline(analysis, "en")
    inside = round(100 * (1 - s["cross_unit_team_project_share"]))
    assert text.startswith(f"Of the {s['team_projects']} projects with two or more people, {inside} % stay inside one unit;")
    assert f"1 of the {s['units_judged']} units with enough data is a significant silo" in text
    assert text.endswith("; 1 unit had too little data for a verdict.")
    assert overview.headline(analysis, "sv").endswith("; 1 enhet hade för lite underlag för en bedömning.")


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"significant_silos": None, "units_judged": None}, "significance not tested"),
        ({"team_projects": 0, "cross_unit_team_project_share": None}, "No project has two or more people"),
        ({"significant_silos": 2, "units_judged": 8, "units": 8}, "2 of the 8 units with enough data are significant silos."),
        ({"significant_silos": 0, "units_judged": 8, "units": 8}, "none of the 8 units with enough data is a significant silo."),
    ],
)
def test_headline_edge_cases(analysis, changes, expected):
    """Untested silos, no team project and the plural each read correctly."""
    changed = dataclasses.replace(analysis, summary={**analysis.summary, **changes})
    assert expected in overview.headline(changed, "en")


def test_headline_of_an_older_cached_summary(analysis):
    """A summary cached before team projects and verdicts still gives a headline (all projects, all units)."""
    old = {k: analysis.summary[k] for k in ("projects", "units", "cross_unit_project_share", "significant_silos")}
    text = overview.headline(dataclasses.replace(analysis, summary=old), "en")
    assert "of projects stay inside one unit" in text and f"of {old['units']} units" in text


def test_cards_show_team_projects_and_community_stability(analysis):
    """The projects card says how many have two or more people; the communities card its stability."""
    figures = {title: (value, note) for title, value, _, note in overview.key_figures(analysis, "en")}
    s = analysis.summary
    assert figures["card_projects"][1].startswith(f"{s['team_projects']} with two or more people, ")
    assert figures["card_communities"][1] == f"stability {s['community_stability']:.2f}"
    low = dataclasses.replace(analysis, summary={**s, "community_stability": 0.55})
    assert dict((t, n) for t, _, _, n in overview.key_figures(low, "sv"))["card_communities"] == (
        "stabilitet 0,55: bara ungefärliga grupper"
    )


def _rows(analysis: Analysis, lang: str = "en") -> dict[str, dict]:
    rows, _ = units.units_table(analysis, lang)
    return {r["unit"]: r for r in rows}


def test_too_little_data_is_its_own_neutral_state_in_the_grid(analysis):
    """The two-person unit at E-I -1 reads "too little data", is neither a silo row nor "not a silo", and comes last."""
    tiny = analysis.units.filter(pl.col("unit") == TINY)
    assert tiny["ei_index"].item() == -1.0 and tiny["verdict"].item() == "too_little_data"
    rows, defs = units.units_table(analysis, "en")
    row = _rows(analysis)[TINY]
    assert row["verdict"] == "too little data" and row["verdict_code"] == "too_little_data"
    assert rows[-1]["unit"] == TINY and rows[0]["verdict"] == "significant silo"
    verdict = next(d for d in defs if d["field"] == "verdict")
    assert "verdict-silo" in verdict["cellClassRules"] and "verdict-none" in verdict["cellClassRules"]
    assert units.ROW_CLASSES["silo-row"] == "params.data.verdict_code === 'silo'"  # the red rows
    assert "'too_little_data'" not in units.ROW_CLASSES["silo-row"]
    assert _rows(analysis, "sv")[TINY]["verdict"] == "för lite underlag"


def test_p_and_q_at_their_resolution_in_the_grid(analysis):
    """p and q at the floor of 999 permutations read "≤ 0.001" (sorted by the number underneath)."""
    silo = next(r for r in _rows(analysis).values() if r["verdict_code"] == "silo")
    assert silo["ei_p"] == pytest.approx(0.001) and silo["ei_p_text"] == "\u2264 0.001"
    assert silo["ei_q_text"].startswith("\u2264 0.00") or silo["ei_q_text"].startswith("0.00")
    assert _rows(analysis)[TINY]["ei_q_text"] is None  # no q where no verdict
    assert next(r for r in _rows(analysis, "sv").values() if r["verdict_code"] == "silo")["ei_p_text"] == "\u2264 0,001"
    defs = {d["field"]: d for d in units.units_table(analysis, "en")[1]}
    assert "ei_p_text" in defs["ei_p"]["valueFormatter"]["function"] and defs["ei_q"]["filter"] == "agNumberColumnFilter"
    assert [c for c in defs if c.startswith("ei_")] == ["ei_index", "ei_expected", "ei_expected_perm", "ei_p", "ei_q", "ei_z"]
    assert "shuffled" in defs["ei_expected_perm"]["headerTooltip"] and "random pairs" in defs["ei_expected"]["headerTooltip"]


def test_unit_detail_states_the_verdict(analysis, roster):
    """The drill-down opens with the verdict in words: what a verdict needs, or the figures it rests on."""
    memberships = roster.at_level(1)
    tiny = texts(units.unit_detail(analysis, memberships, TINY, "en"))
    assert "Too little data for a verdict: a unit is judged only with at least 5 people and members in at least 3 projects" in tiny
    assert "significant silo" not in tiny.lower().replace("not a significant silo", "")
    silo = analysis.units.filter(pl.col("verdict") == "silo")["unit"][0]
    detail = units.unit_detail(analysis, memberships, silo, "en")
    assert detail[1].id == "unit-verdict" and detail[1].color == "danger"
    assert texts(detail[1]).startswith("Significant silo: E-I ") and "(q \u2264 0.001)" in texts(detail[1])


def test_bridges_chart_leaves_out_people_who_bridge_nothing(analysis):
    """The grid follows cross-unit betweenness; the chart never shows someone at 0."""
    _, rows, _, _, bar, _, _ = bridges.bridges_view(analysis, "en")
    ranking = [r["cross_unit_betweenness"] for r in rows]
    assert ranking[: bar.data[0].x.__len__()] == sorted(bar.data[0].x, reverse=True)
    assert min(bar.data[0].x) > 0
    nobody = dataclasses.replace(analysis, people=analysis.people.with_columns(cross_unit_betweenness=pl.lit(0.0)))
    bar = bridges.bridges_view(nobody, "en")[4]
    assert not bar.data and "No one stands between people of different units" in bar.layout.annotations[0].text


def test_unit_map_rings_silos_and_fades_units_without_verdict(analysis):
    """On the unit map a two-person unit at E-I -1 is red by E-I but faded; the silo gets a heavy ring."""
    from dashboard.figures import UNIT_MAP_STYLESHEET, unit_network_elements

    nodes = {e["data"]["id"]: e["data"] for e in unit_network_elements(analysis.units, analysis.unit_links)
             if "source" not in e["data"]}  # fmt: skip
    assert nodes[TINY]["verdict"] == "too_little_data" and nodes[TINY]["colour"] == "#c0392b"
    assert sum(n["verdict"] == "silo" for n in nodes.values()) == 1
    styles = {rule["selector"]: rule["style"] for rule in UNIT_MAP_STYLESHEET}
    assert styles['node[verdict = "too_little_data"]']["opacity"] < 1
    assert styles['node[verdict = "silo"]']["border-width"] > 1


def test_tiny_bridge_figures_are_not_rounded_to_zero(analysis):
    """Betweenness shares are shown with significant digits, so a real bridge never reads "0"."""
    from dashboard.components import column_defs

    defs = column_defs(analysis.people, ["cross_unit_betweenness", "participation"], "en")
    assert "maximumSignificantDigits: 3" in defs[0]["valueFormatter"]["function"]
    assert "maximumFractionDigits: 2" in defs[1]["valueFormatter"]["function"]


def test_a_tiny_p_of_an_e_i_move_never_reads_zero():
    """The trends page writes p with the shared formatter: below 0.001 it says so, never "0.000"."""
    from dashboard.pages import trends

    move = {"unit": "A", "ei_before": -0.2, "ei_after": 0.4, "change": 0.6, "p": 0.00002, "significant": True}
    change = {"from": "2025", "to": "2026", "unit_pairs_started": [], "unit_pairs_stopped": [], "ei_moves": [move],
              "sole_bridges_new": [], "sole_bridges_lost": []}  # fmt: skip
    shown = texts(trends.change_view(change, "sv"))
    assert "< 0,001" in shown and "0,000" not in shown
